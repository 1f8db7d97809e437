package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/** {@code GET /sim/usage}: what the usage counter ({@link Sent}) counted. Simulator only. */
@Singleton
class UsageRoutes {

    private final ObjectMapper json;
    private final Sent sent;

    UsageRoutes(ObjectMapper json, Sent sent) {
        this.json = json;
        this.sent = sent;
    }

    /**
     * {@code GET /sim/usage?model=m}: the tokens the simulator has generated and sent for model {@code m} (all
     * models without it), counted as they go out, so a test can measure what got past a gateway's limits.
     */
    void usage(RoutingContext ctx) {
        String model = ctx.request().getParam("model");
        Sent.Counts counts = model == null ? sent.total() : sent.of(model);
        ObjectNode body = json.createObjectNode()
                .put("requests", counts.requests())
                .put("promptTokens", counts.promptTokens())
                .put("completionTokens", counts.completionTokens());
        if (model != null) {
            body.put("model", model);
        }
        SimHttp.send(ctx, 200, body);
    }
}
