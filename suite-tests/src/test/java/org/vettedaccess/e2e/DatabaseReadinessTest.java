package org.vettedaccess.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.EmbeddedDatabase;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuiteException;

/** Each service's readiness follows its database: DOWN while PostgreSQL is stopped, UP again once it is back. */
@ExtendWith(RunningSuite.class)
class DatabaseReadinessTest {

    @Test
    void readinessGoesDownWithPostgresAndRecoversWithoutHelp(LocalSuite suite) throws SuiteException {
        assumeTrue(suite.embeddedDatabase().isPresent(), "needs the embedded PostgreSQL, which the test may stop");
        EmbeddedDatabase database = suite.embeddedDatabase().get();
        for (String service : Keycloak.SERVICES) {
            awaitReadiness(suite, service, 200, Duration.ofSeconds(5));
        }
        database.stop();
        try {
            for (String service : Keycloak.SERVICES) {
                awaitReadiness(suite, service, 503, Duration.ofSeconds(30));
            }
        } finally {
            database.start();
        }
        for (String service : Keycloak.SERVICES) {
            awaitReadiness(suite, service, 200, Duration.ofSeconds(60));
        }
    }

    private static void awaitReadiness(LocalSuite suite, String service, int status, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        int last;
        do {
            last = given().get(suite.managementUrl(service) + "/q/health/ready").statusCode();
            if (last == status) {
                return;
            }
            sleep(250);
        } while (Instant.now().isBefore(deadline));
        assertTrue(false, service + " readiness was " + last + ", not " + status + ", after " + timeout);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
