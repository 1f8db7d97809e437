package org.vettedaccess.ledger.proof;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.ledger.entry.LeafQueries;
import org.vettedaccess.ledger.entry.Pseudonyms;
import org.vettedaccess.ledger.entry.StoredLeaf;
import org.vettedaccess.ledger.tree.TreeReader;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** RFC 9162 inclusion and consistency proofs, hashes in base64. */
@Path("/api/v1/proofs")
@Produces(MediaType.APPLICATION_JSON)
public class ProofResource {

    private final TreeReader tree;
    private final LeafQueries leaves;
    private final Pseudonyms pseudonyms;
    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public ProofResource(
            TreeReader tree, LeafQueries leaves, Pseudonyms pseudonyms, SecurityIdentity identity, JsonWebToken token) {
        this.tree = tree;
        this.leaves = leaves;
        this.pseudonyms = pseudonyms;
        this.identity = identity;
        this.token = token;
    }

    /**
     * A leaf's inclusion proof.
     *
     * @param leafIndex the leaf
     * @param treeSize the tree size it proves against (a checkpoint's)
     * @param leafHash the leaf's hash, base64
     * @param hashes the audit path, from the leaf's sibling up
     */
    public record InclusionProof(long leafIndex, long treeSize, String leafHash, List<String> hashes) {}

    /** A consistency proof between two tree sizes. */
    public record ConsistencyProof(long from, long to, List<String> hashes) {}

    @GET
    @Path("/inclusion")
    @RolesAllowed({Roles.REGULATOR, Roles.RESEARCHER, Roles.MONITOR})
    public InclusionProof inclusion(
            @QueryParam("index") Long index,
            @QueryParam("leafHash") String leafHash,
            @QueryParam("treeSize") Long treeSize) {
        if (treeSize == null || (index == null) == (leafHash == null)) {
            throw new ProblemException(
                    ProblemType.INVALID_REQUEST, "Give 'treeSize' and exactly one of 'index' or 'leafHash'.");
        }
        StoredLeaf leaf = (index != null ? leaves.byIndex(index) : leaves.byHash(decode(leafHash)))
                // A proof shows the leaf's hash, not its bytes: monitors check any leaf, researchers their own.
                .filter(found -> identity.hasRole(Roles.REGULATOR)
                        || identity.hasRole(Roles.MONITOR)
                        || pseudonyms.of(token.getSubject()).equals(found.subject()))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No such entry for you."));
        List<byte[]> path = tree.inclusion(leaf.index(), treeSize);
        return new InclusionProof(
                leaf.index(),
                treeSize,
                encode(leaf.leafHash()),
                path.stream().map(ProofResource::encode).toList());
    }

    @GET
    @Path("/consistency")
    @RolesAllowed({Roles.REGULATOR, Roles.RESEARCHER, Roles.MONITOR})
    public ConsistencyProof consistency(@QueryParam("from") Long from, @QueryParam("to") Long to) {
        if (from == null || to == null) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "Give both 'from' and 'to' tree sizes.");
        }
        return new ConsistencyProof(
                from,
                to,
                tree.consistency(from, to).stream().map(ProofResource::encode).toList());
    }

    static String encode(byte[] hash) {
        return Base64.getEncoder().encodeToString(hash);
    }

    private static byte[] decode(String base64) {
        try {
            // Accept base64url too, and a '+' that a query string turned into a space.
            return Base64.getDecoder()
                    .decode(base64.replace(' ', '+').replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "'leafHash' must be base64.");
        }
    }
}
