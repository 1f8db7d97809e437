package org.vettedaccess.gateway.openai;

import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.quota.Buckets;
import org.vettedaccess.gateway.quota.QuotaStore;
import org.vettedaccess.gateway.quota.Reservation;
import org.vettedaccess.gateway.tripwire.AnswerSignals;
import org.vettedaccess.gateway.tripwire.CallCounter;
import org.vettedaccess.gateway.tripwire.CallFacts;
import org.vettedaccess.gateway.usage.RecordRetries;
import org.vettedaccess.gateway.usage.RecordWriter;

/**
 * The last stage of a call: frees its bulkhead slot, settles its quota on what it used, and completes its record
 * for the ledger; or, for a call never forwarded, withdraws the record and gives the whole reservation back.
 * Nothing here blocks the event loop that calls it: the quota settles in one asynchronous round trip (or a memory
 * update), the completion joins the record writer's next group commit, and only a failed write takes a virtual
 * thread to try again while the PENDING worst case stays recorded.
 */
@Singleton
class Settlement {

    private static final Logger LOG = Logger.getLogger(Settlement.class);

    private final QuotaStore quota;
    private final RecordWriter records;
    private final RecordRetries retries;
    private final CallCounter tripwires;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    Settlement(QuotaStore quota, RecordWriter records, RecordRetries retries, CallCounter tripwires) {
        this.tripwires = tripwires;
        this.quota = quota;
        this.records = records;
        this.retries = retries;
    }

    /**
     * Ends a forwarded call (the relay calls it once per call): frees the bulkhead, settles quota, and completes
     * its record with {@code status} and the tokens used.
     */
    void finish(AdmittedCall call, String status, long inputTokens, long outputTokens, AnswerSignals signals) {
        call.route().release();
        Instant finishedAt = Instant.now();
        String model = call.call().model;
        // What was reserved less what was used (a charge if the upstream used more). A caller who leaves mid-stream
        // gets no output back: the upstream may have generated more than the gateway relayed before the cancel
        // reached it, and leaving early must not buy tokens the limit would refuse.
        boolean cancelled = "client_cancelled".equals(status);
        Buckets refunds = call.reservation().refunds(inputTokens, cancelled ? call.outputReserved() : outputTokens);
        // When the reservation was exact there is nothing to give back or take, and a settlement would change nothing.
        if (refunds.inputTokens() != 0 || refunds.outputTokens() != 0) {
            quota.settle(call.grant(), call.reservation().capacities(), refunds).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.warnf("could not settle quota of grant %s: %s", call.grant(), failure.toString());
                }
            });
        }
        UUID id = call.requestId();
        UUID grantId = call.grantId();
        // The grant's durable budget is charged as the rate bucket is: a caller who left is charged the whole output
        // reservation (issue 18), the record still says what was relayed.
        long charged = inputTokens + (cancelled ? call.outputReserved() : outputTokens);
        tripwires.record(new CallFacts(
                model,
                call.record().subject(),
                grantId,
                status,
                inputTokens,
                outputTokens,
                signals,
                call.decision().institution(),
                call.decision().country(),
                Math.max(
                        0, finishedAt.toEpochMilli() - call.record().startedAt().toEpochMilli())));
        String entry = call.record().entry(status, inputTokens, outputTokens, finishedAt);
        records.closeLater(id, grantId, inputTokens, outputTokens, charged, entry)
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        workers.execute(() -> retries.untilWritten(
                                "complete usage record " + id + "; its worst-case record will be delivered",
                                () -> records.close(id, grantId, inputTokens, outputTokens, charged, entry)));
                    }
                });
    }

    /**
     * A call admitted but never forwarded (its route was busy, or unreachable on every attempt): its record is
     * withdrawn and its whole reservation given back. The bulkhead slot, if taken, is the caller's to free.
     */
    void withdraw(AdmittedCall call) {
        refund(call.grant(), call.reservation());
        withdrawRecord(call);
    }

    /** Withdraws the record of a call never forwarded (on a worker thread, trying again); the quota is not touched. */
    void withdrawRecord(AdmittedCall call) {
        UUID id = call.requestId();
        UUID grantId = call.grantId();
        workers.execute(() -> retries.untilWritten(
                "withdraw record " + id + " of a call never forwarded", () -> records.withdraw(id, grantId)));
    }

    /** Gives back everything a call reserved, without waiting (an event loop may call it). */
    void refund(String grant, Reservation reservation) {
        quota.settle(grant, reservation.capacities(), reservation.all()).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warnf(
                        "could not give back quota of grant %s: %s",
                        grant, unwrap(failure).toString());
            }
        });
    }

    static Throwable unwrap(Throwable failure) {
        while (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure;
    }
}
