package org.vettedaccess.ledger.disclosure;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.vettedaccess.ledger.append.AppendResult;
import org.vettedaccess.ledger.append.Sequencer;
import org.vettedaccess.ledger.entry.EntryValidator;
import org.vettedaccess.ledger.entry.PreparedEntry;
import org.vettedaccess.ledger.entry.Pseudonyms;
import org.vettedaccess.ledger.tree.TreeReader;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** Records a disclosure as a leaf first, then makes the name visible to regulators for that pseudonym. */
@ApplicationScoped
public class DisclosureService {

    /** What a disclosure produced: the pseudonym and the leaf that records it. */
    public record Disclosure(String pseudonym, long leafIndex) {}

    private final EntryValidator validator;
    private final Sequencer sequencer;
    private final Pseudonyms pseudonyms;
    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final Clock clock;

    public DisclosureService(
            EntryValidator validator,
            Sequencer sequencer,
            Pseudonyms pseudonyms,
            AgroalDataSource dataSource,
            ObjectMapper json,
            Clock clock) {
        this.validator = validator;
        this.sequencer = sequencer;
        this.pseudonyms = pseudonyms;
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    /** Blocks until the disclosure leaf is durable, then records the name: call it on a worker thread. */
    public Disclosure disclose(DisclosureRequest request, String admin) {
        if (request == null
                || request.subject() == null
                || request.displayName() == null
                || request.displayName().isBlank()
                || request.displayName().length() > 200) {
            throw new ProblemException(
                    ProblemType.INVALID_REQUEST, "'subject' and 'displayName' (1 to 200 characters) are required.");
        }
        Instant now = clock.instant();
        ObjectNode entry = json.createObjectNode()
                .put("pseudonym", pseudonyms.of(request.subject()))
                .put("requestedBy", admin)
                .put("legalBasis", request.legalBasis())
                .put("reason", request.reason())
                .put("disclosedTo", request.disclosedTo())
                .put("disclosedAt", now.toString());
        PreparedEntry prepared =
                validator.prepare("disclosure:" + UUID.randomUUID(), "disclosure", entry, "disclosure");
        String pseudonym = pseudonyms.of(request.subject());
        AppendResult recorded;
        try {
            recorded = sequencer
                    .submit(List.of(prepared), admin)
                    .toCompletableFuture()
                    .join()
                    .get(0);
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        // On this worker thread, not the sequencer's: the sequencer must not wait for this insert.
        remember(pseudonym, request.displayName(), recorded.index(), now);
        return new Disclosure(pseudonym, recorded.index());
    }

    private void remember(String pseudonym, String name, long leafIndex, Instant at) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO disclosures (pseudonym,"
                        + " display_name, leaf_index, disclosed_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (pseudonym) DO NOTHING")) {
            insert.setString(1, pseudonym);
            insert.setString(2, name);
            insert.setLong(3, leafIndex);
            insert.setTimestamp(4, Timestamp.from(at));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }
}
