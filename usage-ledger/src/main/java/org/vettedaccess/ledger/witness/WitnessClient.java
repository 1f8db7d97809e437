package org.vettedaccess.ledger.witness;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.Timeout;

/** Submits add-checkpoint requests; a witness that does not answer in time is a failed submission, not a wait. */
@ApplicationScoped
public class WitnessClient {

    /** A witness's answer: the HTTP status and body. */
    public record Answer(int status, String body) {}

    private final Map<URI, WitnessApi> clients = new ConcurrentHashMap<>();

    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    public Answer addCheckpoint(URI witness, String body, java.time.Duration timeout) {
        WitnessApi api = clients.computeIfAbsent(
                witness,
                uri -> QuarkusRestClientBuilder.newBuilder()
                        .baseUri(uri)
                        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .build(WitnessApi.class));
        try (Response response = api.addCheckpoint(body)) {
            return new Answer(response.getStatus(), response.hasEntity() ? response.readEntity(String.class) : "");
        } catch (WebApplicationException e) {
            Response response = e.getResponse();
            return new Answer(response.getStatus(), response.hasEntity() ? response.readEntity(String.class) : "");
        }
    }
}
