package org.vettedaccess.kyc.application;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.support.caller.Roles;
import org.vettedaccess.support.problem.ProblemException;

/**
 * Researchers' names for the policy admins who issue and change their grants: one batched answer per portal
 * page. Regulators are not allowed: they see pseudonyms unless a name is disclosed through the ledger.
 */
@Path("/api/v1/applicants/names")
@RolesAllowed(Roles.POLICY_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ApplicantNamesResource {

    static final int MAX_SUBJECTS = 100;

    private final ApplicationRepository applications;

    public ApplicantNamesResource(ApplicationRepository applications) {
        this.applications = applications;
    }

    /** Subject to the legal name of their newest application that has one; subjects without one are left out. */
    @GET
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
