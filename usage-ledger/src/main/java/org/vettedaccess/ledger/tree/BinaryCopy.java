package org.vettedaccess.ledger.tree;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows for PostgreSQL's {@code COPY … FROM STDIN (FORMAT binary)}, built in memory and sent in one piece. An append
 * transaction's rows go in this way rather than as a batched many-row {@code INSERT}: the server neither parses nor
 * plans a statement of thousands of parameters, and the values are sent in their binary form (ADR 0083).
 */
public final class BinaryCopy {

    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    /** PostgreSQL's timestamps count microseconds from 2000-01-01T00:00:00Z. */
    private static final long PG_EPOCH_SECOND =
            Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();

    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 16);
    private final DataOutputStream data = new DataOutputStream(buffer);
    private long rows;

    public BinaryCopy() {
        write(() -> {
            data.write(SIGNATURE);
            data.writeInt(0); // flags
            data.writeInt(0); // header extension length
        });
    }

    /** Starts a row of {@code fields} values. */
    public BinaryCopy row(int fields) {
        rows++;
        return write(() -> data.writeShort(fields));
    }

    public BinaryCopy int8(long value) {
        return write(() -> {
            data.writeInt(8);
            data.writeLong(value);
        });
    }

    public BinaryCopy int2(int value) {
        return write(() -> {
            data.writeInt(2);
            data.writeShort(value);
        });
    }

    /** A {@code text} value, or SQL NULL. */
    public BinaryCopy text(String value) {
        return value == null ? nullValue() : bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code bytea} value, or SQL NULL. */
    public BinaryCopy bytes(byte[] value) {
        return value == null
                ? nullValue()
                : write(() -> {
                    data.writeInt(value.length);
                    data.write(value);
                });
    }

    /** A {@code timestamptz}, rounded to the microsecond as the JDBC driver rounds a {@code setTimestamp}. */
    public BinaryCopy timestamptz(Instant value) {
        return int8(micros(value));
    }

    /** Sends the rows with {@code copySql} (a {@code COPY … FROM STDIN (FORMAT binary)}); returns how many. */
    public long copy(Connection connection, String copySql) throws SQLException {
        if (rows == 0) {
            return 0;
        }
        write(() -> data.writeShort(-1)); // the trailer
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            byte[] bytes = buffer.toByteArray();
            copy.writeToCopy(bytes, 0, bytes.length);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    static long micros(Instant value) {
        long micros = (value.getEpochSecond() - PG_EPOCH_SECOND) * 1_000_000L;
        return micros + (value.getNano() + 500) / 1000;
    }

    private BinaryCopy nullValue() {
        return write(() -> data.writeInt(-1));
    }

    private interface Write {
        void run() throws IOException;
    }

    private BinaryCopy write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return this;
    }
}
