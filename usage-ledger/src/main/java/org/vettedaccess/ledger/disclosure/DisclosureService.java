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
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.vettedaccess.contracts.ledger.AppendResult;
import org.vettedaccess.ledger.append.Sequencer;
import org.vettedaccess.ledger.entry.EntryValidator;
import org.vettedaccess.ledger.entry.PreparedEntry;
import org.vettedaccess.ledger.entry.Pseudonyms;
import org.vettedaccess.ledger.tree.TreeReader;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Records a disclosure as a leaf first, then makes the name visible for that pseudonym to the regulators the
 * disclosure names, and to them alone.
 */
@ApplicationScoped
public class DisclosureService {

    /** What a disclosure produced: the pseudonym, the leaf that records it, and who may now see the name. */
    public record Disclosure(String pseudonym, long leafIndex, List<String> disclosedTo) {}

    /** A Keycloak username (not an email: the ledger takes no email addresses). */
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final int MAX_RECIPIENTS = 20;

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
        List<String> disclosedTo = recipients(request.disclosedTo());
        Instant now = clock.instant();
        ObjectNode entry = json.createObjectNode()
                .put("pseudonym", pseudonyms.of(request.subject()))
                .put("requestedBy", admin)
                .put("legalBasis", request.legalBasis())
                .put("reason", request.reason())
                .put("disclosedTo", String.join(",", disclosedTo))
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
        remember(pseudonym, request.displayName(), recorded.index(), now, disclosedTo);
        return new Disclosure(pseudonym, recorded.index(), disclosedTo);
    }

    /** The regulators named in {@code disclosedTo}: their usernames, comma-separated. */
    private static List<String> recipients(String disclosedTo) {
        List<String> names = disclosedTo == null
                ? List.of()
                : Arrays.stream(disclosedTo.split(","))
                        .map(String::strip)
                        .filter(name -> !name.isEmpty())
                        .distinct()
                        .toList();
        if (names.isEmpty()
                || names.size() > MAX_RECIPIENTS
                || !names.stream().allMatch(name -> USERNAME.matcher(name).matches())) {
            throw ProblemException.invalidField(
                    "disclosedTo",
                    "must name 1 to " + MAX_RECIPIENTS + " regulators by username (letters, digits and ._-),"
                            + " comma-separated; only they will see the name");
        }
        return names;
    }

    private void remember(String pseudonym, String name, long leafIndex, Instant at, List<String> disclosedTo) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO disclosures (pseudonym,"
                        + " display_name, leaf_index, disclosed_at, disclosed_to) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (leaf_index) DO NOTHING")) {
            insert.setString(1, pseudonym);
            insert.setString(2, name);
            insert.setLong(3, leafIndex);
            insert.setTimestamp(4, Timestamp.from(at));
            insert.setArray(5, connection.createArrayOf("text", disclosedTo.toArray()));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw TreeReader.unavailable(e);
        }
    }
}
