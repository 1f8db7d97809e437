package org.vettedaccess.gateway.openai;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The first handler of every {@code /v1} call (ADR 0097): a client over its limit on failed authentications is
 * refused here, on the event loop, before its body is read, a key is looked up or a worker thread is taken — a
 * flood from one address then costs a map lookup, a hash of its credential and a prepared answer per call. The
 * answer is the same as the later check's: 429, the OpenAI envelope with {@code too_many_failed_authentications},
 * {@code Retry-After} and {@code retry-after-ms}. A call under the limit, or with a credential that authenticated
 * lately, or with no credential at all (the route answers that 401), goes on unchanged.
 */
@Singleton
class OverLimitGate {

    /** Answers prepared for up to this many seconds to wait; a longer wait is written when it happens. */
    private static final int PREPARED_SECONDS = 3_600;

    private final FailedAuthentications failures;
    private final OpenAiResponses responses;
    /** The envelope for each whole number of seconds to wait, made on first use by the one envelope writer. */
    private final AtomicReferenceArray<byte[]> prepared = new AtomicReferenceArray<>(PREPARED_SECONDS + 1);

    OverLimitGate(FailedAuthentications failures, OpenAiResponses responses) {
        this.failures = failures;
        this.responses = responses;
    }

    void handle(RoutingContext ctx) {
        if (!refused(ctx, CallAuthenticator.bearer(ctx))) {
            ctx.next();
        }
    }

    /** Answers the refusal and returns true if the client is over its limit for {@code credential} (may be null). */
    boolean refused(RoutingContext ctx, String credential) {
        long seconds = credential == null ? 0 : failures.refusedForSeconds(CallAuthenticator.client(ctx), credential);
        if (seconds == 0) {
            return false;
        }
        ctx.response()
                .setStatusCode(429)
                .putHeader("Content-Type", "application/json")
                .putHeader("Retry-After", Long.toString(seconds))
                .putHeader("retry-after-ms", Long.toString(seconds * 1000))
                .end(Buffer.buffer(body(seconds)));
        return true;
    }

    /** The envelope of the refusal for {@code seconds}, as the route's own error writer makes it. */
    byte[] body(long seconds) {
        if (seconds > PREPARED_SECONDS) {
            return envelope(seconds);
        }
        int slot = (int) seconds;
        byte[] body = prepared.get(slot);
        if (body == null) {
            body = envelope(seconds);
            prepared.set(slot, body);
        }
        return body;
    }

    private byte[] envelope(long seconds) {
        return responses.envelope(FailedAuthentications.refusal(seconds)).getBytes(StandardCharsets.UTF_8);
    }
}
