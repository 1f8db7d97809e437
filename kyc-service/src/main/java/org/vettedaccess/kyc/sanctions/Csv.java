package org.vettedaccess.kyc.sanctions;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 records read one at a time from a stream: quoted fields may hold commas, doubled quotes and line breaks.
 * A list file of any size is never held whole in memory.
 */
final class Csv {

    private final Reader in;
    private int pushedBack = -2;

    /** {@code in} should be buffered; it is read a character at a time. */
    Csv(Reader in) {
        this.in = in;
    }

    /** The next record, or null at the end of the stream. */
    List<String> next() throws IOException {
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c;
        while ((c = read()) != -1) {
            if (quoted) {
                if (c == '"') {
                    int after = read();
                    if (after == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        unread(after);
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r') {
                    int after = read();
                    if (after != '\n') {
                        unread(after);
                    }
                }
                if (any || field.length() > 0) {
                    record.add(field.toString());
                    return record;
                }
                // A blank line: no record.
            } else {
                field.append((char) c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            record.add(field.toString());
            return record;
        }
        return null;
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        pushedBack = c;
    }

    /** Every record of a small text (tests and fixtures). */
    static List<List<String>> parse(String text) {
        Csv csv = new Csv(new StringReader(text));
        List<List<String>> records = new ArrayList<>();
        try {
            for (List<String> r = csv.next(); r != null; r = csv.next()) {
                records.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return records;
    }
}
