package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicBoolean;
import org.vettedaccess.gateway.tripwire.AnswerSignals;
import org.vettedaccess.gateway.upstream.UpstreamClient;

/** What changes while one call is forwarded and relayed; it ends exactly once. */
final class RelayProgress {
    final AdmittedCall call;
    final UpstreamClient.Attempts attempts = new UpstreamClient.Attempts();
    private final AtomicBoolean ended = new AtomicBoolean();
    volatile UpstreamClient.Exchange exchange;
    volatile boolean clientGone;
    /** Content events seen: the output count of a stream whose upstream gave no usage. */
    long contentChunks;
    /** The stream's usage object, once an event carried one. */
    JsonNode usage;
    /** What the tripwires count in the answer (refusals, content_filter finishes). */
    final AnswerSignals signals = new AnswerSignals();
    /** When the call was first sent upstream: the GenAI operation's start. */
    final long forwardedNanos = System.nanoTime();
    /** Whether a stream's first chunk has arrived (its time to first chunk is recorded once). */
    boolean chunkSeen;
    /** The model the upstream named in its answer (gen_ai.response.model), once read. */
    String responseModel;

    RelayProgress(AdmittedCall call) {
        this.call = call;
    }

    boolean ended() {
        return ended.get();
    }

    /** True only for the first caller: the one that settles the call. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    /** The Responses API names the counts input_tokens and output_tokens; chat, prompt_ and completion_. */
    long inputSoFar() {
        long estimate = call.call().inputTokenEstimate;
        return usage == null
                ? estimate
                : usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(estimate));
    }

    long outputSoFar() {
        return usage == null
                ? contentChunks
                : usage.path("completion_tokens")
                        .asLong(usage.path("output_tokens").asLong(contentChunks));
    }
}
