package org.vettedaccess.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.ledger.core.ScopeTags;

/**
 * A usage entry's scope tags (ADR 0046): with a key, a tag for each of the decision's institution and country that a
 * regulator holding the key reproduces from the leaf alone; different on every call; none without a key.
 */
class UsageRecordScopeTagsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScopeTags KEY = ScopeTags.parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

    private static Decision allow(String institution, String country) {
        return new Decision(
                "ALLOW",
                List.of(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                7L,
                1,
                null,
                "sim",
                "v1",
                Instant.now().plusSeconds(3600),
                1_000,
                false,
                "CHAT",
                "TRANSLATED",
                institution,
                country);
    }

    private static JsonNode entry(Decision decision, ScopeTags key, String commitment) throws Exception {
        UsageRecord record = new UsageRecord(
                UUID.randomUUID(),
                "sub-1",
                null,
                "/v1/chat/completions",
                "sim-small",
                decision,
                Instant.now(),
                commitment,
                key);
        return JSON.readTree(record.entry("ok", 10, 20, Instant.now()));
    }

    @Test
    void theRegulatorsKeyReproducesTheTagsFromTheLeafAlone() throws Exception {
        JsonNode leaf = entry(allow("05a28rw58", "CH"), KEY, "ab".repeat(32));
        JsonNode tags = leaf.get("scopeTags");
        assertEquals(KEY.id(), tags.get("key").asText());
        String commitment = leaf.get("promptCommitment").asText();
        assertEquals(
                KEY.tag(commitment, ScopeTags.INSTITUTION, "https://ror.org/05a28rw58"),
                tags.get("institution").asText());
        assertEquals(
                KEY.tag(commitment, ScopeTags.COUNTRY, "CH"),
                tags.get("country").asText());
        assertNotEquals(
                KEY.tag(commitment, ScopeTags.INSTITUTION, "042nb2s44"),
                tags.get("institution").asText());
    }

    @Test
    void twoCallsOfOneInstitutionCarryDifferentTags() throws Exception {
        Decision decision = allow("05a28rw58", "CH");
        JsonNode one = entry(decision, KEY, "ab".repeat(32)).get("scopeTags");
        JsonNode two = entry(decision, KEY, "cd".repeat(32)).get("scopeTags");
        assertNotEquals(one.get("institution"), two.get("institution"), "a reader without the key cannot link them");
        assertNotEquals(one.get("country"), two.get("country"));
        assertEquals(one.get("key"), two.get("key"));
    }

    @Test
    void onlyTheValuesTheDecisionNamesAreTaggedAndNothingWithoutAKey() throws Exception {
        JsonNode countryOnly = entry(allow(null, "CH"), KEY, "ab".repeat(32)).get("scopeTags");
        assertFalse(countryOnly.has("institution"));
        assertTrue(countryOnly.has("country"));
        assertFalse(entry(allow(null, null), KEY, "ab".repeat(32)).has("scopeTags"));
        assertFalse(entry(allow("05a28rw58", "CH"), null, "ab".repeat(32)).has("scopeTags"));
    }
}
