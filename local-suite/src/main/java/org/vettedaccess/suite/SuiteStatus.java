package org.vettedaccess.suite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code ./suite status}: one line per component, from its health endpoint. */
public final class SuiteStatus {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SuiteStatus() {}

    public static void main(String[] args) {
        SuitePorts ports = SuitePorts.defaults();
        line("postgres", "127.0.0.1:" + ports.postgres(), listening(ports.postgres()) ? "UP" : "DOWN");
        line("redis", "127.0.0.1:" + ports.redis(), RedisServer.ping("127.0.0.1", ports.redis()) ? "UP" : "DOWN");
        String keycloak = KeycloakServer.url(ports);
        line("keycloak", keycloak, http(keycloak + "/realms/" + KeycloakServer.REALM));
        for (ServiceSpec service : ServiceSpec.ALL) {
            line(
                    service.name(),
                    "http://localhost:" + ports.http().get(service.name()),
                    http("http://localhost:" + ports.management().get(service.name()) + "/q/health/ready"));
        }
    }

    private static void line(String component, String url, String state) {
        System.out.printf("%-14s %-6s %s%n", component, state, url);
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
