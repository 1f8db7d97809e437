package org.vettedaccess.ledger.entry;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.vettedaccess.ledger.config.LedgerConfig;

/**
 * Subjects become pseudonyms before they reach a leaf: HMAC-SHA256 under the ledger's pseudonym key, in
 * base64url. The same person always gets the same pseudonym, and only a recorded disclosure says who it is.
 */
@ApplicationScoped
public class Pseudonyms {

    private final SecretKeySpec key;

    public Pseudonyms(LedgerConfig config) {
        if (config.pseudonymKey().length() < 16) {
            throw new IllegalStateException("ledger.pseudonym-key must be a secret of at least 16 characters");
        }
        this.key = new SecretKeySpec(config.pseudonymKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String of(String subject) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(subject.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
        }
    }
}
