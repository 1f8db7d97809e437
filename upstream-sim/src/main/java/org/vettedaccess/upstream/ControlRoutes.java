package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * The simulator's test controls: {@code POST /sim/faults}, {@code GET /sim/stats} and {@code GET /sim/received}.
 * Simulator only.
 */
@Singleton
class ControlRoutes {

    private final ObjectMapper json;
    private final Faults faults;
    private final Sent sent;
    private final Received received;

    ControlRoutes(ObjectMapper json, Faults faults, Sent sent, Received received) {
        this.json = json;
        this.faults = faults;
        this.sent = sent;
        this.received = received;
    }

    /** {@code GET /sim/received?model=m}: the last request body model {@code m} received; 404 if none. */
    void received(RoutingContext ctx) {
        JsonNode body = received.of(ctx.request().getParam("model", ""));
        if (body == null) {
            SimHttp.error(ctx, json, 404, "invalid_request_error", "not_found", "No request for that model yet.");
        } else {
            SimHttp.send(ctx, 200, body);
        }
    }

    /**
     * {@code POST /sim/faults {"mode": "ERROR", "count": 3, "delayMs": 0, "model": "m"}}: fail the next completions
     * (of model {@code m} only, when given; other models' requests are answered normally and do not use up the
     * count).
     */
    void setFaults(RoutingContext ctx) {
        JsonNode request = SimHttp.parse(ctx, json);
        if (request == null) {
            return;
        }
        Faults.Mode mode;
        try {
            mode = Faults.Mode.valueOf(request.path("mode").asText("NONE").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            SimHttp.error(ctx, json, 400, "invalid_request_error", "invalid_value", "'mode' is not a known fault.");
            return;
        }
        String model = request.path("model").isTextual() ? request.path("model").asText() : null;
        faults.set(new Faults.Setting(
                mode, request.path("count").asInt(-1), request.path("delayMs").asLong(0), model));
        stats(ctx);
    }

    /** {@code GET /sim/stats}: how many completion requests arrived, streams open, and the current fault. */
    void stats(RoutingContext ctx) {
        Faults.Setting current = faults.current();
        ObjectNode body = json.createObjectNode()
                .put("completions", faults.completions())
                .put("openStreams", faults.openStreams().get())
                .put("fault", current.mode().name())
                .put("lastTraceparent", faults.lastTraceparent())
                .put("remaining", current.remaining())
                .put("completionTokens", sent.total().completionTokens());
        if (current.model() != null) {
            body.put("faultModel", current.model());
        }
        SimHttp.send(ctx, 200, body);
    }
}
