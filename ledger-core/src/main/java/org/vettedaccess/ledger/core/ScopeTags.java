package org.vettedaccess.ledger.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed scope tags on usage leaves (ADR 0046): a commitment to the caller's institution and country that only a
 * holder of the key can test, different on every leaf. The gateway makes them, the verifier recomputes them for the
 * values a kill switch or a scope trip names, and the ledger checks their shape; one code for all three.
 *
 * <pre>
 * key id = hex(SHA-256("vetted-access/scope-tag-key/v1" ‖ 0x00 ‖ K)[0..8])
 * tag    = base64url-nopad(HMAC-SHA256(K, "vetted-access/scope-tag/v1" ‖ 0x00 ‖ kind ‖ 0x00
 *                                         ‖ commitment (32 bytes) ‖ value (UTF-8))[0..16])
 * </pre>
 *
 * where {@code kind} is {@code institution} or {@code country}, {@code commitment} is the leaf's own
 * {@code promptCommitment} decoded from hex (a fresh random salt on every call, so it differs per leaf), and
 * {@code value} is the bare lowercase ROR id or the uppercase ISO 3166-1 alpha-2 code ({@link #normalise}).
 */
public final class ScopeTags {

    public static final String INSTITUTION = "institution";
    public static final String COUNTRY = "country";
    /** The leaf field. */
    public static final String FIELD = "scopeTags";

    private static final byte[] TAG_DOMAIN = "vetted-access/scope-tag/v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_DOMAIN = "vetted-access/scope-tag-key/v1".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Pattern COMMITMENT = Pattern.compile("[0-9a-f]{64}");
    private static final int MIN_KEY_BYTES = 16;
    private static final String ROR_URL = "https://ror.org/";

    private final String id;
    private final SecretKeySpec secret;
    private final ThreadLocal<Mac> macs;

    private ScopeTags(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a scope-tag key has at least " + MIN_KEY_BYTES + " bytes");
        }
        MessageDigest sha = Hashes.sha256();
        sha.update(KEY_DOMAIN);
        sha.update((byte) 0);
        this.id = HexFormat.of().formatHex(Arrays.copyOf(sha.digest(key), 8));
        this.secret = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A key from its raw bytes (at least 16; 32 random bytes recommended). */
    public static ScopeTags of(byte[] key) {
        return new ScopeTags(key);
    }

    /** A key from its base64 text (standard or URL alphabet, padding optional), as configured and as a CLI takes it. */
    public static ScopeTags parse(String base64) {
        String text = base64.strip();
        try {
            byte[] raw = text.contains("-") || text.contains("_")
                    ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
            return new ScopeTags(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "a scope-tag key is base64 of at least " + MIN_KEY_BYTES + " bytes: " + e.getMessage());
        }
    }

    /** The key's id: 16 hex digits, named in every tagged leaf so that keys can rotate. */
    public String id() {
        return id;
    }

    /**
     * The tag of {@code value} (normalised) of {@code kind} on the leaf whose {@code promptCommitment} is
     * {@code commitment} (64 lowercase hex digits).
     */
    public String tag(String commitment, String kind, String value) {
        if (commitment == null || !COMMITMENT.matcher(commitment).matches()) {
            throw new IllegalArgumentException("a scope tag needs the leaf's promptCommitment (64 hex digits)");
        }
        return tag(HexFormat.of().parseHex(commitment), kind, value);
    }

    /** As {@link #tag(String, String, String)}, with the commitment's 32 bytes. */
    public String tag(byte[] commitment, String kind, String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw(commitment, kind, value));
    }

    /** The tag's 16 bytes (a verifier compares these with {@link #decode}d tags). */
    public byte[] raw(byte[] commitment, String kind, String value) {
        Mac mac = macs.get();
        mac.update(TAG_DOMAIN);
        mac.update((byte) 0);
        mac.update(kind(kind).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) 0);
        mac.update(commitment);
        byte[] full = mac.doFinal(normalise(kind, value).getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(full, 16);
    }

    /** A tag's 16 bytes from its text; refuses anything not of a tag's shape. */
    public static byte[] decode(String tag) {
        if (!isTag(tag)) {
            throw new IllegalArgumentException("a scope tag is 22 characters of base64url");
        }
        return Base64.getUrlDecoder().decode(tag);
    }

    /**
     * The value as tags commit to it: an institution as its bare lowercase ROR id (a {@code https://ror.org/} URL
     * loses its prefix, as access-policy stores it), a country as its uppercase code.
     */
    public static String normalise(String kind, String value) {
        String v = value.strip();
        if (kind(kind).equals(INSTITUTION)) {
            if (v.regionMatches(true, 0, ROR_URL, 0, ROR_URL.length())) {
                v = v.substring(ROR_URL.length());
            }
            return v.toLowerCase(Locale.ROOT);
        }
        return v.toUpperCase(Locale.ROOT);
    }

    /** Whether {@code text} has a key id's shape (16 lowercase hex digits). */
    public static boolean isKeyId(String text) {
        return text != null && KEY_ID.matcher(text).matches();
    }

    /** Whether {@code text} has a tag's shape (16 bytes, base64url without padding: 22 characters). */
    public static boolean isTag(String text) {
        return text != null && TAG.matcher(text).matches();
    }

    private static String kind(String kind) {
        if (!INSTITUTION.equals(kind) && !COUNTRY.equals(kind)) {
            throw new IllegalArgumentException("a scope tag's kind is institution or country, not " + kind);
        }
        return kind;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
