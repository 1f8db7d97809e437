package org.vettedaccess.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The real {@code ./suite} script, as an on-call engineer runs it, on a second suite of its own (its own state
 * directory, {@code SUITE_PORTS=free}) beside the one the other end-to-end tests share. Maven's local repository is
 * set elsewhere in a settings.xml ({@code MAVEN_ARGS=-s ...}, a path that links to the real repository) and
 * {@code HOME} points at an empty directory, so the script finds Keycloak only by asking Maven. Then
 * {@code ./suite status}, {@code ./suite restart usage-ledger} on the running suite, and {@code ./suite logs} with
 * two components.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SuiteScriptTest {

    private static final Path ROOT = Path.of(System.getProperty("suite.root")).toAbsolutePath();
    private static final Path WORK = Path.of(System.getProperty("suite.state"))
            .resolveSibling("suite-script")
            .toAbsolutePath();
    private static final Path STATE = WORK.resolve("state");
    private static final List<String> MODULES = List.of(
            "ledger-core",
            "ledger-verifier",
            "service-support",
            "upstream-sim",
            "usage-ledger",
            "access-policy",
            "kyc-service",
            "gateway",
            "local-suite");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static Map<String, String> environment;

    @BeforeAll
    static void aMavenRepositoryElsewhere() throws IOException {
        deleteTree(WORK);
        Path home = Files.createDirectories(WORK.resolve("home"));
        Path elsewhere = Files.createSymbolicLink(
                WORK.resolve("maven-repository-elsewhere"), Path.of(System.getProperty("suite.maven-repo")));
        Path settings = WORK.resolve("settings.xml");
        Files.writeString(settings, "<settings><localRepository>" + elsewhere + "</localRepository></settings>\n");
        // The reactor that runs this test has just built every module: stamps say so, so ./suite up builds nothing.
        Files.createDirectories(STATE.resolve("stamps"));
        for (String module : MODULES) {
            Files.writeString(STATE.resolve("stamps").resolve(module), "");
        }
        environment = new HashMap<>();
        environment.put("SUITE_STATE", STATE.toString());
        environment.put("SUITE_PORTS", "free");
        environment.put("MAVEN_ARGS", "-s " + settings);
        environment.put("HOME", home.toString());
        // The wrapper's own Maven distribution stays where it is (it is not what this test is about).
        environment.put(
                "MAVEN_USER_HOME",
                System.getenv().getOrDefault("MAVEN_USER_HOME", System.getProperty("user.home") + "/.m2"));
    }

    @AfterAll
    static void down() throws Exception {
        run(Duration.ofMinutes(2), "down");
    }

    @Test
    @Order(1)
    void upFindsKeycloakThroughMavensOwnSettingOfTheLocalRepository() throws Exception {
        Result up = run(Duration.ofMinutes(5), "up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("maven: asking for the local repository"), up.output());
        assertTrue(up.output().contains("The suite is up."), up.output());
        assertTrue(up.output().contains("build: up to date"), "nothing to build, as the stamps say:\n" + up.output());
    }

    @Test
    @Order(2)
    void statusShowsUptimeAndTheLedgersLastCheckpoint() throws Exception {
        Result status = run(Duration.ofMinutes(1), "status");
        assertEquals(0, status.exit(), status.output());
        for (String component : List.of("postgres", "redis", "keycloak", "usage-ledger", "gateway")) {
            assertTrue(
                    status.output()
                            .lines()
                            .anyMatch(l -> l.matches(component + " +UP +[0-9]+(s|m[0-9]{2}s|h[0-9]{2}m) .*")),
                    component + " with its uptime:\n" + status.output());
        }
        assertTrue(
                status.output().contains("ledger         tree size ")
                        || status.output().contains("ledger         no checkpoint signed yet"),
                status.output());
    }

    @Test
    @Order(3)
    void restartingTheLedgerOnTheRunningSuiteKeepsItsLog() throws Exception {
        Path log = STATE.resolve("logs/usage-ledger.log");
        String before = Files.readString(log);
        assertTrue(before.contains("started in"), "the ledger's first start is in its log:\n" + before);
        long firstPid = pid("usage-ledger");

        Result restart = run(Duration.ofMinutes(3), "restart", "usage-ledger");
        assertEquals(0, restart.exit(), restart.output());
        assertTrue(restart.output().contains("usage-ledger ready at"), restart.output());

        assertTrue(pid("usage-ledger") != firstPid, "a new process");
        assertEquals(200, ready("usage-ledger"), "the ledger answers again");
        String after = Files.readString(log);
        assertTrue(after.startsWith(before), "the log before the restart is intact");
        String added = after.substring(before.length());
        assertTrue(added.contains("---- ./suite restart usage-ledger at "), added);
        assertTrue(added.contains("started in"), "the second start is appended:\n" + added);

        Result unknown = run(Duration.ofMinutes(1), "restart", "no-such-thing");
        assertTrue(unknown.exit() != 0 && unknown.output().contains("usage-ledger"), unknown.output());
    }

    @Test
    @Order(4)
    void logsFollowsSeveralComponents() throws Exception {
        Result logs = run(Duration.ofSeconds(4), "logs", "usage-ledger", "gateway");
        assertTrue(logs.output().contains("usage-ledger.log <=="), logs.output());
        assertTrue(logs.output().contains("gateway.log <=="), logs.output());
        Result wrong = run(Duration.ofSeconds(10), "logs", "gateway", "nonsense");
        assertTrue(wrong.exit() != 0 && wrong.output().contains("no component nonsense"), wrong.output());
    }

    private static long pid(String component) throws IOException {
        return Long.parseLong(
                Files.readString(STATE.resolve("pids/" + component + ".pid")).split(" ")[0]);
    }

    private static int ready(String service) throws Exception {
        Properties ports = new Properties();
        try (var in = Files.newBufferedReader(STATE.resolve("ports.properties"))) {
            ports.load(in);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        "http://localhost:" + ports.getProperty("management." + service) + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private record Result(int exit, String output) {}

    /** Runs {@code ./suite <args>}; a command still running at {@code timeout} (logs -F) is stopped there. */
    private static Result run(Duration timeout, String... args) throws Exception {
        List<String> command =
                new java.util.ArrayList<>(List.of(ROOT.resolve("suite").toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(WORK, "suite-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return new Result(finished ? process.exitValue() : -1, Files.readString(output, StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
