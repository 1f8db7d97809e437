package org.vettedaccess.ledger.checkpoint;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.core.NoteKeys;

/**
 * The checkpoint signing key, from {@code ledger.signing-key} or {@code ledger.signing-key-file}, and the
 * verifier keys the ledger publishes: the current one first, then retired ones (see README for rotation).
 */
@ApplicationScoped
public class SigningKeys {

    private final NoteKeys.Signer signer;
    private final List<String> verifierKeys;

    public SigningKeys(LedgerConfig config) {
        String text = config.signingKey()
                .orElseGet(
                        () -> config.signingKeyFile()
                                .map(file -> {
                                    try {
                                        return Files.readString(file);
                                    } catch (IOException e) {
                                        throw new IllegalStateException(
                                                "cannot read ledger.signing-key-file " + file, e);
                                    }
                                })
                                .orElseThrow(
                                        () -> new IllegalStateException(
                                                "set ledger.signing-key or ledger.signing-key-file: the ledger cannot sign checkpoints")));
        this.signer = NoteKeys.parseSigner(text);
        if (!signer.name().equals(config.origin())) {
            throw new IllegalStateException("the signing key is named '" + signer.name() + "' but ledger.origin is '"
                    + config.origin() + "'; they must be equal");
        }
        List<String> keys = new ArrayList<>();
        keys.add(signer.verifier().vkey());
        config.previousVerifierKeys()
                .ifPresent(previous -> previous.forEach(
                        vkey -> keys.add(NoteKeys.parseVerifier(vkey).vkey())));
        this.verifierKeys = List.copyOf(keys);
    }

    public NoteKeys.Signer signer() {
        return signer;
    }

    public List<String> verifierKeys() {
        return verifierKeys;
    }
}
