package org.vettedaccess.ledger.verifier.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.Hashes;

/**
 * The witness over HTTP with the JDK's own server: {@code POST /add-checkpoint}, and {@code GET
 * /<hex SHA-256 of origin>/checkpoint} for monitors. A regulator runs it next to the verifier jar with nothing else
 * installed, which is why no framework: two routes do not need one.
 */
public final class WitnessServer implements AutoCloseable {

    private static final int MAX_BODY = 64 * 1024;

    private final HttpServer server;
    private final Witness witness;

    private WitnessServer(HttpServer server, Witness witness) {
        this.server = server;
        this.witness = witness;
    }

    public static WitnessServer start(String host, int port, Witness witness) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        WitnessServer started = new WitnessServer(server, witness);
        server.createContext("/", started::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        return started;
    }

    public Cosignature.Verifier verifier() {
        return witness.verifier();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/add-checkpoint")) {
                if (!exchange.getRequestMethod().equals("POST")) {
                    send(exchange, new Witness.Answer(405, "text/plain", "POST only\n"));
                    return;
                }
                byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
                if (body.length > MAX_BODY) {
                    send(exchange, new Witness.Answer(413, "text/plain", "too large\n"));
                    return;
                }
                send(exchange, witness.addCheckpoint(new String(body, StandardCharsets.UTF_8)));
                return;
            }
            String[] parts = path.split("/");
            if (exchange.getRequestMethod().equals("GET") && parts.length == 3 && parts[2].equals("checkpoint")) {
                String found = witness.latestCosignedByHash(parts[1]);
                send(
                        exchange,
                        found == null
                                ? new Witness.Answer(404, "text/plain", "never cosigned that log\n")
                                : new Witness.Answer(200, "text/plain; charset=utf-8", found));
                return;
            }
            send(exchange, new Witness.Answer(404, "text/plain", "not found\n"));
        } catch (RuntimeException e) {
            send(exchange, new Witness.Answer(500, "text/plain", "the witness failed: " + e.getMessage() + "\n"));
        }
    }

    static String originHash(String origin) {
        return HexFormat.of().formatHex(Hashes.sha256(origin.getBytes(StandardCharsets.UTF_8)));
    }

    private static void send(HttpExchange exchange, Witness.Answer answer) throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
