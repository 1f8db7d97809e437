package org.vettedaccess.e2e.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vettedaccess.ledger.verifier.cli.VerifierMain;
import org.vettedaccess.suite.LocalSuite;

/**
 * Conformance (issue 20) as a regulator runs it: through the ledger's API and through {@code ledger-verifier
 * conformance}. Tests scope it to the index range they wrote, because the shared log also holds leaves other
 * tests wrote on purpose (odd appends, forged chains).
 */
public final class ConformanceProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ledger ledger;
    private final Keycloak keycloak;

    public ConformanceProbe(LocalSuite suite, Keycloak keycloak) {
        this.ledger = new Ledger(suite, keycloak);
        this.keycloak = keycloak;
    }

    /** The log's size now: a checkpoint is signed (as the regulator) and its size read. */
    public long size() {
        return Long.parseLong(ledger.publishCheckpoint().split("\n")[1].strip());
    }

    /** {@code GET /api/v1/conformance?from=&to=} as greg (the range must lie below the newest checkpoint). */
    public JsonNode report(long from, long to) {
        Response response = given().auth()
                .oauth2(keycloak.userToken("greg"))
                .queryParam("from", from)
                .queryParam("to", to)
                .get(ledger.url() + "/api/v1/conformance");
        response.then().statusCode(200);
        try {
            return JSON.readTree(response.asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rule ids of a report's violations at one index. */
    public static List<String> rulesAt(JsonNode report, long index) {
        List<String> rules = new ArrayList<>();
        for (JsonNode violation : report.path("violations")) {
            if (violation.path("index").asLong() == index) {
                rules.add(violation.path("rule").asText());
            }
        }
        return rules;
    }

    /** The rule ids of a report's violations, by index, in index order. */
    public static Map<Long, List<String>> rulesByIndex(JsonNode report) {
        Map<Long, List<String>> found = new TreeMap<>();
        report.path("violations")
                .forEach(v -> found.computeIfAbsent(v.path("index").asLong(), i -> new ArrayList<>())
                        .add(v.path("rule").asText()));
        return found;
    }

    /** Result of a CLI run: its exit code and what it printed. */
    public record Run(int exit, String output) {}

    /**
     * {@code ledger-verifier conformance --url <ledger> --token <greg's> --from --to [more]}, run in this JVM; e.g.
     * {@code --scope-key <key>}.
     */
    public Run cli(long from, long to, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "conformance",
                "--url",
                ledger.url(),
                "--token",
                keycloak.userToken("greg"),
                "--from",
                String.valueOf(from),
                "--to",
                String.valueOf(to)));
        args.addAll(List.of(more));
        return verifier(args.toArray(String[]::new));
    }

    /** Runs the verifier's CLI with these arguments in this JVM. */
    public static Run verifier(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = VerifierMain.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }
}
