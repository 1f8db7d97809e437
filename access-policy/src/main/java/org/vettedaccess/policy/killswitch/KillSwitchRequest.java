package org.vettedaccess.policy.killswitch;

/**
 * What to stop.
 *
 * @param scope GLOBAL, MODEL, TIER, INSTITUTION (a ROR id) or COUNTRY (ISO 3166-1 alpha-2)
 * @param value the model id, tier number, ROR id or country code; none for GLOBAL
 * @param reason why, recorded in the ledger
 */
public record KillSwitchRequest(String scope, String value, String reason) {}
