package org.vettedaccess.kyc.sanctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall of the candidate generator (ADR 0096): on a larger generated list and randomly damaged spellings, every
 * candidate the linear scan finds at or above the threshold is found through the index, with the same score and
 * order. The damage goes past what a fuzzy word match covers (three edits in one word, letters moved, words
 * dropped, added or swapped for a namesake's), which is where the ranked retrieval lost candidates.
 */
class SanctionsRecallTest {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path dir;

    @Test
    void everyCandidateOfTheScanIsFoundOnRandomlyDamagedNames() throws Exception {
        SyntheticLists.Written written = SyntheticLists.write(dir, 15_000, 5_000, 23);
        SanctionsList sanctions = new SanctionsList(SyntheticLists.config(
                List.of(written.openSanctions().toString(), written.sdn().toString())));
        Random random = new Random(29);
        List<String> sample = written.sample();
        int withCandidates = 0;
        int names = 300;
        for (int i = 0; i < names; i++) {
            String name = damaged(sample.get(random.nextInt(sample.size())), sample, random);
            List<SanctionsList.Candidate> scanned = sanctions.scan(name);
            List<SanctionsList.Candidate> screened = sanctions.screen(name);
            assertTrue(
                    screened.containsAll(scanned),
                    () -> name + ": the scan found " + missing(scanned, screened) + " that the index missed");
            assertEquals(scanned, screened, name);
            if (!scanned.isEmpty()) {
                withCandidates++;
            }
        }
        // The damage is not so heavy that nothing is found: most names still have a candidate to miss.
        assertTrue(withCandidates >= names / 2, withCandidates + " of " + names);
    }

    private static List<String> missing(List<SanctionsList.Candidate> scanned, List<SanctionsList.Candidate> got) {
        return scanned.stream()
                .filter(c -> !got.contains(c))
                .map(c -> c.id() + " " + c.matchedName() + " " + c.score())
                .toList();
    }

    /** A listed name with one to three random kinds of damage. */
    static String damaged(String listed, List<String> others, Random random) {
        List<String> words = new ArrayList<>(
                List.of(listed.toLowerCase(java.util.Locale.ROOT).split(" ")));
        for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
            int w = random.nextInt(words.size());
            String word = words.get(w);
            switch (random.nextInt(8)) {
                case 0 -> words.set(w, edit(word, 1 + random.nextInt(3), random));
                case 1 -> words.set(w, moved(word, random));
                case 2 -> {
                    if (words.size() > 1) {
                        words.remove(w);
                    }
                }
                case 3 ->
                    words.add(others.get(random.nextInt(others.size()))
                            .split(" ")[0]
                            .toLowerCase());
                case 4 -> words.set(w, others.get(random.nextInt(others.size())).split(" ")[random.nextInt(2)]);
                case 5 -> words.add(0, words.remove(words.size() - 1));
                case 6 -> words.set(w, word.substring(0, Math.max(1, word.length() - 1 - random.nextInt(3))));
                default -> words.set(w, word + LETTERS.charAt(random.nextInt(26)) + LETTERS.charAt(random.nextInt(26)));
            }
        }
        return String.join(" ", words);
    }

    private static String edit(String word, int edits, Random random) {
        StringBuilder s = new StringBuilder(word);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(s.length());
            char c = LETTERS.charAt(random.nextInt(26));
            switch (random.nextInt(3)) {
                case 0 -> s.setCharAt(at, c);
                case 1 -> s.insert(at, c);
                default -> {
                    if (s.length() > 1) {
                        s.deleteCharAt(at);
                    }
                }
            }
        }
        return s.toString();
    }

    /** One letter moved a few places (within Jaro's matching window, so it still counts as a match). */
    private static String moved(String word, Random random) {
        if (word.length() < 4) {
            return word;
        }
        StringBuilder s = new StringBuilder(word);
        int from = random.nextInt(s.length());
        char c = s.charAt(from);
        s.deleteCharAt(from);
        s.insert(Math.min(s.length(), Math.max(0, from + random.nextInt(5) - 2)), c);
        return s.toString();
    }
}
