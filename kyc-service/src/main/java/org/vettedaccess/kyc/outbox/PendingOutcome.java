package org.vettedaccess.kyc.outbox;

import java.time.Instant;
import java.util.List;

/** What access-policy is told about a decision, all but the ledger leaf (known once the ledger has it). */
public record PendingOutcome(
        String subject,
        int assuranceLevel,
        int approvedTier,
        String status,
        String institution,
        String country,
        Instant validUntil,
        Integer requestedTier,
        List<String> requestedModels,
        String purpose) {}
