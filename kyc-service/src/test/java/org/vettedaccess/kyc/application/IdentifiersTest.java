package org.vettedaccess.kyc.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void orcidCheckDigitsFollowIso7064Mod112() {
        // ORCID's own documented examples, one ending in X.
        assertTrue(Identifiers.orcidChecksum("0000-0002-1825-0097"));
        assertTrue(Identifiers.orcidChecksum("0000-0001-5109-3700"));
        assertTrue(Identifiers.orcidChecksum("0000-0002-1694-233X"));
        assertFalse(Identifiers.orcidChecksum("0000-0002-1825-0098"), "one digit off");
        assertFalse(Identifiers.orcidChecksum("0000-0002-1825-009"), "too short");
        assertFalse(Identifiers.orcidChecksum("0000000218250097"), "no hyphens");
    }

    @Test
    void rorCheckDigitsFollowIso7064Mod9710() {
        for (String real : new String[] {"05qwgg493", "02mhbdp94", "03yrm5c26", "00f54p054"}) {
            assertTrue(Identifiers.rorChecksum(real), real);
        }
        assertTrue(Identifiers.rorChecksum("https://ror.org/05qwgg493"));
        assertFalse(Identifiers.rorChecksum("05qwgg494"), "wrong check digits");
        assertNull(Identifiers.rorId("05qwgl493"), "'l' is not in Crockford base32");
        assertNull(Identifiers.rorId("15qwgg493"), "must start with 0");
        assertEquals("05qwgg493", Identifiers.rorId(" https://ror.org/05QWGG493 "));
    }

    @Test
    void countriesAreIsoAlpha2() {
        assertTrue(Identifiers.country("DE"));
        assertFalse(Identifiers.country("XX"));
        assertFalse(Identifiers.country("de"));
        assertEquals("tum.de", Identifiers.emailDomain("a.b@TUM.de"));
        assertNull(Identifiers.emailDomain("not an email"));
    }
}
