package org.vettedaccess.suite;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts the whole suite on this machine: PostgreSQL, Keycloak with the realm, the simulated upstream and
 * the four services as packaged jars, each waited for until healthy. Used by {@code ./suite up} and, once per
 * test run, by the end-to-end tests. A failed start stops everything it had started.
 */
public final class LocalSuite implements AutoCloseable {

    private static final Duration KEYCLOAK_START = Duration.ofMinutes(4);
    private static final Duration SERVICE_START = Duration.ofMinutes(2);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    /**
     * What to start and where.
     *
     * @param root the repository root (the services' built jars and the realm file are found from it)
     * @param state where logs, pids and the embedded database's data go
     * @param keycloakZip the Keycloak distribution fetched through Maven
     * @param ports the ports to listen on
     * @param externalDatabaseUrl a PostgreSQL to use instead of the embedded one
     * @param externalRedisUrl a Redis to use instead of the bundled one ({@code redis://host:port})
     * @param freshData start the embedded database empty (tests) instead of keeping earlier data (./suite up)
     */
    public record Settings(
            Path root,
            Path state,
            Path keycloakZip,
            SuitePorts ports,
            Optional<String> externalDatabaseUrl,
            Optional<String> externalRedisUrl,
            boolean freshData) {

        /** Settings with the external database and Redis from {@code SUITE_DB_URL} and {@code SUITE_REDIS_URL}. */
        public static Settings of(Path root, Path state, Path keycloakZip, SuitePorts ports, boolean freshData) {
            return new Settings(
                    root.toAbsolutePath(),
                    state.toAbsolutePath(),
                    keycloakZip,
                    ports,
                    Optional.ofNullable(System.getenv("SUITE_DB_URL")).filter(url -> !url.isBlank()),
                    Optional.ofNullable(System.getenv("SUITE_REDIS_URL")).filter(url -> !url.isBlank()),
                    freshData);
        }
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final PidFiles pids;
    private final long startedAt = System.nanoTime();
    private final Deque<Runnable> stops = new ArrayDeque<>();
    private SuiteDatabase database;
    private ChildProcess redis;
    private MailSink mail;
    private LocalWitness witness;
    private Map<String, Path> jars;
    private final Map<String, ChildProcess> running = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean closed;
    // One per suite, shared by gateway replicas, so a sign-in started on one can finish on another.
    private final String portalStateSecret = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();

    private LocalSuite(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
        this.pids = new PidFiles(settings.state());
    }

    /** Starts the suite; on failure, everything started so far is stopped before the exception leaves. */
    public static LocalSuite start(Settings settings, Consumer<String> progress) throws SuiteException {
        LocalSuite suite = create(settings, progress);
        suite.start();
        return suite;
    }

    /** A suite not started yet, so that a caller can arrange for {@link #close()} (e.g. on SIGTERM) first. */
    public static LocalSuite create(Settings settings, Consumer<String> progress) {
        return new LocalSuite(settings, progress);
    }

    public void start() throws SuiteException {
        try {
            startAll();
        } catch (SuiteException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startAll() throws SuiteException {
        stopLeftovers();
        SuitePorts ports = settings.ports();
        ports.checkFree(
                settings.externalDatabaseUrl().isEmpty(),
                settings.externalRedisUrl().isEmpty());
        jars = builtJars();

        Path keycloakHome =
                KeycloakServer.unpack(settings.keycloakZip(), settings.state().resolve("cache"));
        ChildProcess keycloak = KeycloakServer.start(
                keycloakHome,
                settings.root().resolve("identity/vetted-access-realm.json"),
                ports,
                log("keycloak"),
                pids);
        track(keycloak);
        step("keycloak", "starting (pid " + keycloak.pid() + ")");

        database = settings.externalDatabaseUrl().isPresent()
                ? ExternalDatabase.parse(settings.externalDatabaseUrl().get())
                : EmbeddedDatabase.start(
                        settings.state().resolve("data/postgres"),
                        ports.postgres(),
                        log("postgres"),
                        settings.freshData());
        SuiteDatabase started = database;
        onClose(started::stop);
        database.createDatabases(
                ServiceSpec.ALL.stream().flatMap(s -> s.database().stream()).toList());
        step("postgres", "ready: " + database.description());

        if (settings.externalRedisUrl().isEmpty()) {
            startRedis();
        }
        step("redis", "ready at " + redisUrl());

        try {
            mail = MailSink.start(SuitePorts.freePort(), settings.state().resolve("mail"), line -> step("mail", line));
        } catch (IOException e) {
            throw new SuiteException("no free port for the mail sink: " + e.getMessage(), e);
        }
        MailSink sink = mail;
        onClose(sink::close);
        step("mail", "SMTP on 127.0.0.1:" + mail.port() + "; messages in " + mail.directory());
        startWitness();

        ChildProcess upstream = startService(ServiceSpec.UPSTREAM, jars);
        KeycloakServer.awaitReady(keycloak, ports, KEYCLOAK_START);
        step("keycloak", "ready at " + keycloakUrl() + " (realm " + KeycloakServer.REALM + ")");

        awaitHealthy(ServiceSpec.UPSTREAM, upstream);
        Map<String, ChildProcess> services = new LinkedHashMap<>();
        for (ServiceSpec service : ServiceSpec.SERVICES) {
            services.put(service.name(), startService(service, jars));
        }
        for (ServiceSpec service : ServiceSpec.SERVICES) {
            awaitHealthy(service, services.get(service.name()));
        }
    }

    private void stopLeftovers() throws SuiteException {
        try {
            int stopped = pids.stopLeftovers();
            if (stopped > 0) {
                step("cleanup", "stopped " + stopped + " process(es) an earlier, interrupted run left behind");
            }
        } catch (IOException e) {
            throw new SuiteException("cannot read " + settings.state().resolve("pids") + ": " + e.getMessage());
        }
    }

    private Map<String, Path> builtJars() throws SuiteException {
        Map<String, Path> jars = new HashMap<>();
        for (ServiceSpec service : ServiceSpec.ALL) {
            Path jar = settings.root().resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new SuiteException(service.name() + " is not built (" + jar
                        + " is missing): ./suite up builds it, or run ./mvnw package -DskipTests");
            }
            jars.put(service.name(), jar);
        }
        return jars;
    }

    private ChildProcess startService(ServiceSpec service, Map<String, Path> jars) throws SuiteException {
        return startService(service, jars, Map.of());
    }

    private ChildProcess startService(ServiceSpec service, Map<String, Path> jars, Map<String, String> extra)
            throws SuiteException {
        SuitePorts ports = settings.ports();
        return startInstance(
                service,
                service.name(),
                ports.http().get(service.name()),
                ports.management().get(service.name()),
                extra);
    }

    private ChildProcess startInstance(
            ServiceSpec service, String instance, int httpPort, int managementPort, Map<String, String> extra)
            throws SuiteException {
        Map<String, String> environment = new HashMap<>();
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        environment.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        environment.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        environment.put("QUARKUS_OIDC_AUTH_SERVER_URL", keycloakUrl() + "/realms/" + KeycloakServer.REALM);
        service.database().ifPresent(name -> {
            environment.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(name));
            environment.put("QUARKUS_DATASOURCE_USERNAME", database.user());
            environment.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        });
        if (service.database().isPresent()) {
            // Calls between services: each uses its own client's service account, and finds the others here.
            environment.put("OIDC_CLIENT_SECRET", service.name() + "-demo-secret");
            environment.put("LEDGER_URL", serviceUrl(ServiceSpec.LEDGER.name()));
            environment.put("ACCESS_POLICY_URL", serviceUrl(ServiceSpec.POLICY.name()));
            environment.put("KYC_URL", serviceUrl(ServiceSpec.KYC.name()));
        }
        if (service.equals(ServiceSpec.LEDGER)) {
            environment.putAll(LedgerSecrets.environment(settings.state().resolve("secrets"), database));
            environment.putAll(witness.ledgerEnvironment());
        }
        if (service.equals(ServiceSpec.KYC)) {
            // The sanctions lists as files, so that a lab (or a test) can update them and see them reloaded.
            environment.put("KYC_SANCTIONS_FILES", sanctionsFiles());
            // Codes go to the suite's own SMTP server (plain, no login: it is on loopback only).
            environment.put("QUARKUS_MAILER_HOST", "127.0.0.1");
            environment.put("QUARKUS_MAILER_PORT", String.valueOf(mail.port()));
            environment.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        }
        if (service.equals(ServiceSpec.POLICY) && settings.freshData()) {
            // End-to-end runs only (fresh data): policy admins may move the incident clock, so a test sees a
            // report's deadline pass (issue 21); ./suite up and deployments keep the real clock.
            environment.put("POLICY_INCIDENT_TEST_CLOCK", "true");
        }
        if (service.equals(ServiceSpec.UPSTREAM)) {
            // Any sim-* model, so tests can give each case its own catalog entry and grant.
            environment.put("SIM_MODELS", "sim-small,sim-medium,sim-frontier,sim-*");
        }
        if (service.equals(ServiceSpec.GATEWAY)) {
            // The owner watch reads Keycloak's admin API (admin events, users) as the gateway's service account.
            environment.put("KEYCLOAK_URL", keycloakUrl());
            // Quota counters shared through Redis, as replicas in production share them.
            environment.put("GATEWAY_QUOTA_STORE", "redis");
            // Every local caller (each end-to-end test, the fuzzing) comes from 127.0.0.1, so the per-client limit
            // on failed authentications would refuse them all; a test starts a replica with a low limit instead.
            environment.put("GATEWAY_FAILED_AUTH_LIMIT", "1000000");
            environment.put("REDIS_URL", redisUrl());
            environment.put("UPSTREAM_SIM_URL", serviceUrl(ServiceSpec.UPSTREAM.name()) + "/v1");
            // The portal: its Keycloak client's demo secret, and a state secret for its PKCE sign-ins.
            environment.put("PORTAL_CLIENT_SECRET", "portal-demo-secret");
            environment.put("PORTAL_STATE_SECRET", portalStateSecret);
            environment.put("GATEWAY_PUBLIC_URL", "http://localhost:" + httpPort);
        }
        environment.putAll(extra);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(
                java, "-Xms32m", "-Xmx384m", "-jar", jars.get(service.name()).toString());
        ChildProcess process = ChildProcess.start(instance, command, environment, log(instance), pids);
        track(process);
        running.put(instance, process);
        return process;
    }

    private void startWitness() throws SuiteException {
        LocalWitness started =
                LocalWitness.start(settings.state(), settings.state().resolve("secrets"), settings.freshData());
        witness = started;
        onClose(started::close);
        step("witness", "cosigning at " + started.url() + " as " + started.vkey());
    }

    /** The witness a regulator would run; the ledger submits every checkpoint to it. */
    public LocalWitness witness() {
        return witness;
    }

    /** What kyc-service has mailed (the institutional email codes). */
    public MailSink mailbox() {
        return mail;
    }

    /** The sanctions lists kyc-service reads: copies of its bundled fixtures, made fresh at each start. */
    public Path sanctionsDirectory() {
        return settings.state().resolve("sanctions");
    }

    private String sanctionsFiles() throws SuiteException {
        Path directory = sanctionsDirectory();
        Path fixtures = settings.root().resolve("kyc-service/src/main/resources/sanctions");
        try {
            Files.createDirectories(directory);
            for (String file : List.of("targets.simple.csv", "sdn.csv", "alt.csv")) {
                Files.copy(
                        fixtures.resolve(file),
                        directory.resolve(file),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SuiteException("cannot prepare the sanctions lists in " + directory + ": " + e.getMessage(), e);
        }
        return directory.resolve("targets.simple.csv") + "," + directory.resolve("sdn.csv");
    }

    private void startRedis() throws SuiteException {
        redis = RedisServer.start(
                settings.state().resolve("cache"), settings.ports().redis(), log("redis"), pids);
        track(redis);
        RedisServer.awaitReady(redis, settings.ports().redis(), Duration.ofSeconds(20));
    }

    /** The Redis the gateways share. */
    public String redisUrl() {
        return settings.externalRedisUrl()
                .orElse("redis://127.0.0.1:" + settings.ports().redis());
    }

    /**
     * Stops one service (or extra instance), as a crash or an outage would; tests use it for fault injection.
     * {@code redis} stops the bundled Redis.
     */
    public void stop(String instance) {
        ChildProcess process = "redis".equals(instance) ? redis : running.remove(instance);
        if (process != null) {
            process.stop(STOP_GRACE);
        }
    }

    /** Starts a stopped service again on its ports, and waits until it is ready. */
    public void restart(String name) throws SuiteException {
        if ("redis".equals(name)) {
            startRedis();
            return;
        }
        restart(name, Map.of());
    }

    /**
     * Starts a stopped service again on its ports with {@code settings} (environment variables) on top, and waits
     * until it is ready; tests use it to run a service with, say, a short job interval, and restart it without
     * them afterwards.
     */
    public void restart(String name, Map<String, String> settings) throws SuiteException {
        ServiceSpec service = ServiceSpec.ALL.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new SuiteException("no service " + name));
        awaitHealthy(service, startService(service, jars, settings));
    }

    /**
     * Starts another gateway instance, sharing the database, Redis and everything else with the first, on the
     * given ports, with {@code settings} (environment variables) on top; stop it with {@link #stop(String)} and its
     * name. Tests use it to hold two replicas to one quota, and to try short upstream timeouts.
     */
    public void startGatewayReplica(String instance, int httpPort, int managementPort, Map<String, String> settings)
            throws SuiteException {
        startReplica(ServiceSpec.GATEWAY, instance, httpPort, managementPort, settings);
    }

    /**
     * Starts another access-policy instance on the same database, on the given ports, with {@code settings}
     * (environment variables) on top; stop it with {@link #stop(String)} and its name. A gateway replica follows it
     * when started with {@code ACCESS_POLICY_URL} set to its address, so tests can show that a change made through
     * one access-policy replica reaches the gateways that follow another.
     */
    public void startAccessPolicyReplica(
            String instance, int httpPort, int managementPort, Map<String, String> settings) throws SuiteException {
        startReplica(ServiceSpec.POLICY, instance, httpPort, managementPort, settings);
    }

    private void startReplica(
            ServiceSpec service, String instance, int httpPort, int managementPort, Map<String, String> settings)
            throws SuiteException {
        if (running.containsKey(instance)
                || ServiceSpec.ALL.stream().anyMatch(s -> s.name().equals(instance))) {
            throw new SuiteException(instance + " is already a name in this suite");
        }
        ChildProcess process = startInstance(service, instance, httpPort, managementPort, settings);
        process.awaitHttpOk(URI.create("http://localhost:" + managementPort + "/q/health/ready"), SERVICE_START);
        step(instance, "ready at http://localhost:" + httpPort);
    }

    private void awaitHealthy(ServiceSpec service, ChildProcess process) throws SuiteException {
        process.awaitHttpOk(URI.create(managementUrl(service.name()) + "/q/health/ready"), SERVICE_START);
        step(service.name(), "ready at " + serviceUrl(service.name()));
    }

    private void track(ChildProcess process) throws SuiteException {
        onClose(() -> process.stop(STOP_GRACE));
    }

    /** Registers how to undo a step; if the suite was closed meanwhile (SIGTERM during start), undoes it now. */
    private synchronized void onClose(Runnable stop) throws SuiteException {
        if (closed) {
            stop.run();
            throw new SuiteException("stopped while starting");
        }
        stops.push(stop);
    }

    private Path log(String component) {
        return logDirectory().resolve(component + ".log");
    }

    private void step(String component, String message) {
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        progress.accept(String.format("[%5.1fs] %-14s %s", seconds, component, message));
    }

    public Path logDirectory() {
        return settings.state().resolve("logs");
    }

    public SuitePorts ports() {
        return settings.ports();
    }

    public String keycloakUrl() {
        return KeycloakServer.url(settings.ports());
    }

    public String realmUrl() {
        return keycloakUrl() + "/realms/" + KeycloakServer.REALM;
    }

    public String serviceUrl(String service) {
        return "http://localhost:" + settings.ports().http().get(service);
    }

    public String managementUrl(String service) {
        return "http://localhost:" + settings.ports().management().get(service);
    }

    public SuiteDatabase database() {
        return database;
    }

    /** The embedded database, which tests may stop and start again; empty when an external one is used. */
    public Optional<EmbeddedDatabase> embeddedDatabase() {
        return database instanceof EmbeddedDatabase embedded ? Optional.of(embedded) : Optional.empty();
    }

    /** Stops everything this suite started, newest first. Safe to call more than once. */
    @Override
    public synchronized void close() {
        closed = true;
        while (!stops.isEmpty()) {
            try {
                stops.pop().run();
            } catch (RuntimeException e) {
                progress.accept("while stopping: " + e.getMessage());
            }
        }
    }
}
