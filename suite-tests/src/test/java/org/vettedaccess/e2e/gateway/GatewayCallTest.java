package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.gateway.GatewayFixture.assertOpenAiError;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** Researchers call models through the gateway with the official OpenAI Java SDK, and every call is in the ledger. */
@ExtendWith(RunningSuite.class)
class GatewayCallTest {

    private static ChatCompletionCreateParams.Builder chat(String model, String prompt) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(prompt);
    }

    /** The usage leaf of a call, found through the researcher's receipt, checked against what the caller saw. */
    private static JsonNode assertRecorded(
            GatewayFixture gateway, GatewayFixture.Granted granted, String requestId, long input, long output) {
        JsonNode receipt = gateway.deliveredReceipt(granted.user(), requestId);
        JsonNode leaf = gateway.ledgerEntry(receipt.path("ledgerIndex").asLong());
        assertEquals("usage", leaf.path("type").asText(), leaf.toString());
        assertEquals(granted.model(), leaf.path("model").asText());
        assertEquals(granted.grantId(), leaf.path("grantId").asText());
        assertEquals(granted.grantLeaf(), leaf.path("grantLeaf").asLong(), "the usage leaf names its grant's leaf");
        assertEquals(input, leaf.path("inputTokens").asLong(), "input tokens as the upstream counted them");
        assertEquals(output, leaf.path("outputTokens").asLong(), "output tokens as the upstream counted them");
        assertEquals(64, leaf.path("promptCommitment").asText().length());
        assertFalse(leaf.toString().contains(granted.subject()), "the ledger holds a pseudonym, not the subject id");
        return leaf;
    }

    @Test
    void theOpenAiSdkCallsThroughTheGatewayWithAPortalKeyAndEachCallIsRecordedOnce(
            LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        Response issued = gateway.issueKey("alice", null);
        issued.then().statusCode(201);
        String key = issued.path("key");
        String keyId = issued.path("apiKey.id");
        assertTrue(key.startsWith("va-"));
        OpenAIClient client = gateway.sdk(key);

        HttpResponseFor<ChatCompletion> plain = client.chat()
                .completions()
                .withRawResponse()
                .create(chat(granted.model(), "tell me four things")
                        .maxCompletionTokens(6)
                        .build());
        ChatCompletion completion = plain.parse();
        var usage = completion.usage().orElseThrow();
        assertEquals(6, usage.completionTokens());
        String requestId = plain.headers().values("x-request-id").get(0);
        JsonNode leaf = assertRecorded(gateway, granted, requestId, usage.promptTokens(), usage.completionTokens());
        assertEquals(keyId, leaf.path("keyId").asText());
        assertEquals("ok", leaf.path("status").asText());
        assertEquals("/v1/chat/completions", leaf.path("endpoint").asText());

        // Streaming without asking for usage: the gateway asks the upstream for it, counts it, and hides the extra
        // chunk.
        HttpResponseFor<StreamResponse<ChatCompletionChunk>> streamed = client.chat()
                .completions()
                .withRawResponse()
                .createStreaming(chat(granted.model(), "stream five words please")
                        .maxCompletionTokens(5)
                        .build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = streamed.parse()) {
            stream.stream().forEach(chunks::add);
        }
        StringBuilder text = new StringBuilder();
        chunks.forEach(
                c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        assertEquals(5, text.toString().trim().split(" ").length, text.toString());
        assertTrue(chunks.stream().allMatch(c -> c.usage().isEmpty()), "no usage chunk the caller did not ask for");
        assertRecorded(
                gateway, granted, streamed.headers().values("x-request-id").get(0), 4, 5);

        // Streaming with usage asked for: the caller sees it, and the ledger has the same numbers.
        HttpResponseFor<StreamResponse<ChatCompletionChunk>> withUsage = client.chat()
                .completions()
                .withRawResponse()
                .createStreaming(chat(granted.model(), "count these tokens")
                        .maxCompletionTokens(3)
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build());
        List<ChatCompletionChunk> usageChunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = withUsage.parse()) {
            stream.stream().forEach(usageChunks::add);
        }
        var streamUsage = usageChunks.get(usageChunks.size() - 1).usage().orElseThrow();
        assertEquals(3, streamUsage.completionTokens());
        assertRecorded(
                gateway, granted, withUsage.headers().values("x-request-id").get(0), streamUsage.promptTokens(), 3);

        HttpResponseFor<Completion> text1 = client.completions()
                .withRawResponse()
                .create(CompletionCreateParams.builder()
                        .model(granted.model())
                        .prompt("once upon a time")
                        .maxTokens(4)
                        .build());
        assertEquals(4, text1.parse().usage().orElseThrow().completionTokens());
        assertRecorded(gateway, granted, text1.headers().values("x-request-id").get(0), 4, 4);

        HttpResponseFor<CreateEmbeddingResponse> embedded = client.embeddings()
                .withRawResponse()
                .create(EmbeddingCreateParams.builder()
                        .model(granted.model())
                        .input("embed these three")
                        .build());
        assertEquals(1, embedded.parse().data().size());
        assertRecorded(
                gateway, granted, embedded.headers().values("x-request-id").get(0), 3, 0);

        // The model list holds the granted model and nothing the researcher has no grant for.
        List<String> models =
                client.models().list().data().stream().map(Model::id).toList();
        assertTrue(models.contains(granted.model()), models.toString());
        String ungranted = gateway.catalogModel(1);
        assertFalse(models.contains(ungranted), "a model without a grant is not listed");

        // Exactly one usage leaf per call: the five calls above each have one.
        long mine = gateway.usageLeaves().stream()
                .filter(l -> keyId.equals(l.path("keyId").asText()))
                .count();
        assertEquals(5, mine, "one usage leaf per call, none twice");
    }

    @Test
    void theApiDescriptionListsTheModelApiAndTheKeyApi(LocalSuite suite) {
        given().get(suite.serviceUrl("gateway") + "/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/chat/completions"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/completions"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/embeddings"))
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/models"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/keys"))
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/usage/calls/{requestId}"))
                .body("paths", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("/v1/{path}")));
    }

    @Test
    void theCallersTraceContinuesToTheModelServer(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        String key = gateway.key("alice", null);
        String traceId = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(16));
        String callerSpan = "00f067aa0ba902b7";
        given().header("Authorization", "Bearer " + key)
                .header("traceparent", "00-" + traceId + "-" + callerSpan + "-01")
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        granted.model(),
                        "max_tokens",
                        2,
                        "messages",
                        List.of(Map.of("role", "user", "content", "trace me"))))
                .post(gateway.url + "/v1/chat/completions")
                .then()
                .statusCode(200);
        String seen = gateway.simStats().path("lastTraceparent").asText();
        assertTrue(seen.startsWith("00-" + traceId + "-"), "the model server saw the caller's trace: " + seen);
        assertFalse(seen.contains(callerSpan), "with the gateway's own span as parent: " + seen);
    }

    @Test
    void aKeycloakTokenWorksForResearchersOnly(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        Response ok = gateway.chat(gateway.token("alice"), granted.model(), 4);
        ok.then().statusCode(200);
        assertRecorded(
                gateway, granted, ok.header("x-request-id"), ((Number) ok.path("usage.prompt_tokens")).longValue(), 4);

        assertOpenAiError(gateway.chat(gateway.token("greg"), granted.model(), 4), 403, "not_a_researcher");
        assertOpenAiError(gateway.chat(gateway.token("paula"), granted.model(), 4), 403, "not_a_researcher");
        // A service account's token is not addressed to the gateway.
        assertOpenAiError(
                gateway.chat(keycloak.clientToken("kyc-service", "kyc-service-demo-secret"), granted.model(), 4),
                401,
                "invalid_api_key");
        assertOpenAiError(
                gateway.chat(
                        org.vettedaccess.e2e.support.Jwts.withTamperedSignature(gateway.token("alice")),
                        granted.model(),
                        4),
                401,
                "invalid_api_key");
    }

    @Test
    void errorsUseTheOpenAiEnvelopeWithTheRightStatus(LocalSuite suite, Keycloak keycloak) {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        GatewayFixture.Granted granted = gateway.grant("alice", 3);
        String key = gateway.key("alice", granted.grantId());
        long before = gateway.simStats().path("completions").asLong();

        assertOpenAiError(
                given().contentType(ContentType.JSON).body("{}").post(gateway.url + "/v1/chat/completions"),
                401,
                "invalid_api_key");
        assertOpenAiError(gateway.chat("va-not-a-real-key", granted.model(), 4), 401, "invalid_api_key");
        assertThrows(
                UnauthorizedException.class,
                () -> GatewayFixture.sdk(gateway.url, "va-wrong")
                        .chat()
                        .completions()
                        .create(chat(granted.model(), "hi").build()));

        assertOpenAiError(gateway.chat(key, "sim-not-in-the-catalog", 4), 404, "model_not_found");
        NotFoundException notFound = assertThrows(
                NotFoundException.class,
                () -> gateway.sdk(key)
                        .chat()
                        .completions()
                        .create(chat("sim-not-in-the-catalog", "hi").build()));
        assertEquals(404, notFound.statusCode());

        String other = gateway.catalogModel(1);
        PermissionDeniedException denied = assertThrows(
                PermissionDeniedException.class,
                () -> gateway.sdk(key)
                        .chat()
                        .completions()
                        .create(chat(other, "hi").build()));
        assertEquals(403, denied.statusCode());
        assertOpenAiError(gateway.chat(key, other, 4), 403, "no_grant");

        assertOpenAiError(
                given().header("Authorization", "Bearer " + key)
                        .contentType(ContentType.JSON)
                        .body("{\"model\": \"x\", \"messages\": [")
                        .post(gateway.url + "/v1/chat/completions"),
                400,
                "invalid_json");
        Response noMessages = given().header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON)
                .body(Map.of("model", granted.model()))
                .post(gateway.url + "/v1/chat/completions");
        assertOpenAiError(noMessages, 400, "invalid_value");
        assertEquals("messages", noMessages.path("error.param"));
        Response wrongType = given().header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "model",
                        granted.model(),
                        "messages",
                        List.of(Map.of("role", "user", "content", "x")),
                        "max_tokens",
                        "many"))
                .post(gateway.url + "/v1/chat/completions");
        assertOpenAiError(wrongType, 400, "invalid_value");
        assertEquals("max_tokens", wrongType.path("error.param"));
        // Tier 3 allows at most 2048 max_tokens.
        Response tooMany = gateway.chat(key, granted.model(), 4096);
        assertOpenAiError(tooMany, 400, null);
        assertEquals("max_tokens", tooMany.path("error.param"));
        // Tier 3 allows chat only.
        assertOpenAiError(
                given().header("Authorization", "Bearer " + key)
                        .contentType(ContentType.JSON)
                        .body(Map.of("model", granted.model(), "input", "x"))
                        .post(gateway.url + "/v1/embeddings"),
                403,
                "endpoint_not_allowed");
        assertOpenAiError(
                given().header("Authorization", "Bearer " + key)
                        .contentType(ContentType.JSON)
                        .body("{\"model\":\"" + granted.model() + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                                + "x".repeat(1_100_000) + "\"}]}")
                        .post(gateway.url + "/v1/chat/completions"),
                413,
                "request_too_large");
        assertOpenAiError(
                given().header("Authorization", "Bearer " + key).get(gateway.url + "/v1/no-such-thing"),
                404,
                "unknown_url");

        assertEquals(before, gateway.simStats().path("completions").asLong(), "no refused call reached the model");

        // Tier 3: 10 requests per minute. The eleventh is a 429 with Retry-After and the rate headers.
        int admitted = 0;
        Response limited = null;
        for (int i = 0; i < 12 && limited == null; i++) {
            Response response = gateway.chat(key, granted.model(), 2);
            if (response.statusCode() == 200) {
                admitted++;
                assertNotNull(response.header("x-ratelimit-remaining-requests"));
            } else {
                limited = response;
            }
        }
        assertEquals(10, admitted);
        assertOpenAiError(limited, 429, "rate_limit_exceeded");
        assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1);
        assertEquals("10", limited.header("x-ratelimit-limit-requests"));
        assertEquals("0", limited.header("x-ratelimit-remaining-requests"));
    }
}
