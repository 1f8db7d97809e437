package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.config.GatewayConfig;
import org.vettedaccess.gateway.policy.Decision;
import org.vettedaccess.gateway.policy.DecisionCache;
import org.vettedaccess.gateway.quota.QuotaStore;
import org.vettedaccess.gateway.quota.Reservation;
import org.vettedaccess.gateway.upstream.UpstreamClient;
import org.vettedaccess.gateway.upstream.UpstreamFailure;
import org.vettedaccess.gateway.usage.OutboxRelay;
import org.vettedaccess.gateway.usage.RecordWriter;
import org.vettedaccess.support.problem.ProblemException;

/**
 * One model call, in the order the invariants need: authenticate, decide, reserve quota, write the durable PENDING
 * record, forward, pass the answer through (chunk by chunk for streams), settle quota on the actual usage, and
 * complete the record for the ledger. Nothing is forwarded without an allow and a durable record; every forwarded
 * call ends with exactly one completed record, whatever happens to the client or the upstream.
 *
 * <p>Nothing blocks an event loop: with the key and the decision cached, admission runs on the request's event loop
 * (Redis asynchronously, the PENDING record through the record writer's group commit); a lookup that may block (a
 * key or decision not cached, an access token) runs on a virtual thread. Forwarding and streaming run on the
 * request's event loop.
 */
@ApplicationScoped
public class CallPipeline {

    private static final Logger LOG = Logger.getLogger(CallPipeline.class);

    private final CallAuthenticator authenticator;
    private final DecisionCache decisions;
    private final QuotaStore quota;
    private final RecordWriter outbox;
    private final OutboxRelay relay;
    private final UpstreamClient upstreams;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final io.vertx.core.Vertx vertx;
    private final io.opentelemetry.api.OpenTelemetry openTelemetry;
    private final OpenAiResponses responses;
    private final MeterRegistry metrics;
    private final org.vettedaccess.gateway.tripwire.UsageSignals usageSignals;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final SecureRandom random = new SecureRandom();
    private final Counter quotaRejections;
    /** Meters by kind and tags, so a call does not build and look up its meters in the registry each time. */
    private final java.util.concurrent.ConcurrentMap<List<String>, io.micrometer.core.instrument.Meter> meters =
            new java.util.concurrent.ConcurrentHashMap<>();

    CallPipeline(
            CallAuthenticator authenticator,
            DecisionCache decisions,
            QuotaStore quota,
            RecordWriter outbox,
            OutboxRelay relay,
            UpstreamClient upstreams,
            GatewayConfig config,
            ObjectMapper json,
            io.vertx.core.Vertx vertx,
            io.opentelemetry.api.OpenTelemetry openTelemetry,
            OpenAiResponses responses,
            MeterRegistry metrics,
            org.vettedaccess.gateway.tripwire.UsageSignals usageSignals) {
        this.usageSignals = usageSignals;
        this.authenticator = authenticator;
        this.decisions = decisions;
        this.quota = quota;
        this.outbox = outbox;
        this.relay = relay;
        this.upstreams = upstreams;
        this.config = config;
        this.json = json;
        this.vertx = vertx;
        this.openTelemetry = openTelemetry;
        this.responses = responses;
        this.metrics = metrics;
        this.quotaRejections = Counter.builder("gateway.quota.rejections")
                .description("Calls refused for quota")
                .register(metrics);
    }

    /**
     * Runs on the request's event loop. When the API key and the decision are cached (the usual case) the whole
     * admission stays there: the quota reservation is an asynchronous Redis round trip and the PENDING record joins
     * the record writer's next group commit, and the forward resumes on this event loop once it has committed. Only
     * a lookup that may block (a key or decision not cached, an access token) takes a virtual thread first.
     */
    void handle(RoutingContext ctx, Endpoint endpoint) {
        Instant startedAt = Instant.now();
        io.vertx.core.Context context = vertx.getOrCreateContext();
        // Taken here, where the request's trace context is current, for the upstream call made later.
        String traceparent = traceparent();
        Caller cachedCaller;
        ModelCall parsed = null;
        try {
            cachedCaller = authenticator.cached(ctx);
            if (cachedCaller != null) {
                // Read only once the caller is known, so an unknown caller gets 401 before any complaint about its
                // body.
                parsed = ModelCall.parse(endpoint, ctx.body().buffer(), json);
                Decision decision = decisions.cached(
                        cachedCaller.subject(), parsed.model, endpoint.path, cachedCaller.keyGrantId());
                if (decision != null) {
                    admit(
                            new Admitting(ctx, context, startedAt, traceparent, cachedCaller, parsed),
                            judged(parsed, decision));
                    return;
                }
            }
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        ModelCall parsedAlready = parsed;
        // The request's trace context goes with the work, so the decision and key lookups join its trace.
        workers.execute(io.opentelemetry.context.Context.current().wrap(() -> {
            try {
                Caller caller = cachedCaller != null ? cachedCaller : authenticator.authenticate(ctx);
                ModelCall call = parsedAlready != null
                        ? parsedAlready
                        : ModelCall.parse(endpoint, ctx.body().buffer(), json);
                int asked = endpoint.generates && call.requestedMaxTokens != null ? call.requestedMaxTokens : 1;
                admit(new Admitting(ctx, context, startedAt, traceparent, caller, call), decide(caller, call, asked));
            } catch (RuntimeException e) {
                fail(ctx, e);
            }
        }));
    }

    /** A refusal in the OpenAI envelope; whoever reserved quota for the call gives it back first. */
    private void fail(RoutingContext ctx, RuntimeException e) {
        if (e instanceof OpenAiError error) {
            responses.error(ctx, error);
        } else if (e instanceof ProblemException problem) {
            // A part the call needs refused or is down (the key store while PostgreSQL restarts, say): the OpenAI
            // envelope with that status, never a 500.
            responses.error(ctx, OpenAiError.from(problem));
        } else {
            responses.internal(ctx, e);
        }
    }

    /** A call authenticated, read and allowed, about to be admitted. */
    private record Admitting(
            RoutingContext ctx,
            io.vertx.core.Context context,
            Instant startedAt,
            String traceparent,
            Caller caller,
            ModelCall call) {}

    /** Everything before the forward that cannot wait: limits, route, then the quota reservation. */
    private void admit(Admitting admitting, Decision decision) {
        ModelCall call = admitting.call();
        Endpoint endpoint = call.endpoint;
        Decision.Limits limits = decision.limits();
        if (call.requestedMaxTokens != null && call.requestedMaxTokens > limits.maxTokens()) {
            throw OpenAiError.invalid(
                    "max_tokens", "'max_tokens' may be at most " + limits.maxTokens() + " on your grant's tier.");
        }
        int maxTokens = call.requestedMaxTokens == null ? limits.maxTokens() : call.requestedMaxTokens;
        // The worst case the upstream may generate: the cap for every sequence (n, best_of). The forwarded body
        // carries exactly this cap, so the upstream cannot be asked for more than was reserved.
        long outputReserve = call.outputReservation(maxTokens);
        UpstreamClient.Route route = upstreams.route(decision.upstreamRoute()).orElseThrow(() -> {
            LOG.errorf("the catalog names upstream route '%s', which is not configured", decision.upstreamRoute());
            return OpenAiError.unavailable("upstream_unavailable", "This model's server is not configured.", 60);
        });
        if (route.breakerState() == CircuitBreakerState.OPEN) {
            throw upstreamDown();
        }
        String bucket = decision.grantId().toString();
        long[] capacities = {limits.rpm(), limits.inputTpm(), limits.outputTpm()};
        long[] amounts = {1, call.inputTokenEstimate, outputReserve};
        Reservation reservation = new Reservation(capacities, amounts);
        int tooLarge = reservation.tooLarge();
        if (tooLarge >= 0) {
            quotaRejections.increment();
            throw RateLimits.tooLarge(call, tooLarge, maxTokens, amounts[tooLarge], capacities[tooLarge]);
        }
        java.util.concurrent.CompletionStage<QuotaStore.Admission> reserved;
        try {
            reserved = quota.reserve(bucket, capacities, amounts);
        } catch (RuntimeException e) {
            reserved = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        reserved.whenComplete((admission, failure) -> {
            if (failure != null) {
                LOG.warnf(
                        "quota counters cannot be reached: %s", unwrap(failure).toString());
                fail(
                        admitting.ctx(),
                        OpenAiError.unavailable(
                                "quota_unavailable", "Quota cannot be checked now; nothing was forwarded.", 2));
                return;
            }
            if (!admission.admitted()) {
                quotaRejections.increment();
                int dimension = admission.dimension();
                fail(
                        admitting.ctx(),
                        admission.retryAfterMillis() == QuotaStore.Admission.NEVER
                                ? RateLimits.tooLarge(
                                        call, dimension, maxTokens, amounts[dimension], capacities[dimension])
                                : RateLimits.exceeded(admission, capacities));
                return;
            }
            Call running = new Call(
                    admitting.ctx(),
                    admitting.context(),
                    admitting.traceparent(),
                    call,
                    decision,
                    route,
                    bucket,
                    reservation,
                    admission);
            try {
                record(running, admitting, maxTokens, outputReserve);
            } catch (RuntimeException e) {
                refundAll(running);
                fail(admitting.ctx(), e);
            }
        });
    }

    /** Queues the durable PENDING record (the worst case) and forwards once it has committed. */
    private void record(Call running, Admitting admitting, int maxTokens, long outputReserve) {
        Decision decision = running.decision;
        ModelCall call = running.call;
        if (decision.failsClosed() && relay.ledgerUnreachable()) {
            throw OpenAiError.unavailable(
                    "ledger_unavailable",
                    "Calls on this tier need the usage ledger, which cannot be reached now; nothing was forwarded.",
                    5);
        }
        // One draw from the strong generator for both secrets: the prompt salt and the request id, which stays a
        // random (version 4) UUID as UUID.randomUUID() makes it, from the same kind of generator.
        byte[] random32 = new byte[32];
        random.nextBytes(random32);
        byte[] salt = java.util.Arrays.copyOf(random32, 16);
        running.salt = Base64.getEncoder().encodeToString(salt);
        running.subject = admitting.caller().subject();
        running.record = new UsageRecord(
                randomUuid(random32, 16),
                admitting.caller(),
                call.endpoint,
                call.model,
                decision,
                admitting.startedAt(),
                commitment(salt, call.raw));
        // The worst case, written before the forward: if this gateway dies mid-call, this is what is recorded.
        String pending =
                running.record.entry("interrupted", call.inputTokenEstimate, outputReserve, admitting.startedAt());
        outbox.openLater(
                        running.record.requestId(),
                        admitting.caller().subject(),
                        call.model,
                        decision.grantId(),
                        decision.limits().tokenBudget(),
                        call.inputTokenEstimate + outputReserve,
                        pending)
                // Answered on the writer's thread: back to the request's event loop for the forward.
                .whenComplete((opened, failure) -> running.context.runOnContext(v -> {
                    try {
                        opened(running, opened, failure, maxTokens);
                    } catch (RuntimeException e) {
                        refundAll(running);
                        fail(running.ctx, e);
                    }
                }));
    }

    private void opened(Call running, Boolean opened, Throwable failure, int maxTokens) {
        if (failure != null) {
            LOG.warnf("the outbox cannot be written: %s", unwrap(failure).toString());
            throw OpenAiError.unavailable(
                    "recording_unavailable", "The call cannot be recorded now, so it was not forwarded.", 2);
        }
        if (!opened) {
            throw new OpenAiError(
                    429,
                    "insufficient_quota",
                    "insufficient_quota",
                    null,
                    "The grant's token budget cannot cover this call (max_tokens is reserved until it ends).",
                    Map.of());
        }
        try {
            running.route.acquire();
        } catch (UpstreamClient.Busy busy) {
            UUID id = running.record.requestId();
            UUID grantId = running.decision.grantId();
            workers.execute(() -> cancelRecord(id, grantId));
            throw OpenAiError.unavailable("upstream_busy", "This model's server is at capacity.", 1);
        }
        forward(running, maxTokens);
    }

    /** A decision from access-policy, asked when none is cached; denials become their OpenAI errors. */
    private Decision decide(Caller caller, ModelCall call, int asked) {
        Decision decision;
        try {
            decision = decisions.decide(caller.subject(), call.model, call.endpoint.path, asked, caller.keyGrantId());
        } catch (RuntimeException e) {
            LOG.warnf("no decision from access-policy: %s", e.toString());
            throw OpenAiError.unavailable(
                    "policy_unavailable", "Access cannot be checked now, so nothing was forwarded.", 2);
        }
        if (decision == null) {
            throw OpenAiError.unavailable("policy_unavailable", "Access cannot be checked now.", 2);
        }
        return judged(call, decision);
    }

    /** The decision if it allows; else the refusal it stands for. */
    private static Decision judged(ModelCall call, Decision decision) {
        if (decision.allowed()) {
            return decision;
        }
        String reason = decision.reason();
        throw switch (reason) {
            case "unknown_model" ->
                new OpenAiError(
                        404,
                        "invalid_request_error",
                        "model_not_found",
                        "model",
                        "The model '" + call.model + "' does not exist or you do not have access to it.",
                        Map.of());
            case "max_tokens_exceeded" -> OpenAiError.invalid("max_tokens", "'max_tokens' exceeds your tier's limit.");
            case "invalid_request" -> OpenAiError.invalid(null, "The request is missing a model or max_tokens.");
            case "internal_error" ->
                OpenAiError.unavailable(
                        "policy_unavailable", "Access cannot be checked now, so nothing was forwarded.", 2);
            default -> OpenAiError.forbidden(reason, "Access denied: " + reason.replace('_', ' ') + ".");
        };
    }

    /** State of one call from the forward on; finished exactly once. */
    private final class Call {
        final RoutingContext ctx;
        /** The request's Vert.x context: its event loop runs the forward and the relay. */
        final io.vertx.core.Context context;
        /** The request's trace context for the upstream, or null. */
        final String traceparent;

        final ModelCall call;
        final Decision decision;
        final UpstreamClient.Route route;
        final String bucket;
        final Reservation reservation;
        final long[] capacities;
        final long[] amounts;
        final QuotaStore.Admission admission;
        final AtomicBoolean finished = new AtomicBoolean();
        final long startedNanos = System.nanoTime();
        final UpstreamClient.Attempts attempts = new UpstreamClient.Attempts();
        UsageRecord record;
        String subject;
        /** What the tripwires count in the answer (refusals, content_filter finishes). */
        final org.vettedaccess.gateway.tripwire.AnswerSignals signals =
                new org.vettedaccess.gateway.tripwire.AnswerSignals();

        String salt;
        volatile UpstreamClient.Exchange exchange;
        volatile boolean clientGone;
        long contentChunks;
        JsonNode usage;

        Call(
                RoutingContext ctx,
                io.vertx.core.Context context,
                String traceparent,
                ModelCall call,
                Decision decision,
                UpstreamClient.Route route,
                String bucket,
                Reservation reservation,
                QuotaStore.Admission admission) {
            this.ctx = ctx;
            this.context = context;
            this.traceparent = traceparent;
            this.call = call;
            this.decision = decision;
            this.route = route;
            this.bucket = bucket;
            this.reservation = reservation;
            this.capacities = reservation.capacities();
            this.amounts = reservation.amounts();
            this.admission = admission;
        }
    }

    private void forward(Call running, int maxTokens) {
        HttpServerResponse response = running.ctx.response();
        response.closeHandler(v -> {
            running.clientGone = true;
            UpstreamClient.Exchange exchange = running.exchange;
            if (exchange != null && !running.finished.get()) {
                // The caller left: stop the model working for nobody, and record what it did so far.
                exchange.request().reset();
                finish(running, "client_cancelled", partialInput(running), partialOutput(running));
            }
        });
        Buffer body = Buffer.buffer(running.call.upstreamBody(maxTokens));
        running.route
                .open(running.call.endpoint.upstreamPath, body, running.traceparent, running.attempts)
                .whenComplete((exchange, failure) -> {
                    if (failure != null) {
                        openFailed(running, unwrap(failure));
                        return;
                    }
                    running.exchange = exchange;
                    if (running.clientGone) {
                        exchange.request().reset();
                        finish(running, "client_cancelled", running.call.inputTokenEstimate, 0);
                        return;
                    }
                    HttpClientResponse upstream = exchange.response();
                    if (running.call.stream && upstream.statusCode() == 200) {
                        relayStream(running, upstream);
                    } else {
                        relayWhole(running, upstream);
                    }
                });
    }

    private void openFailed(Call running, Throwable failure) {
        boolean neverForwarded = failure instanceof CircuitBreakerOpenException
                || (failure instanceof UpstreamFailure.NotStarted notStarted && notStarted.status() == 0);
        if (neverForwarded && !running.attempts.reachedUpstream()) {
            // Never reached the model: no usage to record.
            running.route.release();
            running.finished.set(true);
            workers.execute(() -> {
                cancelRecord(running.record.requestId(), running.decision.grantId());
                refundAll(running);
            });
            LOG.debugf("not forwarded: %s", failure.toString());
            responses.error(running.ctx, upstreamDown());
            return;
        }
        if (UpstreamClient.isTimeout(failure)) {
            finish(running, "upstream_timeout", 0, 0);
            recordedError(
                    running,
                    new OpenAiError(
                            504,
                            "server_error",
                            "upstream_timeout",
                            null,
                            "The model's server did not answer in time.",
                            Map.of()));
            return;
        }
        // A failed call that reached the model on some attempt is recorded, with the last answer it got.
        int status = failure instanceof UpstreamFailure upstream && upstream.status() > 0
                ? upstream.status()
                : running.attempts.lastStatus();
        LOG.infof("upstream route %s failed: %s", running.route.name(), failure.toString());
        finish(running, status > 0 ? "upstream_" + status : "upstream_failed", 0, 0);
        recordedError(
                running,
                status == 503
                        ? OpenAiError.unavailable("upstream_unavailable", "The model's server is overloaded.", 1)
                        : new OpenAiError(
                                502,
                                "server_error",
                                "upstream_error",
                                null,
                                "The model's server failed to answer.",
                                Map.of()));
    }

    private void relayWhole(Call running, HttpClientResponse upstream) {
        upstream.body().onComplete(read -> {
            if (read.failed()) {
                finish(running, "upstream_disconnected", 0, 0);
                recordedError(
                        running,
                        new OpenAiError(
                                502,
                                "server_error",
                                "upstream_error",
                                null,
                                "The model's server closed the connection.",
                                Map.of()));
                return;
            }
            Buffer answer = read.result();
            int status = upstream.statusCode();
            long input = 0;
            long output = 0;
            if (status == 200) {
                try {
                    long[] counts =
                            AnswerUsage.read(json.getFactory(), answer.getBytes(), running.call.inputTokenEstimate);
                    input = counts[0];
                    output = counts[1];
                    running.signals.scan(answer.toString());
                } catch (IOException e) {
                    input = running.call.inputTokenEstimate;
                    output = running.amounts[2];
                }
            }
            HttpServerResponse response = running.ctx.response();
            if (!response.closed() && !response.ended()) {
                response.setStatusCode(status);
                String type = upstream.getHeader("Content-Type");
                response.putHeader("Content-Type", type == null ? "application/json" : type);
                callHeaders(running, response);
                response.end(answer);
            }
            finish(running, status == 200 ? "ok" : "upstream_" + status, input, output);
        });
        upstream.resume();
    }

    private void relayStream(Call running, HttpClientResponse upstream) {
        HttpServerResponse response = running.ctx.response();
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        callHeaders(running, response);
        SseEvents events = new SseEvents();
        long idleNanos = config.upstream().idleTimeout().toNanos();
        long[] lastChunk = {System.nanoTime()};
        // The idle timeout per chunk: a model server that stops sending is cut off, and what it sent is recorded.
        vertx.setPeriodic(Math.max(50, idleNanos / 4_000_000), id -> {
            if (running.finished.get()) {
                vertx.cancelTimer(id);
            } else if (System.nanoTime() - lastChunk[0] > idleNanos) {
                vertx.cancelTimer(id);
                LOG.infof("upstream route %s went silent mid-stream; cutting it off", running.route.name());
                running.exchange.request().reset();
                if (!response.closed() && !response.ended()) {
                    response.end("data: "
                            + responses.envelope(new OpenAiError(
                                    504,
                                    "server_error",
                                    "upstream_timeout",
                                    null,
                                    "The model's server stopped sending.",
                                    Map.of()))
                            + "\n\n");
                }
                finish(running, "upstream_idle_timeout", partialInput(running), partialOutput(running));
            }
        });
        upstream.handler(chunk -> {
            lastChunk[0] = System.nanoTime();
            if (running.finished.get()) {
                return;
            }
            for (String event : events.feed(chunk)) {
                if (forwardEvent(running, event)) {
                    response.write(event + "\n\n");
                }
            }
            if (response.writeQueueFull()) {
                upstream.pause();
                response.drainHandler(v -> upstream.resume());
            }
        });
        upstream.endHandler(v -> {
            if (running.finished.get()) {
                return;
            }
            String rest = events.rest();
            if (!rest.isEmpty() && forwardEvent(running, rest)) {
                response.write(rest + "\n\n");
            }
            if (!response.closed() && !response.ended()) {
                response.end();
            }
            if (running.usage != null) {
                finish(
                        running,
                        "ok",
                        running.usage.path("prompt_tokens").asLong(running.call.inputTokenEstimate),
                        running.usage.path("completion_tokens").asLong(running.contentChunks));
            } else {
                // An upstream that ignores include_usage: count conservatively rather than record zero.
                finish(running, "ok_estimated", running.call.inputTokenEstimate, running.contentChunks);
            }
        });
        upstream.exceptionHandler(e -> {
            if (running.finished.get() || running.clientGone) {
                return;
            }
            LOG.infof("upstream route %s broke off a stream: %s", running.route.name(), e.toString());
            if (!response.closed() && !response.ended()) {
                response.end("data: "
                        + responses.envelope(new OpenAiError(
                                502,
                                "server_error",
                                "upstream_error",
                                null,
                                "The model's server broke off the answer.",
                                Map.of()))
                        + "\n\n");
            }
            finish(running, "upstream_disconnected", partialInput(running), partialOutput(running));
        });
        upstream.resume();
    }

    /** Reads usage from an event; returns whether the caller should see it. */
    private boolean forwardEvent(Call running, String event) {
        String data = SseEvents.data(event);
        if (data == null || data.equals("[DONE]")) {
            return true;
        }
        running.signals.scan(data);
        boolean hasUsage = data.contains("\"usage\"");
        if (data.contains("\"choices\":[{") || data.contains("\"choices\": [{")) {
            running.contentChunks++;
        }
        if (!hasUsage) {
            return true;
        }
        try {
            JsonNode chunk = json.readTree(data);
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                running.usage = usage;
                // The usage-only chunk the gateway asked for on the caller's behalf is not the caller's to see.
                return running.call.callerWantsStreamUsage
                        || !chunk.path("choices").isEmpty();
            }
        } catch (IOException e) {
            // not JSON: pass it on untouched
        }
        return true;
    }

    private long partialInput(Call running) {
        return running.usage != null
                ? running.usage.path("prompt_tokens").asLong(running.call.inputTokenEstimate)
                : running.call.inputTokenEstimate;
    }

    private long partialOutput(Call running) {
        return running.usage != null
                ? running.usage.path("completion_tokens").asLong(running.contentChunks)
                : running.contentChunks;
    }

    /** Ends a forwarded call once: frees the bulkhead, settles quota, and completes its record for the ledger. */
    private void finish(Call running, String status, long inputTokens, long outputTokens) {
        if (!running.finished.compareAndSet(false, true)) {
            return;
        }
        running.route.release();
        Instant finishedAt = Instant.now();
        String model = running.call.model;
        String operation = running.call.endpoint.operation;
        ((Timer) meters.computeIfAbsent(
                        List.of("duration", operation, model, status),
                        k -> Timer.builder("gen_ai.client.operation.duration")
                                .description("Duration of model calls through the gateway")
                                .tag("gen_ai.operation.name", operation)
                                .tag("gen_ai.request.model", model)
                                .tag("status", status)
                                .register(metrics)))
                .record(System.nanoTime() - running.startedNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        tokens(operation, model, "input", inputTokens);
        tokens(operation, model, "output", outputTokens);
        // Both without a thread of their own: the settlement is one asynchronous Redis round trip (or a memory
        // update), and the completion is queued for the record writer's next group commit. Only a failed completion
        // takes a virtual thread, to try again while the PENDING worst case stays recorded.
        // What was reserved less what was used (a charge if the upstream used more). A caller who leaves mid-stream
        // gets no output back: the upstream may have generated more than the gateway relayed before the cancel
        // reached it, and leaving early must not buy tokens the limit would refuse.
        long[] refunds = running.reservation.refunds(
                inputTokens, "client_cancelled".equals(status) ? running.amounts[2] : outputTokens);
        // When the reservation was exact there is nothing to give back or take, and a settlement would change nothing.
        if (refunds[1] != 0 || refunds[2] != 0) {
            quota.settle(running.bucket, running.capacities, refunds).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warnf("could not settle quota of grant %s: %s", running.bucket, failure.toString());
                }
            });
        }
        UUID id = running.record.requestId();
        UUID grantId = running.decision.grantId();
        usageSignals.record(new org.vettedaccess.gateway.tripwire.CallFacts(
                model, running.subject, grantId, status, inputTokens, outputTokens, running.signals));
        String entry = running.record.entry(status, inputTokens, outputTokens, finishedAt);
        outbox.closeLater(id, grantId, inputTokens, outputTokens, entry).whenComplete((ok, failure) -> {
            if (failure != null) {
                workers.execute(() -> closeRecord(id, grantId, inputTokens, outputTokens, entry));
            }
        });
    }

    private void tokens(String operation, String model, String type, long count) {
        ((DistributionSummary) meters.computeIfAbsent(
                        List.of("tokens", operation, model, type),
                        k -> DistributionSummary.builder("gen_ai.client.token.usage")
                                .description("Tokens used by model calls through the gateway")
                                .baseUnit("tokens")
                                .tag("gen_ai.operation.name", operation)
                                .tag("gen_ai.request.model", model)
                                .tag("gen_ai.token.type", type)
                                .register(metrics)))
                .record(count);
    }

    /** Completes the record; if the database is briefly gone, tries again, and the PENDING worst case stays meanwhile. */
    private void closeRecord(UUID id, UUID grantId, long input, long output, String entry) {
        for (int attempt = 1; ; attempt++) {
            try {
                outbox.close(id, grantId, input, output, entry);
                return;
            } catch (SQLException e) {
                if (attempt >= 30) {
                    LOG.errorf(
                            "could not complete usage record %s; its worst-case record will be delivered: %s",
                            id, e.toString());
                    return;
                }
                sleep(Math.min(2_000, 50L * attempt));
            }
        }
    }

    private void cancelRecord(UUID id, UUID grantId) {
        for (int attempt = 1; ; attempt++) {
            try {
                outbox.withdraw(id, grantId);
                return;
            } catch (SQLException e) {
                if (attempt >= 30) {
                    LOG.errorf("could not withdraw record %s of a call never forwarded: %s", id, e.toString());
                    return;
                }
                sleep(Math.min(2_000, 50L * attempt));
            }
        }
    }

    /** Gives back everything a call reserved, without waiting (an event loop may call it). */
    private void refundAll(Call running) {
        quota.settle(running.bucket, running.capacities, running.amounts).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warnf(
                        "could not give back quota of grant %s: %s",
                        running.bucket, unwrap(failure).toString());
            }
        });
    }

    /** An error answer for a call that was recorded: it names its receipt like any other answer. */
    private void recordedError(Call running, OpenAiError error) {
        HttpServerResponse response = running.ctx.response();
        if (!response.headWritten() && !response.ended() && !response.closed()) {
            response.putHeader("x-request-id", running.record.requestId().toString());
            response.putHeader("x-va-decision-id", running.decision.decisionId().toString());
        }
        responses.error(running.ctx, error);
    }

    private void callHeaders(Call running, HttpServerResponse response) {
        response.putHeader("x-request-id", running.record.requestId().toString());
        response.putHeader("x-va-decision-id", running.decision.decisionId().toString());
        response.putHeader("x-va-prompt-salt", running.salt);
        RateLimits.headers(response::putHeader, running.admission, running.capacities);
    }

    private OpenAiError upstreamDown() {
        return OpenAiError.unavailable(
                "upstream_unavailable",
                "This model's server is failing; calls are paused briefly to let it recover.",
                config.upstream().breakerDelay().toSeconds());
    }

    /** The current trace context as a W3C {@code traceparent} header for the upstream, or null if there is none. */
    private String traceparent() {
        java.util.Map<String, String> headers = new java.util.HashMap<>();
        openTelemetry
                .getPropagators()
                .getTextMapPropagator()
                .inject(
                        io.opentelemetry.context.Context.current(),
                        headers,
                        (carrier, key, value) -> carrier.put(key, value));
        return headers.get("traceparent");
    }

    private static Throwable unwrap(Throwable failure) {
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }

    /** A version 4 (random) UUID from 16 random bytes at {@code offset}, as {@link UUID#randomUUID()} builds it. */
    static UUID randomUuid(byte[] bytes, int offset) {
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (bytes[offset + i] & 0xff);
            least = (least << 8) | (bytes[offset + 8 + i] & 0xff);
        }
        most = (most & ~0xF000L) | 0x4000L; // version 4
        least = (least & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(most, least);
    }

    /** Cloned per call: cheaper than looking the algorithm up among the providers each time. */
    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String commitment(byte[] salt, byte[] body) {
        MessageDigest sha;
        try {
            sha = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        sha.update(salt);
        sha.update(body);
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
