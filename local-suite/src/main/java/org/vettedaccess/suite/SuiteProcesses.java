package org.vettedaccess.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What a suite has started and how to undo it: the processes by name with their pid files, the steps that undo each
 * start (run newest first on close), and the components' logs. {@link LocalSuite} decides what starts, in what order.
 */
final class SuiteProcesses {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final PidFiles pids;
    private final Path logs;
    private final Consumer<String> progress;
    private final Deque<Runnable> stops = new ArrayDeque<>();
    private final Map<String, ChildProcess> running = new ConcurrentHashMap<>();
    private final Set<String> logsInUse = ConcurrentHashMap.newKeySet();
    private boolean closed;

    SuiteProcesses(Path state, Consumer<String> progress) {
        this.pids = new PidFiles(state);
        this.logs = state.resolve("logs");
        this.progress = progress;
    }

    PidFiles pids() {
        return pids;
    }

    Path logDirectory() {
        return logs;
    }

    /** Stops what an earlier, interrupted run left behind (by its pid files); returns how many. */
    int stopLeftovers() throws IOException {
        return pids.stopLeftovers();
    }

    /** Starts a process under {@code name}: its output appended to its log, its pid recorded, stopped on close. */
    ChildProcess launch(String name, List<String> command, Map<String, String> environment) throws SuiteException {
        return add(name, ChildProcess.start(name, command, environment, log(name), pids));
    }

    /** Tracks a process started elsewhere (Keycloak, Redis) under {@code name}: stopped on close or by name. */
    ChildProcess add(String name, ChildProcess process) throws SuiteException {
        onClose(() -> process.stop(STOP_GRACE));
        running.put(name, process);
        return process;
    }

    boolean isRunning(String name) {
        return running.containsKey(name);
    }

    /** Stops the process of that name, if one runs. */
    void stop(String name) {
        ChildProcess process = running.remove(name);
        if (process != null) {
            process.stop(STOP_GRACE);
        }
    }

    /** Registers how to undo a step; if the suite was closed meanwhile (SIGTERM during start), undoes it now. */
    synchronized void onClose(Runnable stop) throws SuiteException {
        if (closed) {
            stop.run();
            throw new SuiteException("stopped while starting");
        }
        stops.push(stop);
    }

    /** A component's log; emptied the first time this suite asks for it, so a restart appends to its own run. */
    Path log(String component) {
        Path log = logs.resolve(component + ".log");
        if (logsInUse.add(component)) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return log;
    }

    /** Undoes every step, newest first. Safe to call more than once. */
    synchronized void close() {
        closed = true;
        while (!stops.isEmpty()) {
            try {
                stops.pop().run();
            } catch (RuntimeException e) {
                progress.accept("while stopping: " + e.getMessage());
            }
        }
    }
}
