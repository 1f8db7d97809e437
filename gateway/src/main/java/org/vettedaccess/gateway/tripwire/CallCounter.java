package org.vettedaccess.gateway.tripwire;

/** Counts a forwarded call for the tripwires when it ends; {@link UsageSignals} is the real one. */
@FunctionalInterface
public interface CallCounter {

    /** Never blocks and never fails the call. */
    void record(CallFacts facts);
}
