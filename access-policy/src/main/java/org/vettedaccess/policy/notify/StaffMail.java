package org.vettedaccess.policy.notify;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The notices staff are mailed: a filed report to the triagers, a trip to the policy admins. Each is queued in the
 * caller's transaction (it is sent only if the change commits). A mail leaves the lab's systems, so it says what
 * happened and where to look, never the report's text, the reporter, or a researcher's subject id.
 */
@ApplicationScoped
public class StaffMail {

    private static final Logger LOG = Logger.getLogger(StaffMail.class);

    private final MailRelay relay;
    private final NotifyConfig config;

    public StaffMail(MailRelay relay, NotifyConfig config) {
        this.relay = relay;
        this.config = config;
    }

    /** What a triager may be told of a new report before opening it in the portal. */
    public record FiledReport(
            UUID id, String model, String category, String severity, Instant reportedAt, Instant acknowledgeBy) {}

    /** What an admin is told of a trip; the grant, not whose it is. */
    public record Trip(
            UUID id,
            UUID ruleId,
            int ruleVersion,
            String kind,
            String model,
            String action,
            Map<String, Long> figures,
            UUID killSwitchId,
            UUID grantId) {}

    /** One mail's subject and text. */
    record Notice(String subject, String text) {}

    public void reportFiled(FiledReport report) {
        send("incident:" + report.id() + ":filed", config.triagers(), filedNotice(report));
    }

    public void tripped(Trip trip) {
        send("tripwire:" + trip.id() + ":tripped", config.admins(), tripNotice(trip));
    }

    static Notice filedNotice(FiledReport report) {
        String subject =
                "[vetted-access] New " + report.severity() + " report on " + report.model() + " (" + report.id() + ")";
        String text = "A researcher filed a flaw or incident report.\n\n"
                + "Report:          " + report.id() + "\n"
                + "Model:           " + report.model() + "\n"
                + "Category:        " + report.category() + "\n"
                + "Severity:        " + report.severity() + " (as reported)\n"
                + "Filed:           " + report.reportedAt() + "\n"
                + "Acknowledge by:  " + report.acknowledgeBy() + "\n\n"
                + "Read it and answer in the portal's Incidents page (triagers only). This mail carries neither the\n"
                + "report's text nor who filed it.\n";
        return new Notice(subject, text);
    }

    static Notice tripNotice(Trip trip) {
        String engaged = trip.killSwitchId() != null
                ? "kill switch " + trip.killSwitchId() + " on the model (its release needs two admins)"
                : "suspension of grant " + trip.grantId();
        String subject =
                "[vetted-access] Tripwire tripped on " + trip.model() + ": " + trip.action() + " (" + trip.id() + ")";
        String text = "A tripwire tripped and engaged its action without waiting for anyone.\n\n"
                + "Trip:      " + trip.id() + "\n"
                + "Rule:      " + trip.ruleId() + " v" + trip.ruleVersion() + " (" + trip.kind() + ")\n"
                + "Model:     " + trip.model() + "\n"
                + "Figures:   " + trip.figures() + "\n"
                + "Engaged:   " + engaged + "\n\n"
                + "See the trip and decide on a release in the portal's admin pages.\n";
        return new Notice(subject, text);
    }

    private void send(String key, Optional<List<String>> to, Notice notice) {
        List<String> addresses = recipients(to.orElse(List.of()));
        if (addresses.isEmpty()) {
            LOG.debugf("no addresses configured for %s: no mail", key);
            return;
        }
        for (String address : addresses) {
            relay.enqueue(key + ":" + address.toLowerCase(Locale.ROOT), address, notice.subject(), notice.text());
        }
    }

    /**
     * Each address once, as first written: one mail per person even if the list names them twice or in another case
     * (mail is delivered case-insensitively in practice); a repeated key would fail the change that queued it.
     */
    static List<String> recipients(List<String> addresses) {
        Map<String, String> once = new LinkedHashMap<>();
        for (String address : addresses) {
            String stripped = address.strip();
            if (!stripped.isEmpty()) {
                once.putIfAbsent(stripped.toLowerCase(Locale.ROOT), stripped);
            }
        }
        return List.copyOf(once.values());
    }
}
