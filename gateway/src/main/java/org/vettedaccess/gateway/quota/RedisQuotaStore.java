package org.vettedaccess.gateway.quota;

import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;

/**
 * Counters in Redis, shared by every gateway replica. Each reservation or settlement is one Lua script (sent by its
 * SHA-1 with EVALSHA; by its text only when Redis does not hold it yet), so it is
 * atomic across replicas, and it reads Redis's own clock, so replicas with skewed clocks agree. Redis may keep
 * nothing on disk: a bucket that vanishes comes back full, which is what a minute of rest would give anyway. The
 * grant's token budget, which must survive that, is kept in PostgreSQL instead.
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
                local need = math.min(tonumber(ARGV[5 + i]), cap)
                if level[i] < need then
                  return {0, i, math.ceil((need - level[i]) * 60000 / cap),
                          tostring(level[0]), tostring(level[1]), tostring(level[2])}
                end
              end
              for i = 0, 2 do
                level[i] = level[i] - math.min(tonumber(ARGV[5 + i]), tonumber(ARGV[2 + i]))
              end
            else
              for i = 0, 2 do
                level[i] = math.min(tonumber(ARGV[2 + i]), level[i] + tonumber(ARGV[5 + i]))
              end
            end
            redis.call('HSET', KEYS[1], 't0', tostring(level[0]), 'a0', now, 't1', tostring(level[1]), 'a1', now,
                       't2', tostring(level[2]), 'a2', now)
            redis.call('PEXPIRE', KEYS[1], 120000)
            return {1, -1, 0, tostring(level[0]), tostring(level[1]), tostring(level[2])}
            """;

    /** The script's SHA-1: calls send it (EVALSHA) instead of the script's text. */
    private static final String SHA = sha1(SCRIPT);

    private final RedisDataSource redis;

    public RedisQuotaStore(RedisDataSource redis) {
        this.redis = redis;
    }

    private static String sha1(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-1")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Admission reserve(String grant, long[] limits, long[] amounts) {
        Response reply = run("reserve", grant, limits, amounts);
        double[] level = new double[3];
        for (int i = 0; i < 3; i++) {
            level[i] = Double.parseDouble(reply.get(3 + i).toString());
        }
        boolean admitted = reply.get(0).toInteger() == 1;
        return new Admission(
                admitted,
                reply.get(1).toInteger(),
                reply.get(2).toLong(),
                MemoryQuotaStore.remaining(level),
                MemoryQuotaStore.resets(level, limits));
    }

    @Override
    public void settle(String grant, long[] limits, long[] refunds) {
        run("settle", grant, limits, refunds);
    }

    /** Settles through the reactive client: one round trip, answered on the event loop, no thread waits for it. */
    @Override
    public java.util.concurrent.CompletionStage<Void> settleAsync(String grant, long[] limits, long[] refunds) {
        String[] args = arguments("settle", grant, limits, refunds);
        io.quarkus.redis.datasource.ReactiveRedisDataSource reactive = redis.getReactive();
        return reactive.execute("EVALSHA", args)
                .onFailure(e -> e.getMessage() != null && e.getMessage().contains("NOSCRIPT"))
                .recoverWithUni(() -> {
                    String[] withScript = args.clone();
                    withScript[0] = SCRIPT;
                    return reactive.execute("EVAL", withScript);
                })
                .replaceWithVoid()
                .subscribeAsCompletionStage();
    }

    private static String[] arguments(String mode, String grant, long[] limits, long[] amounts) {
        String[] args = new String[4 + limits.length + amounts.length];
        int i = 0;
        args[i++] = SHA;
        args[i++] = "1";
        // The braces make the grant a hash tag, so the key stays on one node of a Redis cluster.
        args[i++] = "va:quota:{" + grant + "}";
        args[i++] = mode;
        for (long limit : limits) {
            args[i++] = Long.toString(limit);
        }
        for (long amount : amounts) {
            args[i++] = Long.toString(amount);
        }
        return args;
    }

    private Response run(String mode, String grant, long[] limits, long[] amounts) {
        String[] args = arguments(mode, grant, limits, amounts);
        try {
            return redis.execute("EVALSHA", args);
        } catch (RuntimeException e) {
            if (e.getMessage() == null || !e.getMessage().contains("NOSCRIPT")) {
                throw e;
            }
            // Redis does not hold the script (first call, or Redis restarted): EVAL runs it and caches it there.
            args[0] = SCRIPT;
            return redis.execute("EVAL", args);
        }
    }

    @Override
    public boolean ready() {
        try {
            return redis.execute("PING") != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
