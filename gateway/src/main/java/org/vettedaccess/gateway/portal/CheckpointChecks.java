package org.vettedaccess.gateway.portal;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.SignedNote;

/**
 * What the regulator's pages check about the latest checkpoint, with ledger-core: the ledger's signature against
 * the published key, consistency with the oldest checkpoint, and each configured witness's {@code cosignature/v1}
 * (C2SP tlog-cosignature) on it.
 */
@ApplicationScoped
public class CheckpointChecks {

    private final PortalClients services;

    public CheckpointChecks(PortalClients services) {
        this.services = services;
    }

    /** What the portal found when it checked the latest checkpoint. */
    public record CheckpointStatus(
            String note,
            long size,
            String root,
            boolean signatureValid,
            String signatureDetail,
            long oldestSize,
            boolean consistent,
            String consistencyDetail,
            String verifierKey,
            List<WitnessCosignature> witnesses) {

        /** How many of the configured witnesses cosigned it with a valid signature. */
        public long cosigned() {
            return witnesses.stream().filter(WitnessCosignature::valid).count();
        }
    }

    /** One configured witness: its key, and its valid cosignature's time (null if it has not cosigned, or badly). */
    public record WitnessCosignature(String name, String vkey, boolean valid, Instant cosignedAt) {}

    public CheckpointStatus latest() {
        String vkey = services.verifierKey().strip();
        // The tlog-tiles checkpoint: the signed note followed by the witnesses' cosignature lines.
        String note = services.cosignedCheckpoint();
        NoteKeys.Verifier verifier = NoteKeys.parseVerifier(vkey);
        Checkpoint latest;
        try {
            latest = Checkpoint.parse(SignedNote.open(note, verifier));
        } catch (RuntimeException e) {
            return new CheckpointStatus(
                    note,
                    0,
                    "",
                    false,
                    "the signature does not verify: " + e.getMessage(),
                    0,
                    false,
                    "not checked",
                    vkey,
                    List.of());
        }
        String root = Base64.getEncoder().encodeToString(latest.rootHash());
        List<WitnessCosignature> witnesses = cosignatures(note, services.witnesses());
        String signed = "signed by " + verifier.name();
        List<Map<String, Object>> oldest = services.checkpoints(0, 1);
        if (oldest.isEmpty()) {
            return new CheckpointStatus(
                    note,
                    latest.size(),
                    root,
                    true,
                    signed,
                    latest.size(),
                    true,
                    "the only checkpoint",
                    vkey,
                    witnesses);
        }
        Checkpoint first;
        try {
            first = Checkpoint.parse(
                    SignedNote.open(String.valueOf(oldest.get(0).get("note")), verifier));
        } catch (RuntimeException e) {
            return new CheckpointStatus(
                    note,
                    latest.size(),
                    root,
                    true,
                    signed,
                    0,
                    false,
                    "the oldest checkpoint's signature does not verify",
                    vkey,
                    witnesses);
        }
        boolean consistent = first.isExtendedBy(
                latest,
                () -> hashes(services.consistency(first.size(), latest.size()).get("hashes")));
        return new CheckpointStatus(
                note,
                latest.size(),
                root,
                true,
                signed,
                first.size(),
                consistent,
                consistent
                        ? "extends the oldest checkpoint (size " + first.size() + ") without changing it"
                        : "does NOT extend the oldest checkpoint (size " + first.size() + ")",
                vkey,
                witnesses);
    }

    /**
     * Each witness in {@code keys} (the ledger's list), and whether {@code note} carries its valid cosignature: the
     * regulator's ledger page and the researcher's receipt check count them with this one method.
     */
    static List<WitnessCosignature> cosignatures(String note, List<String> keys) {
        List<WitnessCosignature> shown = new ArrayList<>();
        for (String key : keys) {
            Cosignature.Verifier witness;
            try {
                witness = Cosignature.parseVerifier(key.strip());
            } catch (IllegalArgumentException e) {
                shown.add(new WitnessCosignature(key, key, false, null));
                continue;
            }
            List<Cosignature.Verified> found = Cosignature.cosigners(note, List.of(witness));
            shown.add(
                    found.isEmpty()
                            ? new WitnessCosignature(witness.name(), witness.vkey(), false, null)
                            : new WitnessCosignature(
                                    witness.name(),
                                    witness.vkey(),
                                    true,
                                    Instant.ofEpochSecond(found.get(0).timestamp())));
        }
        return shown;
    }

    static List<byte[]> hashes(Object list) {
        List<byte[]> hashes = new ArrayList<>();
        if (list instanceof List<?> items) {
            items.forEach(item -> hashes.add(Base64.getDecoder().decode(String.valueOf(item))));
        }
        return hashes;
    }
}
