package org.vettedaccess.policy.decision;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.vettedaccess.policy.catalog.ModelRepository;
import org.vettedaccess.policy.change.ChangeEntity;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.change.ChangeRepository;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.policy.killswitch.KillSwitchRepository;
import org.vettedaccess.policy.tier.TierRepository;

/**
 * Keeps {@link PolicyState} in memory, and follows the change feed for what other replicas change. The state is
 * dropped when this replica commits a change (see {@code ChangeFeed}), and is not used once the feed shows a newer
 * change: read every {@code policy.follow-interval} (200 ms) by a loop of its own (the scheduler's intervals start at
 * one second), whenever this replica serves the feed to a gateway, and before a decision whose caller has already
 * seen a newer change ({@link #atLeast}, ADR 0098). Following the feed also drops the {@link SubjectRows} of every
 * subject a change names.
 */
@ApplicationScoped
public class PolicySnapshot {

    private static final Logger LOG = Logger.getLogger(PolicySnapshot.class);
    /** A page of the feed this long means this replica is far behind: it forgets everything and starts from now. */
    private static final int PAGE = 500;

    private final ModelRepository models;
    private final TierRepository tiers;
    private final KillSwitchRepository switches;
    private final ChangeRepository changes;
    private final PolicyConfig config;
    private final SubjectRows subjects;
    private volatile PolicyState state;
    /** Bumped by every invalidation, so that a state loaded before it is never kept after it. */
    private long invalidations;
    /** The newest change known to exist; a state older than that is not used. */
    private final AtomicLong newest = new AtomicLong();
    /**
     * Every change up to this sequence has been applied here: its subject's rows dropped and the state marked old.
     * Advanced only after the drops, so a decision that finds its caller's floor at or below it may trust memory; -1
     * until the feed was first read.
     */
    private volatile long followed = -1;
    /** When the feed was last read without error (System.nanoTime()). */
    private volatile long followedAt = System.nanoTime();
    /** One reader of the feed at a time: the follower, or a decision catching up. */
    private final ReentrantLock following = new ReentrantLock();

    private volatile boolean running = true;
    private Thread follower;

    public PolicySnapshot(
            ModelRepository models,
            TierRepository tiers,
            KillSwitchRepository switches,
            ChangeRepository changes,
            PolicyConfig config,
            SubjectRows subjects) {
        this.models = models;
        this.tiers = tiers;
        this.switches = switches;
        this.changes = changes;
        this.config = config;
        this.subjects = subjects;
    }

    /**
     * The state, after this replica has applied every change up to {@code afterSeq} (the newest one a caller has
     * seen), or up to the newest change that exists if {@code afterSeq} is beyond it: it never waits for a sequence
     * nobody wrote. If this replica is behind it reads the feed now. Fails (the decision is then a deny) if it cannot
     * catch up within {@code policy.catch-up-wait}.
     */
    public PolicyState atLeast(long afterSeq) {
        if (behind(afterSeq)) {
            catchUp(afterSeq);
        }
        return current();
    }

    /** Below the caller's floor, or not sure of anything for longer than {@code policy.max-lag}. */
    private boolean behind(long afterSeq) {
        return afterSeq > followed
                || System.nanoTime() - followedAt > config.maxLag().toNanos();
    }

    /** The newest change this replica has applied. */
    long followed() {
        return followed;
    }

    /**
     * The state if a decision can use it without waiting or reading anything: this replica has applied every change
     * up to {@code afterSeq}, its last read of the feed is within {@code policy.max-lag}, and the state in memory is
     * not older than the newest change known. Otherwise null, and the caller takes {@link #atLeast}, which may read the
     * database or wait for the follower's lock (so never on an event loop).
     */
    public PolicyState inMemory(long afterSeq) {
        if (behind(afterSeq)) {
            return null;
        }
        PolicyState current = state;
        return fresh(current) ? current : null;
    }

    private boolean fresh(PolicyState current) {
        return current != null && current.seq() >= newest.get();
    }

    public PolicyState current() {
        PolicyState current = state;
        if (!fresh(current)) {
            long generation;
            synchronized (this) {
                generation = invalidations;
            }
            current = read(this::load);
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
        following.lock();
        try {
            follow();
        } catch (RuntimeException e) {
            // Without the feed this replica cannot know what changed elsewhere: stop trusting what it holds.
            LOG.debugf("cannot read the change feed: %s", e.toString());
            invalidate();
            subjects.invalidateAll();
        } finally {
            following.unlock();
        }
    }

    private void catchUp(long target) {
        long wait = config.catchUpWait().toNanos();
        boolean locked;
        try {
            locked = following.tryLock(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while catching up with the change feed", e);
        }
        if (!locked) {
            throw new IllegalStateException("could not catch up with the change feed within " + config.catchUpWait());
        }
        try {
            // Another caller may have caught up while this one waited. One page reaches the newest change that
            // exists (or starts from it), so a floor beyond it is never waited for.
            if (behind(target)) {
                follow();
            }
        } finally {
            following.unlock();
        }
    }

    /**
     * Applies the changes after {@link #followed}, up to the newest; the caller holds the lock. The drops come before
     * {@code followed} moves, so nothing trusts rows that a change it covers has made stale.
     */
    private void follow() {
        long from = followed;
        if (from < 0) {
            startFromNow();
            return;
        }
        long readAt = System.nanoTime();
        List<ChangeEntity> page = read(() -> changes.after(from, PAGE));
        if (page.isEmpty()) {
            followedAt = readAt;
            return;
        }
        if (page.size() == PAGE) {
            // Far behind (the feed was out of reach for a while): forgetting everything is cheaper than replaying.
            startFromNow();
            return;
        }
        long last = page.get(page.size() - 1).seq;
        for (ChangeEntity change : page) {
            if (change.subject != null) {
                subjects.invalidate(change.subject);
            }
        }
        newest.accumulateAndGet(last, Math::max);
        followed = last;
        followedAt = readAt;
    }

    /** The feed's position first, then the drops: rows read after them reflect every change up to it. */
    private void startFromNow() {
        long readAt = System.nanoTime();
        long latest = read(changes::latest);
        subjects.invalidateAll();
        invalidate();
        newest.accumulateAndGet(latest, Math::max);
        followed = latest;
        followedAt = readAt;
    }

    /** A read in a transaction of its own (tests run it as it is). */
    <T> T read(Callable<T> work) {
        return QuarkusTransaction.requiringNew().call(work);
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
