package org.vettedaccess.gateway.portal;

import java.time.Instant;
import java.util.List;

/**
 * What the incident pages show: a report as its reporter and the triagers see it (access-policy's incident record),
 * and the regulator's overview of summaries (no text, no reporter).
 */
public final class IncidentView {

    private IncidentView() {}

    /** A report with its text, salt, deadlines and history. */
    public record Report(
            String id,
            String reporter,
            String model,
            String category,
            String severity,
            String confirmedSeverity,
            String description,
            String textSalt,
            List<Receipt> receipts,
            String status,
            Instant reportedAt,
            long reportedLeaf,
            Instant acknowledgeBy,
            Instant mitigateBy,
            Instant embargoUntil,
            boolean acknowledgementBreached,
            boolean mitigationBreached,
            List<Event> history) {

        public Report {
            receipts = receipts == null ? List.of() : receipts;
            history = history == null ? List.of() : history;
        }

        /** The severity the triagers confirmed, else the reporter's. */
        public String currentSeverity() {
            return confirmedSeverity != null ? confirmedSeverity : severity;
        }
    }

    /** A receipt: one of the reporter's calls, by its request id and usage leaf. */
    public record Receipt(String requestId, Long leafIndex) {}

    /** One status change; {@code leafIndex} is null while its leaf waits in the outbox. */
    public record Event(
            String status,
            String actor,
            Instant at,
            Long leafIndex,
            String severity,
            String reason,
            String mitigation,
            String change) {}

    /** A report as a regulator sees it: status, deadlines and leaves. */
    public record Summary(
            String id,
            String model,
            String category,
            String severity,
            String status,
            Instant reportedAt,
            long reportedLeaf,
            Instant acknowledgeBy,
            Instant answeredAt,
            boolean acknowledgementBreached,
            Instant mitigateBy,
            boolean mitigationBreached,
            List<Long> statusLeaves) {

        public Summary {
            statusLeaves = statusLeaves == null ? List.of() : statusLeaves;
        }
    }

    /** The open reports and every breached deadline, judged at {@code at}. */
    public record Overview(Instant at, int total, List<Summary> open, List<Summary> breached) {

        public Overview {
            open = open == null ? List.of() : open;
            breached = breached == null ? List.of() : breached;
        }
    }

    /** What the filing form writes back (every field present: the templates render strictly). */
    public record Values(String model, String category, String severity, String description, String receipts) {

        static final Values EMPTY = new Values("", "", "", "", "");
    }
}
