package org.vettedaccess.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/**
 * The Kubernetes migration Jobs work as committed: each service's packaged jar, run with the environment its
 * {@code kubernetes/base/<service>/migration-job.yaml} sets, applies its migrations to an empty database and exits
 * 0; and the ledger then runs on that database as the append role with migrations off, as its Deployment does.
 */
@ExtendWith(RunningSuite.class)
class MigrationJobTest {

    private static final Path ROOT = Path.of(System.getProperty("suite.root"));
    private static final Pattern ENV =
            Pattern.compile("^\\s*- name: ([A-Z_]+)\\n\\s*(?:value: \"([^\"]*)\"|valueFrom:)", Pattern.MULTILINE);

    @Test
    void eachServiceMigratesWithItsJobsEnvironmentAndTheLedgerRunsWithoutMigrating(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        String database = "va_migrate_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = DriverManager.getConnection(
                suite.database().jdbcUrl("postgres"),
                suite.database().user(),
                suite.database().password())) {
            admin.createStatement().execute("CREATE DATABASE " + database);
        }
        String url = suite.database().jdbcUrl(database);
        for (String service : List.of("usage-ledger", "access-policy", "kyc-service", "gateway")) {
            Map<String, String> environment = jobEnvironment(
                    service,
                    Map.of(
                            "QUARKUS_DATASOURCE_JDBC_URL",
                            url,
                            // The suite's superuser stands for the owner role here (the embedded server trusts
                            // loopback).
                            "QUARKUS_DATASOURCE_USERNAME",
                            suite.database().user(),
                            "QUARKUS_DATASOURCE_PASSWORD",
                            suite.database().password(),
                            "LEDGER_APPENDER_PASSWORD",
                            "ledger-appender-demo"));
            assertEquals("true", environment.get("QUARKUS_INIT_AND_EXIT"), service);
            Path log = suite.logDirectory().resolve(service + "-migrate.log");
            Process job = start(service, environment, log);
            assertTrue(job.waitFor(3, TimeUnit.MINUTES), service + "'s migration did not exit; see " + log);
            assertEquals(0, job.exitValue(), service + "'s migration failed; see " + log);
            assertEquals(
                    migrations(service), applied(suite, database, schema(service)), service + ": migrations applied");
        }

        // The ledger as its Deployment runs it: the append role, migrate-at-start off, on the migrated schema.
        int http = SuitePorts.freePort();
        int management = SuitePorts.freePort();
        Map<String, String> runtime = new HashMap<>();
        runtime.put("QUARKUS_FLYWAY_MIGRATE_AT_START", "false");
        runtime.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        runtime.put("QUARKUS_HTTP_PORT", String.valueOf(http));
        runtime.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
        runtime.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(management));
        runtime.put("QUARKUS_OIDC_AUTH_SERVER_URL", suite.realmUrl());
        runtime.put("QUARKUS_DATASOURCE_JDBC_URL", url);
        runtime.put("QUARKUS_DATASOURCE_USERNAME", "ledger_appender");
        runtime.put("QUARKUS_DATASOURCE_PASSWORD", "ledger-appender-demo");
        runtime.put("LEDGER_APPENDER_PASSWORD", "ledger-appender-demo");
        runtime.put("LEDGER_PSEUDONYM_KEY", "bWlncmF0aW9uLWpvYi10ZXN0LXBzZXVkb255bS1rZXk=");
        runtime.put("LEDGER_ORIGIN", "migration-job-test.local/usage-ledger");
        Process ledger = start("usage-ledger", runtime, suite.logDirectory().resolve("usage-ledger-no-migrate.log"));
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            int ready = 0;
            while (ready != 200 && System.nanoTime() < deadline && ledger.isAlive()) {
                try {
                    ready = given().get("http://localhost:" + management + "/q/health/ready")
                            .statusCode();
                } catch (Exception notListening) { // rest-assured rethrows ConnectException unchecked
                    Thread.sleep(500);
                }
            }
            assertEquals(200, ready, "the ledger did not become ready with migrations off");
            // It reads its tables as the append role: no checkpoint yet is a 404 problem, not a 503.
            assertEquals(
                    404,
                    given().auth()
                            .oauth2(keycloak.userToken("greg"))
                            .get("http://localhost:" + http + "/api/v1/checkpoint")
                            .statusCode());
        } finally {
            ledger.destroy();
            if (!ledger.waitFor(20, TimeUnit.SECONDS)) {
                ledger.destroyForcibly();
            }
        }
    }

    /** The Job's env as committed: literal values as they are, references resolved from {@code resolved}. */
    private static Map<String, String> jobEnvironment(String service, Map<String, String> resolved)
            throws java.io.IOException {
        String yaml = Files.readString(
                ROOT.resolve("kubernetes/base").resolve(service).resolve("migration-job.yaml"));
        Map<String, String> environment = new HashMap<>();
        Matcher entry = ENV.matcher(yaml);
        while (entry.find()) {
            String name = entry.group(1);
            String value = entry.group(2) != null ? entry.group(2) : resolved.get(name);
            assertTrue(value != null, service + "'s Job takes " + name + " from somewhere this test does not know");
            environment.put(name, value);
        }
        return environment;
    }

    private static Process start(String service, Map<String, String> environment, Path log) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-jar",
                        ROOT.resolve(service)
                                .resolve("target/quarkus-app/quarkus-run.jar")
                                .toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Nothing of this JVM's environment leaks in: only what the manifest sets (and PATH).
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static String schema(String service) {
        return switch (service) {
            case "usage-ledger" -> "ledger";
            case "access-policy" -> "policy";
            case "kyc-service" -> "kyc";
            default -> "gateway";
        };
    }

    private static long migrations(String service) throws java.io.IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(service).resolve("src/main/resources/db/migration"))) {
            return files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .count();
        }
    }

    private static long applied(LocalSuite suite, String database, String schema) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        suite.database().jdbcUrl(database),
                        suite.database().user(),
                        suite.database().password());
                ResultSet row = connection
                        .createStatement()
                        .executeQuery("SELECT count(*) FROM " + schema
                                + ".flyway_schema_history WHERE success AND version IS NOT NULL")) {
            row.next();
            return row.getLong(1);
        }
    }
}
