package org.vettedaccess.policy.incident;

/**
 * A triager's answer to a report.
 *
 * @param severity the confirmed severity (triage)
 * @param reason why (required to reject; optional otherwise)
 * @param mitigation KILL_SWITCH, TIER_CHANGE, MODEL_CHANGE or OTHER (mitigate)
 * @param change which change: a kill switch id, a tier version, a model version (mitigate)
 */
public record StatusRequest(String severity, String reason, String mitigation, String change) {}
