package org.vettedaccess.gateway.tripwire;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The tripwire counters: in Redis when gateway replicas share them, in memory for one instance. */
interface SignalStore {

    /**
     * Counts one call: its model's second, and its tokens in the subject's hour on that model.
     *
     * @return the store's clock (epoch seconds) and the subject's tokens on the model in the current hour
     */
    CompletionStage<long[]> record(CallFacts facts);

    /** The model's sums over the window, from {@code sinceSecond} at the earliest. */
    CompletionStage<Windows.Sums> window(String model, int windowSeconds, long sinceSecond, int fromHour, int toHour);

    /**
     * CALLS_FROM_SCOPE: the model's calls over the window from {@code sinceSecond} at the earliest, and each scope
     * field's calls by start second over the window, from its own {@code sinceSecond} at the earliest.
     */
    CompletionStage<Windows.ScopeSums> scopes(
            String model, int windowSeconds, long sinceSecond, java.util.List<Windows.ScopeAsk> asks);

    /** The subject's tokens on the model per UTC hour (hour number since the epoch), as far as they are kept. */
    CompletionStage<Map<Long, Long>> hours(String model, String subject);
}
