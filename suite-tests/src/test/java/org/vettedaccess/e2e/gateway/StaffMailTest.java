package org.vettedaccess.e2e.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.MailSink;

/**
 * Staff are mailed (issue 21, ADR 0041): a filed report reaches each incident triager once, a tripped tripwire each
 * policy admin once, through the suite's SMTP sink; a report's mail carries neither its text nor its reporter.
 */
@ExtendWith(RunningSuite.class)
class StaffMailTest {

    /** The realm's triagers and policy admins (paula and pete hold both roles), as the local suite configures them. */
    private static final List<String> STAFF = List.of("paula@lab-example.com", "pete@lab-example.com");

    @Test
    void aFiledReportMailsEachTriagerOnceWithoutItsTextOrItsReporter(LocalSuite suite, Keycloak keycloak)
            throws InterruptedException {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        String model = gateway.catalogModel(1);
        Response filed = IncidentReportTest.file(gateway, "alice", model, "DANGEROUS_CAPABILITY", "HIGH", List.of());
        assertEquals(201, filed.statusCode(), filed.asString());
        String id = filed.path("id");
        String alice = Jwts.payload(gateway.token("alice")).get("sub").asText();

        for (MailSink.Mail mail : exactlyOneEach(suite, id)) {
            assertTrue(mail.subject().contains(model) && mail.subject().contains("HIGH"), mail.subject());
            assertTrue(mail.body().contains("DANGEROUS_CAPABILITY"), mail.body());
            for (String secret : List.of("synthesis", "base64", alice, "alice", "Alice")) {
                assertFalse(mail.body().contains(secret) || mail.subject().contains(secret), secret + " in " + mail);
            }
        }
    }

    @Test
    void aTrippedTripwireMailsEachPolicyAdminOnce(LocalSuite suite, Keycloak keycloak) throws InterruptedException {
        GatewayFixture gateway = new GatewayFixture(suite, keycloak);
        String model = gateway.catalogModel(1);
        JsonNode rule = Tripwires.define(gateway, Tripwires.refusalRule(model, true));
        // The gateway's own report of a crossed window (its evaluator makes the same call; TripwireTest drives it).
        Response tripped = Tripwires.reportTrip(
                gateway,
                gateway.policy.gateway(),
                rule,
                Map.of(
                        "version",
                        rule.path("version").asInt(),
                        "figures",
                        Map.of("windowSeconds", 20, "calls", 10, "refusals", 10, "contentFilters", 0)));
        assertEquals(200, tripped.statusCode(), tripped.asString());
        String tripId = tripped.path("id");

        for (MailSink.Mail mail : exactlyOneEach(suite, tripId)) {
            assertTrue(mail.subject().contains("Tripwire tripped on " + model), mail.subject());
            assertTrue(mail.body().contains(rule.path("id").asText()), mail.body());
            assertTrue(mail.body().contains("refusals=10"), mail.body());
            assertTrue(mail.body().contains("kill switch"), mail.body());
        }
    }

    /** Waits for the mail naming {@code id} at each staff address, then checks no second one and no other address. */
    private static List<MailSink.Mail> exactlyOneEach(LocalSuite suite, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline
                && !STAFF.stream().allMatch(a -> naming(suite, id).stream().anyMatch(m -> m.to().equals(a)))) {
            Thread.sleep(100);
        }
        // A relay round or a second replica would deliver a duplicate within this.
        Thread.sleep(2_000);
        List<MailSink.Mail> mails = naming(suite, id);
        assertEquals(
                STAFF,
                mails.stream().map(MailSink.Mail::to).sorted().toList(),
                "one mail to each of " + STAFF + ": " + mails);
        return mails;
    }

    private static List<MailSink.Mail> naming(LocalSuite suite, String id) {
        return suite.mailbox().messages().stream()
                .filter(m -> m.subject().contains(id))
                .toList();
    }
}
