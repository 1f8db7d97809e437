package org.vettedaccess.gateway.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.vettedaccess.gateway.config.GatewayConfig;

/**
 * Delivers READY outbox records to the usage-ledger, oldest first, and closes records that crashed calls left
 * PENDING. Any replica may run it: rows are locked with SKIP LOCKED, and the idempotency key (the record's id)
 * makes a delivery that raced a crash land once.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final LedgerClient ledger;
    private final LedgerProbe probe;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final Counter delivered;
    private final Counter rejected;
    private final AtomicLong backlog = new AtomicLong();
    private volatile long lastFailureAt;
    private volatile long lastSuccessAt;
    private volatile boolean running = true;
    private Thread worker;

    public OutboxRelay(
            OutboxRepository outbox,
            LedgerClient ledger,
            LedgerProbe probe,
            GatewayConfig config,
            ObjectMapper json,
            MeterRegistry metrics) {
        this.outbox = outbox;
        this.ledger = ledger;
        this.probe = probe;
        this.config = config;
        this.json = json;
        this.delivered = Counter.builder("gateway.outbox.delivered")
                .description("Outbox records the ledger accepted")
                .register(metrics);
        this.rejected = Counter.builder("gateway.outbox.rejected")
                .description("Outbox records the ledger refused as invalid (kept, never dropped)")
                .register(metrics);
        Gauge.builder("gateway.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox records waiting for the ledger")
                .register(metrics);
    }

    /**
     * True while the probe cannot reach the ledger, or the last delivery failed: tiers that fail closed then refuse
     * new calls. The probe is what notices an outage while the outbox is empty.
     */
    public boolean ledgerUnreachable() {
        return deliveryFailing() || probe.unreachable();
    }

    private boolean deliveryFailing() {
        return lastFailureAt > lastSuccessAt;
    }

    /** Its own loop, not the scheduler, whose intervals start at one second; a usage record waits at most this. */
    void start(@Observes StartupEvent event) {
        worker = Thread.ofVirtual().name("outbox-relay").start(() -> {
            while (running) {
                relay();
                try {
                    Thread.sleep(config.outbox().relayInterval().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    void relay() {
        try {
            closeAbandoned();
            int batch = config.outbox().batchSize();
            while (deliverBatch(batch) == batch) {
                // a full batch: more may be waiting
            }
            backlog.set(outbox.backlog().count());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("the outbox relay cannot read the outbox now: %s", e.toString());
        }
    }

    /** Delivers up to {@code limit} records; returns how many it delivered. */
    int deliverBatch(int limit) throws SQLException {
        try (Connection connection = outbox.connection()) {
            connection.setAutoCommit(false);
            try {
                List<OutboxRepository.Ready> ready = OutboxRepository.lockReady(connection, limit);
                if (ready.isEmpty()) {
                    connection.commit();
                    return 0;
                }
                List<LedgerClient.Entry> entries = new ArrayList<>(ready.size());
                for (OutboxRepository.Ready record : ready) {
                    entries.add(
                            new LedgerClient.Entry(record.kind() + ":" + record.id(), record.kind(), record.entry()));
                }
                try {
                    OutboxRepository.markDelivered(
                            connection,
                            ready.stream().map(OutboxRepository.Ready::id).toList(),
                            ledger.append(entries));
                } catch (LedgerClient.Refused refused) {
                    deliverOneByOne(connection, ready, entries);
                }
                connection.commit();
                lastSuccessAt = System.nanoTime();
                delivered.increment(ready.size());
                return ready.size();
            } catch (RuntimeException e) {
                connection.rollback();
                if (!deliveryFailing()) {
                    LOG.warnf("the ledger cannot take usage records now; they wait in the outbox: %s", e.toString());
                }
                lastFailureAt = System.nanoTime();
                return 0;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** A batch the ledger refused: find the invalid records, deliver the rest, keep the invalid ones aside. */
    private void deliverOneByOne(
            Connection connection, List<OutboxRepository.Ready> ready, List<LedgerClient.Entry> entries)
            throws SQLException {
        for (int i = 0; i < ready.size(); i++) {
            try {
                OutboxRepository.markDelivered(
                        connection, List.of(ready.get(i).id()), ledger.append(List.of(entries.get(i))));
            } catch (LedgerClient.Refused refused) {
                LOG.errorf(
                        "the ledger refused outbox record %s; it is kept as REJECTED: %s",
                        ready.get(i).id(), refused.getMessage());
                OutboxRepository.markRejected(connection, ready.get(i).id(), refused.getMessage());
                rejected.increment();
            }
        }
    }

    /** Calls PENDING for longer than any call can last belong to a gateway that died: record them as interrupted. */
    private void closeAbandoned() throws SQLException {
        Instant before = Instant.now().minus(config.outbox().abandonAfter());
        for (OutboxRepository.Abandoned call : outbox.abandoned(before, 100)) {
            try {
                ObjectNode entry = (ObjectNode) json.readTree(call.pendingEntry());
                // The worst case was written when the call began: all of its reservation counts as used.
                long input = entry.path("inputTokens").asLong();
                long output = entry.path("outputTokens").asLong();
                outbox.closeCall(call.id(), input, output, entry.toString());
                LOG.warnf("closed call %s, left pending by a stopped gateway, as interrupted", call.id());
            } catch (IOException | ClassCastException e) {
                LOG.errorf("outbox record %s has an unreadable entry: %s", call.id(), e.toString());
            }
        }
    }
}
