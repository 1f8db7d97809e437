package org.vettedaccess.kyc.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationRepository;
import org.vettedaccess.kyc.application.EventEntity;
import org.vettedaccess.kyc.application.EventRepository;
import org.vettedaccess.kyc.ledger.LedgerClient;
import org.vettedaccess.kyc.policy.PolicyClient;

/**
 * KYC decisions commit here first, in the decision's transaction, then go to the ledger (their leaf index is
 * stored on the application) and then to access-policy, in the order they were made. A ledger or access-policy
 * outage delays delivery; nothing is lost. A decision is delivered at once after its transaction when it can be,
 * and by a background loop otherwise.
 */
@ApplicationScoped
public class DecisionOutbox {

    private static final Logger LOG = Logger.getLogger(DecisionOutbox.class);
    private static final long LOOP_MILLIS = 1_000;

    private final OutboxRepository outbox;
    private final ApplicationRepository applications;
    private final EventRepository events;
    private final LedgerClient ledger;
    private final PolicyClient policy;
    private final ObjectMapper json;
    private final Clock clock;
    private volatile boolean running = true;
    private Thread worker;

    public DecisionOutbox(
            OutboxRepository outbox,
            ApplicationRepository applications,
            EventRepository events,
            LedgerClient ledger,
            PolicyClient policy,
            ObjectMapper json,
            Clock clock) {
        this.outbox = outbox;
        this.applications = applications;
        this.events = events;
        this.ledger = ledger;
        this.policy = policy;
        this.json = json;
        this.clock = clock;
    }

    /** Queues a decision in the caller's transaction; {@code outcome} null means access-policy need not hear of it. */
    public void enqueue(
            ApplicationEntity application, String idempotencyKey, Map<String, Object> entry, PendingOutcome outcome) {
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
        row.state = "PENDING_LEDGER";
        row.createdAt = clock.instant();
        outbox.persist(row);
    }

    /** Delivers an application's pending decisions now, if the ledger and access-policy can take them. */
    public void deliverOf(UUID applicationId) {
        for (UUID id : QuarkusTransaction.requiringNew().call(() -> outbox.pendingOf(applicationId))) {
            if (!deliver(id)) {
                return;
            }
        }
    }

    /** Delivers every pending decision, oldest first, stopping at the first that cannot go yet (order matters). */
    public int deliverAll() {
        int delivered = 0;
        for (UUID id : QuarkusTransaction.requiringNew().call(() -> outbox.pending(200))) {
            if (!deliver(id)) {
                break;
            }
            delivered++;
        }
        return delivered;
    }

    /** Moves one decision as far as it can go; false if the ledger or access-policy refused it for now. */
    boolean deliver(UUID id) {
        OutboxEntity row = QuarkusTransaction.requiringNew().call(() -> outbox.findById(id));
        if (row == null || row.state.equals("DONE")) {
            return true;
        }
        try {
            if (row.state.equals("PENDING_LEDGER")) {
                Map<String, Object> entry = json.readValue(row.entry, new TypeReference<>() {});
                long index = ledger.append(row.idempotencyKey, "kyc.decision", entry);
                QuarkusTransaction.requiringNew().run(() -> {
                    OutboxEntity stored = outbox.findById(id);
                    stored.state = "PENDING_POLICY";
                    stored.ledgerIndex = index;
                    ApplicationEntity application = applications.findById(stored.applicationId);
                    application.kycLeaf = index;
                });
                row.state = "PENDING_POLICY";
                row.ledgerIndex = index;
            }
            PendingOutcome outcome = json.readValue(row.policyOutcome, PendingOutcome.class);
            String grant = null;
            if (outcome != null) {
                grant = policy.report(
                                outcome.subject(),
                                outcome.assuranceLevel(),
                                outcome.approvedTier(),
                                row.ledgerIndex,
                                outcome.status(),
                                outcome.institution(),
                                outcome.country(),
                                outcome.validUntil(),
                                outcome.requestedTier(),
                                outcome.requestedModels(),
                                outcome.purpose())
                        .grantId();
            }
            String issued = grant;
            QuarkusTransaction.requiringNew().run(() -> {
                OutboxEntity stored = outbox.findById(id);
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
                    Thread.sleep(LOOP_MILLIS);
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
