package org.vettedaccess.gateway.owner;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The parts of Keycloak's admin API the owner watch reads, with the gateway's service account (realm-management
 * roles {@code view-users} and {@code view-events}, nothing that can change the realm).
 */
@RegisterRestClient(configKey = "keycloak-admin")
@OidcClientFilter
@Path("/admin/realms/{realm}")
interface KeycloakAdminApi {

    /** An admin event, as Keycloak lists them (newest first). */
    record AdminEvent(long time, String operationType, String resourceType, String resourcePath) {}

    /** The fields of a user the watch and the portal's staff names need. */
    record User(String id, boolean enabled, String username, String firstName, String lastName) {}

    /** A realm role. */
    record Role(String name) {}

    @GET
    @Path("/admin-events")
    List<AdminEvent> adminEvents(
            @PathParam("realm") String realm,
            @QueryParam("resourceTypes") List<String> resourceTypes,
            @QueryParam("dateFrom") String dateFrom,
            @QueryParam("max") int max);

    /** 200 with the user, or 404 once the user is deleted. */
    @GET
    @Path("/users/{id}")
    Response user(@PathParam("realm") String realm, @PathParam("id") String id);

    /** The user's effective realm roles, composites included. */
    @GET
    @Path("/users/{id}/role-mappings/realm/composite")
    List<Role> effectiveRealmRoles(@PathParam("realm") String realm, @PathParam("id") String id);
}
