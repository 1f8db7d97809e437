package org.vettedaccess.policy.incident;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a report stands, and which answers may follow which. A report is open until it is mitigated or rejected;
 * the first answer of any kind (acknowledged, rejected, or the one-click kill switch) meets the acknowledgement
 * deadline.
 */
public enum IncidentStatus {
    REPORTED,
    ACKNOWLEDGED,
    TRIAGED,
    MITIGATED,
    DISCLOSED,
    REJECTED;

    /** The statuses this one may change to. */
    Set<IncidentStatus> next() {
        return switch (this) {
            case REPORTED -> EnumSet.of(ACKNOWLEDGED, MITIGATED, REJECTED);
            case ACKNOWLEDGED -> EnumSet.of(TRIAGED, MITIGATED, REJECTED);
            case TRIAGED -> EnumSet.of(MITIGATED, REJECTED);
            case MITIGATED -> EnumSet.of(DISCLOSED);
            case DISCLOSED, REJECTED -> EnumSet.noneOf(IncidentStatus.class);
        };
    }

    boolean canBecome(IncidentStatus target) {
        return next().contains(target);
    }

    /** Still waiting for the lab: no mitigation and no rejection yet. */
    boolean open() {
        return this == REPORTED || this == ACKNOWLEDGED || this == TRIAGED;
    }

    /** The ledger entry type of a change to this status. */
    String leafType() {
        return "incident." + name().toLowerCase(java.util.Locale.ROOT);
    }
}
