package org.vettedaccess.gateway.upstream;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.vertx.core.buffer.Buffer;
import java.util.concurrent.CompletionStage;

/** One upstream model server as the call stages use it; {@link UpstreamClient.Route} is the real one. */
public interface UpstreamRoute {

    String name();

    CircuitBreakerState breakerState();

    /** Takes a bulkhead slot for a whole call, or throws {@link UpstreamClient.Busy}; {@link #release()} frees it. */
    void acquire();

    void release();

    /**
     * Opens a call: POST {@code path} (e.g. {@code /chat/completions}) with {@code body}, completing when the
     * response head arrives (the response paused until the caller reads it). Server errors complete it
     * exceptionally, with the upstream's error body; nothing is retried once a byte has arrived. Each attempt is
     * an HTTP client span of the trace current on the calling Vert.x context, and carries its {@code traceparent}.
     */
    CompletionStage<UpstreamClient.Exchange> open(String path, Buffer body, UpstreamClient.Attempts attempts);
}
