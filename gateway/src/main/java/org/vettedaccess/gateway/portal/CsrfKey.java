package org.vettedaccess.gateway.portal;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key of the portal's session-bound CSRF tokens. It is derived (SHA-256 with a label of its own) from the
 * portal's OIDC state secret, which every gateway replica already holds and which never leaves the server, so a
 * token made on one replica is accepted on every other and no second secret has to be distributed.
 */
@ApplicationScoped
public class CsrfKey {

    private static final String LABEL = "vetted-access portal csrf v1\n";

    private final Optional<String> stateSecret;
    private volatile SecretKeySpec key;

    /** Optional here so that a run that only migrates (a Kubernetes migration Job) needs no portal secret. */
    public CsrfKey(
            @ConfigProperty(name = "quarkus.oidc.portal.authentication.state-secret") Optional<String> stateSecret) {
        this.stateSecret = stateSecret;
    }

    private SecretKeySpec key() {
        SecretKeySpec derived = key;
        if (derived == null) {
            String secret = stateSecret.orElseThrow(() -> new IllegalStateException(
                    "quarkus.oidc.portal.authentication.state-secret (PORTAL_STATE_SECRET) is not set"));
            try {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                sha256.update(LABEL.getBytes(StandardCharsets.UTF_8));
                derived = new SecretKeySpec(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
            key = derived;
        }
        return derived;
    }

    /** The token for one sign-in session: base64url(HMAC-SHA256(key, session)). */
    public String tokenFor(String session) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(session.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }
}
