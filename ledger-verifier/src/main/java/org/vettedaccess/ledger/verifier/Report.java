package org.vettedaccess.ledger.verifier;

import java.util.ArrayList;
import java.util.List;

/** The verifier's findings, one line per check. */
public final class Report {

    /** One check: its name, whether it passed, and what it found. */
    public record Check(String name, boolean passed, String detail) {
        @Override
        public String toString() {
            return (passed ? "PASS " : "FAIL ") + name + ": " + detail;
        }
    }

    private final List<Check> checks = new ArrayList<>();

    void pass(String name, String detail) {
        checks.add(new Check(name, true, detail));
    }

    void fail(String name, String detail) {
        checks.add(new Check(name, false, detail));
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    public List<Check> failures() {
        return checks.stream().filter(check -> !check.passed()).toList();
    }
}
