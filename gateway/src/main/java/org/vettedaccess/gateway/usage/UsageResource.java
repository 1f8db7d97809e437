package org.vettedaccess.gateway.usage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** {@code /api/v1/usage}: a researcher's own calls — a receipt per call and tokens per day. */
@Path("/api/v1/usage")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private final OutboxRepository outbox;
    private final JsonWebToken token;

    public UsageResource(OutboxRepository outbox, JsonWebToken token) {
        this.outbox = outbox;
        this.token = token;
    }

    /** The receipt of one call, by the {@code x-request-id} the gateway answered it with; its ledger leaf once delivered. */
    @GET
    @Path("/calls/{requestId}")
    public OutboxRepository.CallReceipt call(@PathParam("requestId") UUID requestId) {
        try {
            return outbox.receipt(requestId, token.getSubject())
                    .orElseThrow(
                            () -> new ProblemException(ProblemType.NOT_FOUND, "You made no call " + requestId + "."));
        } catch (SQLException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "Usage cannot be read now.");
        }
    }

    /**
     * The token budgets of the caller's grants that have one and have been used: budget, spent, held for calls in
     * flight, and remaining. (A grant not listed has spent nothing; access-policy's grant shows its tier.)
     */
    @GET
    @Path("/grants")
    public List<OutboxRepository.GrantBudget> budgets() {
        try {
            return outbox.budgetsOf(token.getSubject());
        } catch (SQLException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "Usage cannot be read now.");
        }
    }

    /** Tokens per day and model over the last {@code days} days (1 to 366, default 30). */
    @GET
    @Path("/daily")
    public List<OutboxRepository.DailyUsage> daily(@QueryParam("days") Integer days) {
        int span = days == null ? 30 : days;
        if (span < 1 || span > 366) {
            throw ProblemException.invalidField("days", "must be between 1 and 366");
        }
        try {
            return outbox.dailyUsage(token.getSubject(), Instant.now().minus(span, ChronoUnit.DAYS));
        } catch (SQLException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "Usage cannot be read now.");
        }
    }
}
