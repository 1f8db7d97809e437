package org.vettedaccess.kyc.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The lab's vetting rules. */
@ConfigMapping(prefix = "kyc")
public interface KycConfig {

    /** The version of the lab's terms an application must accept. */
    @WithDefault("2026-01")
    String termsVersion();

    /** Countries whose applicants are refused automatically (ISO 3166-1 alpha-2). */
    @WithDefault("KP,IR,SY,CU")
    List<String> embargoedCountries();

    /** Countries whose applicants always need a human decision, whatever the other checks say. */
    @WithDefault("RU,BY")
    List<String> restrictedCountries();

    /** Email domains known to belong to an institution, by its ROR id (institutional email check). */
    Map<String, List<String>> affiliationDomains();

    /** How long an approval lasts, by tier (then it expires and must be renewed). */
    @WithDefault("365")
    int approvalDaysTier1();

    /** Approval lifetime for tier 2. */
    @WithDefault("180")
    int approvalDaysTier2();

    /** Approval lifetime for tier 3 (re-screened every 30 days meanwhile). */
    @WithDefault("90")
    int approvalDaysTier3();

    /** Sanctions screening. */
    Sanctions sanctions();

    /** The sanctions lists and how close a name must come to be a candidate. */
    interface Sanctions {
        /**
         * The lists, each an OpenSanctions {@code targets.simple.csv} or an OFAC {@code sdn.csv} (with its
         * {@code alt.csv} beside it): file paths, reloaded when they change, or {@code classpath:} fixtures.
         */
        @WithDefault("classpath:sanctions/targets.simple.csv,classpath:sanctions/sdn.csv")
        List<String> files();

        /** Jaro-Winkler similarity, after normalisation, at or above which a listed entry is a candidate. */
        @WithDefault("0.92")
        double threshold();

        /**
         * The score at or above which a candidate is a strong match: clearing it as a false positive needs two
         * distinct reviewers' dispositions, whatever the tier.
         */
        @WithDefault("0.95")
        double strongMatchThreshold();

        /** How often each replica looks for changed list files; a changed list is loaded, then re-screened. */
        @WithDefault("1m")
        Duration watchInterval();
    }

    /** How often the ledger outbox's relay looks for leaves no commit woke it for (each commit wakes it at once). */
    @WithDefault("500ms")
    Duration ledgerOutboxInterval();

    /** How long a synchronous delivery waits for another replica's relay to let go of the ledger outbox. */
    @WithDefault("5s")
    Duration ledgerOutboxLockWait();

    /** How often every current approval is screened again against the lists, and expired ones closed. */
    @WithDefault("24h")
    Duration rescreenInterval();

    /** The institutional email proof (a one-time code mailed to the address). */
    EmailProof emailProof();

    /** How the one-time code is made, sent and checked. */
    interface EmailProof {
        /** The lab's name, as the email names it. */
        @WithDefault("the vetted-access programme")
        String labName();

        /** How long a code works after it was sent. */
        @WithDefault("10m")
        Duration codeLifetime();

        /** Wrong codes allowed before the proof locks and a new code is needed. */
        @WithDefault("5")
        int maxAttempts();

        /** Codes one application may have sent within an hour (the mailbox is not ours to flood). */
        @WithDefault("5")
        int codesPerHour();

        /** Codes one researcher may have sent within an hour, across all their applications (drafts are free to open). */
        @WithDefault("10")
        int codesPerHourPerResearcher();

        /** Codes one recipient address may be sent within an hour, whoever asks (no inbox flooding through our relay). */
        @WithDefault("5")
        int codesPerHourPerAddress();
    }

    /** The time a reviewer has to decide once an application is in review, shown as its SLA. */
    @WithDefault("72h")
    Duration reviewSla();
}
