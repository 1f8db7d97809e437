package org.vettedaccess.support.mail;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends through Quarkus's {@link ReactiveMailer} with every send started on one event-loop context of its own, for
 * a caller on a worker, virtual or plain thread (kyc-service's code mail, access-policy's mail relay; ADR 0049).
 *
 * <p>Why: Vert.x's mail client 4.5 installs its reader on a new connection only after its pool hands the connection
 * to the caller's context. From any thread that is not that event loop the hand-over is a hop, and a server greeting
 * read by the event loop in between is dropped (a Vert.x socket with no handler discards what it reads); the client
 * then waits, with no timeout of its own, for a greeting that already came. Against a server that greets at once
 * about one send in 18 hung from a plain thread. Started on the event loop, the connection is made and read on one
 * thread, and none hangs.
 *
 * <p>Plain class, not a bean: service-support's mailer dependency is optional, so the services that do not mail do
 * not see it. Each mailing service makes one from its injected {@link ReactiveMailer} and {@link Vertx}.
 */
public final class EventLoopMailer {

    private final ReactiveMailer mailer;
    private final Context eventLoop;

    public EventLoopMailer(ReactiveMailer mailer, Vertx vertx) {
        this.mailer = mailer;
        this.eventLoop = eventLoopContext(vertx);
    }

    /**
     * Starts sending {@code mail} on the event loop and returns at once; the future completes when the SMTP server
     * took the mail, or with why not. Never blocks, so it may be called from an event loop too.
     */
    public CompletableFuture<Void> start(Mail mail) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        eventLoop.runOnContext(
                ignored -> mailer.send(mail).subscribe().with(sent::complete, sent::completeExceptionally));
        return sent;
    }

    /**
     * Sends {@code mail} and waits for the server's answer on the caller's thread, at most {@code timeout}.
     *
     * @throws MailNotSentException if the server refused it, or did not answer in time (then the send goes on and
     *     may still succeed: the caller decides whether a second copy is acceptable)
     */
    public void send(Mail mail, Duration timeout) {
        await(start(mail), timeout);
    }

    /**
     * Waits at most {@code timeout} for a send {@link #start}ed earlier; returns once it succeeded. Refuses an
     * event-loop thread, which it would block.
     *
     * @throws MailNotSentException if it failed or is still going after {@code timeout}
     */
    public static void await(CompletableFuture<Void> sending, Duration timeout) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("a mail is awaited on an event loop, which it would block");
        }
        try {
            sending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new MailNotSentException("the SMTP server did not answer within " + timeout, e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailNotSentException("interrupted while the mail was being sent", e, true);
        } catch (ExecutionException e) {
            throw new MailNotSentException(String.valueOf(e.getCause()), e.getCause(), false);
        }
    }

    /** Vert.x gives a thread that is none of its own a new event-loop context; this asks once, from such a thread. */
    private static Context eventLoopContext(Vertx vertx) {
        CompletableFuture<Context> made = new CompletableFuture<>();
        Thread.ofPlatform().name("mailer-context").start(() -> made.complete(vertx.getOrCreateContext()));
        Context context = made.join();
        if (!context.isEventLoopContext()) {
            throw new IllegalStateException("expected an event-loop context for the mailer, got " + context);
        }
        return context;
    }

    /** A mail that was not (or not yet) taken by the SMTP server. */
    public static final class MailNotSentException extends RuntimeException {

        private final boolean mayStillGo;

        MailNotSentException(String message, Throwable cause, boolean mayStillGo) {
            super(message, cause);
            this.mayStillGo = mayStillGo;
        }

        /** True if the send was still going when the wait ended (a timeout): the mail may yet arrive. */
        public boolean mayStillGo() {
            return mayStillGo;
        }
    }
}
