package org.vettedaccess.ledger.export;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.vettedaccess.ledger.checkpoint.CheckpointRecord;
import org.vettedaccess.support.caller.Roles;

/**
 * What a regulator takes away, each covering the log up to the newest checkpoint and streamed: {@code /api/v1/export}
 * the bundle the offline verifier checks, {@code /entries.ndjson} every entry, {@code /usage.csv} usage per day, model
 * and tier.
 */
@Path("/api/v1/export")
public class ExportResource {

    private final ExportService exports;
    private final RegulatorExports regulatorExports;

    public ExportResource(ExportService exports, RegulatorExports regulatorExports) {
        this.exports = exports;
        this.regulatorExports = regulatorExports;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGULATOR)
    public Response export() {
        CheckpointRecord newest = exports.newest();
        StreamingOutput body = out -> exports.writeBundle(newest, out);
        return Response.ok(body, MediaType.APPLICATION_JSON)
                .header("X-Tree-Size", newest.treeSize())
                .build();
    }

    @GET
    @Path("/entries.ndjson")
    @Produces("application/x-ndjson")
    @RolesAllowed(Roles.REGULATOR)
    public Response entries() {
        CheckpointRecord newest = exports.newest();
        StreamingOutput body = out -> regulatorExports.writeEntries(newest.treeSize(), out);
        return Response.ok(body, "application/x-ndjson")
                .header("X-Tree-Size", newest.treeSize())
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"ledger-entries-" + newest.treeSize() + ".ndjson\"")
                .build();
    }

    @GET
    @Path("/usage.csv")
    @Produces("text/csv")
    @RolesAllowed(Roles.REGULATOR)
    public Response usage() {
        CheckpointRecord newest = exports.newest();
        StreamingOutput body = out -> regulatorExports.writeUsageCsv(newest.treeSize(), out);
        return Response.ok(body, "text/csv; charset=utf-8")
                .header("X-Tree-Size", newest.treeSize())
                .header("Content-Disposition", "attachment; filename=\"ledger-usage-" + newest.treeSize() + ".csv\"")
                .build();
    }
}
