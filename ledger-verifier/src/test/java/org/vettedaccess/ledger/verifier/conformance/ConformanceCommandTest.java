package org.vettedaccess.ledger.verifier.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code conformance --bundle}: the bundle's entries are streamed, whatever else it carries and in any order. */
class ConformanceCommandTest {

    @TempDir
    Path dir;

    private String output;

    @Test
    void aBundleIsReadEntryByEntryAndItsViolationsSetTheExitCode() throws Exception {
        SyntheticLog log = new SyntheticLog();
        ConformanceTest.Clean c = ConformanceTest.clean(log);
        long clean = log.leaves.size();
        log.grant("grant.revoked", "g1", 1, c.kyc(), "sim-small");
        ConformanceTest.callLater(log, c, 1_500);
        Path bundle = bundle(log);

        assertEquals(1, run("--bundle", bundle.toString()));
        assertTrue(output.contains("FAIL VA-GRANT-ACTIVE"), output);
        assertTrue(output.contains("VA-GRANT-ACTIVE at " + (clean + 1)), output);
        // Up to the revocation the same bundle conforms.
        assertEquals(0, run("--bundle", bundle.toString(), "--to", String.valueOf(clean)));
        assertTrue(output.contains("CONFORMS"), output);
    }

    @Test
    void scopeKeysJudgeAnInstitutionSwitchOnTaggedCalls() throws Exception {
        SyntheticLog log = new SyntheticLog();
        ConformanceTest.Clean c = ConformanceTest.clean(log);
        log.killSwitch("killswitch.engaged", "s1", "institutions", ScopeTagConformanceTest.ETH, SyntheticLog.PAULA);
        ConformanceTest.callLater(log, c, 1_500);
        log.tag(ScopeTagConformanceTest.KEY, ScopeTagConformanceTest.ETH, "CH");
        long call = log.leaves.size() - 1;
        Path bundle = bundle(log);
        Path keyFile = dir.resolve("scope.key");
        Files.writeString(keyFile, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n");

        assertEquals(0, run("--bundle", bundle.toString()), "without the key: not checked, not failed");
        assertTrue(output.contains("NOT CHECKED 1 usage leaf/leaves fell in the span"), output);
        assertEquals(1, run("--bundle", bundle.toString(), "--scope-key", "@" + keyFile));
        assertTrue(output.contains("VA-KILLSWITCH at " + call), output);
        // A second, unrelated key changes nothing; a malformed one is wrong usage.
        assertEquals(
                1,
                run(
                        "--bundle",
                        bundle.toString(),
                        "--scope-key",
                        Base64.getEncoder().encodeToString(new byte[32]),
                        "--scope-key",
                        "@" + keyFile));
        assertEquals(2, run("--bundle", bundle.toString(), "--scope-key", "c2hvcnQ="));
    }

    @Test
    void aBundleThatIsNotAJsonObjectIsWrongInput() throws Exception {
        Path bundle = dir.resolve("bad.json");
        Files.writeString(bundle, "[1, 2]");
        assertEquals(2, run("--bundle", bundle.toString()));
        assertTrue(output.contains("a bundle is a JSON object"), output);
    }

    /** A format-2 shaped bundle: fields before and after the entries, nested values the reader must skip. */
    private Path bundle(SyntheticLog log) throws Exception {
        ObjectNode json = SyntheticLog.JSON.createObjectNode();
        json.put("format", 2);
        json.putArray("checkpoints").add("not read by conformance without --vkey");
        json.putObject("witnesses").putArray("cosignatures").addObject().put("entries", "not these");
        ArrayNode entries = json.putArray("entries");
        for (int i = 0; i < log.leaves.size(); i++) {
            entries.addObject()
                    .put("index", i)
                    .put(
                            "leaf",
                            Base64.getEncoder().encodeToString(SyntheticLog.JSON.writeValueAsBytes(log.leaves.get(i))));
        }
        json.put("treeSize", log.leaves.size());
        Path file = dir.resolve("bundle.json");
        SyntheticLog.JSON.writeValue(file.toFile(), json);
        return file;
    }

    private int run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = ConformanceCommand.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        output = bytes.toString(StandardCharsets.UTF_8);
        return code;
    }
}
