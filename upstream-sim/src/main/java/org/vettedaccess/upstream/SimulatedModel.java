package org.vettedaccess.upstream;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic "model": the same prompt always gives the same reply, so tests can assert on it. A token
 * is a whitespace-separated word, which makes usage figures easy to check by hand.
 */
final class SimulatedModel {

    private static final String[] VOCABULARY = {
        "alignment", "audit", "benchmark", "capability", "checkpoint", "compute", "dataset", "evaluation",
        "gradient", "inference", "interpretability", "ledger", "oversight", "probe", "red-team", "robustness",
        "safety", "scaling", "token", "transparency"
    };

    private SimulatedModel() {}

    /** Counts the tokens of a prompt as the simulator bills them. */
    static int countTokens(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }

    /**
     * The reply to a prompt: a fixed opening that names the model and the prompt size, then words drawn from
     * the prompt's SHA-256 (for choice {@code index} above 0, of the prompt and the index, so that the n choices of
     * one request differ), cut to {@code length} tokens.
     */
    static List<String> reply(String model, String prompt, int length, int index) {
        List<String> words = new ArrayList<>(length);
        String opening = "Simulated reply from " + model + " to " + countTokens(prompt) + " prompt tokens:";
        for (String word : opening.split(" ")) {
            if (words.size() < length) {
                words.add(word);
            }
        }
        byte[] seed = sha256(index == 0 ? prompt : prompt + "\u0000" + index);
        for (int i = 0; words.size() < length; i++) {
            words.add(VOCABULARY[Byte.toUnsignedInt(seed[i % seed.length]) % VOCABULARY.length]);
        }
        return words;
    }

    /** A unit vector derived from the text's SHA-256. */
    static double[] embed(String text, int dimensions) {
        byte[] seed = sha256(text);
        double[] vector = new double[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (Byte.toUnsignedInt(seed[i % seed.length]) - 127.5) / 127.5;
            norm += vector[i] * vector[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < dimensions; i++) {
            vector[i] = norm == 0 ? 0 : vector[i] / norm;
        }
        return vector;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
