package org.vettedaccess.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.vettedaccess.kyc.config.KycConfig;
import org.vettedaccess.kyc.sanctions.SanctionsList;

/**
 * kyc-service's sanctions screening, in-process: names/s screened against a 20,000-entry list in OpenSanctions'
 * {@code targets.simple.csv} format (synthetic names, each with two aliases, one in Cyrillic), with the same
 * {@code SanctionsList} the service uses. Half the screened names are listed (spelt differently), half are not.
 * {@code bench/screening.sh [--entries 20000] [--names 400]}
 */
public final class ScreeningBenchmark {

    private static final String[] GIVEN = {
        "Viktor", "Anna", "Ivan", "Maria", "Oleg", "Elena", "Sergei", "Olga", "Dmitri", "Irina", "Pavel", "Nadia",
        "Yuri", "Tatiana", "Boris", "Ludmila", "Alexei", "Katya", "Mikhail", "Vera"
    };
    private static final String SYLLABLES = "ba ko ri sa te mo lu vi ne da pe zo gu li fa ro";

    private ScreeningBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SuiteCalls.options(args);
        int size = Integer.parseInt(options.getOrDefault("entries", "20000"));
        int queries = Integer.parseInt(options.getOrDefault("names", "400"));
        Random random = new Random(42);
        String[] syllables = SYLLABLES.split(" ");
        List<String> surnames = new ArrayList<>();
        StringBuilder csv = new StringBuilder("id,schema,name,aliases,birth_date,countries,addresses,identifiers,"
                + "sanctions,phones,emails,dataset,first_seen,last_seen,last_change\n");
        for (int i = 0; i < size; i++) {
            StringBuilder surname = new StringBuilder();
            for (int s = 0; s < 3 + random.nextInt(2); s++) {
                surname.append(syllables[random.nextInt(syllables.length)]);
            }
            String family = Character.toUpperCase(surname.charAt(0)) + surname.substring(1) + "ov";
            String given = GIVEN[random.nextInt(GIVEN.length)];
            surnames.add(given + " " + family);
            String cyrillic = com.ibm.icu.text.Transliterator.getInstance("Latin-Cyrillic")
                    .transliterate(given + " " + family);
            csv.append("bench-")
                    .append(i)
                    .append(",Person,")
                    .append(given)
                    .append(' ')
                    .append(family)
                    .append(',')
                    .append(family)
                    .append(' ')
                    .append(given.charAt(0))
                    .append(".;")
                    .append(cyrillic)
                    .append(",,ru,,,bench,,,bench,2026-01-01T00:00:00,2026-01-01T00:00:00,2026-01-01T00:00:00\n");
        }
        Path dir = Files.createTempDirectory("screening-bench");
        Path list = dir.resolve("targets.simple.csv");
        Files.writeString(list, csv, StandardCharsets.UTF_8);
        SanctionsList sanctions = new SanctionsList(config(list.toString()));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            if (i % 2 == 0) {
                // A listed person, written surname first and in upper case.
                String[] listed = surnames.get(random.nextInt(size)).split(" ");
                names.add(listed[1].toUpperCase() + " " + listed[0]);
            } else {
                names.add(GIVEN[random.nextInt(GIVEN.length)] + " Unlistedperson" + i);
            }
        }
        System.out.printf(
                "machine: %d cores, Java %s; list: %,d entries (%s)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), sanctions.size(), list);
        for (int i = 0; i < Math.min(40, queries); i++) {
            sanctions.screen(names.get(i)); // warm up
        }
        int hits = 0;
        long[] each = new long[queries];
        long start = System.nanoTime();
        for (int i = 0; i < queries; i++) {
            long t = System.nanoTime();
            if (!sanctions.screen(names.get(i)).isEmpty()) {
                hits++;
            }
            each[i] = System.nanoTime() - t;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Stats stats = Stats.of(each);
        System.out.printf(
                "screened %d names in %.2f s: %.1f names/s on one thread; per name p50 %.1f ms, p99 %.1f ms%n",
                queries, seconds, queries / seconds, stats.p50() / 1000, stats.p99() / 1000);
        System.out.printf("candidates found for %d of %d names (%d were listed)%n", hits, queries, (queries + 1) / 2);
    }

    private static KycConfig config(String list) {
        return new KycConfig() {
            public String termsVersion() {
                return "bench";
            }

            public List<String> embargoedCountries() {
                return List.of();
            }

            public List<String> restrictedCountries() {
                return List.of();
            }

            public Map<String, List<String>> affiliationDomains() {
                return Map.of();
            }

            public int approvalDaysTier1() {
                return 365;
            }

            public int approvalDaysTier2() {
                return 180;
            }

            public int approvalDaysTier3() {
                return 90;
            }

            public Sanctions sanctions() {
                return new Sanctions() {
                    public List<String> files() {
                        return List.of(list);
                    }

                    public double threshold() {
                        return 0.92;
                    }

                    public double strongMatchThreshold() {
                        return 0.95;
                    }
                };
            }

            public Duration ledgerOutboxInterval() {
                return Duration.ofMillis(500);
            }

            public Duration ledgerOutboxLockWait() {
                return Duration.ofSeconds(5);
            }

            public Duration rescreenInterval() {
                return Duration.ofHours(24);
            }

            public EmailProof emailProof() {
                throw new UnsupportedOperationException("screening needs no email proof");
            }

            public Duration reviewSla() {
                return Duration.ofHours(72);
            }
        };
    }
}
