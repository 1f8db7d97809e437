package org.vettedaccess.e2e.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.ConformanceProbe;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.LedgerDatabase;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.core.SignedNote;
import org.vettedaccess.suite.LocalSuite;

/**
 * Issue 20: conformance names each breach that someone holding a service's own account could write into the log
 * (the ledger takes any well-formed leaf from its owner; only replaying the policy shows it broke a rule): a usage
 * after a revocation and a usage under an engaged kill switch, appended with the gateway's account, and a tier-3
 * grant over a one-reviewer KYC decision that kyc-service's account reported. The regulator's API names each, with
 * leaves whose inclusion proofs verify; the CLI exits 1. A researcher checks their own receipt and prompt.
 */
@ExtendWith(RunningSuite.class)
class ConformanceReplayTest {

    @Test
    void conformanceNamesEachBreachWrittenWithTheOwnersOwnAccounts(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        ConformanceProbe conformance = new ConformanceProbe(suite, keycloak);
        Ledger ledger = gateway.policy.ledger;
        long from = conformance.size();

        // Honest use first: two grants, a key, a call. None of it breaks a rule.
        GatewayFixture.Granted revoked = gateway.grant("alice", 1);
        GatewayFixture.Granted switched = gateway.grant("alice", 1);
        String key = gateway.key("alice", revoked.grantId());
        Response honest = gateway.chat(key, revoked.model(), 4);
        honest.then().statusCode(200);
        gateway.deliveredReceipt("alice", honest.header("x-request-id"));

        // 1. The grant is revoked; 1.5 s later a usage leaf on it is appended with the gateway's own account.
        gateway.policy
                .change(gateway.policy.admin(), revoked.grantId(), "revoke")
                .then()
                .statusCode(200);
        GatewayFixture.sleep(1_500);
        long afterRevocation = appendUsage(ledger, revoked);

        // 2. A MODEL kill switch is engaged; 1.5 s later a usage leaf in its scope is appended likewise.
        Response engaged = given().auth()
                .oauth2(gateway.token("paula"))
                .contentType(ContentType.JSON)
                .body(Map.of("scope", "MODEL", "value", switched.model(), "reason", "conformance e2e"))
                .post(gateway.policy.url + "/api/v1/killswitches");
        engaged.then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        GatewayFixture.sleep(1_500);
        long underKillSwitch = appendUsage(ledger, switched);
        String switchId = engaged.path("id");
        for (String admin : List.of("paula", "pete")) {
            given().auth()
                    .oauth2(gateway.token(admin))
                    .post(gateway.policy.url + "/api/v1/killswitches/" + switchId + "/release")
                    .then()
                    .statusCode(200);
        }

        // 3. kyc-service's account records a tier-3 approval with one reviewer and reports it; access-policy, which
        // trusts that report, issues the tier-3 grant.
        String model3 = gateway.catalogModel(3);
        Map<String, Object> decision = Ledger.kycDecision(revoked.subject());
        decision.put("tier", 3);
        decision.put("assuranceLevel", 3);
        decision.put("reviewers", List.of("reviewer-one"));
        decision.put("decidedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        decision.put(
                "screening",
                Map.of("candidates", 0, "cleared", 0, "clearingReviewers", 0, "strong", 0, "trueMatches", 0));
        long oneReviewer =
                ledger.appendOk(List.of(Ledger.item("kyc.decision", decision))).get(0);
        Map<String, Object> outcome = new HashMap<>();
        outcome.put("subject", revoked.subject());
        outcome.put("assuranceLevel", 3);
        outcome.put("approvedTier", 3);
        outcome.put("kycLeaf", oneReviewer);
        outcome.put("status", "APPROVED");
        outcome.put("institution", "05qwgg493");
        outcome.put("country", "DE");
        outcome.put("validUntil", Instant.now().plus(365, ChronoUnit.DAYS).toString());
        given().auth()
                .oauth2(gateway.policy.kycService())
                .contentType(ContentType.JSON)
                .body(outcome)
                .post(gateway.policy.url + "/api/v1/kyc-outcomes")
                .then()
                .statusCode(204);
        Response tier3 = gateway.policy.grant(revoked.subject(), List.of(model3), 3, 30);
        tier3.then().statusCode(200);
        long tier3Grant = ((Number) tier3.path("leafIndex")).longValue();
        // Leave alice as other tests expect her: the tier-3 grant revoked, an honest approval in force.
        gateway.policy
                .change(gateway.policy.admin(), tier3.path("id"), "revoke")
                .then()
                .statusCode(200);
        gateway.policy.approve(revoked.subject(), 3, 3);
        GatewayFixture.sleep(500);
        long to = conformance.size();

        JsonNode report = conformance.report(from, to);
        Map<Long, List<String>> found = ConformanceProbe.rulesByIndex(report);
        assertEquals(
                Map.of(
                        afterRevocation, List.of("VA-GRANT-ACTIVE"),
                        underKillSwitch, List.of("VA-KILLSWITCH"),
                        tier3Grant, List.of("VA-KYC-REVIEWERS")),
                found,
                "violations in " + from + ".." + (to - 1) + ": " + report.path("violations"));
        assertEquals(false, report.path("conforms").asBoolean());
        assertTrue(report.path("usages").asLong() >= 3, report.toString());

        // Each violation's leaves are in the signed tree the report names: their inclusion proofs verify.
        Checkpoint checkpoint = Checkpoint.parse(
                SignedNote.open(report.path("checkpoint").asText(), NoteKeys.parseVerifier(ledger.verifierKey())));
        assertEquals(report.path("treeSize").asLong(), checkpoint.size());
        String greg = keycloak.userToken("greg");
        for (JsonNode violation : report.path("violations")) {
            for (JsonNode index : violation.path("leaves")) {
                JsonNode entry = GatewayFixture.read(given().auth()
                        .oauth2(greg)
                        .get(ledger.url() + "/api/v1/entries/" + index.asLong())
                        .asString());
                JsonNode proof = GatewayFixture.read(given().auth()
                        .oauth2(greg)
                        .get(ledger.url() + "/api/v1/proofs/inclusion?index=" + index.asLong() + "&treeSize="
                                + checkpoint.size())
                        .asString());
                List<byte[]> hashes = new ArrayList<>();
                proof.path("hashes").forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
                byte[] leaf = Base64.getDecoder().decode(entry.path("leaf").asText());
                assertTrue(
                        Proofs.verifyInclusion(
                                index.asLong(), checkpoint.size(), Hashes.leaf(leaf), hashes, checkpoint.rootHash()),
                        "leaf " + index + " of " + violation);
            }
        }

        // The CLI says the same from the leaves it reads, and exits 1.
        ConformanceProbe.Run cli = conformance.cli(from, to);
        assertEquals(1, cli.exit(), cli.output());
        for (String rule : Set.of("VA-GRANT-ACTIVE", "VA-KILLSWITCH", "VA-KYC-REVIEWERS")) {
            assertTrue(cli.output().contains("FAIL " + rule), cli.output());
        }
        assertTrue(cli.output().contains("DOES NOT CONFORM: 3 violation(s)"), cli.output());

        // Only regulators may ask; bad input is a problem, not a 500.
        given().auth()
                .oauth2(gateway.token("alice"))
                .get(ledger.url() + "/api/v1/conformance")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(greg)
                .queryParam("from", -1)
                .get(ledger.url() + "/api/v1/conformance")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    /**
     * The lab's insider, as the owner of the ledger's database, bypasses every service: after alice's grant is
     * revoked, they copy her real call's usage leaf as a new leaf (a call made 1.5 s after the revocation) straight
     * into the ledger's tables with its tree nodes, and the ledger signs a checkpoint over it as over any other leaf.
     * The log is intact (the integrity check verifies it); conformance names the breach by rule and index.
     */
    @Test
    void aUsageLeafTheOwnerWroteIntoTheDatabaseAfterARevocationIsNamed(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        ConformanceProbe conformance = new ConformanceProbe(suite, keycloak);
        Ledger ledger = gateway.policy.ledger;
        LedgerDatabase database = new LedgerDatabase(suite);
        NoteKeys.Verifier ledgerKey = NoteKeys.parseVerifier(ledger.verifierKey());
        Checkpoint before = Checkpoint.parse(SignedNote.open(ledger.publishCheckpoint(), ledgerKey));
        long from = before.size();
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        String key = gateway.key("alice", granted.grantId());
        Response honest = gateway.chat(key, granted.model(), 4);
        honest.then().statusCode(200);
        long honestIndex = gateway.deliveredReceipt("alice", honest.header("x-request-id"))
                .path("ledgerIndex")
                .asLong();
        gateway.policy
                .change(gateway.policy.admin(), granted.grantId(), "revoke")
                .then()
                .statusCode(200);
        GatewayFixture.sleep(1_500);

        // The same call again, 1.5 s after the revocation, written by the owner: no service saw it.
        LedgerDatabase.StoredLeaf copy = database.leaf(honestIndex);
        assertEquals("usage", copy.fields().get("type"), copy.toString());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        copy.fields().put("startedAt", now.minusMillis(100).toString());
        copy.fields().put("finishedAt", now.toString());
        long written = database.appendAsOwner(copy, now);
        // The ledger signs it into its tree: the publish stage reads the owner's rows like its own.
        Checkpoint signed = Checkpoint.parse(SignedNote.open(ledger.publishCheckpoint(), ledgerKey));
        assertTrue(signed.size() > written, signed.size() + " <= " + written);
        long to = conformance.size();

        // The log itself is intact: the signed tree extends the one signed before (a consistency proof), and the
        // owner's leaf is in it (an inclusion proof), both checked with ledger-core.
        String greg = keycloak.userToken("greg");
        List<byte[]> consistency = hashes(given().auth()
                .oauth2(greg)
                .get(ledger.url() + "/api/v1/proofs/consistency?from=" + before.size() + "&to=" + signed.size())
                .asString());
        assertTrue(before.isExtendedBy(signed, () -> consistency), "the log was not only appended to");
        byte[] leaf = Base64.getDecoder()
                .decode(GatewayFixture.read(given().auth()
                                .oauth2(greg)
                                .get(ledger.url() + "/api/v1/entries/" + written)
                                .asString())
                        .path("leaf")
                        .asText());
        assertTrue(Proofs.verifyInclusion(
                written,
                signed.size(),
                Hashes.leaf(leaf),
                hashes(given().auth()
                        .oauth2(greg)
                        .get(ledger.url() + "/api/v1/proofs/inclusion?index=" + written + "&treeSize=" + signed.size())
                        .asString()),
                signed.rootHash()));

        // Conformance names the breach, at its index, and nothing else in the range.
        JsonNode report = conformance.report(from, to);
        Map<Long, List<String>> found = ConformanceProbe.rulesByIndex(report);
        assertEquals(
                Map.of(written, List.of("VA-GRANT-ACTIVE")),
                found,
                "violations in " + from + ".." + (to - 1) + ": " + report.path("violations"));
        assertEquals(List.of("VA-GRANT-ACTIVE"), ConformanceProbe.rulesAt(report, written));
        ConformanceProbe.Run cli = conformance.cli(from, to);
        assertEquals(1, cli.exit(), cli.output());
        assertTrue(cli.output().contains("VA-GRANT-ACTIVE at " + written + ":"), cli.output());
        assertTrue(cli.output().contains("DOES NOT CONFORM: 1 violation(s)"), cli.output());
    }

    @Test
    void aResearcherVerifiesTheirOwnReceiptAndPrompt(LocalSuite suite, Keycloak keycloak) throws Exception {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        Ledger ledger = gateway.policy.ledger;
        GatewayFixture.Granted granted = gateway.grant("alice", 1);
        String key = gateway.key("alice", granted.grantId());
        String body = "{\"model\":\"" + granted.model()
                + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"Is my call on the record?\"}]}";
        Response call = given().header("Authorization", "Bearer " + key)
                .contentType(ContentType.JSON)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post(gateway.url + "/v1/chat/completions");
        call.then().statusCode(200);
        String requestId = call.header("x-request-id");
        String salt = call.header("x-va-prompt-salt");
        gateway.deliveredReceipt("alice", requestId);
        ledger.publishCheckpoint();
        Path prompt = Files.createTempFile("prompt", ".json");
        Files.writeString(prompt, body);
        List<String> common = List.of(
                "--gateway", gateway.url, "--ledger", ledger.url(), "--vkey", ledger.verifierKey(), "--salt", salt);

        ConformanceProbe.Run own = receipt(requestId, gateway.token("alice"), prompt, common);
        assertEquals(0, own.exit(), own.output());
        for (String check : List.of("receipt", "leaf", "checkpoint", "inclusion", "prompt")) {
            assertTrue(own.output().contains("PASS " + check), own.output());
        }

        // Another prompt does not open the commitment.
        Path other = Files.createTempFile("prompt", ".json");
        Files.writeString(other, body.replace("record", "books"));
        ConformanceProbe.Run wrong = receipt(requestId, gateway.token("alice"), other, common);
        assertEquals(1, wrong.exit(), wrong.output());
        assertTrue(wrong.output().contains("FAIL prompt"), wrong.output());

        // Another researcher cannot read alice's receipt at all (the gateway answers 404: not theirs).
        ConformanceProbe.Run victor = receipt(requestId, gateway.token("victor"), prompt, common);
        assertEquals(2, victor.exit(), victor.output());
        assertTrue(victor.output().contains("404"), victor.output());
    }

    private static ConformanceProbe.Run receipt(String requestId, String token, Path prompt, List<String> common) {
        List<String> args =
                new ArrayList<>(List.of("receipt", requestId, "--token", token, "--prompt", prompt.toString()));
        args.addAll(common);
        args.addAll(List.of("--wait-s", "30"));
        return ConformanceProbe.verifier(args.toArray(String[]::new));
    }

    /** The base64 hashes of a proof answer. */
    private static List<byte[]> hashes(String proof) {
        List<byte[]> hashes = new ArrayList<>();
        GatewayFixture.read(proof)
                .path("hashes")
                .forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
        return hashes;
    }

    /** A usage leaf on the grant, started now, appended with the gateway's service account (the usage owner). */
    private static long appendUsage(Ledger ledger, GatewayFixture.Granted granted) {
        return appendUsage(ledger, granted, Map.of());
    }

    /** As above, with {@code more} fields set on the leaf (e.g. a commitment and its scope tags). */
    static long appendUsage(Ledger ledger, GatewayFixture.Granted granted, Map<String, Object> more) {
        Map<String, Object> usage = Ledger.usage(granted.subject(), granted.grantLeaf(), 10, 10);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        usage.put("model", granted.model());
        usage.put("grantId", granted.grantId());
        usage.put("startedAt", now.minusMillis(100).toString());
        usage.put("finishedAt", now.toString());
        usage.put("latencyMs", 100);
        usage.putAll(more);
        return ledger.append(ledger.appenderToken("usage"), List.of(Ledger.item("usage", usage)))
                .then()
                .statusCode(200)
                .extract()
                .<Number>path("results[0].index")
                .longValue();
    }
}
