package org.vettedaccess.gateway.tripwire;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;

/** The counters of a single gateway instance (no replicas share them); the same arithmetic as Redis's scripts. */
final class MemorySignalStore implements SignalStore {

    private final Clock clock;
    private final Map<String, ConcurrentSkipListMap<Long, AtomicLongArray>> seconds = new ConcurrentHashMap<>();
    private final Map<String, Map<Long, Long>> hours = new ConcurrentHashMap<>();
    /** Per model: start second to scope field to calls. */
    private final Map<String, ConcurrentSkipListMap<Long, Map<String, Long>>> scopes = new ConcurrentHashMap<>();

    MemorySignalStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CompletionStage<long[]> record(CallFacts facts) {
        long now = clock.instant().getEpochSecond();
        ConcurrentSkipListMap<Long, AtomicLongArray> model =
                seconds.computeIfAbsent(facts.model(), m -> new ConcurrentSkipListMap<>());
        AtomicLongArray counts = model.computeIfAbsent(now, s -> new AtomicLongArray(Windows.FIELDS.size()));
        counts.incrementAndGet(0);
        String outcome = facts.outcome();
        if (outcome != null) {
            counts.incrementAndGet(Windows.FIELDS.indexOf(outcome));
        }
        model.headMap(now - Windows.SECONDS_KEPT).clear();
        if (!facts.scopeFields().isEmpty()) {
            long start = Math.floorDiv(clock.instant().toEpochMilli() - facts.elapsedMillis(), 1000L);
            ConcurrentSkipListMap<Long, Map<String, Long>> byStart =
                    scopes.computeIfAbsent(facts.model(), m -> new ConcurrentSkipListMap<>());
            Map<String, Long> fields = byStart.computeIfAbsent(start, s -> new ConcurrentHashMap<>());
            facts.scopeFields().forEach(f -> fields.merge(f, 1L, Long::sum));
            byStart.headMap(now - Windows.SECONDS_KEPT).clear();
        }
        long hour = Windows.hourOf(now);
        Map<Long, Long> subject =
                hours.computeIfAbsent(key(facts.model(), facts.subject()), k -> new ConcurrentHashMap<>());
        long total = subject.merge(hour, facts.inputTokens() + facts.outputTokens(), Long::sum);
        subject.keySet().removeIf(h -> h < hour - Windows.HOURS_KEPT);
        return CompletableFuture.completedFuture(new long[] {now, total});
    }

    @Override
    public CompletionStage<Windows.Sums> window(
            String model, int windowSeconds, long sinceSecond, int fromHour, int toHour) {
        long now = clock.instant().getEpochSecond();
        Windows.Sums sums = new Windows.Sums(now, 0, 0, 0, 0, 0, 0);
        ConcurrentSkipListMap<Long, AtomicLongArray> counters = seconds.get(model);
        if (counters != null) {
            for (var second : counters.subMap(Windows.firstSecond(now, windowSeconds, sinceSecond), true, now, true)
                    .entrySet()) {
                long[] counts = new long[Windows.FIELDS.size()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = second.getValue().get(i);
                }
                sums = sums.plus(second.getKey(), counts, fromHour, toHour);
            }
        }
        return CompletableFuture.completedFuture(sums);
    }

    @Override
    public CompletionStage<Windows.ScopeSums> scopes(
            String model, int windowSeconds, long sinceSecond, java.util.List<Windows.ScopeAsk> asks) {
        long now = clock.instant().getEpochSecond();
        Windows.Sums sums = window(model, windowSeconds, sinceSecond, 0, 24)
                .toCompletableFuture()
                .join();
        long[] scoped = new long[asks.size()];
        ConcurrentSkipListMap<Long, Map<String, Long>> byStart = scopes.get(model);
        for (int i = 0; i < scoped.length && byStart != null; i++) {
            long first = Windows.firstSecond(now, windowSeconds, asks.get(i).sinceSecond());
            if (first > now) {
                continue;
            }
            for (Map<String, Long> fields :
                    byStart.subMap(first, true, now, true).values()) {
                scoped[i] += fields.getOrDefault(asks.get(i).field(), 0L);
            }
        }
        return CompletableFuture.completedFuture(new Windows.ScopeSums(now, sums.calls(), scoped));
    }

    @Override
    public CompletionStage<Map<Long, Long>> hours(String model, String subject) {
        return CompletableFuture.completedFuture(Map.copyOf(hours.getOrDefault(key(model, subject), Map.of())));
    }

    private static String key(String model, String subject) {
        return model + "\n" + subject;
    }
}
