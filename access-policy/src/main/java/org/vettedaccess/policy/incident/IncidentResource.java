package org.vettedaccess.policy.incident;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.contracts.policy.FileIncidentRequest;
import org.vettedaccess.policy.config.PolicyRoles;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;

/**
 * Flaw and incident reports: filed by the gateway for a researcher (the gateway resolves the researcher's own
 * receipts), read by their reporter, answered by incident triagers, overseen by regulators.
 */
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    private final IncidentService incidents;
    private final JsonWebToken token;

    public IncidentResource(IncidentService incidents, JsonWebToken token) {
        this.incidents = incidents;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(PolicyRoles.FILE_INCIDENTS)
    public IncidentRecord file(FileIncidentRequest request) {
        return incidents.file(request);
    }

    /** The caller's own reports, with status, embargo and the salt that opens each commitment. */
    @GET
    @Path("/mine")
    @RolesAllowed(Roles.RESEARCHER)
    public List<IncidentRecord> mine() {
        return incidents.ofReporter(token.getSubject());
    }

    @GET
    @RolesAllowed(Roles.INCIDENT_TRIAGER)
    public List<IncidentRecord> all() {
        return incidents.all();
    }

    /** Open reports and breached deadlines, without text or reporter. */
    @GET
    @Path("/overview")
    @RolesAllowed({Roles.REGULATOR, Roles.INCIDENT_TRIAGER})
    public IncidentSummary.Overview overview() {
        return incidents.overview();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.INCIDENT_TRIAGER)
    public IncidentRecord get(@PathParam("id") UUID id) {
        return incidents.get(id);
    }

    @POST
    @Path("/{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INCIDENT_TRIAGER)
    public IncidentRecord acknowledge(@PathParam("id") UUID id, StatusRequest request) {
        return incidents.answer(id, "acknowledge", request, token.getSubject());
    }

    /** With the confirmed severity; the mitigation deadline follows it. */
    @POST
    @Path("/{id}/triage")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INCIDENT_TRIAGER)
    public IncidentRecord triage(@PathParam("id") UUID id, StatusRequest request) {
        return incidents.answer(id, "triage", request, token.getSubject());
    }

    /** Naming the change: a kill switch, a tier change, a model change. */
    @POST
    @Path("/{id}/mitigate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INCIDENT_TRIAGER)
    public IncidentRecord mitigate(@PathParam("id") UUID id, StatusRequest request) {
        return incidents.answer(id, "mitigate", request, token.getSubject());
    }

    @POST
    @Path("/{id}/disclose")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INCIDENT_TRIAGER)
    public IncidentRecord disclose(@PathParam("id") UUID id, StatusRequest request) {
        return incidents.answer(id, "disclose", request, token.getSubject());
    }

    /** With a reason, which the reporter sees. */
    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INCIDENT_TRIAGER)
    public IncidentRecord reject(@PathParam("id") UUID id, StatusRequest request) {
        return incidents.answer(id, "reject", request, token.getSubject());
    }

    /** The one-click answer to a critical report: a MODEL kill switch on its model, at once. */
    @POST
    @Path("/{id}/kill-switch")
    @RolesAllowed(Roles.INCIDENT_TRIAGER)
    public IncidentRecord killSwitch(@PathParam("id") UUID id) {
        return incidents.killSwitch(id, token.getSubject());
    }

    /** Moves the incident clock by {@code offset} (ISO 8601) from real time; 404 outside end-to-end runs. */
    @PUT
    @Path("/test-clock")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public Map<String, String> testClock(Map<String, String> body) {
        Duration offset;
        try {
            offset = Duration.parse(body == null ? "" : String.valueOf(body.get("offset")));
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField("offset", "must be an ISO 8601 duration such as P2D");
        }
        return Map.of("offset", incidents.offsetClock(offset).toString());
    }
}
