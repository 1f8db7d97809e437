package org.vettedaccess.policy.incident;

import java.util.Locale;
import java.util.UUID;
import org.vettedaccess.support.problem.ProblemException;

/**
 * The change a manual KILL_SWITCH mitigation names: a real kill switch, by its id ({@code 3f2c…} or
 * {@code kill switch 3f2c…}, as the one-click answer writes it), so the mitigated leaf can name the switch's own
 * leaves. TIER_CHANGE, MODEL_CHANGE and OTHER stay text: a tier or model version is not one object a leaf names
 * (see the access-policy README, "Incident reports").
 */
final class MitigationChange {

    private static final String PREFIX = "kill switch ";

    private MitigationChange() {}

    /** The kill switch id a KILL_SWITCH mitigation's {@code change} names, or a 400 on {@code change}. */
    static UUID killSwitchId(String change) {
        String text = change == null ? "" : change.strip();
        if (text.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            text = text.substring(PREFIX.length()).strip();
        }
        try {
            UUID id = UUID.fromString(text);
            if (id.toString().equals(text.toLowerCase(Locale.ROOT))) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw ProblemException.invalidField("change", "must be the id of the kill switch that mitigated it");
    }

    /** How the event and its leaf name the switch, as the one-click answer does. */
    static String killSwitchRef(UUID id) {
        return PREFIX + id;
    }
}
