package org.vettedaccess.kyc.application;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;

/**
 * Researchers for the policy admins who issue and change their grants: names for the subjects on a portal page
 * (one batched answer), and approved researchers found by name for the grant form's picker (ADR 0093, 0081).
 * Regulators are not allowed: they see pseudonyms unless a name is disclosed through the ledger.
 */
@Path("/api/v1/applicants")
@RolesAllowed(Roles.POLICY_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ApplicantsResource {

    static final int MAX_SUBJECTS = 100;
    static final int MAX_FOUND = 20;

    private final ApplicationRepository applications;

    public ApplicantsResource(ApplicationRepository applications) {
        this.applications = applications;
    }

    /** An approved researcher as the grant form's picker offers them. */
    public record Applicant(
            String subject, String legalName, String affiliation, Integer approvedTier, Instant validUntil) {}

    /**
     * Researchers with an APPROVED application whose legal name contains {@code name} (any case), newest approval
     * first, at most {@value #MAX_FOUND}: what a grant can be issued to, found without typing a subject id.
     */
    @GET
    public List<Applicant> approved(@QueryParam("name") String name) {
        String text = name == null ? "" : name.strip();
        if (text.length() < 2 || text.length() > 200 || text.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.invalidField("name", "must be 2 to 200 characters of the researcher's name");
        }
        Map<String, Applicant> found = new LinkedHashMap<>();
        for (ApplicationEntity a : applications.approvedNamed(text, MAX_FOUND * 2)) {
            found.putIfAbsent(
                    a.subject, new Applicant(a.subject, a.legalName, a.affiliation, a.requestedTier, a.validUntil));
        }
        return found.values().stream().limit(MAX_FOUND).toList();
    }

    /** Subject to the legal name of their newest application that has one; subjects without one are left out. */
    @GET
    @Path("/names")
    public Map<String, String> names(@QueryParam("subject") List<String> subjects) {
        if (subjects == null || subjects.isEmpty()) {
            return Map.of();
        }
        if (subjects.size() > MAX_SUBJECTS) {
            throw ProblemException.invalidField("subject", "at most " + MAX_SUBJECTS + " per request");
        }
        Map<String, String> names = new LinkedHashMap<>();
        applications
                .namedOldestFirst(subjects)
                .forEach(application -> names.put(application.subject, application.legalName));
        return names;
    }
}
