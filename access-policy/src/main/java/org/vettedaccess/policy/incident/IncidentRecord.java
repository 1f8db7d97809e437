package org.vettedaccess.policy.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.vettedaccess.contracts.policy.FileIncidentRequest;

/**
 * A report as its reporter and the triagers see it: the text, the salt that opens the leaf's commitment, the
 * status with its deadlines and embargo, and every status change with its leaf.
 */
public record IncidentRecord(
        UUID id,
        String reporter,
        String model,
        String category,
        String severity,
        String confirmedSeverity,
        String description,
        String textSalt,
        String textCommitment,
        List<FileIncidentRequest.Receipt> receipts,
        String status,
        Instant reportedAt,
        long reportedLeaf,
        Instant acknowledgeBy,
        Instant mitigateBy,
        Instant embargoUntil,
        Instant answeredAt,
        Instant mitigatedAt,
        boolean acknowledgementBreached,
        boolean mitigationBreached,
        List<Event> history) {

    /** One status change; {@code leafIndex} is null while its leaf waits in the outbox. */
    public record Event(
            String status,
            String actor,
            Instant at,
            Long leafIndex,
            String severity,
            String reason,
            String mitigation,
            String change,
            UUID switchId) {

        static Event of(IncidentEventEntity e) {
            return new Event(
                    e.status, e.actor, e.at, e.leafIndex, e.severity, e.reason, e.mitigation, e.changeRef, e.switchId);
        }
    }

    static IncidentRecord of(IncidentEntity i, List<IncidentEventEntity> events, Instant now) {
        List<FileIncidentRequest.Receipt> receipts = new ArrayList<>();
        for (int n = 0; n < i.receiptIds.length; n++) {
            receipts.add(new FileIncidentRequest.Receipt(UUID.fromString(i.receiptIds[n]), i.receiptLeaves[n]));
        }
        return new IncidentRecord(
                i.id,
                i.reporter,
                i.model,
                i.category,
                i.severity,
                i.confirmedSeverity,
                i.description,
                i.textSalt,
                i.textCommitment,
                receipts,
                i.status,
                i.reportedAt,
                i.reportedLeaf,
                i.acknowledgeBy,
                i.mitigateBy,
                i.embargoUntil,
                i.answeredAt,
                i.mitigatedAt,
                Deadlines.acknowledgementBreached(i.acknowledgeBy, i.answeredAt, now),
                Deadlines.mitigationBreached(i.state(), i.mitigateBy, i.mitigatedAt, now),
                events.stream().map(Event::of).toList());
    }
}
