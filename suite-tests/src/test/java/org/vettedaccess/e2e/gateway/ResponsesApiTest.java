package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.models.ModelRetrieveParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/**
 * The researcher's API as the official OpenAI SDKs use it today (issue 22), through the real suite with a
 * portal-issued key: the Responses API plain and streamed, served natively or translated from chat completions,
 * with the ledger's usage equal to what the simulated model server counted; model details for granted models only;
 * and a reasoning-family model that is never sent max_tokens. Once with the Java SDK, once with the npm SDK.
 */
@ExtendWith(RunningSuite.class)
class ResponsesApiTest {

    /** The npm SDK's version; 6.x runs on the Node 20 of these machines. */
    private static final String NPM_OPENAI = "openai@6.30.1";

    /** Four new models of one grant: Responses served natively, translated, a reasoning model, and one ungranted. */
    private record Models(String nativeApi, String translated, String reasoning, String ungranted, String grantId) {}

    private static Models models(GatewayFixture gateway) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String nativeApi = "sim-e2e-native-" + suffix;
        String translated = "sim-e2e-translated-" + suffix;
        // The simulator refuses max_tokens on chat for an id that names "reasoning", as OpenAI does.
        String reasoning = "sim-reasoning-e2e-" + suffix;
        put(gateway, nativeApi, "CHAT", "NATIVE");
        put(gateway, translated, "CHAT", "TRANSLATED");
        put(gateway, reasoning, "REASONING", "TRANSLATED");
        String ungranted = gateway.catalogModel(1);
        String subject = gateway.policy.subjectOf("alice");
        gateway.policy.approve(subject, 3, 3);
        io.restassured.response.Response grant =
                gateway.policy.grant(subject, List.of(nativeApi, translated, reasoning), 1, 30);
        grant.then().statusCode(200);
        return new Models(nativeApi, translated, reasoning, ungranted, grant.path("id"));
    }

    private static void put(GatewayFixture gateway, String id, String family, String responsesApi) {
        JsonNode model = GatewayFixture.read(gateway.policy
                .putModel(
                        id,
                        Map.of(
                                "upstreamRoute",
                                "sim",
                                "trainingFlop",
                                1e22,
                                "parameterFamily",
                                family,
                                "responsesApi",
                                responsesApi))
                .then()
                .statusCode(200)
                .extract()
                .asString());
        assertEquals(family, model.path("parameterFamily").asText());
        assertEquals(responsesApi, model.path("responsesApi").asText());
    }

    /** The usage leaf of a call, through the researcher's receipt. */
    private static JsonNode leaf(GatewayFixture gateway, String requestId) {
        JsonNode receipt = gateway.deliveredReceipt("alice", requestId);
        return gateway.ledgerEntry(receipt.path("ledgerIndex").asLong());
    }

    /**
     * Every usage leaf of the model sums to what the simulated model server counted for it. A call's leaf is
     * settled after its answer is sent (group commit to the ledger), so the count is awaited for a few seconds.
     */
    private static void assertLedgerEqualsSimulator(GatewayFixture gateway, String model) {
        JsonNode sim = GatewayFixture.read(given().queryParam("model", model)
                .get(gateway.upstreamUrl + "/sim/usage")
                .asString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<JsonNode> leaves = gateway.usageLeaves(model);
        while (leaves.size() < sim.path("requests").asLong() && System.nanoTime() < deadline) {
            GatewayFixture.sleep(200);
            leaves = gateway.usageLeaves(model);
        }
        long input =
                leaves.stream().mapToLong(l -> l.path("inputTokens").asLong()).sum();
        long output =
                leaves.stream().mapToLong(l -> l.path("outputTokens").asLong()).sum();
        assertEquals(sim.path("requests").asLong(), leaves.size(), "one leaf per request the simulator answered");
        assertEquals(sim.path("promptTokens").asLong(), input, "input tokens as the simulator counted them");
        assertEquals(sim.path("completionTokens").asLong(), output, "output tokens as the simulator counted them");
    }

    private static JsonNode lastReceived(GatewayFixture gateway, String model) {
        return GatewayFixture.read(given().queryParam("model", model)
                .get(gateway.upstreamUrl + "/sim/received")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    @Test
    void theJavaSdkUsesTheResponsesApiModelDetailsAndAReasoningModel(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        Models models = models(gateway);
        OpenAIClient client = gateway.sdk(gateway.key("alice", null));

        for (String model : List.of(models.nativeApi(), models.translated())) {
            HttpResponseFor<Response> plain = client.responses()
                    .withRawResponse()
                    .create(ResponseCreateParams.builder()
                            .model(model)
                            .instructions("be brief")
                            .input("tell me about audits")
                            .maxOutputTokens(30)
                            .build());
            Response response = plain.parse();
            String text = response.output()
                    .get(0)
                    .asMessage()
                    .content()
                    .get(0)
                    .asOutputText()
                    .text();
            assertTrue(text.startsWith("Simulated reply from " + model), text);
            var usage = response.usage().orElseThrow();
            JsonNode leaf = leaf(gateway, plain.headers().values("x-request-id").get(0));
            assertEquals("/v1/responses", leaf.path("endpoint").asText());
            assertEquals("ok", leaf.path("status").asText());
            assertEquals(usage.inputTokens(), leaf.path("inputTokens").asLong(), model);
            assertEquals(usage.outputTokens(), leaf.path("outputTokens").asLong(), model);
            assertEquals(text.split(" ").length, usage.outputTokens());

            HttpResponseFor<StreamResponse<ResponseStreamEvent>> streamed = client.responses()
                    .withRawResponse()
                    .createStreaming(ResponseCreateParams.builder()
                            .model(model)
                            .input("stream about audits")
                            .maxOutputTokens(30)
                            .build());
            List<ResponseStreamEvent> events = new ArrayList<>();
            try (StreamResponse<ResponseStreamEvent> stream = streamed.parse()) {
                stream.stream().forEach(events::add);
            }
            assertTrue(events.get(0).isCreated(), events.get(0).toString());
            StringBuilder deltas = new StringBuilder();
            events.stream()
                    .filter(ResponseStreamEvent::isOutputTextDelta)
                    .forEach(e -> deltas.append(e.asOutputTextDelta().delta()));
            assertTrue(deltas.toString().startsWith("Simulated reply from " + model), deltas.toString());
            ResponseStreamEvent last = events.get(events.size() - 1);
            assertTrue(last.isCompleted(), "the stream ends with response.completed: " + last);
            var streamUsage = last.asCompleted().response().usage().orElseThrow();
            assertTrue(streamUsage.outputTokens() > 0, "a stream is never counted as zero");
            JsonNode streamLeaf =
                    leaf(gateway, streamed.headers().values("x-request-id").get(0));
            assertEquals(
                    streamUsage.inputTokens(), streamLeaf.path("inputTokens").asLong());
            assertEquals(
                    streamUsage.outputTokens(), streamLeaf.path("outputTokens").asLong());
            assertLedgerEqualsSimulator(gateway, model);
        }
        assertEquals(
                30,
                lastReceived(gateway, models.nativeApi())
                        .path("max_output_tokens")
                        .asInt());
        assertFalse(lastReceived(gateway, models.nativeApi()).path("store").asBoolean(true), "told not to store");
        JsonNode translated = lastReceived(gateway, models.translated());
        assertTrue(translated.has("messages") && !translated.has("input"), "a chat request: " + translated);
        assertEquals(30, translated.path("max_tokens").asInt());

        BadRequestException store = assertThrows(
                BadRequestException.class,
                () -> client.responses()
                        .create(ResponseCreateParams.builder()
                                .model(models.translated())
                                .input("keep this")
                                .store(true)
                                .build()));
        assertTrue(store.getMessage().contains("stores no prompts"), store.getMessage());

        assertEquals(
                models.translated(),
                client.models()
                        .retrieve(ModelRetrieveParams.builder()
                                .model(models.translated())
                                .build())
                        .id());
        for (String hidden : List.of(models.ungranted(), "no-such-model-" + UUID.randomUUID())) {
            assertThrows(
                    NotFoundException.class,
                    () -> client.models()
                            .retrieve(
                                    ModelRetrieveParams.builder().model(hidden).build()),
                    hidden);
        }

        // A reasoning model: the cap in max_completion_tokens, whichever field the caller used; never max_tokens
        // (the simulator, like OpenAI, refuses it for such a model).
        for (ChatCompletionCreateParams.Builder asked : List.of(
                ChatCompletionCreateParams.builder().maxCompletionTokens(5),
                ChatCompletionCreateParams.builder().maxTokens(5))) {
            ChatCompletion completion = client.chat()
                    .completions()
                    .create(asked.model(models.reasoning())
                            .addUserMessage("think briefly")
                            .build());
            assertEquals(5, completion.usage().orElseThrow().completionTokens());
            JsonNode received = lastReceived(gateway, models.reasoning());
            assertEquals(5, received.path("max_completion_tokens").asInt());
            assertFalse(received.has("max_tokens"), "the upstream saw no max_tokens: " + received);
        }
        HttpResponseFor<Response> reasoned = client.responses()
                .withRawResponse()
                .create(ResponseCreateParams.builder()
                        .model(models.reasoning())
                        .input("reason about audits")
                        .maxOutputTokens(30)
                        .build());
        assertEquals(200, reasoned.statusCode());
        assertFalse(lastReceived(gateway, models.reasoning()).has("max_tokens"));
        assertEquals(
                30,
                lastReceived(gateway, models.reasoning())
                        .path("max_completion_tokens")
                        .asInt());
        assertOpenAiError(
                given().header("Authorization", "Bearer " + gateway.key("alice", null))
                        .contentType(ContentType.JSON)
                        .body(Map.of(
                                "model", models.reasoning(),
                                "temperature", 0.2,
                                "messages", List.of(Map.of("role", "user", "content", "hi"))))
                        .post(gateway.url + "/v1/chat/completions"),
                400,
                "invalid_value");
        assertLedgerEqualsSimulator(gateway, models.reasoning());
    }

    @Test
    void theNpmSdkUsesTheResponsesApiModelDetailsAndAReasoningModel(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        Models models = models(gateway);
        String key = gateway.key("alice", null);
        JsonNode out = runNode(Map.of(
                "BASE_URL", gateway.url + "/v1",
                "API_KEY", key,
                "MODEL_NATIVE", models.nativeApi(),
                "MODEL_TRANSLATED", models.translated(),
                "MODEL_REASONING", models.reasoning(),
                "MODEL_UNGRANTED", models.ungranted()));

        for (String mode : List.of("native", "translated")) {
            JsonNode plain = out.path(mode + "Plain");
            assertTrue(plain.path("text").asText().startsWith("Simulated reply from"), plain.toString());
            JsonNode leaf = leaf(gateway, plain.path("requestId").asText());
            assertEquals(
                    plain.at("/usage/input_tokens").asLong(),
                    leaf.path("inputTokens").asLong(),
                    mode);
            assertEquals(
                    plain.at("/usage/output_tokens").asLong(),
                    leaf.path("outputTokens").asLong(),
                    mode);
            JsonNode streamed = out.path(mode + "Stream");
            assertEquals("response.created", streamed.path("first").asText(), streamed.toString());
            assertEquals("response.completed", streamed.path("last").asText(), streamed.toString());
            assertEquals(
                    streamed.path("text").asText().split(" ").length,
                    streamed.at("/usage/output_tokens").asLong(),
                    streamed.toString());
            JsonNode streamLeaf = leaf(gateway, streamed.path("requestId").asText());
            assertEquals(
                    streamed.at("/usage/input_tokens").asLong(),
                    streamLeaf.path("inputTokens").asLong());
            assertEquals(
                    streamed.at("/usage/output_tokens").asLong(),
                    streamLeaf.path("outputTokens").asLong());
        }
        assertLedgerEqualsSimulator(gateway, models.nativeApi());
        assertLedgerEqualsSimulator(gateway, models.translated());
        assertEquals(models.translated(), out.path("retrieved").asText());
        JsonNode hidden = out.path("notFound");
        assertEquals(2, hidden.size());
        for (JsonNode refused : hidden) {
            assertEquals(404, refused.path("status").asInt(), refused.toString());
            assertEquals("model_not_found", refused.path("code").asText(), refused.toString());
        }
        assertEquals(5, out.at("/reasoning/usage/completion_tokens").asInt(), out.toString());
        assertFalse(lastReceived(gateway, models.reasoning()).has("max_tokens"));
        assertEquals(400, out.at("/store/status").asInt(), out.toString());
        assertEquals("store", out.at("/store/param").asText(), out.toString());
    }

    /** Installs the npm SDK under target/ (once) and runs the script with {@code env}; its JSON output. */
    private static JsonNode runNode(Map<String, String> env) throws IOException, InterruptedException {
        Path dir = Path.of("target", "npm-openai").toAbsolutePath();
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("node_modules/openai/package.json"))) {
            run(dir, Map.of(), "npm", "install", "--no-audit", "--no-fund", "--prefix", dir.toString(), NPM_OPENAI);
        }
        Path script = dir.resolve("openai-sdk-calls.mjs");
        try (var in = ResponsesApiTest.class.getResourceAsStream("/npm/openai-sdk-calls.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        String output = run(dir, env, "node", script.toString());
        String[] lines = output.strip().split("\n");
        return GatewayFixture.read(lines[lines.length - 1]);
    }

    private static String run(Path dir, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + text);
        return text;
    }
}
