package org.vettedaccess.gateway.openai;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Any /v1 path or method the gateway does not serve: a 404 in the OpenAI envelope rather than the REST layer's
 * problem+json, so SDKs report it as they would from OpenAI. (The served paths are Vert.x routes, which match first.)
 */
@Path("/v1")
public class UnknownModelPath {

    @GET
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response get(@PathParam("path") String path) {
        return unknown(path);
    }

    @POST
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response post(@PathParam("path") String path) {
        return unknown(path);
    }

    @PUT
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response put(@PathParam("path") String path) {
        return unknown(path);
    }

    @DELETE
    @Path("{path: .*}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response delete(@PathParam("path") String path) {
        return unknown(path);
    }

    private static Response unknown(String path) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "Unknown request URL: /v1/" + path + ".");
        error.put("type", "invalid_request_error");
        error.put("param", null);
        error.put("code", "unknown_url");
        return Response.status(404).entity(Map.of("error", error)).build();
    }
}
