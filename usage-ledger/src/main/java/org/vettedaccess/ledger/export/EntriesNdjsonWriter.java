package org.vettedaccess.ledger.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Entries as NDJSON: one JSON object per line, {@code {"index", "type", "loggedAt", "leafHash", "leaf", "entry"}}, the
 * same pseudonymous leaf (base64, exactly as hashed) and parsed entry as the entries API, written as each row arrives.
 */
final class EntriesNdjsonWriter implements AutoCloseable {

    private final JsonGenerator generator;
    private final OutputStream out;

    EntriesNdjsonWriter(JsonFactory factory, OutputStream out) throws IOException {
        this.out = out;
        this.generator = factory.createGenerator(out, JsonEncoding.UTF8);
        // One object per line: no separator between root values but the newline we write.
        generator.setRootValueSeparator(null);
    }

    void entry(long index, String type, Instant loggedAt, byte[] leafHash, byte[] leaf) throws IOException {
        generator.writeStartObject();
        generator.writeNumberField("index", index);
        generator.writeStringField("type", type);
        generator.writeStringField("loggedAt", loggedAt.toString());
        generator.writeBinaryField("leafHash", leafHash);
        generator.writeBinaryField("leaf", leaf);
        generator.writeFieldName("entry");
        // The leaf is canonical JSON (RFC 8785) that the ledger validated on append; it goes in as it is.
        generator.writeRawValue(new String(leaf, StandardCharsets.UTF_8));
        generator.writeEndObject();
        generator.flush();
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        generator.flush();
    }
}
