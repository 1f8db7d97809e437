package org.vettedaccess.gateway.portal;

import io.quarkus.oidc.token.propagation.common.AccessToken;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The usage-ledger's regulator API, called as the signed-in regulator, with the portal token exchanged for one
 * addressed to usage-ledger alone (docs/adr/0070-one-token-per-service-from-the-portal.md).
 */
@RegisterRestClient(configKey = "ledger-portal")
@AccessToken(exchangeTokenClient = "portal-to-usage-ledger")
interface LedgerPortalApi {

    @GET
    @Path("/api/v1/entries")
    @Produces(MediaType.APPLICATION_JSON)
    Map<String, Object> entries(
            @QueryParam("type") String type,
            @QueryParam("model") String model,
            @QueryParam("subject") String subject,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") Long after,
            @QueryParam("limit") Integer limit);

    @GET
    @Path("/api/v1/entries/{index}")
    @Produces(MediaType.APPLICATION_JSON)
    Map<String, Object> entry(@PathParam("index") long index);

    @GET
    @Path("/api/v1/checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    String checkpoint();

    @GET
    @Path("/api/v1/checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    List<Map<String, Object>> checkpoints(@QueryParam("fromSize") Long fromSize, @QueryParam("limit") Integer limit);

    @GET
    @Path("/api/v1/public-key")
    @Produces(MediaType.TEXT_PLAIN)
    String publicKey();

    @GET
    @Path("/api/v1/public-keys")
    @Produces(MediaType.APPLICATION_JSON)
    List<String> publicKeys();

    @GET
    @Path("/api/v1/witnesses")
    @Produces(MediaType.APPLICATION_JSON)
    List<String> witnesses();

    /** The latest checkpoint with the witnesses' cosignature lines (C2SP tlog-tiles). */
    @GET
    @Path("/checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    String cosignedCheckpoint();

    @GET
    @Path("/api/v1/proofs/inclusion")
    @Produces(MediaType.APPLICATION_JSON)
    Map<String, Object> inclusion(@QueryParam("index") long index, @QueryParam("treeSize") long treeSize);

    @GET
    @Path("/api/v1/proofs/consistency")
    @Produces(MediaType.APPLICATION_JSON)
    Map<String, Object> consistency(@QueryParam("from") long from, @QueryParam("to") long to);

    @GET
    @Path("/api/v1/conformance")
    @Produces(MediaType.APPLICATION_JSON)
    Map<String, Object> conformance(
            @QueryParam("from") Long from,
            @QueryParam("to") Long to,
            @QueryParam("since") String since,
            @QueryParam("until") String until);

    @GET
    @Path("/api/v1/export")
    @Produces(MediaType.APPLICATION_JSON)
    InputStream export();

    @ClientExceptionMapper
    static RuntimeException problem(Response response) {
        return response.getStatus() >= 400 ? PortalProblem.from(response.getStatus(), Problems.read(response)) : null;
    }
}
