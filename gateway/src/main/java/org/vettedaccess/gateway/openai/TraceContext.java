package org.vettedaccess.gateway.openai;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/** The request's trace context, carried to the work a call hands to other threads and to the upstream. */
final class TraceContext {

    private TraceContext() {}

    /** The current trace context as a W3C {@code traceparent} header for the upstream, or null if there is none. */
    static String traceparent(OpenTelemetry openTelemetry) {
        Map<String, String> headers = new HashMap<>();
        openTelemetry.getPropagators().getTextMapPropagator().inject(Context.current(), headers, Map::put);
        return headers.get("traceparent");
    }

    /** Runs each task in the trace context current when it was handed over, so its lookups join the trace. */
    static ExecutorService carrying(ExecutorService executor) {
        return Context.taskWrapping(executor);
    }
}
