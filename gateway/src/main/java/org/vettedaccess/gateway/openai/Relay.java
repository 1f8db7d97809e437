package org.vettedaccess.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.config.GatewayConfig;
import org.vettedaccess.gateway.upstream.UpstreamClient;
import org.vettedaccess.gateway.upstream.UpstreamFailure;

/**
 * The middle stage of a call: forwards it, then relays the whole answer or the stream, event by event with
 * back-pressure, and hands the tokens used to {@link Settlement} exactly once, whatever happens to the client or
 * the upstream. Nothing is retried once the upstream has sent a byte (the route's guard ends at the response
 * head). Runs on the request's event loop and never blocks it.
 */
@Singleton
class Relay {

    private static final Logger LOG = Logger.getLogger(Relay.class);

    private final Settlement settlement;
    private final GenAiMetrics metrics;
    private final OpenAiResponses responses;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final long idleNanos;
    private final long breakerDelaySeconds;

    @Inject
    Relay(
            Settlement settlement,
            GenAiMetrics metrics,
            OpenAiResponses responses,
            ObjectMapper json,
            Vertx vertx,
            GatewayConfig config) {
        this(
                settlement,
                metrics,
                responses,
                json,
                vertx,
                config.upstream().idleTimeout().toNanos(),
                config.upstream().breakerDelay().toSeconds());
    }

    /** With the timeouts given, for tests. */
    Relay(
            Settlement settlement,
            GenAiMetrics metrics,
            OpenAiResponses responses,
            ObjectMapper json,
            Vertx vertx,
            long idleNanos,
            long breakerDelaySeconds) {
        this.settlement = settlement;
        this.metrics = metrics;
        this.responses = responses;
        this.json = json;
        this.vertx = vertx;
        this.idleNanos = idleNanos;
        this.breakerDelaySeconds = breakerDelaySeconds;
    }

    /** Forwards an admitted call; the answer, and its settlement, follow on the request's event loop. */
    void forward(AdmittedCall call) {
        RelayProgress progress = new RelayProgress(call);
        HttpServerResponse response = call.response();
        response.closeHandler(v -> {
            progress.clientGone = true;
            UpstreamClient.Exchange exchange = progress.exchange;
            if (exchange != null && !progress.ended()) {
                // The caller left: stop the model working for nobody, and record what it did so far.
                exchange.request().reset();
                finish(progress, "client_cancelled", progress.inputSoFar(), progress.outputSoFar());
            }
        });
        boolean nativeResponses = call.decision().nativeResponses();
        Buffer body = Buffer.buffer(
                call.call().upstreamBody(call.maxTokens(), call.decision().reasoningFamily(), nativeResponses));
        call.route()
                .open(call.call().upstreamPath(nativeResponses), body, progress.attempts)
                .whenComplete((exchange, failure) -> {
                    if (failure != null) {
                        openFailed(progress, Settlement.unwrap(failure));
                        return;
                    }
                    progress.exchange = exchange;
                    if (progress.clientGone) {
                        exchange.request().reset();
                        finish(progress, "client_cancelled", call.call().inputTokenEstimate, 0);
                        return;
                    }
                    HttpClientResponse upstream = exchange.response();
                    if (call.call().stream && upstream.statusCode() == 200) {
                        relayStream(progress, upstream);
                    } else {
                        relayWhole(progress, upstream);
                    }
                });
    }

    private void finish(RelayProgress progress, String status, long inputTokens, long outputTokens) {
        if (progress.end()) {
            settled(progress, status, inputTokens, outputTokens);
        }
    }

    /** Settles a call that {@link RelayProgress#end() ended} and records its metrics. */
    private void settled(RelayProgress progress, String status, long inputTokens, long outputTokens) {
        settlement.finish(progress.call, status, inputTokens, outputTokens, progress.signals);
        metrics.ended(
                progress.call,
                status,
                inputTokens,
                outputTokens,
                progress.responseModel,
                System.nanoTime() - progress.forwardedNanos);
    }

    private void openFailed(RelayProgress progress, Throwable failure) {
        AdmittedCall call = progress.call;
        boolean neverForwarded = failure instanceof CircuitBreakerOpenException
                || (failure instanceof UpstreamFailure.NotStarted notStarted && notStarted.status() == 0);
        if (neverForwarded && !progress.attempts.reachedUpstream()) {
            // Never reached the model: no usage to record.
            if (progress.end()) {
                call.route().release();
                settlement.withdraw(call);
            }
            LOG.debugf("not forwarded: %s", failure.toString());
            responses.error(call.response(), upstreamDown(breakerDelaySeconds));
            return;
        }
        if (UpstreamClient.isTimeout(failure)) {
            finish(progress, "upstream_timeout", 0, 0);
            recordedError(call, OpenAiError.upstreamTimeout("The model's server did not answer in time."));
            return;
        }
        // A failed call that reached the model on some attempt is recorded, with the last answer it got.
        int status = failure instanceof UpstreamFailure upstream && upstream.status() > 0
                ? upstream.status()
                : progress.attempts.lastStatus();
        LOG.infof("upstream route %s failed: %s", call.route().name(), failure.toString());
        finish(progress, status > 0 ? "upstream_" + status : "upstream_failed", 0, 0);
        recordedError(
                call,
                status == 503
                        ? OpenAiError.unavailable("upstream_unavailable", "The model's server is overloaded.", 1)
                        : OpenAiError.upstreamError("The model's server failed to answer."));
    }

    private void relayWhole(RelayProgress progress, HttpClientResponse upstream) {
        AdmittedCall call = progress.call;
        upstream.body().onComplete(read -> {
            if (read.failed()) {
                finish(progress, "upstream_disconnected", 0, 0);
                recordedError(call, OpenAiError.upstreamError("The model's server closed the connection."));
                return;
            }
            Buffer answer = read.result();
            int status = upstream.statusCode();
            long input = 0;
            long output = 0;
            if (status == 200) {
                try {
                    AnswerUsage.Counts counts =
                            AnswerUsage.read(json.getFactory(), answer.getBytes(), call.call().inputTokenEstimate);
                    input = counts.input();
                    output = counts.output();
                    progress.responseModel = counts.model();
                    progress.signals.scan(answer.toString());
                    if (call.translated()) {
                        answer = Buffer.buffer(ResponsesTranslation.toResponse(
                                        json.readTree(answer.getBytes()), call.call().body, call.maxTokens())
                                .toString());
                    }
                } catch (IOException e) {
                    input = call.call().inputTokenEstimate;
                    output = call.outputReserved();
                }
            }
            HttpServerResponse response = call.response();
            if (!response.closed() && !response.ended()) {
                response.setStatusCode(status);
                String type = upstream.getHeader("Content-Type");
                response.putHeader("Content-Type", type == null ? "application/json" : type);
                callHeaders(call, response);
                response.end(answer);
            }
            finish(progress, status == 200 ? "ok" : "upstream_" + status, input, output);
        });
        upstream.resume();
    }

    private void relayStream(RelayProgress progress, HttpClientResponse upstream) {
        AdmittedCall call = progress.call;
        HttpServerResponse response = call.response();
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        callHeaders(call, response);
        SseEvents events = new SseEvents();
        ResponsesStream translation =
                call.translated() ? new ResponsesStream(json, call.call().body, call.maxTokens()) : null;
        long[] lastChunk = {System.nanoTime()};
        // The idle timeout per chunk: a model server that stops sending is cut off, and what it sent is recorded.
        vertx.setPeriodic(Math.max(50, idleNanos / 4_000_000), id -> {
            if (progress.ended()) {
                vertx.cancelTimer(id);
            } else if (System.nanoTime() - lastChunk[0] > idleNanos) {
                vertx.cancelTimer(id);
                // Ended first: the reset below reports to the exception handler at once, which would otherwise
                // settle the call as broken off (upstream_disconnected, a 502 event) instead of timed out.
                if (progress.end()) {
                    LOG.infof(
                            "upstream route %s went silent mid-stream; cutting it off",
                            call.route().name());
                    responses.error(response, OpenAiError.upstreamTimeout("The model's server stopped sending."));
                    progress.exchange.request().reset();
                    settled(progress, "upstream_idle_timeout", progress.inputSoFar(), progress.outputSoFar());
                }
            }
        });
        upstream.handler(chunk -> {
            long now = System.nanoTime();
            lastChunk[0] = now;
            if (progress.ended()) {
                return;
            }
            if (!progress.chunkSeen) {
                progress.chunkSeen = true;
                metrics.firstChunk(call, now - progress.forwardedNanos);
            }
            for (String event : events.feed(chunk)) {
                if (forwardEvent(progress, event)) {
                    write(progress, translation, response, event);
                }
            }
            if (response.writeQueueFull()) {
                upstream.pause();
                response.drainHandler(v -> upstream.resume());
            }
        });
        upstream.endHandler(v -> {
            if (progress.ended()) {
                return;
            }
            String rest = events.rest();
            if (!rest.isEmpty() && forwardEvent(progress, rest)) {
                write(progress, translation, response, rest);
            }
            if (translation != null && !translation.finished()) {
                // A chat stream that ended without [DONE]: the Responses stream still ends with its usage.
                translation
                        .finish(progress.inputSoFar(), progress.outputSoFar())
                        .forEach(response::write);
            }
            if (!response.closed() && !response.ended()) {
                response.end();
            }
            if (progress.usage != null) {
                finish(progress, "ok", progress.inputSoFar(), progress.outputSoFar());
            } else {
                // An upstream that ignores include_usage: count conservatively rather than record zero.
                finish(progress, "ok_estimated", call.call().inputTokenEstimate, progress.contentChunks);
            }
        });
        upstream.exceptionHandler(e -> {
            if (progress.ended() || progress.clientGone) {
                return;
            }
            LOG.infof("upstream route %s broke off a stream: %s", call.route().name(), e.toString());
            responses.error(response, OpenAiError.upstreamError("The model's server broke off the answer."));
            finish(progress, "upstream_disconnected", progress.inputSoFar(), progress.outputSoFar());
        });
        upstream.resume();
    }

    /** Writes an event the caller should see: as it came, or as the Responses events it was translated to. */
    private static void write(
            RelayProgress progress, ResponsesStream translation, HttpServerResponse response, String event) {
        if (translation == null) {
            response.write(event + "\n\n");
        } else {
            translation
                    .events(event, progress.inputSoFar(), progress.outputSoFar())
                    .forEach(response::write);
        }
    }

    /** Reads usage from an event; returns whether the caller should see it. */
    private boolean forwardEvent(RelayProgress progress, String event) {
        String data = SseEvents.data(event);
        if (data == null || data.equals("[DONE]")) {
            return true;
        }
        progress.signals.scan(data);
        boolean hasUsage = data.contains("\"usage\"");
        if (data.contains("\"choices\":[{")
                || data.contains("\"choices\": [{")
                || data.contains("\"response.output_text.delta\"")) {
            progress.contentChunks++;
        }
        if (!hasUsage) {
            return true;
        }
        try {
            JsonNode chunk = json.readTree(data);
            if (progress.call.call().endpoint == Endpoint.RESPONSES && !progress.call.translated()) {
                // A Responses stream: the usage is on the response its last event carries; every event is shown.
                JsonNode usage = chunk.path("response").path("usage");
                if (usage.isObject()) {
                    progress.usage = usage;
                }
                return true;
            }
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                progress.usage = usage;
                progress.responseModel = chunk.path("model").textValue();
                // The usage-only chunk the gateway asked for on the caller's behalf is not the caller's to see.
                return progress.call.call().callerWantsStreamUsage
                        || !chunk.path("choices").isEmpty();
            }
        } catch (IOException e) {
            // not JSON: pass it on untouched
        }
        return true;
    }

    /** An error answer for a call that was recorded: it names its receipt like any other answer. */
    private void recordedError(AdmittedCall call, OpenAiError error) {
        HttpServerResponse response = call.response();
        if (!response.headWritten() && !response.ended() && !response.closed()) {
            response.putHeader("x-request-id", call.requestId().toString());
            response.putHeader("x-va-decision-id", call.decision().decisionId().toString());
        }
        responses.error(response, error);
    }

    private static void callHeaders(AdmittedCall call, HttpServerResponse response) {
        response.putHeader("x-request-id", call.requestId().toString());
        response.putHeader("x-va-decision-id", call.decision().decisionId().toString());
        response.putHeader("x-va-prompt-salt", call.salt());
        RateLimits.headers(response::putHeader, call.quota(), call.reservation().capacities());
    }

    /** The answer when the route's breaker is open or the model server cannot be reached. */
    static OpenAiError upstreamDown(long breakerDelaySeconds) {
        return OpenAiError.unavailable(
                "upstream_unavailable",
                "This model's server is failing; calls are paused briefly to let it recover.",
                breakerDelaySeconds);
    }
}
