package org.vettedaccess.gateway.upstream;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.vettedaccess.gateway.config.GatewayConfig;

/** A route to a model server on localhost and the upstream settings, as the route tests configure them. */
final class TestRoutes {

    private TestRoutes() {}

    /** Starts {@code server} on a free port of localhost; its port. */
    static int listen(HttpServer server) throws Exception {
        return server.listen(0, "localhost")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    static void close(Vertx... instances) throws Exception {
        for (Vertx vertx : instances) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static GatewayConfig.Route route(int port) {
        URI base = URI.create("http://localhost:" + port + "/v1");
        return new GatewayConfig.Route() {
            @Override
            public URI baseUrl() {
                return base;
            }

            @Override
            public Optional<String> apiKey() {
                return Optional.empty();
            }

            @Override
            public int maxConcurrent() {
                return 8;
            }

            @Override
            public String provider() {
                return "openai";
            }
        };
    }

    static GatewayConfig.Upstream upstream() {
        return new GatewayConfig.Upstream() {
            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration firstByteTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration idleTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public int maxRetries() {
                return 2;
            }

            @Override
            public int breakerVolume() {
                return 10;
            }

            @Override
            public double breakerFailureRatio() {
                return 0.5;
            }

            @Override
            public Duration breakerDelay() {
                return Duration.ofSeconds(5);
            }

            @Override
            public long maxBodyBytes() {
                return 1 << 20;
            }
        };
    }
}
