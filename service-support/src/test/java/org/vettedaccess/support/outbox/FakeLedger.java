package org.vettedaccess.support.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A ledger with the real one's idempotency contract: a repeated key gets the first index and no second leaf. It can
 * be down, and can lose its answer after appending (the case retries must survive).
 */
final class FakeLedger implements LedgerSink {

    record Leaf(long index, String key, String type, Map<String, Object> entry) {}

    private final List<Leaf> leaves = new ArrayList<>();
    private final Map<String, Long> byKey = new HashMap<>();
    volatile boolean down;
    volatile int loseNextAnswers;
    volatile int calls;

    @Override
    public synchronized long append(String idempotencyKey, String type, Map<String, Object> entry) {
        calls++;
        if (down) {
            throw new IllegalStateException("connection refused");
        }
        Long existing = byKey.get(idempotencyKey);
        long index;
        if (existing != null) {
            index = existing;
        } else {
            index = leaves.size();
            leaves.add(new Leaf(index, idempotencyKey, type, entry));
            byKey.put(idempotencyKey, index);
        }
        if (loseNextAnswers > 0) {
            loseNextAnswers--;
            throw new IllegalStateException("read timed out");
        }
        return index;
    }

    synchronized List<String> keys() {
        return leaves.stream().map(Leaf::key).toList();
    }

    synchronized List<Leaf> leaves() {
        return List.copyOf(leaves);
    }
}
