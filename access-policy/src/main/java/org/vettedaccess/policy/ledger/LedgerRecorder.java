package org.vettedaccess.policy.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Records a change in the ledger before the change is committed here: if the ledger cannot take it, the
 * change is refused with a 503 and nothing is changed (invariant 2: every access-relevant change is a leaf).
 */
@ApplicationScoped
public class LedgerRecorder {

    private static final Logger LOG = Logger.getLogger(LedgerRecorder.class);

    private final LedgerClient ledger;

    public LedgerRecorder(LedgerClient ledger) {
        this.ledger = ledger;
    }

    /**
     * Records a permissive change (one that grants or loosens access) before it commits here: returns the leaf
     * index, or throws a 503 problem when the ledger cannot take it, so that nothing is changed.
     */
    public long permissive(String idempotencyKey, String type, Map<String, Object> entry) {
        return record(idempotencyKey, type, entry);
    }

    /**
     * Records a restrictive change (one that only narrows access), which never waits for the ledger: its leaf is
     * enqueued in the caller's transaction and delivered afterwards.
     */
    public void restrictive(String idempotencyKey, String type, Map<String, Object> entry) {
        // replaced by the durable outbox (branch outbox)
        record(idempotencyKey, type, entry);
    }

    public long record(String idempotencyKey, String type, Map<String, Object> entry) {
        try {
            return ledger.append(idempotencyKey, type, entry);
        } catch (RuntimeException e) {
            LOG.warnf("the ledger did not take %s (%s): %s", type, idempotencyKey, e.toString());
            throw new ProblemException(
                    ProblemType.UNAVAILABLE, "The usage-ledger cannot record this change now; nothing was changed.");
        }
    }
}
