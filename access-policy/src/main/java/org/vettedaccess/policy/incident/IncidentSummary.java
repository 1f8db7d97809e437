package org.vettedaccess.policy.incident;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A report as a regulator sees it: no text, no reporter, no receipt ids (the ledger has the commitment, the
 * reporter's pseudonym and the receipts' leaves), but the status, the deadlines and whether they are breached.
 */
public record IncidentSummary(
        UUID id,
        String model,
        String category,
        String severity,
        String status,
        Instant reportedAt,
        long reportedLeaf,
        List<Long> receiptLeaves,
        Instant acknowledgeBy,
        Instant answeredAt,
        boolean acknowledgementBreached,
        Instant mitigateBy,
        Instant mitigatedAt,
        boolean mitigationBreached,
        Instant embargoUntil,
        List<Long> statusLeaves) {

    static IncidentSummary of(IncidentEntity i, List<IncidentEventEntity> events, Instant now) {
        return new IncidentSummary(
                i.id,
                i.model,
                i.category,
                i.currentSeverity().name(),
                i.status,
                i.reportedAt,
                i.reportedLeaf,
                List.of(i.receiptLeaves),
                i.acknowledgeBy,
                i.answeredAt,
                Deadlines.acknowledgementBreached(i.acknowledgeBy, i.answeredAt, now),
                i.mitigateBy,
                i.mitigatedAt,
                Deadlines.mitigationBreached(i.state(), i.mitigateBy, i.mitigatedAt, now),
                i.embargoUntil,
                events.stream().map(e -> e.leafIndex).toList());
    }

    /**
     * The regulator's view: every open report, and every report with a breached deadline (open or not).
     *
     * @param at the incident clock's time the breaches were judged at
     */
    public record Overview(Instant at, int total, List<IncidentSummary> open, List<IncidentSummary> breached) {}
}
