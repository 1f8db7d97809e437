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

    // An initialised Mac per thread: looking up the provider and keying the HMAC on every call cost more than
    // the HMAC itself. doFinal resets it for the next subject.
    private final ThreadLocal<Mac> macs;

    public Pseudonyms(LedgerConfig config) {
        if (config.pseudonymKey().length() < 16) {
            throw new IllegalStateException("ledger.pseudonym-key must be a secret of at least 16 characters");
        }
        SecretKeySpec key = new SecretKeySpec(config.pseudonymKey().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
            }
        });
    }

    public String of(String subject) {
        byte[] digest = macs.get().doFinal(subject.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }
}
