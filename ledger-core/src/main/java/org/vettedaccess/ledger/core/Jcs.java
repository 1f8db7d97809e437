package org.vettedaccess.ledger.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme over plain Java values: {@code Map<String, ?>}, {@code List<?>},
 * {@code String}, integral numbers, {@code Boolean} and {@code null}. Object members are sorted by their
 * UTF-16 code units and nothing is added between tokens. Ledger entries carry no fractions, so numbers are
 * limited to integers within ±(2^53 − 1), where JCS's number form is the plain decimal.
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
            case Map<?, ?> map -> object(map, out);
            case List<?> list -> array(list, out);
            default ->
                throw new IllegalArgumentException(
                        "not canonicalizable: " + value.getClass().getSimpleName() + " (only integers, strings,"
                                + " booleans, null, lists and maps)");
        }
    }

    private static void integer(long n, StringBuilder out) {
        if (Math.abs(n) > MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("integer outside ±(2^53 − 1): " + n);
        }
        out.append(n);
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        // Sorting an array of entries is cheaper than building a TreeMap; String.compareTo is UTF-16 order.
        @SuppressWarnings("unchecked")
        Map.Entry<?, ?>[] entries = map.entrySet().toArray(new Map.Entry[0]);
        for (Map.Entry<?, ?> entry : entries) {
            if (!(entry.getKey() instanceof String)) {
                throw new IllegalArgumentException("object keys must be strings");
            }
        }
        Arrays.sort(entries, (a, b) -> ((String) a.getKey()).compareTo((String) b.getKey()));
        out.append('{');
        for (int i = 0; i < entries.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            string((String) entries[i].getKey(), out);
            out.append(':');
            write(entries[i].getValue(), out);
        }
        out.append('}');
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
