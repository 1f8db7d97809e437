package org.vettedaccess.gateway.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service's JSON becomes the page's record: unknown fields ignored, instants parsed, missing lists empty. */
class ViewsTest {

    private final Views views = new Views(new ObjectMapper().findAndRegisterModules());

    @Test
    void anApplicationAsKycServiceSendsIt() {
        Map<String, Object> answer = Map.of(
                "id",
                "0b5c1a8e-4f7e-4a7b-9d55-1f0a3a0d9c11",
                "state",
                "IN_REVIEW",
                "createdAt",
                "2026-12-02T03:07:41.123456Z",
                "emailProof",
                Map.of("email", "a@tum.de", "state", "PENDING", "attemptsLeft", 4, "sentAt", "x"),
                "timeline",
                List.of(Map.of("state", "DRAFT", "at", "2026-12-02T03:07:41Z")),
                "aFieldThePortalDoesNotShow",
                42);
        ApplicationView view = views.as(answer, ApplicationView.class);
        assertEquals("IN_REVIEW", view.state());
        assertEquals(Instant.parse("2026-12-02T03:07:41.123456Z"), view.createdAt());
        assertEquals(4, view.emailProof().attemptsLeft());
        assertEquals("DRAFT", view.timeline().get(0).state());
        assertEquals(List.of(), view.checks());
        assertNull(view.purpose());
    }

    @Test
    void formValuesShowMissingFieldsEmptyAndModelsCommaSeparated() {
        ApplicationForm.Values values =
                ApplicationForm.Values.of(Map.of("legalName", "Pia", "requestedModels", List.of("a", "b")));
        assertEquals("Pia", values.legalName());
        assertEquals("a, b", values.requestedModels());
        assertEquals("", values.orcid());
    }
}
