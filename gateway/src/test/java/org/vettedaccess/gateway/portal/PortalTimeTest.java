package org.vettedaccess.gateway.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PortalTimeTest {

    private static final Instant NOW = Instant.parse("2026-12-02T03:10:00Z");

    @Test
    void pastAndFutureInTheLargestWholeUnit() {
        assertEquals("just now", PortalTime.relative(NOW.minusSeconds(59), NOW));
        assertEquals("1 minute ago", PortalTime.relative(NOW.minusSeconds(60), NOW));
        assertEquals("3 minutes ago", PortalTime.relative(NOW.minusSeconds(3 * 60 + 59), NOW));
        assertEquals("59 minutes ago", PortalTime.relative(NOW.minusSeconds(3_599), NOW));
        assertEquals("1 hour ago", PortalTime.relative(NOW.minusSeconds(3_600), NOW));
        assertEquals("47 hours ago", PortalTime.relative(NOW.minus(Duration.ofHours(47)), NOW));
        assertEquals("2 days ago", PortalTime.relative(NOW.minus(Duration.ofHours(48)), NOW));
        assertEquals("2 months ago", PortalTime.relative(NOW.minus(Duration.ofDays(60)), NOW));
        assertEquals("2 years ago", PortalTime.relative(NOW.minus(Duration.ofDays(730)), NOW));
        assertEquals("in less than a minute", PortalTime.relative(NOW.plusSeconds(30), NOW));
        assertEquals("in 30 days", PortalTime.relative(NOW.plus(Duration.ofDays(30)), NOW));
    }

    @Test
    void theElementCarriesTheExactInstantAndTheTimeInUtc() {
        assertEquals(
                "<time datetime=\"2026-12-02T03:07:00Z\" title=\"2026-12-02T03:07:00Z\">3 minutes ago</time>"
                        + " <span class=\"at\">(2026-12-02 03:07 UTC)</span>",
                PortalTime.element(NOW.minusSeconds(180), NOW));
    }

    @Test
    void aStringThatIsNotAnInstantIsShownEscaped() {
        assertEquals("&lt;b&gt;soon&lt;/b&gt;", PortalTime.when("<b>soon</b>").toString());
    }
}
