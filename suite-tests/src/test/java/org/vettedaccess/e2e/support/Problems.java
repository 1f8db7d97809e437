package org.vettedaccess.e2e.support;

import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.response.Response;

/** Asserts that a response is an RFC 9457 problem that leaks nothing. */
public final class Problems {

    private Problems() {}

    public static void assertProblem(Response response, int status, String type) {
        response.then()
                .statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("type", equalTo("urn:vetted-access:problem:" + type))
                .body("title", not(equalTo(null)))
                .body(allOf(not(containsString("Exception")), not(containsString("\tat "))));
    }
}
