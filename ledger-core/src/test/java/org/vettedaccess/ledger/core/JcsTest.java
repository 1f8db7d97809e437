package org.vettedaccess.ledger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
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
        assertThrows(IllegalArgumentException.class, () -> jcs(9007199254740992L));
        assertThrows(IllegalArgumentException.class, () -> jcs("\ud800"));
        assertThrows(IllegalArgumentException.class, () -> jcs(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> jcs(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> jcs(1.5f));
    }

    /** RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical form. */
    @Test
    void writesDoublesAsRfc8785AppendixB() {
        String[] vectors = {
            "0000000000000000 0",
            "8000000000000000 0",
            "0000000000000001 5e-324",
            "8000000000000001 -5e-324",
            "7fefffffffffffff 1.7976931348623157e+308",
            "ffefffffffffffff -1.7976931348623157e+308",
            "4340000000000000 9007199254740992",
            "c340000000000000 -9007199254740992",
            "4430000000000000 295147905179352830000",
            "44b52d02c7e14af5 9.999999999999997e+22",
            "44b52d02c7e14af6 1e+23",
            "44b52d02c7e14af7 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e 999999999999999700000",
            "444b1ae4d6e2ef4f 999999999999999900000",
            "444b1ae4d6e2ef50 1e+21",
            "3eb0c6f7a0b5ed8c 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d 0.000001",
            "41b3de4355555553 333333333.3333332",
            "41b3de4355555554 333333333.33333325",
            "41b3de4355555555 333333333.3333333",
            "41b3de4355555556 333333333.3333334",
            "41b3de4355555557 333333333.33333343",
            "becbf647612f3696 -0.0000033333333333333333",
            "43143ff3c1cb0959 1424953923781206.2"
        };
        for (String vector : vectors) {
            assertBits(vector);
        }
        assertEquals("3.1e+25", jcs(3.1e25));
        assertEquals("{\"flop\":1e+22}", jcs(Map.of("flop", 1e22)));
    }

    /**
     * 2,069 doubles (random bit patterns, short decimals from 1e-30 to 1e30, the smallest subnormals) with the
     * string node's {@code String(number)} gives for each, the reference JCS names.
     */
    @Test
    void writesDoublesAsEcmaScriptDoes() throws IOException {
        try (var in = JcsTest.class.getResourceAsStream("/es6-numbers.txt")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .lines()
                    .toList();
            assertEquals(2069, lines.size());
            lines.forEach(JcsTest::assertBits);
        }
    }

    /**
     * An object canonicalised once, with members added later (the ledger's leaf: the entry's fields, then {@code type}
     * and {@code loggedAt}), gives exactly the bytes of canonicalising the whole object: random keys around and
     * between the added ones, non-ASCII keys and values, empty objects.
     */
    @Test
    void membersAddedToACanonicalObjectGiveTheWholeObjectsBytes() {
        java.util.Random random = new java.util.Random(8785);
        String[] alphabet = {"a", "l", "t", "z", "A", "_", "0", "\u00e9", "\u20ac", "\ud83d\ude00", "\ufb33", "\"", "\n"
        };
        for (int round = 0; round < 2000; round++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            Map<String, Object> added = new LinkedHashMap<>();
            int members = random.nextInt(8);
            for (int m = 0; m < members + 3; m++) {
                StringBuilder key = new StringBuilder();
                for (int c = random.nextInt(4); c >= 0; c--) {
                    key.append(alphabet[random.nextInt(alphabet.length)]);
                }
                Object value = switch (random.nextInt(4)) {
                    case 0 -> random.nextLong(1000);
                    case 1 -> key + "\u00e9";
                    case 2 -> List.of(random.nextBoolean(), Map.of("k", 1.5));
                    default -> random.nextDouble() * 1e25;
                };
                (m < members ? fields : added).putIfAbsent(key.toString(), value);
            }
            added.keySet().removeAll(fields.keySet());
            Map<String, Object> whole = new LinkedHashMap<>(fields);
            whole.putAll(added);
            Jcs.CanonicalObject once = Jcs.object(fields);
            assertEquals(jcs(fields), once.json());
            assertEquals(jcs(whole), new String(once.plus(added), StandardCharsets.UTF_8), whole.toString());
            assertEquals(jcs(Map.of("f", fields)), jcs(Map.of("f", once)), "written as a value, as it is");
        }
        Jcs.CanonicalObject entry = Jcs.object(Map.of("type", "x"));
        assertThrows(IllegalArgumentException.class, () -> entry.plus(Map.of("type", "y")));
    }

    private static void assertBits(String vector) {
        String[] parts = vector.split(" ");
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
        assertEquals(parts[1], jcs(value), parts[0]);
    }
}
