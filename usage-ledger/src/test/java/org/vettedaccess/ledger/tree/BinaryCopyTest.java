package org.vettedaccess.ledger.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A binary COPY stores exactly what the batched {@code INSERT} it replaced stored: the same text (any Unicode, NULL),
 * bytes, integers, and the same microsecond for a nanosecond clock reading (the driver's rounding), checked on a real
 * PostgreSQL by writing each row both ways and comparing the columns.
 */
class BinaryCopyTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    private record Row(long idx, String text, String nullable, byte[] bytes, Instant at) {}

    @Test
    void aCopiedRowEqualsTheInsertedOne() throws Exception {
        Random random = new Random(25);
        List<Row> rows = new ArrayList<>();
        String[] texts = {"usage", "gpt-ø-ß-日本-🙂", "tab\tnew\nline\\back\"quote", "", "NULL", "\\N"};
        long now = Instant.parse("2026-12-04T19:00:00Z").getEpochSecond();
        for (int i = 0; i < 4000; i++) {
            // Every tie (a nanosecond count ending in 500), the last nanoseconds of a second, random readings.
            int nanos = i < 1000
                    ? i * 1000 + 500
                    : i < 1100 ? 999_999_000 + (i - 1000) * 10 : random.nextInt(1_000_000_000);
            long second = i % 7 == 0 ? 946_684_799L + random.nextInt(3) : now + random.nextInt(1_000_000);
            byte[] bytes = new byte[random.nextInt(600)];
            random.nextBytes(bytes);
            rows.add(new Row(
                    i - 2000L,
                    texts[i % texts.length],
                    i % 3 == 0 ? null : texts[(i + 1) % texts.length],
                    bytes,
                    Instant.ofEpochSecond(second, nanos)));
        }
        try (Connection db = postgres.getPostgresDatabase().getConnection();
                Statement statement = db.createStatement()) {
            for (String table : List.of("inserted", "copied")) {
                statement.execute("CREATE TABLE " + table
                        + " (idx bigint, t text, n text, b bytea, at timestamptz, level smallint)");
            }
            try (PreparedStatement insert =
                    db.prepareStatement("INSERT INTO inserted (idx, t, n, b, at, level) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (Row row : rows) {
                    insert.setLong(1, row.idx());
                    insert.setString(2, row.text());
                    insert.setString(3, row.nullable());
                    insert.setBytes(4, row.bytes());
                    insert.setTimestamp(5, Timestamp.from(row.at()));
                    insert.setShort(6, (short) (row.idx() % 63));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            BinaryCopy copy = new BinaryCopy();
            for (Row row : rows) {
                copy.row(6)
                        .int8(row.idx())
                        .text(row.text())
                        .text(row.nullable())
                        .bytes(row.bytes())
                        .timestamptz(row.at())
                        .int2((int) (row.idx() % 63));
            }
            assertEquals(
                    rows.size(), copy.copy(db, "COPY copied (idx, t, n, b, at, level) FROM STDIN (FORMAT binary)"));
            try (ResultSet differing = statement.executeQuery("SELECT count(*) FROM inserted i FULL JOIN copied c"
                    + " ON c.idx = i.idx AND c.t = i.t AND c.n IS NOT DISTINCT FROM i.n AND c.b = i.b AND c.at = i.at"
                    + " AND c.level = i.level WHERE c.idx IS NULL OR i.idx IS NULL")) {
                differing.next();
                assertEquals(0, differing.getLong(1), "rows that differ between INSERT and COPY");
            }
            try (ResultSet nulls = statement.executeQuery("SELECT count(*) FROM copied WHERE n IS NULL")) {
                nulls.next();
                assertEquals(rows.stream().filter(row -> row.nullable() == null).count(), nulls.getLong(1));
            }
        }
    }

    @Test
    void nothingToCopySendsNothing() throws Exception {
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            assertEquals(0, new BinaryCopy().copy(db, "COPY no_such_table FROM STDIN (FORMAT binary)"));
        }
    }
}
