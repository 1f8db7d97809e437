package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vettedaccess.gateway.incident.IncidentFiling;

/** How {@code POST /v1/incidents} reads its body: a report, or a 400 in the OpenAI envelope, never a 500. */
class IncidentRoutesTest {

    private final ObjectMapper json = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void aReportIsReadWithItsReceiptsAndUnknownFieldsAreIgnored() {
        IncidentFiling.Report report = IncidentRoutes.report(
                "{\"model\":\"m\",\"category\":\"OTHER\",\"severity\":\"LOW\",\"description\":\"d\","
                        + "\"receipts\":[\"r1\",\"r2\"],\"stream\":true}",
                json);
        assertEquals(new IncidentFiling.Report("m", "OTHER", "LOW", "d", List.of("r1", "r2")), report);
    }

    @Test
    void aBodyThatIsNoReportIsInvalidJson() {
        for (String body : new String[] {null, "", "  ", "null", "{\"model\":", "[1,2]", "\"text\""}) {
            OpenAiError refused = assertThrows(OpenAiError.class, () -> IncidentRoutes.report(body, json), body);
            assertEquals(400, refused.status(), body);
            assertEquals("invalid_json", refused.code(), body);
        }
    }
}
