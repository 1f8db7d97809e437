package org.vettedaccess.gateway.openai;

import io.opentelemetry.context.Context;
import java.util.concurrent.ExecutorService;

/**
 * The request's trace context, carried to the work a call hands to other threads. (The upstream call needs no
 * help: Quarkus' Vert.x tracer makes its client span and sends its {@code traceparent}; docs/adr/0085.)
 */
final class TraceContext {

    private TraceContext() {}

    /** Runs each task in the trace context current when it was handed over, so its lookups join the trace. */
    static ExecutorService carrying(ExecutorService executor) {
        return Context.taskWrapping(executor);
    }
}
