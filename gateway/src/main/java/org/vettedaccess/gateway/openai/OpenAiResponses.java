package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Writes /v1 errors in the OpenAI envelope; the one error mapper of the /v1 surface. */
@Singleton
class OpenAiResponses {

    private static final Logger LOG = Logger.getLogger(OpenAiResponses.class);

    private static final String EVENT_STREAM = "text/event-stream";

    private final ObjectMapper json;

    OpenAiResponses(ObjectMapper json) {
        this.json = json;
    }

    String envelope(OpenAiError error) {
        ObjectNode body = json.createObjectNode();
        ObjectNode inner =
                body.putObject("error").put("message", error.getMessage()).put("type", error.type());
        if (error.param() == null) {
            inner.putNull("param");
        } else {
            inner.put("param", error.param());
        }
        inner.put("code", error.code());
        return body.toString();
    }

    void error(RoutingContext ctx, OpenAiError error) {
        error(ctx.response(), error);
    }

    /**
     * The error as the answer; in a stream (its head sent, or declared an event stream before its first event), as
     * the stream's last event, which the OpenAI SDKs raise there too.
     */
    void error(HttpServerResponse response, OpenAiError error) {
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten() || EVENT_STREAM.equals(response.headers().get("Content-Type"))) {
            response.end("data: " + envelope(error) + "\n\n");
            return;
        }
        response.setStatusCode(error.status()).putHeader("Content-Type", "application/json");
        error.headers().forEach(response::putHeader);
        response.end(envelope(error));
    }

    /** An unexpected failure: logged with an id the caller can quote, never with a stack trace in the answer. */
    void internal(RoutingContext ctx, Throwable failure) {
        internal(ctx.response(), ctx.request().path(), failure);
    }

    void internal(HttpServerResponse response, String path, Throwable failure) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(failure, "error %s on %s", id, path);
        error(response, OpenAiError.internal("The gateway failed unexpectedly (error id " + id + ")."));
    }
}
