package org.vettedaccess.kubernetes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders an overlay with the real kustomize, {@code kubectl kustomize} (kubectl is on the project's machines and
 * CI's). Where kubectl is missing, the tests that need a rendering are skipped, and say so.
 */
final class Kubectl {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<Path, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    private Kubectl() {}

    /** The objects {@code kubectl kustomize <directory>} renders, parsed; one render per directory and run. */
    static List<Map<String, Object>> kustomize(Path directory) throws IOException {
        Path kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed: the manifests are not rendered or checked");
        List<Map<String, Object>> cached = RENDERED.get(directory);
        if (cached == null) {
            Process process = new ProcessBuilder(kubectl.toString(), "kustomize", directory.toString())
                    .redirectErrorStream(false)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (process.waitFor() != 0) {
                    throw new AssertionError("kubectl kustomize " + directory + " failed:\n" + errors);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            cached = parse(output);
            RENDERED.put(directory, cached);
        }
        // A deep copy each time, so a test that breaks an object on purpose breaks only its own.
        List<Map<String, Object>> copy = new ArrayList<>();
        for (Map<String, Object> object : cached) {
            copy.add(YAML.convertValue(object, new TypeReference<Map<String, Object>>() {}));
        }
        return copy;
    }

    static List<Map<String, Object>> load(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    private static List<Map<String, Object>> parse(String yaml) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> docs =
                YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(yaml)) {
            while (docs.hasNext()) {
                Map<String, Object> doc = docs.next();
                if (doc != null && !doc.isEmpty()) {
                    documents.add(doc);
                }
            }
        }
        return documents;
    }

    static Path onPath(String command) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, command);
            if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
