package org.vettedaccess.ledger.verifier.conformance;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.vettedaccess.ledger.core.ScopeTags;

/**
 * The conformance replay's runtime over a synthetic log (bench/conformance.sh; docs/benchmarks.md): three tiers,
 * 100 models, 1,000 researchers each with a KYC approval, a grant and a key, then {@code usages} calls spread over
 * the grants, 20 calls a second. Prints leaves, seconds and violations (0 expected). Not a test.
 *
 * <p>With a second argument {@code tagged}: every call carries scope tags (ADR 0046) and an INSTITUTION kill switch
 * on an institution nobody is from is engaged from the start, so every call is inside a scoped span and costs one
 * HMAC (the worst case); the key is given.
 */
public final class ConformanceBench {

    private ConformanceBench() {}

    public static void main(String[] args) {
        int usages = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        boolean tagged = args.length > 1 && args[1].equals("tagged");
        ScopeTags key = ScopeTags.of(new byte[32]);
        int researchers = 1_000;
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<byte[]> leaves = new ArrayList<>(usages + 4 * researchers + 200);
        for (int tier = 1; tier <= 3; tier++) {
            leaves.add(leaf("{\"type\":\"tier.changed\",\"loggedAt\":\"" + t + "\",\"tier\":" + tier
                    + ",\"version\":1,\"minAssurance\":1,\"reviewers\":0,\"purposeRequired\":false,\"limits\":{\"rpm\":600,"
                    + "\"inputTpm\":10000000,\"outputTpm\":10000000,\"maxTokens\":4096},\"endpoints\":"
                    + "[\"/v1/chat/completions\"],\"maxGrantDays\":365,\"keyDefaultDays\":30,\"keyMaxDays\":90,"
                    + "\"autoGrant\":false,\"actors\":[\"m\"]}"));
        }
        for (int m = 0; m < 100; m++) {
            leaves.add(
                    leaf(
                            "{\"type\":\"model.registered\",\"loggedAt\":\"" + t + "\",\"modelId\":\"model-" + m
                                    + "\",\"upstreamRoute\":\"sim\",\"trainingFlop\":1e22,\"evalFlags\":[],\"riskClass\":\"STANDARD\","
                                    + "\"requiredTier\":1,\"status\":\"ACTIVE\",\"version\":1,\"disclosures\":[],\"actors\":[\"a\",\"b\"]}"));
        }
        long[] grantLeaf = new long[researchers];
        Instant until = t.plus(Duration.ofDays(3650));
        for (int r = 0; r < researchers; r++) {
            long kyc = leaves.size();
            leaves.add(leaf("{\"type\":\"kyc.decision\",\"loggedAt\":\"" + t + "\",\"applicationId\":\"app-" + r
                    + "\",\"subject\":\"s-" + r + "\",\"outcome\":\"APPROVED\",\"tier\":3,\"assuranceLevel\":3,"
                    + "\"reviewers\":[\"x\",\"y\"],\"decidedAt\":\"" + t + "\",\"reasonCode\":\"ok\"}"));
            grantLeaf[r] = leaves.size();
            leaves.add(leaf("{\"type\":\"grant.issued\",\"loggedAt\":\"" + t + "\",\"grantId\":\"g-" + r
                    + "\",\"subject\":\"s-" + r + "\",\"models\":[\"model-" + (r % 100)
                    + "\"],\"purposeCommitment\":\"ab\","
                    + "\"tier\":1,\"validFrom\":\"" + t + "\",\"validUntil\":\"" + until
                    + "\",\"quota\":{},\"kycLeaf\":"
                    + kyc + ",\"actor\":\"a\",\"reason\":\"r\"}"));
            leaves.add(leaf("{\"type\":\"key.issued\",\"loggedAt\":\"" + t + "\",\"keyId\":\"k-" + r
                    + "\",\"subject\":\"s-" + r + "\",\"grantId\":\"g-" + r + "\",\"expiresAt\":\"" + until
                    + "\",\"actor\":\"s-" + r + "\"}"));
        }
        if (tagged) {
            leaves.add(leaf("{\"type\":\"killswitch.engaged\",\"loggedAt\":\"" + t + "\",\"switchId\":\"s-1\","
                    + "\"scope\":{\"institutions\":[\"0nobody00\"]},\"reason\":\"bench\",\"actors\":[\"a\"]}"));
        }
        Instant clock = t.plusSeconds(1);
        for (int i = 0; i < usages; i++) {
            int r = i % researchers;
            Instant end = clock.plusMillis(40);
            leaves.add(leaf("{\"type\":\"usage\",\"loggedAt\":\"" + end + "\",\"subject\":\"s-" + r
                    + "\",\"model\":\"model-" + (r % 100) + "\",\"endpoint\":\"/v1/chat/completions\",\"grantId\":\"g-"
                    + r
                    + "\",\"grantLeaf\":" + grantLeaf[r] + ",\"decisionId\":\"d-" + i + "\",\"policyVersion\":\"v\","
                    + "\"inputTokens\":20,\"outputTokens\":8,\"status\":\"ok\",\"latencyMs\":40,\"startedAt\":\""
                    + clock + "\",\"finishedAt\":\"" + end + "\",\"keyId\":\"k-" + r + "\""
                    + commitment(key, tagged, i, r)
                    + "}"));
            clock = clock.plusMillis(50);
        }
        long started = System.nanoTime();
        Conformance conformance = new Conformance(Duration.ofSeconds(1), tagged ? List.of(key) : List.of());
        for (int i = 0; i < leaves.size(); i++) {
            conformance.add(i, leaves.get(i));
        }
        ConformanceReport report = conformance.check(0, leaves.size());
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "conformance: %d leaves (%d usage), %.1f s, %d violations, heap used %d MB%n",
                leaves.size(),
                report.usages(),
                seconds,
                report.violations().size(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
    }

    /** The call's {@code promptCommitment} and, tagged, its scope tags (the researcher's institution and country). */
    private static String commitment(ScopeTags key, boolean tagged, int call, int researcher) {
        if (!tagged) {
            return ",\"promptCommitment\":\"cd\"";
        }
        String commitment = String.format("%064x", call);
        return ",\"promptCommitment\":\"" + commitment + "\",\"scopeTags\":{\"key\":\"" + key.id()
                + "\",\"institution\":\""
                + key.tag(commitment, ScopeTags.INSTITUTION, "0inst" + (researcher % 50) + "00")
                + "\",\"country\":\"" + key.tag(commitment, ScopeTags.COUNTRY, "DE") + "\"}";
    }

    private static byte[] leaf(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
