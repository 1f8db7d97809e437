package org.vettedaccess.policy.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;
import org.vettedaccess.support.outbox.DuplicateEntryException;
import org.vettedaccess.support.outbox.LedgerOutbox;
import org.vettedaccess.support.outbox.OutboxUnavailableException;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Records access-policy's changes in the ledger by the suite's rule (docs/architecture.md, "Restrictive and
 * permissive changes"): a change that stops or narrows access never waits for the ledger, a change that grants or
 * loosens it never happens without its leaf.
 */
@ApplicationScoped
public class LedgerRecorder {

    private static final Logger LOG = Logger.getLogger(LedgerRecorder.class);

    private final LedgerOutbox outbox;

    public LedgerRecorder(LedgerOutbox outbox) {
        this.outbox = outbox;
    }

    /**
     * A permissive change (grant issue, reinstate, kill-switch release, loosening the catalog or a tier): first
     * delivers every earlier restrictive entry still in the outbox, then appends this one synchronously and returns
     * its leaf index, before the caller's transaction commits.
     *
     * @throws ProblemException 503 ("nothing was changed") if the ledger cannot take it now
     */
    public long permissive(String idempotencyKey, String type, Map<String, Object> entry) {
        try {
            return outbox.appendAfterPending(idempotencyKey, type, entry);
        } catch (OutboxUnavailableException | IllegalStateException e) {
            LOG.warnf("the ledger did not take %s (%s): %s", type, idempotencyKey, e.getMessage());
            throw new ProblemException(
                    ProblemType.UNAVAILABLE, "The usage-ledger cannot record this change now; nothing was changed.");
        }
    }

    /**
     * A restrictive change (kill-switch engage, grant suspend, revoke, expiry): queues the entry in the caller's
     * transaction, so it commits and takes effect with the change whether or not the ledger is up; the relay
     * delivers it after the commit and the entry type's {@code LeafCallback} stores its index.
     */
    public void restrictive(String idempotencyKey, String type, Map<String, Object> entry) {
        try {
            outbox.enqueue(idempotencyKey, type, entry, null);
        } catch (DuplicateEntryException e) {
            // Two admins changed the same version at once; the other change is in force.
            throw new ProblemException(
                    ProblemType.CONFLICT, "This was changed at the same moment by someone else; reload and try again.");
        }
    }

    /**
     * Marks a catalog or tier leaf as seeding: written at start for a version made before versions were leaves (the
     * tiers Flyway seeds), with the one actor who made it. Conformance accepts such a leaf without a second admin only
     * before the log's first ordinary catalog or tier leaf (VA-SEED), so a later one-admin change cannot pass as one.
     */
    public static Map<String, Object> seeded(Map<String, Object> leaf) {
        leaf.put("seeded", true);
        return leaf;
    }
}
