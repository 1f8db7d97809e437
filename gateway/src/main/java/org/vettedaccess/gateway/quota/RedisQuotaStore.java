package org.vettedaccess.gateway.quota;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counters in Redis, shared by every gateway replica. Each reservation or settlement is one Lua script (sent by its
 * SHA-1 with EVALSHA; by its text only when Redis does not hold it yet), so it is
 * atomic across replicas, and it reads Redis's own clock, so replicas with skewed clocks agree. Redis may keep
 * nothing on disk: a bucket that vanishes comes back full, which is what a minute of rest would give anyway (a key
 * is kept until its buckets have refilled, so debt is not forgotten early). The
 * grant's token budget, which must survive that, is kept in PostgreSQL instead.
 *
 * <p>It uses the bare Vert.x client: its futures complete on the event loop without the Mutiny layer's context
 * propagation, which cost more CPU per call than the round trip itself.
 */
public final class RedisQuotaStore implements QuotaStore {

    /** ARGV: mode ('reserve' or 'settle'), three capacities, three amounts (or refunds). */
    private static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local s = redis.call('HMGET', KEYS[1], 't0', 'a0', 't1', 'a1', 't2', 'a2')
            local level = {}
            for i = 0, 2 do
              local cap = tonumber(ARGV[2 + i])
              if s[i * 2 + 1] == false then
                level[i] = cap
              else
                local elapsed = math.max(0, now - tonumber(s[i * 2 + 2]))
                level[i] = math.min(cap, tonumber(s[i * 2 + 1]) + elapsed * cap / 60000)
              end
            end
            if ARGV[1] == 'reserve' then
              for i = 0, 2 do
                local cap = tonumber(ARGV[2 + i])
                local need = tonumber(ARGV[5 + i])
                if need > cap then
                  return {0, i, -1, tostring(level[0]), tostring(level[1]), tostring(level[2])}
                end
                if level[i] < need then
                  return {0, i, math.ceil((need - level[i]) * 60000 / cap),
                          tostring(level[0]), tostring(level[1]), tostring(level[2])}
                end
              end
              for i = 0, 2 do
                level[i] = level[i] - tonumber(ARGV[5 + i])
              end
            else
              for i = 0, 2 do
                level[i] = math.min(tonumber(ARGV[2 + i]), level[i] + tonumber(ARGV[5 + i]))
              end
            end
            redis.call('HSET', KEYS[1], 't0', tostring(level[0]), 'a0', now, 't1', tostring(level[1]), 'a1', now,
                       't2', tostring(level[2]), 'a2', now)
            -- Kept until every bucket has refilled (a bucket in debt for a call that overran takes longer than a
            -- minute): a key that vanished early would come back full and forgive the debt.
            local ttl = 120000
            for i = 0, 2 do
              local cap = tonumber(ARGV[2 + i])
              ttl = math.max(ttl, math.ceil((cap - level[i]) * 60000 / cap) + 60000)
            end
            redis.call('PEXPIRE', KEYS[1], ttl)
            return {1, -1, 0, tostring(level[0]), tostring(level[1]), tostring(level[2])}
            """;

    /** The script's SHA-1: calls send it (EVALSHA) instead of the script's text. */
    private static final String SHA = sha1(SCRIPT);

    /** How long readiness waits for Redis. */
    private static final long BLOCKING_WAIT_MS = 5_000;

    private final Redis redis;

    public RedisQuotaStore(Redis redis) {
        this.redis = redis;
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One round trip, answered on the event loop: no thread waits for Redis. */
    @Override
    public CompletionStage<Answer> reserve(String grant, Buckets limits, Buckets amounts) {
        return run("reserve", grant, limits, amounts)
                .map(reply -> admission(reply, limits))
                .toCompletionStage();
    }

    private static Answer admission(Response reply, Buckets limits) {
        double[] level = new double[3];
        for (int i = 0; i < 3; i++) {
            level[i] = Double.parseDouble(reply.get(3 + i).toString());
        }
        boolean admitted = reply.get(0).toInteger() == 1;
        return new Answer(
                admitted,
                reply.get(1).toInteger(),
                reply.get(2).toLong(),
                MemoryQuotaStore.remaining(level),
                MemoryQuotaStore.resets(level, limits));
    }

    @Override
    public CompletionStage<Void> settle(String grant, Buckets limits, Buckets refunds) {
        return run("settle", grant, limits, refunds).<Void>mapEmpty().toCompletionStage();
    }

    /** EVALSHA; if Redis does not hold the script (first call, or Redis restarted), EVAL runs and caches it there. */
    private Future<Response> run(String mode, String grant, Buckets limits, Buckets amounts) {
        return redis.send(request(Command.EVALSHA, SHA, mode, grant, limits, amounts))
                .recover(failure ->
                        failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT")
                                ? redis.send(request(Command.EVAL, SCRIPT, mode, grant, limits, amounts))
                                : Future.failedFuture(failure));
    }

    private static Request request(
            Command command, String script, String mode, String grant, Buckets limits, Buckets amounts) {
        Request request = Request.cmd(command)
                .arg(script)
                .arg(1)
                // The braces make the grant a hash tag, so the key stays on one node of a Redis cluster.
                .arg("va:quota:{" + grant + "}")
                .arg(mode);
        return request.arg(limits.requests())
                .arg(limits.inputTokens())
                .arg(limits.outputTokens())
                .arg(amounts.requests())
                .arg(amounts.inputTokens())
                .arg(amounts.outputTokens());
    }

    /** For readiness, which runs on a worker thread. */
    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(BLOCKING_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime
                    ? runtime
                    : new IllegalStateException("Redis failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Redis did not answer within " + BLOCKING_WAIT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis");
        }
    }

    @Override
    public boolean ready() {
        try {
            return await(redis.send(Request.cmd(Command.PING)).toCompletionStage()) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
