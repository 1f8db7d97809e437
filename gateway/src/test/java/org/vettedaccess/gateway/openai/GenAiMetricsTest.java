package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vettedaccess.gateway.openai.StageFixtures.FakeRoute;

/**
 * The GenAI metrics as Prometheus scrapes them from the gateway's registry: the conventions' names, attributes and
 * explicit bucket boundaries, error.type for failures only, and one set of meters per series.
 */
class GenAiMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final GenAiMetrics metrics = new GenAiMetrics(
            registry, name -> GenAiMetrics.server("openai", java.net.URI.create("http://sim.internal:8090/v1")));
    private Vertx vertx;
    private StageFixtures.Stages stages;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        stages = new StageFixtures.Stages(vertx, 30_000);
    }

    @AfterEach
    void stop() throws Exception {
        StageFixtures.await(vertx.close().toCompletionStage());
    }

    private AdmittedCall call(Endpoint endpoint, String body) throws Exception {
        ModelCall call = ModelCall.parse(endpoint, Buffer.buffer(body), StageFixtures.JSON);
        return stages.admitted(null, call, StageFixtures.allow(null, true), new FakeRoute(vertx, 1, 4));
    }

    @Test
    void theConventionsNamesAttributesAndBuckets() throws Exception {
        AdmittedCall chat =
                call(Endpoint.CHAT, "{\"model\":\"m1\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        metrics.ended(chat, "ok", 12, 30, "m1-2026", 250_000_000L);
        metrics.firstChunk(chat, 40_000_000L);
        String scraped = registry.scrape();

        String labels = "error_type=\"\",gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
                + "gen_ai_request_model=\"m1\",gen_ai_response_model=\"m1-2026\",server_address=\"sim.internal\","
                + "server_port=\"8090\"";
        assertEquals(
                Arrays.stream(GenAiMetrics.SECONDS_BUCKETS).boxed().toList(),
                buckets(scraped, "gen_ai_client_operation_duration_seconds"),
                scraped);
        assertTrue(
                scraped.contains("gen_ai_client_operation_duration_seconds_bucket{" + labels + ",le=\"0.32\",} 1.0"),
                scraped);
        assertTrue(
                scraped.contains("gen_ai_client_operation_duration_seconds_bucket{" + labels + ",le=\"0.16\",} 0.0"),
                scraped);
        assertTrue(scraped.contains("gen_ai_client_operation_duration_seconds_count{" + labels + ",} 1.0"), scraped);

        assertEquals(
                Arrays.stream(GenAiMetrics.TOKEN_BUCKETS).boxed().toList(),
                buckets(scraped, "gen_ai_client_token_usage"),
                scraped);
        assertTrue(
                scraped.contains(
                        "gen_ai_client_token_usage_sum{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
                                + "gen_ai_request_model=\"m1\",gen_ai_response_model=\"m1-2026\",gen_ai_token_type=\"output\","
                                + "server_address=\"sim.internal\",server_port=\"8090\",} 30.0"),
                scraped);
        assertTrue(
                scraped.contains(
                        "gen_ai_client_token_usage_bucket{gen_ai_operation_name=\"chat\",gen_ai_provider_name=\"openai\","
                                + "gen_ai_request_model=\"m1\",gen_ai_response_model=\"m1-2026\",gen_ai_token_type=\"input\","
                                + "server_address=\"sim.internal\",server_port=\"8090\",le=\"16.0\",} 1.0"),
                scraped);

        assertEquals(
                Arrays.stream(GenAiMetrics.SECONDS_BUCKETS).boxed().toList(),
                buckets(scraped, "gen_ai_client_operation_time_to_first_chunk_seconds"),
                scraped);
        assertFalse(scraped.contains("status="), "the custom status attribute is gone");
    }

    @Test
    void failuresCarryErrorTypeAndNoTokensWhenNoneWereCounted() throws Exception {
        AdmittedCall call = call(Endpoint.COMPLETIONS, "{\"model\":\"m2\",\"prompt\":\"x\"}");
        metrics.ended(call, "upstream_timeout", 0, 0, null, 1_000_000L);
        metrics.ended(call, "upstream_429", 0, 0, null, 1_000_000L);
        String scraped = registry.scrape();
        assertTrue(scraped.contains("error_type=\"timeout\",gen_ai_operation_name=\"text_completion\""), scraped);
        assertTrue(scraped.contains("error_type=\"429\""), scraped);
        assertFalse(
                Pattern.compile("gen_ai_client_token_usage_count\\{[^}]*} [1-9]")
                        .matcher(scraped)
                        .find(),
                "no usage was readily available, none is recorded: " + scraped);
    }

    @Test
    void errorTypesAreTheDocumentedFewValues() {
        assertEquals("", GenAiMetrics.errorType("ok"));
        assertEquals("", GenAiMetrics.errorType("ok_estimated"));
        assertEquals("500", GenAiMetrics.errorType("upstream_500"));
        assertEquals("idle_timeout", GenAiMetrics.errorType("upstream_idle_timeout"));
        assertEquals("disconnected", GenAiMetrics.errorType("upstream_disconnected"));
        assertEquals("client_cancelled", GenAiMetrics.errorType("client_cancelled"));
        assertEquals("_OTHER", GenAiMetrics.errorType("upstream_failed"));
        assertEquals("_OTHER", GenAiMetrics.errorType("upstream_5xx"));
    }

    @Test
    void aSeriesIsRegisteredOnceAndReused() throws Exception {
        AdmittedCall call = call(Endpoint.EMBEDDINGS, "{\"model\":\"e1\",\"input\":\"x\"}");
        for (int i = 0; i < 100; i++) {
            metrics.ended(call, "ok", 3, 0, "e1", 1_000_000L);
        }
        assertEquals(1, registry.find(GenAiMetrics.DURATION).timers().size());
        assertEquals(100, registry.get(GenAiMetrics.DURATION).timer().count());
        assertEquals(2, registry.find(GenAiMetrics.TOKEN_USAGE).summaries().size());
    }

    /** The finite {@code le} bounds of the first series of {@code name}. */
    private static List<Double> buckets(String scraped, String name) {
        Matcher le = Pattern.compile(name + "_bucket\\{[^}]*le=\"([^\"]+)\"").matcher(scraped);
        List<Double> bounds = new java.util.ArrayList<>();
        String first = null;
        while (le.find()) {
            String series = le.group().substring(0, le.group().indexOf("le="));
            if (first == null) {
                first = series;
            }
            if (series.equals(first) && !le.group(1).equals("+Inf")) {
                bounds.add(Double.parseDouble(le.group(1)));
            }
        }
        return bounds;
    }
}
