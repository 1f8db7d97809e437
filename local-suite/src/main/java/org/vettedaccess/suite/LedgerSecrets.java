package org.vettedaccess.suite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.vettedaccess.ledger.core.NoteKeys;

/**
 * The usage-ledger's local keys and database roles. The checkpoint signing key and the pseudonym key are made
 * once per state directory and kept there (owner-only files), so checkpoints stay verifiable across restarts.
 * The ledger connects as the append-only role; Flyway migrates as the database owner.
 */
final class LedgerSecrets {

    static final String ORIGIN = "vetted-access.local/usage-ledger";
    /** Demo-only password of the append role for local runs (trust auth ignores it on the embedded server). */
    static final String APPENDER_PASSWORD = "ledger-appender-demo";

    private LedgerSecrets() {}

    static Map<String, String> environment(Path secrets, SuiteDatabase database) {
        Map<String, String> environment = new HashMap<>();
        environment.put("LEDGER_ORIGIN", ORIGIN);
        environment.put("LEDGER_SIGNING_KEY_FILE", signingKey(secrets).toString());
        environment.put("LEDGER_PSEUDONYM_KEY", read(pseudonymKey(secrets)));
        // The gateway's scope-tag key, so that the conformance endpoint judges scoped kill switches (ADR 0046).
        environment.put("LEDGER_SCOPE_TAG_KEYS", LocalSuite.SCOPE_TAGS_DEMO_KEY);
        // Quarkus uses Flyway's own credentials only together with its own JDBC URL.
        environment.put(
                "QUARKUS_FLYWAY_JDBC_URL",
                database.jdbcUrl(ServiceSpec.LEDGER.database().orElseThrow()));
        environment.put("QUARKUS_FLYWAY_USERNAME", database.user());
        environment.put("QUARKUS_FLYWAY_PASSWORD", database.password());
        environment.put("QUARKUS_DATASOURCE_USERNAME", "ledger_appender");
        environment.put("QUARKUS_DATASOURCE_PASSWORD", APPENDER_PASSWORD);
        environment.put("LEDGER_APPENDER_PASSWORD", APPENDER_PASSWORD);
        return environment;
    }

    /** The signing key file, made on first use; the local witness trusts its public half. */
    static Path signingKey(Path secrets) {
        return file(secrets.resolve("ledger-signing.key"), () -> NoteKeys.generateSignerKey(ORIGIN));
    }

    private static Path pseudonymKey(Path secrets) {
        return file(secrets.resolve("ledger-pseudonym.key"), () -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return Base64.getEncoder().encodeToString(key);
        });
    }

    private static Path file(Path path, Supplier<String> maker) {
        try {
            if (!Files.exists(path)) {
                Files.createDirectories(path.getParent());
                Files.writeString(path, maker.get());
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
