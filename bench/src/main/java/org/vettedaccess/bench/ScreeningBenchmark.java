package org.vettedaccess.bench;

import com.ibm.icu.text.Transliterator;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.vettedaccess.kyc.sanctions.SanctionsList;
import org.vettedaccess.kyc.sanctions.SyntheticLists;

/**
 * kyc-service's sanctions screening, in-process, with the service's own {@code SanctionsList} (the word index of
 * ADR 0096): a synthetic list in the real formats ({@code SyntheticLists}: OpenSanctions {@code targets.simple.csv}
 * plus OFAC {@code sdn.csv}/{@code alt.csv}, 3 names per entry, 1.5 million names by default) is loaded (build time,
 * heap after a GC), then names are screened one by one on one thread (p50/p99): listed people in another spelling
 * (surname first in upper case, Cyrillic, accented, respelt) and unlisted ones; then 10,000 names in a row, as a
 * re-screen of 10,000 approvals; then a few names, and the slowest, through the linear scan the index replaced, to
 * compare. CPU time per name beside wall time, as the machine is shared.
 * {@code bench/screening.sh [--names 1500000] [--queries 2000] [--rescreen 10000] [--compare 10]}
 */
public final class ScreeningBenchmark {

    private ScreeningBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = SuiteCalls.options(args);
        long names = Long.parseLong(options.getOrDefault("names", "1500000"));
        int queries = Integer.parseInt(options.getOrDefault("queries", "2000"));
        int rescreen = Integer.parseInt(options.getOrDefault("rescreen", "10000"));
        int compare = Integer.parseInt(options.getOrDefault("compare", "10"));
        int entries = (int) (names / 3);
        Path dir = Files.createTempDirectory("screening-bench");
        long t0 = System.nanoTime();
        SyntheticLists.Written written = SyntheticLists.write(dir, entries * 4 / 5, entries - entries * 4 / 5, 42);
        double generated = (System.nanoTime() - t0) / 1e9;
        long bytes = Files.size(written.openSanctions()) + Files.size(written.sdn()) + Files.size(written.alt());
        System.out.printf(
                "machine: %d cores, Java %s, max heap %d MB%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(
                "list: %,d names in %,d entries, %.0f MB of CSV, generated in %.1f s (%s)%n",
                written.names(), entries, bytes / 1e6, generated, dir);

        long heapBefore = usedHeap();
        t0 = System.nanoTime();
        SanctionsList sanctions = new SanctionsList(SyntheticLists.config(
                List.of(written.openSanctions().toString(), written.sdn().toString())));
        double build = (System.nanoTime() - t0) / 1e9;
        long heapAfter = usedHeap();
        System.out.printf(
                "load (stream, normalise, index): %.1f s; heap held by the loaded lists after GC: %d MB%n",
                build, (heapAfter - heapBefore) >> 20);

        Random random = new Random(5);
        Transliterator cyrillic = Transliterator.getInstance("Latin-Cyrillic");
        List<String> listed = written.sample();
        List<String> screened = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            String person = listed.get(random.nextInt(listed.size()));
            String[] words = person.split(" ");
            screened.add(
                    switch (i % 6) {
                        case 0 -> words[1].toUpperCase(Locale.ROOT) + ", " + words[0];
                        case 1 -> cyrillic.transliterate(person);
                        case 2 -> person.replace('a', 'å').replace('e', 'é');
                        case 3 -> SyntheticLists.respelt(person.toUpperCase(Locale.ROOT));
                        default -> words[0] + " Unlistedperson" + (char) ('a' + random.nextInt(26)) + i;
                    });
        }
        for (int i = 0; i < Math.min(200, queries); i++) {
            sanctions.screen(screened.get(i)); // warm up
        }
        long[] each = new long[queries];
        long[] cpu = new long[queries];
        Cpu clock = new Cpu();
        int found = 0;
        int listedFound = 0;
        int listedAsked = 0;
        for (int i = 0; i < queries; i++) {
            if (i % 100 == 0) {
                clock.findWorkers();
            }
            long c = clock.now();
            long t = System.nanoTime();
            List<SanctionsList.Candidate> candidates = sanctions.screen(screened.get(i));
            each[i] = System.nanoTime() - t;
            cpu[i] = clock.now() - c;
            if (!candidates.isEmpty()) {
                found++;
            }
            if (i % 6 < 4) {
                listedAsked++;
                if (!candidates.isEmpty() && candidates.getFirst().score() >= 0.95) {
                    listedFound++;
                }
            }
        }
        Stats stats = Stats.of(each);
        System.out.printf(
                "screening, one thread, %d names: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, mean %.2f ms%n",
                queries, stats.p50() / 1000, stats.p99() / 1000, stats.p999() / 1000, stats.mean() / 1000);
        Stats cpuStats = Stats.of(cpu);
        System.out.printf(
                "  CPU time per name (this thread and the common pool's, ThreadMXBean): p50 %.2f ms, p99 %.2f ms,"
                        + " p99.9 %.2f ms, mean %.2f ms%n",
                cpuStats.p50() / 1000, cpuStats.p99() / 1000, cpuStats.p999() / 1000, cpuStats.mean() / 1000);
        System.out.printf(
                "  listed people in another spelling with a strong candidate: %d of %d; names with any candidate: %d"
                        + " of %d%n",
                listedFound, listedAsked, found, queries);
        // The tail by CPU time (wall time says as much about the other processes): which names make the p99.
        List<Integer> slowest = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            slowest.add(i);
        }
        slowest.sort((p, q) -> Long.compare(cpu[q], cpu[p]));
        slowest = slowest.subList(0, Math.min(slowest.size(), 10));
        System.out.printf("  slowest %d names by CPU time (ms CPU / wall):", slowest.size());
        for (int i : slowest) {
            System.out.printf(Locale.ROOT, " %s %.1f/%.1f;", screened.get(i), cpu[i] / 1e6, each[i] / 1e6);
        }
        System.out.println();

        // Distinct names, as 10,000 approvals are: listed people with one letter of the surname changed, and others.
        List<String> approved = new ArrayList<>();
        for (int i = 0; i < rescreen; i++) {
            String person = listed.get(i % listed.size());
            approved.add(i % 2 == 0 ? typo(person, i) : person.split(" ")[0] + " Approvedresearcher" + i);
        }
        clock.findWorkers();
        long cpu0 = clock.now();
        t0 = System.nanoTime();
        approved.forEach(sanctions::screen);
        System.out.printf(
                "re-screen of %,d names, one thread: %.1f s (CPU %.1f s)%n",
                rescreen, (System.nanoTime() - t0) / 1e9, (clock.now() - cpu0) / 1e9);
        int threads = Runtime.getRuntime().availableProcessors();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        t0 = System.nanoTime();
        List<java.util.concurrent.Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int part = t;
            parts.add(pool.submit(() -> {
                for (int i = part; i < approved.size(); i += threads) {
                    String name = approved.get(i);
                    sanctions.screen(i % 2 == 0 ? typo(name, i + 7) : name.replace("Approvedresearcher", "Reapproved"));
                }
            }));
        }
        for (java.util.concurrent.Future<?> part : parts) {
            part.get();
        }
        pool.shutdown();
        System.out.printf(
                "re-screen of %,d names, %d threads: %.1f s%n", rescreen, threads, (System.nanoTime() - t0) / 1e9);

        // The first names, and the slowest (the most neighbours, where a bound that drops a true one would show).
        List<String> compared = new ArrayList<>(screened.subList(0, Math.min(compare, queries)));
        if (compare > 0) {
            slowest.stream().limit(5).map(screened::get).forEach(compared::add);
        }
        int same = 0;
        long scanNanos = 0;
        for (String name : compared) {
            long t = System.nanoTime();
            List<SanctionsList.Candidate> scanned = SyntheticLists.scan(sanctions, name);
            scanNanos += System.nanoTime() - t;
            List<SanctionsList.Candidate> indexed = sanctions.screen(name);
            if (scanned.equals(indexed)) {
                same++;
            } else {
                System.out.printf("  differs for %s: scan %s, index %s%n", name, summary(scanned), summary(indexed));
            }
        }
        if (compare > 0) {
            System.out.printf(
                    "linear scan (the replaced code) on %d of those names: %.0f ms per name; same candidates for %d"
                            + " of %d%n",
                    compared.size(), scanNanos / 1e6 / compared.size(), same, compared.size());
        }
    }

    /**
     * CPU time of this thread and of the common fork-join pool's workers (a screening splits its word pass with
     * them), from ThreadMXBean. GC and JIT threads are not counted.
     */
    private static final class Cpu {
        private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private long[] workers = new long[0];

        /** Looks the pool's workers up again (outside a measurement): an idle one may have ended. */
        void findWorkers() {
            workers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("ForkJoinPool.commonPool-worker"))
                    .mapToLong(Thread::threadId)
                    .toArray();
        }

        long now() {
            long total = threads.getCurrentThreadCpuTime();
            for (long id : workers) {
                total += Math.max(0, threads.getThreadCpuTime(id));
            }
            return total;
        }
    }

    /** One letter of the surname replaced, chosen by {@code i}. */
    private static String typo(String person, int i) {
        int space = person.indexOf(' ');
        char[] chars = person.toCharArray();
        int at = space + 2 + i % Math.max(1, chars.length - space - 2);
        chars[Math.min(at, chars.length - 1)] = (char) ('a' + (i / 7) % 26);
        return new String(chars);
    }

    private static List<String> summary(List<SanctionsList.Candidate> candidates) {
        return candidates.stream()
                .map(c -> String.format(Locale.ROOT, "%s %s %.3f", c.list(), c.id(), c.score()))
                .toList();
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
