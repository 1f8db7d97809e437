package org.vettedaccess.ledger.verifier.witness;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.CompactRange;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NodeId;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.core.SignedNote;

/** A log in memory: leaves, stored nodes, signed checkpoints and consistency proofs, as the ledger makes them. */
public final class TestLog {

    public final NoteKeys.Signer key;
    private final CompactRange tree = CompactRange.empty();
    private final Map<NodeId, byte[]> nodes = new HashMap<>();
    private final String salt;

    public TestLog(NoteKeys.Signer key, String salt) {
        this.key = key;
        this.salt = salt;
    }

    public TestLog grow(int leaves) {
        for (int i = 0; i < leaves; i++) {
            append(("{\"leaf\":" + tree.size() + ",\"salt\":\"" + salt + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public void append(byte[] leaf) {
        for (CompactRange.StoredNode node : tree.append(Hashes.leaf(leaf))) {
            nodes.put(node.id(), node.hash());
        }
    }

    public long size() {
        return tree.size();
    }

    public String checkpoint() {
        return SignedNote.sign(new Checkpoint(key.name(), tree.size(), tree.root()).body(), key);
    }

    public List<byte[]> inclusion(long index) {
        return Proofs.inclusionProof(index, tree.size(), nodes::get);
    }

    public List<byte[]> proof(long from) {
        return Proofs.consistencyProof(from, tree.size(), nodes::get);
    }
}
