package org.vettedaccess.ledger.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vettedaccess.ledger.entry.EntryValidatorTest.killSwitch;
import static org.vettedaccess.ledger.entry.EntryValidatorTest.prepare;
import static org.vettedaccess.ledger.entry.EntryValidatorTest.usage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** A usage leaf's keyed scope tags (ADR 0046): taken on usage leaves only, in their exact shape. */
class ScopeTagShapesTest {

    /** The gateway's scope tags (ADR 0046): their shape only, under a key id. */
    private static ObjectNode tagged() {
        ObjectNode entry = usage();
        entry.putObject("scopeTags")
                .put("key", "63438630c590e9af")
                .put("institution", "YFx5YKxZH0KugLQ6mYGGrA")
                .put("country", "qmyj1jWte8UU3PKCwI4oMg");
        return entry;
    }

    @Test
    void aUsageEntryMayCarryScopeTagsWithEitherOrBothKinds() {
        assertEquals(
                Map.of(
                        "key", "63438630c590e9af",
                        "institution", "YFx5YKxZH0KugLQ6mYGGrA",
                        "country", "qmyj1jWte8UU3PKCwI4oMg"),
                prepare("usage", tagged()).fields().get("scopeTags"));
        ObjectNode countryOnly = tagged();
        ((ObjectNode) countryOnly.get("scopeTags")).remove("institution");
        assertEquals(2, ((Map<?, ?>) prepare("usage", countryOnly).fields().get("scopeTags")).size());
    }

    @Test
    void onlyUsageEntriesTakeScopeTags() {
        ObjectNode engaged = killSwitch();
        engaged.set("scopeTags", tagged().get("scopeTags"));
        ProblemException refused = assertThrows(ProblemException.class, () -> prepare("killswitch.engaged", engaged));
        assertTrue(refused.getMessage().startsWith("'entries[0].entry.scopeTags'"), refused.getMessage());
    }

    static Stream<Arguments> badScopeTags() {
        return Stream.of(
                badTags("scopeTags.key", t -> t.removeAll()),
                badTags("scopeTags.key", t -> t.remove("key")),
                badTags("scopeTags.key", t -> t.put("key", "63438630C590E9AF")),
                badTags("scopeTags.key", t -> t.put("key", "63438630")),
                badTags("scopeTags", t -> t.remove(List.of("institution", "country"))),
                badTags("scopeTags.institution", t -> t.put("institution", "05qwgg493")),
                badTags("scopeTags.country", t -> t.put("country", "DE")),
                badTags("scopeTags.country", t -> t.put("country", "qmyj1jWte8UU3PKCwI4oMg==")),
                badTags("scopeTags.country", t -> t.put("country", 7)),
                badTags("scopeTags.model", t -> t.put("model", "YFx5YKxZH0KugLQ6mYGGrA")),
                badTags("scopeTags.subject", t -> t.put("subject", "researcher-sub-1")));
    }

    private static Arguments badTags(String field, Consumer<ObjectNode> change) {
        ObjectNode entry = tagged();
        change.accept((ObjectNode) entry.get("scopeTags"));
        return Arguments.of(field, entry);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badScopeTags")
    void refusesScopeTagsOfTheWrongShapeNamingTheField(String field, ObjectNode entry) {
        ProblemException refused = assertThrows(ProblemException.class, () -> prepare("usage", entry));
        assertEquals(ProblemType.INVALID_REQUEST, refused.type());
        assertTrue(
                refused.getMessage().startsWith("'entries[0].entry." + field + "'"),
                "names " + field + ": " + refused.getMessage());
    }
}
