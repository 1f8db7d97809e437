package org.vettedaccess.ledger.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ExportWritersTest {

    @Test
    void usageCsvHasAHeaderAndEscapesWhatNeedsIt() throws Exception {
        StringWriter out = new StringWriter();
        UsageCsvWriter writer = new UsageCsvWriter(out);
        writer.row(LocalDate.of(2026, 12, 1), "sim-small", 1L, 3, 30, 12);
        writer.row(LocalDate.of(2026, 12, 1), "a,\"b\"", null, 1, 0, 0);
        writer.row(LocalDate.of(2026, 12, 2), "=cmd()", 3L, 1, 5, 5);
        assertEquals(
                "day,model,tier,calls,input_tokens,output_tokens\r\n"
                        + "2026-12-01,sim-small,1,3,30,12\r\n"
                        + "2026-12-01,\"a,\"\"b\"\"\",,1,0,0\r\n"
                        + "2026-12-02,'=cmd(),3,1,5,5\r\n",
                out.toString());
    }

    @Test
    void ndjsonIsOneEntryPerLineWithTheLeafExactlyAsHashed() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] leaf =
                "{\"model\":\"sim-small\",\"subject\":\"p-1\",\"type\":\"usage\"}".getBytes(StandardCharsets.UTF_8);
        try (EntriesNdjsonWriter writer = new EntriesNdjsonWriter(json.getFactory(), out)) {
            writer.entry(0, "usage", Instant.parse("2026-12-01T00:00:00Z"), new byte[32], leaf);
            writer.entry(1, "usage", Instant.parse("2026-12-01T00:00:01Z"), new byte[32], leaf);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertEquals(3, lines.length);
        assertEquals("", lines[2]);
        JsonNode second = json.readTree(lines[1]);
        assertEquals(1, second.path("index").asLong());
        assertEquals("2026-12-01T00:00:01Z", second.path("loggedAt").asText());
        assertEquals("sim-small", second.path("entry").path("model").asText());
        assertEquals(
                Base64.getEncoder().encodeToString(leaf), second.path("leaf").asText());
    }
}
