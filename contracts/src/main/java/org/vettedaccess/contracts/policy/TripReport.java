package org.vettedaccess.contracts.policy;

import java.util.Map;
import java.util.UUID;

/**
 * A gateway's report that a rule's window crossed its threshold ({@code POST /api/v1/tripwires/{id}/trips}).
 *
 * @param version the rule version the gateway checked (a stale one is refused with 409)
 * @param subject SUBJECT_TOKENS_PER_HOUR: whose tokens
 * @param grantId SUBJECT_TOKENS_PER_HOUR: the grant the subject called with, the one to suspend
 * @param figures the window's figures (non-negative integers), checked against the rule again by access-policy
 * @param failedSwitchId CALLS_FROM_SCOPE's control-failure check: the engaged INSTITUTION or COUNTRY kill switch from
 *     whose scope a call to the model was counted; null for the rule's own scope check
 */
public record TripReport(
        Integer version, String subject, UUID grantId, Map<String, Long> figures, UUID failedSwitchId) {

    /** A report of a rule's own check. */
    public TripReport(Integer version, String subject, UUID grantId, Map<String, Long> figures) {
        this(version, subject, grantId, figures, null);
    }
}
