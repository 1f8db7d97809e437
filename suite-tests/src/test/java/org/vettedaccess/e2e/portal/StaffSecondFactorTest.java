package org.vettedaccess.e2e.portal;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.vettedaccess.e2e.support.Keycloak;
import org.vettedaccess.e2e.support.RunningSuite;
import org.vettedaccess.e2e.support.Totp;
import org.vettedaccess.suite.LocalSuite;

/**
 * Staff (kyc-reviewer, policy-admin, regulator) sign in to the portal with a password and a TOTP code; a password
 * alone, or a wrong code, never reaches the portal, and a staff member without an authenticator must set one up
 * first; researchers are not asked for a code (the realm's default).
 */
@ExtendWith(RunningSuite.class)
class StaffSecondFactorTest {

    @Test
    void aReviewerSignsInWithTheCodeTheirAuthenticatorWouldShow(LocalSuite suite) {
        String gateway = suite.serviceUrl("gateway");
        try (Browser ravi = Browser.open().enterPassword(gateway, "ravi")) {
            ravi.find("#otp");
            assertFalse(ravi.driver.getCurrentUrl().startsWith(gateway), "Keycloak asks for the second factor");
            ravi.type("otp", Totp.nextCode("ravi", Totp.demoSecret("ravi")));
            ravi.click(By.id("kc-login"));
            ravi.go(gateway + "/portal/review");
            assertTrue(ravi.driver.getCurrentUrl().startsWith(gateway + "/portal/review"), ravi.driver.getCurrentUrl());
            ravi.screenshot("staff-signed-in-with-totp");
        }
    }

    @Test
    void aPasswordAloneOrAWrongCodeNeverReachesThePortal(LocalSuite suite) {
        String gateway = suite.serviceUrl("gateway");
        for (String staff : List.of("rita", "pete", "greg")) {
            try (Browser browser = Browser.open().enterPassword(gateway, staff)) {
                browser.find("#otp");
                browser.screenshot("staff-asked-for-totp-" + staff);
                // Skipping the code page: the portal sends the browser back to Keycloak, which starts over.
                browser.go(gateway + "/portal/review");
                browser.find("#username, #otp");
                assertFalse(browser.driver.getCurrentUrl().startsWith(gateway), browser.driver.getCurrentUrl());
                browser.screenshot("staff-skipped-totp-" + staff);
                Response page = given().redirects()
                        .follow(false)
                        .header("Cookie", browser.cookieHeader())
                        .get(gateway + "/portal");
                assertEquals(302, page.statusCode(), "no portal session without the code: " + page.asString());

                if (browser.driver.findElements(By.id("otp")).isEmpty()) {
                    browser.type("username", staff);
                    browser.type("password", staff + "-demo");
                    browser.click(By.id("kc-login"));
                    browser.find("#otp");
                }
                String right = Totp.code(Totp.demoSecret(staff), Instant.now());
                browser.type("otp", String.format("%06d", (Integer.parseInt(right) + 500_000) % 1_000_000));
                browser.click(By.id("kc-login"));
                browser.find("#otp");
                assertFalse(browser.driver.getCurrentUrl().startsWith(gateway), browser.driver.getCurrentUrl());
            }
        }
    }

    @Test
    void aNewStaffMemberWithoutAnAuthenticatorMustSetOneUpBeforeReachingThePortal(LocalSuite suite, Keycloak keycloak) {
        String gateway = suite.serviceUrl("gateway");
        String username = "regina" + UUID.randomUUID().toString().substring(0, 6);
        keycloak.newUser(username, List.of("regulator"));
        try (Browser regina = Browser.open().enterPassword(gateway, username)) {
            // Keycloak's Configure OTP page, not the portal: a password alone is not enough for staff.
            regina.find("#totpSecret");
            assertFalse(regina.driver.getCurrentUrl().startsWith(gateway), regina.driver.getCurrentUrl());
            regina.screenshot("staff-configure-totp");
            regina.go(gateway + "/portal/regulator");
            assertFalse(regina.driver.getCurrentUrl().startsWith(gateway), regina.driver.getCurrentUrl());
        }
    }

    @Test
    void researchersAreNotAskedForASecondFactor(LocalSuite suite) {
        String gateway = suite.serviceUrl("gateway");
        try (Browser alice = Browser.open().enterPassword(gateway, "alice")) {
            alice.find("main");
            assertTrue(alice.driver.getCurrentUrl().startsWith(gateway + "/portal"), alice.driver.getCurrentUrl());
            assertTrue(alice.driver.findElements(By.id("otp")).isEmpty());
        }
    }
}
