package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.gateway.openai.StageFixtures.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.gateway.openai.StageFixtures.Answer;
import org.vettedaccess.gateway.openai.StageFixtures.FakeRoute;
import org.vettedaccess.gateway.openai.StageFixtures.Records;
import org.vettedaccess.gateway.openai.StageFixtures.Stages;
import org.vettedaccess.gateway.quota.Buckets;

/**
 * Admission after an allow, with a fake quota store and record writer: nothing goes on to the forward before its
 * PENDING record has committed, and every refusal after the reservation gives the quota back.
 */
class AdmissionTest {

    private static final ApiCaller CALLER = new ApiCaller("subject-a", UUID.randomUUID(), null);

    private Vertx vertx;
    private Stages stages;
    private FakeRoute route;
    private Admission admission;
    private final CompletableFuture<AdmittedCall> forwarded = new CompletableFuture<>();
    private final CompletableFuture<Boolean> forwardedOnEventLoop = new CompletableFuture<>();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        stages = new Stages(vertx, 30_000);
        route = new FakeRoute(vertx, 1, 1);
        admission = new Admission(
                null,
                null,
                stages.quota,
                stages.records,
                stages.ledgerDown::get,
                name -> Optional.of(route),
                stages.settlement,
                5,
                StageFixtures.JSON,
                vertx,
                stages.responses,
                stages.metrics,
                null);
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close().toCompletionStage());
    }

    /** A gateway route admitting every request as {@code call} under {@code decision}. */
    private int gateway(ModelCall call, Decision decision) throws Exception {
        HttpServer server = StageFixtures.serve(vertx, request -> {
            Admission.Admitting admitting = new Admission.Admitting(
                    request.response(), vertx.getOrCreateContext(), Instant.now(), CALLER, call);
            admission.decided(admitting, decision, admitted -> {
                forwardedOnEventLoop.complete(Context.isOnEventLoopThread());
                forwarded.complete(admitted);
                admitted.response().end("forwarded");
            });
        });
        return server.actualPort();
    }

    @Test
    void nothingIsForwardedBeforeItsPendingRecordHasCommitted() throws Exception {
        stages.records.commitAtOnce = false;
        ModelCall call = StageFixtures.chat(",\"max_tokens\":100,\"n\":2");
        Decision decision = StageFixtures.allow(1_000_000L, true);
        CompletableFuture<Answer> answer = StageFixtures.call(vertx, gateway(call, decision));

        Records.Opened pending = stages.records.opens.poll(5, TimeUnit.SECONDS);
        assertNotNull(pending);
        assertTrue(pending.entry().contains("\"status\":\"interrupted\""), "the worst case: " + pending.entry());
        assertTrue(pending.entry().contains("\"outputTokens\":200"), "max_tokens for each of n sequences");
        assertEquals(call.inputTokenEstimate + 200, pending.reserve(), "the budget reservation is the worst case");
        assertEquals(1_000_000L, pending.budget());
        assertEquals(new Buckets(1, call.inputTokenEstimate, 200), stages.quota.reserved.poll());
        Thread.sleep(200);
        assertFalse(forwarded.isDone(), "not forwarded while its record is not durable");

        pending.done().complete(true);
        AdmittedCall admitted = forwarded.get(5, TimeUnit.SECONDS);
        assertTrue(forwardedOnEventLoop.get(), "the forward resumes on the request's event loop");
        assertEquals(pending.id(), admitted.requestId());
        assertEquals(100, admitted.maxTokens());
        assertEquals(200, admitted.outputReserved());
        assertEquals("forwarded", await(answer).body());
        assertEquals(0, route.slots.get(), "the bulkhead slot is taken for the call");
    }

    @Test
    void aBudgetThatCannotCoverTheCallIsA429AndTheQuotaGoesBack() throws Exception {
        stages.records.commitAtOnce = false;
        ModelCall call = StageFixtures.chat(",\"max_tokens\":100");
        CompletableFuture<Answer> answer = StageFixtures.call(vertx, gateway(call, StageFixtures.allow(10L, true)));
        stages.records.opens.poll(5, TimeUnit.SECONDS).done().complete(false);

        assertEquals(429, await(answer).status());
        assertTrue(await(answer).body().contains("insufficient_quota"));
        assertEquals(new Buckets(1, call.inputTokenEstimate, 100), stages.quota.settled.poll(5, TimeUnit.SECONDS));
        assertFalse(forwarded.isDone());
    }

    @Test
    void aTierThatFailsClosedIsRefusedWhileTheLedgerIsDownAndNothingIsRecorded() throws Exception {
        stages.ledgerDown.set(true);
        ModelCall call = StageFixtures.chat(",\"max_tokens\":100");
        Answer answer = await(StageFixtures.call(vertx, gateway(call, StageFixtures.allow(null, true))));

        assertEquals(503, answer.status());
        assertTrue(answer.body().contains("ledger_unavailable"));
        assertNull(stages.records.opens.poll(100, TimeUnit.MILLISECONDS));
        assertEquals(new Buckets(1, call.inputTokenEstimate, 100), stages.quota.settled.poll(5, TimeUnit.SECONDS));
        assertFalse(forwarded.isDone());
    }

    @Test
    void aTierThatFailsOpenIsForwardedWhileTheLedgerIsDown() throws Exception {
        stages.ledgerDown.set(true);
        ModelCall call = StageFixtures.chat(",\"max_tokens\":100");
        Answer answer = await(StageFixtures.call(vertx, gateway(call, StageFixtures.allow(null, false))));

        assertEquals("forwarded", answer.body());
        assertNotNull(stages.records.opens.poll(), "its record is still written first");
    }

    @Test
    void aBusyRouteIsA503AndTheRecordIsWithdrawnAndTheQuotaGivenBackOnce() throws Exception {
        route.acquire(); // its one slot is taken
        ModelCall call = StageFixtures.chat(",\"max_tokens\":100");
        Answer answer = await(StageFixtures.call(vertx, gateway(call, StageFixtures.allow(null, true))));

        assertEquals(503, answer.status());
        assertTrue(answer.body().contains("upstream_busy"));
        assertEquals(stages.records.opens.poll().id(), stages.records.withdrawn.poll(5, TimeUnit.SECONDS));
        assertNotNull(stages.quota.settled.poll(5, TimeUnit.SECONDS));
        assertNull(stages.quota.settled.poll(200, TimeUnit.MILLISECONDS), "given back once, not twice");
    }

    @Test
    void aCallLargerThanABucketIsRefusedBeforeAnythingIsReserved() {
        // n = 8 × max_tokens 4096 = 32,768 output tokens against a limit of 20,000 a minute.
        ModelCall call = StageFixtures.chat(",\"max_tokens\":4096,\"n\":8");
        Admission.Admitting admitting = new Admission.Admitting(null, null, Instant.now(), CALLER, call);
        OpenAiError refused = assertThrows(
                OpenAiError.class,
                () -> admission.decided(admitting, StageFixtures.allow(null, true), forwarded::complete));

        assertEquals(429, refused.status());
        assertEquals("request_too_large", refused.code());
        assertEquals("n", refused.param());
        assertEquals("false", refused.headers().get("x-should-retry"));
        assertTrue(stages.quota.reserved.isEmpty());
        assertTrue(stages.records.opens.isEmpty());
    }

    @Test
    void aMaxTokensAboveTheTiersIsA400() {
        ModelCall call = StageFixtures.chat(",\"max_tokens\":5000");
        Admission.Admitting admitting = new Admission.Admitting(null, null, Instant.now(), CALLER, call);
        OpenAiError refused = assertThrows(
                OpenAiError.class,
                () -> admission.decided(admitting, StageFixtures.allow(null, true), forwarded::complete));
        assertEquals(400, refused.status());
        assertEquals("max_tokens", refused.param());
    }

    @Test
    void aDenialBecomesItsOpenAiError() {
        ModelCall call = StageFixtures.chat("");
        Decision unknown = new Decision(
                "DENY", List.of("unknown_model"), UUID.randomUUID(), null, null, null, null, null, null, null, 0, null);
        OpenAiError notFound = assertThrows(OpenAiError.class, () -> Admission.judged(call, unknown));
        assertEquals(404, notFound.status());
        assertEquals("model_not_found", notFound.code());
        Decision suspended = new Decision(
                "DENY",
                List.of("grant_suspended"),
                UUID.randomUUID(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                0,
                null);
        OpenAiError forbidden = assertThrows(OpenAiError.class, () -> Admission.judged(call, suspended));
        assertEquals(403, forbidden.status());
        assertEquals("grant_suspended", forbidden.code());
    }
}
