package org.vettedaccess.gateway.openai;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.vettedaccess.gateway.config.GatewayConfig;

/**
 * The model calls' metrics as the OpenTelemetry GenAI semantic conventions (v1.41.0, the last release that holds
 * them; docs/adr/0086-genai-metrics-as-the-conventions-define-them.md) define them, with the conventions' explicit
 * bucket boundaries so that Prometheus can compute quantiles: operation duration and token usage for every call
 * forwarded, and time to the first chunk for streams. The gateway is the GenAI client here; the operation is its
 * call to the upstream model server, from the first attempt to the last byte.
 *
 * <p>Meters are built once per series and reused: a call looks its series up by one small key.
 */
@Singleton
class GenAiMetrics {

    static final String DURATION = "gen_ai.client.operation.duration";
    static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";

    /** The conventions' ExplicitBucketBoundaries for {@link #TOKEN_USAGE}. */
    static final double[] TOKEN_BUCKETS = {
        1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864
    };

    /** The conventions' ExplicitBucketBoundaries, in seconds, for {@link #DURATION} and {@link #TIME_TO_FIRST_CHUNK}. */
    static final double[] SECONDS_BUCKETS = {
        0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92
    };

    private static final Duration[] DURATION_BUCKETS = durations(SECONDS_BUCKETS);
    /** Above this many series, an unknown response model is counted as {@code _OTHER}: an upstream cannot blow up the registry. */
    private static final int MAX_SERIES = 4096;

    private static final int MAX_MODEL_LENGTH = 128;

    /** The upstream a route name stands for, as the conventions' attributes name it. */
    record Server(String provider, String address, String port) {}

    private record Key(Endpoint endpoint, String route, String requestModel, String responseModel, String errorType) {}

    private record StreamKey(Endpoint endpoint, String route, String requestModel) {}

    private record Series(Timer duration, DistributionSummary input, DistributionSummary output) {}

    private final MeterRegistry registry;
    private final Function<String, Server> servers;
    private final Map<Key, Series> series = new ConcurrentHashMap<>();
    private final Map<StreamKey, Timer> firstChunks = new ConcurrentHashMap<>();

    @Inject
    GenAiMetrics(MeterRegistry registry, GatewayConfig config) {
        this(registry, name -> {
            GatewayConfig.Route route = config.routes().get(name);
            return route == null ? new Server("openai", "", "") : server(route.provider(), route.baseUrl());
        });
    }

    /** With the routes given as a function, for tests. */
    GenAiMetrics(MeterRegistry registry, Function<String, Server> servers) {
        this.registry = registry;
        Map<String, Server> known = new ConcurrentHashMap<>();
        this.servers = name -> known.computeIfAbsent(name, servers);
    }

    /**
     * A forwarded call ended with the gateway's {@code status} (its usage record's), having used the tokens given;
     * {@code responseModel} is the model the upstream named in its answer, or null.
     */
    void ended(
            AdmittedCall call, String status, long inputTokens, long outputTokens, String responseModel, long nanos) {
        String errorType = errorType(status);
        String route = call.route().name();
        String model = responseModel(responseModel);
        Key key = new Key(call.call().endpoint, route, call.call().model, model, errorType);
        Series meters = series.get(key);
        if (meters == null) {
            if (series.size() >= MAX_SERIES && !model.isEmpty()) {
                key = new Key(call.call().endpoint, route, call.call().model, "_OTHER", errorType);
            }
            meters = series.computeIfAbsent(key, this::register);
        }
        meters.duration().record(nanos, TimeUnit.NANOSECONDS);
        // Tokens only when the call got an answer to count (the conventions: only counts readily available).
        if (errorType.isEmpty() || inputTokens > 0 || outputTokens > 0) {
            meters.input().record(inputTokens);
            meters.output().record(outputTokens);
        }
    }

    /** A stream's first chunk arrived {@code nanos} after the call was first sent upstream. */
    void firstChunk(AdmittedCall call, long nanos) {
        StreamKey key = new StreamKey(call.call().endpoint, call.route().name(), call.call().model);
        Timer timer = firstChunks.get(key);
        if (timer == null) {
            timer = firstChunks.computeIfAbsent(
                    key,
                    k -> Timer.builder(TIME_TO_FIRST_CHUNK)
                            .description("Time from sending a streamed call upstream to its first chunk")
                            .tags(common(k.endpoint(), k.route(), k.requestModel()))
                            .serviceLevelObjectives(DURATION_BUCKETS)
                            .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Series register(Key key) {
        Tags tags = common(key.endpoint(), key.route(), key.requestModel())
                .and("gen_ai.response.model", key.responseModel());
        Timer duration = Timer.builder(DURATION)
                .description("Duration of model calls forwarded by the gateway, first attempt to last byte")
                .tags(tags.and("error.type", key.errorType()))
                .serviceLevelObjectives(DURATION_BUCKETS)
                .register(registry);
        return new Series(duration, tokens(tags, "input"), tokens(tags, "output"));
    }

    private DistributionSummary tokens(Tags tags, String type) {
        return DistributionSummary.builder(TOKEN_USAGE)
                .description("Tokens used by model calls forwarded by the gateway")
                .tags(tags.and("gen_ai.token.type", type))
                .serviceLevelObjectives(TOKEN_BUCKETS)
                .register(registry);
    }

    private Tags common(Endpoint endpoint, String route, String requestModel) {
        Server server = servers.apply(route);
        return Tags.of(
                "gen_ai.operation.name", endpoint.operation,
                "gen_ai.provider.name", server.provider(),
                "gen_ai.request.model", requestModel,
                "server.address", server.address(),
                "server.port", server.port());
    }

    /**
     * The conventions' {@code error.type} for a call's status, or empty for a call that succeeded: the upstream's
     * HTTP status when it answered with an error ({@code 400}, {@code 429}, {@code 500}, ...), {@code timeout} (no
     * first byte in time), {@code idle_timeout} (a stream went silent), {@code disconnected} (the upstream broke
     * off), {@code client_cancelled} (the caller left), else {@code _OTHER}.
     */
    static String errorType(String status) {
        return switch (status) {
            case "ok", "ok_estimated" -> "";
            case "upstream_timeout" -> "timeout";
            case "upstream_idle_timeout" -> "idle_timeout";
            case "upstream_disconnected" -> "disconnected";
            case "client_cancelled" -> "client_cancelled";
            default -> {
                if (status.startsWith("upstream_") && status.length() == 12) {
                    String code = status.substring(9);
                    if (code.chars().allMatch(Character::isDigit)) {
                        yield code;
                    }
                }
                yield "_OTHER";
            }
        };
    }

    private static String responseModel(String model) {
        if (model == null) {
            return "";
        }
        return model.length() > MAX_MODEL_LENGTH ? "_OTHER" : model;
    }

    static Server server(String provider, URI baseUrl) {
        int port = baseUrl.getPort() > 0 ? baseUrl.getPort() : "https".equalsIgnoreCase(baseUrl.getScheme()) ? 443 : 80;
        return new Server(provider, baseUrl.getHost() == null ? "" : baseUrl.getHost(), Integer.toString(port));
    }

    private static Duration[] durations(double[] seconds) {
        Duration[] buckets = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            buckets[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return buckets;
    }
}
