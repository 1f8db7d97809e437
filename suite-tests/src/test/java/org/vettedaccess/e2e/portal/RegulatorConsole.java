package org.vettedaccess.e2e.portal;

/** The regulator's console as other packages' tests read it, in headless Chromium signed in as greg. */
public final class RegulatorConsole {

    private RegulatorConsole() {}

    /** The text of the trips table once it shows {@code text} (the ledger's leaf may lag the trip a little). */
    public static String tripsTable(String gatewayUrl, String text) {
        try (Browser greg = Browser.open().signIn(gatewayUrl, "greg")) {
            greg.go(gatewayUrl + "/portal/regulator");
            greg.click(org.openqa.selenium.By.id("trips-link"));
            greg.reloadUntil(text);
            greg.screenshot("30-regulator-tripwire-trips");
            return greg.find("#trips-table").getText();
        }
    }
}
