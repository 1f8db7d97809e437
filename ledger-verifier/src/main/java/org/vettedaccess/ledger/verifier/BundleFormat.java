package org.vettedaccess.ledger.verifier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.verifier.witness.WitnessPolicy;

/**
 * Picks the verifier for a bundle: version 2 (first field {@code "format": "vetted-access-export/2"}) streams through
 * {@link StreamingVerifier}; older bundles, with an inclusion proof per entry, go to {@link Verifier} as before.
 */
public final class BundleFormat {

    private static final int PEEK = 1 << 16;

    private BundleFormat() {}

    /** Verifies a bundle of either format; {@code in} must support mark/reset (a buffered stream). */
    public static Report verify(
            InputStream in, List<NoteKeys.Verifier> keys, Optional<WitnessPolicy> policy, Optional<String> held)
            throws IOException {
        in.mark(PEEK);
        boolean streamed = false;
        try (JsonParser peek = new JsonFactory().createParser(new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // the bundle is read again below
            }
        })) {
            streamed = peek.nextToken() == JsonToken.START_OBJECT
                    && peek.nextToken() == JsonToken.FIELD_NAME
                    && peek.currentName().equals("format")
                    && peek.nextToken() == JsonToken.VALUE_STRING
                    && peek.getText().equals(StreamingVerifier.FORMAT);
        } catch (IOException e) {
            streamed = false;
        }
        in.reset();
        if (streamed) {
            return new StreamingVerifier(keys, policy).verify(in, held);
        }
        Report report = new Verifier(keys).verify(new ObjectMapper().readTree(in), held);
        if (policy.isPresent()) {
            report.fail("witnesses", "a version 1 bundle carries no cosigned checkpoint; export it again");
        }
        return report;
    }
}
