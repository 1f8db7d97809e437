package org.vettedaccess.kyc.check;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.Identifiers;
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.kyc.emailproof.EmailProofEntity;
import org.vettedaccess.kyc.emailproof.EmailProofRepository;
import org.vettedaccess.kyc.sanctions.SanctionsList;

/** Runs the automated checks on a submitted application and stores each with its input, result and time. */
@ApplicationScoped
public class CheckRunner {

    private final KycConfig config;
    private final SanctionsList sanctions;
    private final EmailProofRepository proofs;
    private final Clock clock;

    public CheckRunner(KycConfig config, SanctionsList sanctions, EmailProofRepository proofs, Clock clock) {
        this.config = config;
        this.sanctions = sanctions;
        this.proofs = proofs;
        this.clock = clock;
    }

    /**
     * The checks' results, given the sanctions candidates the screening found (recorded by the caller); persisted
     * by the caller in its transaction.
     */
    public List<CheckEntity> run(ApplicationEntity application, List<SanctionsList.Candidate> candidates) {
        List<CheckEntity> checks = new ArrayList<>();
        boolean orcid = Identifiers.orcidChecksum(application.orcid);
        // A typed iD may be anyone's: only the researcher's own ORCID sign-in proves it (ADR 0048).
        checks.add(
                check(
                        application,
                        "orcid",
                        application.orcid,
                        !orcid ? "FAIL" : application.orcidVerified ? "PASS" : "REVIEW",
                        !orcid
                                ? "the check digit does not match"
                                : application.orcidVerified
                                        ? "VERIFIED: proven by the researcher's ORCID sign-in"
                                        : "UNVERIFIED: typed, not proven by an ORCID sign-in; check that it is the applicant's"));
        boolean ror = Identifiers.rorChecksum(application.rorId);
        checks.add(check(
                application,
                "ror",
                application.rorId,
                ror ? "PASS" : "FAIL",
                ror ? "format and ISO 7064 Mod 97-10 check digits valid" : "the check digits do not match"));
        String country = application.country;
        if (config.embargoedCountries().contains(country)) {
            checks.add(check(application, "country", country, "FAIL", "embargoed by the lab: refused automatically"));
        } else if (config.restrictedCountries().contains(country)) {
            checks.add(check(application, "country", country, "REVIEW", "restricted by the lab: needs a reviewer"));
        } else {
            checks.add(check(application, "country", country, "PASS", "no country rule applies"));
        }
        String domain = Identifiers.emailDomain(application.institutionalEmail);
        List<String> known = application.rorId == null
                ? List.of()
                : config.affiliationDomains().getOrDefault(application.rorId, List.of());
        if (known.isEmpty()) {
            checks.add(check(
                    application,
                    "email-domain",
                    domain,
                    "REVIEW",
                    "no known email domains for " + application.rorId + ": a reviewer must judge the affiliation"));
        } else if (domain != null && known.stream().anyMatch(d -> domain.equals(d) || domain.endsWith("." + d))) {
            checks.add(check(application, "email-domain", domain, "PASS", "a known domain of " + application.rorId));
        } else {
            checks.add(check(
                    application,
                    "email-domain",
                    domain,
                    "FAIL",
                    "not a known domain of " + application.rorId + " (" + String.join(", ", known) + ")"));
        }
        EmailProofEntity proof = proofs.latest(application.id);
        if (proof != null && proof.state.equals("VERIFIED") && proof.email.equals(application.institutionalEmail)) {
            checks.add(check(
                    application,
                    "institutional-email",
                    application.institutionalEmail,
                    "PASS",
                    "the address answered the code mailed to it (confirmed " + proof.verifiedAt + ")"));
        } else {
            checks.add(check(
                    application,
                    "institutional-email",
                    application.institutionalEmail,
                    "REVIEW",
                    "the address has not answered a mailed code: a reviewer must confirm it"));
        }
        if (candidates.isEmpty()) {
            checks.add(check(
                    application,
                    "sanctions",
                    application.legalName,
                    "PASS",
                    "no listed name at or above " + config.sanctions().threshold() + " among " + sanctions.size()
                            + " entries"));
        } else {
            // Shown to reviewers only (the researcher's view says "additional checks in progress").
            StringBuilder detail = new StringBuilder("possible match, each candidate needs a reviewer's disposition:");
            for (SanctionsList.Candidate c : candidates) {
                detail.append(String.format(
                        java.util.Locale.ROOT,
                        " %s %s \"%s\" (matched \"%s\", score %.3f);",
                        c.list(),
                        c.id(),
                        c.name(),
                        c.matchedName(),
                        c.score()));
            }
            checks.add(check(application, "sanctions", application.legalName, "REVIEW", detail.toString()));
        }
        return checks;
    }

    private CheckEntity check(ApplicationEntity application, String name, String input, String result, String detail) {
        CheckEntity check = new CheckEntity();
        check.applicationId = application.id;
        check.name = name;
        check.input = input == null ? "" : input;
        check.result = result;
        check.detail = detail;
        check.ranAt = clock.instant();
        return check;
    }
}
