package org.vettedaccess.suite;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts one instance of one of the suite's Quarkus applications (a service, the simulated upstream, or an extra
 * replica of a service) from its packaged jar, with the environment that connects it to the rest of the running
 * suite: Keycloak, its database, Redis, the mail sink and the other services.
 */
final class ServiceLauncher {

    static final Duration SERVICE_START = Duration.ofMinutes(2);
    /** The realm's demo incident triagers and policy admins (paula, pete), as access-policy's mail recipients. */
    static final String STAFF_NOTICES = "paula@lab-example.com,pete@lab-example.com";

    private final LocalSuite suite;
    private final Map<String, Path> jars;
    // One per suite, shared by gateway replicas, so a sign-in started on one can finish on another.
    private final String portalStateSecret = java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID();

    ServiceLauncher(LocalSuite suite, Map<String, Path> jars) {
        this.suite = suite;
        this.jars = jars;
    }

    /** The packaged jar of every application, or a clear line saying which is not built. */
    static Map<String, Path> builtJars(Path root) throws SuiteException {
        Map<String, Path> jars = new HashMap<>();
        for (ServiceSpec service : ServiceSpec.ALL) {
            Path jar = root.resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new SuiteException(service.name() + " is not built (" + jar
                        + " is missing): ./suite up builds it, or run ./mvnw package -DskipTests");
            }
            jars.put(service.name(), jar);
        }
        return jars;
    }

    /** The JVM options a service runs with unless it is started with others. */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms32m", "-Xmx384m");

    /** Starts {@code instance} of {@code service} on the given ports, with {@code extra} environment on top. */
    ChildProcess start(
            ServiceSpec service, String instance, int httpPort, int managementPort, Map<String, String> extra)
            throws SuiteException {
        return start(service, instance, httpPort, managementPort, extra, DEFAULT_JVM_OPTIONS);
    }

    /**
     * Starts {@code instance} of {@code service} as above, with {@code jvmOptions} (say {@code -Xmx256m}) in place of
     * {@link #DEFAULT_JVM_OPTIONS}.
     */
    ChildProcess start(
            ServiceSpec service,
            String instance,
            int httpPort,
            int managementPort,
            Map<String, String> extra,
            List<String> jvmOptions)
            throws SuiteException {
        Map<String, String> environment = environment(service, httpPort, managementPort);
        environment.putAll(extra);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jars.get(service.name()).toString()));
        return suite.launch(instance, command, environment);
    }

    /**
     * Starts another instance of a service beside the first (sharing its database, Redis and everything else) on
     * the given ports, with {@code extra} environment on top, and waits until it is ready; tests use replicas to
     * hold two gateways to one quota, or to run one with settings of its own.
     */
    void startReplica(ServiceSpec service, String instance, int httpPort, int managementPort, Map<String, String> extra)
            throws SuiteException {
        awaitReady(start(service, instance, httpPort, managementPort, extra), managementPort);
    }

    /** Waits until the instance on {@code managementPort} reports ready. */
    static void awaitReady(ChildProcess process, int managementPort) throws SuiteException {
        process.awaitHttpOk(URI.create("http://localhost:" + managementPort + "/q/health/ready"), SERVICE_START);
    }

    private Map<String, String> environment(ServiceSpec service, int httpPort, int managementPort)
            throws SuiteException {
        Map<String, String> environment = new HashMap<>();
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        environment.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        environment.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        environment.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
        environment.put("QUARKUS_OIDC_AUTH_SERVER_URL", suite.realmUrl());
        SuiteDatabase database = suite.database();
        service.database().ifPresent(name -> {
            environment.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(name));
            environment.put("QUARKUS_DATASOURCE_USERNAME", database.user());
            environment.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        });
        if (service.database().isPresent()) {
            // Calls between services: each uses its own client's service account, and finds the others here.
            environment.put("OIDC_CLIENT_SECRET", service.name() + "-demo-secret");
            environment.put("LEDGER_URL", suite.serviceUrl(ServiceSpec.LEDGER.name()));
            environment.put("ACCESS_POLICY_URL", suite.serviceUrl(ServiceSpec.POLICY.name()));
            environment.put("KYC_URL", suite.serviceUrl(ServiceSpec.KYC.name()));
        }
        if (service.equals(ServiceSpec.LEDGER)) {
            environment.putAll(LedgerSecrets.environment(suite.stateDirectory().resolve("secrets"), database));
            // The witness a regulator would run; the ledger submits every checkpoint to it.
            environment.putAll(suite.witness().ledgerEnvironment());
        }
        if (service.equals(ServiceSpec.KYC)) {
            // The sanctions lists as files, so that a lab (or a test) can update them and see them reloaded.
            environment.put("KYC_SANCTIONS_FILES", sanctionsFiles());
            mailSink(environment);
        }
        if (service.equals(ServiceSpec.POLICY)) {
            // Staff notices (issue 21) go to the demo triagers and admins, paula and pete (both hold both roles).
            mailSink(environment);
            environment.put("POLICY_NOTIFY_TRIAGERS", STAFF_NOTICES);
            environment.put("POLICY_NOTIFY_ADMINS", STAFF_NOTICES);
        }
        if (service.equals(ServiceSpec.POLICY) && suite.freshData()) {
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
            environment.put("KEYCLOAK_URL", suite.keycloakUrl());
            // Quota counters shared through Redis, as replicas in production share them.
            environment.put("GATEWAY_QUOTA_STORE", "redis");
            // Every local caller (each end-to-end test, the fuzzing) comes from 127.0.0.1, so the per-client limit
            // on failed authentications would refuse them all; a test starts a replica with a low limit instead.
            environment.put("GATEWAY_FAILED_AUTH_LIMIT", "1000000");
            environment.put("REDIS_URL", suite.redisUrl());
            environment.put("UPSTREAM_SIM_URL", suite.serviceUrl(ServiceSpec.UPSTREAM.name()) + "/v1");
            // The portal: its Keycloak client's demo secret, and a state secret for its PKCE sign-ins.
            environment.put("PORTAL_CLIENT_SECRET", "portal-demo-secret");
            environment.put("PORTAL_STATE_SECRET", portalStateSecret);
            environment.put("GATEWAY_PUBLIC_URL", "http://localhost:" + httpPort);
            // Keyed scope tags on usage leaves (ADR 0046), under the documented demo key.
            environment.put("GATEWAY_SCOPE_TAGS_KEY", LocalSuite.SCOPE_TAGS_DEMO_KEY);
        }
        return environment;
    }

    /** Mail goes to the suite's own SMTP server (plain, no login: it is on loopback only). */
    private void mailSink(Map<String, String> environment) {
        environment.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        environment.put("QUARKUS_MAILER_PORT", String.valueOf(suite.mailbox().port()));
        environment.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        // One connection per mail, and a fixed EHLO name (no reverse DNS lookup of the machine's name per mail). The
        // mail that hung for the whole 10 s timeout about one time in 25 was kyc-service's mail client losing this
        // sink's greeting (it greets at once on loopback) while it handed a new connection between threads; fixed for
        // kyc-service and access-policy by service-support's EventLoopMailer, which starts every send on an event loop.
        environment.put("QUARKUS_MAILER_KEEP_ALIVE", "false");
        environment.put("QUARKUS_MAILER_OWN_HOST_NAME", "localhost");
    }

    /** Copies of kyc-service's bundled sanctions fixtures, made fresh at each start. */
    private String sanctionsFiles() throws SuiteException {
        Path directory = suite.sanctionsDirectory();
        Path fixtures = suite.rootDirectory().resolve("kyc-service/src/main/resources/sanctions");
        try {
            Files.createDirectories(directory);
            for (String file : List.of("targets.simple.csv", "sdn.csv", "alt.csv")) {
                Files.copy(fixtures.resolve(file), directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SuiteException("cannot prepare the sanctions lists in " + directory + ": " + e.getMessage(), e);
        }
        return directory.resolve("targets.simple.csv") + "," + directory.resolve("sdn.csv");
    }
}
