package org.vettedaccess.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of a running JVM (the gateway) under a load, summarised as markdown: where the CPU samples fall
 * (by package and by method, self and inclusive for our own code), how long it waited on each peer's socket, GC
 * pauses, and pinned virtual threads. {@code bench/run --profile}
 */
final class Profile {

    interface Load {
        Object run() throws Exception;
    }

    private Profile() {}

    static String record(long pid, Path work, Map<Integer, String> ports, Load load) throws Exception {
        Path file = work.resolve("gateway-" + pid + ".jfr");
        String started = Peers.jcmd(pid, "JFR.start", "name=bench", "settings=profile", "jdk.SocketRead#threshold=0ms");
        if (!started.contains("Started recording")) {
            throw new IllegalStateException("JFR did not start: " + started);
        }
        Object trial = load.run();
        Peers.jcmd(pid, "JFR.stop", "name=bench", "filename=" + file);
        return summarise(file, ports, trial);
    }

    static String summarise(Path file, Map<Integer, String> ports, Object trial) throws Exception {
        return summarise(
                file,
                ports,
                "Profile of the gateway (JFR, `settings=profile`, during a 16-connection wrk trial: " + trial + ")");
    }

    /** The same summary under a heading of the caller's (what JVM, during what load). */
    static String summarise(Path file, Map<Integer, String> ports, String heading) throws Exception {
        Map<String, Integer> byPackage = new HashMap<>();
        Map<String, Integer> selfMethods = new HashMap<>();
        Map<String, Integer> ourInclusive = new HashMap<>();
        Map<String, long[]> socketReads = new HashMap<>();
        long samples = 0;
        long gcPauseNanos = 0;
        long gcCount = 0;
        long pinned = 0;
        double cpuSum = 0;
        long cpuCount = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    RecordedStackTrace stack = event.getStackTrace();
                    if (stack == null || stack.getFrames().isEmpty()) {
                        continue;
                    }
                    samples++;
                    List<RecordedFrame> frames = stack.getFrames();
                    String top = method(frames.get(0));
                    selfMethods.merge(top, 1, Integer::sum);
                    byPackage.merge(area(frames.get(0)), 1, Integer::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame frame : frames) {
                        String m = method(frame);
                        if (m.startsWith("org.vettedaccess.") && seen.add(m)) {
                            ourInclusive.merge(m, 1, Integer::sum);
                        }
                    }
                }
                case "jdk.SocketRead" -> {
                    int port = event.getInt("port");
                    // Unknown ports are the connections the gateway serves (wrk's) and other short-lived ones.
                    String peer = ports.getOrDefault(port, "other sockets");
                    long[] sum = socketReads.computeIfAbsent(peer, k -> new long[2]);
                    sum[0]++;
                    sum[1] += event.getDuration().toNanos();
                }
                case "jdk.GarbageCollection" -> {
                    gcCount++;
                    gcPauseNanos += event.getDuration("sumOfPauses").toNanos();
                }
                case "jdk.VirtualThreadPinned" -> pinned++;
                case "jdk.CPULoad" -> {
                    cpuSum += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                    cpuCount++;
                }
                default -> {}
            }
        }
        StringBuilder out = new StringBuilder(String.format(
                Locale.ROOT,
                "%n### %s%n%n"
                        + "%,d CPU samples; the JVM used %.0f%% of the machine on average; %d GCs, %.0f ms"
                        + " of pauses; %d pinned virtual threads.%n",
                heading,
                samples,
                cpuCount == 0 ? 0 : 100 * cpuSum / cpuCount,
                gcCount,
                gcPauseNanos / 1e6,
                pinned));
        out.append(top("CPU samples by area (the sampled frame's package)", byPackage, samples, 15));
        out.append(top("CPU samples by method (self)", selfMethods, samples, 15));
        out.append(top("CPU samples inside our own methods (inclusive)", ourInclusive, samples, 15));
        out.append("\n**Waiting on sockets (reads)**\n\n| peer | reads | total ms | mean µs |\n|---|---|---|---|\n");
        socketReads.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .forEach(e -> out.append(String.format(
                        Locale.ROOT,
                        "| %s | %,d | %,.0f | %,.0f |%n",
                        e.getKey(),
                        e.getValue()[0],
                        e.getValue()[1] / 1e6,
                        e.getValue()[1] / 1e3 / Math.max(1, e.getValue()[0]))));
        return out.toString();
    }

    private static String top(String title, Map<String, Integer> counts, long total, int limit) {
        StringBuilder out = new StringBuilder("\n**" + title + "**\n\n| where | share |\n|---|---|\n");
        counts.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue())
                .limit(limit)
                .forEach(e -> out.append(String.format(
                        Locale.ROOT, "| `%s` | %.1f%% |%n", e.getKey(), 100.0 * e.getValue() / Math.max(1, total))));
        return out.toString();
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** A readable area for a frame: the first three parts of its package. */
    private static String area(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        String[] parts = type.split("\\.");
        StringBuilder area = new StringBuilder();
        for (int i = 0; i < Math.min(3, parts.length - 1); i++) {
            area.append(i == 0 ? "" : ".").append(parts[i]);
        }
        return area.toString();
    }

    /** For a recording made elsewhere: {@code java … Profile file.jfr}. */
    public static void main(String[] args) throws Exception {
        System.out.println(summarise(Path.of(args[0]), Map.of(), "a recording"));
    }
}
