package org.vettedaccess.e2e.ledger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.core.SignedNote;
import org.vettedaccess.ledger.core.Tiles;
import org.vettedaccess.suite.LocalSuite;

/**
 * A log monitor (realm role {@code monitor}, demo user mona; ADR 0012) checks the tree as a monitor or witness would:
 * the cosigned checkpoint, a hash tile whose leaf hash matches an inclusion proof against the checkpoint's root, and a
 * consistency proof between two checkpoints. It is refused the leaves themselves (entry bundles) and the regulator's
 * query API.
 */
@ExtendWith(RunningSuite.class)
class MonitorRoleTest {

    @Test
    void aMonitorVerifiesTheTreeButReadsNoEntryAndNoneOfTheRegulatorsApi(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        NoteKeys.Verifier lab = NoteKeys.parseVerifier(ledger.verifierKey());
        ledger.appendChain("monitored-" + UUID.randomUUID(), 1);
        Checkpoint first = Checkpoint.parse(SignedNote.open(ledger.publishCheckpoint(), lab));
        long leaf = ledger.appendChain("monitored-" + UUID.randomUUID(), 2).get(3);
        ledger.publishCheckpoint();
        String mona = keycloak.userToken("mona");

        // The tiled checkpoint, signed by the lab and cosigned by the suite's witness.
        String served = read(mona, ledger.url() + "/checkpoint").asString();
        Checkpoint latest = Checkpoint.parse(SignedNote.open(served, lab));
        assertTrue(latest.size() > leaf, served);
        assertEquals(
                1,
                Cosignature.cosigners(
                                served,
                                List.of(Cosignature.parseVerifier(
                                        suite.witness().vkey())))
                        .size(),
                served);

        // The level-0 hash tile holding the leaf gives the same leaf hash as an inclusion proof, which verifies.
        long tileIndex = leaf / Tiles.WIDTH;
        Tiles.Tile tile = new Tiles.Tile(0, tileIndex, Tiles.width(0, tileIndex, latest.size()));
        byte[] hashes = read(mona, ledger.url() + "/" + tile.path()).asByteArray();
        assertEquals(tile.width() * 32, hashes.length);
        int at = (int) (leaf % Tiles.WIDTH) * 32;
        byte[] fromTile = Arrays.copyOfRange(hashes, at, at + 32);
        JsonPath inclusion = read(
                        mona, ledger.url() + "/api/v1/proofs/inclusion?index=" + leaf + "&treeSize=" + latest.size())
                .jsonPath();
        byte[] leafHash = Base64.getDecoder().decode(inclusion.getString("leafHash"));
        assertArrayEquals(fromTile, leafHash);
        assertTrue(Proofs.verifyInclusion(
                leaf, latest.size(), leafHash, decode(inclusion.getList("hashes")), latest.rootHash()));

        // The log only grew between the two checkpoints.
        JsonPath consistency = read(
                        mona, ledger.url() + "/api/v1/proofs/consistency?from=" + first.size() + "&to=" + latest.size())
                .jsonPath();
        assertTrue(Proofs.verifyConsistency(
                first.size(),
                latest.size(),
                first.rootHash(),
                latest.rootHash(),
                decode(consistency.getList("hashes"))));
        read(mona, ledger.url() + "/api/v1/checkpoint");
        read(mona, ledger.url() + "/api/v1/checkpoints?fromSize=" + first.size());

        // The leaves and everything built on them stay the regulator's.
        String bundle = "/tile/entries/" + Tiles.encodeIndex(tileIndex)
                + (tile.width() < Tiles.WIDTH ? ".p/" + tile.width() : "");
        read(keycloak.userToken("greg"), ledger.url() + bundle);
        List<String> regulatorsApi = List.of(
                bundle,
                "/api/v1/entries",
                "/api/v1/entries/" + leaf,
                "/api/v1/export",
                "/api/v1/export/entries.ndjson",
                "/api/v1/export/usage.csv",
                "/api/v1/conformance",
                "/api/v1/pseudonyms/me");
        List<String> wrong = new ArrayList<>();
        for (String path : regulatorsApi) {
            Response refused = given().auth().oauth2(mona).get(ledger.url() + path);
            if (refused.statusCode() != 403
                    || !String.valueOf(refused.contentType()).startsWith("application/problem+json")) {
                wrong.add("GET " + path + " -> " + refused.statusCode() + " " + refused.contentType());
            }
        }
        String policy = suite.serviceUrl("access-policy");
        for (String url : List.of(policy + "/api/v1/incidents/overview", policy + "/api/v1/tripwires")) {
            int status = given().auth().oauth2(mona).get(url).statusCode();
            if (status != 403) {
                wrong.add("GET " + url + " -> " + status);
            }
        }
        int publish = given().auth()
                .oauth2(mona)
                .post(ledger.url() + "/api/v1/checkpoints")
                .statusCode();
        if (publish != 403) {
            wrong.add("POST /api/v1/checkpoints -> " + publish);
        }
        int disclose = given().auth()
                .oauth2(mona)
                .contentType("application/json")
                .body(Map.of("subject", "s", "displayName", "d", "legalBasis", "l", "reason", "r", "disclosedTo", "x"))
                .post(ledger.url() + "/api/v1/disclosures")
                .statusCode();
        if (disclose != 403) {
            wrong.add("POST /api/v1/disclosures -> " + disclose);
        }
        assertTrue(wrong.isEmpty(), "a monitor reached the regulator's material:\n" + String.join("\n", wrong));
    }

    private static Response read(String token, String url) {
        Response response = given().auth().oauth2(token).get(url);
        assertEquals(200, response.statusCode(), url + ": " + response.asString());
        return response;
    }

    private static List<byte[]> decode(List<String> base64) {
        return base64.stream().map(Base64.getDecoder()::decode).toList();
    }
}
