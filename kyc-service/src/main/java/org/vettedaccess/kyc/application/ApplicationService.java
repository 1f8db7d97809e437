package org.vettedaccess.kyc.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.vettedaccess.kyc.catalog.RequestedModels;
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.kyc.orcid.OrcidProof;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/** The researcher's side of an application: draft, edit, submit, resubmit, read (withdrawal: ReviewService). */
@ApplicationScoped
public class ApplicationService {

    private static final int MAX_SHORT = 200;
    private static final int MAX_LONG = 5_000;
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final ApplicationRepository applications;
    private final EventRepository events;
    private final Vetting vetting;
    private final ApplicationParts.Reviews reviews;
    private final ApplicationParts.EmailProofs proofs;
    private final ApplicationParts.Candidates candidates;
    private final RequestedModels requestedModels;
    private final KycConfig config;
    private final Clock clock;

    public ApplicationService(
            ApplicationRepository applications,
            EventRepository events,
            Vetting vetting,
            ApplicationParts.Reviews reviews,
            ApplicationParts.EmailProofs proofs,
            ApplicationParts.Candidates candidates,
            RequestedModels requestedModels,
            KycConfig config,
            Clock clock) {
        this.applications = applications;
        this.events = events;
        this.vetting = vetting;
        this.reviews = reviews;
        this.proofs = proofs;
        this.candidates = candidates;
        this.requestedModels = requestedModels;
        this.config = config;
        this.clock = clock;
    }

    /**
     * A new draft. {@code provenOrcid} is the iD of the caller's linked ORCID account (their token's claim), never
     * anything from the request: the application's iD is VERIFIED only if it equals it.
     */
    @Transactional
    public ApplicationView create(String subject, ApplicationRequest request, Optional<String> provenOrcid) {
        ApplicationEntity application = new ApplicationEntity();
        application.id = UUID.randomUUID();
        application.subject = subject;
        application.state = ApplicationState.DRAFT;
        application.requestedModels = new String[0];
        application.version = 1;
        application.createdAt = clock.instant();
        application.updatedAt = application.createdAt;
        apply(application, request == null ? empty() : request);
        application.orcidVerified = OrcidProof.verified(application.orcid, provenOrcid);
        applications.persist(application);
        record(application, ApplicationState.DRAFT, subject, "created");
        return view(application, false);
    }

    /** Edits a draft; the iD's proof is judged again against the caller's token, as in {@link #create}. */
    @Transactional
    public ApplicationView update(String subject, UUID id, ApplicationRequest request, Optional<String> provenOrcid) {
        ApplicationEntity application = own(subject, id);
        if (!ApplicationState.EDITABLE.contains(application.state)) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "A " + application.state + " application cannot be edited.");
        }
        if (request == null) {
            throw ProblemException.invalidField("body", "is required");
        }
        apply(application, request);
        application.orcidVerified = OrcidProof.verified(application.orcid, provenOrcid);
        application.version++;
        application.updatedAt = clock.instant();
        return view(application, false);
    }

    /** Submits (or resubmits) for screening: the checks run at once, and the application goes to review or is refused. */
    @Transactional
    public ApplicationView submit(String subject, UUID id, Optional<String> provenOrcid) {
        ApplicationEntity application = own(subject, id);
        requireComplete(application);
        // The catalog may have changed since the request was saved: checked again (422; 503 if unread, not submitted).
        requestedModels.recheck(List.of(application.requestedModels), application.requestedTier);
        // An iD typed before the researcher linked their ORCID account becomes VERIFIED when it is that account's.
        application.orcidVerified = OrcidProof.verified(application.orcid, provenOrcid);
        move(application, ApplicationState.SUBMITTED, subject, "submitted for vetting");
        application.submittedAt = clock.instant();
        application.claimedBy = null;
        move(application, ApplicationState.SCREENING, "kyc-service", "automated checks");
        List<ApplicationView.Check> results = vetting.run(application, events.round(application.id));
        ApplicationView.Check embargo = results.stream()
                .filter(c -> c.name().equals("country") && c.result().equals("FAIL"))
                .findFirst()
                .orElse(null);
        if (embargo != null) {
            move(
                    application,
                    ApplicationState.REJECTED,
                    "kyc-service",
                    "country " + application.country + ": " + embargo.detail());
        } else {
            move(application, ApplicationState.IN_REVIEW, "kyc-service", "checks done; waiting for a reviewer");
        }
        return view(application, false);
    }

    public List<ApplicationView> mine(String subject) {
        return applications.ofSubject(subject).stream().map(a -> view(a, false)).toList();
    }

    public ApplicationView get(String subject, UUID id) {
        return view(own(subject, id), false);
    }

    /** A researcher's own application; another's is a 404, never a 403, so ids reveal nothing. */
    public ApplicationEntity own(String subject, UUID id) {
        ApplicationEntity application = applications.findById(id);
        if (application == null || !application.subject.equals(subject)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "You have no application " + id + ".");
        }
        return application;
    }

    /** Moves an application to a new state, or answers 409 if the move is not allowed. */
    public void move(ApplicationEntity application, String to, String actor, String reason) {
        if (!ApplicationState.canMove(application.state, to)) {
            throw new ProblemException(
                    ProblemType.CONFLICT, "A " + application.state + " application cannot become " + to + ".");
        }
        application.state = to;
        application.version++;
        application.updatedAt = clock.instant();
        record(application, to, actor, reason);
    }

    private void record(ApplicationEntity application, String state, String actor, String reason) {
        EventEntity event = new EventEntity();
        event.applicationId = application.id;
        event.state = state;
        event.actor = actor;
        event.reason = reason;
        event.at = clock.instant();
        events.persist(event);
    }

    public int approvalsNeeded(ApplicationEntity application) {
        return application.requestedTier != null && application.requestedTier >= 3 ? 2 : 1;
    }

    /**
     * The application as a reviewer sees it (everything, with the sanctions candidates) or as its researcher sees
     * it: never a list name, entry id or score, in the checks or in the timeline (no tipping-off).
     */
    public ApplicationView view(ApplicationEntity a, boolean forReviewer) {
        int round = events.round(a.id);
        List<ApplicationView.Check> checkViews = vetting.of(a.id).stream()
                .map(c -> forReviewer || !c.name().equals("sanctions") ? c : NoTippingOff.check(c, a.state))
                .toList();
        List<ApplicationView.Review> reviewViews = reviews.shown(a.id, forReviewer);
        List<ApplicationView.Event> timeline = forReviewer
                ? events.of(a.id).stream()
                        .map(e -> new ApplicationView.Event(e.state, e.at, e.reason))
                        .toList()
                : NoTippingOff.timeline(events.of(a.id));
        return new ApplicationView(
                a.id,
                a.state,
                a.legalName,
                a.email,
                a.institutionalEmail,
                a.orcid,
                OrcidProof.status(a.orcid, a.orcidVerified),
                a.affiliation,
                a.rorId,
                a.country,
                a.dateOfBirth,
                a.nationality,
                a.position,
                a.purpose,
                a.requestedTier,
                List.of(a.requestedModels),
                a.fundingSources,
                a.conflictsOfInterest,
                a.termsVersion,
                a.assuranceLevel,
                a.kycLeaf,
                a.validUntil,
                a.createdAt,
                a.submittedAt,
                a.erasedAt,
                proofs.shown(a.id),
                approvalsNeeded(a),
                reviews.approvals(a.id, round),
                checkViews,
                reviewViews,
                timeline,
                forReviewer ? candidates.views(a.id, round) : null);
    }

    /** Checks the form of every field given; absent fields stay as they were. */
    private void apply(ApplicationEntity a, ApplicationRequest r) {
        if (r.legalName() != null) {
            a.legalName = text("legalName", r.legalName(), MAX_SHORT);
        }
        if (r.email() != null) {
            a.email = email("email", r.email());
        }
        if (r.institutionalEmail() != null) {
            a.institutionalEmail = email("institutionalEmail", r.institutionalEmail());
        }
        if (r.orcid() != null) {
            if (!Identifiers.orcidFormat(r.orcid().strip())) {
                throw ProblemException.invalidField("orcid", "must be an ORCID iD such as 0000-0002-1825-0097");
            }
            if (!Identifiers.orcidChecksum(r.orcid().strip())) {
                throw ProblemException.invalidField("orcid", "has a check digit that does not match (ISO 7064 11,2)");
            }
            a.orcid = r.orcid().strip();
        }
        if (r.affiliation() != null) {
            a.affiliation = text("affiliation", r.affiliation(), MAX_SHORT);
        }
        if (r.rorId() != null) {
            String ror = Identifiers.rorId(r.rorId());
            if (ror == null) {
                throw ProblemException.invalidField("rorId", "must be a ROR id such as 05qwgg493");
            }
            if (!Identifiers.rorChecksum(ror)) {
                throw ProblemException.invalidField("rorId", "has check digits that do not match (ISO 7064 Mod 97-10)");
            }
            a.rorId = ror;
        }
        if (r.country() != null) {
            if (!Identifiers.country(r.country())) {
                throw ProblemException.invalidField("country", "must be an ISO 3166-1 alpha-2 code such as 'DE'");
            }
            a.country = r.country();
        }
        if (r.dateOfBirth() != null) {
            a.dateOfBirth = dateOfBirth(r.dateOfBirth());
        }
        if (r.nationality() != null) {
            if (!Identifiers.country(r.nationality())) {
                throw ProblemException.invalidField("nationality", "must be an ISO 3166-1 alpha-2 code such as 'DE'");
            }
            a.nationality = r.nationality();
        }
        if (r.position() != null) {
            a.position = text("position", r.position(), MAX_SHORT);
        }
        if (r.purpose() != null) {
            a.purpose = text("purpose", r.purpose(), MAX_LONG);
        }
        if (r.requestedTier() != null) {
            if (r.requestedTier() < 1 || r.requestedTier() > 3) {
                throw ProblemException.invalidField("requestedTier", "must be 1, 2 or 3");
            }
            a.requestedTier = r.requestedTier();
        }
        if (r.requestedModels() != null) {
            if (r.requestedModels().size() > 20
                    || r.requestedModels().stream()
                            .anyMatch(m -> m == null || !MODEL_ID.matcher(m).matches())) {
                throw ProblemException.invalidField("requestedModels", "must be at most 20 model ids");
            }
            a.requestedModels = r.requestedModels().toArray(String[]::new);
        }
        if (r.requestedModels() != null || r.requestedTier() != null) {
            // Against access-policy's catalog: known, active models, and a tier they allow (400, or 503 unread).
            requestedModels.check(a.requestedModels == null ? List.of() : List.of(a.requestedModels), a.requestedTier);
        }
        if (r.fundingSources() != null) {
            a.fundingSources = text("fundingSources", r.fundingSources(), MAX_LONG);
        }
        if (r.conflictsOfInterest() != null) {
            a.conflictsOfInterest = text("conflictsOfInterest", r.conflictsOfInterest(), MAX_LONG);
        }
        if (r.termsAccepted() != null || r.termsVersion() != null) {
            if (!Boolean.TRUE.equals(r.termsAccepted())
                    || !config.termsVersion().equals(r.termsVersion())) {
                throw ProblemException.invalidField(
                        "termsVersion", "must accept the current terms, version " + config.termsVersion());
            }
            a.termsVersion = r.termsVersion();
        }
    }

    private void requireComplete(ApplicationEntity a) {
        List<String> missing = new ArrayList<>();
        if (a.legalName == null) missing.add("legalName");
        if (a.email == null) missing.add("email");
        if (a.institutionalEmail == null) missing.add("institutionalEmail");
        if (a.orcid == null) missing.add("orcid");
        if (a.affiliation == null) missing.add("affiliation");
        if (a.rorId == null) missing.add("rorId");
        if (a.country == null) missing.add("country");
        if (a.position == null) missing.add("position");
        if (a.purpose == null) missing.add("purpose");
        if (a.requestedTier == null) missing.add("requestedTier");
        if (a.requestedModels == null || a.requestedModels.length == 0) missing.add("requestedModels");
        if (a.termsVersion == null || !a.termsVersion.equals(config.termsVersion())) missing.add("termsVersion");
        if (a.requestedTier != null && a.requestedTier >= 3) {
            // Tier 3 needs the funding and conflict-of-interest disclosure (which may say "none").
            if (a.fundingSources == null) missing.add("fundingSources");
            if (a.conflictsOfInterest == null) missing.add("conflictsOfInterest");
        }
        if (!missing.isEmpty()) {
            throw ProblemException.invalidField(missing.get(0), "is required to submit (missing: " + missing + ")");
        }
    }

    private static String text(String field, String value, int max) {
        String text = value.strip();
        if (text.isEmpty() || text.length() > max || text.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t')) {
            throw ProblemException.invalidField(field, "must be 1 to " + max + " characters of text");
        }
        return text;
    }

    private LocalDate dateOfBirth(String value) {
        try {
            LocalDate date = LocalDate.parse(value.strip());
            if (date.isBefore(LocalDate.of(1900, 1, 1)) || date.isAfter(LocalDate.now(clock))) {
                throw ProblemException.invalidField("dateOfBirth", "must be a date between 1900 and today");
            }
            return date;
        } catch (java.time.format.DateTimeParseException e) {
            throw ProblemException.invalidField("dateOfBirth", "must be an ISO 8601 date such as 1990-05-17");
        }
    }

    private static String email(String field, String value) {
        if (Identifiers.emailDomain(value.strip()) == null) {
            throw ProblemException.invalidField(field, "must be an email address");
        }
        return value.strip();
    }

    private static ApplicationRequest empty() {
        return new ApplicationRequest(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
