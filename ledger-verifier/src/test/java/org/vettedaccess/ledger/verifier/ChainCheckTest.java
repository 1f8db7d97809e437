package org.vettedaccess.ledger.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The chain check both bundle formats run (Verifier and StreamingVerifier share it). */
class ChainCheckTest {

    private static byte[] leaf(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] KYC = leaf("{\"type\":\"kyc.decision\",\"subject\":\"a\"}");
    private static final byte[] GRANT = leaf("{\"type\":\"grant.issued\",\"subject\":\"a\",\"kycLeaf\":0}");

    private static String check(byte[]... leaves) {
        ChainCheck chain = new ChainCheck(20);
        for (int i = 0; i < leaves.length; i++) {
            chain.add(i, leaves[i]);
        }
        Report report = new Report();
        chain.report(report);
        return report.passed() ? "" : report.failures().toString();
    }

    @Test
    void aUsageOnAnEarlierGrantOnAnEarlierDecisionOfTheSameSubjectHolds() {
        assertEquals("", check(KYC, GRANT, leaf("{\"type\":\"usage\",\"subject\":\"a\",\"grantLeaf\":1}")));
    }

    @Test
    void aHandoffRefusalNamesAnEarlierDecisionOfTheSameSubject() {
        assertEquals("", check(KYC, leaf("{\"type\":\"handoff.refused\",\"subject\":\"a\",\"kycLeaf\":0}")));
        assertTrue(check(KYC, leaf("{\"type\":\"handoff.refused\",\"subject\":\"b\",\"kycLeaf\":0}"))
                .contains("index 1 names kycLeaf 0, which is about another subject"));
    }

    @Test
    void eachBrokenLinkIsNamed() {
        assertTrue(
                check(KYC, GRANT, leaf("{\"type\":\"usage\",\"subject\":\"a\",\"grantLeaf\":3}"))
                        .contains("index 2 names grantLeaf 3, which is not an earlier grant."),
                check(KYC, GRANT, leaf("{\"type\":\"usage\",\"subject\":\"a\",\"grantLeaf\":3}")));
        assertTrue(check(KYC, GRANT, leaf("{\"type\":\"usage\",\"subject\":\"a\",\"grantLeaf\":0}"))
                .contains("which is a kyc.decision, not a grant."));
        assertTrue(check(KYC, GRANT, leaf("{\"type\":\"usage\",\"subject\":\"b\",\"grantLeaf\":1}"))
                .contains("index 2 names grantLeaf 1, which is about another subject"));
        assertTrue(check(leaf("{\"type\":\"grant.issued\",\"subject\":\"a\",\"kycLeaf\":0}"))
                .contains("index 0 names kycLeaf 0, which is not an earlier kyc.decision"));
        assertTrue(check(KYC, leaf("not json")).contains("index 1 is not JSON"));
    }

    @Test
    void atMostTheGivenNumberOfBreaksIsNamed() {
        ChainCheck chain = new ChainCheck(2);
        for (int i = 0; i < 5; i++) {
            chain.add(i, leaf("{\"type\":\"usage\",\"subject\":\"a\",\"grantLeaf\":99}"));
        }
        Report report = new Report();
        chain.report(report);
        assertEquals(2, report.failures().toString().split("which is not an earlier").length - 1);
    }
}
