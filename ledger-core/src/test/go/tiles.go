// Reads a C2SP tlog-tiles log with Go's golang.org/x/mod/sumdb/tlog and checks that the tiles hash to the
// checkpoint's root, that every entry bundle hashes to its level-0 tile, and that proofs built from the tiles verify.
// Run by TilesGoInteropTest (tiles ledger-core wrote to a directory) and by the end-to-end test against the running
// ledger: go run tiles.go <directory or URL prefix>; a bearer token for a URL comes from LEDGER_TOKEN.
package main

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var prefix string

func fail(format string, args ...interface{}) {
	fmt.Printf("FAIL "+format+"\n", args...)
	os.Exit(1)
}

func fetch(path string) ([]byte, error) {
	if !strings.HasPrefix(prefix, "http") {
		return os.ReadFile(prefix + "/" + path)
	}
	req, _ := http.NewRequest("GET", strings.TrimRight(prefix, "/")+"/"+path, nil)
	if token := os.Getenv("LEDGER_TOKEN"); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if path != "checkpoint" && !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		return nil, fmt.Errorf("GET %s: not cacheable as immutable: %q", path, resp.Header.Get("Cache-Control"))
	}
	return body, err
}

// c2spTiles reads tiles at C2SP paths: Go's own sumdb paths are tile/8/L/N, C2SP's tile/L/N. Tiles are immutable,
// so each is fetched once and kept, as the spec lets a client do.
type c2spTiles struct {
	fetched int
	cache   map[string][]byte
}

func (t *c2spTiles) Height() int { return 8 }

func (t *c2spTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, tile := range tiles {
		path := strings.Replace(tile.Path(), "tile/8/", "tile/", 1)
		if data, ok := t.cache[path]; ok {
			out[i] = data
			continue
		}
		data, err := fetch(path)
		if err != nil {
			return nil, err
		}
		t.cache[path] = data
		out[i] = data
		t.fetched++
	}
	return out, nil
}

func (t *c2spTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func main() {
	prefix = os.Args[1]
	vkey := os.Args[2]
	verifier, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		fail("vkey: %v", err)
	}
	msg, err := fetch("checkpoint")
	if err != nil {
		fail("checkpoint: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	size, _ := strconv.ParseInt(lines[1], 10, 64)
	rootBytes, _ := base64.StdEncoding.DecodeString(lines[2])
	var root tlog.Hash
	copy(root[:], rootBytes)
	tree := tlog.Tree{N: size, Hash: root}

	reader := &c2spTiles{cache: map[string][]byte{}}
	hashes := tlog.TileHashReader(tree, reader)
	got, err := tlog.TreeHash(size, hashes)
	if err != nil {
		fail("tree hash from tiles: %v", err)
	}
	if got != root {
		fail("tiles hash to %v, the checkpoint says %v", got, root)
	}
	fmt.Printf("ok root from tiles size %d\n", size)

	// Every entry: its bundle's bytes hash to the level-0 tile's hash, and its inclusion proof from tiles verifies.
	for start := int64(0); start < size; start += 256 {
		w := size - start
		path := "tile/entries/" + strings.TrimPrefix(tlog.Tile{H: 8, L: 0, N: start / 256, W: 256}.Path(), "tile/8/0/")
		if w < 256 {
			path = "tile/entries/" + strings.TrimPrefix(tlog.Tile{H: 8, L: 0, N: start / 256, W: int(w)}.Path(), "tile/8/0/")
		} else {
			w = 256
		}
		bundle, err := fetch(path)
		if err != nil {
			fail("entry bundle: %v", err)
		}
		for i := int64(0); i < w; i++ {
			if len(bundle) < 2 {
				fail("%s: truncated at entry %d", path, i)
			}
			l := int(bundle[0])<<8 | int(bundle[1])
			entry := bundle[2 : 2+l]
			bundle = bundle[2+l:]
			index := start + i
			stored, err := hashes.ReadHashes([]int64{tlog.StoredHashIndex(0, index)})
			if err != nil {
				fail("leaf hash %d: %v", index, err)
			}
			if tlog.RecordHash(entry) != stored[0] {
				fail("entry %d does not hash to its level-0 tile hash", index)
			}
			proof, err := tlog.ProveRecord(size, index, hashes)
			if err != nil {
				fail("prove %d: %v", index, err)
			}
			if err := tlog.CheckRecord(proof, size, root, index, tlog.RecordHash(entry)); err != nil {
				fail("check %d: %v", index, err)
			}
		}
		if len(bundle) != 0 {
			fail("%s: %d bytes after the last entry", path, len(bundle))
		}
	}
	fmt.Printf("ok %d entries from bundles, %d tiles read\n", size, reader.fetched)
}
