package org.vettedaccess.support.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where a send starts and how its wait ends. The mailer here only records its thread (the real mail client and
 * SMTP server are access-policy's MailRelayTest): what matters is that the client is called on an event loop.
 */
class EventLoopMailerTest {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static final Mail MAIL = Mail.withText("pete@lab-example.com", "subject", "text");

    @Test
    void aSendFromAPlainOrVirtualThreadStartsOnAnEventLoop() throws Exception {
        List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
        ReactiveMailer mailer = mails -> {
            onEventLoop.add(Context.isOnEventLoopThread());
            return Uni.createFrom().voidItem();
        };
        EventLoopMailer sender = new EventLoopMailer(mailer, vertx);
        sender.send(MAIL, Duration.ofSeconds(10));
        Thread virtual = Thread.ofVirtual().start(() -> sender.send(MAIL, Duration.ofSeconds(10)));
        virtual.join();
        assertEquals(List.of(true, true), onEventLoop);
    }

    @Test
    void aWaitThatEndsFirstSaysTheMailMayStillGo() {
        EventLoopMailer sender = new EventLoopMailer(mails -> Uni.createFrom().nothing(), vertx);
        EventLoopMailer.MailNotSentException late = assertThrows(
                EventLoopMailer.MailNotSentException.class, () -> sender.send(MAIL, Duration.ofMillis(100)));
        assertTrue(late.mayStillGo(), late.getMessage());

        EventLoopMailer refusing = new EventLoopMailer(
                mails -> Uni.createFrom().failure(new IllegalStateException("550 no such user")), vertx);
        EventLoopMailer.MailNotSentException refused = assertThrows(
                EventLoopMailer.MailNotSentException.class, () -> refusing.send(MAIL, Duration.ofSeconds(10)));
        assertFalse(refused.mayStillGo(), refused.getMessage());
    }

    @Test
    void waitingOnAnEventLoopIsRefused() {
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            try {
                EventLoopMailer.await(new CompletableFuture<>(), Duration.ofSeconds(10));
                refused.complete(null);
            } catch (RuntimeException e) {
                refused.complete(e);
            }
        });
        assertTrue(refused.join() instanceof IllegalStateException, String.valueOf(refused.join()));
    }
}
