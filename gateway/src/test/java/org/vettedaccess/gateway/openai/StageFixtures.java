package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.gateway.quota.Buckets;
import org.vettedaccess.gateway.quota.MemoryQuotaStore;
import org.vettedaccess.gateway.quota.QuotaStore;
import org.vettedaccess.gateway.quota.Reservation;
import org.vettedaccess.gateway.tripwire.CallFacts;
import org.vettedaccess.gateway.upstream.UpstreamClient;
import org.vettedaccess.gateway.upstream.UpstreamFailure;
import org.vettedaccess.gateway.upstream.UpstreamRoute;
import org.vettedaccess.gateway.usage.RecordRetries;
import org.vettedaccess.gateway.usage.RecordWriter;
import org.vettedaccess.gateway.usage.UsageRecord;

/**
 * What the stage tests share: a fake record writer and quota store that keep what they were asked, a fake upstream
 * (a real HTTP server on a free port, scripted per test) with a route to it, and a real HTTP server standing for
 * the gateway's /v1 route, so each stage runs on a Vert.x event loop as it does in the gateway.
 */
final class StageFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Buckets CAPS = new Buckets(60, 100_000, 20_000);
    static final int MAX_TOKENS = 4096;

    private StageFixtures() {}

    static Decision allow(Long tokenBudget, boolean failsClosed) {
        return new Decision(
                "ALLOW",
                List.of(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                7L,
                1,
                new Decision.Limits(60, 100_000, 20_000, tokenBudget, MAX_TOKENS),
                "sim",
                "v1",
                null,
                60_000,
                failsClosed);
    }

    /** An allow for a model of the given parameter family and Responses API mode. */
    static Decision allow(String family, String responsesApi) {
        Decision d = allow(null, true);
        return new Decision(
                d.decision(),
                d.reasons(),
                d.decisionId(),
                d.grantId(),
                d.grantLeaf(),
                d.tier(),
                d.limits(),
                d.upstreamRoute(),
                d.policyVersion(),
                d.grantExpiresAt(),
                d.ttlMillis(),
                d.failClosedOnLedgerOutage(),
                family,
                responsesApi);
    }

    static ModelCall chat(String extra) {
        return ModelCall.parse(
                Endpoint.CHAT,
                Buffer.buffer("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]" + extra
                        + "}"),
                JSON);
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The records a call asked for, in memory; each PENDING record answered as the test says. */
    static final class Records implements RecordWriter {
        record Opened(UUID id, Long budget, long reserve, String entry, CompletableFuture<Boolean> done) {}

        record Closed(UUID id, long inputTokens, long outputTokens, long charged, String entry) {}

        final BlockingQueue<Opened> opens = new LinkedBlockingQueue<>();
        final BlockingQueue<Closed> closes = new LinkedBlockingQueue<>();
        final BlockingQueue<UUID> withdrawn = new LinkedBlockingQueue<>();
        /** Whether each PENDING record commits at once (true) or waits for the test to complete it. */
        volatile boolean commitAtOnce = true;

        @Override
        public CompletableFuture<Boolean> openLater(
                UUID id, String subject, String model, UUID grantId, Long budget, long reserve, String entry) {
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            opens.add(new Opened(id, budget, reserve, entry, done));
            if (commitAtOnce) {
                // As the real writer does, on a thread of its own.
                CompletableFuture.runAsync(() -> done.complete(true));
            }
            return done;
        }

        @Override
        public CompletableFuture<Boolean> closeLater(
                UUID id, UUID grantId, long inputTokens, long outputTokens, long charged, String entry) {
            closes.add(new Closed(id, inputTokens, outputTokens, charged, entry));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void close(UUID id, UUID grantId, long inputTokens, long outputTokens, long charged, String entry) {
            closeLater(id, grantId, inputTokens, outputTokens, charged, entry);
        }

        @Override
        public void withdraw(UUID id, UUID grantId) {
            withdrawn.add(id);
        }
    }

    /** The memory store, keeping each settlement it was asked for. */
    static final class Quota implements QuotaStore {
        final MemoryQuotaStore store = new MemoryQuotaStore();
        final BlockingQueue<Buckets> reserved = new LinkedBlockingQueue<>();
        final BlockingQueue<Buckets> settled = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<Answer> reserve(String grant, Buckets limits, Buckets amounts) {
            reserved.add(amounts);
            return store.reserve(grant, limits, amounts);
        }

        @Override
        public CompletionStage<Void> settle(String grant, Buckets limits, Buckets refunds) {
            settled.add(refunds);
            return store.settle(grant, limits, refunds);
        }

        @Override
        public boolean ready() {
            return true;
        }
    }

    /** A route to the fake upstream, without retries or a breaker (the route's guard is not what these test). */
    static final class FakeRoute implements UpstreamRoute {
        final HttpClient client;
        final int port;
        final AtomicInteger slots;
        final AtomicInteger released = new AtomicInteger();
        final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        final BlockingQueue<String> paths = new LinkedBlockingQueue<>();

        FakeRoute(Vertx vertx, int port, int slots) {
            this.client = vertx.createHttpClient();
            this.port = port;
            this.slots = new AtomicInteger(slots);
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public CircuitBreakerState breakerState() {
            return CircuitBreakerState.CLOSED;
        }

        @Override
        public void acquire() {
            if (slots.decrementAndGet() < 0) {
                slots.incrementAndGet();
                throw new UpstreamClient.Busy("fake");
            }
        }

        @Override
        public void release() {
            released.incrementAndGet();
            slots.incrementAndGet();
        }

        @Override
        public CompletionStage<UpstreamClient.Exchange> open(
                String path, Buffer body, UpstreamClient.Attempts attempts) {
            bodies.add(body.toString());
            paths.add(path);
            CompletableFuture<UpstreamClient.Exchange> result = new CompletableFuture<>();
            client.request(new RequestOptions()
                            .setMethod(HttpMethod.POST)
                            .setHost("localhost")
                            .setPort(port)
                            .setURI("/v1" + path))
                    .onFailure(e -> result.completeExceptionally(new UpstreamFailure.NotStarted(0, null, e.toString())))
                    .onSuccess(request -> request.send(body).onComplete(sent -> {
                        if (sent.failed()) {
                            result.completeExceptionally(new UpstreamFailure.NotStarted(0, null, "send failed"));
                            return;
                        }
                        attempts.answered(sent.result().statusCode());
                        sent.result().pause();
                        result.complete(new UpstreamClient.Exchange(request, sent.result()));
                    }));
            return result;
        }
    }

    /** A server on a free port that hands each request to {@code handler}. */
    static HttpServer serve(Vertx vertx, Handler<HttpServerRequest> handler) throws Exception {
        return await(vertx.createHttpServer()
                .requestHandler(handler)
                .listen(0, "localhost")
                .toCompletionStage());
    }

    /** The stages, wired as the gateway wires them, over the fakes. */
    static final class Stages {
        final Vertx vertx;
        final Records records = new Records();
        final Quota quota = new Quota();
        final OpenAiResponses responses = new OpenAiResponses(JSON);
        final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        /** Runs each write once: the SmallRye guard needs the CDI container, and these writes never fail. */
        final RecordRetries once = new RecordRetries() {
            @Override
            public void untilWritten(String what, Write write) {
                try {
                    write.run();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        /** What the tripwires were told, one entry per settled call. */
        final List<CallFacts> counted = new CopyOnWriteArrayList<>();

        final Settlement settlement = new Settlement(quota, records, once, facts -> counted.add(facts));
        final GenAiMetrics genAi =
                new GenAiMetrics(metrics, name -> new GenAiMetrics.Server("openai", "localhost", "0"));
        final Relay relay;
        final AtomicBoolean ledgerDown = new AtomicBoolean();

        Stages(Vertx vertx, long idleMillis) {
            this.vertx = vertx;
            this.relay =
                    new Relay(settlement, genAi, responses, JSON, vertx, TimeUnit.MILLISECONDS.toNanos(idleMillis), 5);
        }

        /** A call admitted as {@link Admission} admits it: quota reserved, the route's slot taken. */
        AdmittedCall admitted(HttpServerResponse response, ModelCall call, Decision decision, UpstreamRoute route)
                throws Exception {
            int cap = call.requestedMaxTokens != null ? call.requestedMaxTokens : MAX_TOKENS;
            Reservation reservation =
                    new Reservation(CAPS, new Buckets(1, call.inputTokenEstimate, call.outputReservation(cap)));
            String grant = decision.grantId().toString();
            QuotaStore.Answer answer = await(quota.reserve(grant, CAPS, reservation.amounts()));
            route.acquire();
            UsageRecord record = new UsageRecord(
                    UUID.randomUUID(),
                    "subject-a",
                    null,
                    call.endpoint.path,
                    call.model,
                    decision,
                    Instant.now(),
                    "commitment",
                    null);
            Context context = vertx.getOrCreateContext();
            return new AdmittedCall(
                    response, context, call, decision, route, grant, reservation, answer, cap, record, "salt");
        }
    }

    /** Sends a request to {@code port} and reads the whole answer. */
    static CompletableFuture<Answer> call(Vertx vertx, int port) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        vertx.createHttpClient()
                .request(HttpMethod.POST, port, "localhost", "/v1/chat/completions")
                .compose(HttpClientRequest::send)
                .onSuccess(response -> response.body()
                        .onSuccess(body -> answer.complete(new Answer(
                                response.statusCode(), response.headers().get("x-request-id"), body.toString())))
                        .onFailure(answer::completeExceptionally))
                .onFailure(answer::completeExceptionally);
        return answer;
    }

    record Answer(int status, String requestId, String body) {}
}
