package org.vettedaccess.kyc.sanctions;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * kyc-service's vocabulary pass alone (ADR 0096), per uncached screened word, in thread CPU time (ThreadMXBean): the
 * words of the benchmark's synthetic list ({@code SyntheticLists}, seed 42, 1.5 million names by default) in one
 * {@code Vocabulary} that does not split its searches (one thread), then the neighbours at 0.82 of words of listed
 * names (as listed, respelt, a to e) and of unlisted words, over several rounds, each on a fresh vocabulary (nothing
 * cached). Round 0 is the warm-up. Prints p50/p90/p99/max per round, the neighbours found (to compare runs) and the
 * slowest words. In the package of the class it measures, as that class is package-private.
 * {@code java -cp ... org.vettedaccess.kyc.sanctions.VocabularyPassBenchmark [entries 500000] [rounds 4]}
 */
public final class VocabularyPassBenchmark {

    private VocabularyPassBenchmark() {}

    public static void main(String[] args) throws Exception {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path dir = Files.createTempDirectory("vocabulary-bench");
        SyntheticLists.Written written = SyntheticLists.write(dir, entries * 4 / 5, entries - entries * 4 / 5, 42);
        Set<String> distinct = new LinkedHashSet<>();
        for (Path file : List.of(written.openSanctions(), written.sdn())) {
            ListFiles.read(file.toString(), entry -> {
                for (String name : entry.names()) {
                    if (!name.isEmpty()) {
                        distinct.addAll(Arrays.asList(name.split(" ")));
                    }
                }
            });
        }
        List<String> words = new ArrayList<>(distinct);
        Set<String> queries = new LinkedHashSet<>();
        for (String person : written.sample()) {
            String surname = person.split(" ")[1];
            queries.add(Names.normalise(surname));
            queries.add(Names.normalise(SyntheticLists.respelt(surname.toUpperCase(Locale.ROOT))));
            queries.add(Names.normalise(surname.replace('a', 'e')));
        }
        for (int i = 0; i < 100; i++) {
            queries.add("unlisted" + (char) ('a' + i % 26) + i);
        }
        for (String slow : List.of(
                "DANISODIER, Hiro",
                "Куаме Достанвиани",
                "LAKENUIDIS, Marco",
                "Yuri Dovåtåsiénko",
                "STANKUSOENKO, Irina",
                "nonekumoidis",
                "tobanutiidis",
                "solideani",
                "stansinier")) {
            queries.addAll(Arrays.asList(Names.normalise(slow).split(" "))); // the slowest of earlier runs
        }
        queries.remove("");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("vocabulary %,d words, %d screened words, %d rounds%n", words.size(), queries.size(), rounds);
        Map<String, Long> last = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            Vocabulary vocabulary = Vocabulary.of(words, Integer.MAX_VALUE);
            long[] cpu = new long[queries.size()];
            long hits = 0;
            int i = 0;
            for (String word : queries) {
                long c = threads.getCurrentThreadCpuTime();
                hits += vocabulary.neighbours(word, 0.82).words().length;
                cpu[i++] = threads.getCurrentThreadCpuTime() - c;
                last.put(word, cpu[i - 1]);
            }
            long[] sorted = cpu.clone();
            Arrays.sort(sorted);
            System.out.printf(
                    "round %d: CPU ms per word p50 %.2f p90 %.2f p99 %.2f max %.2f mean %.2f; hits %d%n",
                    round,
                    sorted[sorted.length / 2] / 1e6,
                    sorted[sorted.length * 9 / 10] / 1e6,
                    sorted[sorted.length * 99 / 100] / 1e6,
                    sorted[sorted.length - 1] / 1e6,
                    Arrays.stream(cpu).average().orElse(0) / 1e6,
                    hits);
        }
        StringBuilder slowest = new StringBuilder("slowest (last round):");
        last.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(10)
                .forEach(e -> slowest.append(String.format(" %s %.2f", e.getKey(), e.getValue() / 1e6)));
        System.out.println(slowest);
    }
}
