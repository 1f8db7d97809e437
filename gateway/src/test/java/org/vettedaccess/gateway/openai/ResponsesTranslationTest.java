package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Responses request to chat completions and back, whole and streamed, and what cannot be translated. */
class ResponsesTranslationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ModelCall responses(String body) {
        return ModelCall.parse(Endpoint.RESPONSES, Buffer.buffer(body), JSON);
    }

    private static OpenAiError refused(String body, boolean nativeResponses) {
        return assertThrows(OpenAiError.class, () -> responses(body).checkFor(false, nativeResponses));
    }

    @Test
    void nothingThatNeedsAStoredResponseIsAccepted() {
        OpenAiError store =
                assertThrows(OpenAiError.class, () -> responses("{\"model\":\"m\",\"input\":\"hi\",\"store\":true}"));
        assertEquals(400, store.status());
        assertEquals("store", store.param());
        assertTrue(store.getMessage().contains("stores no prompts"), store.getMessage());
        assertEquals(
                "previous_response_id",
                assertThrows(
                                OpenAiError.class,
                                () -> responses("{\"model\":\"m\",\"input\":\"hi\",\"previous_response_id\":\"r\"}"))
                        .param());
        assertEquals(
                "background",
                assertThrows(
                                OpenAiError.class,
                                () -> responses("{\"model\":\"m\",\"input\":\"hi\",\"background\":true}"))
                        .param());
        assertEquals(
                "max_tokens",
                assertThrows(OpenAiError.class, () -> responses("{\"model\":\"m\",\"input\":\"hi\",\"max_tokens\":5}"))
                        .param());
        assertEquals(
                "input",
                assertThrows(OpenAiError.class, () -> responses("{\"model\":\"m\",\"input\":[]}"))
                        .param());
    }

    @Test
    void aNativeServerGetsTheCapInMaxOutputTokensAndStoreFalse() throws IOException {
        ModelCall call = responses("{\"model\":\"m\",\"input\":\"hi\",\"max_output_tokens\":12,\"tools\":[]}");
        assertEquals(12, call.requestedMaxTokens);
        call.checkFor(false, true);
        JsonNode forwarded = JSON.readTree(call.upstreamBody(12, false, true));
        assertEquals(12, forwarded.path("max_output_tokens").asInt());
        assertFalse(forwarded.path("store").asBoolean(true), "invariant 7: the upstream is told not to store it");
        assertEquals("/responses", call.upstreamPath(true));
        assertEquals("/chat/completions", call.upstreamPath(false));
    }

    @Test
    void whatChatCannotCarryIsA400NamingTheField() {
        String tools = "{\"model\":\"m\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}";
        assertEquals("tools", refused(tools, false).param());
        assertEquals(
                "reasoning.summary",
                assertThrows(
                                OpenAiError.class,
                                () -> responses(
                                                "{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"summary\":\"auto\"}}")
                                        .checkFor(true, false))
                        .param());
        OpenAiError image = refused(
                "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\","
                        + "\"image_url\":\"https://x\"}]}]}",
                false);
        assertEquals("input", image.param());
        assertTrue(image.getMessage().contains("input_image"), image.getMessage());
        assertEquals(
                "reasoning",
                refused("{\"model\":\"m\",\"input\":\"hi\",\"reasoning\":{\"effort\":\"low\"}}", false)
                        .param(),
                "a classic chat model takes no reasoning effort");
    }

    @Test
    void aRequestBecomesTheChatRequestItStandsFor() throws IOException {
        ModelCall call = responses("{\"model\":\"m\",\"instructions\":\"be brief\",\"max_output_tokens\":8,"
                + "\"input\":[{\"role\":\"user\",\"content\":\"hi\"},{\"type\":\"message\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"output_text\",\"text\":\"hello\"}]},{\"role\":\"developer\",\"content\":\"x\"}],"
                + "\"reasoning\":{\"effort\":\"high\"},\"stream\":true,\"user\":\"u1\",\"store\":false}");
        call.checkFor(true, false);
        JsonNode chat = JSON.readTree(call.upstreamBody(8, true, false));
        assertEquals("m", chat.path("model").asText());
        JsonNode messages = chat.path("messages");
        assertEquals("system", messages.path(0).path("role").asText());
        assertEquals("be brief", messages.path(0).path("content").asText());
        assertEquals("hi", messages.path(1).path("content").asText());
        assertEquals(
                "hello", messages.path(2).path("content").path(0).path("text").asText());
        assertEquals("system", messages.path(3).path("role").asText(), "developer is system to a chat-only server");
        assertEquals(8, chat.path("max_completion_tokens").asInt());
        assertFalse(chat.has("max_tokens"), "a reasoning model is never sent max_tokens: " + chat);
        assertEquals("high", chat.path("reasoning_effort").asText());
        assertTrue(chat.path("stream_options").path("include_usage").asBoolean());
        assertEquals("u1", chat.path("user").asText());
        assertFalse(chat.has("store") || chat.has("input") || chat.has("instructions"), chat.toString());
        JsonNode classic =
                JSON.readTree(responses("{\"model\":\"m\",\"input\":\"hi\"}").upstreamBody(30, false, false));
        assertEquals(30, classic.path("max_tokens").asInt());
        assertEquals("user", classic.path("messages").path(0).path("role").asText());
    }

    @Test
    void aChatAnswerBecomesAResponseWithItsUsage() throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree("{\"model\":\"m\",\"input\":\"hi\",\"temperature\":0.5}");
        JsonNode chat = JSON.readTree("{\"id\":\"chatcmpl-1\",\"created\":7,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"two words\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
        JsonNode response = ResponsesTranslation.toResponse(chat, request, 16);
        assertEquals("response", response.path("object").asText());
        assertEquals("resp_chatcmpl-1", response.path("id").asText());
        assertEquals("completed", response.path("status").asText());
        assertEquals("two words", response.at("/output/0/content/0/text").asText());
        assertEquals("output_text", response.at("/output/0/content/0/type").asText());
        assertEquals(3, response.at("/usage/input_tokens").asInt());
        assertEquals(2, response.at("/usage/output_tokens").asInt());
        assertEquals(5, response.at("/usage/total_tokens").asInt());
        assertEquals(0.5, response.path("temperature").asDouble());
        assertFalse(response.path("store").asBoolean(true));
        JsonNode cut = ResponsesTranslation.toResponse(
                JSON.readTree("{\"choices\":[{\"message\":{\"content\":\"a\"},\"finish_reason\":\"length\"}]}"),
                request,
                1);
        assertEquals("incomplete", cut.path("status").asText());
        assertEquals("max_output_tokens", cut.at("/incomplete_details/reason").asText());
    }

    @Test
    void aChatStreamBecomesTheResponsesEventsChunkByChunk() throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree("{\"model\":\"m\",\"input\":\"hi\",\"stream\":true}");
        ResponsesStream stream = new ResponsesStream(JSON, request, 16);
        List<String> first = stream.translate("{\"id\":\"c1\",\"created\":7,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}");
        assertEquals(
                List.of(
                        "response.created",
                        "response.in_progress",
                        "response.output_item.added",
                        "response.content_part.added"),
                types(first),
                "the opening events with the first chunk, and no empty delta");
        List<String> deltas = stream.translate("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"two\"}}]}");
        assertEquals(List.of("response.output_text.delta"), types(deltas));
        assertEquals("two", data(deltas.get(0)).path("delta").asText());
        stream.translate("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\" words\"}}]}");
        assertTrue(stream.translate("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}")
                .isEmpty());
        assertTrue(
                stream.translate("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}")
                        .isEmpty(),
                "the usage chunk is the completed event's, not an event of its own");
        assertFalse(stream.finished());
        List<String> closing = stream.finish(3, 2);
        assertEquals(
                List.of(
                        "response.output_text.done",
                        "response.content_part.done",
                        "response.output_item.done",
                        "response.completed"),
                types(closing));
        assertTrue(stream.finish(3, 2).isEmpty(), "closed once");
        JsonNode completed = data(closing.get(3));
        assertEquals("two words", data(closing.get(0)).path("text").asText());
        assertEquals(
                "two words", completed.at("/response/output/0/content/0/text").asText());
        assertEquals(3, completed.at("/response/usage/input_tokens").asInt());
        assertEquals(2, completed.at("/response/usage/output_tokens").asInt());
        assertEquals(9, completed.path("sequence_number").asInt(), "numbered in order from 0");
        assertTrue(closing.get(3).startsWith("event: response.completed\ndata: {"), closing.get(3));
    }

    @Test
    void aStreamCutOffByTheCapEndsIncompleteAndAnEmptyOneStillEndsWithUsage() throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree("{\"model\":\"m\",\"input\":\"hi\"}");
        ResponsesStream cut = new ResponsesStream(JSON, request, 1);
        cut.translate(
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"finish_reason\":\"length\"}]}");
        List<String> closing = cut.finish(1, 1);
        assertEquals("response.incomplete", types(closing).get(3));
        List<String> empty = new ResponsesStream(JSON, request, 1).finish(4, 0);
        assertEquals("response.created", types(empty).get(0));
        assertEquals(
                4,
                data(empty.get(empty.size() - 1))
                        .at("/response/usage/input_tokens")
                        .asInt());
    }

    private static List<String> types(List<String> events) throws IOException {
        List<String> types = new ArrayList<>();
        for (String event : events) {
            types.add(data(event).path("type").asText());
        }
        return types;
    }

    private static JsonNode data(String event) throws IOException {
        return JSON.readTree(SseEvents.data(event.strip()));
    }
}
