package org.vettedaccess.contracts.ledger;

import java.util.List;

/**
 * The entries' durably assigned indices, in request order; all of them are stored, or none.
 *
 * @param results one per entry of the {@link AppendRequest}
 */
public record AppendResponse(List<AppendResult> results) {

    /** Whether there is exactly one result per entry sent (anything else is not an answer to trust). */
    public boolean answers(int entries) {
        return results != null && results.size() == entries;
    }
}
