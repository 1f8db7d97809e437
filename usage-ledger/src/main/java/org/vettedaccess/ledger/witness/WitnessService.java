package org.vettedaccess.ledger.witness;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;
import org.vettedaccess.ledger.checkpoint.CheckpointRecord;
import org.vettedaccess.ledger.checkpoint.CheckpointService;
import org.vettedaccess.ledger.checkpoint.Witnesses;
import org.vettedaccess.ledger.config.LedgerConfig;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.WitnessRequest;
import org.vettedaccess.ledger.tree.TreeReader;

/**
 * Gets each new checkpoint cosigned: submits it with a consistency proof from the size each witness last cosigned
 * (tlog-witness add-checkpoint), checks the returned cosignature against the witness's configured key and stores it.
 * A witness that is down or refuses does not hold anything up (ADR 0022): checkpoints are still published and served,
 * and the cosigned checkpoint lags until the witness answers again; every interval retries the latest one.
 */
@ApplicationScoped
public class WitnessService implements Witnesses {

    private static final Logger LOG = Logger.getLogger(WitnessService.class);

    /** A configured witness: its key and its submission prefix. */
    record Configured(Cosignature.Verifier key, URI url) {}

    private final List<Configured> witnesses;
    private final CheckpointService checkpoints;
    private final CosignedCheckpoints cosigned;
    private final TreeReader tree;
    private final WitnessClient client;
    private final LedgerConfig config;
    private final Clock clock;

    public WitnessService(
            LedgerConfig config,
            CheckpointService checkpoints,
            CosignedCheckpoints cosigned,
            TreeReader tree,
            WitnessClient client,
            Clock clock) {
        this.config = config;
        this.checkpoints = checkpoints;
        this.cosigned = cosigned;
        this.tree = tree;
        this.client = client;
        this.clock = clock;
        List<Configured> parsed = new ArrayList<>();
        for (String witness : config.witnesses().orElse(List.of())) {
            String[] parts = witness.strip().split("\\s+");
            if (parts.length != 2) {
                throw new IllegalStateException(
                        "ledger.witnesses entries are '<witness vkey> <URL prefix>': " + witness);
            }
            parsed.add(new Configured(Cosignature.parseVerifier(parts[0]), URI.create(parts[1].replaceAll("/+$", ""))));
        }
        this.witnesses = List.copyOf(parsed);
    }

    /** The witnesses' keys in vkey form, as configured. */
    @Override
    public List<String> witnessKeys() {
        return witnesses.stream().map(w -> w.key().vkey()).toList();
    }

    @Scheduled(
            every = "${ledger.checkpoint-interval}",
            delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void cosignOnInterval() {
        try {
            checkpoints.latest().ifPresent(this::cosign);
        } catch (RuntimeException e) {
            LOG.warnf("getting the latest checkpoint cosigned failed: %s", e.getMessage());
        }
    }

    /** Submits the checkpoint to every witness that has not cosigned it yet; returns how many now have. */
    @Override
    public synchronized int cosign(CheckpointRecord checkpoint) {
        int done = 0;
        for (Configured witness : witnesses) {
            try {
                if (submit(witness, checkpoint)) {
                    done++;
                }
            } catch (RuntimeException e) {
                LOG.warnf(
                        "witness %s: %s; the checkpoint of size %d stays uncosigned by it for now",
                        witness.key().name(), e.getMessage(), checkpoint.treeSize());
            }
        }
        return done;
    }

    private boolean submit(Configured witness, CheckpointRecord checkpoint) {
        String vkey = witness.key().vkey();
        OptionalLong last = cosigned.lastCosigned(vkey);
        if (last.isPresent() && last.getAsLong() == checkpoint.treeSize()) {
            return true;
        }
        long old = last.orElse(0);
        for (int attempt = 0; attempt < 2; attempt++) {
            if (old > checkpoint.treeSize()) {
                LOG.warnf(
                        "witness %s cosigned size %d, larger than the log's %d: the log shrank or was rewritten",
                        witness.key().name(), old, checkpoint.treeSize());
                return false;
            }
            List<byte[]> proof =
                    old == 0 || old == checkpoint.treeSize() ? List.of() : tree.consistency(old, checkpoint.treeSize());
            String body = new WitnessRequest(old, proof, checkpoint.note()).body();
            WitnessClient.Answer answer = client.addCheckpoint(witness.url(), body, config.witnessTimeout());
            if (answer.status() == 200) {
                return store(witness, checkpoint, answer.body());
            }
            if (answer.status() == 409 && attempt == 0) {
                // The witness holds another size than we recorded (its state predates ours): prove from that one.
                Optional<Long> held = parseSize(answer.body());
                if (held.isPresent() && held.get() != old) {
                    old = held.get();
                    continue;
                }
            }
            LOG.warnf(
                    "witness %s refused the checkpoint of size %d from old size %d: %d %s",
                    witness.key().name(),
                    checkpoint.treeSize(),
                    old,
                    answer.status(),
                    answer.body().strip());
            return false;
        }
        return false;
    }

    private boolean store(Configured witness, CheckpointRecord checkpoint, String lines) {
        String body = checkpoint.note().substring(0, checkpoint.note().lastIndexOf("\n\n") + 1);
        for (String line : lines.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                if (Cosignature.verify(body, line, witness.key()).isPresent()) {
                    cosigned.store(checkpoint.treeSize(), witness.key().vkey(), line + "\n", clock.instant());
                    return true;
                }
            } catch (IllegalArgumentException e) {
                LOG.warnf(
                        "witness %s returned an invalid cosignature: %s",
                        witness.key().name(), e.getMessage());
            }
        }
        LOG.warnf(
                "witness %s answered without a cosignature by its configured key",
                witness.key().name());
        return false;
    }

    private static Optional<Long> parseSize(String body) {
        try {
            return Optional.of(Long.parseLong(body.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
