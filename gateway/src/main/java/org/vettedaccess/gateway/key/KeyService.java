package org.vettedaccess.gateway.key;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.vettedaccess.contracts.policy.Entitlements;
import org.vettedaccess.gateway.config.GatewayConfig;
import org.vettedaccess.gateway.policy.PolicyClient;
import org.vettedaccess.gateway.usage.OutboxRepository;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Researchers' API keys: issued, rotated and revoked by their owner, stored only as SHA-256 hashes (the secret has
 * 192 random bits, so a fast hash is enough), and each change queued for the ledger in the same transaction.
 */
@Singleton
public class KeyService {

    private static final Logger LOG = Logger.getLogger(KeyService.class);
    static final String SECRET_PREFIX = "va-";
    private static final int MAX_NAME = 100;

    private final KeyRepository keys;
    private final PolicyClient policy;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final SecureRandom random = new SecureRandom();
    /**
     * Current keys by their secret's hash, bounded (Caffeine's W-TinyLFU keeps the keys in use), and filled only by
     * secrets that name a current key, so that random secrets cannot push valid keys out.
     */
    private final Cache<String, Cached> resolved;
    /** Secrets that name no current key, for a short while: a repeated bad secret costs no database lookup. */
    private final Cache<String, Boolean> unknown;

    public KeyService(KeyRepository keys, PolicyClient policy, GatewayConfig config, ObjectMapper json) {
        this.keys = keys;
        this.policy = policy;
        this.config = config;
        this.json = json;
        this.resolved = Caffeine.newBuilder()
                .maximumSize(config.keys().cacheSize())
                .expireAfterWrite(config.keys().cacheTtl())
                .build();
        this.unknown = Caffeine.newBuilder()
                .maximumSize(config.keys().unknownCacheSize())
                .expireAfterWrite(config.keys().unknownTtl())
                .build();
    }

    /** A valid key's owner and binding. */
    public record ResolvedKey(UUID id, String subject, UUID grantId) {}

    private record Cached(ResolvedKey key, long expiresAtNanos) {}

    /**
     * The key a secret names, if it is current. Results are reused for at most {@code gateway.keys.cache-ttl}, which
     * bounds how long a revocation made on another replica takes to apply here.
     */
    public Optional<ResolvedKey> resolve(String secret) {
        byte[] digest = sha256(secret);
        String hash = Base64.getEncoder().encodeToString(digest);
        long now = System.nanoTime();
        Cached cached = fresh(hash, now);
        return cached != null ? Optional.ofNullable(cached.key()) : lookUp(digest, hash, now);
    }

    /** What {@link #resolve} knows without the database (key null: known to be invalid); null if it must look. */
    public CachedKey cached(String secret) {
        Cached cached = fresh(Base64.getEncoder().encodeToString(sha256(secret)), System.nanoTime());
        return cached == null ? null : new CachedKey(cached.key());
    }

    /** A current key's entry, or an entry with a null key for a secret known to name none; null if unknown. */
    private Cached fresh(String hash, long now) {
        Cached cached = resolved.getIfPresent(hash);
        if (cached != null && now < cached.expiresAtNanos()) {
            return cached;
        }
        return unknown.getIfPresent(hash) != null ? NO_KEY : null;
    }

    private static final Cached NO_KEY = new Cached(null, Long.MAX_VALUE);

    /**
     * Drops the resolved entries of one key (revoked, or rotated and so ending sooner), and no other: the cache
     * holds only current keys, so the scan is over those, and it runs only when an owner changes a key.
     */
    void forget(UUID keyId) {
        resolved.asMap().values().removeIf(cached -> keyId.equals(cached.key().id()));
    }

    /** A cached answer of {@link #resolve}: the key, or null for a secret known not to be a current key. */
    public record CachedKey(ResolvedKey key) {}

    private Optional<ResolvedKey> lookUp(byte[] digest, String hash, long now) {
        Optional<ApiKeyRecord> found;
        try {
            found = keys.byHash(digest);
        } catch (SQLException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "API keys cannot be checked now.");
        }
        Instant at = Instant.now();
        ResolvedKey key = found.filter(k -> k.revokedAt() == null && at.isBefore(k.expiresAt()))
                .map(k -> new ResolvedKey(k.id(), k.subject(), k.grantId()))
                .orElse(null);
        long ttl = config.keys().cacheTtl().toNanos();
        if (found.isPresent() && key != null) {
            ttl = Math.min(ttl, Duration.between(at, found.get().expiresAt()).toNanos());
        }
        if (key == null) {
            unknown.put(hash, Boolean.TRUE);
        } else {
            resolved.put(hash, new Cached(key, now + ttl));
        }
        return Optional.ofNullable(key);
    }

    public List<KeyViews.KeyView> list(String subject) {
        Instant now = Instant.now();
        try {
            return keys.ofSubject(subject).stream()
                    .map(k -> KeyViews.KeyView.of(k, now))
                    .toList();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    public KeyViews.IssuedKey issue(String subject, KeyViews.KeyRequest request) {
        if (request == null) {
            throw ProblemException.invalidField("body", "is required");
        }
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.invalidField("name", "must be 1 to " + MAX_NAME + " printable characters");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = expiry(subject, request.grantId(), request.expiresInDays(), now);
        try (Connection connection = keys.connection()) {
            connection.setAutoCommit(false);
            try {
                Issued issued = insertKey(connection, subject, name, request.grantId(), now, expiresAt, null);
                connection.commit();
                return new KeyViews.IssuedKey(issued.secret(), KeyViews.KeyView.of(issued.key(), now), null);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A new key with the same name and binding; the old one keeps working for the rotation grace period. */
    public KeyViews.IssuedKey rotate(String subject, UUID id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (Connection connection = keys.connection()) {
            connection.setAutoCommit(false);
            try {
                ApiKeyRecord old = KeyRepository.lockOwned(connection, id, subject)
                        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "You have no key " + id + "."));
                if (!old.status(now).equals("ACTIVE")) {
                    throw new ProblemException(
                            ProblemType.CONFLICT,
                            "Only an active key can be rotated; this one is " + old.status(now) + ".");
                }
                Instant expiresAt = expiry(subject, old.grantId(), null, now);
                Issued issued = insertKey(connection, subject, old.name(), old.grantId(), now, expiresAt, old.id());
                Instant graceEnd = now.plus(config.keys().rotationGrace());
                KeyRepository.replace(connection, old.id(), issued.key().id(), graceEnd);
                Instant oldEnd = graceEnd.isBefore(old.expiresAt()) ? graceEnd : old.expiresAt();
                // The old key's leaf records when it stops working: the end of the grace period.
                queue(connection, "key.revoked", old.id(), subject, old.grantId(), oldEnd, subject);
                ApiKeyRecord rotated = new ApiKeyRecord(
                        old.id(),
                        subject,
                        old.name(),
                        old.prefix(),
                        old.grantId(),
                        old.createdAt(),
                        oldEnd,
                        null,
                        old.rotatedFrom(),
                        issued.key().id());
                connection.commit();
                forget(old.id());
                return new KeyViews.IssuedKey(
                        issued.secret(), KeyViews.KeyView.of(issued.key(), now), KeyViews.KeyView.of(rotated, now));
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Revokes every key of an owner whose account may no longer hold keys (disabled, deleted, or without the
     * researcher role in Keycloak), each with a {@code key.revoked} leaf queued in the same transaction; returns
     * how many. Keys stay revoked if the account comes back: its owner issues new ones.
     */
    public int revokeAllOf(String subject, String actor) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (Connection connection = keys.connection()) {
            connection.setAutoCommit(false);
            try {
                List<ApiKeyRecord> live = KeyRepository.lockUnrevokedOf(connection, subject);
                for (ApiKeyRecord key : live) {
                    KeyRepository.revoke(connection, key.id(), now);
                    queue(connection, "key.revoked", key.id(), subject, key.grantId(), now, actor);
                }
                connection.commit();
                live.forEach(key -> forget(key.id()));
                return live.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Subjects that hold a live key, for the owner watch's periodic sweep. */
    public List<String> ownersOfLiveKeys() {
        try {
            return keys.ownersOfLiveKeys(Instant.now());
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    public KeyViews.KeyView revoke(String subject, UUID id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (Connection connection = keys.connection()) {
            connection.setAutoCommit(false);
            try {
                ApiKeyRecord key = KeyRepository.lockOwned(connection, id, subject)
                        .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "You have no key " + id + "."));
                if (key.revokedAt() != null) {
                    throw new ProblemException(ProblemType.CONFLICT, "This key was already revoked.");
                }
                KeyRepository.revoke(connection, id, now);
                queue(connection, "key.revoked", id, subject, key.grantId(), now, subject);
                connection.commit();
                forget(id);
                ApiKeyRecord revoked = new ApiKeyRecord(
                        key.id(),
                        subject,
                        key.name(),
                        key.prefix(),
                        key.grantId(),
                        key.createdAt(),
                        key.expiresAt(),
                        now,
                        key.rotatedFrom(),
                        key.replacedBy());
                return KeyViews.KeyView.of(revoked, now);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private record Issued(String secret, ApiKeyRecord key) {}

    private Issued insertKey(
            Connection connection,
            String subject,
            String name,
            UUID grantId,
            Instant now,
            Instant expiresAt,
            UUID rotatedFrom)
            throws SQLException {
        byte[] raw = new byte[24];
        random.nextBytes(raw);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        ApiKeyRecord key = new ApiKeyRecord(
                UUID.randomUUID(),
                subject,
                name,
                secret.substring(0, SECRET_PREFIX.length() + 6),
                grantId,
                now,
                expiresAt,
                null,
                rotatedFrom,
                null);
        KeyRepository.insert(connection, key, sha256(secret));
        queue(connection, "key.issued", key.id(), subject, grantId, expiresAt, subject);
        return new Issued(secret, key);
    }

    private void queue(
            Connection connection,
            String kind,
            UUID keyId,
            String subject,
            UUID grantId,
            Instant expiresAt,
            String actor)
            throws SQLException {
        ObjectNode entry = json.createObjectNode()
                .put("keyId", keyId.toString())
                .put("subject", subject)
                .put("expiresAt", expiresAt.toString())
                .put("actor", actor);
        if (grantId != null) {
            entry.put("grantId", grantId.toString());
        }
        OutboxRepository.enqueue(connection, UUID.randomUUID(), kind, subject, entry.toString());
    }

    /**
     * When a new key expires: the requested days, else the tier's default, never beyond the tier's maximum, and
     * never beyond the bound grant's end. A researcher with no current grant gets no key.
     */
    private Instant expiry(String subject, UUID grantId, Integer requestedDays, Instant now) {
        Entitlements entitlements;
        try {
            entitlements = policy.entitlements(subject);
        } catch (RuntimeException e) {
            LOG.warnf("cannot read entitlements from access-policy: %s", e.toString());
            throw new ProblemException(ProblemType.UNAVAILABLE, "access-policy cannot be asked now; no key was made.");
        }
        List<Entitlements.Grant> grants = entitlements.grants() == null ? List.of() : entitlements.grants();
        if (grantId != null) {
            grants = grants.stream().filter(g -> grantId.equals(g.grantId())).toList();
            if (grants.isEmpty()) {
                throw ProblemException.invalidField("grantId", "is not one of your current grants");
            }
        }
        if (grants.isEmpty()) {
            throw new ProblemException(
                    ProblemType.POLICY_REFUSED, "You hold no current grant, so an API key would allow nothing.");
        }
        // Unbound keys follow the strictest of the researcher's tiers.
        int defaultDays = grants.stream()
                .mapToInt(Entitlements.Grant::keyDefaultDays)
                .min()
                .orElseThrow();
        int maxDays =
                grants.stream().mapToInt(Entitlements.Grant::keyMaxDays).min().orElseThrow();
        if (requestedDays != null && (requestedDays < 1 || requestedDays > maxDays)) {
            throw ProblemException.invalidField("expiresInDays", "must be between 1 and " + maxDays + " for your tier");
        }
        Instant expiresAt =
                now.plus(requestedDays == null ? Math.min(defaultDays, maxDays) : requestedDays, ChronoUnit.DAYS);
        if (grantId != null
                && grants.get(0).validUntil() != null
                && grants.get(0).validUntil().isBefore(expiresAt)) {
            expiresAt = grants.get(0).validUntil();
        }
        return expiresAt;
    }

    static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException unavailable(SQLException e) {
        LOG.warnf("the gateway's database failed: %s", e.toString());
        return new ProblemException(
                ProblemType.UNAVAILABLE, "The gateway's database is unavailable; nothing was changed.");
    }
}
