package org.vettedaccess.e2e.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vettedaccess.suite.LocalSuite;

/** The end of a suite service's log, for a failure message that must explain itself on a CI machine. */
public final class SuiteLogs {

    private SuiteLogs() {}

    /** The last {@code lines} lines of {@code logs/<service>.log}, or why they cannot be read. */
    public static String tail(LocalSuite suite, String service, int lines) {
        Path log = suite.logDirectory().resolve(service + ".log");
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
