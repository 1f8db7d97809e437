package org.vettedaccess.e2e.ledger;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.vettedaccess.e2e.support.Jwts;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.ledger.core.Checkpoint;
import org.vettedaccess.ledger.core.Hashes;
import org.vettedaccess.ledger.core.NoteKeys;
import org.vettedaccess.ledger.core.Proofs;
import org.vettedaccess.ledger.core.SignedNote;
import org.vettedaccess.ledger.verifier.cli.VerifierMain;
import org.vettedaccess.suite.LocalSuite;

/**
 * What a regulator relies on: signed checkpoints, proofs that verify with the offline code, an append role that
 * cannot change the past, and a verifier that catches every kind of tampering with the stored rows.
 */
@ExtendWith(RunningSuite.class)
class LedgerVerificationTest {

    @Test
    void checkpointsAndProofsVerifyWithTheOfflineCode(LocalSuite suite, Keycloak keycloak) {
        Ledger ledger = new Ledger(suite, keycloak);
        NoteKeys.Verifier key = NoteKeys.parseVerifier(ledger.verifierKey());
        String regulator = keycloak.userToken("greg");
        List<Long> chain = ledger.appendChain(
                Jwts.payload(keycloak.userToken("alice")).get("sub").asText(), 2);
        Checkpoint older = Checkpoint.parse(SignedNote.open(ledger.publishCheckpoint(), key));
        ledger.appendChain("someone-else", 3);
        Checkpoint newer = Checkpoint.parse(SignedNote.open(ledger.publishCheckpoint(), key));
        assertTrue(newer.size() > older.size());

        long index = chain.get(3);
        Map<String, Object> inclusion = given().auth()
                .oauth2(regulator)
                .get(ledger.url() + "/api/v1/proofs/inclusion?index=" + index + "&treeSize=" + newer.size())
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        String leaf = given().auth()
                .oauth2(regulator)
                .get(ledger.url() + "/api/v1/entries/" + index)
                .then()
                .statusCode(200)
                .extract()
                .path("leaf");
        assertTrue(Proofs.verifyInclusion(
                index,
                newer.size(),
                Hashes.leaf(Base64.getDecoder().decode(leaf)),
                decode(inclusion.get("hashes")),
                newer.rootHash()));
        Map<String, Object> byHash = given().auth()
                .oauth2(regulator)
                .queryParam("leafHash", inclusion.get("leafHash"))
                .queryParam("treeSize", newer.size())
                .get(ledger.url() + "/api/v1/proofs/inclusion")
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        assertEquals(inclusion.get("hashes"), byHash.get("hashes"));

        Map<String, Object> consistency = given().auth()
                .oauth2(regulator)
                .get(ledger.url() + "/api/v1/proofs/consistency?from=" + older.size() + "&to=" + newer.size())
                .then()
                .statusCode(200)
                .extract()
                .as(Map.class);
        assertTrue(Proofs.verifyConsistency(
                older.size(), newer.size(), older.rootHash(), newer.rootHash(), decode(consistency.get("hashes"))));

        given().auth()
                .oauth2(regulator)
                .get(ledger.url() + "/api/v1/proofs/consistency?from=5&to=" + (newer.size() + 100))
                .then()
                .statusCode(400);
    }

    @Test
    void theAppendRoleCannotUpdateDeleteOrTruncate(LocalSuite suite, Keycloak keycloak) throws SQLException {
        new Ledger(suite, keycloak).appendChain("role-check", 0);
        try (Connection appender = DriverManager.getConnection(
                        suite.database().jdbcUrl("va_ledger"), "ledger_appender", "ledger-appender-demo");
                Statement statement = appender.createStatement()) {
            for (String change : List.of(
                    "UPDATE ledger.leaves SET model = 'x'",
                    "DELETE FROM ledger.leaves",
                    "TRUNCATE ledger.leaves",
                    "UPDATE ledger.tree_nodes SET hash = hash",
                    "DELETE FROM ledger.checkpoints")) {
                SQLException denied = assertThrows(SQLException.class, () -> statement.execute(change), change);
                assertTrue(denied.getMessage().contains("permission denied"), denied.getMessage());
            }
        }
    }

    @Test
    void theVerifierCatchesEveryKindOfTamperingHoldingAnEarlierCheckpoint(LocalSuite suite, Keycloak keycloak)
            throws Exception {
        Ledger ledger = new Ledger(suite, keycloak);
        String alice = Jwts.payload(keycloak.userToken("alice")).get("sub").asText();
        List<Long> chain = ledger.appendChain(alice, 3);
        Path held = Files.createTempFile("held-checkpoint", ".txt");
        Files.writeString(held, ledger.publishCheckpoint());
        ledger.appendChain(alice, 2);
        ledger.publishCheckpoint();
        String vkey = ledger.verifierKey();
        String regulator = keycloak.userToken("greg");

        Verification clean = verify(ledger, vkey, regulator, held);
        assertEquals(0, clean.exit(), clean.output());

        try (Connection db = DriverManager.getConnection(
                suite.database().jdbcUrl("va_ledger"),
                suite.database().user(),
                suite.database().password())) {
            long edited = chain.get(2);
            Snapshot before = Snapshot.take(db);
            exec(
                    db,
                    "UPDATE ledger.leaves SET entry = convert_to(replace(convert_from(entry, 'UTF8'),"
                            + " '\"inputTokens\":10', '\"inputTokens\":1'), 'UTF8') WHERE idx = " + edited);
            assertLocated(verify(ledger, vkey, regulator, held), edited);
            before.restore(db);

            long deleted = chain.get(3);
            exec(db, "DELETE FROM ledger.leaves WHERE idx = " + deleted);
            assertCaught(verify(ledger, vkey, regulator, held), "missing index " + deleted);
            before.restore(db);

            long a = chain.get(2);
            long b = chain.get(4);
            exec(
                    db,
                    "UPDATE ledger.leaves l SET entry = o.entry, leaf_hash = o.leaf_hash FROM ledger.leaves o"
                            + " WHERE (l.idx, o.idx) IN ((" + a + ", " + b + "), (" + b + ", " + a + "))");
            Verification swapped = verify(ledger, vkey, regulator, held);
            // The first checkpoint that disagrees bounds the change; a is the earlier of the two swapped.
            assertLocated(swapped, a);
            before.restore(db);

            // Truncate and write a new history through the service itself, which signs it with its own key.
            exec(db, "TRUNCATE ledger.leaves, ledger.tree_nodes, ledger.checkpoints, ledger.disclosures");
            ledger.appendChain("rewritten-history", 2);
            ledger.publishCheckpoint();
            Verification rewritten = verify(ledger, vkey, regulator, held);
            assertCaught(rewritten, "held checkpoint");
            before.restore(db);

            Verification restored = verify(ledger, vkey, regulator, held);
            assertEquals(0, restored.exit(), "after restoring the rows the log verifies again:\n" + restored.output());
        }
    }

    private record Verification(int exit, String output) {}

    private static Verification verify(Ledger ledger, String vkey, String token, Path held) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = VerifierMain.run(
                new String[] {"--vkey", vkey, "--url", ledger.url(), "--token", token, "--checkpoint", held.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Verification(exit, out.toString(StandardCharsets.UTF_8));
    }

    /**
     * Without a proof per entry (bundle format 2) the verifier locates a changed entry between the two checkpoints
     * around it: some reported range must hold the index.
     */
    private static void assertLocated(Verification verification, long index) {
        assertEquals(1, verification.exit(), verification.output());
        java.util.regex.Matcher ranges = java.util.regex.Pattern.compile(
                        "entries in index range (\\d+)\\.\\.(\\d+) differ from what the checkpoint")
                .matcher(verification.output());
        boolean located = false;
        while (ranges.find()) {
            located |= Long.parseLong(ranges.group(1)) <= index && index <= Long.parseLong(ranges.group(2));
        }
        assertTrue(located, "expected a range holding index " + index + " in:\n" + verification.output());
    }

    private static void assertCaught(Verification verification, String naming) {
        assertEquals(1, verification.exit(), verification.output());
        assertTrue(verification.output().contains(naming), "expected '" + naming + "' in:\n" + verification.output());
    }

    /** A copy of every ledger table, to put the log back after each tampering. */
    private record Snapshot(Map<String, List<Object[]>> tables) {
        private static final List<String> TABLES = List.of("leaves", "tree_nodes", "checkpoints", "disclosures");

        static Snapshot take(Connection db) throws SQLException {
            Map<String, List<Object[]>> tables = new java.util.LinkedHashMap<>();
            for (String table : TABLES) {
                List<Object[]> rows = new ArrayList<>();
                try (Statement statement = db.createStatement();
                        ResultSet result = statement.executeQuery("SELECT * FROM ledger." + table)) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        Object[] row = new Object[meta.getColumnCount()];
                        for (int i = 0; i < row.length; i++) {
                            row[i] = result.getObject(i + 1);
                        }
                        rows.add(row);
                    }
                }
                tables.put(table, rows);
            }
            return new Snapshot(tables);
        }

        void restore(Connection db) throws SQLException {
            exec(db, "TRUNCATE ledger.leaves, ledger.tree_nodes, ledger.checkpoints, ledger.disclosures");
            for (String table : TABLES) {
                List<Object[]> rows = tables.get(table);
                if (rows.isEmpty()) {
                    continue;
                }
                String marks = "?" + ", ?".repeat(rows.get(0).length - 1);
                try (PreparedStatement insert =
                        db.prepareStatement("INSERT INTO ledger." + table + " VALUES (" + marks + ")")) {
                    for (Object[] row : rows) {
                        for (int i = 0; i < row.length; i++) {
                            insert.setObject(i + 1, row[i]);
                        }
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
        }
    }

    private static void exec(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]> decode(Object hashes) {
        return ((List<String>) hashes)
                .stream().map(h -> Base64.getDecoder().decode(h)).toList();
    }
}
