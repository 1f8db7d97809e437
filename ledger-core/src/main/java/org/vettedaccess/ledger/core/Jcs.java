package org.vettedaccess.ledger.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme over plain Java values: {@code Map<String, ?>}, {@code List<?>},
 * {@code String}, integral numbers, finite {@code Double}s, {@code Boolean} and {@code null}. Object members are
 * sorted by their UTF-16 code units and nothing is added between tokens. Integers are limited to ±(2^53 − 1),
 * where they are exact IEEE 754 doubles and JCS's number form is the plain decimal; a {@code Double} is written as
 * ECMAScript's {@code Number.prototype.toString} writes it (RFC 8785 §3.2.2.3), e.g. {@code 3.1e+25}.
 */
public final class Jcs {

    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private Jcs() {}

    public static byte[] canonicalize(Object value) {
        StringBuilder out = new StringBuilder(512);
        write(value, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Boolean b -> out.append(b);
            case Long n -> integer(n, out);
            case Integer n -> integer(n, out);
            case Short n -> integer(n, out);
            case BigInteger n -> integer(n.longValueExact(), out);
            case Double d -> number(d, out);
            case CanonicalObject canonical -> out.append(canonical.json);
            case Map<?, ?> map -> object(map, out);
            case List<?> list -> array(list, out);
            default ->
                throw new IllegalArgumentException(
                        "not canonicalizable: " + value.getClass().getSimpleName() + " (only integers, doubles,"
                                + " strings, booleans, null, lists and maps)");
        }
    }

    private static void integer(long n, StringBuilder out) {
        if (Math.abs(n) > MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("integer outside ±(2^53 − 1): " + n);
        }
        out.append(n);
    }

    /**
     * ECMAScript's shortest round-tripping form of a double (ECMA-262 Number::toString, radix 10). Since JDK 19
     * {@link Double#toString} gives the shortest decimal that rounds to the double, the closest of them (ties to
     * even), as ECMAScript does; except that where one digit would do it chooses among two-digit decimals (so
     * {@code 4.9E-324} for ECMAScript's {@code 5e-324}), which {@link #oneDigit} corrects. The layout is then
     * ECMAScript's: plain digits for exponents from -7 to 20, else {@code d.ddde±x}.
     */
    private static void number(double d, StringBuilder out) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no NaN or Infinity: " + d);
        }
        if (d == 0) {
            out.append('0'); // also -0 (RFC 8785 §3.2.2.3)
            return;
        }
        if (d < 0) {
            out.append('-');
            d = -d;
        }
        BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        if (shortest.precision() == 2) {
            shortest = oneDigit(d, shortest);
        }
        String digits = shortest.unscaledValue().toString(); // s, of k digits: d = s × 10^(n − k)
        int k = digits.length();
        int n = k - shortest.scale();
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(n - 1 < 0 ? '-' : '+').append(Math.abs(n - 1));
        }
    }

    /** The one-digit decimal nearest {@code d} that still reads back as {@code d}, if there is one. */
    private static BigDecimal oneDigit(double d, BigDecimal twoDigits) {
        BigDecimal exact = new BigDecimal(d);
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal candidate = twoDigits.round(new MathContext(1, mode));
            if (Double.parseDouble(candidate.toString()) == d
                    && (best == null
                            || candidate
                                            .subtract(exact)
                                            .abs()
                                            .compareTo(best.subtract(exact).abs())
                                    < 0)) {
                best = candidate;
            }
        }
        return best == null ? twoDigits : best.stripTrailingZeros();
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        Map.Entry<?, ?>[] entries = sorted(map);
        out.append('{');
        for (int i = 0; i < entries.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            member(entries[i], out);
        }
        out.append('}');
    }

    private static Map.Entry<?, ?>[] sorted(Map<?, ?> map) {
        // Sorting an array of entries is cheaper than building a TreeMap; String.compareTo is UTF-16 order.
        Map.Entry<?, ?>[] entries = map.entrySet().toArray(new Map.Entry[0]);
        for (Map.Entry<?, ?> entry : entries) {
            if (!(entry.getKey() instanceof String)) {
                throw new IllegalArgumentException("object keys must be strings");
            }
        }
        Arrays.sort(entries, (a, b) -> ((String) a.getKey()).compareTo((String) b.getKey()));
        return entries;
    }

    private static void member(Map.Entry<?, ?> entry, StringBuilder out) {
        string((String) entry.getKey(), out);
        out.append(':');
        write(entry.getValue(), out);
    }

    /**
     * Canonicalises an object once and keeps where each member is, so that members can be added later ({@link
     * CanonicalObject#plus}) without writing its values again. {@link #canonicalize} writes it as it is, as a value.
     */
    public static CanonicalObject object(Map<String, ?> map) {
        Map.Entry<?, ?>[] entries = sorted(map);
        StringBuilder out = new StringBuilder(512);
        String[] keys = new String[entries.length];
        int[] ends = new int[entries.length];
        out.append('{');
        for (int i = 0; i < entries.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            keys[i] = (String) entries[i].getKey();
            member(entries[i], out);
            ends[i] = out.length();
        }
        out.append('}');
        return new CanonicalObject(out.toString(), keys, ends);
    }

    /**
     * An object in RFC 8785 form, with its members' places: {@link #plus} merges further members into it, which
     * gives the same bytes as canonicalising the whole object, at the cost of copying characters.
     */
    public static final class CanonicalObject {

        private final String json;
        private final String[] keys; // sorted
        private final int[] ends; // json[ends[i - 1] + 1, ends[i]) is member i, json[1, ends[0]) the first

        private CanonicalObject(String json, String[] keys, int[] ends) {
            this.json = json;
            this.keys = keys;
            this.ends = ends;
        }

        /** The canonical JSON text. */
        public String json() {
            return json;
        }

        /** The canonical UTF-8 bytes. */
        public byte[] bytes() {
            return json.getBytes(StandardCharsets.UTF_8);
        }

        /**
         * The canonical UTF-8 bytes of this object with {@code added}'s members too; a key it already has is refused
         * (a leaf's fields never shadow the ledger's own members).
         */
        public byte[] plus(Map<String, ?> added) {
            Map.Entry<?, ?>[] more = sorted(added);
            StringBuilder out = new StringBuilder(json.length() + 32 * more.length);
            out.append('{');
            int mine = 0;
            int theirs = 0;
            while (mine < keys.length || theirs < more.length) {
                if (out.length() > 1) {
                    out.append(',');
                }
                int order = mine == keys.length
                        ? 1
                        : theirs == more.length ? -1 : keys[mine].compareTo((String) more[theirs].getKey());
                if (order == 0) {
                    throw new IllegalArgumentException("the object already has a member '" + keys[mine] + "'");
                }
                if (order < 0) {
                    out.append(json, mine == 0 ? 1 : ends[mine - 1] + 1, ends[mine]);
                    mine++;
                } else {
                    member(more[theirs++], out);
                }
            }
            out.append('}');
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private static void array(List<?> list, StringBuilder out) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            write(list.get(i), out);
        }
        out.append(']');
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        int plain = 0; // the start of the run of characters that need no escaping
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a valid pair is written as it is, in the run
                    continue;
                }
                throw new IllegalArgumentException("a string holds a lone surrogate");
            }
            out.append(s, plain, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
            plain = i + 1;
        }
        out.append(s, plain, s.length()).append('"');
    }
}
