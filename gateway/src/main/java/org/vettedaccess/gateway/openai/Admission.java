package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;
import org.vettedaccess.gateway.config.GatewayConfig;
import org.vettedaccess.gateway.policy.DecisionCache;
import org.vettedaccess.gateway.quota.Buckets;
import org.vettedaccess.gateway.quota.QuotaStore;
import org.vettedaccess.gateway.quota.Reservation;
import org.vettedaccess.gateway.upstream.UpstreamClient;
import org.vettedaccess.gateway.upstream.UpstreamRoute;
import org.vettedaccess.gateway.usage.OutboxRelay;
import org.vettedaccess.gateway.usage.RecordWriter;
import org.vettedaccess.gateway.usage.ScopeTagsConfig;
import org.vettedaccess.gateway.usage.UsageRecord;
import org.vettedaccess.ledger.core.ScopeTags;
import org.vettedaccess.support.problem.ProblemException;

/**
 * The first stage of a call, in the order the invariants need: authenticate, read the body, decide, reserve quota,
 * write the durable PENDING record (the worst case), take a bulkhead slot; only then does it hand the call on for
 * the forward. A refusal at any step is answered in the OpenAI envelope, and whatever was reserved is given back.
 *
 * <p>Nothing blocks an event loop: with the key and the decision cached, admission runs on the request's event loop
 * (Redis asynchronously, the PENDING record through the record writer's group commit, and the forward resumes on
 * that event loop once it has committed); a lookup that may block (a key or decision not cached, an access token)
 * runs on a virtual thread first.
 */
@Singleton
class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    private final CallAuthenticator authenticator;
    private final DecisionCache decisions;
    private final QuotaStore quota;
    private final RecordWriter records;
    private final BooleanSupplier ledgerUnreachable;
    private final Function<String, Optional<? extends UpstreamRoute>> routes;
    private final Settlement settlement;
    private final long breakerDelaySeconds;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final OpenAiResponses responses;
    private final Counter quotaRejections;
    private final PromptCommitments commitments = new PromptCommitments();
    /** The scope-tag key (ADR 0046), or null: no tags. */
    private final ScopeTags scopeKey;
    /** The request's trace context goes with the work, so the decision and key lookups join its trace. */
    private final ExecutorService workers = TraceContext.carrying(Executors.newVirtualThreadPerTaskExecutor());

    @Inject
    Admission(
            CallAuthenticator authenticator,
            DecisionCache decisions,
            QuotaStore quota,
            RecordWriter records,
            OutboxRelay relay,
            UpstreamClient upstreams,
            Settlement settlement,
            GatewayConfig config,
            ObjectMapper json,
            Vertx vertx,
            OpenAiResponses responses,
            MeterRegistry metrics,
            ScopeTagsConfig scopeTags) {
        this(
                authenticator,
                decisions,
                quota,
                records,
                relay::ledgerUnreachable,
                upstreams::route,
                settlement,
                config.upstream().breakerDelay().toSeconds(),
                json,
                vertx,
                responses,
                metrics,
                scopeTags.parsed());
    }

    /** With its parts given one by one, for tests that fake the quota store, the records and the upstream. */
    Admission(
            CallAuthenticator authenticator,
            DecisionCache decisions,
            QuotaStore quota,
            RecordWriter records,
            BooleanSupplier ledgerUnreachable,
            Function<String, Optional<? extends UpstreamRoute>> routes,
            Settlement settlement,
            long breakerDelaySeconds,
            ObjectMapper json,
            Vertx vertx,
            OpenAiResponses responses,
            MeterRegistry metrics,
            ScopeTags scopeKey) {
        this.scopeKey = scopeKey;
        this.authenticator = authenticator;
        this.decisions = decisions;
        this.quota = quota;
        this.records = records;
        this.ledgerUnreachable = ledgerUnreachable;
        this.routes = routes;
        this.settlement = settlement;
        this.breakerDelaySeconds = breakerDelaySeconds;
        this.json = json;
        this.vertx = vertx;
        this.responses = responses;
        this.quotaRejections = Counter.builder("gateway.quota.rejections")
                .description("Calls refused for quota")
                .register(metrics);
    }

    /** A call authenticated, read and about to be judged. */
    record Admitting(
            HttpServerResponse response, Context context, Instant startedAt, ApiCaller caller, ModelCall call) {}

    /**
     * Runs on the request's event loop; {@code next} gets the admitted call on that event loop, after its PENDING
     * record has committed. Only a lookup that may block takes a virtual thread first.
     */
    void admit(RoutingContext ctx, Endpoint endpoint, Consumer<AdmittedCall> next) {
        Instant startedAt = Instant.now();
        Context context = vertx.getOrCreateContext();
        ApiCaller cachedCaller;
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
                    Admitting admitting = new Admitting(ctx.response(), context, startedAt, cachedCaller, parsed);
                    decided(admitting, judged(parsed, decision), next);
                    return;
                }
            }
        } catch (RuntimeException e) {
            fail(ctx.response(), endpoint, e);
            return;
        }
        ModelCall parsedAlready = parsed;
        workers.execute(() -> {
            try {
                ApiCaller caller = cachedCaller != null ? cachedCaller : authenticator.authenticate(ctx);
                ModelCall call = parsedAlready != null
                        ? parsedAlready
                        : ModelCall.parse(endpoint, ctx.body().buffer(), json);
                int asked = endpoint.generates && call.requestedMaxTokens != null ? call.requestedMaxTokens : 1;
                Admitting admitting = new Admitting(ctx.response(), context, startedAt, caller, call);
                decided(admitting, decide(caller, call, asked), next);
            } catch (RuntimeException e) {
                fail(ctx.response(), endpoint, e);
            }
        });
    }

    /** A refusal in the OpenAI envelope; whoever reserved quota for the call gives it back first. */
    private void fail(HttpServerResponse response, Endpoint endpoint, RuntimeException e) {
        if (e instanceof OpenAiError error) {
            responses.error(response, error);
        } else if (e instanceof ProblemException problem) {
            // A part the call needs refused or is down (the key store while PostgreSQL restarts, say): the OpenAI
            // envelope with that status, never a 500.
            responses.error(response, OpenAiError.from(problem));
        } else {
            responses.internal(response, endpoint.path, e);
        }
    }

    /**
     * Everything after an allow and before the forward: limits, route, the quota reservation, the PENDING record
     * and the bulkhead slot. Throws the refusals found before the reservation; answers the later ones itself.
     */
    void decided(Admitting admitting, Decision decision, Consumer<AdmittedCall> next) {
        ModelCall call = admitting.call();
        Decision.Limits limits = decision.limits();
        call.checkFor(decision.reasoningFamily(), decision.nativeResponses());
        if (call.requestedMaxTokens != null && call.requestedMaxTokens > limits.maxTokens()) {
            String field = call.endpoint == Endpoint.RESPONSES ? "max_output_tokens" : "max_tokens";
            throw OpenAiError.invalid(
                    field, "'" + field + "' may be at most " + limits.maxTokens() + " on your grant's tier.");
        }
        int maxTokens = call.requestedMaxTokens == null ? limits.maxTokens() : call.requestedMaxTokens;
        // The worst case the upstream may generate: the cap for every sequence (n, best_of). The forwarded body
        // carries exactly this cap, so the upstream cannot be asked for more than was reserved.
        long outputReserve = call.outputReservation(maxTokens);
        UpstreamRoute route = routes.apply(decision.upstreamRoute()).orElseThrow(() -> {
            LOG.errorf("the catalog names upstream route '%s', which is not configured", decision.upstreamRoute());
            return OpenAiError.unavailable("upstream_unavailable", "This model's server is not configured.", 60);
        });
        if (route.breakerState() == CircuitBreakerState.OPEN) {
            throw Relay.upstreamDown(breakerDelaySeconds);
        }
        String grant = decision.grantId().toString();
        Reservation reservation = new Reservation(
                new Buckets(limits.rpm(), limits.inputTpm(), limits.outputTpm()),
                new Buckets(1, call.inputTokenEstimate, outputReserve));
        int tooLarge = reservation.tooLarge();
        if (tooLarge >= 0) {
            quotaRejections.increment();
            throw tooLarge(call, reservation, tooLarge, maxTokens);
        }
        CompletionStage<QuotaStore.Answer> reserved;
        try {
            reserved = quota.reserve(grant, reservation.capacities(), reservation.amounts());
        } catch (RuntimeException e) {
            reserved = CompletableFuture.failedFuture(e);
        }
        reserved.whenComplete((answer, failure) -> {
            if (failure != null) {
                LOG.warnf(
                        "quota counters cannot be reached: %s",
                        Settlement.unwrap(failure).toString());
                fail(
                        admitting.response(),
                        call.endpoint,
                        OpenAiError.unavailable(
                                "quota_unavailable", "Quota cannot be checked now; nothing was forwarded.", 2));
                return;
            }
            if (!answer.admitted()) {
                quotaRejections.increment();
                fail(
                        admitting.response(),
                        call.endpoint,
                        answer.retryAfterMillis() == QuotaStore.Answer.NEVER
                                ? tooLarge(call, reservation, answer.dimension(), maxTokens)
                                : RateLimits.exceeded(answer, reservation.capacities()));
                return;
            }
            try {
                record(admitting, decision, route, grant, reservation, answer, maxTokens, next);
            } catch (RuntimeException e) {
                settlement.refund(grant, reservation);
                fail(admitting.response(), call.endpoint, e);
            }
        });
    }

    private static OpenAiError tooLarge(ModelCall call, Reservation reservation, int dimension, int maxTokens) {
        return RateLimits.tooLarge(
                call,
                dimension,
                maxTokens,
                reservation.amounts().get(dimension),
                reservation.capacities().get(dimension));
    }

    /** Queues the durable PENDING record (the worst case) and hands the call on once it has committed. */
    private void record(
            Admitting admitting,
            Decision decision,
            UpstreamRoute route,
            String grant,
            Reservation reservation,
            QuotaStore.Answer answer,
            int maxTokens,
            Consumer<AdmittedCall> next) {
        ModelCall call = admitting.call();
        if (decision.failsClosed() && ledgerUnreachable.getAsBoolean()) {
            throw OpenAiError.unavailable(
                    "ledger_unavailable",
                    "Calls on this tier need the usage ledger, which cannot be reached now; nothing was forwarded.",
                    5);
        }
        PromptCommitments.Drawn drawn = commitments.draw(call.raw);
        UsageRecord record = new UsageRecord(
                drawn.requestId(),
                admitting.caller().subject(),
                admitting.caller().keyId(),
                call.endpoint.path,
                call.model,
                decision,
                admitting.startedAt(),
                drawn.commitment(),
                scopeKey);
        AdmittedCall admitted = new AdmittedCall(
                admitting.response(),
                admitting.context(),
                call,
                decision,
                route,
                grant,
                reservation,
                answer,
                maxTokens,
                record,
                drawn.salt());
        long outputReserve = reservation.amounts().outputTokens();
        // The worst case, written before the forward: if this gateway dies mid-call, this is what is recorded.
        String pending = record.entry("interrupted", call.inputTokenEstimate, outputReserve, admitting.startedAt());
        records.openLater(
                        record.requestId(),
                        admitting.caller().subject(),
                        call.model,
                        decision.grantId(),
                        decision.limits().tokenBudget(),
                        call.inputTokenEstimate + outputReserve,
                        pending)
                // Answered on the writer's thread: back to the request's event loop for the forward.
                .whenComplete((opened, failure) -> admitting.context().runOnContext(v -> {
                    try {
                        opened(admitted, opened, failure, next);
                    } catch (RuntimeException e) {
                        settlement.refund(grant, reservation);
                        fail(admitting.response(), call.endpoint, e);
                    }
                }));
    }

    private void opened(AdmittedCall admitted, Boolean opened, Throwable failure, Consumer<AdmittedCall> next) {
        if (failure != null) {
            LOG.warnf(
                    "the outbox cannot be written: %s",
                    Settlement.unwrap(failure).toString());
            throw OpenAiError.unavailable(
                    "recording_unavailable", "The call cannot be recorded now, so it was not forwarded.", 2);
        }
        if (!opened) {
            throw OpenAiError.insufficientQuota(
                    "The grant's token budget cannot cover this call (max_tokens is reserved until it ends).");
        }
        try {
            admitted.route().acquire();
        } catch (UpstreamClient.Busy busy) {
            // The record is withdrawn; the quota is given back by the caller of this method.
            settlement.withdrawRecord(admitted);
            throw OpenAiError.unavailable("upstream_busy", "This model's server is at capacity.", 1);
        }
        next.accept(admitted);
    }

    /** A decision from access-policy, asked when none is cached; denials become their OpenAI errors. */
    private Decision decide(ApiCaller caller, ModelCall call, int asked) {
        Decision decision;
        try {
            decision = decisions.decide(
                    new DecisionRequest(caller.subject(), call.model, call.endpoint.path, asked, caller.keyGrantId()));
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
    static Decision judged(ModelCall call, Decision decision) {
        if (decision.allowed()) {
            return decision;
        }
        String reason = decision.reason();
        throw switch (reason) {
            case "unknown_model" -> OpenAiError.modelNotFound(call.model);
            case "max_tokens_exceeded" -> OpenAiError.invalid("max_tokens", "'max_tokens' exceeds your tier's limit.");
            case "invalid_request" -> OpenAiError.invalid(null, "The request is missing a model or max_tokens.");
            case "internal_error" ->
                OpenAiError.unavailable(
                        "policy_unavailable", "Access cannot be checked now, so nothing was forwarded.", 2);
            default -> OpenAiError.forbidden(reason, "Access denied: " + reason.replace('_', ' ') + ".");
        };
    }
}
