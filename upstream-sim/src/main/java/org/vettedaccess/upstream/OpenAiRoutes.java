package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The OpenAI-compatible HTTP surface of the simulator, on plain Vert.x routes so that it is cheap enough to
 * serve as the fast baseline in benchmarks: the API key check and {@code /v1/models} here, each endpoint in its own
 * class ({@link CompletionRoutes}, {@link EmbeddingRoutes}, {@link ResponseRoutes}), the test controls in {@link ControlRoutes} and the usage
 * counter's endpoint in {@link UsageRoutes}.
 */
@ApplicationScoped
public class OpenAiRoutes {

    private static final long MAX_BODY_BYTES = 4 * 1024 * 1024;
    private static final String OWNER = "simulated-lab";

    private final SimulatorConfig config;
    private final ObjectMapper json;
    private final CompletionRoutes completions;
    private final EmbeddingRoutes embeddings;
    private final ControlRoutes controls;
    private final UsageRoutes usage;
    private final ResponseRoutes responses;

    OpenAiRoutes(
            SimulatorConfig config,
            ObjectMapper json,
            CompletionRoutes completions,
            EmbeddingRoutes embeddings,
            ControlRoutes controls,
            UsageRoutes usage,
            ResponseRoutes responses) {
        this.responses = responses;
        this.config = config;
        this.json = json;
        this.completions = completions;
        this.embeddings = embeddings;
        this.controls = controls;
        this.usage = usage;
    }

    void register(@Observes Router router) {
        router.route("/v1/*").handler(this::authorize);
        router.get("/v1/models").handler(this::models);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.post("/v1/chat/completions")
                .handler(body)
                .handler(ctx -> completions.complete(ctx, Completion.Kind.CHAT));
        router.post("/v1/completions").handler(body).handler(ctx -> completions.complete(ctx, Completion.Kind.TEXT));
        router.post("/v1/embeddings").handler(body).handler(embeddings::embeddings);
        router.post("/v1/responses").handler(body).handler(responses::respond);
        router.get("/v1/models/:model").handler(this::model);
        router.post("/sim/faults").handler(body).handler(controls::setFaults);
        router.get("/sim/stats").handler(controls::stats);
        router.get("/sim/usage").handler(usage::usage);
        router.get("/sim/received").handler(controls::received);
    }

    private void authorize(RoutingContext ctx) {
        if (config.requiredApiKey().isEmpty()
                || ("Bearer " + config.requiredApiKey().get())
                        .equals(ctx.request().getHeader("Authorization"))) {
            ctx.next();
        } else {
            SimHttp.error(ctx, json, 401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
        }
    }

    private void model(RoutingContext ctx) {
        ObjectNode request = json.createObjectNode().put("model", ctx.pathParam("model"));
        if (SimHttp.knownModel(ctx, json, config.models(), request)) {
            SimHttp.send(
                    ctx,
                    200,
                    json.createObjectNode()
                            .put("id", ctx.pathParam("model"))
                            .put("object", "model")
                            .put("created", 1_700_000_000L)
                            .put("owned_by", OWNER));
        }
    }

    private void models(RoutingContext ctx) {
        ObjectNode list = json.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String model : config.models()) {
            if (model.endsWith("*")) {
                continue;
            }
            data.addObject()
                    .put("id", model)
                    .put("object", "model")
                    .put("created", 1_700_000_000L)
                    .put("owned_by", OWNER);
        }
        SimHttp.send(ctx, 200, list);
    }
}
