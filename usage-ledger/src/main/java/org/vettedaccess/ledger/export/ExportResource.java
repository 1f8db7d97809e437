package org.vettedaccess.ledger.export;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.vettedaccess.support.caller.Roles;

/** {@code GET /api/v1/export}: the bundle a regulator takes away and checks with the offline verifier. */
@Path("/api/v1/export")
public class ExportResource {

    private final ExportService exports;

    public ExportResource(ExportService exports) {
        this.exports = exports;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    public ExportBundle export() {
        return exports.export();
    }
}
