package org.vettedaccess.ledger.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys in the formats of Go's {@code golang.org/x/mod/sumdb/note}: a verifier key (vkey)
 * {@code <name>+<hex key id>+<base64(0x01 ‖ public key)>} and a signer key
 * {@code PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ seed)>}. The key id is the first four bytes of
 * SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key).
 */
public final class NoteKeys {

    static final byte ED25519 = 0x01;
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private NoteKeys() {}

    /** A key that signs notes. */
    public record Signer(String name, int keyId, PrivateKey privateKey, byte[] publicKey) {
        public Verifier verifier() {
            return new Verifier(name, keyId, NoteKeys.publicKey(publicKey), publicKey);
        }
    }

    /** A key that verifies notes. */
    public record Verifier(String name, int keyId, PublicKey publicKey, byte[] rawPublicKey) {
        public String vkey() {
            return name + "+" + String.format("%08x", keyId) + "+" + base64(ED25519, rawPublicKey);
        }
    }

    /** A new signer key in the {@code PRIVATE+KEY+...} text form. */
    public static String generateSignerKey(String name) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return signerKeyText(name, seed);
    }

    static String signerKeyText(String name, byte[] seed) {
        byte[] publicKey = publicFromSeed(seed);
        return "PRIVATE+KEY+" + name + "+" + String.format("%08x", keyId(name, publicKey)) + "+"
                + base64(ED25519, seed);
    }

    public static Signer parseSigner(String text) {
        String[] parts = text.strip().split("\\+", 5);
        if (parts.length != 5 || !parts[0].equals("PRIVATE") || !parts[1].equals("KEY")) {
            throw new IllegalArgumentException("not a note signer key (PRIVATE+KEY+name+id+key)");
        }
        byte[] seed = decodeKey(parts[4]);
        byte[] publicKey = publicFromSeed(seed);
        int id = keyId(parts[2], publicKey);
        if (!String.format("%08x", id).equals(parts[3])) {
            throw new IllegalArgumentException("the signer key's id does not match its name and key");
        }
        return new Signer(parts[2], id, privateKey(seed), publicKey);
    }

    public static Verifier parseVerifier(String vkey) {
        String[] parts = vkey.strip().split("\\+", 3);
        if (parts.length != 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("not a note verifier key (name+id+key)");
        }
        byte[] publicKey = decodeKey(parts[2]);
        int id = keyId(parts[0], publicKey);
        if (!String.format("%08x", id).equals(parts[1])) {
            throw new IllegalArgumentException("the verifier key's id does not match its name and key");
        }
        return new Verifier(parts[0], id, publicKey(publicKey), publicKey);
    }

    static int keyId(String name, byte[] publicKey) {
        return keyId(name, ED25519, publicKey);
    }

    static int keyId(String name, byte algorithm, byte[] publicKey) {
        byte[] nameBytes = (name + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[nameBytes.length + 1 + publicKey.length];
        System.arraycopy(nameBytes, 0, input, 0, nameBytes.length);
        input[nameBytes.length] = algorithm;
        System.arraycopy(publicKey, 0, input, nameBytes.length + 1, publicKey.length);
        return ByteBuffer.wrap(Hashes.sha256(input), 0, 4).getInt();
    }

    private static byte[] decodeKey(String base64) {
        return decodeKey(base64, ED25519);
    }

    static byte[] decodeKey(String base64, byte algorithm) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a key is base64");
        }
        if (key.length != 33 || key[0] != algorithm) {
            throw new IllegalArgumentException(
                    "only Ed25519 (algorithm " + algorithm + ") keys of 32 bytes are supported here");
        }
        return Arrays.copyOfRange(key, 1, 33);
    }

    static String base64(byte algorithm, byte[] key) {
        byte[] out = new byte[key.length + 1];
        out[0] = algorithm;
        System.arraycopy(key, 0, out, 1, key.length);
        return Base64.getEncoder().encodeToString(out);
    }

    static PrivateKey privateKey(byte[] seed) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required by the Java platform", e);
        }
    }

    static PublicKey publicKey(byte[] raw) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    /** The JDK derives an Ed25519 key pair from 32 random bytes; giving it the seed makes that derivation. */
    static byte[] publicFromSeed(byte[] seed) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
            KeyPair pair = generator.generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required by the Java platform", e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Hands out the seed as the "random" bytes of key generation. */
    private static final class SeedRandom extends SecureRandom {
        private final byte[] seed;

        SeedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected key generation request");
            }
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
