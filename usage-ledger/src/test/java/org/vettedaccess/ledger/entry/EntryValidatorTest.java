package org.vettedaccess.ledger.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.core.Jcs;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** The entry types of issue 17 and their field kinds (NUMBER, FLAG, DOCUMENTS), good values and bad. */
class EntryValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pseudonyms PSEUDONYMS = new Pseudonyms(config());
    private static final EntryValidator VALIDATOR = new EntryValidator(PSEUDONYMS);

    private static LedgerConfig config() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(LedgerConfig.class)
                .withSources(new PropertiesConfigSource(
                        // Quarkus reads "10s"; plain SmallRye Config, as here, reads ISO-8601 durations.
                        Map.of(
                                "ledger.pseudonym-key",
                                "unit-test-pseudonym-key",
                                "ledger.checkpoint-interval",
                                "PT10S",
                                "ledger.witness-timeout",
                                "PT5S"),
                        "unit-test",
                        400))
                .build();
        return config.getConfigMapping(LedgerConfig.class);
    }

    static ObjectNode model() {
        ObjectNode model = JSON.createObjectNode()
                .put("modelId", "frontier-1")
                .put("upstreamRoute", "sim")
                .put("trainingFlop", 3.1e25)
                .put("riskClass", "SYSTEMIC")
                .put("requiredTier", 3)
                .put("status", "ACTIVE")
                .put("version", 4);
        model.putArray("evalFlags").add("cbrn-uplift");
        model.putArray("disclosures")
                .addObject()
                .put("kind", "model-card")
                .put("url", "https://lab.example.org/cards/frontier-1")
                .put("sha256", "ab".repeat(32));
        model.putArray("actors").add("admin-one");
        return model;
    }

    static ObjectNode tier() {
        ObjectNode tier = JSON.createObjectNode()
                .put("tier", 3)
                .put("version", 2)
                .put("minAssurance", 3)
                .put("reviewers", 2)
                .put("purposeRequired", true)
                .put("rescreenDays", 30)
                .put("maxGrantDays", 90)
                .put("keyDefaultDays", 30)
                .put("keyMaxDays", 90)
                .put("autoGrant", false);
        tier.putObject("limits")
                .put("rpm", 10)
                .put("inputTpm", 20_000)
                .put("outputTpm", 5_000)
                .put("maxTokens", 4096)
                .put("tokenBudget", 1_000_000);
        tier.putArray("endpoints").add("/v1/chat/completions");
        tier.putArray("actors").add("admin-one");
        return tier;
    }

    /** A usage entry as the gateway's UsageRecord writes it. */
    static ObjectNode usage() {
        return JSON.createObjectNode()
                .put("subject", "researcher-sub-1")
                .put("model", "frontier-1")
                .put("endpoint", "/v1/chat/completions")
                .put("grantId", "7f1c0a52-3c1e-4d33-9d3c-2f1c0a523c1e")
                .put("grantLeaf", 12)
                .put("decisionId", "0b7c9a52-3c1e-4d33-9d3c-2f1c0a523c1e")
                .put("policyVersion", "v7")
                .put("startedAt", "2026-12-01T10:00:00.123Z")
                .put("promptCommitment", "ab".repeat(32))
                .put("keyId", "5e1c0a52-3c1e-4d33-9d3c-2f1c0a523c1e")
                .put("inputTokens", 12)
                .put("outputTokens", 200)
                .put("status", "client_cancelled")
                .put("latencyMs", 35)
                .put("finishedAt", "2026-12-01T10:00:00.158Z");
    }

    @Test
    void takesAUsageEntryAsTheGatewayWritesItAndItsKeyIdIsOptional() {
        PreparedEntry prepared = prepare("usage", usage());
        assertEquals(EntryType.USAGE, prepared.type());
        assertEquals("frontier-1", prepared.model());
        assertEquals(200L, ((Number) prepared.fields().get("outputTokens")).longValue());
        ObjectNode byToken = usage();
        byToken.remove("keyId");
        assertEquals(EntryType.USAGE, prepare("usage", byToken).type());
    }

    static ObjectNode killSwitch() {
        ObjectNode entry = JSON.createObjectNode().put("switchId", "ks-1").put("reason", "tripwire");
        entry.putObject("scope").putArray("models").add("frontier-1");
        entry.putArray("actors").add("admin-one");
        return entry;
    }

    @Test
    void aScopedKillSwitchMayNameOneModelAndAScopeTripNamesItsScope() {
        // ADR 0045: an INSTITUTION or COUNTRY switch on one model; "model" never stands alone (that is "models").
        ObjectNode scoped = killSwitch();
        scoped.putObject("scope")
                .put("model", "frontier-1")
                .putArray("institutions")
                .add("052gg0110");
        assertEquals(
                Map.of("institutions", List.of("052gg0110"), "model", "frontier-1"),
                prepare("killswitch.engaged", scoped).fields().get("scope"));
        ObjectNode alone = killSwitch();
        alone.putObject("scope").put("model", "frontier-1");
        assertThrows(ProblemException.class, () -> prepare("killswitch.engaged", alone));
        ObjectNode trip = JSON.createObjectNode()
                .put("tripId", "t-1")
                .put("ruleId", "r-1")
                .put("ruleVersion", 1)
                .put("ruleLeaf", 3)
                .put("kind", "CALLS_FROM_SCOPE")
                .put("model", "frontier-1")
                .put("action", "KILL_SWITCH")
                .put("switchId", "ks-1")
                .put("trippedAt", "2026-06-01T12:00:00Z");
        trip.putObject("figures").put("windowSeconds", 30).put("calls", 2).put("callsFromScope", 1);
        trip.putObject("scope").putArray("countries").add("DE");
        trip.putArray("actors").add("gateway");
        assertEquals(
                EntryType.TRIPWIRE_TRIPPED, prepare("tripwire.tripped", trip).type());
        trip.remove("scope");
        trip.put("failedSwitchId", "ks-0");
        assertEquals("ks-0", prepare("tripwire.tripped", trip).fields().get("failedSwitchId"));
    }

    static PreparedEntry prepare(String type, JsonNode entry) {
        return VALIDATOR.prepare("key-12345678", type, entry, "entries[0]");
    }

    /**
     * Issue 25: the validator canonicalises an entry once. Its canonical form is the fields' RFC 8785 form, and the
     * request hash made from it is the hash of the whole {type, fields} object as before, so a retry of an entry
     * stored by an older ledger is still recognised as a retry (not a 409).
     */
    @Test
    void theFieldsAreCanonicalisedOnceAndTheRequestHashIsUnchanged() {
        for (PreparedEntry prepared : List.of(prepare("usage", usage()), prepare("model.registered", model()))) {
            assertEquals(
                    new String(Jcs.canonicalize(prepared.fields()), StandardCharsets.UTF_8),
                    prepared.canonical().json());
            assertArrayEquals(
                    org.vettedaccess.ledger.core.Hashes.sha256(
                            Jcs.canonicalize(Map.of("type", prepared.type().wireName(), "fields", prepared.fields()))),
                    prepared.requestHash());
        }
    }

    /** The leaf adds type and loggedAt to the fields (Jcs.CanonicalObject#plus refuses a clash); none declares them. */
    @Test
    void noEntryTypeHasAFieldTheLedgerAddsToTheLeaf() {
        for (EntryType type : EntryType.values()) {
            assertFalse(type.fields().containsKey("type"), type.wireName());
            assertFalse(type.fields().containsKey("loggedAt"), type.wireName());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.registered", "model.changed", "model.change-requested"})
    void takesACatalogEntryWithItsFlopAsAJcsNumberAndActorsAsPseudonyms(String type) {
        PreparedEntry prepared = prepare(type, model());
        assertEquals(EntryType.fromWire(type).orElseThrow(), prepared.type());
        assertEquals(3.1e25, prepared.fields().get("trainingFlop"));
        assertEquals(List.of(PSEUDONYMS.of("admin-one")), prepared.fields().get("actors"));
        assertEquals("frontier-1", prepared.model(), "catalog leaves are found by ?model=");
        String canonical = new String(Jcs.canonicalize(prepared.fields()), StandardCharsets.UTF_8);
        assertTrue(canonical.contains("\"trainingFlop\":3.1e+25"), canonical);
        assertTrue(
                canonical.contains("\"disclosures\":[{\"kind\":\"model-card\",\"sha256\":\"" + "ab".repeat(32)
                        + "\",\"url\":\"https://lab.example.org/cards/frontier-1\"}]"),
                canonical);
        assertFalse(canonical.contains("admin-one"), "no raw subject id in a leaf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tier.changed", "tier.change-requested"})
    void takesAWholeTierVersion(String type) {
        PreparedEntry prepared = prepare(type, tier());
        assertEquals(true, prepared.fields().get("purposeRequired"));
        assertEquals(false, prepared.fields().get("autoGrant"));
        assertEquals(1_000_000L, ((Map<?, ?>) prepared.fields().get("limits")).get("tokenBudget"));
    }

    static ObjectNode incidentReport() {
        ObjectNode entry = JSON.createObjectNode()
                .put("reportId", "report-1")
                .put("model", "frontier-1")
                .put("category", "SAFEGUARD_BYPASS")
                .put("severity", "CRITICAL")
                .put("textCommitment", "cd".repeat(32))
                .put("reporter", "researcher-one")
                .put("acknowledgeBy", "2026-01-02T00:00:00Z")
                .put("mitigateBy", "2026-01-08T00:00:00Z")
                .put("embargoUntil", "2026-04-01T00:00:00Z");
        entry.putArray("receiptLeaves").add(7).add(9);
        return entry;
    }

    @Test
    void takesAnIncidentReportWithItsReceiptLeavesAndThePseudonymOfItsReporter() {
        PreparedEntry prepared = prepare("incident.reported", incidentReport());
        assertEquals(EntryType.INCIDENT_REPORTED, prepared.type());
        assertEquals(List.of(7L, 9L), prepared.fields().get("receiptLeaves"));
        assertEquals(PSEUDONYMS.of("researcher-one"), prepared.fields().get("reporter"));
        assertEquals("frontier-1", prepared.model());
        ObjectNode badSeverity = incidentReport().put("severity", "URGENT");
        assertTrue(assertThrows(ProblemException.class, () -> prepare("incident.reported", badSeverity))
                .getMessage()
                .contains("severity"));
        ObjectNode badLeaf = incidentReport();
        badLeaf.putArray("receiptLeaves").add(-1);
        assertThrows(ProblemException.class, () -> prepare("incident.reported", badLeaf));
        ObjectNode withText = incidentReport().put("description", "the jailbreak is ...");
        assertThrows(ProblemException.class, () -> prepare("incident.reported", withText), "the text never goes in");
        ObjectNode mitigated = JSON.createObjectNode()
                .put("reportId", "report-1")
                .put("reportLeaf", 12)
                .put("model", "frontier-1")
                .put("severity", "CRITICAL")
                .put("actor", "triager-one")
                .put("mitigation", "KILL_SWITCH")
                .put("switchId", "switch-1");
        assertEquals(
                EntryType.INCIDENT_MITIGATED,
                prepare("incident.mitigated", mitigated).type());
        ObjectNode linked = killSwitch().put("incidentId", "report-1");
        assertEquals(
                EntryType.KILLSWITCH_ENGAGED,
                prepare("killswitch.engaged", linked).type());
    }

    @Test
    void takesAHandoffRefusalWithACommitmentToItsReasonAndNeverTheReason() {
        ObjectNode refusal = JSON.createObjectNode()
                .put("handoffId", "handoff-1")
                .put("subject", "researcher-one")
                .put("kycLeaf", 41)
                .put("tier", 2)
                .put("reasonCommitment", "cd".repeat(32))
                .put("actor", "admin-one")
                .put("at", "2026-12-03T18:00:00Z");
        refusal.putArray("models").add("frontier-1");
        PreparedEntry prepared = prepare("handoff.refused", refusal);
        assertEquals(EntryType.HANDOFF_REFUSED, prepared.type());
        assertEquals(PSEUDONYMS.of("researcher-one"), prepared.fields().get("subject"));
        ObjectNode withReason = refusal.deepCopy().put("reason", "purpose too vague");
        assertThrows(ProblemException.class, () -> prepare("handoff.refused", withReason), "the reason never goes in");
        ObjectNode noCommitment = refusal.deepCopy();
        noCommitment.remove("reasonCommitment");
        assertThrows(ProblemException.class, () -> prepare("handoff.refused", noCommitment));
    }

    @Test
    void takesAKillSwitchReleaseRequestAndTheOptionalFieldsMayBeAbsent() {
        assertEquals(
                EntryType.KILLSWITCH_RELEASE_REQUESTED,
                prepare("killswitch.release-requested", killSwitch()).type());
        ObjectNode model = model();
        model.remove("disclosures");
        model.put("changeId", "change-7");
        model.putArray("actors").add("requester").add("confirmer");
        assertFalse(prepare("model.changed", model).fields().containsKey("disclosures"));
        ObjectNode tier = tier();
        tier.remove("rescreenDays");
        ((ObjectNode) tier.get("limits")).remove("tokenBudget");
        assertFalse(((Map<?, ?>) prepare("tier.changed", tier).fields().get("limits")).containsKey("tokenBudget"));
        ObjectNode noDocuments = model();
        noDocuments.putArray("disclosures");
        assertEquals(
                List.of(), prepare("model.registered", noDocuments).fields().get("disclosures"));
    }

    @Test
    void aModelVersionMayNameItsParameterFamilyAndResponsesApiFromTheKnownValuesOnly() {
        ObjectNode reasoning = model().put("parameterFamily", "REASONING").put("responsesApi", "NATIVE");
        assertEquals("REASONING", prepare("model.changed", reasoning).fields().get("parameterFamily"));
        assertEquals("NATIVE", prepare("model.changed", reasoning).fields().get("responsesApi"));
        assertFalse(prepare("model.changed", model()).fields().containsKey("parameterFamily"), "older versions");
        ProblemException family = assertThrows(
                ProblemException.class, () -> prepare("model.changed", model().put("parameterFamily", "o1")));
        assertTrue(family.getMessage().contains("parameterFamily"), family.getMessage());
        assertThrows(ProblemException.class, () -> prepare("model.registered", model().put("responsesApi", "MAYBE")));
    }

    @Test
    void equalNumbersGiveEqualEntriesHoweverTheyAreWritten() throws Exception {
        ObjectNode plain = model();
        plain.set("trainingFlop", JSON.readTree("31000000000000000000000000"));
        ObjectNode exponent = model();
        exponent.set("trainingFlop", JSON.readTree("3.1E+25"));
        assertArrayEquals(
                prepare("model.changed", model()).requestHash(),
                prepare("model.changed", plain).requestHash());
        assertArrayEquals(
                prepare("model.changed", model()).requestHash(),
                prepare("model.changed", exponent).requestHash());
        ObjectNode zero = model();
        zero.set("trainingFlop", JSON.readTree("-0.0"));
        assertEquals(0.0, prepare("model.changed", zero).fields().get("trainingFlop"));
        ObjectNode other = model();
        other.put("trainingFlop", 3.2e25);
        assertFalse(java.util.Arrays.equals(
                prepare("model.changed", model()).requestHash(),
                prepare("model.changed", other).requestHash()));
    }

    /** A bad value, the entry it goes in, and the field the 400 must name. */
    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("model.registered", "trainingFlop", m -> m.put("trainingFlop", -1)),
                bad("model.registered", "trainingFlop", m -> m.put("trainingFlop", "3e25")),
                bad("model.registered", "trainingFlop", m -> m.set("trainingFlop", parse("1e400"))),
                bad("model.registered", "trainingFlop", m -> m.put("trainingFlop", true)),
                bad("model.registered", "trainingFlop", m -> m.remove("trainingFlop")),
                bad("model.registered", "riskClass", m -> m.put("riskClass", "LOW")),
                bad("model.changed", "status", m -> m.put("status", "DELETED")),
                bad("model.changed", "requiredTier", m -> m.put("requiredTier", 1.5)),
                bad("model.changed", "evalFlags", m -> m.put("evalFlags", "none")),
                bad("model.changed", "email", m -> m.put("email", "admin@lab.example.org")),
                bad("model.changed", "actors", m -> m.putArray("actors")),
                bad(
                        "model.changed",
                        "actors",
                        m -> m.putArray("actors").add("a").add("b").add("c")),
                bad(
                        "model.changed",
                        "actors",
                        m -> m.putArray("actors").add("same").add("same")),
                bad("model.changed", "actors[0]", m -> m.putArray("actors").add("admin@lab.example.org")),
                bad("model.changed", "disclosures", m -> {
                    ArrayNode many = m.putArray("disclosures");
                    for (int i = 0; i < 21; i++) {
                        many.addObject()
                                .put("kind", "card")
                                .put("url", "https://lab.example.org/" + i)
                                .put("sha256", "ab".repeat(32));
                    }
                }),
                bad("model.changed", "disclosures", m -> m.put("disclosures", "https://lab.example.org/card")),
                bad(
                        "model.changed",
                        "disclosures[0]",
                        m -> m.putArray("disclosures").add("https://x.example")),
                bad("model.changed", "disclosures[0].sha256", m -> document(m).remove("sha256")),
                bad("model.changed", "disclosures[0].sha256", m -> document(m).put("sha256", "AB".repeat(32))),
                bad("model.changed", "disclosures[0].url", m -> document(m).put("url", "ftp://lab.example.org/c")),
                bad("model.changed", "disclosures[0].url", m -> document(m).put("url", "javascript:alert(1)")),
                bad("model.changed", "disclosures[0].url", m -> document(m).put("url", "not a url")),
                bad("model.changed", "disclosures[0].author", m -> document(m).put("author", "Ann")),
                bad("model.changed", "disclosures[0].kind", m -> document(m).put("kind", "ann@lab.example.org")),
                bad("tier.changed", "purposeRequired", t -> t.put("purposeRequired", "yes")),
                bad("tier.changed", "autoGrant", t -> t.put("autoGrant", 1)),
                bad("tier.changed", "autoGrant", t -> t.remove("autoGrant")),
                bad("tier.changed", "limits.rpm", t -> ((ObjectNode) t.get("limits")).remove("rpm")),
                bad("tier.changed", "limits.burst", t -> ((ObjectNode) t.get("limits")).put("burst", 5)),
                bad("tier.changed", "limits.rpm", t -> ((ObjectNode) t.get("limits")).put("rpm", -1)),
                bad("tier.changed", "endpoints", t -> t.put("endpoints", "/v1/chat/completions")),
                bad("tier.change-requested", "keyMaxDays", t -> t.put("keyMaxDays", "90")),
                bad(
                        "tier.change-requested",
                        "actors",
                        t -> t.putArray("actors").add("same").add("same")),
                bad("killswitch.release-requested", "scope", k -> k.putObject("scope")),
                bad("killswitch.release-requested", "actors", k -> k.remove("actors")),
                // Invariant 7: the prompt and the completion never reach the ledger, only the commitment.
                bad("usage", "prompt", u -> u.put("prompt", "the secret question")),
                bad("usage", "completion", u -> u.put("completion", "the answer")),
                bad("usage", "inputTokens", u -> u.put("inputTokens", -1)),
                bad("usage", "outputTokens", u -> u.put("outputTokens", 1.5)),
                bad("usage", "outputTokens", u -> u.remove("outputTokens")),
                bad("usage", "promptCommitment", u -> u.put("promptCommitment", "not-a-hash")),
                bad("usage", "startedAt", u -> u.put("startedAt", "yesterday")),
                bad("usage", "status", u -> u.remove("status")));
    }

    private static Arguments bad(String type, String field, Consumer<ObjectNode> change) {
        ObjectNode entry = type.equals("usage")
                ? usage()
                : type.startsWith("model.") ? model() : type.startsWith("tier.") ? tier() : killSwitch();
        change.accept(entry);
        return Arguments.of(type, field, entry);
    }

    private static ObjectNode document(ObjectNode model) {
        return (ObjectNode) model.get("disclosures").get(0);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badValues")
    void refusesABadValueNamingTheField(String type, String field, ObjectNode entry) {
        ProblemException refused = assertThrows(ProblemException.class, () -> prepare(type, entry));
        assertEquals(ProblemType.INVALID_REQUEST, refused.type());
        assertTrue(
                refused.getMessage().startsWith("'entries[0].entry." + field + "'"),
                "names " + field + ": " + refused.getMessage());
    }

    @Test
    void aDisclosureReadNamesItsReaderByPseudonym() {
        ObjectNode read = JSON.createObjectNode()
                .put("reader", "regulator-sub")
                .put("readAt", "2026-12-01T10:00:00Z")
                .put("via", "GET /api/v1/entries");
        read.putArray("pseudonyms").add("pseudonym-a");
        PreparedEntry prepared = prepare("disclosure.read", read);
        assertEquals(PSEUDONYMS.of("regulator-sub"), prepared.fields().get("reader"));
        assertTrue(prepared.type().ledgerOnly());
        assertTrue(EntryType.DISCLOSURE.ledgerOnly());
    }
}
