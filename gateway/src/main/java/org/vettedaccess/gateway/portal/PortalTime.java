package org.vettedaccess.gateway.portal;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times as the portal shows them: {@code {at.when}} renders a {@code <time>} element whose text is relative to now
 * ("3 minutes ago", "in 2 days") followed by the time in UTC, and whose {@code datetime} is the exact instant. It
 * is rendered on the server, without a script, so every reader (a researcher, a reviewer, a regulator quoting a
 * page) sees the same absolute time in the same zone (docs/adr/0090-portal-times-in-utc-with-relative-text.md).
 */
public final class PortalTime {

    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private PortalTime() {}

    /** The instant as a {@code <time>} element: relative text, then the UTC time. */
    @TemplateExtension
    public static RawString when(Instant at) {
        return new RawString(element(at, Instant.now()));
    }

    /** An ISO-8601 instant from a service's JSON, shown the same way; anything else is shown as it is, escaped. */
    @TemplateExtension
    public static RawString when(String iso) {
        try {
            return when(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return new RawString(escape(iso));
        }
    }

    /** The same as plain text, for where markup cannot go (an {@code <option>}, an attribute). */
    @TemplateExtension
    public static String whenText(Instant at) {
        return relative(at, Instant.now()) + " (" + SHOWN.format(at) + ")";
    }

    static String element(Instant at, Instant now) {
        return "<time datetime=\"" + at + "\" title=\"" + at + "\">" + relative(at, now)
                + "</time> <span class=\"at\">(" + SHOWN.format(at) + ")</span>";
    }

    /** "just now", "3 minutes ago", "in 2 days": the largest whole unit, rounded down. */
    static String relative(Instant at, Instant now) {
        Duration between = Duration.between(at, now);
        boolean past = !between.isNegative();
        long seconds = Math.abs(between.getSeconds());
        if (seconds < 60) {
            return past ? "just now" : "in less than a minute";
        }
        String amount;
        if (seconds < 3_600) {
            amount = plural(seconds / 60, "minute");
        } else if (seconds < 2 * 86_400) {
            amount = plural(seconds / 3_600, "hour");
        } else if (seconds < 60 * 86_400) {
            amount = plural(seconds / 86_400, "day");
        } else if (seconds < 730 * 86_400L) {
            amount = plural(seconds / (30 * 86_400L), "month");
        } else {
            amount = plural(seconds / (365 * 86_400L), "year");
        }
        return past ? amount + " ago" : "in " + amount;
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
