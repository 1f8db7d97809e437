package org.vettedaccess.gateway.tripwire;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The tripwire counters in the gateway's Redis, shared by every replica (docs/adr/0050-tripwires-on-shared-counters.md).
 * Each script reads Redis's own clock, so replicas with skewed clocks count the same seconds and hours. Keys: one
 * hash per model and second ({@code va:tw:{m:<model>}:<second>}, fields as in {@link Windows#FIELDS}, kept 15
 * minutes; CALLS_FROM_SCOPE's {@code i:<ror>} and {@code c:<cc>} fields in the hash of the second the call
 * started), one hash per model and subject ({@code va:tw:{s:<model>:<subject>}}, hour number to tokens, kept 8
 * days). A script builds the per-second key names itself, so all of a model's seconds must live on one node: the
 * hash tag sees to that on a cluster.
 */
final class RedisSignalStore implements SignalStore {

    /**
     * KEYS: model prefix, subject hash. ARGV: the outcome field or '', the call's tokens, how many milliseconds ago
     * it started, then its scope fields ({@code i:<ror>}, {@code c:<cc>}), each counted in the start second's hash.
     */
    private static final String RECORD =
            """
            local t = redis.call('TIME')
            local now = tonumber(t[1])
            local second = KEYS[1] .. ':' .. now
            redis.call('HINCRBY', second, 'calls', 1)
            if ARGV[1] ~= '' then
              redis.call('HINCRBY', second, ARGV[1], 1)
            end
            redis.call('EXPIRE', second, %d)
            if #ARGV > 3 then
              local start = KEYS[1] .. ':' .. math.floor((now * 1000 + math.floor(tonumber(t[2]) / 1000)
                                                         - tonumber(ARGV[3])) / 1000)
              for i = 4, #ARGV do
                redis.call('HINCRBY', start, ARGV[i], 1)
              end
              redis.call('EXPIRE', start, %d)
            end
            local hour = math.floor(now / 3600)
            local tokens = tonumber(ARGV[2])
            local total = redis.call('HINCRBY', KEYS[2], tostring(hour), tokens)
            if total == tokens then
              -- The subject's first call this hour: forget hours older than the history keeps.
              for _, h in ipairs(redis.call('HKEYS', KEYS[2])) do
                if tonumber(h) < hour - %d then
                  redis.call('HDEL', KEYS[2], h)
                end
              end
            end
            redis.call('EXPIRE', KEYS[2], %d)
            return {now, total}
            """.formatted(Windows.SECONDS_KEPT, Windows.SECONDS_KEPT, Windows.HOURS_KEPT, Windows.HOURS_KEPT * 3600);

    /** KEYS: model prefix. ARGV: window seconds, first second at the earliest, allowed from hour, to hour. */
    private static final String WINDOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1])
            local first = math.max(now - tonumber(ARGV[1]) + 1, tonumber(ARGV[2]))
            local from = tonumber(ARGV[3])
            local to = tonumber(ARGV[4])
            local sums = {0, 0, 0, 0, 0}
            local outside = 0
            for s = first, now do
              local v = redis.call('HMGET', KEYS[1] .. ':' .. s, 'calls', 'refusals', 'contentFilters', 'errors',
                                   'timeouts')
              if v[1] then
                for i = 1, 5 do
                  sums[i] = sums[i] + (tonumber(v[i]) or 0)
                end
                local hour = math.floor((s % 86400) / 3600)
                if hour < from or hour >= to then
                  outside = outside + tonumber(v[1])
                end
              end
            end
            return {now, sums[1], sums[2], sums[3], sums[4], sums[5], outside}
            """;

    /**
     * KEYS: model prefix. ARGV: window seconds, the calls' first second at the earliest, then per scope its field
     * and its first second at the earliest. Returns the clock, the window's calls, and each scope's calls.
     */
    private static final String SCOPES = """
            local t = redis.call('TIME')
            local now = tonumber(t[1])
            local window = tonumber(ARGV[1])
            local out = {now, 0}
            local first = math.max(now - window + 1, tonumber(ARGV[2]))
            for s = first, now do
              out[2] = out[2] + (tonumber(redis.call('HGET', KEYS[1] .. ':' .. s, 'calls')) or 0)
            end
            for i = 3, #ARGV, 2 do
              local sum = 0
              for s = math.max(now - window + 1, tonumber(ARGV[i + 1])), now do
                sum = sum + (tonumber(redis.call('HGET', KEYS[1] .. ':' .. s, ARGV[i])) or 0)
              end
              out[#out + 1] = sum
            end
            return out
            """;

    private static final Script RECORD_SCRIPT = new Script(RECORD);
    private static final Script SCOPES_SCRIPT = new Script(SCOPES);
    private static final Script WINDOW_SCRIPT = new Script(WINDOW);

    private final Redis redis;

    RedisSignalStore(Redis redis) {
        this.redis = redis;
    }

    @Override
    public CompletionStage<long[]> record(CallFacts facts) {
        String outcome = facts.outcome();
        List<Object> args = new java.util.ArrayList<>(List.of(
                outcome == null ? "" : outcome, facts.inputTokens() + facts.outputTokens(), facts.elapsedMillis()));
        args.addAll(facts.scopeFields());
        return run(RECORD_SCRIPT, List.of(modelKey(facts.model()), subjectKey(facts.model(), facts.subject())), args)
                .map(reply -> new long[] {reply.get(0).toLong(), reply.get(1).toLong()})
                .toCompletionStage();
    }

    @Override
    public CompletionStage<Windows.Sums> window(
            String model, int windowSeconds, long sinceSecond, int fromHour, int toHour) {
        return run(WINDOW_SCRIPT, List.of(modelKey(model)), List.of(windowSeconds, sinceSecond, fromHour, toHour))
                .map(r -> new Windows.Sums(
                        r.get(0).toLong(),
                        r.get(1).toLong(),
                        r.get(2).toLong(),
                        r.get(3).toLong(),
                        r.get(4).toLong(),
                        r.get(5).toLong(),
                        r.get(6).toLong()))
                .toCompletionStage();
    }

    @Override
    public CompletionStage<Windows.ScopeSums> scopes(
            String model, int windowSeconds, long sinceSecond, List<Windows.ScopeAsk> asks) {
        List<Object> args = new java.util.ArrayList<>(List.of(windowSeconds, sinceSecond));
        for (Windows.ScopeAsk ask : asks) {
            args.add(ask.field());
            args.add(ask.sinceSecond());
        }
        return run(SCOPES_SCRIPT, List.of(modelKey(model)), args)
                .map(r -> {
                    long[] scoped = new long[asks.size()];
                    for (int i = 0; i < scoped.length; i++) {
                        scoped[i] = r.get(2 + i).toLong();
                    }
                    return new Windows.ScopeSums(r.get(0).toLong(), r.get(1).toLong(), scoped);
                })
                .toCompletionStage();
    }

    @Override
    public CompletionStage<Map<Long, Long>> hours(String model, String subject) {
        return redis.send(Request.cmd(Command.HGETALL).arg(subjectKey(model, subject)))
                .map(reply -> {
                    Map<Long, Long> hours = new HashMap<>();
                    for (String field : reply.getKeys()) {
                        hours.put(Long.parseLong(field), reply.get(field).toLong());
                    }
                    return hours;
                })
                .toCompletionStage();
    }

    private static String modelKey(String model) {
        return "va:tw:{m:" + model + "}";
    }

    private static String subjectKey(String model, String subject) {
        return "va:tw:{s:" + model + ":" + subject + "}";
    }

    /** EVALSHA; EVAL when Redis does not hold the script yet (first call, or Redis restarted). */
    private Future<Response> run(Script script, List<String> keys, List<Object> args) {
        return redis.send(script.request(Command.EVALSHA, keys, args))
                .recover(failure ->
                        failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT")
                                ? redis.send(script.request(Command.EVAL, keys, args))
                                : Future.failedFuture(failure));
    }

    /** A Lua script and its SHA-1. */
    private record Script(String text, String sha) {

        Script(String text) {
            this(text, sha1(text));
        }

        Request request(Command command, List<String> keys, List<Object> args) {
            Request request = Request.cmd(command)
                    .arg(command == Command.EVAL ? text : sha)
                    .arg(keys.size());
            keys.forEach(request::arg);
            for (Object arg : args) {
                request.arg(arg.toString());
            }
            return request;
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
    }
}
