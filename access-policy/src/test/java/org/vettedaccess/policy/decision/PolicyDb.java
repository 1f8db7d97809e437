package org.vettedaccess.policy.decision;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.vettedaccess.policy.assurance.AssuranceEntity;
import org.vettedaccess.policy.catalog.ModelEntity;
import org.vettedaccess.policy.change.ChangeEntity;
import org.vettedaccess.policy.grant.GrantEntity;
import org.vettedaccess.policy.killswitch.KillSwitchEntity;
import org.vettedaccess.policy.tier.TierEntity;

/**
 * The database two access-policy replicas share, as the decision path reads it: one model, one tier, each subject's
 * assurance and grants, the engaged kill switches and the change feed. Every write records a change, as the services
 * do; reads return copies, as a query would.
 */
final class PolicyDb {

    static final String MODEL = "m";
    static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    final ModelEntity model = new ModelEntity();
    final TierEntity tier = new TierEntity();
    final List<KillSwitchEntity> engaged = new CopyOnWriteArrayList<>();
    private final Map<String, AssuranceEntity> assurances = new ConcurrentHashMap<>();
    private final Map<UUID, GrantEntity> grants = new ConcurrentHashMap<>();
    private final List<ChangeEntity> changes = new CopyOnWriteArrayList<>();
    /** How many times the subject rows were read (each is one query). */
    final AtomicInteger reads = new AtomicInteger();

    PolicyDb() {
        model.id = MODEL;
        model.status = "ACTIVE";
        model.requiredTier = 1;
        model.upstreamRoute = "sim";
        tier.tier = 1;
        tier.minAssurance = 1;
        tier.maxTokens = 4096;
        tier.rpm = 60;
        tier.endpoints = new String[] {"/v1/chat/completions"};
        record("catalog.changed", null);
    }

    /** Approves the subject and grants them the model; returns the grant. */
    synchronized UUID grant(String subject) {
        AssuranceEntity assurance = new AssuranceEntity();
        assurance.subject = subject;
        assurance.status = "APPROVED";
        assurance.assuranceLevel = 2;
        assurance.kycLeaf = 1L;
        assurances.put(subject, assurance);
        record("subject.approved", subject);
        GrantEntity grant = new GrantEntity();
        grant.id = UUID.randomUUID();
        grant.subject = subject;
        grant.models = new String[] {MODEL};
        grant.tier = 1;
        grant.status = "ACTIVE";
        grant.validFrom = NOW.minus(1, ChronoUnit.DAYS);
        grant.validUntil = NOW.plus(30, ChronoUnit.DAYS);
        grant.createdAt = NOW.minusSeconds(grants.size());
        grant.leafIndex = 2L;
        grants.put(grant.id, grant);
        record("grant.issued", subject);
        return grant.id;
    }

    synchronized void revoke(UUID id) {
        GrantEntity grant = copy(grants.get(id));
        grant.status = "REVOKED";
        grant.version++;
        grants.put(id, grant);
        record("grant.revoked", grant.subject);
    }

    synchronized void suspendKyc(String subject) {
        AssuranceEntity assurance = assurances.get(subject);
        AssuranceEntity suspended = new AssuranceEntity();
        suspended.subject = subject;
        suspended.status = "SUSPENDED";
        suspended.assuranceLevel = assurance.assuranceLevel;
        suspended.kycLeaf = assurance.kycLeaf;
        assurances.put(subject, suspended);
        record("subject.suspended", subject);
    }

    synchronized void engage(String model) {
        KillSwitchEntity kill = new KillSwitchEntity();
        kill.id = UUID.randomUUID();
        kill.scopeKind = "MODEL";
        kill.scopeValue = model;
        engaged.add(kill);
        record("killswitch.engaged", null);
    }

    /** The subject's rows as SubjectRows' query reads them. */
    SubjectRows.Rows rowsOf(String subject) {
        reads.incrementAndGet();
        List<GrantEntity> found = new ArrayList<>();
        grants.values().stream()
                .filter(g -> g.subject.equals(subject))
                .sorted((a, b) -> b.createdAt.compareTo(a.createdAt))
                .map(PolicyDb::copy)
                .forEach(found::add);
        return new SubjectRows.Rows(assurances.get(subject), List.copyOf(found));
    }

    long latest() {
        return changes.size();
    }

    List<ChangeEntity> after(long seq) {
        return changes.stream().filter(c -> c.seq > seq).toList();
    }

    private void record(String kind, String subject) {
        ChangeEntity change = new ChangeEntity();
        change.id = UUID.randomUUID();
        change.seq = (long) changes.size() + 1;
        change.kind = kind;
        change.subject = subject;
        change.at = NOW;
        changes.add(change);
    }

    private static GrantEntity copy(GrantEntity g) {
        GrantEntity c = new GrantEntity();
        c.id = g.id;
        c.subject = g.subject;
        c.models = g.models;
        c.tier = g.tier;
        c.status = g.status;
        c.validFrom = g.validFrom;
        c.validUntil = g.validUntil;
        c.createdAt = g.createdAt;
        c.leafIndex = g.leafIndex;
        c.version = g.version;
        return c;
    }
}
