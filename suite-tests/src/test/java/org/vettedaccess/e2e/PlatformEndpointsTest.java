package org.vettedaccess.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vettedaccess.e2e.support.Problems.assertProblem;

import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.suite.LocalSuite;

/** What every service offers besides its API: OpenAPI, and health and metrics on the management port only. */
@ExtendWith(RunningSuite.class)
class PlatformEndpointsTest {

    static Stream<String> services() {
        return Keycloak.SERVICES.stream();
    }

    @ParameterizedTest
    @MethodSource("services")
    void describesItsApiWithOpenApiIncludingTheBearerScheme(String service, LocalSuite suite) {
        given().accept("application/json")
                .get(suite.serviceUrl(service) + "/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("paths", hasKey("/api/v1/caller"))
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
    }

    @ParameterizedTest
    @MethodSource("services")
    void servesHealthAndMetricsOnTheManagementPortOnly(String service, LocalSuite suite) {
        // Another test stops PostgreSQL; right after it returns, one readiness probe may still find a connection
        // the pool is re-validating, so allow a few seconds to settle.
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (given().get(suite.managementUrl(service) + "/q/health/ready").statusCode() != 200
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        given().get(suite.managementUrl(service) + "/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem("Database connections health check"));
        given().get(suite.managementUrl(service) + "/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        assertProblem(given().get(suite.serviceUrl(service) + "/q/health"), 404, "not-found");
        assertProblem(given().get(suite.serviceUrl(service) + "/q/metrics"), 404, "not-found");
    }

    @ParameterizedTest
    @MethodSource("services")
    void commitsDurablyOnItsOwnSessionsWhateverTheServerDefault(String service, LocalSuite suite) throws Exception {
        // The embedded PostgreSQL (zonky) defaults to synchronous_commit=off, which acknowledges commits that a
        // crash can still lose; each service turns it on for its own sessions and reports that in its readiness.
        if (suite.embeddedDatabase().isPresent()) {
            try (Connection plain = DriverManager.getConnection(
                            suite.database().jdbcUrl("postgres"),
                            suite.database().user(),
                            suite.database().password());
                    ResultSet row =
                            plain.createStatement().executeQuery("SELECT current_setting('synchronous_commit')")) {
                row.next();
                assertEquals(
                        "off", row.getString(1), "the server default this test proves the services do not rely on");
            }
        }
        JsonPath ready = given().get(suite.managementUrl(service) + "/q/health/ready")
                .then()
                .extract()
                .jsonPath();
        assertEquals("UP", ready.getString("checks.find { it.name == 'durable-commits' }.status"), ready.prettify());
        assertEquals("on", ready.getString("checks.find { it.name == 'durable-commits' }.data.synchronous_commit"));
        assertEquals("on", ready.getString("checks.find { it.name == 'durable-commits' }.data.fsync"));
    }

    @ParameterizedTest
    @MethodSource("services")
    void answersUnknownPathsAndMethodsWithProblems(String service, LocalSuite suite, Keycloak keycloak) {
        String token = keycloak.userToken("alice");
        assertProblem(
                given().auth().oauth2(token).get(suite.serviceUrl(service) + "/api/v1/no-such-thing"),
                404,
                "not-found");
        assertProblem(
                given().auth().oauth2(token).delete(suite.serviceUrl(service) + "/api/v1/caller"),
                405,
                "method-not-allowed");
    }
}
