package org.vettedaccess.ledger.verifier.conformance;

import java.util.List;

/**
 * One broken rule.
 *
 * @param index the leaf that breaks it (a usage, a grant, a catalog or tier change, a release)
 * @param rule the rule
 * @param detail what is wrong, in one sentence
 * @param leaves the indices of the leaves that prove it (the breaking leaf first)
 */
public record Violation(long index, Rule rule, String detail, List<Long> leaves) {

    public Violation {
        leaves = List.copyOf(leaves);
    }
}
