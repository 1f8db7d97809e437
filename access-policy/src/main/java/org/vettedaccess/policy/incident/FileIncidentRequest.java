package org.vettedaccess.policy.incident;

import java.util.List;
import java.util.UUID;

/**
 * A report as the gateway files it for a researcher, after resolving the researcher's own receipts to their ledger
 * leaves (the gateway knows receipts; it refuses any that are not the reporter's).
 *
 * @param reporter the researcher's subject id
 * @param category one of {@link Category}
 * @param severity one of {@link Severity}, as the reporter judges it
 * @param receipts at most 20, each a call of the reporter's with its usage leaf
 */
public record FileIncidentRequest(
        String reporter, String model, String category, String severity, String description, List<Receipt> receipts) {

    /** One call the report attaches: its x-request-id and the index of its usage leaf. */
    public record Receipt(UUID requestId, Long leafIndex) {}
}
