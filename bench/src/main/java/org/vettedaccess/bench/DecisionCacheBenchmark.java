package org.vettedaccess.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.vettedaccess.contracts.policy.ChangePage;
import org.vettedaccess.contracts.policy.Decision;
import org.vettedaccess.contracts.policy.DecisionRequest;
import org.vettedaccess.gateway.policy.DecisionCache;
import org.vettedaccess.gateway.policy.PolicyDecisions;

/**
 * The gateway's cached decision, in-process: the latency of {@link DecisionCache#decide} when the decision is
 * cached (the gateway's path for all but the first call per subject, model and endpoint within a TTL), over 10,000
 * subjects, and calls/s from 1 and 16 threads. {@code bench/decision-cache.sh}
 */
public final class DecisionCacheBenchmark {

    private DecisionCacheBenchmark() {}

    public static void main(String[] args) throws Exception {
        int subjects = 10_000;
        AtomicLong misses = new AtomicLong();
        PolicyDecisions policy = new PolicyDecisions() {
            @Override
            public Decision decide(DecisionRequest request) {
                misses.incrementAndGet();
                return new Decision(
                        "ALLOW",
                        List.of(),
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        1L,
                        1,
                        new Decision.Limits(60, 100_000, 20_000, null, 4096),
                        "sim",
                        "v1",
                        Instant.now().plusSeconds(3600),
                        3_600_000,
                        false);
            }

            @Override
            public ChangePage changes(Long after, long waitMs) {
                if (after != null) {
                    try {
                        Thread.sleep(waitMs); // a quiet feed: long polls that return nothing
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new ChangePage(List.of(), 0);
            }
        };
        DecisionCache cache = new DecisionCache(policy, new SimpleMeterRegistry());
        cache.startFollowing();
        while (!cache.feedConnected()) {
            Thread.sleep(10);
        }
        for (int i = 0; i < subjects; i++) {
            cache.decide(new DecisionRequest("subject-" + i, "sim-small", "/v1/chat/completions", 16, null));
        }
        long filled = misses.get();
        System.out.printf(
                "machine: %d cores, Java %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        measure(cache, subjects, 1, 2_000_000); // warm-up
        long[] one = measure(cache, subjects, 1, 2_000_000);
        System.out.printf("cached decision, 1 thread:   %s; %,.0f decisions/s%n", precise(one), rate(one, 1));
        long[] many = measure(cache, subjects, 16, 500_000);
        System.out.printf("cached decision, 16 threads: %s; %,.0f decisions/s%n", precise(many), rate(many, 16));
        System.out.printf(
                "access-policy asked %d times for %d subjects (all calls after the first were hits)%n",
                misses.get(), filled);
        System.exit(0);
    }

    private static String precise(long[] nanos) {
        Stats stats = Stats.of(nanos);
        return String.format(
                "p50 %.2f µs, p99 %.2f µs, p99.9 %.2f µs (n=%d)",
                stats.p50(), stats.p99(), stats.p999(), stats.samples());
    }

    private static double rate(long[] nanos, int threads) {
        double total = 0;
        for (long n : nanos) {
            total += n;
        }
        return nanos.length / (total / threads / 1e9);
    }

    /** Each thread times {@code calls} cached decisions, one by one, over the subjects in turn. */
    private static long[] measure(DecisionCache cache, int subjects, int threads, int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 7919;
            futures.add(pool.submit(() -> {
                long[] times = new long[calls];
                for (int i = 0; i < calls; i++) {
                    String subject = "subject-" + ((i + offset) % subjects);
                    long start = System.nanoTime();
                    Decision decision =
                            cache.decide(new DecisionRequest(subject, "sim-small", "/v1/chat/completions", 16, null));
                    times[i] = System.nanoTime() - start;
                    if (!decision.allowed()) {
                        throw new IllegalStateException("not an allow");
                    }
                }
                return times;
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> future : futures) {
            all.add(future.get());
        }
        pool.shutdown();
        return all.stream().flatMapToLong(java.util.Arrays::stream).toArray();
    }
}
