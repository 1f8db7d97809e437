package org.vettedaccess.ledger.checkpoint;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.entry.LedgerRoles;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Signed checkpoints and the keys to verify them. */
@Path("/api/v1")
public class CheckpointResource {

    private final CheckpointService checkpoints;
    private final SigningKeys keys;
    private final LedgerConfig config;
    private final Witnesses witnesses;

    public CheckpointResource(
            CheckpointService checkpoints, SigningKeys keys, LedgerConfig config, Witnesses witnesses) {
        this.checkpoints = checkpoints;
        this.keys = keys;
        this.config = config;
        this.witnesses = witnesses;
    }

    /** The latest checkpoint as a C2SP signed note, exactly as signed. */
    @GET
    @Path("/checkpoint")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.REGULATOR, Roles.RESEARCHER, Roles.POLICY_ADMIN, Roles.MONITOR, LedgerRoles.APPEND})
    public String latest() {
        return checkpoints
                .latest()
                .map(CheckpointRecord::note)
                .orElseThrow(
                        () -> new ProblemException(ProblemType.NOT_FOUND, "No checkpoint has been published yet."));
    }

    /** Past checkpoints from a tree size on, oldest first. */
    @GET
    @Path("/checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.REGULATOR, Roles.RESEARCHER, Roles.POLICY_ADMIN, Roles.MONITOR, LedgerRoles.APPEND})
    public List<CheckpointRecord> list(@QueryParam("fromSize") Long fromSize, @QueryParam("limit") Integer limit) {
        int pageSize = limit == null ? 100 : limit;
        if (pageSize < 1 || pageSize > config.maxPage()) {
            throw new ProblemException(
                    ProblemType.INVALID_REQUEST, "'limit' must be between 1 and " + config.maxPage() + ".");
        }
        return checkpoints.list(fromSize == null ? 0 : fromSize, pageSize);
    }

    /**
     * Signs a checkpoint of the current tree now, instead of waiting for the interval, and submits it to the
     * witnesses before answering (each within its timeout; one that is down leaves it uncosigned by it for now).
     */
    @POST
    @Path("/checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.REGULATOR, Roles.POLICY_ADMIN})
    public CheckpointRecord publish() {
        CheckpointRecord published = checkpoints.publish();
        witnesses.cosign(published);
        return published;
    }

    /** The configured witnesses' keys (cosignature/v1 vkeys); a verifier pins its own copies out of band. */
    @GET
    @Path("/witnesses")
    @Produces(MediaType.APPLICATION_JSON)
    @PermitAll
    public List<String> witnessKeys() {
        return witnesses.witnessKeys();
    }

    /** The current verifier key in Go's vkey form; anyone may fetch it, but should pin it out of band. */
    @GET
    @Path("/public-key")
    @Produces(MediaType.TEXT_PLAIN)
    @PermitAll
    public String publicKey() {
        return keys.verifierKeys().get(0);
    }

    /** The current verifier key first, then retired ones that old checkpoints were signed with. */
    @GET
    @Path("/public-keys")
    @Produces(MediaType.APPLICATION_JSON)
    @PermitAll
    public List<String> publicKeys() {
        return keys.verifierKeys();
    }
}
