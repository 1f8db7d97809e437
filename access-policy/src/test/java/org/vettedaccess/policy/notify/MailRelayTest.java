package org.vettedaccess.policy.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Staff mail through the relay to a real SMTP server (GreenMail, the local suite's mail sink, which greets at once on
 * loopback): every queued mail arrives once and no send times out. The relay used to start its sends on its own
 * thread, and Vert.x's mail client then lost the greeting of about one connection in 18, hanging until the timeout
 * (ADR 0049); the outbox retried, so the mail came late (14 of 300 sends timed out here with that relay). Also: one
 * mail per address however the list spells it, and no second copy after a send that timed out but went through.
 */
class MailRelayTest {

    private static final int MAILS = 300;

    private static MailFixture fixture;
    private GreenMail smtp;

    @BeforeAll
    static void start() throws Exception {
        fixture = new MailFixture();
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @BeforeEach
    void startSmtp() throws Exception {
        fixture.emptyOutbox();
        smtp = new GreenMail(new ServerSetup(MailFixture.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stopSmtp() throws Exception {
        fixture.stopRelays();
        smtp.stop();
    }

    @Test
    void everyQueuedMailArrivesOnceAndNoSendTimesOut() throws Exception {
        MailRelay relay = fixture.relay(fixture.mailer(smtp.getSmtp().getPort()), Duration.ofSeconds(5), List.of());
        fixture.transactions.transaction(connection -> {
            for (int i = 0; i < MAILS; i++) {
                relay.enqueue("test:" + i, "pete@lab-example.com", "notice " + i, "text " + i);
            }
        });
        relay.start();

        // A bound for a hang, not a speed check: every send that hangs costs the whole 5 s timeout.
        assertTrue(MailFixture.drained(relay, Duration.ofMinutes(5)), relay.pending() + " mails not sent");
        List<String> failed = fixture.failedRows();
        assertEquals(List.of(), failed, failed.size() + " of " + MAILS + " sends failed or timed out");

        Map<String, String> messageIds = new TreeMap<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            String previous = messageIds.put(message.getSubject(), message.getMessageID());
            assertEquals(null, previous, "two mails with subject " + message.getSubject());
        }
        assertEquals(MAILS, messageIds.size(), "mails received");
        for (int i = 0; i < MAILS; i++) {
            assertEquals(MailRelay.messageId("test:" + i), messageIds.get("notice " + i), "Message-ID of notice " + i);
        }
    }

    @Test
    void aReportMailsEachTriagerOnceHoweverOftenTheListNamesThem() throws Exception {
        // The same address twice made the report's transaction fail (one outbox key per notice and address); in
        // another case it made two mails.
        List<String> triagers = List.of(
                "pete@lab-example.com", " Pete@Lab-Example.com ", "paula@lab-example.com", "pete@lab-example.com");
        MailRelay relay = fixture.relay(fixture.mailer(smtp.getSmtp().getPort()), Duration.ofSeconds(5), triagers);
        StaffMail mail = new StaffMail(relay, MailFixture.config(Duration.ofSeconds(5), triagers));
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        fixture.transactions.transaction(connection ->
                mail.reportFiled(new StaffMail.FiledReport(id, "sim-small", "DANGEROUS_CAPABILITY", "HIGH", now, now)));
        relay.start();

        assertTrue(MailFixture.drained(relay, Duration.ofMinutes(1)), relay.pending() + " mails not sent");
        List<String> to = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            to.add(message.getAllRecipients()[0].toString());
        }
        assertEquals(
                List.of("paula@lab-example.com", "pete@lab-example.com"),
                to.stream().sorted().toList());
    }

    /**
     * A send that timed out while the server already had the mail is not sent a second time: the relay waits on the
     * send still going instead of starting another, so the staff member gets one mail, not one per retry.
     */
    @Test
    void aSendThatTimedOutButWentThroughIsNotSentAgain() throws Exception {
        // The server answers the mail after 3 s; the relay gives up on each wait after 1 s and retries every 200 ms.
        try (SlowSmtpServer slow = new SlowSmtpServer(Duration.ofSeconds(3))) {
            MailRelay relay = fixture.relay(fixture.mailer(slow.port()), Duration.ofSeconds(1), List.of());
            fixture.transactions.transaction(
                    connection -> relay.enqueue("incident:1:filed:pete", "pete@lab-example.com", "notice", "text"));
            relay.start();

            assertTrue(MailFixture.drained(relay, Duration.ofMinutes(1)), "the mail was not sent");
            assertTrue(fixture.failedRows().size() == 1, "the first wait timed out: " + fixture.failedRows());
            // A second copy would have gone out right after a retry round.
            Thread.sleep(1_000);
            assertEquals(
                    List.of(MailRelay.messageId("incident:1:filed:pete")), slow.messageIds, "mails the server got");
        }
    }

    /**
     * A mail the server took, whose row could not be marked sent (the database did not let the relay write it), is
     * not sent again by the retry: the row's retry finds that send through and only marks the row.
     */
    @Test
    void aSentMailWhoseRowWasNotMarkedIsNotSentAgain() throws Exception {
        MailRelay relay = fixture.relay(fixture.mailer(smtp.getSmtp().getPort()), Duration.ofSeconds(5), List.of());
        fixture.transactions.transaction(
                connection -> relay.enqueue("tripwire:1:tripped:pete", "pete@lab-example.com", "notice", "text"));
        try (Connection holder = fixture.dataSource.getConnection()) {
            // Holds the row, so the relay's mark after the send waits out its 5 s lock timeout and fails.
            holder.setAutoCommit(false);
            holder.createStatement().execute("SELECT id FROM mail_outbox FOR UPDATE");
            relay.start();
            assertTrue(smtp.waitForIncomingEmail(60_000, 1), "the mail was not sent");
            Thread.sleep(6_000);
            holder.rollback();
        }

        assertTrue(MailFixture.drained(relay, Duration.ofMinutes(1)), "the row was not marked");
        Thread.sleep(1_000);
        assertEquals(1, smtp.getReceivedMessages().length, "mails the server got");
    }
}
