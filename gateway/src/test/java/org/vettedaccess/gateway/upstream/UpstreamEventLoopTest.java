package org.vettedaccess.gateway.upstream;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real {@link UpstreamClient.Route} on a Vert.x with two event loops: a call made on one loop is sent over a
 * connection of that same loop, also when a connection of the other loop sits idle in the pool (with one pool
 * shared by the loops, the second call below reused the first call's connection, on the other loop: a hop there
 * and back per call).
 */
class UpstreamEventLoopTest {

    private Vertx gateway;
    private Vertx model;
    private int port;

    @BeforeEach
    void start() throws Exception {
        gateway = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        model = Vertx.vertx();
        HttpServer server = model.createHttpServer()
                .requestHandler(request -> request.body()
                        .onSuccess(body -> request.response()
                                .putHeader("Content-Type", "application/json")
                                .end("{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}")));
        port = TestRoutes.listen(server);
    }

    @AfterEach
    void stop() throws Exception {
        TestRoutes.close(gateway, model);
    }

    @Test
    void eachCallGoesOverAConnectionOfItsOwnEventLoop() throws Exception {
        UpstreamClient.Route route =
                new UpstreamClient.Route("loops", TestRoutes.route(port), gateway, TestRoutes.upstream());
        // Each new event-loop context takes the group's next loop: two of them are on the two loops.
        ContextInternal first = ((VertxInternal) gateway).createEventLoopContext();
        ContextInternal second = ((VertxInternal) gateway).createEventLoopContext();
        assertNotSame(first.nettyEventLoop(), second.nettyEventLoop(), "two contexts on two loops");

        for (ContextInternal caller : new ContextInternal[] {first, second, first, second}) {
            assertSame(caller.nettyEventLoop(), connectionLoop(route, caller), "the connection's loop is the caller's");
        }
    }

    /** Opens one call on {@code caller}'s event loop, reads it to the end; the loop of the connection it went over. */
    private static EventLoop connectionLoop(UpstreamClient.Route route, ContextInternal caller) throws Exception {
        CompletableFuture<EventLoop> loop = new CompletableFuture<>();
        caller.runOnContext(v -> route.open("/chat/completions", Buffer.buffer("{}"), new UpstreamClient.Attempts())
                .whenComplete((exchange, failure) -> {
                    if (failure != null) {
                        loop.completeExceptionally(failure);
                        return;
                    }
                    EventLoop used = ((ConnectionBase) exchange.request().connection())
                            .getContext()
                            .nettyEventLoop();
                    exchange.response().body().onComplete(read -> loop.complete(used));
                    exchange.response().resume();
                }));
        EventLoop used = loop.get(10, TimeUnit.SECONDS);
        // The connection goes back to its pool when the answer has ended, before the next call asks for one.
        Thread.sleep(50);
        return used;
    }
}
