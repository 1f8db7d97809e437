package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/embeddings}: deterministic vectors of the configured size. */
@Singleton
class EmbeddingRoutes {

    private final SimulatorConfig config;
    private final ObjectMapper json;

    EmbeddingRoutes(SimulatorConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    void embeddings(RoutingContext ctx) {
        JsonNode request = SimHttp.parse(ctx, json);
        if (request == null || !SimHttp.knownModel(ctx, json, config.models(), request)) {
            return;
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = request.path("input");
        if (input.isTextual()) {
            inputs.add(input.asText());
        } else if (input.isArray() && !input.isEmpty()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    SimHttp.error(ctx, json, 400, "invalid_request_error", "invalid_value", "'input' must be strings.");
                    return;
                }
                inputs.add(item.asText());
            }
        } else {
            SimHttp.error(ctx, json, 400, "invalid_request_error", "invalid_value", "'input' is missing or malformed.");
            return;
        }
        ObjectNode body = json.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            ArrayNode vector =
                    data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
            for (double value : SimulatedModel.embed(inputs.get(i), config.embeddingDimensions())) {
                vector.add(value);
            }
            tokens += SimulatedModel.countTokens(inputs.get(i));
        }
        body.put("model", request.path("model").asText());
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        SimHttp.send(ctx, 200, body);
    }
}
