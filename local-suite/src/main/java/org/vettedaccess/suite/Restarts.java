package org.vettedaccess.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** How to start each component of a running suite again, by name: {@code ./suite restart <component>}. */
final class Restarts {

    /** Starts a component (again) and waits until it is ready; returns what to report. */
    @FunctionalInterface
    interface Start {
        String run() throws SuiteException;
    }

    private final Map<String, Start> starts = new ConcurrentHashMap<>();

    void register(String name, Start start) {
        starts.put(name, start);
    }

    boolean knows(String name) {
        return starts.containsKey(name);
    }

    /**
     * Stops {@code name} (running or dead) with {@code stop}, marks its log, and starts it again. One restart at a
     * time: two at once could race for the same ports.
     */
    synchronized String restart(String name, Consumer<String> stop, Path log) throws SuiteException {
        Start start = starts.get(name);
        if (start == null) {
            throw new SuiteException("cannot restart '" + name + "': it is none of " + new TreeSet<>(starts.keySet()));
        }
        long began = System.nanoTime();
        stop.accept(name);
        try {
            if (Files.exists(log)) {
                Files.writeString(
                        log,
                        "---- ./suite restart " + name + " at " + Instant.now() + " ----\n",
                        StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            // the marker line is a courtesy; the restart goes on
        }
        String result = start.run();
        return result + String.format(" (restarted in %.1f s)", (System.nanoTime() - began) / 1e9);
    }
}
