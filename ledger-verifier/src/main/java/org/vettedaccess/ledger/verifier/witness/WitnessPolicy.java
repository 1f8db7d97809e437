package org.vettedaccess.ledger.verifier.witness;

import java.util.List;
import org.vettedaccess.ledger.core.Cosignature;

/**
 * A verifier's witness policy: at least {@code threshold} of the {@code trusted} witnesses must have cosigned a
 * checkpoint before it is believed to be the one log everyone is shown.
 */
public record WitnessPolicy(List<Cosignature.Verifier> trusted, int threshold) {

    public WitnessPolicy {
        trusted = List.copyOf(trusted);
        if (threshold < 1 || threshold > trusted.size()) {
            throw new IllegalArgumentException(
                    "the witness threshold must be between 1 and the number of trusted witnesses (" + trusted.size()
                            + "); it is " + threshold);
        }
    }

    /** Null if the note satisfies the policy; else what is missing. */
    public String check(String note) {
        List<Cosignature.Verified> cosigners = Cosignature.cosigners(note, trusted);
        if (cosigners.size() >= threshold) {
            return null;
        }
        return "the newest checkpoint has " + cosigners.size() + " valid cosignature(s) by trusted witnesses"
                + (cosigners.isEmpty()
                        ? ""
                        : " ("
                                + String.join(
                                        ", ",
                                        cosigners.stream()
                                                .map(v -> v.witness().name())
                                                .toList()) + ")")
                + "; the policy needs " + threshold + " of " + trusted.size();
    }

    /** What satisfied it, for the report. */
    public String describe(String note) {
        List<Cosignature.Verified> cosigners = Cosignature.cosigners(note, trusted);
        return cosigners.size() + " of " + trusted.size() + " trusted witnesses cosigned the newest checkpoint ("
                + String.join(
                        ", ",
                        cosigners.stream()
                                .map(v -> v.witness().name() + " at " + v.timestamp())
                                .toList())
                + "); the policy needs " + threshold;
    }
}
