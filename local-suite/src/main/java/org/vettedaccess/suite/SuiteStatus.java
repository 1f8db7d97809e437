package org.vettedaccess.suite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./suite status [--state DIR]}: one line per component, from its health endpoint, with how long its process
 * has been up; then the ledger's tree size at its last signed checkpoint, and when that was signed.
 */
public final class SuiteStatus {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SuiteStatus() {}

    public static void main(String[] args) throws IOException {
        Path state = Path.of(args.length == 2 && args[0].equals("--state") ? args[1] : ".suite");
        SuitePorts ports = SuitePorts.load(state.resolve("ports.properties"));
        System.out.printf("%-14s %-6s %-10s %s%n", "component", "state", "up", "address");
        line(
                "postgres",
                "127.0.0.1:" + ports.postgres(),
                listening(ports.postgres()) ? "UP" : "DOWN",
                postgresUp(state));
        line(
                "redis",
                "127.0.0.1:" + ports.redis(),
                RedisServer.ping("127.0.0.1", ports.redis()) ? "UP" : "DOWN",
                uptime(state, "redis"));
        String keycloak = KeycloakServer.url(ports);
        line("keycloak", keycloak, http(keycloak + "/realms/" + KeycloakServer.REALM), uptime(state, "keycloak"));
        for (ServiceSpec service : ServiceSpec.ALL) {
            line(
                    service.name(),
                    "http://localhost:" + ports.http().get(service.name()),
                    http("http://localhost:" + ports.management().get(service.name()) + "/q/health/ready"),
                    uptime(state, service.name()));
        }
        System.out.println();
        System.out.println("ledger         "
                + ledger(keycloak, "http://localhost:" + ports.http().get("usage-ledger")));
    }

    private static void line(String component, String url, String state, Optional<Instant> started) {
        System.out.printf(
                "%-14s %-6s %-10s %s%n",
                component, state, started.map(SuiteStatus::since).orElse("-"), url);
    }

    /** "3h12m", "4m05s" or "12s" since {@code instant}. */
    static String since(Instant instant) {
        long seconds = Math.max(0, Duration.between(instant, Instant.now()).toSeconds());
        if (seconds >= 3600) {
            return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return seconds >= 60 ? String.format("%dm%02ds", seconds / 60, seconds % 60) : seconds + "s";
    }

    /** When the recorded process of a component started (its pid file, kept by the supervisor). */
    private static Optional<Instant> uptime(Path state, String component) {
        Path file = state.resolve("pids").resolve(component + ".pid");
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String[] fields = Files.readString(file).strip().split(" ", 2);
            return ProcessHandle.of(Long.parseLong(fields[0]))
                    .filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().startInstant());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The embedded PostgreSQL's postmaster (its pid is the first line of postmaster.pid). */
    private static Optional<Instant> postgresUp(Path state) {
        try {
            Path file = state.resolve("data/postgres/postmaster.pid");
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(file).get(0).strip());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .flatMap(p -> p.info().startInstant());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The latest checkpoint's tree size, root and signing time, read as the gateway's service account (the local
     * demo secret; this tool is for the local suite only).
     */
    static String ledger(String keycloak, String ledger) {
        try {
            String form = "grant_type=client_credentials&client_id=gateway&client_secret="
                    + URLEncoder.encode("gateway-demo-secret", StandardCharsets.UTF_8);
            HttpResponse<String> token = HTTP.send(
                    HttpRequest.newBuilder(URI.create(
                                    keycloak + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect/token"))
                            .timeout(Duration.ofSeconds(5))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher access =
                    Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(token.body());
            if (token.statusCode() != 200 || !access.find()) {
                return "? (no token from Keycloak: " + token.statusCode() + ")";
            }
            HttpResponse<String> note = get(ledger + "/api/v1/checkpoint", access.group(1));
            if (note.statusCode() == 404) {
                return "no checkpoint signed yet";
            }
            if (note.statusCode() != 200) {
                return "? (checkpoint: " + note.statusCode() + ")";
            }
            // A C2SP checkpoint: origin, tree size, root hash, then the signatures.
            List<String> lines = note.body().lines().toList();
            long size = Long.parseLong(lines.get(1).strip());
            HttpResponse<String> record =
                    get(ledger + "/api/v1/checkpoints?fromSize=" + size + "&limit=1", access.group(1));
            Matcher signed =
                    Pattern.compile("\"signedAt\"\\s*:\\s*\"([^\"]+)\"").matcher(record.body());
            String when =
                    signed.find() ? signed.group(1) + " (" + since(Instant.parse(signed.group(1))) + " ago)" : "?";
            return "tree size " + size + ", last checkpoint " + when + ", root "
                    + lines.get(2).strip();
        } catch (IOException | RuntimeException e) {
            return "? (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String http(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3))
                    .build();
            int status =
                    HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? "UP" : "DOWN";
        } catch (IOException e) {
            return "DOWN";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
