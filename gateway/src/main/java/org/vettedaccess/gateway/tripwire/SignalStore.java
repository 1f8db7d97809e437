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

    /** The subject's tokens on the model per UTC hour (hour number since the epoch), as far as they are kept. */
    CompletionStage<Map<Long, Long>> hours(String model, String subject);
}
