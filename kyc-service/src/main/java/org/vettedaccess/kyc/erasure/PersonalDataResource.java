package org.vettedaccess.kyc.erasure;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.kyc.outbox.DecisionOutbox;
import org.vettedaccess.support.caller.Roles;

/** {@code /api/v1/personal-data}: a researcher's right to erasure, for their own data only. */
@Path("/api/v1/personal-data")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
public class PersonalDataResource {

    private final ErasureService erasures;
    private final DecisionOutbox outbox;
    private final JsonWebToken token;

    public PersonalDataResource(ErasureService erasures, DecisionOutbox outbox, JsonWebToken token) {
        this.erasures = erasures;
        this.outbox = outbox;
        this.token = token;
    }

    @DELETE
    public ErasureService.Erasure erase() {
        ErasureService.Done done = erasures.erase(token.getSubject());
        // After the commit: ended approvals reach the ledger and access-policy now, or later through the outbox.
        done.toDeliver().forEach(outbox::deliverOf);
        return done.erasure();
    }
}
