package org.vettedaccess.ledger.verifier.witness;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.core.SignedNote;
import org.vettedaccess.ledger.core.WitnessRequest;

/**
 * The C2SP {@code tlog-witness} {@code add-checkpoint} rules (https://c2sp.org/tlog-witness), without HTTP: a
 * checkpoint signed by a log it knows, whose old size is the size it last cosigned and whose consistency proof from
 * there verifies, is recorded and cosigned; anything else is refused with the spec's status. Check and record happen
 * under one lock, so two requests cannot roll the recorded size back.
 */
public final class Witness {

    /** What to answer: an HTTP status, a content type and a body. */
    public record Answer(int status, String contentType, String body) {
        static Answer of(int status, String message) {
            return new Answer(status, "text/plain; charset=utf-8", message + "\n");
        }
    }

    private final Cosignature.Signer key;
    private final Map<String, List<NoteKeys.Verifier>> logs;
    private final WitnessState state;
    private final Clock clock;

    /**
     * @param key the witness's cosigner key
     * @param logs the logs it witnesses: origin to the log's verifier keys
     * @param state where it keeps the last checkpoint it cosigned per log
     */
    public Witness(Cosignature.Signer key, Map<String, List<NoteKeys.Verifier>> logs, WitnessState state, Clock clock) {
        this.key = key;
        this.logs = Map.copyOf(logs);
        this.state = state;
        this.clock = clock;
    }

    public Cosignature.Verifier verifier() {
        return key.verifier();
    }

    public synchronized Answer addCheckpoint(String body) {
        WitnessRequest request;
        try {
            request = WitnessRequest.parse(body);
        } catch (IllegalArgumentException e) {
            return Answer.of(400, e.getMessage());
        }
        String note = request.checkpoint();
        String origin = note.split("\n", 2)[0];
        List<NoteKeys.Verifier> keys = logs.get(origin);
        if (keys == null) {
            return Answer.of(404, "unknown log " + origin);
        }
        Checkpoint checkpoint = null;
        for (NoteKeys.Verifier logKey : keys) {
            try {
                checkpoint = Checkpoint.parse(SignedNote.open(note, logKey));
                break;
            } catch (IllegalArgumentException e) {
                // try the log's other keys; none verifying is a 403 below
            }
        }
        if (checkpoint == null) {
            return Answer.of(403, "no valid signature by a key of " + origin);
        }
        if (request.oldSize() > checkpoint.size()) {
            return Answer.of(400, "old size " + request.oldSize() + " is larger than the checkpoint's");
        }
        WitnessState.Latest latest = state.latest(origin).orElse(new WitnessState.Latest(0, Hashes.emptyRoot(), null));
        if (request.oldSize() != latest.size()) {
            return new Answer(409, "text/x.tlog.size", latest.size() + "\n");
        }
        if (checkpoint.size() == 0 && !Arrays.equals(checkpoint.rootHash(), Hashes.emptyRoot())) {
            return Answer.of(422, "a checkpoint of size 0 has the empty tree's root");
        }
        if (request.oldSize() == 0) {
            if (!request.proof().isEmpty()) {
                return Answer.of(422, "no consistency proof from the empty tree is needed");
            }
        } else if (request.oldSize() == checkpoint.size()) {
            if (!Arrays.equals(latest.root(), checkpoint.rootHash())) {
                return Answer.of(
                        422, "a different tree of size " + checkpoint.size() + " than the one cosigned: a fork");
            }
        } else if (!Proofs.verifyConsistency(
                request.oldSize(), checkpoint.size(), latest.root(), checkpoint.rootHash(), request.proof())) {
            return Answer.of(
                    422, "the consistency proof from " + request.oldSize() + " does not verify: not an extension");
        }
        String cosignature =
                Cosignature.sign(checkpoint.body(), key, clock.instant().getEpochSecond());
        state.record(origin, new WitnessState.Latest(checkpoint.size(), checkpoint.rootHash(), note + cosignature));
        return new Answer(200, "text/plain; charset=utf-8", cosignature);
    }

    /** {@link #latestCosigned} by the hex SHA-256 of the origin, as the monitoring API names logs. */
    public synchronized String latestCosignedByHash(String originHash) {
        return logs.keySet().stream()
                .filter(origin -> WitnessServer.originHash(origin).equals(originHash))
                .findFirst()
                .map(this::latestCosigned)
                .orElse(null);
    }

    /** The last checkpoint cosigned for a log, with the log's and this witness's signatures; null if none. */
    public synchronized String latestCosigned(String origin) {
        return state.latest(origin).map(WitnessState.Latest::cosigned).orElse(null);
    }
}
