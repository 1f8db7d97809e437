package org.vettedaccess.gateway.usage;

import com.fasterxml.jackson.databind.util.RawValue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.vettedaccess.contracts.ledger.AppendRequest;
import org.vettedaccess.contracts.ledger.AppendResponse;
import org.vettedaccess.contracts.ledger.AppendResult;

/** Appends outbox records to the usage-ledger, all of a batch or none. */
@ApplicationScoped
public class LedgerClient {

    private final LedgerApi api;

    public LedgerClient(@RestClient LedgerApi api) {
        this.api = api;
    }

    /** One record for the ledger: its idempotency key, entry type and fields (a JSON object's text). */
    public record Entry(String idempotencyKey, String type, String fields) {}

    /** The ledger refused the batch as invalid (4xx): sending it again unchanged would fail again. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Returns the leaf index of each entry, in order. Only a timeout here, no retry: the outbox relay is the retry
     * loop, and an append is idempotent by its key, so a retry after a lost answer never makes a second leaf.
     */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    public List<Long> append(List<Entry> entries) {
        AppendResponse response;
        try {
            response = api.append(new AppendRequest<>(entries.stream()
                    .map(e -> new AppendRequest.Item<>(e.idempotencyKey(), e.type(), new RawValue(e.fields())))
                    .toList()));
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status >= 400 && status < 500 && status != 401 && status != 403 && status != 429) {
                throw new Refused("the ledger answered " + status + ": " + readBody(e));
            }
            throw e;
        }
        if (response == null || !response.answers(entries.size())) {
            throw new IllegalStateException("the ledger answered without an index for every entry");
        }
        return response.results().stream().map(AppendResult::index).toList();
    }

    private static String readBody(WebApplicationException e) {
        try {
            String body = e.getResponse().readEntity(String.class);
            return body == null ? "" : body.substring(0, Math.min(body.length(), 500));
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
