package org.vettedaccess.policy.decision;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.vettedaccess.policy.catalog.ModelRepository;
import org.vettedaccess.policy.change.ChangeRepository;
import org.vettedaccess.policy.killswitch.KillSwitchRepository;
import org.vettedaccess.policy.tier.TierRepository;

/**
 * Keeps {@link PolicyState} in memory so that a decision reads only the subject's grants and assurance from the
 * database. The state is dropped when this replica commits a change (see {@code ChangeFeed}) and when the
 * change feed shows a change from another replica (checked every 200 ms), and rebuilt on the next decision.
 */
@ApplicationScoped
public class PolicySnapshot {

    private static final Logger LOG = Logger.getLogger(PolicySnapshot.class);

    private final ModelRepository models;
    private final TierRepository tiers;
    private final KillSwitchRepository switches;
    private final ChangeRepository changes;
    private volatile PolicyState state;

    public PolicySnapshot(
            ModelRepository models, TierRepository tiers, KillSwitchRepository switches, ChangeRepository changes) {
        this.models = models;
        this.tiers = tiers;
        this.switches = switches;
        this.changes = changes;
    }

    public PolicyState current() {
        PolicyState current = state;
        if (current == null) {
            current = QuarkusTransaction.requiringNew().call(this::load);
            state = current;
        }
        return current;
    }

    /** Forgets the state; the next decision reads it again. */
    public void invalidate() {
        state = null;
    }

    void onLocalChange(@jakarta.enterprise.event.Observes org.vettedaccess.policy.change.ChangeFeed.Changed change) {
        invalidate();
    }

    @Scheduled(every = "0.2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void followOtherReplicas() {
        PolicyState current = state;
        if (current == null) {
            return;
        }
        try {
            long latest = QuarkusTransaction.requiringNew().call(changes::latest);
            if (latest != current.seq()) {
                invalidate();
            }
        } catch (RuntimeException e) {
            // Without the feed this replica cannot know what changed elsewhere: stop trusting the state.
            LOG.debugf("cannot read the change feed: %s", e.toString());
            invalidate();
        }
    }

    private PolicyState load() {
        long seq = changes.latest();
        return new PolicyState(
                seq,
                Map.copyOf(models.listAll().stream().collect(Collectors.toMap(m -> m.id, Function.identity()))),
                Map.copyOf(tiers.current().stream().collect(Collectors.toMap(t -> t.tier, Function.identity()))),
                java.util.List.copyOf(switches.engaged()));
    }
}
