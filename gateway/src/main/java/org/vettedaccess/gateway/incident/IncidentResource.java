package org.vettedaccess.gateway.incident;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.support.caller.Roles;

/**
 * {@code POST /api/v1/incidents}: a researcher files a flaw or incident report with receipts of their own calls.
 * The answer carries the report's ledger leaf and the salt that opens its text commitment; keep the salt. The
 * reporter's reports, with status and embargo, are at access-policy's {@code GET /api/v1/incidents/mine}.
 */
@Path("/api/v1/incidents")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    private final IncidentFiling filing;
    private final JsonWebToken token;

    public IncidentResource(IncidentFiling filing, JsonWebToken token) {
        this.filing = filing;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response file(IncidentFiling.Report report) {
        Map<String, Object> filed = filing.file(token.getSubject(), report);
        return Response.status(201).entity(filed).build();
    }
}
