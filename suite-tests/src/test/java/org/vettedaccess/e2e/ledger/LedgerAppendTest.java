package org.vettedaccess.e2e.ledger;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** Appending through the running ledger: durable contiguous indices, idempotent retries, strict validation. */
@ExtendWith(RunningSuite.class)
class LedgerAppendTest {

    @Test
    void aBatchGetsContiguousIndicesAndARetryGetsTheSameOnes(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        String alice = Jwts.payload(keycloak.userToken("alice")).get("sub").asText();
        long kyc = ledger.appendOk(List.of(Ledger.item("kyc.decision", Ledger.kycDecision(alice))))
                .get(0);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(Ledger.item("grant.issued", Ledger.grant(alice, kyc)));
        }
        List<Long> first = ledger.appendOk(batch);
        for (int i = 1; i < first.size(); i++) {
            assertEquals(first.get(0) + i, first.get(i), "contiguous indices in request order");
        }
        Response retry = ledger.append(ledger.appenderToken("grant.issued"), batch);
        retry.then().statusCode(200).body("results.duplicate", equalTo(List.of(true, true, true, true, true)));
        assertEquals(first, retry.jsonPath().getList("results.index", Long.class));
    }

    @Test
    void aKeyReusedForADifferentEntryIsAConflictAndStoresNothing(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        String key = "e2e-conflict-" + System.nanoTime();
        ledger.appendOk(List.of(Ledger.item(key, "kyc.decision", Ledger.kycDecision("subject-a"))));
        Map<String, Object> fresh = Ledger.item("kyc.decision", Ledger.kycDecision("subject-b"));
        Response conflict = ledger.append(
                ledger.appenderToken("kyc.decision"),
                List.of(fresh, Ledger.item(key, "kyc.decision", Ledger.kycDecision("subject-c"))));
        assertProblem(conflict, 409, "conflict");
        // The other entry of the refused request was not stored: appending it now is not a duplicate.
        ledger.append(ledger.appenderToken("kyc.decision"), List.of(fresh))
                .then()
                .statusCode(200)
                .body("results[0].duplicate", equalTo(false));
    }

    @Test
    void refusesUnknownTypesMissingFieldsAndPersonalDataNamingTheField(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        String token = ledger.appenderToken("usage");
        assertProblem(ledger.append(token, List.of(Ledger.item("usage.deleted", Map.of()))), 400, "invalid-request");
        ledger.append(token, List.of(Ledger.item("usage.deleted", Map.of())))
                .then()
                .body("detail", containsString("entries[0].type"));

        Map<String, Object> missing = new HashMap<>(Ledger.usage("subject-a", 0, 1, 1));
        missing.remove("promptCommitment");
        ledger.append(token, List.of(Ledger.item("usage", missing)))
                .then()
                .statusCode(400)
                .body("detail", containsString("entries[0].entry.promptCommitment' is required"));

        Map<String, Object> withEmail = new HashMap<>(Ledger.usage("subject-a", 0, 1, 1));
        withEmail.put("email", "alice@uni-example.edu");
        ledger.append(token, List.of(Ledger.item("usage", withEmail)))
                .then()
                .statusCode(400)
                .body("detail", containsString("entries[0].entry.email' is not a field"));

        Map<String, Object> emailAsSubject = new HashMap<>(Ledger.usage("alice@uni-example.edu", 0, 1, 1));
        ledger.append(token, List.of(Ledger.item("usage", emailAsSubject)))
                .then()
                .statusCode(400)
                .body("detail", containsString("entries[0].entry.subject"));

        Map<String, Object> emailInText = new HashMap<>(Ledger.usage("subject-a", 0, 1, 1));
        emailInText.put("status", "error for alice@uni-example.edu");
        ledger.append(token, List.of(Ledger.item("usage", emailInText)))
                .then()
                .statusCode(400)
                .body("detail", containsString("personal data"));

        Map<String, Object> negative = new HashMap<>(Ledger.usage("subject-a", 0, -1, 1));
        ledger.append(token, List.of(Ledger.item("usage", negative)))
                .then()
                .statusCode(400)
                .body("detail", containsString("inputTokens"));
    }

    @Test
    void sixteenConcurrentWritersGetNoGapsAndNoDuplicates(LocalSuite suite, Keycloak keycloak) throws Exception {
        Ledger ledger = new Ledger(suite, keycloak);
        String token = ledger.appenderToken("kyc.decision");
        int writers = 16;
        int requestsPerWriter = 10;
        int entriesPerRequest = 3;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            futures.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                for (int r = 0; r < requestsPerWriter; r++) {
                    List<Map<String, Object>> items = new ArrayList<>();
                    for (int e = 0; e < entriesPerRequest; e++) {
                        items.add(Ledger.item("kyc.decision", Ledger.kycDecision("writer-subject")));
                    }
                    List<Long> indices = ledger.append(token, items)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("results.index", Long.class);
                    // Every other request is retried, as a client that lost the response would.
                    if (r % 2 == 0) {
                        assertEquals(
                                indices, ledger.append(token, items).jsonPath().getList("results.index", Long.class));
                    }
                    mine.addAll(indices);
                }
                return mine;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> future : futures) {
            all.addAll(future.get());
        }
        pool.shutdown();
        Set<Long> unique = new TreeSet<>(all);
        assertEquals(writers * requestsPerWriter * entriesPerRequest, all.size());
        assertEquals(all.size(), unique.size(), "no index was handed out twice");
        long lowest = ((TreeSet<Long>) unique).first();
        long highest = ((TreeSet<Long>) unique).last();
        assertEquals(all.size() - 1, highest - lowest, "no gaps: the indices form one contiguous run");
        assertTrue(lowest >= 0);
    }
}
