package org.vettedaccess.suite;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ports the suite listens on. {@link #defaults()} are the documented ones (README.md); {@link #free()}
 * picks unused ones, so that a test run never collides with a suite a developer has running.
 */
public record SuitePorts(
        int postgres,
        int redis,
        int keycloak,
        int keycloakManagement,
        Map<String, Integer> http,
        Map<String, Integer> management) {

    public static SuitePorts defaults() {
        Map<String, Integer> http = new LinkedHashMap<>();
        Map<String, Integer> management = new LinkedHashMap<>();
        put(http, management, ServiceSpec.GATEWAY, 8080);
        put(http, management, ServiceSpec.KYC, 8081);
        put(http, management, ServiceSpec.POLICY, 8082);
        put(http, management, ServiceSpec.LEDGER, 8083);
        put(http, management, ServiceSpec.UPSTREAM, 8090);
        return new SuitePorts(5433, 6380, 8180, 9180, http, management);
    }

    public static SuitePorts free() throws IOException {
        Map<String, Integer> http = new LinkedHashMap<>();
        Map<String, Integer> management = new LinkedHashMap<>();
        for (ServiceSpec service : ServiceSpec.ALL) {
            http.put(service.name(), freePort());
            management.put(service.name(), freePort());
        }
        return new SuitePorts(freePort(), freePort(), freePort(), freePort(), http, management);
    }

    private static void put(Map<String, Integer> http, Map<String, Integer> management, ServiceSpec service, int port) {
        http.put(service.name(), port);
        management.put(service.name(), port + 1000);
    }

    /**
     * A port nothing listens on, below Linux's ephemeral range (32768+): a port from that range could be taken by
     * an outgoing connection in the seconds before the service that was given it binds it.
     */
    public static int freePort() throws IOException {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                if (TAKEN.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                // in use: try another
            }
        }
        throw new IOException("no free port found between 20000 and 32000");
    }

    /** Writes the ports where {@code ./suite status} and {@code ./suite restart} find them ({@link #load(Path)}). */
    public void save(Path file) throws IOException {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("postgres", String.valueOf(postgres));
        properties.setProperty("redis", String.valueOf(redis));
        properties.setProperty("keycloak", String.valueOf(keycloak));
        properties.setProperty("keycloak.management", String.valueOf(keycloakManagement));
        http.forEach((name, port) -> properties.setProperty("http." + name, String.valueOf(port)));
        management.forEach((name, port) -> properties.setProperty("management." + name, String.valueOf(port)));
        java.nio.file.Files.createDirectories(file.getParent());
        try (java.io.Writer out = java.nio.file.Files.newBufferedWriter(file)) {
            properties.store(out, "the ports of the running suite");
        }
    }

    /** The ports {@link #save(Path)} wrote, or the defaults if there is no such file. */
    public static SuitePorts load(Path file) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return defaults();
        }
        java.util.Properties properties = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(file)) {
            properties.load(in);
        }
        Map<String, Integer> http = new LinkedHashMap<>();
        Map<String, Integer> management = new LinkedHashMap<>();
        for (ServiceSpec service : ServiceSpec.ALL) {
            http.put(service.name(), Integer.parseInt(properties.getProperty("http." + service.name())));
            management.put(service.name(), Integer.parseInt(properties.getProperty("management." + service.name())));
        }
        return new SuitePorts(
                Integer.parseInt(properties.getProperty("postgres")),
                Integer.parseInt(properties.getProperty("redis")),
                Integer.parseInt(properties.getProperty("keycloak")),
                Integer.parseInt(properties.getProperty("keycloak.management")),
                http,
                management);
    }

    /** Ports already handed out by this process, so two calls never return the same one. */
    private static final java.util.Set<Integer> TAKEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Every port with what uses it, in start order. */
    public Map<Integer, String> all() {
        Map<Integer, String> all = new LinkedHashMap<>();
        all.put(postgres, "postgres");
        all.put(redis, "redis");
        all.put(keycloak, "keycloak");
        all.put(keycloakManagement, "keycloak management");
        http.forEach((name, port) -> all.put(port, name));
        management.forEach((name, port) -> all.put(port, name + " management"));
        return all;
    }

    /** Fails with one clear line if any port is taken. */
    public void checkFree(boolean includePostgres, boolean includeRedis) throws SuiteException {
        for (Map.Entry<Integer, String> entry : all().entrySet()) {
            if ((!includePostgres && entry.getKey() == postgres) || (!includeRedis && entry.getKey() == redis)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), entry.getKey()));
            } catch (IOException e) {
                throw new SuiteException("port " + entry.getKey() + " (" + entry.getValue()
                        + ") is already in use: stop what listens there (see `ss -ltnp 'sport = :" + entry.getKey()
                        + "'`), or `./suite down` if it is an earlier suite");
            }
        }
    }
}
