package org.vettedaccess.ledger.verifier.witness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.NoteKeys;

/**
 * {@code ledger-verifier witness --log <log vkey> [--log ...] --key <file> --state <file> [--name <name>] [--host h]
 * [--port p]}: runs a witness. The key file is made on first start (owner-only) with a new key named {@code --name};
 * its public key, to give the ledger and the verifiers, is printed at start.
 */
public final class WitnessMain {

    private WitnessMain() {}

    /** Starts a witness and returns it running; the CLI and the local suite both start it this way. */
    public static WitnessServer start(
            Path keyFile, String name, List<String> logVkeys, Path stateFile, String host, int port)
            throws IOException {
        if (!Files.exists(keyFile)) {
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            Files.writeString(keyFile, Cosignature.generateSignerKey(name));
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        }
        Cosignature.Signer key = Cosignature.parseSigner(Files.readString(keyFile));
        Map<String, List<NoteKeys.Verifier>> logs = new HashMap<>();
        for (String vkey : logVkeys) {
            NoteKeys.Verifier log = NoteKeys.parseVerifier(vkey);
            logs.computeIfAbsent(log.name(), origin -> new ArrayList<>()).add(log);
        }
        return WitnessServer.start(host, port, new Witness(key, logs, new WitnessState(stateFile), Clock.systemUTC()));
    }

    /** Runs the CLI; returns only on a usage error (2), else serves until the process is stopped. */
    public static int run(String[] args, PrintStream out) {
        List<String> logs = new ArrayList<>();
        Path key = null;
        Path state = null;
        String name = "witness.example/regulator";
        String host = "127.0.0.1";
        int port = 8089;
        try {
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--log" ->
                        logs.add(value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value);
                    case "--key" -> key = Path.of(value);
                    case "--state" -> state = Path.of(value);
                    case "--name" -> name = value;
                    case "--host" -> host = value;
                    case "--port" -> port = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (logs.isEmpty() || key == null || state == null) {
                throw new IllegalArgumentException("give --log, --key and --state");
            }
            WitnessServer server = start(key, name, logs, state, host, port);
            out.println("witness " + server.verifier().vkey());
            out.println("listening on http://" + host + ":" + server.port() + "/add-checkpoint");
            return -1;
        } catch (IllegalArgumentException | IOException e) {
            out.println("error: " + e.getMessage());
            out.println("usage: witness --log <log vkey or @file> --key <file> --state <file> [--name <name>]"
                    + " [--host <host>] [--port <port>]");
            return 2;
        }
    }
}
