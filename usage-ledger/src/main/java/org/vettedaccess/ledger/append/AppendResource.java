package org.vettedaccess.ledger.append;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.vettedaccess.contracts.ledger.AppendRequest;
import org.vettedaccess.contracts.ledger.AppendResponse;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.entry.EntryType;
import org.vettedaccess.ledger.entry.EntryValidator;
import org.vettedaccess.ledger.entry.LedgerRoles;
import org.vettedaccess.ledger.entry.PreparedEntry;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * {@code POST /api/v1/entries}: services append entries with their service accounts, each only the entry types it
 * owns ({@link Ownership}).
 */
@Path("/api/v1/entries")
public class AppendResource {

    private final EntryValidator validator;
    private final Sequencer sequencer;
    private final Ownership ownership;
    private final LedgerConfig config;
    private final JsonWebToken token;

    public AppendResource(
            EntryValidator validator,
            Sequencer sequencer,
            Ownership ownership,
            LedgerConfig config,
            JsonWebToken token) {
        this.validator = validator;
        this.sequencer = sequencer;
        this.ownership = ownership;
        this.config = config;
        this.token = token;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(LedgerRoles.APPEND)
    public CompletionStage<AppendResponse> append(AppendRequest<JsonNode> request) {
        if (request == null || request.entries() == null || request.entries().isEmpty()) {
            throw new ProblemException(ProblemType.INVALID_REQUEST, "'entries' must hold at least one entry.");
        }
        if (request.entries().size() > config.maxEntriesPerRequest()) {
            throw new ProblemException(
                    ProblemType.INVALID_REQUEST,
                    "'entries' may hold at most " + config.maxEntriesPerRequest() + " entries per request.");
        }
        // The service account's client id; idempotency keys are scoped by it, and it owns the types it may append.
        String appender = token.getClaim("azp");
        for (int i = 0; i < request.entries().size(); i++) {
            AppendRequest.Item<JsonNode> item = request.entries().get(i);
            if (item == null) {
                throw new ProblemException(ProblemType.INVALID_REQUEST, "'entries[" + i + "]' must be an object.");
            }
            checkOwner(appender, item.type(), "entries[" + i + "]");
        }
        List<PreparedEntry> prepared = new ArrayList<>(request.entries().size());
        for (int i = 0; i < request.entries().size(); i++) {
            AppendRequest.Item<JsonNode> item = request.entries().get(i);
            prepared.add(validator.prepare(item.idempotencyKey(), item.type(), item.entry(), "entries[" + i + "]"));
        }
        String appendedBy = appender == null ? token.getSubject() : appender;
        return sequencer.submit(prepared, appendedBy).thenApply(AppendResponse::new);
    }

    /** A known type the caller does not own refuses the whole request (unknown types are the validator's 400). */
    private void checkOwner(String appender, String typeName, String at) {
        EntryType type = EntryType.fromWire(typeName == null ? "" : typeName).orElse(null);
        if (type == null || ownership.owns(appender, type)) {
            return;
        }
        String owns = ownership.ownedBy(appender).stream()
                .map(EntryType::wireName)
                .sorted()
                .collect(Collectors.joining(", "));
        throw new ProblemException(
                ProblemType.FORBIDDEN,
                "'" + at + ".type': '" + type.wireName() + "' entries are not appended by '" + appender + "'"
                        + (type.ledgerOnly() ? " (the ledger writes them itself)" : "")
                        + (owns.isEmpty() ? ", which appends nothing" : ", which appends only " + owns)
                        + "; nothing of this request was stored.");
    }
}
