package org.vettedaccess.ledger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The exact bytes of ADR 0046, pinned by a vector computed outside Java (Python's hmac and hashlib). */
class ScopeTagsTest {

    /** Bytes 0..31. */
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static final String COMMITMENT = "ab".repeat(32);

    @Test
    void keyIdAndTagsMatchTheIndependentVector() {
        ScopeTags key = ScopeTags.parse(KEY);
        assertEquals("63438630c590e9af", key.id());
        assertEquals("YFx5YKxZH0KugLQ6mYGGrA", key.tag(COMMITMENT, ScopeTags.INSTITUTION, "05qwgg493"));
        assertEquals("qmyj1jWte8UU3PKCwI4oMg", key.tag(COMMITMENT, ScopeTags.COUNTRY, "DE"));
    }

    @Test
    void valuesAreComparedAsAccessPolicyStoresThem() {
        ScopeTags key = ScopeTags.parse(KEY);
        String bare = key.tag(COMMITMENT, ScopeTags.INSTITUTION, "05qwgg493");
        assertEquals(bare, key.tag(COMMITMENT, ScopeTags.INSTITUTION, "https://ror.org/05QWGG493"));
        assertEquals(key.tag(COMMITMENT, ScopeTags.COUNTRY, "DE"), key.tag(COMMITMENT, ScopeTags.COUNTRY, " de"));
    }

    @Test
    void tagsDifferPerLeafPerKindAndPerKey() {
        ScopeTags key = ScopeTags.parse(KEY);
        String one = key.tag(COMMITMENT, ScopeTags.COUNTRY, "DE");
        assertNotEquals(one, key.tag("cd".repeat(32), ScopeTags.COUNTRY, "DE"), "unlinkable across leaves");
        assertNotEquals(one, key.tag(COMMITMENT, ScopeTags.COUNTRY, "FR"));
        assertNotEquals(
                key.tag(COMMITMENT, ScopeTags.INSTITUTION, "de"),
                key.tag(COMMITMENT, ScopeTags.COUNTRY, "de"),
                "the kind is part of the input");
        ScopeTags other = ScopeTags.of(new byte[32]);
        assertNotEquals(key.id(), other.id());
        assertNotEquals(one, other.tag(COMMITMENT, ScopeTags.COUNTRY, "DE"));
        assertTrue(ScopeTags.isTag(one));
        assertTrue(ScopeTags.isKeyId(key.id()));
    }

    @Test
    void shortKeysAndBadInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ScopeTags.of(new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> ScopeTags.parse("not base64!"));
        ScopeTags key = ScopeTags.parse(KEY);
        assertThrows(IllegalArgumentException.class, () -> key.tag("ab", ScopeTags.COUNTRY, "DE"));
        assertThrows(IllegalArgumentException.class, () -> key.tag(COMMITMENT, "model", "x"));
        assertFalse(ScopeTags.isTag("short"));
        assertFalse(ScopeTags.isKeyId("63438630C590E9AF"));
    }
}
