package org.vettedaccess.ledger.core;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * C2SP {@code tlog-tiles} arithmetic (https://c2sp.org/tlog-tiles): tiles of height 8, their paths, which stored
 * nodes make up a tile, and entry bundles. Hash {@code i} of tile {@code n} at tile level {@code l} is
 * MTH(D[(n·256+i)·256^l : (n·256+i+1)·256^l]): the perfect subtree at Merkle level {@code 8l}, index
 * {@code n·256+i}, which is exactly a stored node ({@link NodeId}). So a tile is a range of 256 stored nodes.
 */
public final class Tiles {

    /** Tile height: 2^8 = 256 hashes in a full tile. */
    public static final int HEIGHT = 8;

    public static final int WIDTH = 1 << HEIGHT;

    private static final Pattern PATH =
            Pattern.compile("(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*[0-9]{3})(?:\\.p/([1-9][0-9]{0,2}))?");

    private Tiles() {}

    /**
     * One tile or entry bundle.
     *
     * @param level the tile level (0..63); entry bundles are level -1
     * @param index the tile's index within its level
     * @param width how many hashes (or entries) it holds: 256 for a full tile, 1..255 for a partial one
     */
    public record Tile(int level, long index, int width) {

        public static final int ENTRIES = -1;

        public Tile {
            if (level < ENTRIES || level > 63 || index < 0 || width < 1 || width > WIDTH) {
                throw new IllegalArgumentException(
                        "no such tile: level " + level + ", index " + index + ", width " + width);
            }
        }

        public boolean entries() {
            return level == ENTRIES;
        }

        public boolean partial() {
            return width < WIDTH;
        }

        /** The Merkle level of the hashes in this tile (0 for level-0 tiles and entry bundles). */
        public int nodeLevel() {
            return entries() ? 0 : HEIGHT * level;
        }

        /** The stored nodes this tile consists of, left to right. */
        public List<NodeId> nodes() {
            List<NodeId> nodes = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                nodes.add(new NodeId(nodeLevel(), index * WIDTH + i));
            }
            return nodes;
        }

        /** The first leaf (entries) or first node at {@link #nodeLevel()} (hash tiles) this tile holds. */
        public long firstNode() {
            return index * WIDTH;
        }

        /** The tree size this tile needs: the leaves its last hash covers must all be in the tree. */
        public long requiredSize() {
            long lastNode = index * WIDTH + width;
            int shift = nodeLevel();
            if (shift >= 63 || lastNode > (Long.MAX_VALUE >> shift)) {
                return Long.MAX_VALUE;
            }
            return lastNode << shift;
        }

        /** The path below the log's prefix, e.g. {@code tile/1/x001/234.p/7} or {@code tile/entries/000}. */
        public String path() {
            return "tile/" + (entries() ? "entries" : Integer.toString(level)) + "/" + encodeIndex(index)
                    + (partial() ? ".p/" + width : "");
        }
    }

    /** {@code 1234067} → {@code x001/x234/067}: three-digit groups, all but the last prefixed with {@code x}. */
    public static String encodeIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("a tile index is not negative");
        }
        StringBuilder path = new StringBuilder(String.format("%03d", index % 1000));
        for (long n = index / 1000; n > 0; n /= 1000) {
            path.insert(0, String.format("x%03d/", n % 1000));
        }
        return path.toString();
    }

    /**
     * Parses the part of a tile path after {@code tile/}: {@code <L>/<N>[.p/<W>]} or {@code entries/<N>[.p/<W>]}.
     * Rejects what the spec forbids: leading zeroes in {@code L} or {@code W}, a width of 256 or more, an index
     * group without its {@code x}, and non-canonical indexes such as {@code x000/001}.
     */
    public static Tile parse(String path) {
        Matcher matcher = PATH.matcher(path);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a tile path: " + path);
        }
        int level = matcher.group(1).equals("entries") ? Tile.ENTRIES : Integer.parseInt(matcher.group(1));
        String[] groups = matcher.group(2).split("/");
        if (groups.length > 7) {
            throw new IllegalArgumentException("tile index too large: " + path);
        }
        long index = 0;
        for (String group : groups) {
            index = index * 1000 + Long.parseLong(group.startsWith("x") ? group.substring(1) : group);
        }
        if (!encodeIndex(index).equals(matcher.group(2)) || level > 63) {
            throw new IllegalArgumentException("not a canonical tile path: " + path);
        }
        int width = matcher.group(3) == null ? WIDTH : Integer.parseInt(matcher.group(3));
        if (width >= WIDTH && matcher.group(3) != null) {
            throw new IllegalArgumentException("a partial tile is 1 to 255 wide: " + path);
        }
        return new Tile(level, index, width);
    }

    /** The width of tile {@code index} at {@code level} in a tree of {@code size}; 0 if the tree has none. */
    public static int width(int level, long index, long size) {
        int shift = level == Tile.ENTRIES ? 0 : HEIGHT * level;
        if (shift >= 63) {
            return 0;
        }
        long nodes = size >> shift; // complete nodes at that Merkle level
        long inTile = nodes - index * WIDTH;
        return (int) Math.max(0, Math.min(WIDTH, inTile));
    }

    /** Every tile a tree of {@code size} is made of (full and the rightmost partial ones), level by level. */
    public static List<Tile> tilesOf(long size) {
        List<Tile> tiles = new ArrayList<>();
        for (int level = 0; level <= 63 && (size >> (HEIGHT * level)) > 0; level++) {
            long nodes = size >> (HEIGHT * level);
            for (long n = 0; n * WIDTH < nodes; n++) {
                tiles.add(new Tile(level, n, width(level, n, size)));
            }
        }
        return tiles;
    }

    /** A hash tile's bytes: its nodes' hashes concatenated, 32 bytes each. */
    public static byte[] tileData(Tile tile, java.util.function.Function<NodeId, byte[]> nodes) {
        if (tile.entries()) {
            throw new IllegalArgumentException("an entry bundle is made of entries, not hashes");
        }
        byte[] data = new byte[tile.width() * Hashes.SIZE];
        List<NodeId> ids = tile.nodes();
        for (int i = 0; i < ids.size(); i++) {
            System.arraycopy(nodes.apply(ids.get(i)), 0, data, i * Hashes.SIZE, Hashes.SIZE);
        }
        return data;
    }

    /** The entry bundle format: each entry as a big-endian uint16 length, then its bytes. */
    public static byte[] bundle(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] entry : entries) {
            if (entry.length > 0xFFFF) {
                throw new IllegalArgumentException("an entry longer than 65535 bytes cannot go in an entry bundle");
            }
            out.write(entry.length >> 8);
            out.write(entry.length & 0xFF);
            out.write(entry, 0, entry.length);
        }
        return out.toByteArray();
    }

    /** Splits an entry bundle into its entries. */
    public static List<byte[]> unbundle(byte[] bundle) {
        List<byte[]> entries = new ArrayList<>();
        int at = 0;
        while (at < bundle.length) {
            if (at + 2 > bundle.length) {
                throw new IllegalArgumentException("truncated entry bundle");
            }
            int length = ((bundle[at] & 0xFF) << 8) | (bundle[at + 1] & 0xFF);
            at += 2;
            if (at + length > bundle.length) {
                throw new IllegalArgumentException("truncated entry bundle");
            }
            byte[] entry = new byte[length];
            System.arraycopy(bundle, at, entry, 0, length);
            entries.add(entry);
            at += length;
        }
        return entries;
    }
}
