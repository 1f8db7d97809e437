package org.vettedaccess.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.quarkus.opentelemetry.runtime.QuarkusContextStorage;
import io.quarkus.opentelemetry.runtime.config.build.OTelBuildConfig;
import io.quarkus.opentelemetry.runtime.config.runtime.OTelRuntimeConfig;
import io.quarkus.opentelemetry.runtime.tracing.instrumentation.vertx.HttpInstrumenterVertxTracer;
import io.quarkus.opentelemetry.runtime.tracing.instrumentation.vertx.OpenTelemetryVertxTracer;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.tracing.TracingOptions;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream call as Quarkus traces it: the real {@link UpstreamClient.Route} on a Vert.x instance with Quarkus'
 * own Vert.x tracer (as the gateway's Vert.x has it), spans caught by an in-memory exporter. Each attempt is a
 * CLIENT span whose parent is the request's span current on the calling Vert.x context, and the model server sees
 * exactly one {@code traceparent}, naming that client span.
 */
class UpstreamTraceTest {

    private static final AtomicInteger ROUTES = new AtomicInteger();

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private OpenTelemetrySdk openTelemetry;
    private Vertx gateway;
    private Vertx model;
    /** Every traceparent header the model server received, one list per request. */
    private final List<List<String>> traceparents = new CopyOnWriteArrayList<>();

    private final AtomicInteger unavailableFirst = new AtomicInteger();
    private int port;

    @BeforeEach
    void start() throws Exception {
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        HttpInstrumenterVertxTracer http = new HttpInstrumenterVertxTracer(
                openTelemetry, defaults(OTelRuntimeConfig.class), defaults(OTelBuildConfig.class));
        gateway = Vertx.vertx(new VertxOptions()
                .setTracingOptions(
                        new TracingOptions().setFactory(options -> new OpenTelemetryVertxTracer(List.of(http)))));
        model = Vertx.vertx();
        HttpServer server = model.createHttpServer().requestHandler(request -> {
            traceparents.add(List.copyOf(request.headers().getAll("traceparent")));
            boolean fail = unavailableFirst.getAndDecrement() > 0;
            request.body()
                    .onSuccess(body -> request.response()
                            .setStatusCode(fail ? 503 : 200)
                            .putHeader("Content-Type", "application/json")
                            .end("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}"));
        });
        port = TestRoutes.listen(server);
    }

    @AfterEach
    void stop() throws Exception {
        TestRoutes.close(gateway, model);
        openTelemetry.close();
    }

    @Test
    void theUpstreamCallIsAClientSpanOfTheRequestsSpan() throws Exception {
        Span request = serverSpan();
        forward(request);

        SpanData client = onlyClientSpan();
        assertEquals(request.getSpanContext().getTraceId(), client.getTraceId());
        assertEquals(
                request.getSpanContext().getSpanId(), client.getParentSpanId(), "the request's span is its parent");
        assertEquals(List.of(List.of(header(client))), traceparents, "the model server saw the client span only");
    }

    @Test
    void aRetriedAttemptIsASecondClientSpanOfTheSameRequest() throws Exception {
        unavailableFirst.set(1);
        Span request = serverSpan();
        forward(request);

        List<SpanData> clients = clientSpans();
        assertEquals(2, clients.size(), "one span per attempt: " + clients);
        for (SpanData client : clients) {
            assertEquals(request.getSpanContext().getSpanId(), client.getParentSpanId());
        }
        assertEquals(2, traceparents.size());
        assertTrue(
                traceparents.stream().allMatch(seen -> seen.size() == 1),
                "one traceparent per attempt: " + traceparents);
    }

    /** What {@code Relay.forward} does on the request's duplicated context, where Quarkus keeps its span. */
    private void forward(Span request) throws Exception {
        UpstreamClient.Route route = new UpstreamClient.Route(
                // Breakers are named per JVM: a route of its own per test.
                "sim-" + ROUTES.incrementAndGet(), TestRoutes.route(port), gateway, TestRoutes.upstream());
        Context context = VertxContext.getOrCreateDuplicatedContext(gateway);
        CompletableFuture<String> answered = new CompletableFuture<>();
        context.runOnContext(v -> {
            Scope scope = QuarkusContextStorage.INSTANCE.attach(
                    context, io.opentelemetry.context.Context.root().with(request));
            route.open("/chat/completions", Buffer.buffer("{}"), new UpstreamClient.Attempts())
                    .whenComplete((exchange, failure) -> {
                        scope.close();
                        if (failure != null) {
                            answered.completeExceptionally(failure);
                            return;
                        }
                        exchange.response().body().onComplete(read -> {
                            if (read.failed()) {
                                answered.completeExceptionally(read.cause());
                            } else {
                                answered.complete(read.result().toString());
                            }
                        });
                        exchange.response().resume();
                    });
        });
        answered.get(10, TimeUnit.SECONDS);
        request.end();
    }

    private Span serverSpan() {
        return openTelemetry
                .getTracer("test")
                .spanBuilder("POST /v1/chat/completions")
                .setSpanKind(SpanKind.SERVER)
                .startSpan();
    }

    private SpanData onlyClientSpan() throws InterruptedException {
        List<SpanData> clients = clientSpans();
        assertEquals(1, clients.size(), "one client span: " + clients);
        return clients.get(0);
    }

    /** The finished CLIENT spans, once the response's end has ended them. */
    private List<SpanData> clientSpans() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<SpanData> clients;
        do {
            clients = spans.getFinishedSpanItems().stream()
                    .filter(span -> span.getKind() == SpanKind.CLIENT)
                    .toList();
            if (clients.size() >= 1 + unavailableFirst.get() + 1 || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(20);
        } while (true);
        return clients;
    }

    private static String header(SpanData span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-01";
    }

    /** A Quarkus config mapping with every value at its type's default (off, empty): what the tracer reads of it. */
    @SuppressWarnings("unchecked")
    private static <T> T defaults(Class<T> type) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Class<?> returns = method.getReturnType();
            if (returns == boolean.class) {
                return false;
            }
            if (returns == Optional.class) {
                return Optional.empty();
            }
            if (returns == List.class) {
                return List.of();
            }
            if (returns.isInterface()) {
                return defaults(returns);
            }
            return null;
        });
    }
}
