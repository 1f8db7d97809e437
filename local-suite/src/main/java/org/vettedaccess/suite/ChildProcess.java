package org.vettedaccess.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process the suite started, with its output in a log file, and its pid recorded so nothing is orphaned. */
final class ChildProcess {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final PidFiles pids;

    private ChildProcess(String name, Process process, Path log, PidFiles pids) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.pids = pids;
    }

    static ChildProcess start(
            String name, List<String> command, Map<String, String> environment, Path log, PidFiles pids)
            throws SuiteException {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    // Appended: a restarted component's log keeps what it wrote before (LocalSuite empties it once).
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(
                            ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            pids.record(name, process.toHandle());
            return new ChildProcess(name, process, log, pids);
        } catch (IOException e) {
            throw new SuiteException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until {@code url} answers 200, failing early with a clear line if the process dies. */
    void awaitHttpOk(URI url, Duration timeout) throws SuiteException {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest request =
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new SuiteException(name + " exited with code " + process.exitValue() + " while starting: see "
                        + log + " (./suite logs " + name + ")");
            }
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SuiteException("interrupted while waiting for " + name);
            }
            sleep(250);
        }
        throw new SuiteException(name + " did not become ready within " + timeout.toSeconds() + " s: see " + log
                + " (./suite logs " + name + ")");
    }

    /** Asks the process and its children to stop, and kills whatever is left after the grace period. */
    void stop(Duration grace) {
        stopTree(process.toHandle(), grace);
        pids.forget(name);
    }

    static void stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = root.descendants().toList();
        root.destroy();
        tree.forEach(ProcessHandle::destroy);
        try {
            root.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // fall through to the forcible stop
        }
        root.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
