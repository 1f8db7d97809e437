package org.vettedaccess.gateway.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.MultivaluedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The form's prefill from the profile, and step 3's models from the catalog with the tier that follows from them. */
class ApplicationFormTest {

    private static final List<ApplicationForm.CatalogModel> CATALOG = List.of(
            new ApplicationForm.CatalogModel("small", 1, "ACTIVE"),
            new ApplicationForm.CatalogModel("medium", 2, "ACTIVE"),
            new ApplicationForm.CatalogModel("frontier", 3, "ACTIVE"),
            new ApplicationForm.CatalogModel("paused", 1, "SUSPENDED"));

    private static MultivaluedHashMap<String, String> step3(String... models) {
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.put("requestedModels", List.of(models));
        form.putSingle("purpose", "Evals");
        return form;
    }

    @Test
    void aNewApplicationShowsTheProfilesNameAndEmailAndNothingElse() {
        ApplicationForm.Values values =
                ApplicationForm.Values.prefilled(new ApplicationForm.Profile("Pia Portal", "pia@example.org"));
        assertEquals("Pia Portal", values.legalName());
        assertEquals("pia@example.org", values.email());
        assertEquals("", values.orcid());
        // Still editable: what the researcher types is what is sent.
        MultivaluedHashMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("legalName", "Pia P. Portal");
        assertEquals("Pia P. Portal", ApplicationForm.fields(form, 1, "t").get("legalName"));
    }

    @Test
    void theTierRequestedIsTheHighestTheTickedModelsNeed() {
        Map<String, Object> fields = ApplicationForm.fields(step3("small", "medium"), 3, "t", CATALOG);
        assertEquals(List.of("small", "medium"), fields.get("requestedModels"));
        assertEquals(2, fields.get("requestedTier"));
        assertEquals(
                3,
                ApplicationForm.fields(step3("frontier", "small"), 3, "t", CATALOG)
                        .get("requestedTier"));
        assertEquals("Evals", fields.get("purpose"));
    }

    @Test
    void noModelTickedClearsTheModelsAndSetsNoTier() {
        Map<String, Object> fields = ApplicationForm.fields(step3(), 3, "t", CATALOG);
        assertEquals(List.of(), fields.get("requestedModels"));
        assertFalse(fields.containsKey("requestedTier"));
    }

    @Test
    void aModelIdNotInTheCatalogIsRefusedBesideTheField() {
        PortalProblem unknown = assertThrows(
                PortalProblem.class, () -> ApplicationForm.fields(step3("small", "gpt-x"), 3, "t", CATALOG));
        assertEquals(400, unknown.status());
        assertEquals("requestedModels", unknown.field());
        assertTrue(unknown.getMessage().contains("gpt-x is not a model of the catalog"), unknown.getMessage());
        // A suspended model is not offered, so it cannot be requested either.
        assertThrows(PortalProblem.class, () -> ApplicationForm.fields(step3("paused"), 3, "t", CATALOG));
    }

    @Test
    void aTierSentBelowTheModelsNeedIsRefusedAndAHigherOneKept() {
        MultivaluedHashMap<String, String> low = step3("frontier");
        low.putSingle("requestedTier", "1");
        PortalProblem refused = assertThrows(PortalProblem.class, () -> ApplicationForm.fields(low, 3, "t", CATALOG));
        assertEquals("requestedModels", refused.field());
        assertTrue(refused.getMessage().contains("frontier needs tier 3"), refused.getMessage());
        MultivaluedHashMap<String, String> high = step3("small");
        high.putSingle("requestedTier", "3");
        assertEquals(3, ApplicationForm.fields(high, 3, "t", CATALOG).get("requestedTier"));
    }

    @Test
    void aRefusedFormComesBackWithEveryTickedModelTicked() {
        ApplicationForm.Values echo = ApplicationForm.echo(step3("small", "frontier"));
        assertTrue(echo.picks("small"));
        assertTrue(echo.picks("frontier"));
        assertFalse(echo.picks("medium"));
        assertFalse(ApplicationForm.Values.EMPTY.picks("small"));
    }
}
