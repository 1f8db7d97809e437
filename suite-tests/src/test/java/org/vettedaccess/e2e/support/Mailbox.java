package org.vettedaccess.e2e.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.MailSink;

/** The one-time codes kyc-service mails, read from the suite's own SMTP server. */
public final class Mailbox {

    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    private Mailbox() {}

    /** The code in the {@code n}-th message to {@code address} (n = the count of messages before the send). */
    public static String code(LocalSuite suite, String address, int n) {
        MailSink.Mail mail = suite.mailbox()
                .await(address, n, Duration.ofSeconds(15))
                .orElseThrow(() -> new AssertionError("no code was mailed to " + address));
        Matcher matcher = CODE.matcher(mail.body());
        assertTrue(matcher.find(), "a six-digit code in: " + mail.body());
        return matcher.group(1);
    }
}
