package org.vettedaccess.ledger.export;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;

/**
 * Usage per day, model and tier as CSV (RFC 4180): one header line, then one line per group as it arrives, so a
 * writer holds one row at a time however long the log.
 */
final class UsageCsvWriter {

    static final String HEADER = "day,model,tier,calls,input_tokens,output_tokens";

    private final Writer out;

    UsageCsvWriter(Writer out) throws IOException {
        this.out = out;
        out.write(HEADER + "\r\n");
    }

    void row(LocalDate day, String model, Long tier, long calls, long inputTokens, long outputTokens)
            throws IOException {
        out.write(day + "," + field(model) + "," + (tier == null ? "" : tier) + "," + calls + "," + inputTokens + ","
                + outputTokens + "\r\n");
    }

    /** Quotes a field with a comma, quote or line break in it, doubling its quotes; a leading =+-@ is neutralised. */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
