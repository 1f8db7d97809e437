package org.vettedaccess.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.vettedaccess.suite.LocalSuite;
import org.vettedaccess.suite.SuitePorts;

/** The comparison's many-streams trial: thousands of SSE streams held open through one gateway replica. */
final class ManyStreams {

    private ManyStreams() {}

    /**
     * Many SSE streams held open at once through a gateway replica (its route's bulkhead raised above the stream
     * count; everything else as configured): the simulator drips one chunk every two seconds, so every stream lasts
     * about 40 s; when all are open, the gateway's heap (Micrometer, then again after a forced GC: the live set) and RSS.
     */
    static String run(LocalSuite suite, String key, int count, Path state, int simPort) throws Exception {
        int port = SuitePorts.freePort();
        int management = SuitePorts.freePort();
        suite.startGatewayReplica(
                "gateway-streams",
                port,
                management,
                Map.of("JAVA_TOOL_OPTIONS", "-Dgateway.routes.sim.max-concurrent=" + (count + 1000)));
        long pid = Peers.pidOf(state, "gateway-streams");
        String url = "http://127.0.0.1:" + port + "/v1/chat/completions";
        String metrics = "http://127.0.0.1:" + management + "/q/metrics";
        String sim = "http://127.0.0.1:" + simPort;
        Comparison.Contestant gateway = new Comparison.Contestant(
                "gateway", url, List.of("Authorization: Bearer " + key), () -> Peers.tree(pid));
        Comparison.verify(gateway);
        HttpRequest request = Comparison.streamRequest(gateway);
        Peers.post(sim + "/sim/faults", "{\"mode\":\"DRIP\",\"delayMs\":2000}");
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(java.util.concurrent.Executors.newFixedThreadPool(2))
                .build();
        ConcurrentLinkedQueue<Long> firstBytes = new ConcurrentLinkedQueue<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger open = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        long heapBefore = Peers.heapUsed(metrics);
        long started = System.nanoTime();
        try {
            // At most 64 streams waiting for their first chunk at a time: streams pile up as fast as the gateway
            // admits them, as they would behind a real client population, instead of queueing thousands at once.
            java.util.concurrent.Semaphore opening = new java.util.concurrent.Semaphore(64);
            for (int i = 0; i < count; i++) {
                opening.acquire();
                java.util.concurrent.atomic.AtomicBoolean waiting = new java.util.concurrent.atomic.AtomicBoolean(true);
                long start = System.nanoTime();
                client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                            boolean first = true;

                            @Override
                            public void onSubscribe(Flow.Subscription subscription) {
                                subscription.request(Long.MAX_VALUE);
                            }

                            @Override
                            public void onNext(String line) {
                                if (first && line.startsWith("data:")) {
                                    first = false;
                                    if (waiting.compareAndSet(true, false)) {
                                        opening.release();
                                    }
                                    open.incrementAndGet();
                                    firstBytes.add(System.nanoTime() - start);
                                }
                            }

                            @Override
                            public void onError(Throwable throwable) {}

                            @Override
                            public void onComplete() {}
                        }))
                        .whenComplete((response, failure) -> {
                            if (waiting.compareAndSet(true, false)) {
                                opening.release();
                            }
                            if (failure == null && response.statusCode() == 200) {
                                completed.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                            done.countDown();
                        });
            }
            long openedIn = System.nanoTime() - started;
            // Wait until (nearly) every stream has its first chunk, then sample while all are still open.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (open.get() + failed.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String simStats = Peers.get(sim + "/sim/stats");
            int simOpen = Integer.parseInt(simStats.replaceAll(".*\"openStreams\":(\\d+).*", "$1"));
            long heapOpen = Peers.heapUsed(metrics);
            double rssOpen = Peers.rssKb(Peers.tree(pid)) / 1024.0;
            Peers.jcmd(pid, "GC.run");
            long heapLive = Peers.heapUsed(metrics);
            String heapMax = Peers.jcmd(pid, "VM.flags").replaceAll("(?s).*MaxHeapSize=(\\d+).*", "$1");
            done.await(90, TimeUnit.SECONDS);
            long[] first = firstBytes.stream().mapToLong(Long::longValue).toArray();
            Stats ttfb = Stats.of(first.length == 0 ? new long[] {0} : first);
            double heapMaxMb = Long.parseLong(heapMax.trim()) / 1048576.0;
            return String.format(
                    Locale.ROOT,
                    "%n### Many concurrent streams through the gateway%n%n"
                            + "%,d streams opened in %.1f s through a gateway replica (heap limit %.0f MB, the suite's"
                            + " -Xmx), at most 64 waiting for their first chunk at a time, the simulator dripping one chunk every 2 s"
                            + " (about 40 s per stream).%n%n"
                            + "| measure | result |%n|---|---|%n"
                            + "| streams open at the sample (client saw a first chunk / simulator's open streams) |"
                            + " %,d / %,d |%n"
                            + "| streams completed 200 / failed | %,d / %,d |%n"
                            + "| gateway heap used: idle / all streams open / live after a forced GC | %.0f / %.0f /"
                            + " %.0f MB |%n"
                            + "| gateway RSS with all streams open | %.0f MB |%n"
                            + "| time to first chunk while they pile up (p50 / p99) | %.1f / %.1f ms |%n",
                    count,
                    openedIn / 1e9,
                    heapMaxMb,
                    open.get(),
                    simOpen,
                    completed.get(),
                    failed.get(),
                    heapBefore / 1048576.0,
                    heapOpen / 1048576.0,
                    heapLive / 1048576.0,
                    rssOpen,
                    ttfb.p50() / 1000,
                    ttfb.p99() / 1000);
        } finally {
            Peers.post(sim + "/sim/faults", "{\"mode\":\"NONE\"}");
            suite.stop("gateway-streams");
        }
    }
}
