package org.vettedaccess.ledger.verifier.witness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last checkpoint the witness cosigned per log, in one JSON file. Every change is written to a new file, forced to
 * disk and renamed over the old one before the cosignature leaves, so a crash never loses a cosigned size and never
 * leaves half a file.
 */
public final class WitnessState {

    /** The size and root last cosigned, and that checkpoint with the witness's cosignature. */
    public record Latest(long size, byte[] root, String cosigned) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Latest> logs = new HashMap<>();

    public WitnessState(Path file) {
        this.file = file;
        if (Files.exists(file)) {
            try {
                JsonNode stored = JSON.readTree(file.toFile());
                stored.properties()
                        .forEach(entry -> logs.put(
                                entry.getKey(),
                                new Latest(
                                        entry.getValue().path("size").asLong(),
                                        Base64.getDecoder()
                                                .decode(entry.getValue()
                                                        .path("root")
                                                        .asText()),
                                        entry.getValue().path("checkpoint").asText(null))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the witness state " + file, e);
            }
        }
    }

    synchronized Optional<Latest> latest(String origin) {
        return Optional.ofNullable(logs.get(origin));
    }

    synchronized void record(String origin, Latest latest) {
        Map<String, Latest> next = new HashMap<>(logs);
        next.put(origin, latest);
        ObjectNode root = JSON.createObjectNode();
        next.forEach((name, value) -> root.putObject(name)
                .put("size", value.size())
                .put("root", Base64.getEncoder().encodeToString(value.root()))
                .put("checkpoint", value.cosigned()));
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, ".witness-state", ".json");
            Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the witness state " + file, e);
        }
        logs.put(origin, latest);
    }
}
