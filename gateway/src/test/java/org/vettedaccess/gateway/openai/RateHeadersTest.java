package org.vettedaccess.gateway.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vettedaccess.gateway.quota.Buckets;
import org.vettedaccess.gateway.quota.QuotaStore;

/** The rate-limit headers as OpenAI names and formats them. */
class RateHeadersTest {

    @Test
    void resetsAreWrittenAsOpenAiWritesThem() {
        assertEquals("0s", RateLimits.duration(0));
        assertEquals("0s", RateLimits.duration(-5));
        assertEquals("20ms", RateLimits.duration(20));
        assertEquals("1s", RateLimits.duration(1_000));
        assertEquals("1.25s", RateLimits.duration(1_250));
        assertEquals("59.999s", RateLimits.duration(59_999));
        assertEquals("1m0s", RateLimits.duration(60_000));
        assertEquals("6m0s", RateLimits.duration(360_000));
        assertEquals("1m1.5s", RateLimits.duration(61_500));
        assertEquals("1h0m0s", RateLimits.duration(3_600_000));
        assertEquals("2h3m4.005s", RateLimits.duration(7_384_005));
    }

    @Test
    void tokensMeanInputAndOutputTogetherAndEachHasItsOwnHeadersToo() {
        QuotaStore.Answer admission =
                new QuotaStore.Answer(true, -1, 0, new Buckets(59, 90_000, 15_000), new Buckets(1_000, 6_000, 15_000));
        Map<String, String> headers = new LinkedHashMap<>();
        RateLimits.headers(headers::put, admission, new Buckets(60, 100_000, 20_000));
        assertEquals("60", headers.get("x-ratelimit-limit-requests"));
        assertEquals("59", headers.get("x-ratelimit-remaining-requests"));
        assertEquals("1s", headers.get("x-ratelimit-reset-requests"));
        assertEquals("120000", headers.get("x-ratelimit-limit-tokens"));
        assertEquals("105000", headers.get("x-ratelimit-remaining-tokens"));
        assertEquals("15s", headers.get("x-ratelimit-reset-tokens"));
        assertEquals("100000", headers.get("x-ratelimit-limit-input-tokens"));
        assertEquals("15000", headers.get("x-ratelimit-remaining-output-tokens"));
        assertEquals("6s", headers.get("x-ratelimit-reset-input-tokens"));
    }
}
