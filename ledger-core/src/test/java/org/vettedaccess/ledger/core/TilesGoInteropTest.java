package org.vettedaccess.ledger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Go's {@code sumdb/tlog} tile reader (TileHashReader over C2SP paths) reads the tiles ledger-core lays out and gets
 * the checkpoint's root; a tampered tile is refused. Skipped, saying so, where Go and x/mod are not installed.
 */
class TilesGoInteropTest {

    static final Path GO = Path.of(System.getenv().getOrDefault("GO", "/usr/lib/go-1.19/bin/go"));
    static final Path GOPATH = Path.of("/usr/share/gocode");

    @Test
    void goReadsOurTilesAndGetsTheCheckpointRoot() throws Exception {
        assumeTrue(
                Files.isExecutable(GO) && Files.isDirectory(GOPATH.resolve("src/golang.org/x/mod/sumdb/tlog")),
                "Go and golang.org/x/mod are not installed (CI installs them)");
        // Two full levels and partial tiles on three levels.
        int size = 256 * 256 + 256 * 3 + 7;
        NodeStore store = new NodeStore(size);
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            byte[] leaf = ("{\"entry\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            leaves.add(leaf);
            store.append(leaf);
        }
        Path dir = Files.createTempDirectory("go-tiles");
        NoteKeys.Signer signer = NoteKeys.parseSigner(NoteKeys.generateSignerKey("interop.example/tiles"));
        Files.writeString(
                dir.resolve("checkpoint"),
                SignedNote.sign(new Checkpoint("interop.example/tiles", size, store.root()).body(), signer));
        for (Tiles.Tile tile : Tiles.tilesOf(size)) {
            write(dir.resolve(tile.path()), Tiles.tileData(tile, store::get));
            if (tile.level() == 0) {
                Tiles.Tile bundle = new Tiles.Tile(Tiles.Tile.ENTRIES, tile.index(), tile.width());
                int from = Math.toIntExact(bundle.firstNode());
                write(dir.resolve(bundle.path()), Tiles.bundle(leaves.subList(from, from + bundle.width())));
            }
        }
        String output = run(dir, signer.verifier().vkey());
        assertTrue(output.contains("ok root from tiles size " + size), output);
        assertTrue(output.contains("ok " + size + " entries from bundles"), output);

        // A level-1 tile with one hash changed: the reader refuses it rather than compute another root.
        Path level1 = dir.resolve(new Tiles.Tile(1, 0, 256).path());
        byte[] tampered = Files.readAllBytes(level1);
        tampered[40] ^= 1;
        Files.write(level1, tampered);
        String refused = runExpectingFailure(dir, signer.verifier().vkey());
        assertTrue(refused.contains("FAIL"), refused);
    }

    private static void write(Path file, byte[] data) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, data);
    }

    static String run(Path dir, String vkey) throws Exception {
        Process go = start(dir, vkey);
        String output = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(go.waitFor(300, TimeUnit.SECONDS), "go run finished");
        assertEquals(0, go.exitValue(), output);
        return output;
    }

    private static String runExpectingFailure(Path dir, String vkey) throws Exception {
        Process go = start(dir, vkey);
        String output = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(go.waitFor(300, TimeUnit.SECONDS), "go run finished");
        assertTrue(go.exitValue() != 0, output);
        return output;
    }

    private static Process start(Path dir, String vkey) throws Exception {
        Path program = Path.of("src/test/go/tiles.go").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(GO.toString(), "run", program.toString(), dir.toString(), vkey)
                .redirectErrorStream(true);
        builder.environment().put("GOPATH", GOPATH.toString());
        builder.environment().put("GO111MODULE", "off");
        builder.environment().put("GOFLAGS", "");
        builder.environment()
                .put("GOCACHE", Files.createTempDirectory("gocache").toString());
        return builder.start();
    }
}
