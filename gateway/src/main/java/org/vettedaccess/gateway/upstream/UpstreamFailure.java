package org.vettedaccess.gateway.upstream;

/** The upstream answered with a server error, or could not be reached. */
public class UpstreamFailure extends RuntimeException {

    private final int status;
    private final String body;

    public UpstreamFailure(int status, String body, String message) {
        super(message);
        this.status = status;
        this.body = body;
    }

    /** The upstream's status, or 0 if it never answered. */
    public int status() {
        return status;
    }

    /** The upstream's error body (for the log, never shown to the caller as is). */
    public String body() {
        return body;
    }

    /** No first byte (or, mid-stream, no next chunk) within its timeout. */
    public static final class TimedOut extends UpstreamFailure {
        public TimedOut(String message) {
            super(0, null, message);
        }
    }

    /** A failure where the upstream cannot have started the work: retrying cannot run a request twice. */
    public static final class NotStarted extends UpstreamFailure {
        public NotStarted(int status, String body, String message) {
            super(status, body, message);
        }
    }
}
