package org.vettedaccess.ledger.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.vettedaccess.ledger.checkpoint.CheckpointRecord;
import org.vettedaccess.ledger.checkpoint.CheckpointService;
import org.vettedaccess.ledger.checkpoint.SigningKeys;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.tree.TreeReader;
import org.vettedaccess.ledger.witness.WitnessService;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Writes export bundles as they are read (format 2, ADR 0023): the header, every checkpoint up to the newest with its
 * cosignatures, then every entry [0, treeSize) in index order, each read through a database cursor and written at
 * once. No inclusion proofs: a verifier recomputes the tree from the entries, so memory here and there stays bounded
 * at any size.
 */
@ApplicationScoped
public class ExportService {

    public static final String FORMAT = "vetted-access-export/2";
    static final int FETCH = 1000;

    private final AgroalDataSource dataSource;
    private final CheckpointService checkpoints;
    private final SigningKeys keys;
    private final LedgerConfig config;
    private final WitnessService witnesses;
    private final ObjectMapper json;

    public ExportService(
            AgroalDataSource dataSource,
            CheckpointService checkpoints,
            SigningKeys keys,
            LedgerConfig config,
            WitnessService witnesses,
            ObjectMapper json) {
        this.dataSource = dataSource;
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.config = config;
        this.witnesses = witnesses;
        this.json = json;
    }

    /** The newest checkpoint, which fixes what an export covers; a 404 before the first one. */
    public CheckpointRecord newest() {
        return checkpoints
                .latest()
                .orElseThrow(
                        () -> new ProblemException(ProblemType.NOT_FOUND, "No checkpoint has been published yet."));
    }

    public void writeBundle(CheckpointRecord newest, OutputStream out) {
        long size = newest.treeSize();
        try (Cursor cursor = Cursor.open(dataSource);
                JsonGenerator generator = json.getFactory().createGenerator(out)) {
            Connection connection = cursor.connection();
            generator.writeStartObject();
            generator.writeStringField("format", FORMAT);
            generator.writeStringField("origin", config.origin());
            generator.writeNumberField("treeSize", size);
            generator.writeArrayFieldStart("verifierKeys");
            for (String key : keys.verifierKeys()) {
                generator.writeString(key);
            }
            generator.writeEndArray();
            generator.writeArrayFieldStart("witnessKeys");
            for (String key : witnesses.witnessKeys()) {
                generator.writeString(key);
            }
            generator.writeEndArray();
            generator.writeArrayFieldStart("checkpoints");
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT c.note, coalesce(string_agg(w.line, '' ORDER BY w.witness), '') FROM checkpoints c"
                            + " LEFT JOIN checkpoint_cosignatures w ON w.tree_size = c.tree_size"
                            + " WHERE c.tree_size <= ? GROUP BY c.tree_size, c.note ORDER BY c.tree_size")) {
                query.setFetchSize(FETCH);
                query.setLong(1, size);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        generator.writeString(rows.getString(1) + rows.getString(2));
                    }
                }
            }
            generator.writeEndArray();
            generator.writeArrayFieldStart("entries");
            try (PreparedStatement query =
                    connection.prepareStatement("SELECT idx, entry FROM leaves WHERE idx < ? ORDER BY idx")) {
                query.setFetchSize(FETCH);
                query.setLong(1, size);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        generator.writeStartObject();
                        generator.writeNumberField("index", rows.getLong(1));
                        generator.writeBinaryField("leaf", rows.getBytes(2));
                        generator.writeEndObject();
                    }
                }
            }
            generator.writeEndArray();
            generator.writeEndObject();
            generator.flush();
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
