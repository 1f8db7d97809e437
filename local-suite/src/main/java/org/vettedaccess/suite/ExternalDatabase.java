package org.vettedaccess.suite;

import java.net.URI;

/** A PostgreSQL server someone else runs, given as {@code postgresql://user:password@host:port}. */
record ExternalDatabase(String host, int port, String user, String password) implements SuiteDatabase {

    static ExternalDatabase parse(String url) throws SuiteException {
        try {
            URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
            if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected postgresql://user:password@host:port");
            }
            String userInfo = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo();
            String[] credentials = userInfo.split(":", 2);
            return new ExternalDatabase(
                    uri.getHost(),
                    uri.getPort() < 0 ? 5432 : uri.getPort(),
                    credentials[0],
                    credentials.length > 1 ? credentials[1] : "");
        } catch (IllegalArgumentException e) {
            throw new SuiteException("SUITE_DB_URL is not a PostgreSQL URL (" + e.getMessage() + ")");
        }
    }

    @Override
    public String description() {
        return "external PostgreSQL on " + host + ":" + port + " as " + user;
    }

    @Override
    public void stop() {
        // not ours to stop
    }
}
