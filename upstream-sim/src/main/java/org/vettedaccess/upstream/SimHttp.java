package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;

/** What every route of the simulator shares: reading a JSON body, answering JSON and OpenAI's error envelope. */
final class SimHttp {

    private SimHttp() {}

    /** The body as a JSON object, or null after answering 400. */
    static JsonNode parse(RoutingContext ctx, ObjectMapper json) {
        try {
            JsonNode request = ctx.body().buffer() == null
                    ? null
                    : json.readTree(ctx.body().buffer().getBytes());
            if (request != null && request.isObject()) {
                return request;
            }
        } catch (IOException e) {
            // answered below
        }
        error(ctx, json, 400, "invalid_request_error", "invalid_json", "The request body is not a JSON object.");
        return null;
    }

    /** Whether the simulator serves the request's model (a configured id, or a prefix ending in *); else 400/404. */
    static boolean knownModel(RoutingContext ctx, ObjectMapper json, List<String> models, JsonNode request) {
        String model = request.path("model").asText("");
        if (model.isEmpty()) {
            error(ctx, json, 400, "invalid_request_error", "missing_model", "'model' is required.");
            return false;
        }
        if (!models.contains(model)
                && models.stream()
                        .noneMatch(known ->
                                known.endsWith("*") && model.startsWith(known.substring(0, known.length() - 1)))) {
            error(
                    ctx,
                    json,
                    404,
                    "invalid_request_error",
                    "model_not_found",
                    "The model '" + model + "' does not exist.");
            return false;
        }
        return true;
    }

    static void error(RoutingContext ctx, ObjectMapper json, int status, String type, String code, String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error")
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .put("code", code);
        send(ctx, status, body);
    }

    static void send(RoutingContext ctx, int status, JsonNode body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.toString());
    }
}
