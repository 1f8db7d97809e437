package org.vettedaccess.contracts.policy;

import java.util.List;
import java.util.UUID;

/**
 * A report as the gateway files it for a researcher ({@code POST /api/v1/incidents}), after resolving the
 * researcher's own receipts to their ledger leaves (the gateway knows receipts; it refuses any that are not the
 * reporter's).
 *
 * @param reporter the researcher's subject id
 * @param category DANGEROUS_CAPABILITY, SAFEGUARD_BYPASS, PRIVACY_LEAK, SERVICE_SECURITY, HARMFUL_BIAS or OTHER
 * @param severity CRITICAL, HIGH, MEDIUM or LOW, as the reporter judges it
 * @param receipts at most 20, each a call of the reporter's with its usage leaf
 */
public record FileIncidentRequest(
        String reporter, String model, String category, String severity, String description, List<Receipt> receipts) {

    /** One call the report attaches: its x-request-id and the index of its usage leaf. */
    public record Receipt(UUID requestId, Long leafIndex) {}
}
