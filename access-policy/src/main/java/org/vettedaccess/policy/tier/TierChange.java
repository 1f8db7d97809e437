package org.vettedaccess.policy.tier;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Whether a tier change only narrows access, and the ledger leaf of a tier version. */
public final class TierChange {

    private TierChange() {}

    /**
     * True if every field of {@code after} is as strict as in {@code before} or stricter: requirements (assurance,
     * reviewers, purpose statement, re-screening) stay or rise; limits, budget, endpoints, grant and key lifetimes
     * stay or shrink; auto-grant stays or turns off. A change mixing a stricter and a looser field is permissive.
     * Both must be complete (no null key lifetimes or auto-grant).
     */
    public static boolean restrictive(TierRecord before, TierRecord after) {
        return after.minAssurance() >= before.minAssurance()
                && after.reviewers() >= before.reviewers()
                && (after.purposeRequired() || !before.purposeRequired())
                && atMostOrNever(after.rescreenDays(), before.rescreenDays())
                && after.rpm() <= before.rpm()
                && after.inputTpm() <= before.inputTpm()
                && after.outputTpm() <= before.outputTpm()
                && after.maxTokens() <= before.maxTokens()
                && atMostOrUnlimited(after.tokenBudget(), before.tokenBudget())
                && before.endpoints().containsAll(after.endpoints())
                && after.maxGrantDays() <= before.maxGrantDays()
                && after.keyDefaultDays() <= before.keyDefaultDays()
                && after.keyMaxDays() <= before.keyMaxDays()
                && (!after.autoGrant() || before.autoGrant());
    }

    /** Re-screening every {@code after} days is as strict as every {@code before} (null: never). */
    private static boolean atMostOrNever(Integer after, Integer before) {
        return before == null || (after != null && after <= before);
    }

    /** A budget of {@code after} tokens is as strict as {@code before} (null: unlimited). */
    private static boolean atMostOrUnlimited(Long after, Long before) {
        return before == null || (after != null && after <= before);
    }

    /**
     * The leaf fields of a tier version (tier.changed, tier.change-requested): the whole version, who acted and,
     * for a two-admin change, its id.
     */
    public static Map<String, Object> leaf(TierRecord tier, List<String> actors, UUID changeId) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("rpm", tier.rpm());
        limits.put("inputTpm", tier.inputTpm());
        limits.put("outputTpm", tier.outputTpm());
        limits.put("maxTokens", tier.maxTokens());
        if (tier.tokenBudget() != null) {
            limits.put("tokenBudget", tier.tokenBudget());
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("tier", tier.tier());
        entry.put("version", tier.version());
        entry.put("minAssurance", tier.minAssurance());
        entry.put("reviewers", tier.reviewers());
        entry.put("purposeRequired", tier.purposeRequired());
        if (tier.rescreenDays() != null) {
            entry.put("rescreenDays", tier.rescreenDays());
        }
        entry.put("limits", limits);
        entry.put("endpoints", List.copyOf(tier.endpoints()));
        entry.put("maxGrantDays", tier.maxGrantDays());
        entry.put("keyDefaultDays", tier.keyDefaultDays());
        entry.put("keyMaxDays", tier.keyMaxDays());
        entry.put("autoGrant", tier.autoGrant());
        entry.put("actors", List.copyOf(actors));
        if (changeId != null) {
            entry.put("changeId", changeId.toString());
        }
        return entry;
    }

    /** The idempotency key of a tier version's leaf. */
    public static String key(int tier, int version) {
        return "tier:" + tier + ":v" + version;
    }
}
