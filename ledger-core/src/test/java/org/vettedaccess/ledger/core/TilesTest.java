package org.vettedaccess.ledger.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TilesTest {

    @Test
    void indexesAreThreeDigitGroupsWithXPrefixes() {
        assertEquals("000", Tiles.encodeIndex(0));
        assertEquals("999", Tiles.encodeIndex(999));
        assertEquals("x001/000", Tiles.encodeIndex(1000));
        assertEquals("x001/x234/067", Tiles.encodeIndex(1234067));
        assertEquals("tile/1/x001/x234/067.p/7", new Tiles.Tile(1, 1234067, 7).path());
        assertEquals("tile/entries/012", new Tiles.Tile(Tiles.Tile.ENTRIES, 12, 256).path());
    }

    @Test
    void parsesCanonicalPathsAndRejectsTheRest() {
        assertEquals(new Tiles.Tile(0, 1234067, 256), Tiles.parse("0/x001/x234/067"));
        assertEquals(new Tiles.Tile(2, 5, 17), Tiles.parse("2/005.p/17"));
        assertEquals(new Tiles.Tile(Tiles.Tile.ENTRIES, 0, 1), Tiles.parse("entries/000.p/1"));
        for (String bad : List.of(
                "01/000",
                "0/1",
                "0/001/002",
                "0/x000/001",
                "0/000.p/256",
                "0/000.p/0",
                "0/000.p/01",
                "64/000",
                "-1/000",
                "0/000/",
                "data/000",
                "0/x1/000")) {
            assertThrows(IllegalArgumentException.class, () -> Tiles.parse(bad), bad);
        }
    }

    @Test
    void widthsFollowTheSpecsExample() {
        // A tree of 70,000: 273 full level-0 tiles and one of 112, one full level-1 tile and one of 17, one of 1.
        long size = 70_000;
        List<Tiles.Tile> tiles = Tiles.tilesOf(size);
        assertEquals(274 + 2 + 1, tiles.size());
        assertEquals(256, Tiles.width(0, 272, size));
        assertEquals(112, Tiles.width(0, 273, size));
        assertEquals(0, Tiles.width(0, 274, size));
        assertEquals(256, Tiles.width(1, 0, size));
        assertEquals(17, Tiles.width(1, 1, size));
        assertEquals(1, Tiles.width(2, 0, size));
        assertEquals(0, Tiles.width(3, 0, size));
        // A tree of 256: one full level-0 tile and a level-1 tile of width 1.
        assertEquals(List.of(new Tiles.Tile(0, 0, 256), new Tiles.Tile(1, 0, 1)), Tiles.tilesOf(256));
        assertEquals(70_000, new Tiles.Tile(0, 273, 112).requiredSize());
        assertEquals(257L * 256, new Tiles.Tile(1, 1, 1).requiredSize());
    }

    @Test
    void aHigherTileHashIsTheRootOfAFullTileBelow() {
        int size = 256 * 3 + 5;
        NodeStore store = new NodeStore(size);
        for (int i = 0; i < size; i++) {
            store.append(("leaf " + i).getBytes(StandardCharsets.UTF_8));
        }
        byte[] level1 = Tiles.tileData(new Tiles.Tile(1, 0, 3), store::get);
        for (int i = 0; i < 3; i++) {
            byte[] expected = TreeMath.rangeHash(i * 256L, (i + 1) * 256L, store::get);
            byte[] got = java.util.Arrays.copyOfRange(level1, i * 32, i * 32 + 32);
            assertArrayEquals(expected, got);
        }
        byte[] partial = Tiles.tileData(new Tiles.Tile(0, 3, 5), store::get);
        assertArrayEquals(store.get(new NodeId(0, 768)), java.util.Arrays.copyOfRange(partial, 0, 32));
    }

    @Test
    void bundlesAreUint16LengthPrefixed() {
        List<byte[]> entries = new ArrayList<>();
        entries.add("{}".getBytes(StandardCharsets.UTF_8));
        entries.add(new byte[300]);
        byte[] bundle = Tiles.bundle(entries);
        assertEquals(2 + 2 + 2 + 300, bundle.length);
        assertEquals(0x01, bundle[4]);
        assertEquals(0x2c, bundle[5]);
        List<byte[]> back = Tiles.unbundle(bundle);
        assertArrayEquals(entries.get(0), back.get(0));
        assertArrayEquals(entries.get(1), back.get(1));
        assertThrows(IllegalArgumentException.class, () -> Tiles.unbundle(java.util.Arrays.copyOf(bundle, 10)));
        assertThrows(IllegalArgumentException.class, () -> Tiles.bundle(List.of(new byte[70_000])));
    }
}
