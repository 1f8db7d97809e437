package org.vettedaccess.support.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * Every service's time source (UTC): grants and approvals expire by it, the ledger stamps leaves with it. Code takes
 * a {@link Clock} rather than calling {@code Instant.now()}, so fast tests can pass a fixed one.
 */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
