package org.vettedaccess.kyc.sanctions;

import com.ibm.icu.text.Transliterator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.vettedaccess.kyc.config.KycConfig;

/**
 * Synthetic sanctions lists in the real formats (OpenSanctions {@code targets.simple.csv}, OFAC {@code sdn.csv} and
 * {@code alt.csv}), clearly fake (dataset {@code synthetic_fake}, program {@code SYNTHETIC-FAKE}, remarks saying
 * so), for unit tests (small) and {@code bench/screening.sh} (1.5 million names). Made-up surnames from syllables,
 * each OpenSanctions entry with a surname-first alias and a Cyrillic one, each OFAC entry with two aliases in
 * alt.csv (one respelt), a birth date and a country; about one entry in a hundred repeats an earlier person's name
 * (namesakes, as real lists have). Written as a stream; deterministic for a seed.
 */
public final class SyntheticLists {

    private static final String[] GIVEN = {
        "Viktor", "Anna", "Ivan", "Maria", "Oleg", "Elena", "Sergei", "Olga", "Dmitri", "Irina", "Pavel", "Nadia",
        "Yuri", "Tatiana", "Boris", "Ludmila", "Alexei", "Katya", "Mikhail", "Vera", "Ahmed", "Fatima", "Omar", "Layla",
        "Hassan", "Mariam", "Karim", "Yusuf", "Chen", "Li", "Wei", "Mei", "Jun", "Hiro", "Kenji", "Akira", "Pierre",
        "Claire", "Jean", "Sofia", "Marco", "Lucia", "Pedro", "Ana", "Jorge", "Carmen", "Kwame", "Amara", "Tunde",
        "Zainab", "Ravi", "Priya", "Arjun", "Deepa", "Nikos", "Eleni", "Jan", "Eva", "Piotr", "Zofia"
    };
    private static final String[] SYLLABLES =
            ("ba be bi bo bu da de di do du ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu ra re ri ro"
                            + " ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo gor mir stan vlad")
                    .split(" ");
    private static final String[] ENDINGS = {"ov", "ev", "in", "enko", "ski", "ani", "oglu", "escu", "idis", "er"};
    private static final String[] COUNTRIES = {"ru", "by", "ir", "sy", "kp", "cn", "ve", "ae", "tr", "ua"};

    private SyntheticLists() {}

    /** What was written: the three files, and a sample of listed people's primary names (Given Surname). */
    public record Written(Path openSanctions, Path sdn, Path alt, long names, List<String> sample) {}

    /** Writes {@code openSanctions} simple-CSV entries (3 names each) and {@code ofac} SDN entries (3 names each). */
    public static Written write(Path dir, int openSanctions, int ofac, long seed) throws IOException {
        Random random = new Random(seed);
        Transliterator cyrillic = Transliterator.getInstance("Latin-Cyrillic");
        List<String> sample = new ArrayList<>();
        List<String[]> recent = new ArrayList<>();
        int sampleEvery = Math.max(1, (openSanctions + ofac) / 1000);
        long names = 0;
        Path os = dir.resolve("targets.simple.csv");
        try (BufferedWriter out = Files.newBufferedWriter(os, StandardCharsets.UTF_8)) {
            out.write("id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,phones,emails,"
                    + "dataset,first_seen,last_seen,last_change\n");
            for (int i = 0; i < openSanctions; i++) {
                String[] person = person(random, recent);
                String given = person[0];
                String family = person[1];
                out.write("synth-" + i + ",Person," + given + " " + family + "," + family + " " + given.charAt(0)
                        + ".;" + cyrillic.transliterate(given + " " + family) + "," + birthDate(random) + ","
                        + COUNTRIES[random.nextInt(COUNTRIES.length)]
                        + ",,,\"SYNTHETIC (fake, not a real sanction)\",,,synthetic_fake,2026-01-01T00:00:00,"
                        + "2026-01-01T00:00:00,2026-01-01T00:00:00\n");
                names += 3;
                if (i % sampleEvery == 0) {
                    sample.add(given + " " + family);
                }
            }
        }
        Path sdn = dir.resolve("sdn.csv");
        Path alt = dir.resolve("alt.csv");
        try (BufferedWriter sdnOut = Files.newBufferedWriter(sdn, StandardCharsets.UTF_8);
                BufferedWriter altOut = Files.newBufferedWriter(alt, StandardCharsets.UTF_8)) {
            for (int i = 0; i < ofac; i++) {
                int ent = 500_000 + i;
                String[] person = person(random, recent);
                String given = person[0];
                String family = person[1].toUpperCase(Locale.ROOT);
                sdnOut.write(ent + ",\"" + family + ", " + given + "\",\"individual\",\"SYNTHETIC-FAKE\",-0- ,-0- ,"
                        + "-0- ,-0- ,-0- ,-0- ,-0- ,\"DOB " + ofacDate(random)
                        + "; synthetic entry, not a real SDN.\"\n");
                altOut.write(ent + "," + ent + "01,\"aka\",\"" + family + ", " + given + " "
                        + GIVEN[random.nextInt(GIVEN.length)] + "\",-0- \n");
                altOut.write(ent + "," + ent + "02,\"fka\",\"" + respelt(family) + ", " + given + "\",-0- \n");
                names += 3;
                if (i % sampleEvery == 0) {
                    sample.add(given + " " + person[1]);
                }
            }
        }
        return new Written(os, sdn, alt, names, sample);
    }

    /** A made-up person, or one in a hundred times a namesake of a recent one. */
    private static String[] person(Random random, List<String[]> recent) {
        if (!recent.isEmpty() && random.nextInt(100) == 0) {
            return recent.get(random.nextInt(recent.size()));
        }
        StringBuilder surname = new StringBuilder();
        for (int s = 0, n = 2 + random.nextInt(3); s < n; s++) {
            surname.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
        }
        surname.append(ENDINGS[random.nextInt(ENDINGS.length)]);
        String[] person = {
            GIVEN[random.nextInt(GIVEN.length)], Character.toUpperCase(surname.charAt(0)) + surname.substring(1)
        };
        if (recent.size() < 1000) {
            recent.add(person);
        } else {
            recent.set(random.nextInt(recent.size()), person);
        }
        return person;
    }

    /** A spelling an official might have used instead: c/k, v/w and i/y swapped where they occur. */
    public static String respelt(String name) {
        return name.replace('K', 'C').replace('V', 'W').replace('I', 'Y');
    }

    private static String birthDate(Random random) {
        return String.format(
                Locale.ROOT, "%d-%02d-%02d", 1940 + random.nextInt(60), 1 + random.nextInt(12), 1 + random.nextInt(28));
    }

    private static String ofacDate(Random random) {
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        return String.format(
                Locale.ROOT,
                "%02d %s %d",
                1 + random.nextInt(28),
                months[random.nextInt(12)],
                1940 + random.nextInt(60));
    }

    /** The linear scan the index replaced, for comparing what each finds (tests and the benchmark). */
    public static List<SanctionsList.Candidate> scan(SanctionsList sanctions, String name) {
        return sanctions.scan(name);
    }

    /**
     * A {@link KycConfig} for screening outside the service: the given list files and the service's thresholds
     * (0.92, strong 0.95); every other key throws.
     */
    public static KycConfig config(List<String> files) {
        KycConfig.Sanctions sanctions = (KycConfig.Sanctions) Proxy.newProxyInstance(
                KycConfig.class.getClassLoader(),
                new Class<?>[] {KycConfig.Sanctions.class},
                (p, m, a) -> switch (m.getName()) {
                    case "files" -> files;
                    case "threshold" -> 0.92;
                    case "strongMatchThreshold" -> 0.95;
                    case "toString" -> "sanctions " + files;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (KycConfig) Proxy.newProxyInstance(
                KycConfig.class.getClassLoader(), new Class<?>[] {KycConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "sanctions" -> sanctions;
                    case "toString" -> "screening config";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
