package org.vettedaccess.ledger.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        StringBuilder out = new StringBuilder();
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
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException("object keys must be strings");
            }
            sorted.put(key, entry.getValue());
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> entry : sorted.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(entry.getKey(), out);
            out.append(':');
            write(entry.getValue(), out);
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
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    out.append(c).append(s.charAt(++i));
                    continue;
                }
                throw new IllegalArgumentException("a string holds a lone surrogate");
            }
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
