package org.vettedaccess.policy.change;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The change feed (docs/architecture.md): every revocation, suspension, kill-switch and catalog change is a row
 * with a sequence number, written in the same transaction as the change. Gateways long-poll for rows after
 * the last sequence they saw; a gateway that cannot reach the feed stops trusting its cached decisions. Sequence
 * order is commit order (the database draws each seq under a lock held until commit, V8), so continuing after the
 * last sequence seen never skips a change that committed later.
 */
@ApplicationScoped
public class ChangeFeed {

    private static final long POLL_MILLIS = 100;

    private final ChangeRepository changes;
    private final Clock clock;
    private final TransactionSynchronizationRegistry transactions;
    private final Event<Changed> changed;
    private final Event<Seen> seen;

    public ChangeFeed(
            ChangeRepository changes,
            Clock clock,
            TransactionSynchronizationRegistry transactions,
            Event<Changed> changed,
            Event<Seen> seen) {
        this.changes = changes;
        this.clock = clock;
        this.transactions = transactions;
        this.changed = changed;
        this.seen = seen;
    }

    /**
     * Fired on this replica once a transaction that recorded a change has committed.
     *
     * @param subject the person it concerns, or null for a change that names nobody (catalog, tier, kill switch)
     */
    public record Changed(String kind, String subject) {}

    /**
     * Fired when this replica reads changes up to {@code seq} from the feed, before it passes them on.
     *
     * @param subjects the people those changes name (a change naming nobody adds none)
     */
    public record Seen(long seq, Set<String> subjects) {}

    /** Records a change; call it inside the transaction that makes the change. */
    public void record(String kind, UUID grantId, String subject, String scope) {
        ChangeEntity change = new ChangeEntity();
        change.id = UUID.randomUUID();
        change.kind = kind;
        change.grantId = grantId;
        change.subject = subject;
        change.scope = scope;
        change.at = clock.instant();
        changes.persist(change);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    changed.fire(new Changed(kind, subject));
                }
            }
        });
    }

    /** Changes after {@code seq}, waiting up to {@code wait} for the first one to appear. */
    public List<ChangeEntity> after(long seq, int limit, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<ChangeEntity> found = changes.after(seq, limit);
            if (!found.isEmpty()) {
                // This replica's decisions must not lag what its readers are told (a gateway asks again at once).
                Set<String> subjects = new HashSet<>();
                for (ChangeEntity change : found) {
                    if (change.subject != null) {
                        subjects.add(change.subject);
                    }
                }
                seen.fire(new Seen(found.get(found.size() - 1).seq, subjects));
                return found;
            }
            if (System.nanoTime() >= deadline) {
                return found;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }

    public long latest() {
        return changes.latest();
    }
}
