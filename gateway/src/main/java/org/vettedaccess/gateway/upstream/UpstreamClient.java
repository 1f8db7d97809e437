package org.vettedaccess.gateway.upstream;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Singleton;
import java.net.ConnectException;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.config.GatewayConfig;

/**
 * Calls the upstream model servers. Each route has its own connection pool, circuit breaker and bulkhead, so one
 * failing model server never stops the others. The guard (SmallRye Fault Tolerance, built per route because routes
 * are data) covers opening a call up to its first byte: retries only for failures where the upstream cannot have
 * started (no connection, 502/503), and the breaker; each attempt's first-byte timeout is a Vert.x timer of its own. Nothing is retried once a byte has arrived. The
 * bulkhead is a semaphore held for the whole call, streams included, which an annotation cannot span.
 */
@Singleton
public class UpstreamClient {

    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);

    private final Map<String, Route> routes = new HashMap<>();
    private final GatewayConfig config;

    public UpstreamClient(Vertx vertx, GatewayConfig config) {
        this.config = config;
        config.routes().forEach((name, route) -> routes.put(name, new Route(name, route, vertx, config.upstream())));
    }

    /** An opened call: the request (to cancel it) and the response, paused until the caller reads it. */
    public record Exchange(HttpClientRequest request, HttpClientResponse response) {}

    /** What the attempts of one call got, so a call that reached the model is recorded even if a later try fails. */
    public static final class Attempts {
        private volatile int answered;
        private volatile int lastStatus;

        /** Counts an attempt that got an answer with {@code status}. */
        public void answered(int status) {
            answered++;
            lastStatus = status;
        }

        /** Whether any attempt reached the model server and got an answer. */
        public boolean reachedUpstream() {
            return answered > 0;
        }

        public int lastStatus() {
            return lastStatus;
        }
    }

    /** The bulkhead is full. */
    public static final class Busy extends RuntimeException {
        public Busy(String route) {
            super("route " + route + " has no free capacity");
        }
    }

    public Optional<Route> route(String name) {
        return Optional.ofNullable(routes.get(name));
    }

    /** Vert.x reports its idle timeout with its own exception type; both it and the JDK's count as timeouts. */
    public static boolean isTimeout(Throwable failure) {
        return failure instanceof TimeoutException
                || failure instanceof UpstreamFailure.TimedOut
                || failure.getClass().getSimpleName().contains("Timeout");
    }

    @PreDestroy
    void close() {
        routes.values().forEach(Route::close);
    }

    /** One upstream. */
    public static final class Route implements UpstreamRoute {
        private final String name;
        private final URI base;
        private final Optional<String> apiKey;
        private final HttpClientOptions clientOptions;
        /**
         * One client per event loop. A pooled connection lives on the event loop that opened it, and one pool shared
         * by all loops hands a call on loop A a connection of loop B: each write then crosses to B and each answer
         * back to A, two thread hand-offs and wake-ups per call. With a client per loop, the connections a call gets
         * are its own loop's (ADR 0088).
         */
        private final Map<Object, HttpClient> clients = new ConcurrentHashMap<>();

        private final Semaphore bulkhead;
        private final TypedGuard<CompletionStage<Exchange>> guard;
        private final GatewayConfig.Upstream settings;
        private final Vertx vertx;
        private final int port;
        /** The base URL's path without a trailing slash, e.g. {@code /v1}. */
        private final String basePath;

        private final String authorization;
        private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;

        Route(String name, GatewayConfig.Route route, Vertx vertx, GatewayConfig.Upstream settings) {
            this.name = name;
            this.base = route.baseUrl();
            this.apiKey = route.apiKey().filter(k -> !k.isBlank());
            this.settings = settings;
            this.vertx = vertx;
            this.port = base.getPort() > 0 ? base.getPort() : ("https".equalsIgnoreCase(base.getScheme()) ? 443 : 80);
            String path = base.getRawPath() == null ? "" : base.getRawPath();
            this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            this.authorization = apiKey.map(key -> "Bearer " + key).orElse(null);
            boolean tls = "https".equalsIgnoreCase(base.getScheme());
            this.clientOptions = new HttpClientOptions()
                    .setSsl(tls)
                    .setConnectTimeout((int) settings.connectTimeout().toMillis())
                    .setKeepAlive(true)
                    .setMaxPoolSize(route.maxConcurrent())
                    .setMaxWaitQueueSize(route.maxConcurrent())
                    // Quarkus' Vert.x tracer makes each attempt a client span of the request's trace and sends its
                    // traceparent (docs/adr/0085); PROPAGATE, Vert.x's default, named because the trace depends on it.
                    .setTracingPolicy(TracingPolicy.PROPAGATE);
            this.bulkhead = new Semaphore(route.maxConcurrent());
            this.guard = TypedGuard.create(new TypeLiteral<CompletionStage<Exchange>>() {})
                    .withDescription("upstream route " + name)
                    .withThreadOffload(false)
                    .withRetry()
                    .maxRetries(settings.maxRetries())
                    .delay(50, ChronoUnit.MILLIS)
                    .jitter(25, ChronoUnit.MILLIS)
                    .retryOn(List.of(UpstreamFailure.NotStarted.class))
                    .done()
                    .withCircuitBreaker()
                    .name("upstream-" + name)
                    .requestVolumeThreshold(settings.breakerVolume())
                    .failureRatio(settings.breakerFailureRatio())
                    .delay(settings.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    .onStateChange(next -> {
                        state = next;
                        LOG.infof("upstream route %s: circuit breaker %s", name, next);
                    })
                    .done()
                    // No timeout stage: each attempt has its own first-byte timer (below), of the same length, which
                    // the breaker counts as a failure like any other; a second timer per call only cost CPU.
                    .build();
        }

        /** The client of the calling thread's event loop (one shared by callers on no event loop). */
        private HttpClient client() {
            Context context = Vertx.currentContext();
            Object loop = context instanceof ContextInternal internal ? internal.nettyEventLoop() : this;
            HttpClient client = clients.get(loop);
            return client != null ? client : clients.computeIfAbsent(loop, l -> vertx.createHttpClient(clientOptions));
        }

        void close() {
            clients.values().forEach(HttpClient::close);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public CircuitBreakerState breakerState() {
            return state;
        }

        @Override
        public void acquire() {
            if (!bulkhead.tryAcquire()) {
                throw new Busy(name);
            }
        }

        @Override
        public void release() {
            bulkhead.release();
        }

        @Override
        public CompletionStage<Exchange> open(String path, Buffer body, Attempts attempts) {
            AtomicReference<HttpClientRequest> attempt = new AtomicReference<>();
            CompletionStage<Exchange> opened;
            try {
                opened = guard.call(() -> attempt(path, body, attempt, attempts));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
            return opened.whenComplete((exchange, failure) -> {
                HttpClientRequest request = attempt.get();
                if (failure != null && request != null) {
                    // A timed-out attempt may still be waiting: cancel it so the upstream stops working on it.
                    request.reset();
                }
            });
        }

        private CompletionStage<Exchange> attempt(
                String path, Buffer body, AtomicReference<HttpClientRequest> attempt, Attempts attempts) {
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setHost(base.getHost())
                    .setPort(port)
                    .setURI(basePath + path)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Accept", "application/json, text/event-stream");
            if (authorization != null) {
                options.putHeader("Authorization", authorization);
            }
            CompletableFuture<Exchange> result = new CompletableFuture<>();
            // The first-byte timeout is a timer of our own: Vert.x's idle timeout reports as a closed connection.
            long timer = vertx.setTimer(
                    settings.connectTimeout().plus(settings.firstByteTimeout()).toMillis(), t -> {
                        if (result.completeExceptionally(new UpstreamFailure.TimedOut(
                                "route " + name + " sent no first byte within " + settings.firstByteTimeout()))) {
                            HttpClientRequest request = attempt.get();
                            if (request != null) {
                                request.reset();
                            }
                        }
                    });
            result.whenComplete((exchange, failure) -> vertx.cancelTimer(timer));
            Future<HttpClientRequest> connected = client().request(options);
            connected.onFailure(e -> result.completeExceptionally(
                    new UpstreamFailure.NotStarted(0, null, "cannot connect to route " + name + ": " + e)));
            connected.onSuccess(request -> {
                attempt.set(request);
                request.send(body).onComplete(sent -> {
                    if (sent.failed()) {
                        Throwable cause = sent.cause();
                        result.completeExceptionally(
                                cause instanceof ConnectException
                                        ? new UpstreamFailure.NotStarted(0, null, cause.toString())
                                        : isTimeout(cause)
                                                ? new UpstreamFailure.TimedOut("route " + name + ": " + cause)
                                                : new UpstreamFailure(0, null, "route " + name + " failed: " + cause));
                        return;
                    }
                    HttpClientResponse response = sent.result();
                    attempts.answered(response.statusCode());
                    if (response.statusCode() >= 500) {
                        int status = response.statusCode();
                        response.body().onComplete(read -> {
                            String text = read.succeeded() ? read.result().toString() : "";
                            String message = "route " + name + " answered " + status;
                            result.completeExceptionally(
                                    status == 502 || status == 503
                                            ? new UpstreamFailure.NotStarted(status, text, message)
                                            : new UpstreamFailure(status, text, message));
                        });
                        return;
                    }
                    // Held until the caller has set its handlers, so no chunk is lost in between. (The caller
                    // times the silence between chunks itself: a request's idle timeout in Vert.x outlives the
                    // request on its pooled connection.)
                    response.pause();
                    result.complete(new Exchange(request, response));
                });
            });
            return result;
        }
    }
}
