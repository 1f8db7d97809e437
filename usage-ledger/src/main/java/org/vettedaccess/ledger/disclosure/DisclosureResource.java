package org.vettedaccess.ledger.disclosure;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.ledger.entry.Pseudonyms;
import org.vettedaccess.support.caller.Roles;

/** Disclosures (policy admins) and a person's own pseudonym. */
@Path("/api/v1")
public class DisclosureResource {

    private final DisclosureService disclosures;
    private final Pseudonyms pseudonyms;
    private final JsonWebToken token;

    public DisclosureResource(DisclosureService disclosures, Pseudonyms pseudonyms, JsonWebToken token) {
        this.disclosures = disclosures;
        this.pseudonyms = pseudonyms;
        this.token = token;
    }

    @POST
    @Path("/disclosures")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.POLICY_ADMIN)
    public DisclosureService.Disclosure disclose(DisclosureRequest request) {
        return disclosures.disclose(request, token.getSubject());
    }

    /** The caller's own pseudonym: how the ledger names them. */
    public record Pseudonym(String pseudonym) {}

    @GET
    @Path("/pseudonyms/me")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RESEARCHER, Roles.KYC_REVIEWER, Roles.POLICY_ADMIN, Roles.REGULATOR})
    public Pseudonym mine() {
        return new Pseudonym(pseudonyms.of(token.getSubject()));
    }
}
