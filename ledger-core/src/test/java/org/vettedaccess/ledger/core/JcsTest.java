package org.vettedaccess.ledger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** RFC 8785 canonical JSON for the value kinds ledger entries use. */
class JcsTest {

    private static String jcs(Object value) {
        return new String(Jcs.canonicalize(value), StandardCharsets.UTF_8);
    }

    @Test
    void sortsMembersByUtf16CodeUnitsAndDropsWhitespace() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("\u20ac", "Euro Sign");
        value.put("\r", "Carriage Return");
        value.put("\ufb33", "Hebrew Letter Dalet With Dagesh");
        value.put("1", "One");
        value.put("\ud83d\ude00", "Emoji: Grinning Face");
        value.put("\u0080", "Control");
        value.put("\u00f6", "Latin Small Letter O With Diaeresis");
        // The sorting example of RFC 8785 §3.2.3: by UTF-16 code units, so the emoji sorts before U+FB33.
        assertEquals(
                "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With"
                        + " Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew"
                        + " Letter Dalet With Dagesh\"}",
                jcs(value));
    }

    @Test
    void escapesOnlyWhatJsonRequires() {
        assertEquals("\"\\u0001\\n\\\"\\\\/\u00e9\"", jcs("\u0001\n\"\\/\u00e9"));
    }

    @Test
    void writesNestedValuesAndIntegers() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("b", List.of(1L, true, "x"));
        value.put("a", Arrays.asList(null, Map.of("z", -3, "y", 9007199254740991L)));
        assertEquals("{\"a\":[null,{\"y\":9007199254740991,\"z\":-3}],\"b\":[1,true,\"x\"]}", jcs(value));
    }

    @Test
    void refusesWhatItCannotRepresentExactly() {
        assertThrows(IllegalArgumentException.class, () -> jcs(1.5));
        assertThrows(IllegalArgumentException.class, () -> jcs(9007199254740992L));
        assertThrows(IllegalArgumentException.class, () -> jcs("\ud800"));
    }
}
