package org.vettedaccess.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last request body each model received, so a test can check what a gateway forwarded (that a reasoning model
 * was sent {@code max_completion_tokens} and no {@code max_tokens}, say) rather than what the gateway says it sent.
 * Simulator only.
 */
@Singleton
final class Received {

    /** Models remembered one by one; beyond this many the simulator stops remembering new ones. */
    private static final int MAX_MODELS = 10_000;

    private final Map<String, JsonNode> last = new ConcurrentHashMap<>();

    void record(String model, JsonNode body) {
        if (last.size() < MAX_MODELS || last.containsKey(model)) {
            last.put(model, body);
        }
    }

    /** The last body {@code model} received, or null. */
    JsonNode of(String model) {
        return last.get(model);
    }
}
