package org.vettedaccess.kyc.sanctions;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.jboss.logging.Logger;
import org.vettedaccess.kyc.config.KycConfig;

/**
 * The sanctions lists the lab configures, in their published formats (OpenSanctions {@code targets.simple.csv};
 * OFAC's {@code sdn.csv} with {@code alt.csv} beside it), loaded at start and again whenever a file changes, and
 * the screening of a name against them: every listed name and alias is compared word by word with Jaro-Winkler
 * similarity (commons-text) after {@link Names#normalise}, and entries at or above the threshold are candidates.
 */
@ApplicationScoped
public class SanctionsList {

    private static final Logger LOG = Logger.getLogger(SanctionsList.class);
    private static final String BUNDLED = "classpath:";

    private final KycConfig config;
    /** Stateless, so one instance serves every thread. */
    private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();

    private final Map<String, FileTime> loadedVersions = new HashMap<>();
    private volatile List<ListedEntry> entries = List.of();
    /** Each loaded list's version (its file's SHA-256, and its modification time when it is a file), by list. */
    private volatile Map<String, String> listVersions = Map.of();

    public SanctionsList(KycConfig config) {
        this.config = config;
        reloadIfChanged();
    }

    /**
     * A listed entry that resembles the screened name, the version of the list it is on (null if unknown), and the
     * entry's birth dates (ISO 8601, full or partial) and countries (alpha-2, lower case) where the list has them.
     */
    public record Candidate(
            String list,
            String id,
            String name,
            String matchedName,
            double score,
            String listVersion,
            List<String> birthDates,
            List<String> countries) {}

    /** Candidates at or above the threshold, best first. */
    public List<Candidate> screen(String name) {
        reloadIfChanged();
        String screened = Names.normalise(name);
        List<Candidate> candidates = new ArrayList<>();
        if (screened.isEmpty()) {
            return candidates;
        }
        Map<String, String> versions = listVersions;
        for (ListedEntry entry : entries) {
            double best = 0;
            String bestName = null;
            for (String listed : entry.names()) {
                double score = score(screened, listed);
                if (score > best) {
                    best = score;
                    bestName = listed;
                }
            }
            if (best >= config.sanctions().threshold()) {
                candidates.add(new Candidate(
                        entry.list(),
                        entry.id(),
                        entry.name(),
                        bestName,
                        best,
                        versions.get(entry.list()),
                        entry.birthDates(),
                        entry.countries()));
            }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
        return candidates;
    }

    /**
     * Word-by-word Jaro-Winkler (Monge-Elkan, both ways, averaged): each word is paired with its closest word in the
     * other name. It tolerates a transliterated spelling ("sankcionlisted") where comparing the whole strings would
     * not, and a missing or extra word lowers the score.
     */
    static double score(String a, String b) {
        String[] left = a.split(" ");
        String[] right = b.split(" ");
        return (closest(left, right) + closest(right, left)) / 2;
    }

    private static double closest(String[] from, String[] to) {
        double total = 0;
        for (String word : from) {
            double best = 0;
            for (String other : to) {
                best = Math.max(best, SIMILARITY.apply(word, other));
            }
            total += best;
        }
        return total / from.length;
    }

    public int size() {
        return entries.size();
    }

    /** The versions of the lists in force, e.g. {@code ofac:sdn.csv sha256=… modified=…}, in configured order. */
    public List<String> versions() {
        return List.copyOf(listVersions.values());
    }

    /** Reloads every configured list if any file changed since it was read; bundled fixtures load once. */
    synchronized void reloadIfChanged() {
        Map<String, FileTime> versions = new LinkedHashMap<>();
        for (String source : config.sanctions().files()) {
            versions.put(source, source.startsWith(BUNDLED) ? FileTime.fromMillis(0) : modified(source));
        }
        if (versions.equals(loadedVersions) && !entries.isEmpty()) {
            return;
        }
        List<ListedEntry> loaded = new ArrayList<>();
        Map<String, String> loadedListVersions = new LinkedHashMap<>();
        for (String source : config.sanctions().files()) {
            try {
                loaded.addAll(load(source));
                loadedListVersions.put(listName(source), version(source, versions.get(source)));
            } catch (IOException | RuntimeException e) {
                // Keep screening against what was loaded before rather than against nothing.
                LOG.errorf("cannot read the sanctions list %s; keeping the previous lists: %s", source, e.toString());
                return;
            }
        }
        entries = List.copyOf(loaded);
        listVersions = java.util.Collections.unmodifiableMap(loadedListVersions);
        loadedVersions.clear();
        loadedVersions.putAll(versions);
        LOG.infof(
                "sanctions lists loaded: %d entries from %s",
                loaded.size(), config.sanctions().files());
    }

    private static FileTime modified(String source) {
        try {
            return Files.getLastModifiedTime(Path.of(source));
        } catch (IOException e) {
            return FileTime.fromMillis(-1);
        }
    }

    private static List<ListedEntry> load(String source) throws IOException {
        String file = source.substring(source.lastIndexOf('/') + 1);
        if (file.endsWith("targets.simple.csv")) {
            return openSanctions(source, read(source));
        }
        if (file.equals("sdn.csv")) {
            String alt = source.substring(0, source.length() - "sdn.csv".length()) + "alt.csv";
            return ofac(source, read(source), exists(alt) ? read(alt) : "");
        }
        throw new IOException("unknown list format (expected targets.simple.csv or sdn.csv): " + source);
    }

    /** OpenSanctions' simple CSV: a header; aliases separated by semicolons. */
    private static List<ListedEntry> openSanctions(String source, String text) {
        List<List<String>> rows = Csv.parse(text);
        List<String> header = rows.get(0);
        int id = header.indexOf("id");
        int name = header.indexOf("name");
        int aliases = header.indexOf("aliases");
        int birthDate = header.indexOf("birth_date");
        int countries = header.indexOf("countries");
        List<ListedEntry> entries = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            List<String> names = new ArrayList<>();
            names.add(Names.normalise(row.get(name)));
            if (aliases >= 0 && aliases < row.size() && !row.get(aliases).isBlank()) {
                for (String alias : row.get(aliases).split(";")) {
                    names.add(Names.normalise(alias));
                }
            }
            entries.add(new ListedEntry(
                    "opensanctions:" + fileName(source),
                    row.get(id),
                    row.get(name),
                    names.stream().distinct().toList(),
                    cells(row, birthDate, false),
                    cells(row, countries, true)));
        }
        return entries;
    }

    /** OFAC's SDN CSV (no header: ent_num, SDN_Name, …) and its aliases in alt.csv (ent_num, alt_num, type, name). */
    private static List<ListedEntry> ofac(String source, String sdn, String alt) {
        Map<String, List<String>> aliases = new HashMap<>();
        for (List<String> row : Csv.parse(alt)) {
            if (row.size() >= 4) {
                aliases.computeIfAbsent(row.get(0).trim(), k -> new ArrayList<>())
                        .add(Names.normalise(Names.ofacName(row.get(3))));
            }
        }
        List<ListedEntry> entries = new ArrayList<>();
        for (List<String> row : Csv.parse(sdn)) {
            if (row.size() < 2) {
                continue;
            }
            String id = row.get(0).trim();
            List<String> names = new ArrayList<>();
            names.add(Names.normalise(Names.ofacName(row.get(1))));
            names.addAll(aliases.getOrDefault(id, List.of()));
            entries.add(new ListedEntry(
                    "ofac:" + fileName(source),
                    id,
                    row.get(1),
                    names.stream().distinct().toList(),
                    row.size() > 11 ? Names.ofacBirthDates(row.get(11)) : List.of(),
                    List.of()));
        }
        return entries;
    }

    /** The list name its entries carry, e.g. {@code ofac:sdn.csv}. */
    private static String listName(String source) {
        return (fileName(source).equals("sdn.csv") ? "ofac:" : "opensanctions:") + fileName(source);
    }

    /** A list's version: the SHA-256 of its file (with alt.csv for OFAC) and, for a file, when it was modified. */
    private static String version(String source, FileTime modified) throws IOException {
        java.security.MessageDigest sha256;
        try {
            sha256 = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha256.update(read(source).getBytes(StandardCharsets.UTF_8));
        if (fileName(source).equals("sdn.csv")) {
            String alt = source.substring(0, source.length() - "sdn.csv".length()) + "alt.csv";
            if (exists(alt)) {
                sha256.update(read(alt).getBytes(StandardCharsets.UTF_8));
            }
        }
        String version =
                listName(source) + " sha256=" + java.util.HexFormat.of().formatHex(sha256.digest());
        return modified == null || modified.toMillis() <= 0
                ? version
                : version + " modified=" + modified.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** A semicolon-separated cell of the simple CSV as a list (empty if the column is absent or blank). */
    private static List<String> cells(List<String> row, int column, boolean lowerCase) {
        if (column < 0 || column >= row.size() || row.get(column).isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(row.get(column).split(";"))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .map(v -> lowerCase ? v.toLowerCase(java.util.Locale.ROOT) : v)
                .toList();
    }

    private static String read(String source) throws IOException {
        if (source.startsWith(BUNDLED)) {
            try (InputStream in =
                    SanctionsList.class.getClassLoader().getResourceAsStream(source.substring(BUNDLED.length()))) {
                if (in == null) {
                    throw new IOException("no bundled list " + source);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return Files.readString(Path.of(source), StandardCharsets.UTF_8);
    }

    private static boolean exists(String source) {
        return source.startsWith(BUNDLED)
                ? SanctionsList.class.getClassLoader().getResource(source.substring(BUNDLED.length())) != null
                : Files.isRegularFile(Path.of(source));
    }

    private static String fileName(String source) {
        return source.substring(source.lastIndexOf('/') + 1).replace(BUNDLED, "");
    }
}
