package org.vettedaccess.gateway.tripwire;

import java.nio.charset.StandardCharsets;

/**
 * Watches a model's answer, chunk by chunk or whole, for what the tripwires count: a refusal (OpenAI's
 * {@code refusal} field holding a text, not null) and a {@code content_filter} finish. A plain text scan, no JSON
 * parse: it runs on every streamed chunk, and real servers send {@code "refusal":null} in every one.
 */
public final class AnswerSignals {

    private static final String REFUSAL = "\"refusal\"";
    private static final String FINISH = "\"finish_reason\"";
    private static final String FILTER = "\"content_filter\"";

    private volatile boolean refusal;
    private volatile boolean contentFilter;

    /** One streamed event's data, or a whole answer. */
    public void scan(String data) {
        if (data == null) {
            return;
        }
        if (!refusal && data.contains(REFUSAL) && valueAt(data, REFUSAL, "\"")) {
            refusal = true;
        }
        if (!contentFilter && data.contains(FILTER) && valueAt(data, FINISH, FILTER)) {
            contentFilter = true;
        }
    }

    public void scan(byte[] answer) {
        scan(new String(answer, StandardCharsets.UTF_8));
    }

    public boolean refusal() {
        return refusal;
    }

    public boolean contentFilter() {
        return contentFilter;
    }

    /** Whether some occurrence of {@code field} is followed by a colon and then {@code value}'s text. */
    static boolean valueAt(String data, String field, String value) {
        int at = data.indexOf(field);
        while (at >= 0) {
            int i = skipSpace(data, at + field.length());
            if (i < data.length() && data.charAt(i) == ':') {
                i = skipSpace(data, i + 1);
                if (data.startsWith(value, i)) {
                    return true;
                }
            }
            at = data.indexOf(field, at + 1);
        }
        return false;
    }

    private static int skipSpace(String data, int i) {
        while (i < data.length() && Character.isWhitespace(data.charAt(i))) {
            i++;
        }
        return i;
    }
}
