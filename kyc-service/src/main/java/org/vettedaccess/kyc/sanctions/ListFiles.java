package org.vettedaccess.kyc.sanctions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The list files in their published formats, read as streams, one record at a time (OpenSanctions
 * {@code targets.simple.csv}; OFAC's {@code sdn.csv} with {@code alt.csv} beside it), and their versions.
 */
final class ListFiles {

    static final String BUNDLED = "classpath:";

    private ListFiles() {}

    /** Streams every entry of the list to {@code sink}, in file order. */
    static void read(String source, Consumer<ListedEntry> sink) throws IOException {
        String file = fileName(source);
        if (file.endsWith("targets.simple.csv")) {
            openSanctions(source, sink);
        } else if (file.equals("sdn.csv")) {
            ofac(source, sink);
        } else {
            throw new IOException("unknown list format (expected targets.simple.csv or sdn.csv): " + source);
        }
    }

    /** OpenSanctions' simple CSV: a header; aliases separated by semicolons. */
    private static void openSanctions(String source, Consumer<ListedEntry> sink) throws IOException {
        String list = listName(source);
        try (BufferedReader in = reader(source)) {
            Csv csv = new Csv(in);
            List<String> header = csv.next();
            if (header == null) {
                return;
            }
            int id = header.indexOf("id");
            int name = header.indexOf("name");
            int aliases = header.indexOf("aliases");
            int birthDate = header.indexOf("birth_date");
            int countries = header.indexOf("countries");
            for (List<String> row = csv.next(); row != null; row = csv.next()) {
                List<String> names = new ArrayList<>();
                names.add(Names.normalise(row.get(name)));
                if (aliases >= 0 && aliases < row.size() && !row.get(aliases).isBlank()) {
                    for (String alias : row.get(aliases).split(";")) {
                        names.add(Names.normalise(alias));
                    }
                }
                sink.accept(new ListedEntry(
                        list,
                        row.get(id),
                        row.get(name),
                        names.stream().distinct().toList(),
                        cells(row, birthDate, false),
                        cells(row, countries, true)));
            }
        }
    }

    /**
     * OFAC's SDN CSV (no header: ent_num, SDN_Name, …, remarks) and its aliases in alt.csv (ent_num, alt_num, type,
     * name). The aliases are read first, as normalised names by entry number, then the SDN file is streamed.
     */
    private static void ofac(String source, Consumer<ListedEntry> sink) throws IOException {
        String list = listName(source);
        Map<String, List<String>> aliases = new HashMap<>();
        String alt = altOf(source);
        if (exists(alt)) {
            try (BufferedReader in = reader(alt)) {
                Csv csv = new Csv(in);
                for (List<String> row = csv.next(); row != null; row = csv.next()) {
                    if (row.size() >= 4) {
                        aliases.computeIfAbsent(row.get(0).trim(), k -> new ArrayList<>(2))
                                .add(Names.normalise(Names.ofacName(row.get(3))));
                    }
                }
            }
        }
        try (BufferedReader in = reader(source)) {
            Csv csv = new Csv(in);
            for (List<String> row = csv.next(); row != null; row = csv.next()) {
                if (row.size() < 2) {
                    continue;
                }
                String id = row.get(0).trim();
                List<String> names = new ArrayList<>();
                names.add(Names.normalise(Names.ofacName(row.get(1))));
                names.addAll(aliases.getOrDefault(id, List.of()));
                sink.accept(new ListedEntry(
                        list,
                        id,
                        row.get(1),
                        names.stream().distinct().toList(),
                        row.size() > 11 ? Names.ofacBirthDates(row.get(11)) : List.of(),
                        List.of()));
            }
        }
    }

    /** The list name its entries carry, e.g. {@code ofac:sdn.csv}. */
    static String listName(String source) {
        return (fileName(source).equals("sdn.csv") ? "ofac:" : "opensanctions:") + fileName(source);
    }

    /**
     * A list's version: the SHA-256 of its file (then alt.csv's, for OFAC), streamed, and for a file when it was
     * modified, e.g. {@code ofac:sdn.csv sha256=… modified=2026-11-30T10:00:00Z}.
     */
    static String version(String source, FileTime modified) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        digest(source, sha256);
        if (fileName(source).equals("sdn.csv") && exists(altOf(source))) {
            digest(altOf(source), sha256);
        }
        String version = listName(source) + " sha256=" + HexFormat.of().formatHex(sha256.digest());
        return modified == null || modified.toMillis() <= 0
                ? version
                : version + " modified=" + modified.toInstant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static void digest(String source, MessageDigest sha256) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = open(source)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
            }
        }
    }

    /** When the file was last modified; bundled fixtures never change (epoch), a missing file is -1 ms. */
    static FileTime modified(String source) {
        if (source.startsWith(BUNDLED)) {
            return FileTime.fromMillis(0);
        }
        try {
            return Files.getLastModifiedTime(Path.of(source));
        } catch (IOException e) {
            return FileTime.fromMillis(-1);
        }
    }

    /** A semicolon-separated cell of the simple CSV as a list (empty if the column is absent or blank). */
    private static List<String> cells(List<String> row, int column, boolean lowerCase) {
        if (column < 0 || column >= row.size() || row.get(column).isBlank()) {
            return List.of();
        }
        return Arrays.stream(row.get(column).split(";"))
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .map(v -> lowerCase ? v.toLowerCase(Locale.ROOT) : v)
                .toList();
    }

    private static BufferedReader reader(String source) throws IOException {
        return new BufferedReader(new InputStreamReader(open(source), StandardCharsets.UTF_8), 1 << 16);
    }

    private static InputStream open(String source) throws IOException {
        if (source.startsWith(BUNDLED)) {
            InputStream in = ListFiles.class.getClassLoader().getResourceAsStream(source.substring(BUNDLED.length()));
            if (in == null) {
                throw new IOException("no bundled list " + source);
            }
            return in;
        }
        return Files.newInputStream(Path.of(source));
    }

    private static boolean exists(String source) {
        return source.startsWith(BUNDLED)
                ? ListFiles.class.getClassLoader().getResource(source.substring(BUNDLED.length())) != null
                : Files.isRegularFile(Path.of(source));
    }

    private static String altOf(String sdn) {
        return sdn.substring(0, sdn.length() - "sdn.csv".length()) + "alt.csv";
    }

    static String fileName(String source) {
        return source.substring(source.lastIndexOf('/') + 1).replace(BUNDLED, "");
    }
}
