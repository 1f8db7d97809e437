package org.vettedaccess.gateway.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StaffNamesTest {

    private static final String PAULA = "7f0c2a4e-1111-4b7e-9a55-2d3c4e5f6a7b";
    private static final String UNKNOWN = "7f0c2a4e-2222-4b7e-9a55-2d3c4e5f6a7b";

    @Test
    void namesKnownIdsKeepsTheRestAsIdsAndAsksKeycloakOncePerId() {
        List<String> asked = new ArrayList<>();
        StaffNames names = new StaffNames(id -> {
            asked.add(id);
            return id.equals(PAULA) ? Optional.of("Paula Moreau") : Optional.empty();
        });

        StaffNames.Names shown = names.of(Arrays.asList(PAULA, UNKNOWN, null, "tripwire", PAULA));

        assertEquals("Paula Moreau", shown.of(PAULA));
        assertEquals(UNKNOWN, shown.of(UNKNOWN), "an id Keycloak does not know is shown as the id");
        assertEquals("tripwire", shown.of("tripwire"), "a non-UUID actor is shown as it is, never looked up");
        assertEquals("", shown.of(null));
        assertTrue(shown.has(PAULA));
        assertFalse(shown.has(UNKNOWN));
        assertEquals(List.of(PAULA, UNKNOWN), asked);

        names.of(List.of(PAULA, UNKNOWN));
        assertEquals(List.of(PAULA, UNKNOWN), asked, "answers (a name or none) are kept");
    }

    @Test
    void aFailedLookupShowsTheIdAndIsAskedAgainNextTime() {
        AtomicBoolean down = new AtomicBoolean(true);
        StaffNames names = new StaffNames(id -> {
            if (down.get()) {
                throw new IllegalStateException("connection refused");
            }
            return Optional.of("Paula Moreau");
        });

        assertEquals(PAULA, names.of(List.of(PAULA)).of(PAULA));
        down.set(false);
        assertEquals("Paula Moreau", names.of(List.of(PAULA)).of(PAULA));
    }

    @Test
    void atMostAHundredDistinctIdsAreLookedUpForOnePage() {
        List<String> asked = new ArrayList<>();
        StaffNames names = new StaffNames(id -> {
            asked.add(id);
            return Optional.of("someone");
        });
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(UUID.randomUUID().toString());
        }

        Map<String, String> found = names.of(many).byId();

        assertEquals(100, asked.size());
        assertEquals(100, found.size());
    }
}
