package org.vettedaccess.ledger.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.vettedaccess.ledger.tree.TreeReader;

/**
 * The exports for reading rather than verifying (issue 24): every entry as NDJSON, and usage per day, model and tier
 * as CSV. Both cover the log up to a checkpoint's size and stream: entries through a cursor, the usage groups from a
 * GROUP BY that PostgreSQL computes, so neither holds more than a row here.
 */
@ApplicationScoped
public class RegulatorExports {

    // A usage leaf's tier is its grant's: the usage leaf names the grant leaf (grantLeaf), which carries the tier.
    private static final String USAGE_BY_DAY = "WITH u AS ("
            + " SELECT (logged_at AT TIME ZONE 'UTC')::date AS day, model, convert_from(entry, 'UTF8')::jsonb AS e"
            + " FROM leaves WHERE entry_type = 'usage' AND idx < ?)"
            + " SELECT u.day, u.model, (convert_from(g.entry, 'UTF8')::jsonb ->> 'tier')::bigint AS tier, count(*),"
            + " coalesce(sum((u.e ->> 'inputTokens')::bigint), 0), coalesce(sum((u.e ->> 'outputTokens')::bigint), 0)"
            + " FROM u LEFT JOIN leaves g ON g.idx = (u.e ->> 'grantLeaf')::bigint"
            + " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public RegulatorExports(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public void writeEntries(long size, OutputStream out) {
        try (Cursor cursor = Cursor.open(dataSource);
                PreparedStatement query = cursor.connection()
                        .prepareStatement("SELECT idx, entry_type, logged_at, leaf_hash, entry FROM leaves"
                                + " WHERE idx < ? ORDER BY idx");
                EntriesNdjsonWriter writer = new EntriesNdjsonWriter(json.getFactory(), out)) {
            query.setFetchSize(ExportService.FETCH);
            query.setLong(1, size);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    writer.entry(
                            rows.getLong(1),
                            rows.getString(2),
                            rows.getTimestamp(3).toInstant(),
                            rows.getBytes(4),
                            rows.getBytes(5));
                }
            }
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeUsageCsv(long size, OutputStream out) {
        BufferedWriter text = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        try (Cursor cursor = Cursor.open(dataSource);
                PreparedStatement query = cursor.connection().prepareStatement(USAGE_BY_DAY)) {
            query.setFetchSize(ExportService.FETCH);
            query.setLong(1, size);
            UsageCsvWriter writer = new UsageCsvWriter(text);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long tier = rows.getLong(3);
                    writer.row(
                            rows.getDate(1).toLocalDate(),
                            rows.getString(2),
                            rows.wasNull() ? null : tier,
                            rows.getLong(4),
                            rows.getLong(5),
                            rows.getLong(6));
                }
            }
            text.flush();
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
