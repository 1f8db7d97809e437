package org.vettedaccess.kyc.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.policy.KycOutcome;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.EventEntity;
import org.vettedaccess.kyc.application.EventRepository;
import org.vettedaccess.kyc.policy.KycOutcomeClient;
import org.vettedaccess.support.outbox.LedgerOutbox;
import org.vettedaccess.support.outbox.OutboxUnavailableException;

/**
 * KYC decisions commit in the decision's transaction with two deliveries queued: the {@code kyc.decision} leaf in the
 * shared ledger outbox ({@link LedgerOutbox}, in order, exactly once; {@link DecisionLeaves} stores the index), and
 * the report to access-policy in {@code decision_outbox}. The suite's rule decides the order between the two:
 *
 * <ul>
 *   <li>an approval is permissive: access-policy hears of it only once its leaf exists (grants name that leaf);
 *   <li>every other outcome (suspension, expiry, rejection, withdrawal) is restrictive: access-policy is told at once,
 *       with no leaf, whether or not the ledger is up, and the leaf follows from the outbox. It also makes any earlier
 *       undelivered report about the same researcher moot (SUPERSEDED), so a stale approval never lands after it.
 * </ul>
 *
 * A report is delivered right after its transaction when it can be, and by a background loop otherwise.
 */
@ApplicationScoped
public class DecisionOutbox {

    private static final Logger LOG = Logger.getLogger(DecisionOutbox.class);
    private static final long LOOP_MILLIS = 1_000;

    private final DecisionOutboxRepository outbox;
    private final EventRepository events;
    private final LedgerOutbox ledger;
    private final KycOutcomeClient policy;
    private final ObjectMapper json;
    private final Clock clock;
    private final java.time.Duration lockWait;
    private final Semaphore wake = new Semaphore(0);
    private final java.util.concurrent.locks.ReentrantLock reporting = new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean running = true;
    private Thread worker;

    public DecisionOutbox(
            DecisionOutboxRepository outbox,
            EventRepository events,
            LedgerOutbox ledger,
            KycOutcomeClient policy,
            ObjectMapper json,
            Clock clock,
            org.vettedaccess.kyc.config.KycConfig config) {
        this.outbox = outbox;
        this.events = events;
        this.ledger = ledger;
        this.policy = policy;
        this.json = json;
        this.clock = clock;
        this.lockWait = config.ledgerOutboxLockWait();
    }

    /** Queues a decision in the caller's transaction; {@code outcome} null means access-policy need not hear of it. */
    public void enqueue(
            ApplicationEntity application, String idempotencyKey, Map<String, Object> entry, KycOutcome outcome) {
        OutboxEntity row = new OutboxEntity();
        row.id = UUID.randomUUID();
        row.applicationId = application.id;
        row.outcome = String.valueOf(entry.get("outcome"));
        row.idempotencyKey = idempotencyKey;
        try {
            row.entry = json.writeValueAsString(entry);
            row.policyOutcome = json.writeValueAsString(outcome);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        boolean approval = outcome != null && outcome.approval();
        row.createdAt = clock.instant();
        if (outcome == null) {
            row.state = "DONE";
            row.doneAt = row.createdAt;
        } else if (approval) {
            row.state = "PENDING_LEDGER";
        } else {
            outbox.supersedeBefore(application.subject, row.createdAt);
            row.state = "PENDING_POLICY";
        }
        outbox.persist(row);
        ledger.enqueue(idempotencyKey, "kyc.decision", entry, row.id.toString());
    }

    /**
     * Delivers an application's pending decisions now (after the caller's commit): restrictive reports first, at
     * once; then the leaves, if the ledger takes them now; then an approval's report, once its leaf exists.
     */
    public void deliverOf(UUID applicationId) {
        if (!reportReady(applicationId)) {
            return;
        }
        if (QuarkusTransaction.requiringNew().call(() -> outbox.withoutLeaf(applicationId)) > 0) {
            try {
                ledger.drain(lockWait);
            } catch (OutboxUnavailableException e) {
                // The leaves wait in the outbox; the relay delivers them, then the loop reports what waited for them.
                return;
            }
            reportReady(applicationId);
        }
    }

    /** Reports every ready decision, oldest first, stopping at the first access-policy does not take. */
    public int deliverAll() {
        return report(QuarkusTransaction.requiringNew().call(() -> outbox.readyForPolicy(null, 200)));
    }

    /** Wakes the loop: a leaf arrived, so an approval may be ready to report. */
    void wake() {
        wake.release();
    }

    private boolean reportReady(UUID applicationId) {
        List<UUID> ready = QuarkusTransaction.requiringNew().call(() -> outbox.readyForPolicy(applicationId, 200));
        return report(ready) == ready.size();
    }

    private int report(List<UUID> ids) {
        int delivered = 0;
        for (UUID id : ids) {
            if (!deliver(id)) {
                break;
            }
            delivered++;
        }
        return delivered;
    }

    /**
     * Tells access-policy of one decision; false if it refused for now. One at a time in this replica, so the loop and
     * a request thread never report the same row at once.
     */
    boolean deliver(UUID id) {
        reporting.lock();
        try {
            return deliverAlone(id);
        } finally {
            reporting.unlock();
        }
    }

    private boolean deliverAlone(UUID id) {
        OutboxEntity row = QuarkusTransaction.requiringNew().call(() -> outbox.findById(id));
        if (row == null || !row.state.equals("PENDING_POLICY")) {
            return true;
        }
        try {
            KycOutcome outcome = json.readValue(row.policyOutcome, KycOutcome.class);
            String grant = null;
            if (outcome != null) {
                // Stored without its leaf; an approval is reported only once the leaf exists (row.ledgerIndex).
                grant = policy.report(outcome.withKycLeaf(row.ledgerIndex)).grantId();
            }
            String issued = grant;
            QuarkusTransaction.requiringNew().run(() -> {
                OutboxEntity stored = outbox.findById(id);
                if (!stored.state.equals("PENDING_POLICY")) {
                    return;
                }
                stored.state = "DONE";
                stored.doneAt = clock.instant();
                if (issued != null) {
                    EventEntity event = new EventEntity();
                    event.applicationId = stored.applicationId;
                    event.state = "GRANTED";
                    event.actor = "access-policy";
                    event.reason = "grant " + issued + " issued by the approval";
                    event.at = clock.instant();
                    events.persist(event);
                }
            });
            return true;
        } catch (RuntimeException | JsonProcessingException e) {
            String error = e.getMessage() == null ? e.toString() : e.getMessage();
            QuarkusTransaction.requiringNew().run(() -> {
                OutboxEntity stored = outbox.findById(id);
                stored.attempts++;
                stored.lastError = error.length() > 500 ? error.substring(0, 500) : error;
            });
            return false;
        }
    }

    void start(@Observes StartupEvent event) {
        worker = Thread.ofVirtual().name("decision-outbox").start(() -> {
            while (running) {
                try {
                    wake.tryAcquire(LOOP_MILLIS, TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                    deliverAll();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf("the decision outbox cannot be read now: %s", e.toString());
                }
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }
}
