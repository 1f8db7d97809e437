package org.vettedaccess.suite;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./suite demo-grant <user>}: gives a demo researcher a grant for the simulated model on a running local
 * suite, doing what kyc-service and a policy admin would (a KYC approval in the ledger, reported to access-policy;
 * the model in the catalog, asked by paula and confirmed by pete; a grant), and prints an API key made through the gateway's own API. Local demos only:
 * it uses the demo passwords and client secrets.
 */
public final class DemoGrant {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String MODEL = "sim-small";

    private DemoGrant() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ./suite demo-grant <researcher>   (alice or victor)");
            System.exit(2);
        }
        String user = args[0];
        SuitePorts ports = SuitePorts.defaults();
        String realm = KeycloakServer.url(ports) + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect/token";
        String policy = "http://localhost:" + ports.http().get(ServiceSpec.POLICY.name());
        String ledger = "http://localhost:" + ports.http().get(ServiceSpec.LEDGER.name());
        String gateway = "http://localhost:" + ports.http().get(ServiceSpec.GATEWAY.name());

        String researcher = token(
                realm,
                "grant_type=password&client_id=cli&username=" + encode(user) + "&password=" + encode(user + "-demo"));
        String subject = field(
                new String(Base64.getUrlDecoder().decode(researcher.split("\\.")[1]), StandardCharsets.UTF_8), "sub");
        String kyc = token(
                realm, "grant_type=client_credentials&client_id=kyc-service&client_secret=kyc-service-demo-secret");
        String admin = token(realm, "grant_type=password&client_id=cli&username=paula&password=paula-demo");

        String appended = call("POST", ledger + "/api/v1/entries", kyc, """
                {"entries":[{"idempotencyKey":"demo-kyc-%s","type":"kyc.decision","entry":{
                "applicationId":"demo-%s","subject":"%s","outcome":"APPROVED","tier":3,"assuranceLevel":3,
                "reviewers":[],"decidedAt":"%s","reasonCode":"demo"}}]}""".formatted(
                java.util.UUID.randomUUID(), subject, subject, Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        String kycLeaf = number(appended, "index");
        call("POST", policy + "/api/v1/kyc-outcomes", kyc, """
                {"subject":"%s","assuranceLevel":3,"approvedTier":3,"kycLeaf":%s,"status":"APPROVED",
                "institution":"05qwgg493","country":"DE","validUntil":"%s"}""".formatted(
                subject, kycLeaf, Instant.now().plus(365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)));
        String put = call(
                "PUT",
                policy + "/api/v1/models/" + MODEL,
                admin,
                "{\"upstreamRoute\":\"sim\",\"trainingFlop\":1e22,\"evalFlags\":[]}");
        if (put.contains("\"PENDING\"")) {
            // A new model loosens the catalog: a second policy admin confirms paula's change request.
            String second = token(realm, "grant_type=password&client_id=cli&username=pete&password=pete-demo");
            call("POST", policy + "/api/v1/change-requests/" + field(put, "id") + "/confirm", second, "");
        }
        String grants = call("GET", policy + "/api/v1/grants?subject=" + encode(subject), admin, null);
        if (!(grants.contains("\"" + MODEL + "\"") && grants.contains("\"ACTIVE\""))) {
            call("POST", policy + "/api/v1/grants", admin, """
                    {"subject":"%s","models":["%s"],"tier":1,"validUntil":"%s",
                    "purpose":"Local demo of the vetted-access suite: calling the simulated model."}""".formatted(
                    subject, MODEL, Instant.now().plus(90, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS)));
        }
        String issued = call("POST", gateway + "/api/v1/keys", researcher, "{\"name\":\"demo-grant\"}");
        System.out.println(field(issued, "key"));
    }

    private static String token(String url, String form) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            fail("Keycloak refused a token (" + response.statusCode() + "): is the suite up? ./suite status");
        }
        return field(response.body(), "access_token");
    }

    private static String call(String method, String url, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token);
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.replace("\n", "")));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            fail(method + " " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"")
                .matcher(json);
        if (!m.find()) {
            fail("no '" + name + "' in " + json);
        }
        return m.group(1);
    }

    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*(\\d+)")
                .matcher(json);
        if (!m.find()) {
            fail("no '" + name + "' in " + json);
        }
        return m.group(1);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void fail(String message) {
        System.err.println("demo-grant: " + message);
        System.exit(1);
    }
}
