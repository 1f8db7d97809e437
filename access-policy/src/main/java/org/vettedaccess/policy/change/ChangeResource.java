package org.vettedaccess.policy.change;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.policy.config.PolicyConfig;
import org.vettedaccess.policy.config.PolicyRoles;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** {@code GET /api/v1/changes?after=&waitMs=}: the change feed, long-polled by the gateways. */
@Path("/api/v1/changes")
public class ChangeResource {

    private final ChangeFeed feed;
    private final PolicyConfig config;

    public ChangeResource(ChangeFeed feed, PolicyConfig config) {
        this.feed = feed;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(PolicyRoles.DECIDE)
    public ChangePage changes(@QueryParam("after") Long after, @QueryParam("waitMs") Long waitMs) {
        if (after == null) {
            // A new subscriber starts from now: it has no cached decisions older than this.
            return new ChangePage(List.of(), feed.latest());
        }
        long wait = waitMs == null ? config.changeFeedWait().toMillis() : waitMs;
        if (wait < 0 || wait > config.changeFeedWait().toMillis()) {
            throw new ProblemException(
                    ProblemType.INVALID_REQUEST,
                    "'waitMs' must be between 0 and " + config.changeFeedWait().toMillis() + ".");
        }
        List<ChangePage.Change> changes = feed.after(after, 500, Duration.ofMillis(wait)).stream()
                .map(c -> new ChangePage.Change(c.seq, c.kind, c.grantId, c.subject, c.scope, c.at))
                .toList();
        return new ChangePage(
                changes,
                changes.isEmpty() ? after : changes.get(changes.size() - 1).seq());
    }
}
