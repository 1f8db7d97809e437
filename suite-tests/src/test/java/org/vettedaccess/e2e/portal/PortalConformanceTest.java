package org.vettedaccess.e2e.portal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.vettedaccess.e2e.support.ConformanceProbe;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.Ledger;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.ledger.verifier.conformance.Rule;
import org.vettedaccess.suite.LocalSuite;

/**
 * Issue 20 item 2, in headless Chromium: the regulator opens the conformance page from the ledger page, sees every
 * rule with its count, checks an index range holding a model registered by one admin (appended with
 * access-policy's own account, as only that account can), sees VA-TWO-ADMINS named, and follows the violation to
 * its leaf, whose inclusion in the signed checkpoint the entry page checks. A researcher gets the 403 page.
 */
@ExtendWith(RunningSuite.class)
class PortalConformanceTest {

    @Test
    void theRegulatorSeesEachRuleAndFollowsAViolationToItsProof(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        Ledger ledger = new Ledger(suite, keycloak);
        long index = ledger.appendOk(
                        List.of(Ledger.item("model.registered", Ledger.model("sim-one-admin-" + UUID.randomUUID(), 1))))
                .get(0);
        new ConformanceProbe(suite, keycloak).size();
        try (Browser greg = Browser.open().signIn(gateway, "greg")) {
            greg.go(gateway + "/portal/regulator");
            greg.waitForText("Signature valid");
            greg.click(By.id("conformance-link"));
            greg.waitForText("Conformance");
            String rules = greg.find("#rules-table").getText();
            for (Rule rule : Rule.values()) {
                assertTrue(rules.contains(rule.id()), rule.id() + " missing from " + rules);
            }
            greg.go(gateway + "/portal/regulator/conformance?from=" + index + "&to=" + (index + 1));
            greg.waitForText("Does not conform");
            String violations = greg.find("#violations-table").getText();
            assertTrue(violations.contains("VA-TWO-ADMINS"), violations);
            greg.screenshot("20-regulator-conformance");
            greg.find("#violations-table a.leaf-link").click();
            greg.waitForText("Ledger entry " + index);
            greg.reloadUntil("Included");
        }
        try (Browser alice = Browser.open().signIn(gateway, "alice")) {
            alice.go(gateway + "/portal/regulator/conformance");
            alice.waitForText("for regulators");
        }
    }
}
