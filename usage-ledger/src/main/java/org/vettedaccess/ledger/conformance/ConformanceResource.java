package org.vettedaccess.ledger.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;

/**
 * {@code GET /api/v1/conformance?from=&to=} (indices) or {@code ?since=&until=} (RFC 3339 times), and
 * {@code boundMs} (the propagation bound, default 1000): whether the lab kept its own rules over the whole log or
 * a period, per rule, each violation with the leaves that prove it (docs/regulators.md). Regulators only.
 */
@Path("/api/v1/conformance")
public class ConformanceResource {

    private static final long MAX_BOUND = 60_000;

    private final ConformanceService conformance;

    public ConformanceResource(ConformanceService conformance) {
        this.conformance = conformance;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    public ObjectNode check(
            @QueryParam("from") Long from,
            @QueryParam("to") Long to,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("boundMs") Long boundMs) {
        if ((from != null && from < 0) || (to != null && to < 0)) {
            throw ProblemException.invalidField(from != null && from < 0 ? "from" : "to", "must not be negative");
        }
        if ((from != null || to != null) && (since != null || until != null)) {
            throw ProblemException.invalidField("since", "give indices (from, to) or times (since, until), not both");
        }
        long bound = boundMs == null ? 1_000 : boundMs;
        if (bound < 0 || bound > MAX_BOUND) {
            throw ProblemException.invalidField("boundMs", "must be between 0 and " + MAX_BOUND);
        }
        return conformance.check(from, to, instant("since", since), instant("until", until), bound);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(name, "must be an RFC 3339 UTC time such as 2026-11-01T00:00:00Z");
        }
    }
}
