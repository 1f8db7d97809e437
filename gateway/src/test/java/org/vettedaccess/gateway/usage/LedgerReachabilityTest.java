package org.vettedaccess.gateway.usage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LedgerReachabilityTest {

    private static final long MS = 1_000_000L;

    @Test
    void unreachableUntilAProbeHasReachedTheLedger() {
        LedgerReachability ledger = new LedgerReachability(900 * MS);
        assertTrue(ledger.unreachable(0));
        assertFalse(ledger.probed());
        ledger.noAnswer();
        assertTrue(ledger.probed());
        assertTrue(ledger.unreachable(10 * MS), "a probe that timed out has not reached the ledger");
        ledger.answered(20 * MS);
        assertFalse(ledger.unreachable(30 * MS));
    }

    @Test
    void aFailedProbeCountsAtOnceAndALaterSuccessClearsIt() {
        LedgerReachability ledger = new LedgerReachability(900 * MS);
        ledger.answered(0);
        ledger.failed(250 * MS);
        assertTrue(ledger.unreachable(260 * MS));
        // A late answer to a probe begun before the failure does not hide it.
        ledger.answered(100 * MS);
        assertTrue(ledger.unreachable(300 * MS));
        ledger.answered(500 * MS);
        assertFalse(ledger.unreachable(510 * MS));
    }

    @Test
    void withNoRecentSuccessTheLedgerCountsAsUnreachable() {
        LedgerReachability ledger = new LedgerReachability(900 * MS);
        ledger.answered(0);
        ledger.noAnswer();
        assertFalse(ledger.unreachable(800 * MS), "one slow probe alone is not an outage");
        assertTrue(ledger.unreachable(901 * MS), "a ledger that hangs is an outage within the bound");
    }
}
