package org.vettedaccess.ledger.tiles;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.vettedaccess.ledger.checkpoint.CheckpointRecord;
import org.vettedaccess.ledger.checkpoint.CheckpointService;
import org.vettedaccess.ledger.core.Tiles;
import org.vettedaccess.ledger.witness.CosignedCheckpoints;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * The log as C2SP {@code tlog-tiles} (https://c2sp.org/tlog-tiles) under the prefix {@code /}: {@code /checkpoint},
 * {@code /tile/<L>/<N>[.p/<W>]} and {@code /tile/entries/<N>[.p/<W>]}. Only tiles within the latest checkpoint are
 * served, so everything here is covered by a signed tree head. Regulators read all of it; monitors and witnesses read
 * the checkpoint and the hash tiles but not the entry bundles, which are the same pseudonymous leaf bytes as the
 * entries API (ADR 0012, which supersedes ADR 0021).
 */
@Path("/")
public class TileResource {

    /** Tiles never change once they exist (a partial tile is a different path), so clients keep them. */
    static final String IMMUTABLE = "private, max-age=31536000, immutable";
    /** The checkpoint moves on; the spec asks that it not be cached beyond a few seconds. */
    static final String CHECKPOINT = "private, max-age=5";

    private final CheckpointService checkpoints;
    private final TileRepository tiles;
    private final CosignedCheckpoints cosigned;
    private final SecurityIdentity identity;

    public TileResource(
            CheckpointService checkpoints,
            TileRepository tiles,
            CosignedCheckpoints cosigned,
            SecurityIdentity identity) {
        this.checkpoints = checkpoints;
        this.tiles = tiles;
        this.cosigned = cosigned;
        this.identity = identity;
    }

    /**
     * The latest checkpoint, with the cosignatures the configured witnesses have returned for it. Researchers read
     * it too (their receipt check counts the cosignatures); it names no one, and the tiles stay regulators' and
     * monitors'.
     */
    @GET
    @Path("checkpoint")
    @Produces("text/plain; charset=utf-8")
    @RolesAllowed({Roles.REGULATOR, Roles.MONITOR, Roles.RESEARCHER})
    public Response checkpoint() {
        CheckpointRecord latest = latest();
        return Response.ok(cosigned.withCosignatures(latest))
                .header("Cache-Control", CHECKPOINT)
                .build();
    }

    @GET
    @Path("tile/{path: .+}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({Roles.REGULATOR, Roles.MONITOR})
    public Response tile(@PathParam("path") String path) {
        Tiles.Tile tile;
        try {
            tile = Tiles.parse(path);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No tile " + path + ": " + e.getMessage() + ".");
        }
        // Hash tiles reveal only hashes; an entry bundle is the leaves themselves (pseudonyms, models, times).
        if (tile.entries() && !identity.hasRole(Roles.REGULATOR)) {
            throw new ProblemException(
                    ProblemType.FORBIDDEN, "Entry bundles are for regulators; monitors read the hash tiles.");
        }
        long size = latest().treeSize();
        if (tile.requiredSize() > size) {
            throw new ProblemException(
                    ProblemType.NOT_FOUND,
                    "No tile " + tile.path() + " in the tree of the latest checkpoint (size " + size + ").");
        }
        return Response.ok(tiles.read(tile))
                .type(MediaType.APPLICATION_OCTET_STREAM)
                .header("Cache-Control", IMMUTABLE)
                .build();
    }

    private CheckpointRecord latest() {
        return checkpoints
                .latest()
                .orElseThrow(
                        () -> new ProblemException(ProblemType.NOT_FOUND, "No checkpoint has been published yet."));
    }
}
