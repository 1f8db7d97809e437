package org.vettedaccess.kyc.sanctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.icu.text.Transliterator;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lucene index finds what the linear scan found, on generated lists in the real formats; lists swap live. */
class SanctionsIndexTest {

    @TempDir
    Path dir;

    private SanctionsList load(Path... files) {
        return new SanctionsList(SyntheticLists.config(
                java.util.Arrays.stream(files).map(Path::toString).toList()));
    }

    @Test
    void theIndexFindsTheSameCandidatesAsTheScan() throws Exception {
        SyntheticLists.Written written = SyntheticLists.write(dir, 3_000, 1_000, 7);
        SanctionsList sanctions = load(written.openSanctions(), written.sdn());
        assertEquals(4_000, sanctions.size());
        Transliterator cyrillic = Transliterator.getInstance("Latin-Cyrillic");
        Random random = new Random(11);
        List<String> names = new ArrayList<>();
        List<String> sample = written.sample().subList(0, 100); // the scan is slow: 100 people, 600 names
        for (String listed : sample) {
            String[] words = listed.split(" ");
            names.add(words[1].toUpperCase(Locale.ROOT) + ", " + words[0]); // OFAC style
            names.add(cyrillic.transliterate(listed)); // another script
            names.add(listed.replace('a', 'å').replace('e', 'é')); // accents
            char[] typo = listed.toCharArray();
            int at = words[0].length() + 3;
            typo[at] = typo[at] == 'o' ? 'u' : 'o';
            names.add(new String(typo)); // one letter wrong in the surname
            names.add(SyntheticLists.respelt(listed.toUpperCase(Locale.ROOT))); // respelt
            names.add(words[0] + " Unlistedperson" + random.nextInt(1000)); // a namesake by first name only
        }
        int withCandidates = 0;
        for (String name : names) {
            List<SanctionsList.Candidate> scanned = sanctions.scan(name);
            assertEquals(scanned, sanctions.screen(name), name);
            if (!scanned.isEmpty()) {
                withCandidates++;
            }
        }
        // The sample exercises matches, not only misses: every listed spelling but the unlisted one finds someone.
        assertTrue(withCandidates >= sample.size() * 4, withCandidates + " of " + names.size());
    }

    @Test
    void manyNamesakesAreAllCandidates() throws Exception {
        StringBuilder csv = new StringBuilder("id,schema,name,aliases,birth_date,countries\n");
        for (int i = 0; i < 300; i++) {
            csv.append("same-")
                    .append(i)
                    .append(",Person,Ivan Petrovsky,,19")
                    .append(50 + i % 40)
                    .append(",ru\n");
        }
        for (int i = 0; i < 2_000; i++) {
            csv.append("other-")
                    .append(i)
                    .append(",Person,Ivan Other")
                    .append(i)
                    .append("ovich,,,ru\n");
        }
        Path file = dir.resolve("targets.simple.csv");
        Files.writeString(file, csv);
        SanctionsList sanctions = load(file);
        List<SanctionsList.Candidate> found = sanctions.screen("PETROVSKY, Ivan");
        assertEquals(300, found.size());
        assertEquals(sanctions.scan("PETROVSKY, Ivan"), found);
    }

    @Test
    void theBundledFixturesStillCatchTheDemoPersonInEverySpelling() {
        SanctionsList sanctions = new SanctionsList(SyntheticLists.config(
                List.of("classpath:sanctions/targets.simple.csv", "classpath:sanctions/sdn.csv")));
        for (String name : List.of(
                "Viktor Sanctionlisted", "SANCTIONLISTED, Viktor", "Виктор Санкционлистед", "VÍKTOR SANCTIONLISTED")) {
            List<SanctionsList.Candidate> found = sanctions.screen(name);
            assertEquals(sanctions.scan(name), found, name);
            assertTrue(found.stream().anyMatch(c -> c.id().equals("demo-0001")), name);
            assertTrue(found.stream().anyMatch(c -> c.id().equals("90001")), name);
        }
        assertTrue(sanctions.screen("Viktor Sandberg").isEmpty(), "a near miss is not a candidate");
    }

    @Test
    void aChangedFileSwapsInANewIndexWithItsVersionWhileScreeningGoesOn() throws Exception {
        Path file = dir.resolve("targets.simple.csv");
        String header = "id,schema,name,aliases,birth_date,countries\n";
        Files.writeString(file, header + "a-1,Person,Gorvlad Mirstanov,,1970,ru\n");
        FileTime first = FileTime.fromMillis(1_764_000_000_000L);
        Files.setLastModifiedTime(file, first);
        SanctionsList sanctions = load(file);
        String before = sanctions.versions().getFirst();
        assertEquals(
                "opensanctions:targets.simple.csv sha256=" + sha256(file) + " modified=" + first.toInstant(), before);
        assertTrue(sanctions.screen("Zorabe Newcomerov").isEmpty());

        ExecutorService screeners = Executors.newFixedThreadPool(3);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Integer>> running = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            running.add(screeners.submit(() -> {
                int screened = 0;
                while (!stop.get()) {
                    // Always one list or the other: the listed person is found in both.
                    assertFalse(sanctions.screen("MIRSTANOV, Gorvlad").isEmpty());
                    screened++;
                }
                return screened;
            }));
        }
        for (int version = 1; version <= 5; version++) {
            StringBuilder csv = new StringBuilder(header).append("a-1,Person,Gorvlad Mirstanov,,1970,ru\n");
            for (int i = 0; i < 500 * version; i++) {
                csv.append("b-")
                        .append(i)
                        .append(",Person,Filler Person")
                        .append(i)
                        .append(",,,\n");
            }
            csv.append("n-1,Person,Zorabe Newcomerov,,1981,by\n");
            Files.writeString(file, csv);
            Files.setLastModifiedTime(file, FileTime.fromMillis(first.toMillis() + version * 1000L));
            // A screener may have made this load itself (screen() reloads a changed file): either way it is in force.
            sanctions.reloadIfChanged(true);
            assertEquals(500 * version + 2, sanctions.size());
        }
        stop.set(true);
        for (Future<Integer> f : running) {
            assertTrue(f.get(10, TimeUnit.SECONDS) > 0);
        }
        screeners.shutdown();
        List<SanctionsList.Candidate> found = sanctions.screen("Zorabe Newcomerov");
        assertEquals("n-1", found.getFirst().id());
        assertNotEquals(before, found.getFirst().listVersion());
        assertTrue(
                found.getFirst().listVersion().endsWith("modified=2025-11-24T16:00:05Z"),
                found.getFirst().listVersion());
        assertFalse(sanctions.reloadIfChanged(true), "unchanged files are not loaded again");
    }

    @Test
    void anUnreadableFileKeepsTheListsInForce() throws Exception {
        Path file = dir.resolve("targets.simple.csv");
        Files.writeString(file, "id,schema,name\na-1,Person,Gorvlad Mirstanov\n");
        SanctionsList sanctions = load(file);
        Files.writeString(file, "id,schema,name\nbroken-row-without-a-name\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        assertFalse(sanctions.reloadIfChanged(true));
        assertEquals(1, sanctions.screen("Gorvlad Mirstanov").size());
    }

    @Test
    void csvIsReadARecordAtATime() throws Exception {
        Csv csv = new Csv(new StringReader("a,\"multi\r\nline, \"\"quoted\"\"\"\r\n\r\nlast"));
        assertEquals(List.of("a", "multi\r\nline, \"quoted\""), csv.next());
        assertEquals(List.of("last"), csv.next());
        assertEquals(null, csv.next());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(Files.readString(file, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
    }
}
