package org.vettedaccess.kyc.screening;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.vettedaccess.kyc.sanctions.SanctionsList;

/**
 * Why a listed entry is a candidate, for the reviewer: which names matched with what score, and whether the
 * applicant's secondary identifiers (date of birth, nationality) agree with the entry's where the list has them. A
 * listed birth date may be a full date, a year-month or a year; it agrees when the applicant's date falls within it.
 */
record Explanation(String text, boolean birthDateDiffers) {

    /** What the screening compared: the applicant's name and, if given, date of birth and nationality. */
    record Screened(String name, LocalDate dateOfBirth, String nationality) {}

    static Explanation of(Screened screened, SanctionsList.Candidate candidate) {
        StringBuilder text = new StringBuilder(String.format(
                Locale.ROOT, "name matched \"%s\" (score %.3f)", candidate.matchedName(), candidate.score()));
        String birth = compare(
                screened.dateOfBirth() == null ? null : screened.dateOfBirth().toString(),
                candidate.birthDates(),
                true);
        String nationality = compare(
                screened.nationality() == null ? null : screened.nationality().toLowerCase(Locale.ROOT),
                candidate.countries(),
                false);
        text.append("; birth date ").append(describe(birth, screened.dateOfBirth(), candidate.birthDates()));
        text.append("; nationality ").append(describe(nationality, screened.nationality(), candidate.countries()));
        return new Explanation(text.toString(), birth.equals("differs"));
    }

    /** "agrees", "differs", "not given" (by the applicant) or "not listed". */
    private static String compare(String applicant, List<String> listed, boolean prefix) {
        if (listed == null || listed.isEmpty()) {
            return "not listed";
        }
        if (applicant == null) {
            return "not given";
        }
        return listed.stream().anyMatch(l -> prefix ? applicant.startsWith(l) : applicant.equals(l))
                ? "agrees"
                : "differs";
    }

    private static String describe(String outcome, Object applicant, List<String> listed) {
        return switch (outcome) {
            case "agrees", "differs" ->
                outcome + " (applicant " + applicant + ", listed " + String.join(", ", listed) + ")";
            case "not given" -> "not given by the applicant (listed " + String.join(", ", listed) + ")";
            default -> "not on the list";
        };
    }
}
