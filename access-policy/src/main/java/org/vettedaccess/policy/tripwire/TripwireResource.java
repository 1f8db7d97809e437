package org.vettedaccess.policy.tripwire;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.contracts.policy.Trip;
import org.vettedaccess.contracts.policy.TripReport;
import org.vettedaccess.contracts.policy.TripwireRule;
import org.vettedaccess.policy.config.PolicyRoles;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;

/** Tripwire rules (policy admins define them; regulators and the gateways read them) and their trips. */
@Path("/api/v1/tripwires")
@Produces(MediaType.APPLICATION_JSON)
public class TripwireResource {

    private final TripwireService tripwires;
    private final JsonWebToken token;

    public TripwireResource(TripwireService tripwires, JsonWebToken token) {
        this.tripwires = tripwires;
        this.token = token;
    }

    @GET
    @RolesAllowed({Roles.POLICY_ADMIN, Roles.REGULATOR, PolicyRoles.TRIPWIRE})
    public List<TripwireRule> list(@QueryParam("active") @DefaultValue("false") boolean activeOnly) {
        return tripwires.list(activeOnly);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public TripwireRule define(TripwireRequest request) {
        return tripwires.define(request, token.getSubject());
    }

    /**
     * Trips, for the lab's admins: they name the researcher's subject id, so regulators read trips from the ledger's
     * {@code tripwire.tripped} leaves instead, where the subject is a pseudonym.
     */
    @GET
    @Path("/trips")
    @RolesAllowed(Roles.POLICY_ADMIN)
    public List<Trip> trips(@QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalidField("limit", "must be between 1 and 1000");
        }
        return tripwires.trips(limit);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.POLICY_ADMIN, Roles.REGULATOR, PolicyRoles.TRIPWIRE})
    public TripwireRule get(@PathParam("id") UUID id) {
        return tripwires.get(id);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public TripwireRule change(@PathParam("id") UUID id, TripwireRequest request) {
        return tripwires.change(id, request, token.getSubject());
    }

    /** A gateway reports that the rule's window crossed its threshold. */
    @POST
    @Path("/{id}/trips")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(PolicyRoles.TRIPWIRE)
    public Trip trip(@PathParam("id") UUID id, TripReport report) {
        return tripwires.trip(id, report, token.getSubject());
    }
}
