package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * What an operator and a client generator read from the running gateway: the GenAI metrics at {@code /q/metrics}
 * with the OpenTelemetry conventions' names, attributes and explicit buckets (so Prometheus can compute a p99),
 * and {@code /q/openapi} with real request and response schemas for every {@code /v1} operation.
 */
@ExtendWith(RunningSuite.class)
class GatewayTelemetryTest {

    /** The conventions' ExplicitBucketBoundaries (semantic conventions v1.41.0, gen-ai-metrics.md). */
    private static final List<Double> SECONDS =
            List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

    private static final List<Double> TOKENS = List.of(
            1.0,
            4.0,
            16.0,
            64.0,
            256.0,
            1024.0,
            4096.0,
            16384.0,
            65536.0,
            262144.0,
            1048576.0,
            4194304.0,
            16777216.0,
            67108864.0);

    @Test
    void theGenAiMetricsHaveTheConventionsNamesAttributesAndBuckets(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        String model = granted.model();
        String key = gateway.key("alice", null);
        OpenAIClient client = gateway.sdk(key);

        ChatCompletion plain = client.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model(model)
                        .addUserMessage("measure me")
                        .maxCompletionTokens(4)
                        .build());
        long output = plain.usage().orElseThrow().completionTokens();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model(model)
                        .addUserMessage("stream and measure me")
                        .maxCompletionTokens(3)
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            stream.stream().forEach(chunks::add);
        }
        output += chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens();
        client.embeddings()
                .create(EmbeddingCreateParams.builder()
                        .model(model)
                        .input("embed me")
                        .build());
        // A stream the model server breaks off: the call is measured with its error.type.
        given().contentType(ContentType.JSON)
                .body(Map.of("mode", "DISCONNECT", "count", 1, "model", model))
                .post(gateway.upstreamUrl + "/sim/faults")
                .then()
                .statusCode(200);
        try (GatewayFixture.RawStream broken =
                GatewayFixture.RawStream.open(gateway.url, key, model, 8, "break me off")) {
            assertEquals(200, broken.status);
            while (broken.in.readLine() != null) {
                // read to the end the gateway gives it
            }
        }

        String scraped = scrape(suite, model, "disconnected");
        List<Series> metrics = series(scraped, model);
        Series chat = only(metrics, "gen_ai_client_operation_duration_seconds_count", "chat", "");
        assertEquals("openai", chat.labels().get("gen_ai_provider_name"));
        assertEquals(model, chat.labels().get("gen_ai_response_model"), "the model the upstream named");
        assertFalse(chat.labels().get("server_address").isEmpty(), "the upstream's address: " + chat);
        assertEquals(2.0, chat.value(), "the plain call and the stream: " + chat);
        assertEquals(SECONDS, bounds(metrics, "gen_ai_client_operation_duration_seconds_bucket", "chat", ""));
        Series failed = only(metrics, "gen_ai_client_operation_duration_seconds_count", "chat", "disconnected");
        assertEquals(1.0, failed.value());
        only(metrics, "gen_ai_client_operation_duration_seconds_count", "embeddings", "");

        assertEquals(TOKENS, bounds(metrics, "gen_ai_client_token_usage_bucket", "chat", null));
        double outputSum = metrics.stream()
                .filter(s -> s.name().equals("gen_ai_client_token_usage_sum")
                        && "chat".equals(s.labels().get("gen_ai_operation_name"))
                        && "output".equals(s.labels().get("gen_ai_token_type")))
                .mapToDouble(Series::value)
                .sum();
        assertTrue(outputSum >= output, "the output tokens the SDK saw are counted: " + outputSum + " < " + output);

        Series firstChunk = only(metrics, "gen_ai_client_operation_time_to_first_chunk_seconds_count", "chat", null);
        assertEquals(2.0, firstChunk.value(), "the two streams (the broken one sent chunks first): " + firstChunk);
        assertEquals(
                SECONDS, bounds(metrics, "gen_ai_client_operation_time_to_first_chunk_seconds_bucket", "chat", null));
        assertTrue(
                metrics.stream().noneMatch(s -> s.labels().containsKey("status")),
                "no custom status attribute: " + metrics);
        theDashboardQueriesOnlyWhatTheGatewayExports(metrics);
    }

    /**
     * The shipped Grafana dashboard reads these metrics: every series name and label its queries use is one the
     * gateway exports (a renamed metric or label would leave a panel empty without anyone noticing).
     */
    private static void theDashboardQueriesOnlyWhatTheGatewayExports(List<Series> exported) throws Exception {
        JsonNode dashboard = GatewayFixture.JSON.readTree(java.nio.file.Files.readString(java.nio.file.Path.of(
                System.getProperty("suite.root"), "kubernetes/base/gateway/dashboards/gateway-genai.json")));
        Set<String> names = new java.util.HashSet<>();
        Set<String> labels = new java.util.HashSet<>(Set.of("le"));
        exported.forEach(s -> {
            names.add(s.name());
            labels.addAll(s.labels().keySet());
        });
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(expr -> queries.add(expr.asText()));
        dashboard.findValues("definition").forEach(expr -> queries.add(expr.asText()));
        assertTrue(queries.size() >= 8, "the dashboard's queries: " + queries);
        // The GenAI metrics are gen_ai_client_*; their labels (gen_ai_request_model, ...) are not.
        Pattern metric = Pattern.compile("\\b(gen_ai_client_[a-z_]+)\\b");
        Pattern label =
                Pattern.compile("(?:by \\(([^)]*)\\))|(?:[{,]\\s*([a-z_]+)\\s*(?:=~|!=|=))|(?:, ([a-z_]+)\\)$)");
        for (String query : queries) {
            Matcher m = metric.matcher(query);
            assertTrue(m.find(), "a query of the gateway's metrics: " + query);
            do {
                assertTrue(names.contains(m.group(1)), "the gateway exports " + m.group(1) + " (" + query + ")");
            } while (m.find());
            Matcher l = label.matcher(query);
            while (l.find()) {
                String used = l.group(1) != null ? l.group(1) : l.group(2) != null ? l.group(2) : l.group(3);
                for (String name : used.split(",")) {
                    assertTrue(labels.contains(name.trim()), "the gateway exports label " + name + " (" + query + ")");
                }
            }
        }
    }

    @Test
    void everyV1OperationHasNamedRequestAndResponseSchemas(LocalSuite suite) throws Exception {
        JsonNode api = GatewayFixture.JSON.readTree(given().get(suite.serviceUrl("gateway") + "/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        Map<String, Set<String>> requests = Map.of(
                "/v1/chat/completions",
                Set.of("model", "messages", "max_tokens", "max_completion_tokens", "stream", "stream_options", "n"),
                "/v1/completions",
                Set.of("model", "prompt", "max_tokens", "stream", "n", "best_of"),
                "/v1/embeddings",
                Set.of("model", "input", "encoding_format"),
                "/v1/responses",
                Set.of("model", "input", "max_output_tokens", "stream", "store"));
        Map<String, Set<String>> answers = Map.of(
                "/v1/chat/completions", Set.of("id", "object", "model", "choices", "usage"),
                "/v1/completions", Set.of("id", "object", "model", "choices", "usage"),
                "/v1/embeddings", Set.of("object", "data", "model", "usage"),
                "/v1/models", Set.of("object", "data"),
                "/v1/models/{model}", Set.of("id", "object", "owned_by"),
                "/v1/responses", Set.of("id", "object", "model", "output", "usage"));
        List<String> operations = new ArrayList<>();
        api.path("paths").fieldNames().forEachRemaining(path -> {
            if (!path.startsWith("/v1/")) {
                return;
            }
            api.path("paths").path(path).fields().forEachRemaining(method -> {
                JsonNode operation = method.getValue();
                String name = method.getKey().toUpperCase() + " " + path;
                operations.add(name);
                // A call answers 200; filing a report (POST /v1/incidents) creates one and answers 201.
                String ok = operation.path("responses").has("201") ? "201" : "200";
                JsonNode answer = resolve(
                        api,
                        operation
                                .path("responses")
                                .path(ok)
                                .path("content")
                                .path("application/json")
                                .path("schema"));
                assertTrue(answer.path("properties").size() > 0, name + " answers a schema with properties: " + answer);
                if (answers.containsKey(path)) {
                    assertHas(answer, answers.get(path), name + " answer");
                }
                if (method.getKey().equals("post")) {
                    JsonNode request = resolve(
                            api,
                            operation
                                    .path("requestBody")
                                    .path("content")
                                    .path("application/json")
                                    .path("schema"));
                    assertTrue(request.path("properties").size() > 0, name + " takes a schema with properties");
                    assertTrue(request.path("required").toString().contains("\"model\""), name + " requires model");
                    if (requests.containsKey(path)) {
                        assertHas(request, requests.get(path), name + " request");
                    }
                }
                JsonNode refused = resolve(api, operation.path("responses").path("401"));
                assertTrue(
                        resolve(
                                        api,
                                        refused.path("content")
                                                .path("application/json")
                                                .path("schema"))
                                .path("properties")
                                .has("error"),
                        name + " describes the OpenAI error envelope: " + refused);
            });
        });
        assertTrue(
                operations.containsAll(List.of(
                        "POST /v1/chat/completions",
                        "POST /v1/completions",
                        "POST /v1/embeddings",
                        "GET /v1/models",
                        "POST /v1/incidents")),
                "every /v1 operation is described: " + operations);
        JsonNode message = resolve(
                api,
                resolve(api, api.at("/paths/~1v1~1chat~1completions/post/requestBody/content/application~1json/schema"))
                        .at("/properties/messages/items"));
        assertHas(message, Set.of("role", "content"), "a chat message");
        JsonNode chunk = resolve(
                api, api.at("/paths/~1v1~1chat~1completions/post/responses/200/content/text~1event-stream/schema"));
        assertHas(chunk, Set.of("id", "choices", "usage"), "a streamed chunk");
    }

    private static void assertHas(JsonNode schema, Set<String> properties, String what) {
        for (String property : properties) {
            assertTrue(schema.path("properties").has(property), what + " names '" + property + "': " + schema);
        }
    }

    /** A schema, or the component its {@code $ref} names. */
    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        String ref = schema.path("$ref").asText("");
        return ref.startsWith("#/") ? api.at(ref.substring(1)) : schema;
    }

    /** One sample line of the Prometheus text format. */
    record Series(String name, Map<String, String> labels, double value) {}

    /** The gateway's metrics, once it has settled the calls (a call is measured when it ends). */
    private static String scrape(LocalSuite suite, String model, String errorType) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        String scraped;
        do {
            scraped = given().get(suite.managementUrl("gateway") + "/q/metrics").asString();
            if (scraped.contains("error_type=\"" + errorType + "\"") && scraped.contains(model)) {
                return scraped;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return scraped;
    }

    private static final Pattern LINE = Pattern.compile("^(gen_ai_[a-z_]+)\\{(.*)} ([0-9.eE+-]+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");

    /** The gen_ai series of one request model. */
    private static List<Series> series(String scraped, String model) {
        List<Series> all = new ArrayList<>();
        Matcher line = LINE.matcher(scraped);
        while (line.find()) {
            Map<String, String> labels = new TreeMap<>();
            Matcher label = LABEL.matcher(line.group(2));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            if (model.equals(labels.get("gen_ai_request_model"))) {
                all.add(new Series(line.group(1), labels, Double.parseDouble(line.group(3))));
            }
        }
        assertFalse(all.isEmpty(), "gen_ai series of " + model + " in:\n" + scraped);
        return all;
    }

    /** The one series of {@code name} for the operation (and error.type, unless null). */
    private static Series only(List<Series> all, String name, String operation, String errorType) {
        List<Series> found = all.stream()
                .filter(s -> s.name().equals(name)
                        && operation.equals(s.labels().get("gen_ai_operation_name"))
                        && (errorType == null || errorType.equals(s.labels().getOrDefault("error_type", ""))))
                .toList();
        assertEquals(1, found.size(), name + " " + operation + " " + errorType + ": " + all);
        return found.get(0);
    }

    /** The finite bucket bounds of the first series of a histogram for the operation, in order. */
    private static List<Double> bounds(List<Series> all, String name, String operation, String errorType) {
        Map<String, String> first = null;
        List<Double> bounds = new ArrayList<>();
        for (Series s : all) {
            if (!s.name().equals(name) || !operation.equals(s.labels().get("gen_ai_operation_name"))) {
                continue;
            }
            if (errorType != null && !errorType.equals(s.labels().getOrDefault("error_type", ""))) {
                continue;
            }
            Map<String, String> series = new TreeMap<>(s.labels());
            String le = series.remove("le");
            if (first == null) {
                first = series;
            }
            if (series.equals(first) && !"+Inf".equals(le)) {
                bounds.add(Double.parseDouble(le));
            }
        }
        return bounds;
    }
}
