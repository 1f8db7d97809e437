package org.vettedaccess.kyc.application;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of the identifiers researchers give: ORCID iD, ROR id, ISO 3166-1 country code. Plain functions. */
public final class Identifiers {

    private static final Pattern ORCID = Pattern.compile("\\d{4}-\\d{4}-\\d{4}-\\d{3}[\\dX]");
    /** ROR ids: a leading 0, six Crockford base32 characters, two check digits. */
    private static final Pattern ROR = Pattern.compile("0[0-9a-hjkmnp-tv-z]{6}\\d{2}");

    private static final String CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private Identifiers() {}

    public static boolean orcidFormat(String orcid) {
        return orcid != null && ORCID.matcher(orcid).matches();
    }

    /** The ORCID iD's last character is its ISO 7064 11,2 check digit over the other fifteen digits. */
    public static boolean orcidChecksum(String orcid) {
        if (!orcidFormat(orcid)) {
            return false;
        }
        String digits = orcid.replace("-", "");
        int total = 0;
        for (int i = 0; i < 15; i++) {
            total = (total + (digits.charAt(i) - '0')) * 2;
        }
        int result = (12 - total % 11) % 11;
        char expected = result == 10 ? 'X' : (char) ('0' + result);
        return digits.charAt(15) == expected;
    }

    /** Accepts {@code 05qwgg493} or {@code https://ror.org/05qwgg493}; returns the bare id, or null. */
    public static String rorId(String value) {
        if (value == null) {
            return null;
        }
        String id = value.strip().toLowerCase(Locale.ROOT).replaceFirst("^https?://ror\\.org/", "");
        return ROR.matcher(id).matches() ? id : null;
    }

    /** The ROR id's last two digits are ISO 7064 Mod 97-10 over the base32 value of its first seven characters. */
    public static boolean rorChecksum(String id) {
        String bare = rorId(id);
        if (bare == null) {
            return false;
        }
        long value = 0;
        for (int i = 0; i < 7; i++) {
            value = value * 32 + CROCKFORD.indexOf(bare.charAt(i));
        }
        long check = 98 - (value * 100) % 97;
        return Integer.parseInt(bare.substring(7)) == check;
    }

    public static boolean country(String code) {
        return code != null && COUNTRIES.contains(code);
    }

    /** The domain of an email address, lowercased, or null if it is not one. */
    public static String emailDomain(String email) {
        if (email == null || email.length() > 254 || !email.matches("[^@\\s]{1,64}@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")) {
            return null;
        }
        return email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
    }
}
