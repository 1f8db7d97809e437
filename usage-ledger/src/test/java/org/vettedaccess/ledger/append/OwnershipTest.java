package org.vettedaccess.ledger.append;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.vettedaccess.ledger.config.AppendersConfig;
import org.vettedaccess.ledger.entry.EntryType;

/** The ownership map as the ledger ships it (its application.properties), and what a configuration may not say. */
class OwnershipTest {

    private static Ownership shipped() throws IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(
                        new PropertiesConfigSource(OwnershipTest.class.getResource("/application.properties"), 250))
                .withMapping(AppendersConfig.class)
                .build();
        return new Ownership(config.getConfigMapping(AppendersConfig.class));
    }

    private static Set<String> owned(Ownership ownership, String appender) {
        return ownership.ownedBy(appender).stream().map(EntryType::wireName).collect(Collectors.toSet());
    }

    @Test
    void theShippedMapIsTheContracts() throws IOException {
        Ownership ownership = shipped();
        assertEquals(Set.of("usage", "key.issued", "key.revoked"), owned(ownership, "gateway"));
        assertEquals(Set.of("kyc.decision"), owned(ownership, "kyc-service"));
        assertEquals(
                Arrays.stream(EntryType.values())
                        .map(EntryType::wireName)
                        .filter(t -> t.startsWith("grant.")
                                || t.startsWith("handoff.")
                                || t.startsWith("killswitch.")
                                || t.startsWith("model.")
                                || t.startsWith("tier.")
                                || t.startsWith("incident.")
                                || t.startsWith("tripwire."))
                        .collect(Collectors.toSet()),
                owned(ownership, "access-policy"));
        assertTrue(owned(ownership, "access-policy").contains("killswitch.release-requested"));
        assertTrue(owned(ownership, "access-policy").contains("tier.change-requested"));
        assertTrue(owned(ownership, "access-policy").contains("incident.reported"));
        assertTrue(owned(ownership, "access-policy").contains("handoff.refused"));
    }

    @Test
    void everyTypeHasExactlyOneOwnerAndNobodyAppendsWhatTheLedgerWrites() throws IOException {
        Ownership ownership = shipped();
        List<String> appenders = List.of("gateway", "kyc-service", "access-policy");
        for (EntryType type : EntryType.values()) {
            long owners =
                    appenders.stream().filter(a -> ownership.owns(a, type)).count();
            assertEquals(type.ledgerOnly() ? 0 : 1, owners, type.wireName());
        }
        assertFalse(ownership.owns("usage-ledger", EntryType.USAGE), "an account not in the map owns nothing");
        assertFalse(ownership.owns(null, EntryType.USAGE), "a token without a client id owns nothing");
        assertFalse(ownership.owns("gateway", EntryType.DISCLOSURE));
    }

    @Test
    void aConfigurationCannotHandOutLedgerOnlyTypesOrNameTypesThatDoNotExist() {
        assertThrows(
                IllegalArgumentException.class, () -> new Ownership(Map.of("gateway", List.of("usage", "disclosure"))));
        assertThrows(IllegalArgumentException.class, () -> new Ownership(Map.of("gateway", List.of("disclosure.*"))));
        assertThrows(IllegalArgumentException.class, () -> new Ownership(Map.of("gateway", List.of("grant.deleted"))));
        assertThrows(IllegalArgumentException.class, () -> new Ownership(Map.of("gateway", List.of("usage.*"))));
        Ownership families = new Ownership(Map.of("ops", List.of("killswitch.*")));
        assertEquals(
                Set.of("killswitch.engaged", "killswitch.released", "killswitch.release-requested"),
                owned(families, "ops"));
    }
}
