package org.vettedaccess.gateway.usage;

/**
 * What the probes have seen of the ledger, each outcome stamped with the {@link System#nanoTime()} its probe
 * started at (probes overlap; a late answer to an old probe must not hide a newer failure). The ledger counts as
 * unreachable until a probe has reached it, after a probe that failed outright (connection refused: nothing
 * listens) until a later one succeeds, and once no probe begun in the last {@code staleAfterNanos} has succeeded (a
 * ledger that hangs, fails or cannot be probed). A slow answer alone is no failure: under load it only counts once it leaves
 * the last success too old.
 */
final class LedgerReachability {

    private final long staleAfterNanos;
    private boolean everOk;
    private long lastOk;
    private boolean everFailed;
    private long lastFailed;
    private volatile boolean probed;

    LedgerReachability(long staleAfterNanos) {
        this.staleAfterNanos = staleAfterNanos;
    }

    synchronized void answered(long startedAt) {
        if (!everOk || startedAt - lastOk > 0) {
            lastOk = startedAt;
        }
        everOk = true;
        probed = true;
    }

    synchronized void failed(long startedAt) {
        if (!everFailed || startedAt - lastFailed > 0) {
            lastFailed = startedAt;
        }
        everFailed = true;
        probed = true;
    }

    /** A probe that timed out: no verdict, but the first probe has finished. */
    void noAnswer() {
        probed = true;
    }

    /** True once a first probe has finished, whatever it found. */
    boolean probed() {
        return probed;
    }

    synchronized boolean unreachable(long now) {
        return !everOk || (everFailed && lastFailed - lastOk >= 0) || now - lastOk > staleAfterNanos;
    }
}
