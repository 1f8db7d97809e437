package org.vettedaccess.kyc.sanctions;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.jboss.logging.Logger;
import org.vettedaccess.kyc.config.KycConfig;

/**
 * The sanctions lists the lab configures, in their published formats (OpenSanctions {@code targets.simple.csv};
 * OFAC's {@code sdn.csv} with {@code alt.csv} beside it), streamed into an in-memory word index when loaded
 * ({@link NameIndex}, ADR 0030 and 0096), and the screening of a name against them: the index returns every entry
 * that can reach the threshold, and each is scored exactly as before, every listed name and alias compared word by
 * word with Jaro-Winkler similarity (commons-text) after {@link Names#normalise}; entries at or above the threshold
 * are candidates. The index finds exactly what scoring every entry would ({@link #scan}).
 *
 * <p>A changed file is loaded into a new index off to the side while screening goes on against the one in force;
 * the new one then replaces it at once, with its versions; the old one is dropped when its last screening ends.
 */
@ApplicationScoped
public class SanctionsList {

    private static final Logger LOG = Logger.getLogger(SanctionsList.class);
    /** Stateless, so one instance serves every thread. */
    private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();

    private final KycConfig config;
    private final ReentrantLock loading = new ReentrantLock();
    private final List<Runnable> onChange = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Snapshot current;

    /**
     * One loaded version of the lists: the index, each list's version (its file's SHA-256, and its modification time
     * when it is a file) by list, and the modification times it was loaded at (attempted, if that load failed).
     */
    private record Snapshot(NameIndex index, Map<String, String> versions, Map<String, FileTime> loadedAt) {}

    public SanctionsList(KycConfig config) {
        this.config = config;
        current = new Snapshot(new NameIndex.Builder().build(), Map.of(), Map.of());
        reloadIfChanged(true);
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

    /** Candidates at or above the threshold, best first (in list order among equal scores). */
    public List<Candidate> screen(String name) {
        reloadIfChanged(false);
        String screened = Names.normalise(name);
        if (screened.isEmpty()) {
            return new ArrayList<>();
        }
        Snapshot snapshot = current;
        double threshold = config.sanctions().threshold();
        List<Candidate> candidates = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        // Every entry that can reach the threshold (ADR 0096), each scored exactly.
        for (int position : snapshot.index().candidates(screened, threshold)) {
            Candidate c = assess(snapshot, position, screened, threshold);
            if (c != null) {
                candidates.add(c);
                positions.add(position);
            }
        }
        return best(candidates, positions);
    }

    /** The scan the index replaced: every entry scored. Kept to prove the index finds the same candidates. */
    List<Candidate> scan(String name) {
        String screened = Names.normalise(name);
        if (screened.isEmpty()) {
            return new ArrayList<>();
        }
        Snapshot snapshot = current;
        List<Candidate> candidates = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < snapshot.index().size(); i++) {
            Candidate c = assess(snapshot, i, screened, config.sanctions().threshold());
            if (c != null) {
                candidates.add(c);
                positions.add(i);
            }
        }
        return best(candidates, positions);
    }

    private static Candidate assess(Snapshot snapshot, int position, String screened, double threshold) {
        ListedEntry entry = snapshot.index().entry(position);
        double best = 0;
        String bestName = null;
        for (String listed : entry.names()) {
            double score = score(screened, listed);
            if (score > best) {
                best = score;
                bestName = listed;
            }
        }
        if (best < threshold) {
            return null;
        }
        return new Candidate(
                entry.list(),
                entry.id(),
                entry.name(),
                bestName,
                best,
                snapshot.versions().get(entry.list()),
                entry.birthDates(),
                entry.countries());
    }

    /** Best score first; among equal scores, in the order of the lists (as the scan gave them). */
    private static List<Candidate> best(List<Candidate> candidates, List<Integer> positions) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -candidates.get(i).score())
                .thenComparingInt(positions::get));
        List<Candidate> sorted = new ArrayList<>(candidates.size());
        order.forEach(i -> sorted.add(candidates.get(i)));
        return sorted;
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
        return current.index().size();
    }

    /** The versions of the lists in force, e.g. {@code ofac:sdn.csv sha256=… modified=…}, in configured order. */
    public List<String> versions() {
        return List.copyOf(current.versions().values());
    }

    /** Runs {@code listener} after each swap to new versions of the lists (on the thread that loaded them). */
    public void onChange(Runnable listener) {
        onChange.add(listener);
    }

    /**
     * Loads every configured list into a new index if any file changed since the lists in force were read (bundled
     * fixtures load once), then swaps it in. {@code wait}: wait for a load another thread is making; otherwise
     * leave that load to it and carry on with the lists in force. True if new lists are now in force.
     */
    public boolean reloadIfChanged(boolean wait) {
        Map<String, FileTime> times = times();
        if (times.equals(current.loadedAt())) {
            return false;
        }
        if (wait) {
            loading.lock();
        } else if (!loading.tryLock()) {
            return false;
        }
        try {
            times = times();
            if (times.equals(current.loadedAt())) {
                return false;
            }
            if (!load(times)) {
                return false;
            }
        } finally {
            loading.unlock();
        }
        for (Runnable listener : onChange) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "a sanctions list change listener failed");
            }
        }
        return true;
    }

    private Map<String, FileTime> times() {
        Map<String, FileTime> times = new LinkedHashMap<>();
        for (String source : config.sanctions().files()) {
            times.put(source, ListFiles.modified(source));
        }
        return times;
    }

    private boolean load(Map<String, FileTime> times) {
        long start = System.nanoTime();
        NameIndex.Builder builder = new NameIndex.Builder();
        Map<String, String> versions = new LinkedHashMap<>();
        NameIndex index;
        try {
            for (String source : config.sanctions().files()) {
                // The version first: a file replaced during the read then reads as changed again next time.
                versions.put(ListFiles.listName(source), ListFiles.version(source, times.get(source)));
                ListFiles.read(source, builder::add);
            }
            index = builder.build();
        } catch (IOException | RuntimeException e) {
            // Keep screening against what was loaded before rather than against nothing; retry once a file changes.
            LOG.errorf("cannot read the sanctions lists %s; keeping the previous lists: %s", times.keySet(), e);
            Snapshot previous = current;
            current = new Snapshot(previous.index(), previous.versions(), times);
            return false;
        }
        // Screenings that started on the previous index finish on it; it is dropped when they have.
        current = new Snapshot(index, Collections.unmodifiableMap(versions), times);
        LOG.infof(
                "sanctions lists loaded in %s: %s from %s",
                Duration.ofNanos(System.nanoTime() - start),
                index.describe(),
                config.sanctions().files());
        return true;
    }
}
