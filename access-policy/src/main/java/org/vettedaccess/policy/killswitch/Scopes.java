package org.vettedaccess.policy.killswitch;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The vocabulary of INSTITUTION and COUNTRY scopes, shared by kill switches, tripwire rules and the decision. An
 * institution is always its bare ROR id ({@code 05qwgg493}): kyc-service reports the bare id, and a value given as
 * {@code https://ror.org/05qwgg493} is normalised to it, so a switch, a rule and a subject's assurance compare equal
 * whichever way each was written (ADR 0045).
 */
public final class Scopes {

    public static final String INSTITUTION = "INSTITUTION";
    public static final String COUNTRY = "COUNTRY";

    private static final Pattern ROR = Pattern.compile("0[a-z0-9]{6}[0-9]{2}");
    private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");
    private static final String ROR_URL = "https://ror.org/";

    private Scopes() {}

    /** The bare ROR id of {@code value} (bare or a ror.org URL), or the value unchanged if it is neither. */
    public static String institution(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.regionMatches(true, 0, ROR_URL, 0, ROR_URL.length())) {
            v = v.substring(ROR_URL.length());
        }
        return v.toLowerCase(Locale.ROOT);
    }

    /** Whether a normalised value is a ROR id's shape. */
    public static boolean isRor(String bare) {
        return bare != null && ROR.matcher(bare).matches();
    }

    public static boolean isCountry(String value) {
        return value != null && COUNTRY_CODE.matcher(value).matches();
    }
}
