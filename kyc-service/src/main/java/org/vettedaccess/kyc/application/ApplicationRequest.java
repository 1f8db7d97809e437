package org.vettedaccess.kyc.application;

import java.util.List;

/**
 * What a researcher writes in an application. Every field is optional in a draft; submitting needs them all (but
 * funding sources and conflicts of interest, which may say "none").
 *
 * @param orcid an ORCID iD, e.g. 0000-0002-1825-0097
 * @param rorId the affiliation's ROR id, bare or as https://ror.org/…
 * @param country ISO 3166-1 alpha-2
 * @param requestedTier 1, 2 or 3
 * @param termsVersion the version of the lab's terms accepted, with termsAccepted true
 * @param dateOfBirth ISO 8601 date (yyyy-MM-dd), optional: compared with a list entry's birth date
 * @param nationality ISO 3166-1 alpha-2, optional: compared with a list entry's countries
 */
public record ApplicationRequest(
        String legalName,
        String email,
        String institutionalEmail,
        String orcid,
        String affiliation,
        String rorId,
        String country,
        String position,
        String purpose,
        Integer requestedTier,
        List<String> requestedModels,
        String fundingSources,
        String conflictsOfInterest,
        Boolean termsAccepted,
        String termsVersion,
        String dateOfBirth,
        String nationality) {}
