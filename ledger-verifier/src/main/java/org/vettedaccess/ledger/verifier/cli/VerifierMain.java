package org.vettedaccess.ledger.verifier.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.verifier.BundleFormat;
import org.vettedaccess.ledger.verifier.Report;

/**
 * {@code java -jar ledger-verifier-cli.jar --vkey <vkey> (--bundle <file> | --url <ledger URL> --token <token>)
 * [--checkpoint <file>]}. Prints one line per check and exits 0 only if every check passed (1: a check failed,
 * 2: wrong usage or unreadable input).
 */
public final class VerifierMain {

    private VerifierMain() {}

    public static void main(String[] args) {
        int code = run(args, System.out);
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Runs the CLI and returns its exit code. */
    public static int run(String[] args, java.io.PrintStream out) {
        // Subcommands (docs/regulators.md); without one, the integrity check below.
        if (args.length > 0 && args[0].equals("conformance")) {
            return org.vettedaccess.ledger.verifier.conformance.ConformanceCommand.run(rest(args), out);
        }
        if (args.length > 0 && args[0].equals("receipt")) {
            return org.vettedaccess.ledger.verifier.receipt.ReceiptCommand.run(rest(args), out);
        }
        if (args.length > 0 && args[0].equals("witness")) {
            return org.vettedaccess.ledger.verifier.witness.WitnessMain.run(rest(args), out);
        }
        List<org.vettedaccess.ledger.core.Cosignature.Verifier> witnesses = new ArrayList<>();
        Integer threshold = null;
        List<NoteKeys.Verifier> keys = new ArrayList<>();
        String bundle = null;
        String url = null;
        String token = System.getenv("LEDGER_TOKEN");
        String held = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--vkey" -> keys.add(NoteKeys.parseVerifier(text(value)));
                    case "--bundle" -> bundle = value;
                    case "--url" -> url = value;
                    case "--token" -> token = value;
                    case "--checkpoint" -> held = Files.readString(Path.of(value));
                    case "--witness" ->
                        witnesses.add(org.vettedaccess.ledger.core.Cosignature.parseVerifier(text(value)));
                    case "--witness-threshold" -> threshold = Integer.valueOf(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if (keys.isEmpty() || (bundle == null) == (url == null)) {
                throw new IllegalArgumentException("give --vkey and exactly one of --bundle or --url");
            }
            Optional<org.vettedaccess.ledger.verifier.witness.WitnessPolicy> policy = witnesses.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new org.vettedaccess.ledger.verifier.witness.WitnessPolicy(
                            witnesses, threshold == null ? 1 : threshold));
            Report report;
            try (java.io.InputStream in = new java.io.BufferedInputStream(
                    bundle != null ? Files.newInputStream(Path.of(bundle)) : fetch(url, token), 1 << 16)) {
                report = BundleFormat.verify(in, keys, policy, Optional.ofNullable(held));
            }
            report.checks().forEach(out::println);
            out.println(
                    report.passed()
                            ? "VERIFIED"
                            : "NOT VERIFIED: " + report.failures().size() + " check(s) failed");
            return report.passed() ? 0 : 1;
        } catch (IllegalArgumentException | IOException | java.io.UncheckedIOException e) {
            out.println("error: " + e.getMessage());
            out.println("usage: --vkey <vkey or @file> (--bundle <file> | --url <ledger URL> [--token <token>])"
                    + " [--checkpoint <file>] [--witness <witness vkey or @file> ... [--witness-threshold <k>]]");
            out.println("   or: witness --log <log vkey> --key <file> --state <file> [--port <port>]");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    private static String[] rest(String[] args) {
        return java.util.Arrays.copyOfRange(args, 1, args.length);
    }

    private static String text(String value) throws IOException {
        if (value == null) {
            throw new IllegalArgumentException("--vkey needs a value");
        }
        return value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value;
    }

    private static java.io.InputStream fetch(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + "/api/v1/export"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<java.io.InputStream> response =
                HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body;
            try (java.io.InputStream in = response.body()) {
                body = new String(in.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
            }
            throw new IOException("the ledger answered " + response.statusCode() + ": " + body);
        }
        return response.body();
    }
}
