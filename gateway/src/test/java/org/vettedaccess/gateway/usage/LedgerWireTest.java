package org.vettedaccess.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.ledger.AppendRequest;
import org.vettedaccess.contracts.ledger.AppendResponse;

/**
 * The gateway's appends on the wire: the outbox's JSON text goes out as it is (a leaf's canonical bytes are computed
 * by the ledger from exactly what was sent), inside the shared {@link AppendRequest}.
 */
class LedgerWireTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void anOutboxEntryIsSentVerbatim() throws Exception {
        // "1.50" and the key order would not survive a parse and re-write; the text must reach the ledger unchanged.
        String entry = "{\"z\":1.50,\"a\":\"x\"}";
        AppendRequest<RawValue> request =
                new AppendRequest<>(List.of(new AppendRequest.Item<>("call:1", "usage", new RawValue(entry))));
        assertEquals(
                "{\"entries\":[{\"idempotencyKey\":\"call:1\",\"type\":\"usage\",\"entry\":" + entry + "}]}",
                json.writeValueAsString(request));
    }

    @Test
    void theLedgersAnswerIsRead() throws Exception {
        AppendResponse response = json.readValue(
                "{\"results\":[{\"index\":4,\"leafHash\":\"qg==\",\"duplicate\":true}]}", AppendResponse.class);
        assertEquals(4, response.results().get(0).index());
        assertEquals(true, response.answers(1));
    }
}
