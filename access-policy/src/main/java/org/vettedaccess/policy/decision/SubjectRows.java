package org.vettedaccess.policy.decision;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.vettedaccess.policy.assurance.AssuranceEntity;
import org.vettedaccess.policy.assurance.AssuranceRepository;
import org.vettedaccess.policy.change.ChangeFeed;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.policy.grant.GrantEntity;
import org.vettedaccess.policy.grant.GrantRepository;

/**
 * What a decision reads about its subject: the assurance kyc-service last reported and the subject's grants, newest
 * first, read in one query and kept in memory (ADR 0098). An entry is dropped whenever a change names its subject:
 * at once for a change committed on this replica ({@link ChangeFeed.Changed}), when this replica serves the feed
 * ({@link ChangeFeed.Seen}), and when {@link PolicySnapshot} follows the feed or catches up with a caller's
 * {@code afterSeq} (changes other replicas made). Every write to a subject's assurance or grants records such a
 * change in its transaction.
 *
 * <p>Every invalidation bumps a generation counter; a load keeps its rows only if no invalidation happened while it
 * ran, so rows read before a change are never cached after the change was applied.
 */
@ApplicationScoped
public class SubjectRows {

    /**
     * One subject's rows as one query read them; never modified once built.
     *
     * @param assurance null when kyc-service has reported nothing for the subject
     * @param grants every grant of the subject, newest first
     */
    public record Rows(AssuranceEntity assurance, List<GrantEntity> grants) {}

    private final Function<String, Rows> loader;
    private final Cache<String, Rows> cache;
    private final AtomicLong generation = new AtomicLong();

    @Inject
    public SubjectRows(AssuranceRepository assurances, GrantRepository grants, PolicyConfig config) {
        this(subject -> read(assurances, grants, subject), config.subjectCacheSize());
    }

    SubjectRows(Function<String, Rows> loader, long size) {
        this.loader = loader;
        this.cache = Caffeine.newBuilder().maximumSize(size).build();
    }

    /** The subject's rows, from memory if they are there, else read and (unless a change intervened) kept. */
    public Rows of(String subject) {
        Rows cached = cache.getIfPresent(subject);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        Rows loaded = loader.apply(subject);
        // Atomic with the per-key removal in invalidate(): either this put lands first and is removed, or it sees the
        // bumped generation and keeps nothing.
        cache.asMap().compute(subject, (key, old) -> generation.get() == before ? loaded : old);
        return loaded;
    }

    /** The subject's rows if they are in memory, else null (nothing is read). */
    public Rows cached(String subject) {
        return cache.getIfPresent(subject);
    }

    /** The subject's rows read now, neither taken from nor kept in memory. */
    public Rows fresh(String subject) {
        return loader.apply(subject);
    }

    /** Drops one subject's rows; a load running meanwhile is not kept. */
    public void invalidate(String subject) {
        generation.incrementAndGet();
        cache.invalidate(subject);
    }

    /** Drops every subject's rows (the feed could not be read, or this replica fell too far behind it). */
    public void invalidateAll() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    void onLocalChange(@Observes ChangeFeed.Changed change) {
        if (change.subject() != null) {
            invalidate(change.subject());
        }
    }

    void onFeedRead(@Observes ChangeFeed.Seen seen) {
        seen.subjects().forEach(this::invalidate);
    }

    /**
     * One query: the assurance row joined with the subject's grants. Without an assurance row the join finds nothing,
     * so the grants are read on their own (a deny still names the grant's state, e.g. {@code grant_revoked}).
     */
    private static Rows read(AssuranceRepository assurances, GrantRepository grants, String subject) {
        List<Object[]> rows = assurances
                .getEntityManager()
                .createQuery(
                        "select a, g from AssuranceEntity a left join GrantEntity g on g.subject = a.subject"
                                + " where a.subject = ?1 order by g.createdAt desc",
                        Object[].class)
                .setParameter(1, subject)
                .getResultList();
        if (rows.isEmpty()) {
            return new Rows(null, List.copyOf(grants.ofSubject(subject)));
        }
        List<GrantEntity> found = new ArrayList<>();
        for (Object[] row : rows) {
            if (row[1] instanceof GrantEntity grant) {
                found.add(grant);
            }
        }
        return new Rows((AssuranceEntity) rows.get(0)[0], List.copyOf(found));
    }
}
