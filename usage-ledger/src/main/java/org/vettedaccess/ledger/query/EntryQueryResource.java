package org.vettedaccess.ledger.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.disclosure.DisclosureReads;
import org.vettedaccess.ledger.entry.EntryFilter;
import org.vettedaccess.ledger.entry.EntryView;
import org.vettedaccess.ledger.entry.LeafQueries;
import org.vettedaccess.ledger.entry.Pseudonyms;
import org.vettedaccess.ledger.entry.StoredLeaf;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Reading the log. Regulators read every entry, pseudonymous, with the name only where a disclosure to that
 * regulator gives it (each such reading a {@code disclosure.read} leaf). A researcher reads only the entries about
 * themself, found by their own pseudonym. Services cannot read.
 */
@Path("/api/v1/entries")
@Produces(MediaType.APPLICATION_JSON)
public class EntryQueryResource {

    private final LeafQueries leaves;
    private final DisclosureReads disclosures;
    private final Pseudonyms pseudonyms;
    private final LedgerConfig config;
    private final SecurityIdentity identity;
    private final JsonWebToken token;
    private final ObjectMapper json;

    public EntryQueryResource(
            LeafQueries leaves,
            DisclosureReads disclosures,
            Pseudonyms pseudonyms,
            LedgerConfig config,
            SecurityIdentity identity,
            JsonWebToken token,
            ObjectMapper json) {
        this.leaves = leaves;
        this.disclosures = disclosures;
        this.pseudonyms = pseudonyms;
        this.config = config;
        this.identity = identity;
        this.token = token;
        this.json = json;
    }

    /** A page of entries and the cursor for the next page (null on the last). */
    public record EntryPage(List<EntryView> entries, Long next) {}

    @GET
    @RolesAllowed({Roles.REGULATOR, Roles.RESEARCHER})
    public EntryPage query(
            @QueryParam("type") String type,
            @QueryParam("model") String model,
            @QueryParam("subject") String subject,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("after") Long after,
            @QueryParam("limit") Integer limit) {
        int pageSize = limit == null ? 100 : limit;
        if (pageSize < 1 || pageSize > config.maxPage()) {
            throw new ProblemException(
                    ProblemType.INVALID_REQUEST, "'limit' must be between 1 and " + config.maxPage() + ".");
        }
        String ownOnly = regulator() ? subject : ownPseudonym(subject);
        List<StoredLeaf> page = leaves.find(
                new EntryFilter(type, model, ownOnly, instant("from", from), instant("to", to), after, pageSize + 1));
        boolean more = page.size() > pageSize;
        List<StoredLeaf> shown = more ? page.subList(0, pageSize) : page;
        return new EntryPage(
                views(shown, "GET /api/v1/entries"),
                more ? shown.get(shown.size() - 1).index() : null);
    }

    @GET
    @Path("/{index}")
    @RolesAllowed({Roles.REGULATOR, Roles.RESEARCHER})
    public EntryView one(@PathParam("index") long index) {
        StoredLeaf leaf = leaves.byIndex(index)
                .filter(found ->
                        regulator() || pseudonyms.of(token.getSubject()).equals(found.subject()))
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No entry " + index + " for you."));
        return views(List.of(leaf), "GET /api/v1/entries/" + index).get(0);
    }

    private List<EntryView> views(List<StoredLeaf> shown, String via) {
        Map<String, String> names = regulator()
                ? disclosures.namesFor(
                        shown.stream()
                                .map(StoredLeaf::subject)
                                .filter(s -> s != null)
                                .distinct()
                                .toList(),
                        token,
                        via)
                : Map.of();
        return shown.stream()
                .map(leaf -> new EntryView(
                        leaf.index(),
                        leaf.type(),
                        leaf.loggedAt(),
                        Base64.getEncoder().encodeToString(leaf.leafHash()),
                        Base64.getEncoder().encodeToString(leaf.bytes()),
                        parse(leaf.bytes()),
                        leaf.subject() == null ? null : names.get(leaf.subject())))
                .toList();
    }

    private boolean regulator() {
        return identity.hasRole(Roles.REGULATOR);
    }

    private String ownPseudonym(String requested) {
        String own = pseudonyms.of(token.getSubject());
        if (requested != null && !requested.equals(own)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "A researcher reads only their own entries.");
        }
        return own;
    }

    private static Instant instant(String name, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(
                    ProblemType.INVALID_REQUEST,
                    "'" + name + "' must be an RFC 3339 UTC time, e.g. 2026-01-31T12:00:00Z.");
        }
    }

    private com.fasterxml.jackson.databind.JsonNode parse(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
