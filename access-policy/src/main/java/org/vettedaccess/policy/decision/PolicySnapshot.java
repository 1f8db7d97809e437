package org.vettedaccess.policy.decision;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.vettedaccess.policy.catalog.ModelRepository;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.change.ChangeRepository;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.policy.killswitch.KillSwitchRepository;
import org.vettedaccess.policy.tier.TierRepository;

/**
 * Keeps {@link PolicyState} in memory so that a decision reads only the subject's grants and assurance from the
 * database. The state is dropped when this replica commits a change (see {@code ChangeFeed}), and is not used
 * once the change feed shows a newer change from another replica: checked every {@code policy.follow-interval}
 * (200 ms) by a loop of its own (the scheduler's intervals start at one second), and whenever this replica serves
 * the feed to a gateway, so that a gateway told of a change never gets a decision that predates it.
 */
@ApplicationScoped
public class PolicySnapshot {

    private static final Logger LOG = Logger.getLogger(PolicySnapshot.class);

    private final ModelRepository models;
    private final TierRepository tiers;
    private final KillSwitchRepository switches;
    private final ChangeRepository changes;
    private final PolicyConfig config;
    private volatile PolicyState state;
    /** Bumped by every invalidation, so that a state loaded before it is never kept after it. */
    private long invalidations;
    /** The newest change known to exist; a state older than that is not used. */
    private final AtomicLong newest = new AtomicLong();

    private volatile boolean running = true;
    private Thread follower;

    public PolicySnapshot(
            ModelRepository models,
            TierRepository tiers,
            KillSwitchRepository switches,
            ChangeRepository changes,
            PolicyConfig config) {
        this.models = models;
        this.tiers = tiers;
        this.switches = switches;
        this.changes = changes;
        this.config = config;
    }

    public PolicyState current() {
        PolicyState current = state;
        if (current == null || current.seq() < newest.get()) {
            long generation;
            synchronized (this) {
                generation = invalidations;
            }
            current = QuarkusTransaction.requiringNew().call(this::load);
            synchronized (this) {
                if (generation == invalidations) {
                    state = current;
                }
            }
        }
        return current;
    }

    /** Forgets the state; the next decision reads it again. */
    public synchronized void invalidate() {
        invalidations++;
        state = null;
    }

    void onLocalChange(@Observes ChangeFeed.Changed change) {
        invalidate();
    }

    void onFeedRead(@Observes ChangeFeed.Seen seen) {
        newest.accumulateAndGet(seen.seq(), Math::max);
    }

    void start(@Observes StartupEvent event) {
        follower = Thread.ofVirtual().name("policy-follower").start(() -> {
            while (running) {
                followOtherReplicas();
                try {
                    Thread.sleep(config.followInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (follower != null) {
            follower.interrupt();
        }
    }

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
        // The sequence first: whatever commits while the rest is read makes the state look older, never newer.
        long seq = changes.latest();
        return new PolicyState(
                seq,
                Map.copyOf(models.listAll().stream().collect(Collectors.toMap(m -> m.id, Function.identity()))),
                Map.copyOf(tiers.current().stream().collect(Collectors.toMap(t -> t.tier, Function.identity()))),
                List.copyOf(switches.engaged()));
    }
}
