package org.vettedaccess.ledger.verifier.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Cosignature;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.core.SignedNote;
import org.vettedaccess.ledger.verifier.witness.WitnessPolicy;

/**
 * {@code ledger-verifier receipt <x-request-id> --gateway <url> --ledger <url> --token <researcher token>
 * --vkey <vkey or @file> [--prompt <request body file> --salt <x-va-prompt-salt>] [--wait-s <seconds>]
 * [--witness <witness vkey or @file> ... [--witness-threshold <k>]]}: a
 * researcher checks their own call. It reads the receipt (gateway), the call's leaf and its inclusion proof
 * (ledger, which shows a researcher their own entries), and a checkpoint signed by a key the researcher trusts;
 * checks that the leaf is in the signed tree and that it records the call as the receipt says; and, given the
 * request body sent and the salt the answer carried, that the leaf's prompt commitment is SHA-256(salt ‖ body).
 * With {@code --witness}, also that the ledger's cosigned checkpoint ({@code GET /checkpoint}, C2SP tlog-tiles)
 * extends the leaf's checkpoint and carries valid {@code cosignature/v1} lines by at least {@code k} (default: all)
 * of the pinned witnesses ({@link WitnessPolicy}, as the integrity check counts them).
 * Exit 0 if every check passes, 1 if one fails, 2 on wrong usage or unreachable services.
 */
public final class ReceiptCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String token;
    private final List<String> lines = new ArrayList<>();
    private boolean passed = true;

    private ReceiptCommand(String token) {
        this.token = token;
    }

    public static int run(String[] args, PrintStream out) {
        String requestId = null;
        String gateway = null;
        String ledger = null;
        String token = System.getenv("VA_TOKEN");
        String prompt = null;
        String salt = null;
        long waitSeconds = 30;
        List<NoteKeys.Verifier> keys = new ArrayList<>();
        List<Cosignature.Verifier> witnesses = new ArrayList<>();
        Integer threshold = null;
        try {
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    requestId = args[i];
                    continue;
                }
                String option = args[i];
                String value = i + 1 < args.length ? args[++i] : null;
                if (value == null) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                switch (option) {
                    case "--gateway" -> gateway = value.replaceAll("/+$", "");
                    case "--ledger" -> ledger = value.replaceAll("/+$", "");
                    case "--token" -> token = value;
                    case "--prompt" -> prompt = value;
                    case "--salt" -> salt = value;
                    case "--wait-s" -> waitSeconds = Long.parseLong(value);
                    case "--vkey" -> keys.add(NoteKeys.parseVerifier(read(value)));
                    case "--witness" -> witnesses.add(Cosignature.parseVerifier(read(value)));
                    case "--witness-threshold" -> threshold = Integer.valueOf(value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            if (requestId == null || gateway == null || ledger == null || token == null || keys.isEmpty()) {
                throw new IllegalArgumentException("give the request id, --gateway, --ledger, --token and --vkey");
            }
            if ((prompt == null) != (salt == null)) {
                throw new IllegalArgumentException("--prompt and --salt go together");
            }
            if (witnesses.isEmpty() && threshold != null) {
                throw new IllegalArgumentException("--witness-threshold needs --witness");
            }
            // Default: every pinned witness must have cosigned.
            WitnessPolicy policy = witnesses.isEmpty()
                    ? null
                    : new WitnessPolicy(witnesses, threshold == null ? witnesses.size() : threshold);
            ReceiptCommand command = new ReceiptCommand(token);
            command.check(
                    requestId,
                    gateway,
                    ledger,
                    keys,
                    prompt == null ? null : Path.of(prompt),
                    salt,
                    waitSeconds,
                    policy);
            command.lines.forEach(out::println);
            out.println(command.passed ? "RECEIPT VERIFIED" : "RECEIPT NOT VERIFIED");
            return command.passed ? 0 : 1;
        } catch (IllegalArgumentException | IOException e) {
            out.println("error: " + e.getMessage());
            out.println("usage: receipt <x-request-id> --gateway <url> --ledger <url> --token <token> --vkey <vkey>"
                    + " [--prompt <request body file> --salt <x-va-prompt-salt>] [--wait-s <seconds>]"
                    + " [--witness <witness vkey or @file> ... [--witness-threshold <k>]]");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    private void check(
            String requestId,
            String gateway,
            String ledger,
            List<NoteKeys.Verifier> keys,
            Path prompt,
            String salt,
            long waitSeconds,
            WitnessPolicy policy)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        // 1. The receipt, once the gateway has delivered the call's leaf.
        JsonNode receipt =
                json(gateway + "/api/v1/usage/calls/" + URLEncoder.encode(requestId, StandardCharsets.UTF_8));
        while (!receipt.path("state").asText().equals("DELIVERED") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            receipt = json(gateway + "/api/v1/usage/calls/" + URLEncoder.encode(requestId, StandardCharsets.UTF_8));
        }
        if (!receipt.path("state").asText().equals("DELIVERED")) {
            fail("receipt", "the call is " + receipt.path("state").asText() + ", not yet in the ledger");
            return;
        }
        long index = receipt.path("ledgerIndex").asLong();
        pass("receipt", "call " + requestId + " is ledger index " + index);

        // 2. The leaf: the bytes the tree hashes, and what they say.
        JsonNode entry = json(ledger + "/api/v1/entries/" + index);
        byte[] bytes = Base64.getDecoder().decode(entry.path("leaf").asText());
        JsonNode leaf = JSON.readTree(bytes);
        List<String> differs = new ArrayList<>();
        if (!leaf.path("type").asText().equals("usage")) {
            differs.add("type " + leaf.path("type").asText());
        }
        for (String[] field : new String[][] {
            {"model", "model"}, {"inputTokens", "inputTokens"}, {"outputTokens", "outputTokens"}, {"status", "status"}
        }) {
            if (!leaf.path(field[0]).asText().equals(receipt.path(field[1]).asText())) {
                differs.add(field[0] + " " + leaf.path(field[0]).asText() + " (receipt: "
                        + receipt.path(field[1]).asText() + ")");
            }
        }
        if (differs.isEmpty()) {
            pass(
                    "leaf",
                    "index " + index + " is a usage of " + leaf.path("model").asText() + ", "
                            + leaf.path("inputTokens").asLong() + " + "
                            + leaf.path("outputTokens").asLong()
                            + " tokens, as the receipt says");
        } else {
            fail("leaf", "index " + index + " differs from the receipt: " + String.join(", ", differs));
        }

        // 3. A checkpoint signed by a trusted key that covers the leaf (they are signed on an interval).
        Checkpoint checkpoint = null;
        while (true) {
            String note = text(ledger + "/api/v1/checkpoint");
            try {
                checkpoint = open(note, keys);
            } catch (IllegalArgumentException e) {
                fail("checkpoint", "not signed by a trusted key: " + e.getMessage());
                return;
            }
            if (checkpoint.size() > index || System.nanoTime() >= deadline) {
                break;
            }
            Thread.sleep(1_000);
        }
        if (checkpoint.size() <= index) {
            fail("checkpoint", "the newest checkpoint (size " + checkpoint.size() + ") does not cover index " + index);
            return;
        }
        pass("checkpoint", "signed by a trusted key, tree size " + checkpoint.size());

        // 4. The leaf is in that tree.
        JsonNode proof = json(ledger + "/api/v1/proofs/inclusion?index=" + index + "&treeSize=" + checkpoint.size());
        List<byte[]> hashes = new ArrayList<>();
        proof.path("hashes").forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
        if (Proofs.verifyInclusion(index, checkpoint.size(), Hashes.leaf(bytes), hashes, checkpoint.rootHash())) {
            pass("inclusion", "the leaf's inclusion proof verifies against the checkpoint's root");
        } else {
            fail("inclusion", "the leaf's inclusion proof does not verify against the checkpoint's root");
        }

        // 4b. The pinned witnesses cosigned a checkpoint that extends it: one log for everyone.
        if (policy != null) {
            witnesses(ledger, checkpoint, keys, policy);
        }

        // 5. The commitment opens to the prompt the researcher sent.
        if (prompt != null) {
            String opened = commitment(Base64.getDecoder().decode(salt), Files.readAllBytes(prompt));
            if (opened.equals(leaf.path("promptCommitment").asText())) {
                pass("prompt", "SHA-256(salt || " + prompt.getFileName() + ") equals the leaf's promptCommitment");
            } else {
                fail(
                        "prompt",
                        "SHA-256(salt || " + prompt.getFileName() + ") is " + opened + "; the leaf commits to "
                                + leaf.path("promptCommitment").asText());
            }
        }
    }

    /**
     * Reads the cosigned checkpoint, checks the ledger's signature on it, that it extends {@code covering} (the same
     * tree, or a consistency proof from the ledger) and that the policy's witnesses cosigned it.
     */
    private void witnesses(String ledger, Checkpoint covering, List<NoteKeys.Verifier> keys, WitnessPolicy policy)
            throws IOException, InterruptedException {
        String note = text(ledger + "/checkpoint");
        Checkpoint latest;
        try {
            latest = open(note, keys);
        } catch (IllegalArgumentException e) {
            fail("witnesses", "the cosigned checkpoint (GET /checkpoint) is not signed by a trusted key");
            return;
        }
        // ledger-core's one rule (Checkpoint#isExtendedBy): the same tree, or a consistency proof that joins them.
        boolean extendsIt;
        try {
            extendsIt = covering.isExtendedBy(latest, () -> {
                try {
                    JsonNode proof = json(
                            ledger + "/api/v1/proofs/consistency?from=" + covering.size() + "&to=" + latest.size());
                    List<byte[]> hashes = new ArrayList<>();
                    proof.path("hashes")
                            .forEach(h -> hashes.add(Base64.getDecoder().decode(h.asText())));
                    return hashes;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException(new IOException("interrupted", e));
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (!extendsIt) {
            fail(
                    "witnesses",
                    "the cosigned checkpoint (size " + latest.size() + ") does NOT extend the checkpoint of size "
                            + covering.size() + " the leaf is in");
            return;
        }
        String missing = policy.check(note);
        if (missing != null) {
            fail("witnesses", missing + " (a forged, missing or wrong-key cosignature does not count)");
        } else {
            pass(
                    "witnesses",
                    policy.describe(note) + "; it extends the checkpoint of size " + covering.size()
                            + " the leaf is in");
        }
    }

    private static String read(String value) throws IOException {
        return value.startsWith("@") ? Files.readString(Path.of(value.substring(1))) : value;
    }

    /** The gateway's prompt commitment: hex SHA-256 of the salt's bytes followed by the request body's. */
    public static String commitment(byte[] salt, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(body);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Checkpoint open(String note, List<NoteKeys.Verifier> keys) {
        List<String> errors = new ArrayList<>();
        for (NoteKeys.Verifier key : keys) {
            try {
                return Checkpoint.parse(SignedNote.open(note, key));
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        }
        throw new IllegalArgumentException(String.join("; ", errors));
    }

    private JsonNode json(String url) throws IOException, InterruptedException {
        return JSON.readTree(text(url));
    }

    private String text(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private void pass(String name, String detail) {
        lines.add("PASS " + name + ": " + detail);
    }

    private void fail(String name, String detail) {
        passed = false;
        lines.add("FAIL " + name + ": " + detail);
    }
}
