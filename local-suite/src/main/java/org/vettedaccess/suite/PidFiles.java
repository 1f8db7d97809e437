package org.vettedaccess.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Records the pid and start time of every process the suite starts, in its state directory. If an earlier
 * launcher was killed before it could stop its children, the next start stops them first; the start time
 * guards against killing an unrelated process that reused a pid.
 */
final class PidFiles {

    private final Path directory;

    PidFiles(Path stateDirectory) {
        this.directory = stateDirectory.resolve("pids");
    }

    void record(String name, ProcessHandle process) {
        try {
            Files.createDirectories(directory);
            String started = process.info().startInstant().map(Object::toString).orElse("");
            Files.writeString(directory.resolve(name + ".pid"), process.pid() + " " + started + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void forget(String name) {
        try {
            Files.deleteIfExists(directory.resolve(name + ".pid"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every recorded process that is still the one recorded; returns how many were running. */
    int stopLeftovers() throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int stopped = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Optional<ProcessHandle> process = live(file);
                if (process.isPresent()) {
                    ChildProcess.stopTree(process.get(), Duration.ofSeconds(10));
                    stopped++;
                }
                Files.deleteIfExists(file);
            }
        }
        return stopped;
    }

    private static Optional<ProcessHandle> live(Path file) throws IOException {
        String[] fields = Files.readString(file).strip().split(" ", 2);
        Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(fields[0]));
        String recordedStart = fields.length > 1 ? fields[1] : "";
        return process.filter(ProcessHandle::isAlive)
                .filter(p ->
                        p.info().startInstant().map(Object::toString).orElse("").equals(recordedStart));
    }
}
