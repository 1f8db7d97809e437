package org.vettedaccess.ledger.export;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.checkpoint.CheckpointRecord;
import org.vettedaccess.ledger.checkpoint.CheckpointService;
import org.vettedaccess.ledger.checkpoint.SigningKeys;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.core.NodeId;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.entry.LeafQueries;
import org.vettedaccess.ledger.entry.StoredLeaf;
import org.vettedaccess.ledger.tree.NodeRepository;
import org.vettedaccess.ledger.tree.TreeReader;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Builds export bundles: the entries up to the newest checkpoint, with every proof a verifier checks. */
@ApplicationScoped
public class ExportService {

    private final AgroalDataSource dataSource;
    private final CheckpointService checkpoints;
    private final SigningKeys keys;
    private final LedgerConfig config;
    private final LeafQueries leaves;
    private final NodeRepository nodes;

    public ExportService(
            AgroalDataSource dataSource,
            CheckpointService checkpoints,
            SigningKeys keys,
            LedgerConfig config,
            LeafQueries leaves,
            NodeRepository nodes) {
        this.dataSource = dataSource;
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.config = config;
        this.leaves = leaves;
        this.nodes = nodes;
    }

    public ExportBundle export() {
        CheckpointRecord newest = checkpoints
                .latest()
                .orElseThrow(
                        () -> new ProblemException(ProblemType.NOT_FOUND, "No checkpoint has been published yet."));
        long size = newest.treeSize();
        List<CheckpointRecord> all = checkpoints.list(0, Integer.MAX_VALUE);
        Map<NodeId, byte[]> tree;
        try (Connection connection = dataSource.getConnection()) {
            tree = nodes.readAll(connection, size);
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
        List<ExportBundle.Entry> entries = new ArrayList<>();
        for (StoredLeaf leaf : leaves.prefix(size)) {
            entries.add(new ExportBundle.Entry(
                    leaf.index(),
                    encode(leaf.bytes()),
                    encodeAll(Proofs.inclusionProof(leaf.index(), size, tree::get))));
        }
        List<ExportBundle.Consistency> consistency = new ArrayList<>();
        for (CheckpointRecord checkpoint : all) {
            if (checkpoint.treeSize() < size) {
                consistency.add(new ExportBundle.Consistency(
                        checkpoint.treeSize(),
                        size,
                        encodeAll(Proofs.consistencyProof(checkpoint.treeSize(), size, tree::get))));
            }
        }
        return new ExportBundle(
                config.origin(),
                keys.verifierKeys(),
                all.stream().map(CheckpointRecord::note).toList(),
                size,
                entries,
                consistency);
    }

    private static List<String> encodeAll(List<byte[]> hashes) {
        return hashes.stream().map(ExportService::encode).toList();
    }

    private static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
