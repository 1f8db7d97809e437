package org.vettedaccess.suite;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Starts the whole suite on this machine: PostgreSQL, Keycloak with the realm, the simulated upstream and
 * the four services as packaged jars, each waited for until healthy. Used by {@code ./suite up} and, once per
 * test run, by the end-to-end tests. A failed start stops everything it had started ({@link SuiteProcesses} keeps
 * what runs and how to undo it). This class starts the infrastructure and answers addresses; {@link SuiteServices}
 * starts, restarts and replicates the services.
 */
public final class LocalSuite implements AutoCloseable {

    /**
     * The scope-tag key (ADR 0046) the local suite gives the gateway (to tag usage leaves) and the usage-ledger (to
     * judge INSTITUTION and COUNTRY kill switches in its conformance endpoint): the bytes of
     * {@code scope-tags-demo-key-local-suite!}, a documented demo value, never for a deployment.
     */
    public static final String SCOPE_TAGS_DEMO_KEY = "c2NvcGUtdGFncy1kZW1vLWtleS1sb2NhbC1zdWl0ZSE=";

    private static final Duration KEYCLOAK_START = Duration.ofMinutes(4);

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
    private final SuiteProcesses processes;
    private final long startedAt = System.nanoTime();
    private SuiteDatabase database;
    private ChildProcess redis;
    private String redisDescription;
    private MailSink mail;
    private LocalWitness witness;
    private Path keycloakHome;
    private SuiteServices services;
    private final Restarts restarts = new Restarts();

    private LocalSuite(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
        this.processes = new SuiteProcesses(settings.state(), progress);
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
        services = new SuiteServices(
                this,
                new ServiceLauncher(this, ServiceLauncher.builtJars(settings.root())),
                processes,
                restarts,
                this::step);

        keycloakHome =
                KeycloakServer.unpack(settings.keycloakZip(), settings.state().resolve("cache"));
        ChildProcess keycloak = startKeycloak();
        step("keycloak", "starting (pid " + keycloak.pid() + ")");
        restarts.register("keycloak", () -> {
            KeycloakServer.awaitReady(startKeycloak(), ports, KEYCLOAK_START);
            return "ready at " + keycloakUrl();
        });

        database = settings.externalDatabaseUrl().isPresent()
                ? ExternalDatabase.parse(settings.externalDatabaseUrl().get())
                : EmbeddedDatabase.start(
                        settings.state().resolve("data/postgres"),
                        ports.postgres(),
                        log("postgres"),
                        settings.freshData());
        SuiteDatabase started = database;
        processes.onClose(started::stop);
        database.createDatabases(
                ServiceSpec.ALL.stream().flatMap(s -> s.database().stream()).toList());
        step("postgres", "ready: " + database.description());
        embeddedDatabase()
                .ifPresent(embedded -> restarts.register("postgres", () -> {
                    embedded.stop();
                    embedded.start();
                    return "ready: " + embedded.description();
                }));

        if (settings.externalRedisUrl().isEmpty()) {
            startRedis();
            restarts.register("redis", () -> {
                stop("redis");
                startRedis();
                return "ready at " + redisUrl();
            });
        }
        step("redis", "ready at " + redisUrl() + (redis == null ? "" : " (" + redisDescription + ")"));

        try {
            mail = MailSink.start(SuitePorts.freePort(), settings.state().resolve("mail"), line -> step("mail", line));
        } catch (IOException e) {
            throw new SuiteException("no free port for the mail sink: " + e.getMessage(), e);
        }
        MailSink sink = mail;
        processes.onClose(sink::close);
        step("mail", "SMTP on 127.0.0.1:" + mail.port() + "; messages in " + mail.directory());
        startWitness();

        ChildProcess upstream = services.start(ServiceSpec.UPSTREAM, Map.of());
        KeycloakServer.awaitReady(keycloak, ports, KEYCLOAK_START);
        step("keycloak", "ready at " + keycloakUrl() + " (realm " + KeycloakServer.REALM + ")");

        services.awaitHealthy(ServiceSpec.UPSTREAM, upstream);
        services.startServices();
    }

    private ChildProcess startKeycloak() throws SuiteException {
        return processes.add(
                "keycloak",
                KeycloakServer.start(
                        keycloakHome,
                        settings.root().resolve("identity/vetted-access-realm.json"),
                        settings.ports(),
                        log("keycloak"),
                        processes.pids()));
    }

    private void stopLeftovers() throws SuiteException {
        try {
            int stopped = processes.stopLeftovers();
            if (stopped > 0) {
                step("cleanup", "stopped " + stopped + " process(es) an earlier, interrupted run left behind");
            }
        } catch (IOException e) {
            throw new SuiteException("cannot read " + settings.state().resolve("pids") + ": " + e.getMessage());
        }
    }

    /**
     * Starts a process as part of this suite: its output appended to {@code logs/<name>.log}, its pid recorded,
     * stopped with the suite, and stoppable with {@link #stop(String)}. The hook for components started by classes
     * of their own (the services' {@link ServiceLauncher}, and any process a later part of the suite needs).
     */
    ChildProcess launch(String name, List<String> command, Map<String, String> environment) throws SuiteException {
        return processes.launch(name, command, environment);
    }

    private void startWitness() throws SuiteException {
        LocalWitness started =
                LocalWitness.start(settings.state(), settings.state().resolve("secrets"), settings.freshData());
        witness = started;
        processes.onClose(started::close);
        step("witness", "cosigning at " + started.url() + " as " + started.vkey());
    }

    /** Whether this suite started on empty data (end-to-end tests) rather than keeping earlier data. */
    boolean freshData() {
        return settings.freshData();
    }

    /** The witness a regulator would run; the ledger submits every checkpoint to it. */
    public LocalWitness witness() {
        return witness;
    }

    /** Makes {@code name} restartable by {@link #restartComponent(String)} (and so by {@code ./suite restart}). */
    void restartable(String name, Restarts.Start start) {
        restarts.register(name, start);
    }

    /** What kyc-service has mailed (the institutional email codes). */
    public MailSink mailbox() {
        return mail;
    }

    /** The sanctions lists kyc-service reads: copies of its bundled fixtures, made fresh at each start. */
    public Path sanctionsDirectory() {
        return settings.state().resolve("sanctions");
    }

    private void startRedis() throws SuiteException {
        RedisServer.Binary binary = RedisServer.binary(settings.state().resolve("cache"));
        redisDescription = "Redis " + binary.version() + ", " + binary.source();
        redis = processes.add(
                "redis", RedisServer.start(binary, settings.ports().redis(), log("redis"), processes.pids()));
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
        processes.stop(instance);
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
        restart(name, settings, ServiceLauncher.DEFAULT_JVM_OPTIONS);
    }

    /**
     * Starts a stopped service again as {@link #restart(String, Map)} does, with {@code jvmOptions} (say
     * {@code -Xmx256m}) in place of the default {@code -Xms32m -Xmx384m}; the ledger's export benchmark runs the
     * ledger in a small heap with it. A later {@link #restart(String)} goes back to the defaults.
     */
    public void restart(String name, Map<String, String> settings, List<String> jvmOptions) throws SuiteException {
        services.restart(name, settings, jvmOptions);
    }

    /**
     * Stops one component, running or dead, and starts it again on its ports, waiting until it is ready; its log
     * goes on in the same file. {@code ./suite restart <component>} comes here through the supervisor.
     */
    public String restartComponent(String name) throws SuiteException {
        String line = restarts.restart(name, this::stop, log(name));
        step(name, line);
        return line;
    }

    /**
     * Starts another gateway instance, sharing the database, Redis and everything else with the first, on the
     * given ports, with {@code settings} (environment variables) on top; stop it with {@link #stop(String)} and its
     * name. Tests use it to hold two replicas to one quota, and to try short upstream timeouts.
     */
    public void startGatewayReplica(String instance, int httpPort, int managementPort, Map<String, String> settings)
            throws SuiteException {
        services.startReplica(ServiceSpec.GATEWAY, instance, httpPort, managementPort, settings);
    }

    /**
     * Starts another access-policy instance on the same database, on the given ports, with {@code settings}
     * (environment variables) on top; stop it with {@link #stop(String)} and its name. A gateway replica follows it
     * when started with {@code ACCESS_POLICY_URL} set to its address, so tests can show that a change made through
     * one access-policy replica reaches the gateways that follow another.
     */
    public void startAccessPolicyReplica(
            String instance, int httpPort, int managementPort, Map<String, String> settings) throws SuiteException {
        services.startReplica(ServiceSpec.POLICY, instance, httpPort, managementPort, settings);
    }

    private Path log(String component) {
        return processes.log(component);
    }

    private void step(String component, String message) {
        double seconds = (System.nanoTime() - startedAt) / 1e9;
        progress.accept(String.format("[%5.1fs] %-14s %s", seconds, component, message));
    }

    Path stateDirectory() {
        return settings.state();
    }

    Path rootDirectory() {
        return settings.root();
    }

    public Path logDirectory() {
        return processes.logDirectory();
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
    public void close() {
        processes.close();
    }
}
