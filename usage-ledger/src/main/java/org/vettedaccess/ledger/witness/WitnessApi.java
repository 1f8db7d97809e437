package org.vettedaccess.ledger.witness;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** A C2SP tlog-witness's submission API; one client per configured witness, built by {@link WitnessClient}. */
@RegisterRestClient(configKey = "witness")
interface WitnessApi {

    @POST
    @Path("/add-checkpoint")
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.WILDCARD)
    Response addCheckpoint(String body);
}
