package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.vettedaccess.e2e.policy.PolicyFixture;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.suite.LocalSuite;

/** The gateway as researchers use it, with the admin and ledger steps that give them something to call. */
final class GatewayFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    final LocalSuite suite;
    final Keycloak keycloak;
    final PolicyFixture policy;
    final String url;
    final String upstreamUrl;

    GatewayFixture(LocalSuite suite, Keycloak keycloak) {
        this.suite = suite;
        this.keycloak = keycloak;
        this.policy = new PolicyFixture(suite, keycloak);
        this.url = suite.serviceUrl("gateway");
        this.upstreamUrl = suite.serviceUrl("upstream-sim");
    }

    /** A researcher with a grant for a new model of its own (so no other test shares its quota). */
    record Granted(String user, String subject, String model, String grantId, long grantLeaf, int tier) {}

    /** A new model in the catalog, at the given tier, that nobody has a grant for. */
    String catalogModel(int tier) {
        String model = "sim-e2e-" + UUID.randomUUID().toString().substring(0, 8);
        double flop = tier == 1 ? 1e22 : tier == 2 ? 1e24 : 2e25;
        policy.putModel(model, flop, List.of()).then().statusCode(200);
        return model;
    }

    /** Approves the user's KYC (level 3, tier 3) and grants them a new model of the tier. Not for victor: the
     * access-policy tests rely on his having no KYC approval. */
    Granted grant(String user, int tier) {
        String model = catalogModel(tier);
        String subject = policy.subjectOf(user);
        policy.approve(subject, 3, 3);
        Response grant = policy.grant(subject, List.of(model), tier, 30);
        grant.then().statusCode(200);
        return new Granted(
                user, subject, model, grant.path("id"), ((Number) grant.path("leafIndex")).longValue(), tier);
    }

    String token(String user) {
        return keycloak.userToken(user);
    }

    /** Issues an API key through the gateway's own API, as the portal does; returns the whole answer. */
    Response issueKey(String user, String grantId) {
        Map<String, Object> body =
                grantId == null ? Map.of("name", "e2e key") : Map.of("name", "e2e key", "grantId", grantId);
        return given().auth()
                .oauth2(token(user))
                .contentType(ContentType.JSON)
                .body(body)
                .post(url + "/api/v1/keys");
    }

    String key(String user, String grantId) {
        Response issued = issueKey(user, grantId);
        issued.then().statusCode(201);
        return issued.path("key");
    }

    OpenAIClient sdk(String key) {
        return sdk(url, key);
    }

    static OpenAIClient sdk(String gatewayUrl, String key) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(gatewayUrl + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    Response chat(String credential, String model, int maxTokens) {
        return chat(url, credential, model, maxTokens);
    }

    static Response chat(String gatewayUrl, String credential, String model, int maxTokens) {
        return given().header("Authorization", "Bearer " + credential)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "model", model,
                        "messages", List.of(Map.of("role", "user", "content", "Say something about quotas.")),
                        "max_tokens", maxTokens))
                .post(gatewayUrl + "/v1/chat/completions");
    }

    /** The researcher's receipt of a call, once the gateway has delivered it to the ledger. */
    JsonNode deliveredReceipt(String user, String requestId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String token = token(user);
        while (System.nanoTime() < deadline) {
            Response receipt = given().auth().oauth2(token).get(url + "/api/v1/usage/calls/" + requestId);
            if (receipt.statusCode() == 200 && "DELIVERED".equals(receipt.path("state"))) {
                return read(receipt.asString());
            }
            sleep(100);
        }
        fail("call " + requestId + " was not delivered to the ledger within 60 s");
        return null;
    }

    /** A leaf as the regulator reads it. */
    JsonNode ledgerEntry(long index) {
        Response entry =
                given().auth().oauth2(keycloak.userToken("greg")).get(policy.ledger.url() + "/api/v1/entries/" + index);
        entry.then().statusCode(200);
        return read(entry.asString()).path("entry");
    }

    /** Every usage leaf, as the regulator reads them. */
    List<JsonNode> usageLeaves() {
        return usageLeaves(null);
    }

    /** The usage leaves of one model (all of them if {@code model} is null), as the regulator reads them. */
    List<JsonNode> usageLeaves(String model) {
        String token = keycloak.userToken("greg");
        List<JsonNode> all = new java.util.ArrayList<>();
        Long after = null;
        while (true) {
            var request =
                    given().auth().oauth2(token).queryParam("type", "usage").queryParam("limit", 500);
            if (model != null) {
                request = request.queryParam("model", model);
            }
            if (after != null) {
                request = request.queryParam("after", after);
            }
            Response page = request.get(policy.ledger.url() + "/api/v1/entries");
            page.then().statusCode(200);
            JsonNode body = read(page.asString());
            body.path("entries").forEach(e -> all.add(e.path("entry")));
            if (body.path("next").isNull() || body.path("next").isMissingNode()) {
                return all;
            }
            after = body.path("next").asLong();
        }
    }

    /**
     * A streamed chat completion over a raw socket, so a test can stop reading or leave mid-stream the way a
     * crashed or impatient client does. The status line and headers are read; the body is left in {@link #in}.
     */
    static final class RawStream implements AutoCloseable {
        final int status;
        final String requestId;
        final java.io.BufferedReader in;
        private final java.net.Socket socket;

        private RawStream(java.net.Socket socket, java.io.BufferedReader in, int status, String requestId) {
            this.socket = socket;
            this.in = in;
            this.status = status;
            this.requestId = requestId;
        }

        static RawStream open(String gatewayUrl, String key, String model, int maxTokens, String prompt)
                throws java.io.IOException {
            java.net.URI url = java.net.URI.create(gatewayUrl);
            String body = "{\"model\":\"" + model + "\",\"stream\":true,\"max_tokens\":" + maxTokens
                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
            java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort());
            socket.setSoTimeout(30_000);
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + key
                            + "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
                            + bytes.length + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.flush();
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            String requestId = null;
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("x-request-id:")) {
                    requestId = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            return new RawStream(socket, in, status, requestId);
        }

        /** Reads on to the first data chunk; null if the body ended before one. */
        String firstChunk() throws java.io.IOException {
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data:")) {
                // headers of the chunked body, blank lines
            }
            return line;
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    JsonNode simStats() {
        return read(given().get(upstreamUrl + "/sim/stats").asString());
    }

    void simFault(String mode, int count, long delayMs) {
        given().contentType(ContentType.JSON)
                .body(Map.of("mode", mode, "count", count, "delayMs", delayMs))
                .post(upstreamUrl + "/sim/faults")
                .then()
                .statusCode(200);
    }

    /** A tier as access-policy serves it (to change and put back). */
    com.fasterxml.jackson.databind.node.ObjectNode tier(int number) {
        for (JsonNode tier : read(given().auth()
                .oauth2(policy.admin())
                .get(policy.url + "/api/v1/tiers")
                .asString())) {
            if (tier.path("tier").asInt() == number) {
                return (com.fasterxml.jackson.databind.node.ObjectNode) tier;
            }
        }
        throw new AssertionError("no tier " + number);
    }

    /**
     * Puts a tier as the lab's policy admins would (a new version of it): paula asks, and when it loosens the tier
     * (202, a pending change request) pete confirms.
     */
    void putTier(com.fasterxml.jackson.databind.node.ObjectNode tier) {
        Response put = given().auth()
                .oauth2(policy.admin())
                .contentType(ContentType.JSON)
                .body(tier.toString())
                .put(policy.url + "/api/v1/tiers/" + tier.path("tier").asInt());
        if (put.statusCode() == 202) {
            policy.confirm(policy.secondAdmin(), put.path("id")).then().statusCode(200);
        } else {
            put.then().statusCode(200);
        }
    }

    /** The grant's durable spent budget, checking that nothing is left reserved once its calls ended. */
    long spent(String grantId) throws java.sql.SQLException {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(
                        suite.database().jdbcUrl("va_gateway"),
                        suite.database().user(),
                        suite.database().password());
                java.sql.PreparedStatement select = connection.prepareStatement(
                        "SELECT spent, reserved FROM gateway.grant_budgets WHERE grant_id = ?::uuid")) {
            select.setString(1, grantId);
            try (java.sql.ResultSet row = select.executeQuery()) {
                assertTrue(row.next(), "the grant has a budget row");
                org.junit.jupiter.api.Assertions.assertEquals(
                        0, row.getLong(2), "nothing left reserved after the calls ended");
                return row.getLong(1);
            }
        }
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static void assertOpenAiError(Response response, int status, String code) {
        response.then().statusCode(status).contentType("application/json");
        JsonNode error = read(response.asString()).path("error");
        assertTrue(error.isObject(), "OpenAI envelope: " + response.asString());
        if (code != null && !code.equals(error.path("code").asText())) {
            fail("expected error code " + code + " but got " + response.asString());
        }
        assertTrue(error.path("message").isTextual() && error.path("type").isTextual(), response.asString());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
