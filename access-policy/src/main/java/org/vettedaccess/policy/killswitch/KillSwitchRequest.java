package org.vettedaccess.policy.killswitch;

/**
 * What to stop.
 *
 * @param scope GLOBAL, MODEL, TIER, INSTITUTION (a ROR id) or COUNTRY (ISO 3166-1 alpha-2)
 * @param value the model id, tier number, ROR id (bare, or as {@code https://ror.org/…}: stored bare) or country
 *     code; none for GLOBAL
 * @param reason why, recorded in the ledger
 * @param model INSTITUTION or COUNTRY only, optional: the one model the switch stops from the scope (ADR 0045);
 *     none stops every model, as before
 */
public record KillSwitchRequest(String scope, String value, String reason, String model) {

    /** A switch on every model of its scope. */
    public KillSwitchRequest(String scope, String value, String reason) {
        this(scope, value, reason, null);
    }
}
