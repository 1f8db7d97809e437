package org.vettedaccess.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.verifier.witness.WitnessMain;
import org.vettedaccess.ledger.verifier.witness.WitnessServer;

/**
 * The one witness the local suite runs, as a regulator would run {@code ledger-verifier witness} beside the ledger:
 * its own key and state file in the suite's state directory, trusting the ledger's verifier key. The ledger is
 * configured with it ({@code LEDGER_WITNESSES}), so local checkpoints are cosigned.
 */
public final class LocalWitness implements AutoCloseable {

    static final String NAME = "witness.vetted-access.local/regulator";

    private final WitnessServer server;

    private LocalWitness(WitnessServer server) {
        this.server = server;
    }

    /** Starts it on a free port, trusting the ledger key in {@code secrets} (made there by {@link LedgerSecrets}). */
    static LocalWitness start(Path state, Path secrets, boolean freshData) throws SuiteException {
        try {
            String ledgerKey = NoteKeys.parseSigner(Files.readString(LedgerSecrets.signingKey(secrets)))
                    .verifier()
                    .vkey();
            // Fresh data means a new log, which a witness that remembers the last one would rightly refuse.
            Path stateFile = state.resolve("witness/state.json");
            if (freshData) {
                Files.deleteIfExists(stateFile);
            }
            return new LocalWitness(WitnessMain.start(
                    state.resolve("witness/witness.key"), NAME, List.of(ledgerKey), stateFile, "127.0.0.1", 0));
        } catch (IOException | RuntimeException e) {
            throw new SuiteException("cannot start the local witness: " + e.getMessage(), e);
        }
    }

    /** The witness's cosigner key, for verifiers' witness policies. */
    public String vkey() {
        return server.verifier().vkey();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** What the ledger needs to submit its checkpoints here. */
    Map<String, String> ledgerEnvironment() {
        return Map.of("LEDGER_WITNESSES", vkey() + " " + url());
    }

    @Override
    public void close() {
        server.close();
    }
}
