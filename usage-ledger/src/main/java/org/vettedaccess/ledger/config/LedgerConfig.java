package org.vettedaccess.ledger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The ledger's identity, keys and tuning. */
@ConfigMapping(prefix = "ledger")
public interface LedgerConfig {

    /** The checkpoint origin line and signing key name, e.g. {@code ledger.example-lab.org/vetted-access}. */
    @WithDefault("vetted-access.local/usage-ledger")
    String origin();

    /** The checkpoint signing key as text ({@code PRIVATE+KEY+<origin>+<id>+<key>}); or use signing-key-file. */
    Optional<String> signingKey();

    /** A file holding the signing key text, e.g. a mounted Kubernetes Secret. */
    Optional<Path> signingKeyFile();

    /** Verifier keys of retired signing keys, still published so that old checkpoints stay verifiable. */
    Optional<List<String>> previousVerifierKeys();

    /** The secret of the HMAC that turns a subject id into its pseudonym; never changes for a ledger. */
    String pseudonymKey();

    /** How often a new checkpoint is signed when the log has grown (read by the scheduler too). */
    @WithDefault("10s")
    java.time.Duration checkpointInterval();

    /** The most entries one append transaction takes from the queue (group commit). */
    @WithDefault("2000")
    int maxBatch();

    /** The most entries one append request may carry. */
    @WithDefault("1000")
    int maxEntriesPerRequest();

    /**
     * The witnesses each new checkpoint is submitted to (C2SP tlog-witness), each {@code <witness vkey> <URL prefix>},
     * e.g. {@code witness.example/w1+1a2b3c4d+BASE64 https://witness.example/w1}; none by default.
     */
    Optional<List<String>> witnesses();

    /** How long one witness may take to answer an add-checkpoint request. */
    @WithDefault("5s")
    java.time.Duration witnessTimeout();

    /**
     * The gateway's scope-tag keys (base64, ADR 0046), current and retired, with which the conformance endpoint
     * judges INSTITUTION and COUNTRY kill switches and scope trips on tagged usage leaves; none: those calls are
     * reported as not checked.
     */
    Optional<List<String>> scopeTagKeys();

    /** The most entries one query page returns. */
    @WithDefault("500")
    int maxPage();
}
