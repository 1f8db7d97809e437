package org.vettedaccess.ledger.entry;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vettedaccess.ledger.tree.TreeReader;

/** Reads of the stored leaves, and of disclosed names. */
@ApplicationScoped
public class LeafQueries {

    private static final String COLUMNS = "SELECT idx, entry_type, subject, logged_at, entry, leaf_hash FROM leaves";
    static final String BY_HASH = COLUMNS + " WHERE leaf_hash = ? ORDER BY idx LIMIT 1";

    private final AgroalDataSource dataSource;

    public LeafQueries(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<StoredLeaf> find(EntryFilter filter) {
        List<Object> parameters = new ArrayList<>();
        return query(findSql(filter, parameters), parameters);
    }

    /** The listing's SQL for {@code filter}, its parameters added to {@code parameters} (tests check its plans). */
    static String findSql(EntryFilter filter, List<Object> parameters) {
        StringBuilder sql = new StringBuilder(COLUMNS + " WHERE idx > ?");
        parameters.add(filter.after() == null ? -1L : filter.after());
        condition(sql, parameters, "entry_type = ?", filter.type());
        if (filter.type() != null && !filter.type().equals(EntryType.USAGE.wireName())) {
            // The type index leaves usage out (V5); stating its predicate lets even a generic plan use it.
            sql.append(" AND entry_type <> 'usage'");
        }
        condition(sql, parameters, "model = ?", filter.model());
        condition(sql, parameters, "subject = ?", filter.subject());
        condition(sql, parameters, "logged_at >= ?", filter.from() == null ? null : Timestamp.from(filter.from()));
        condition(sql, parameters, "logged_at < ?", filter.to() == null ? null : Timestamp.from(filter.to()));
        sql.append(" ORDER BY idx LIMIT ?");
        parameters.add(filter.limit());
        return sql.toString();
    }

    public Optional<StoredLeaf> byIndex(long index) {
        return query(COLUMNS + " WHERE idx = ?", List.of(index)).stream().findFirst();
    }

    public Optional<StoredLeaf> byHash(byte[] leafHash) {
        return query(BY_HASH, List.of(leafHash)).stream().findFirst();
    }

    /** Leaves [0, size) in index order. */
    public List<StoredLeaf> prefix(long size) {
        return query(COLUMNS + " WHERE idx < ? ORDER BY idx", List.of(size));
    }

    /**
     * The disclosed names of those of {@code pseudonyms} that a disclosure to {@code regulator} (a username) names;
     * the newest such disclosure's name where there are several.
     */
    public Map<String, String> disclosedNames(List<String> pseudonyms, String regulator) {
        Map<String, String> names = new HashMap<>();
        if (pseudonyms.isEmpty() || regulator == null) {
            return names;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT DISTINCT ON (pseudonym) pseudonym,"
                        + " display_name FROM disclosures WHERE pseudonym = ANY(?) AND ? = ANY(disclosed_to)"
                        + " ORDER BY pseudonym, leaf_index DESC")) {
            query.setArray(1, connection.createArrayOf("text", pseudonyms.toArray()));
            query.setString(2, regulator);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    names.put(rows.getString(1), rows.getString(2));
                }
            }
            return names;
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }

    private static void condition(StringBuilder sql, List<Object> parameters, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            parameters.add(value);
        }
    }

    private List<StoredLeaf> query(String sql, List<Object> parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.size(); i++) {
                query.setObject(i + 1, parameters.get(i));
            }
            List<StoredLeaf> leaves = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    leaves.add(new StoredLeaf(
                            rows.getLong(1),
                            rows.getString(2),
                            rows.getString(3),
                            rows.getTimestamp(4).toInstant(),
                            rows.getBytes(5),
                            rows.getBytes(6)));
                }
            }
            return leaves;
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }
}
