package org.vettedaccess.ledger.verifier.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a catalog or tier version loosened access against the one before it: the same comparison access-policy
 * makes before it asks for a second admin (ModelChange, TierChange), here on the leaves.
 */
final class Loosening {

    private Loosening() {}

    /** A model version loosens unless tier and risk inputs stay or rise, status stays or suspends, route,
     * parameter family and Responses API mode stay.
     */
    static boolean model(JsonNode before, JsonNode after) {
        if (before == null) {
            return true;
        }
        boolean restrictive = after.path("requiredTier").asLong()
                        >= before.path("requiredTier").asLong()
                && after.path("trainingFlop").asDouble()
                        >= before.path("trainingFlop").asDouble()
                && texts(after.path("evalFlags")).containsAll(texts(before.path("evalFlags")))
                && (after.path("status").equals(before.path("status"))
                        || after.path("status").asText().equals("SUSPENDED"))
                && after.path("upstreamRoute").equals(before.path("upstreamRoute"))
                // Absent (a version logged before issue 22) means CHAT and TRANSLATED, as access-policy reads it.
                && after.path("parameterFamily")
                        .asText("CHAT")
                        .equals(before.path("parameterFamily").asText("CHAT"))
                && after.path("responsesApi")
                        .asText("TRANSLATED")
                        .equals(before.path("responsesApi").asText("TRANSLATED"))
                && nodes(after.path("disclosures")).containsAll(nodes(before.path("disclosures")));
        return !restrictive;
    }

    /** A tier version loosens unless every requirement stays or rises and every limit stays or shrinks. */
    static boolean tier(JsonNode before, JsonNode after) {
        JsonNode b = before.path("limits");
        JsonNode a = after.path("limits");
        boolean restrictive = after.path("minAssurance").asLong()
                        >= before.path("minAssurance").asLong()
                && after.path("reviewers").asLong() >= before.path("reviewers").asLong()
                && (after.path("purposeRequired").asBoolean()
                        || !before.path("purposeRequired").asBoolean())
                && atMostOrNone(after.path("rescreenDays"), before.path("rescreenDays"))
                && a.path("rpm").asLong() <= b.path("rpm").asLong()
                && a.path("inputTpm").asLong() <= b.path("inputTpm").asLong()
                && a.path("outputTpm").asLong() <= b.path("outputTpm").asLong()
                && a.path("maxTokens").asLong() <= b.path("maxTokens").asLong()
                && atMostOrNone(a.path("tokenBudget"), b.path("tokenBudget"))
                && texts(before.path("endpoints")).containsAll(texts(after.path("endpoints")))
                && after.path("maxGrantDays").asLong()
                        <= before.path("maxGrantDays").asLong()
                && after.path("keyDefaultDays").asLong()
                        <= before.path("keyDefaultDays").asLong()
                && after.path("keyMaxDays").asLong()
                        <= before.path("keyMaxDays").asLong()
                && (!after.path("autoGrant").asBoolean()
                        || before.path("autoGrant").asBoolean());
        return !restrictive;
    }

    /** Distinct actors of a change. */
    static int actors(JsonNode leaf) {
        return texts(leaf.path("actors")).size();
    }

    /** {@code after} is as strict as {@code before} where absent means none (no re-screening, no budget). */
    private static boolean atMostOrNone(JsonNode after, JsonNode before) {
        return before.isMissingNode() || (!after.isMissingNode() && after.asLong() <= before.asLong());
    }

    static Set<String> texts(JsonNode array) {
        Set<String> texts = new HashSet<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static Set<JsonNode> nodes(JsonNode array) {
        Set<JsonNode> nodes = new HashSet<>();
        array.forEach(nodes::add);
        return nodes;
    }
}
