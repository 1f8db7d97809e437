package org.vettedaccess.ledger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Go's golang.org/x/mod/sumdb/note and sumdb/tlog — the reference implementations — accept the checkpoints
 * and proofs this library makes, and reject tampered ones. Needs Go and x/mod (CI installs Debian's
 * golang-1.19-go and golang-golang-x-mod-dev); without them the test is skipped and says so.
 */
class GoInteropTest {

    private static final Path GO = Path.of(System.getenv().getOrDefault("GO", "/usr/lib/go-1.19/bin/go"));
    private static final Path GOPATH = Path.of("/usr/share/gocode");

    @Test
    void goAcceptsOurCheckpointsAndProofsAndRejectsForgeries() throws Exception {
        assumeTrue(
                Files.isExecutable(GO) && Files.isDirectory(GOPATH.resolve("src/golang.org/x/mod/sumdb/tlog")),
                "Go and golang.org/x/mod are not installed (CI installs them)");
        int size = 1000;
        NodeStore store = new NodeStore(size);
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            byte[] leaf = ("{\"entry\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            leaves.add(leaf);
            store.append(leaf);
        }
        NoteKeys.Signer signer = NoteKeys.parseSigner(NoteKeys.generateSignerKey("interop.example/ledger"));
        Path dir = Files.createTempDirectory("go-interop");
        Files.writeString(dir.resolve("vkey"), signer.verifier().vkey());
        byte[] root = TreeMath.root(size, store::get);
        Files.writeString(
                dir.resolve("checkpoint"),
                SignedNote.sign(new Checkpoint("interop.example/ledger", size, root).body(), signer));

        List<String> cases = new ArrayList<>();
        for (int n : new int[] {0, 1, 2, 7, 8, 255, 256, 511, 998, 999}) {
            List<byte[]> proof = Proofs.inclusionProof(n, size, store::get);
            cases.add(line("inclusion", "accept", n, size, b64(leaves.get(n)), b64(root), proof));
            cases.add(line("inclusion", "reject", n, size, b64("forged".getBytes()), b64(root), proof));
        }
        for (int n : new int[] {1, 2, 3, 7, 8, 100, 512, 999}) {
            byte[] older = TreeMath.root(n, store::get);
            List<byte[]> proof = Proofs.consistencyProof(n, size, store::get);
            cases.add(line("consistency", "accept", n, size, b64(older), b64(root), proof));
            byte[] wrong = TreeMath.root(n - 1 == 0 ? 2 : n - 1, store::get);
            cases.add(line("consistency", "reject", n, size, b64(wrong), b64(root), proof));
        }
        Files.write(dir.resolve("cases"), cases);

        Path program = Path.of("src/test/go/check.go").toAbsolutePath();
        ProcessBuilder builder =
                new ProcessBuilder(GO.toString(), "run", program.toString(), dir.toString()).redirectErrorStream(true);
        builder.environment().put("GOPATH", GOPATH.toString());
        builder.environment().put("GO111MODULE", "off");
        builder.environment().put("GOFLAGS", "");
        builder.environment().put("GOCACHE", dir.resolve("gocache").toString());
        Process go = builder.start();
        assertTrue(go.waitFor(120, TimeUnit.SECONDS), "go run finished");
        String output = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, go.exitValue(), output);
        assertTrue(output.contains("ok checkpoint interop.example/ledger size 1000"), output);
        assertTrue(output.contains("ok " + cases.size() + " cases"), output);
    }

    private static String line(
            String kind, String expect, long n, long t, String first, String root, List<byte[]> proof)
            throws IOException {
        List<String> hashes = proof.stream().map(GoInteropTest::b64).toList();
        return String.join(
                " ",
                kind,
                expect,
                Long.toString(n),
                Long.toString(t),
                first,
                root,
                hashes.isEmpty() ? "-" : String.join(",", hashes));
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
