package org.vettedaccess.e2e.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Forgeries made from a genuine token, as an attacker holding one would make them. */
public final class Jwts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Jwts() {}

    public static ObjectNode payload(String token) {
        return decode(token.split("\\.")[1]);
    }

    /** The same header and payload with one signature byte changed. */
    public static String withTamperedSignature(String token) {
        String[] parts = token.split("\\.");
        byte[] signature = DECODER.decode(parts[2]);
        signature[signature.length / 2] ^= 0x01;
        return parts[0] + "." + parts[1] + "." + ENCODER.encodeToString(signature);
    }

    /** The genuine signature over a payload that grants itself an extra role. */
    public static String withTamperedPayload(String token, String extraRole) {
        String[] parts = token.split("\\.");
        ObjectNode payload = decode(parts[1]);
        payload.withObject("realm_access").withArray("roles").add(extraRole);
        return parts[0] + "." + encode(payload) + "." + parts[2];
    }

    /** The genuine payload, unsigned, with the header claiming {@code alg: none}. */
    public static String withAlgNone(String token) {
        String[] parts = token.split("\\.");
        ObjectNode header = JSON.createObjectNode().put("alg", "none").put("typ", "JWT");
        return encode(header) + "." + parts[1] + ".";
    }

    /**
     * The key-confusion attack: the genuine header (but {@code alg: HS256}) and payload, signed with HMAC-SHA256
     * using {@code key}, e.g. the realm's RSA public key in PEM, which a careless verifier would accept as the
     * HMAC secret.
     */
    public static String withHs256(String token, byte[] key) {
        String[] parts = token.split("\\.");
        ObjectNode header = decode(parts[0]);
        header.put("alg", "HS256");
        String signingInput = encode(header) + "." + parts[1];
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return signingInput + "."
                    + ENCODER.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode decode(String part) {
        try {
            return (ObjectNode) JSON.readTree(DECODER.decode(part));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(ObjectNode json) {
        return ENCODER.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
