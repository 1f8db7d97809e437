package org.vettedaccess.kyc.screening;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.vettedaccess.kyc.application.ApplicationEntity;
import org.vettedaccess.kyc.application.ApplicationParts;
import org.vettedaccess.kyc.application.ApplicationView;
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.kyc.sanctions.SanctionsList;
import org.vettedaccess.support.problem.ProblemException;
import org.vettedaccess.support.problem.ProblemType;

/**
 * Sanctions screening candidates as records, and what their dispositions add up to. Each candidate of a review
 * round needs a disposition before any approval: FALSE_POSITIVE from one reviewer, or from two distinct reviewers
 * for a strong match ({@code kyc.sanctions.strong-match-threshold}), whatever the tier; a TRUE_MATCH rejects. A
 * reviewer who has since declared a conflict no longer counts.
 */
@ApplicationScoped
public class ScreeningService implements ApplicationParts.Candidates {

    public static final String FALSE_POSITIVE = "FALSE_POSITIVE";
    public static final String TRUE_MATCH = "TRUE_MATCH";
    public static final String OPEN = "OPEN";
    public static final String CLEARED = "CLEARED";

    private final CandidateRepository candidates;
    private final DispositionRepository dispositions;
    private final ReviewerConflicts conflicts;
    private final SanctionsList sanctions;
    private final KycConfig config;
    private final Clock clock;

    public ScreeningService(
            CandidateRepository candidates,
            DispositionRepository dispositions,
            ReviewerConflicts conflicts,
            SanctionsList sanctions,
            KycConfig config,
            Clock clock) {
        this.candidates = candidates;
        this.dispositions = dispositions;
        this.conflicts = conflicts;
        this.sanctions = sanctions;
        this.config = config;
        this.clock = clock;
    }

    /** A candidate with its dispositions and what they add up to. */
    public record Assessed(
            CandidateEntity candidate,
            List<DispositionEntity> dispositions,
            String status,
            int clearancesNeeded,
            Set<String> clearingReviewers) {}

    /** Screens a submitted application against the lists and records its candidates for the round. */
    public List<SanctionsList.Candidate> screen(ApplicationEntity application, int round) {
        List<SanctionsList.Candidate> found = sanctions.screen(application.legalName);
        record(application.id, round, screened(application), found);
        return found;
    }

    private static Explanation.Screened screened(ApplicationEntity application) {
        return new Explanation.Screened(application.legalName, application.dateOfBirth, application.nationality);
    }

    /**
     * Records a screening's candidates for the round; one already recorded (same list and entry) stays as it is.
     * Returns those it recorded.
     */
    private List<SanctionsList.Candidate> record(
            UUID applicationId, int round, Explanation.Screened screened, List<SanctionsList.Candidate> found) {
        List<CandidateEntity> known = candidates.of(applicationId, round);
        List<SanctionsList.Candidate> recorded = new ArrayList<>();
        for (SanctionsList.Candidate c : found) {
            if (recorded(known, c, fingerprint(screened, c)) || recorded.contains(c)) {
                continue;
            }
            recorded.add(c);
            CandidateEntity candidate = new CandidateEntity();
            candidate.id = UUID.randomUUID();
            candidate.applicationId = applicationId;
            candidate.reviewRound = round;
            candidate.listName = c.list();
            candidate.entryId = c.id();
            candidate.listedName = c.name();
            candidate.matchedName = c.matchedName();
            candidate.screenedName = screened.name();
            candidate.score = c.score();
            candidate.listVersion = c.listVersion();
            Explanation explanation = Explanation.of(screened, c);
            candidate.explanation = explanation.text();
            candidate.birthDateDiffers = explanation.birthDateDiffers();
            candidate.fingerprint = fingerprint(screened, c);
            candidate.foundAt = clock.instant();
            candidates.persist(candidate);
        }
        return recorded;
    }

    /** Whether the round has the entry already with the same data (a row from before fingerprints: any data). */
    private static boolean recorded(List<CandidateEntity> known, SanctionsList.Candidate c, String fingerprint) {
        return known.stream()
                .anyMatch(k -> k.listName.equals(c.list())
                        && k.entryId.equals(c.id())
                        && (k.fingerprint == null || k.fingerprint.equals(fingerprint)));
    }

    /**
     * What a candidate was found on: the list entry's data (list, id, listed and matched name, score, birth dates,
     * countries) and the applicant's as screened (name, date of birth, nationality), as a SHA-256. Not the list's
     * version: a list file that changed elsewhere leaves this entry's fingerprint as it was.
     */
    static String fingerprint(Explanation.Screened screened, SanctionsList.Candidate c) {
        String data = String.join(
                "\n",
                c.list(),
                c.id(),
                c.name(),
                c.matchedName(),
                String.format(Locale.ROOT, "%.6f", c.score()),
                String.join(";", c.birthDates()),
                String.join(";", c.countries()),
                String.valueOf(screened.name()),
                String.valueOf(screened.dateOfBirth()),
                String.valueOf(screened.nationality()));
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The candidates that are new for the application: those no cleared candidate of any earlier round matches
     * (same entry, same data on both sides; a clearing reviewer who has since declared a conflict does not count).
     */
    public List<SanctionsList.Candidate> uncleared(ApplicationEntity application, List<SanctionsList.Candidate> found) {
        if (found.isEmpty()) {
            return found;
        }
        Set<String> cleared = assess(application.id, candidates.of(application.id)).stream()
                .filter(a -> a.status().equals(CLEARED) && a.candidate().fingerprint != null)
                .map(a -> a.candidate().fingerprint)
                .collect(Collectors.toSet());
        Explanation.Screened screened = screened(application);
        return found.stream()
                .filter(c -> !cleared.contains(fingerprint(screened, c)))
                .toList();
    }

    /**
     * A re-screen's hits: records in the round (at once, for the reviewers) those that are new, neither cleared
     * before for the same data nor already recorded in the round, and returns them.
     */
    public List<SanctionsList.Candidate> recordNew(
            ApplicationEntity application, int round, List<SanctionsList.Candidate> found) {
        return record(application.id, round, screened(application), uncleared(application, found));
    }

    /** Of the screening's hits, those {@link #recordNew} would record: new for the application and the round. */
    public List<SanctionsList.Candidate> newIn(
            ApplicationEntity application, int round, List<SanctionsList.Candidate> found) {
        List<CandidateEntity> known = candidates.of(application.id, round);
        Explanation.Screened screened = screened(application);
        return uncleared(application, found).stream()
                .filter(c -> !recorded(known, c, fingerprint(screened, c)))
                .toList();
    }

    /**
     * Screens the name against the lists in force now and records any new candidate, in a transaction of its own:
     * a refused approval that follows still leaves them recorded for the reviewers (a list may have changed, or a
     * re-screen reopened the review, since the submission's screening).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void screenAgain(ApplicationEntity application, int round) {
        if (application.legalName != null) {
            // A candidate cleared in an earlier round for the same data (a re-screen's round) is not raised again.
            recordNew(application, round, sanctions.screen(application.legalName));
        }
    }

    /** The score from which a candidate is a strong match. */
    public double strongMatchThreshold() {
        return config.sanctions().strongMatchThreshold();
    }

    public boolean strong(CandidateEntity candidate) {
        return candidate.score >= config.sanctions().strongMatchThreshold();
    }

    /** The round's candidates, each with its status. */
    public List<Assessed> assess(UUID applicationId, int round) {
        return assess(applicationId, candidates.of(applicationId, round));
    }

    private List<Assessed> assess(UUID applicationId, List<CandidateEntity> found) {
        List<DispositionEntity> given =
                dispositions.of(found.stream().map(c -> c.id).toList());
        List<Assessed> assessed = new ArrayList<>();
        for (CandidateEntity candidate : found) {
            List<DispositionEntity> mine = given.stream()
                    .filter(d -> d.candidateId.equals(candidate.id))
                    .toList();
            Set<String> clearing = new LinkedHashSet<>();
            boolean trueMatch = false;
            for (DispositionEntity d : mine) {
                if (d.disposition.equals(TRUE_MATCH)) {
                    trueMatch = true;
                } else if (!conflicts.declared(applicationId, d.reviewer)) {
                    clearing.add(d.reviewer);
                }
            }
            int needed = strong(candidate) ? 2 : 1;
            String status = trueMatch ? TRUE_MATCH : clearing.size() >= needed ? CLEARED : OPEN;
            assessed.add(new Assessed(candidate, mine, status, needed, clearing));
        }
        return assessed;
    }

    /** Refuses (409, naming each) while any of the round's candidates lacks the dispositions that clear it. */
    public void requireCleared(UUID applicationId, int round) {
        List<Assessed> open = assess(applicationId, round).stream()
                .filter(a -> !a.status().equals(CLEARED))
                .toList();
        if (open.isEmpty()) {
            return;
        }
        StringBuilder detail =
                new StringBuilder("Every sanctions candidate needs a disposition before approval; still open:");
        for (Assessed a : open) {
            detail.append(String.format(
                    Locale.ROOT,
                    " candidate %s (%s %s, score %.3f: %s, %d of %d reviewers' FALSE_POSITIVE);",
                    a.candidate().id,
                    a.candidate().listName,
                    a.candidate().entryId,
                    a.candidate().score,
                    a.status(),
                    a.clearingReviewers().size(),
                    a.clearancesNeeded()));
        }
        throw new ProblemException(ProblemType.CONFLICT, detail.toString());
    }

    /**
     * The screening summary a {@code kyc.decision} leaf carries, with no names: how many candidates, how many are
     * cleared, by how many distinct reviewers, how many are strong matches or true matches, the highest score (in
     * thousandths), and the versions of the lists in force.
     */
    public Map<String, Object> summary(UUID applicationId, int round) {
        List<Assessed> assessed = assess(applicationId, round);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("candidates", (long) assessed.size());
        counts.put(
                "cleared",
                assessed.stream().filter(a -> a.status().equals(CLEARED)).count());
        counts.put("clearingReviewers", (long) assessed.stream()
                .filter(a -> a.status().equals(CLEARED))
                .flatMap(a -> a.clearingReviewers().stream())
                .collect(Collectors.toSet())
                .size());
        counts.put(
                "strong", assessed.stream().filter(a -> strong(a.candidate())).count());
        counts.put(
                "trueMatches",
                assessed.stream().filter(a -> a.status().equals(TRUE_MATCH)).count());
        counts.put(
                "highestScoreMillis",
                assessed.stream()
                        .mapToLong(a -> Math.round(a.candidate().score * 1000))
                        .max()
                        .orElse(0));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("screening", counts);
        Set<String> versions = new LinkedHashSet<>(sanctions.versions());
        assessed.stream()
                .map(a -> a.candidate().listVersion)
                .filter(v -> v != null)
                .forEach(versions::add);
        if (!versions.isEmpty()) {
            summary.put("listVersions", List.copyOf(versions));
        }
        return summary;
    }

    @Override
    public List<ApplicationView.Candidate> views(UUID applicationId, int currentRound) {
        return assess(applicationId, candidates.of(applicationId)).stream()
                .map(a -> new ApplicationView.Candidate(
                        a.candidate().id,
                        a.candidate().reviewRound,
                        a.candidate().reviewRound == currentRound,
                        a.candidate().listName,
                        a.candidate().entryId,
                        a.candidate().listedName,
                        a.candidate().matchedName,
                        a.candidate().screenedName,
                        a.candidate().score,
                        a.candidate().listVersion,
                        a.candidate().explanation,
                        a.candidate().birthDateDiffers,
                        strong(a.candidate()),
                        a.clearancesNeeded(),
                        a.status(),
                        a.dispositions().stream()
                                .map(d -> new ApplicationView.Disposition(d.reviewer, d.disposition, d.evidence, d.at))
                                .toList()))
                .toList();
    }

    /** Erasure: the names screened and matched, and the reviewers' evidence about the person. */
    public void erase(UUID applicationId, String erased) {
        dispositions.update(
                "evidence = ?1 where candidateId in (select c.id from CandidateEntity c where c.applicationId = ?2)",
                erased,
                applicationId);
        candidates.update(
                "listedName = ?1, matchedName = ?1, screenedName = ?1, explanation = ?1, fingerprint = null"
                        + " where applicationId = ?2",
                erased,
                applicationId);
    }
}
