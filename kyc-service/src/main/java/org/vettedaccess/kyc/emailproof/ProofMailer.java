package org.vettedaccess.kyc.emailproof;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.vettedaccess.kyc.config.KycConfig;

/**
 * Sends the one-time code through the lab's SMTP server (a mock mailbox in dev and test).
 *
 * <p>The mail is handed to the mail client on an event-loop context of its own, never from the request's worker
 * thread. Vert.x's mail client 4.5 installs its reader on a new connection only after its pool hands the connection
 * over; called from a worker thread that hand-over is a hop to that thread, and a server greeting read by the event
 * loop in between is dropped (a Vert.x socket with no handler discards what it reads). The client then waits for a
 * greeting that already came: about one mail in 25 hung for the whole timeout against the suite's loopback SMTP
 * server, which greets at once. Started on the event loop, the connection is made and read on the same thread.
 */
@ApplicationScoped
public class ProofMailer {

    private final ReactiveMailer mailer;
    private final KycConfig config;
    private final Context eventLoop;

    public ProofMailer(ReactiveMailer mailer, KycConfig config, Vertx vertx) {
        this.mailer = mailer;
        this.config = config;
        this.eventLoop = eventLoopContext(vertx);
    }

    // A bounded wait so a stuck SMTP server cannot hold the request; no retry, which could mail two codes.
    @Timeout(10_000)
    public void send(String to, String code, Duration lifetime) {
        String text = "Your code to confirm this address for your application to "
                + config.emailProof().labName()
                + " is:\n\n    " + code
                + "\n\nIt works for " + lifetime.toMinutes()
                + " minutes. If you did not apply, ignore this message; nothing happens without the code.\n";
        Mail mail = Mail.withText(to, "Confirm your institutional email address", text);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        eventLoop.runOnContext(
                ignored -> mailer.send(mail).subscribe().with(sent::complete, sent::completeExceptionally));
        try {
            sent.get();
        } catch (InterruptedException e) {
            // The @Timeout interrupts this thread: the caller gets the timeout, nothing is recorded.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the code was being mailed", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new IllegalStateException(e.getCause());
        }
    }

    /** Vert.x gives a thread that is none of its own a new event-loop context; this asks once, from such a thread. */
    private static Context eventLoopContext(Vertx vertx) {
        CompletableFuture<Context> made = new CompletableFuture<>();
        Thread.ofPlatform().name("proof-mailer-context").start(() -> made.complete(vertx.getOrCreateContext()));
        Context context = made.join();
        if (!context.isEventLoopContext()) {
            throw new IllegalStateException("expected an event-loop context for the mailer, got " + context);
        }
        return context;
    }
}
