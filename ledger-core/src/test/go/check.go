// Checks what ledger-core produced with Go's own golang.org/x/mod/sumdb/note and sumdb/tlog, the reference
// implementations the brief names. Run by GoInteropTest: go run check.go <fixture dir>.
package main

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func hash(s string) tlog.Hash {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != 32 {
		fail("bad hash %q", s)
	}
	var h tlog.Hash
	copy(h[:], b)
	return h
}

func hashes(s string) []tlog.Hash {
	var out []tlog.Hash
	if s == "-" {
		return out
	}
	for _, part := range strings.Split(s, ",") {
		out = append(out, hash(part))
	}
	return out
}

func fail(format string, args ...interface{}) {
	fmt.Printf("FAIL "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	dir := os.Args[1]
	vkey, _ := os.ReadFile(dir + "/vkey")
	verifier, err := note.NewVerifier(strings.TrimSpace(string(vkey)))
	if err != nil {
		fail("vkey: %v", err)
	}
	msg, _ := os.ReadFile(dir + "/checkpoint")
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("checkpoint signature: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	size, _ := strconv.ParseInt(lines[1], 10, 64)
	root := hash(lines[2])
	fmt.Printf("ok checkpoint %s size %d\n", lines[0], size)

	file, _ := os.Open(dir + "/cases")
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	count := 0
	for scanner.Scan() {
		f := strings.Fields(scanner.Text())
		// kind expect n t hash-or-leaf proof
		nn, _ := strconv.ParseInt(f[2], 10, 64)
		t, _ := strconv.ParseInt(f[3], 10, 64)
		var err error
		switch f[0] {
		case "inclusion":
			leaf, _ := base64.StdEncoding.DecodeString(f[4])
			err = tlog.CheckRecord(tlog.RecordProof(hashes(f[6])), t, hash(f[5]), nn, tlog.RecordHash(leaf))
		case "consistency":
			err = tlog.CheckTree(tlog.TreeProof(hashes(f[6])), t, hash(f[5]), nn, hash(f[4]))
		}
		if (err == nil) != (f[1] == "accept") {
			fail("%s n=%d t=%d expected %s, got %v", f[0], nn, t, f[1], err)
		}
		count++
	}
	if size > 0 && root == (tlog.Hash{}) {
		fail("empty root")
	}
	fmt.Printf("ok %d cases\n", count)
}
