package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.context.Context;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.vettedaccess.gateway.incident.IncidentFiling;
import org.vettedaccess.support.problem.ProblemException;

/**
 * {@code POST /v1/incidents}: a researcher files a flaw or incident report with the credential they call models
 * with, an API key ({@code va-…}) or an access token (issue 21). It is the portal's and {@code /api/v1/incidents}'s
 * filing ({@link IncidentFiling}: only the caller's own receipts attach), answered in the OpenAI error envelope like
 * the rest of {@code /v1}. A key bound to one grant files as its subject: a report is about the caller's own calls,
 * whichever grant they went through.
 */
@ApplicationScoped
public class IncidentRoutes {

    /** A report's JSON is small: a description and at most 20 receipts. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final CallAuthenticator authenticator;
    private final IncidentFiling filing;
    private final OpenAiResponses responses;
    private final ObjectMapper json;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();

    IncidentRoutes(
            CallAuthenticator authenticator, IncidentFiling filing, OpenAiResponses responses, ObjectMapper json) {
        this.authenticator = authenticator;
        this.filing = filing;
        this.responses = responses;
        this.json = json.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    void register(@Observes Router router) {
        router.post("/v1/incidents")
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::file);
    }

    private void file(RoutingContext ctx) {
        workers.execute(Context.current().wrap(() -> {
            try {
                ApiCaller caller = authenticator.authenticate(ctx);
                IncidentFiling.Report report =
                        report(ctx.body() == null ? null : ctx.body().asString(), json);
                Map<String, Object> filed = filing.file(caller.subject(), report);
                ctx.response()
                        .setStatusCode(201)
                        .putHeader("Content-Type", "application/json")
                        .end(json.writeValueAsString(filed));
            } catch (OpenAiError e) {
                responses.error(ctx, e);
            } catch (ProblemException e) {
                responses.error(ctx, OpenAiError.from(e));
            } catch (JsonProcessingException | RuntimeException e) {
                responses.internal(ctx, e);
            }
        }));
    }

    /** The report in a request's body; anything else is a 400 {@code invalid_json} (unknown fields are ignored). */
    static IncidentFiling.Report report(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            throw OpenAiError.invalidJson("The request body must be a JSON report.");
        }
        IncidentFiling.Report report;
        try {
            report = json.readValue(body, IncidentFiling.Report.class);
        } catch (JsonProcessingException e) {
            throw OpenAiError.invalidJson("The request body is not a JSON report: " + e.getOriginalMessage());
        }
        if (report == null) {
            throw OpenAiError.invalidJson("The request body must be a JSON report.");
        }
        return report;
    }
}
