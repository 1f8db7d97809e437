package org.vettedaccess.policy.grant;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A grant as its researcher and the admins see it.
 *
 * @param status ACTIVE, SUSPENDED, REVOKED, or EXPIRED once its end has passed
 * @param leafIndex the ledger leaf that records its latest change; null while a suspension, revocation or expiry
 *     waits in the outbox for the ledger
 * @param purposeSalt the salt of the leaves' purpose commitment, SHA-256(salt bytes || purpose), hex; null for
 *     grants issued before commitments were salted
 * @param kycLeaf the ledger leaf of the KYC decision it rests on
 */
public record GrantRecord(
        UUID id,
        String subject,
        List<String> models,
        String purpose,
        String purposeSalt,
        int tier,
        Instant validFrom,
        Instant validUntil,
        String status,
        Long leafIndex,
        long kycLeaf,
        int version) {}
