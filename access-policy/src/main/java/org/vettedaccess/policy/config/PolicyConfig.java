package org.vettedaccess.policy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Thresholds and timings of the access policy. */
@ConfigMapping(prefix = "policy")
public interface PolicyConfig {

    /** Training compute at or above which a model is of systemic risk (EU AI Act presumption). */
    @WithDefault("1e25")
    double systemicFlop();

    /** Training compute at or above which a model needs at least tier 2. */
    @WithDefault("1e23")
    double tier2Flop();

    /** How long the gateway may cache a decision; the change feed drops it sooner on revocation. */
    @WithDefault("5s")
    Duration decisionTtl();

    /** The longest a change-feed request waits for a change before answering empty. */
    @WithDefault("20s")
    Duration changeFeedWait();

    /** How often each replica checks the change feed for changes other replicas made (well under a second). */
    @WithDefault("200ms")
    Duration followInterval();

    /**
     * How many subjects' assurance and grants a replica keeps in memory for decisions (policy.decision.SubjectRows);
     * each entry is dropped when a change names its subject, here or on another replica.
     */
    @WithDefault("100000")
    long subjectCacheSize();

    /**
     * The longest a decision waits for this replica to catch up with the change feed up to the caller's
     * {@code afterSeq}; past it the answer is a deny the gateway treats as unavailable, never a stale allow.
     */
    @WithDefault("1s")
    Duration catchUpWait();

    /**
     * The oldest this replica's last successful read of the change feed may be for a decision to trust what it holds
     * in memory; past it (the follower is failing or stuck) a decision reads the feed itself first, and denies if it
     * cannot. Keeps a replica cut off from the database from answering old allows for longer than this.
     */
    @WithDefault("1s")
    Duration maxLag();

    /** How often grants whose end has passed are recorded as EXPIRED, each with a grant.expired leaf. */
    @WithDefault("10s")
    Duration expirySweep();

    /** How often the ledger outbox's relay looks for entries no commit woke it for (each commit wakes it at once). */
    @WithDefault("500ms")
    Duration ledgerOutboxInterval();

    /** How long a permissive change waits for another replica's relay before it is refused with a 503. */
    @WithDefault("5s")
    Duration ledgerOutboxLockWait();
}
