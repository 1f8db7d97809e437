package org.vettedaccess.e2e.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.vettedaccess.e2e.support.Totp;

/**
 * One person's headless Chromium (Debian's, through its chromedriver), with a fresh profile so sign-ins do not
 * leak between people. Every step can be saved as a screenshot under {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    /** TOTP secrets that staff members created by tests set up at their first sign-in. */
    private static final Map<String, byte[]> ENROLLED = new ConcurrentHashMap<>();

    final ChromeDriver driver;
    private final WebDriverWait wait;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
        // A page being replaced while it is read (a form's answer arriving) is not a failure: read the new one.
        this.wait = (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    static Browser open() {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            throw new IllegalStateException("the portal tests need Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install chromium chromium-driver (./suite test"
                    + " installs them when it can)");
        }
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en");
        return new Browser(new ChromeDriver(options));
    }

    /**
     * Opens the portal and signs in through Keycloak's login page (authorization-code flow), entering a computed
     * TOTP code when Keycloak asks for a second factor (staff), or setting one up when it asks for that (a staff
     * member a test created without one; the secret is remembered for their next sign-in).
     */
    Browser signIn(String gatewayUrl, String username) {
        enterPassword(gatewayUrl, username);
        wait.until(d -> d.getCurrentUrl().startsWith(gatewayUrl + "/portal")
                || !d.findElements(By.id("otp")).isEmpty()
                || !d.findElements(By.id("totpSecret")).isEmpty());
        if (!driver.findElements(By.id("totpSecret")).isEmpty()) {
            byte[] secret = driver.findElement(By.id("totpSecret"))
                    .getDomProperty("value")
                    .getBytes(StandardCharsets.UTF_8);
            ENROLLED.put(username, secret);
            type("totp", Totp.nextCode(username, secret));
            click(By.id("saveTOTPBtn"));
        } else if (!driver.findElements(By.id("otp")).isEmpty()) {
            type("otp", Totp.nextCode(username, ENROLLED.getOrDefault(username, Totp.demoSecret(username))));
            click(By.id("kc-login"));
        }
        wait.until(d -> d.getCurrentUrl().startsWith(gatewayUrl + "/portal"));
        return this;
    }

    /** Opens the portal and enters the user's password on Keycloak's login page, and nothing more. */
    Browser enterPassword(String gatewayUrl, String username) {
        driver.get(gatewayUrl + "/portal");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(username + "-demo");
        click(By.id("kc-login"));
        return this;
    }

    void go(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    void type(String id, String text) {
        WebElement field = find("#" + id);
        field.clear();
        field.sendKeys(text);
    }

    /** Submits a form and waits for the next page (every form post answers with a new page or a redirect). */
    void submit(String formId) {
        click(By.cssSelector("#" + formId + " button[type=submit]"));
    }

    /** Clicks a button or link that loads a new page, and waits for it. */
    void click(By target) {
        WebElement button = wait.until(ExpectedConditions.presenceOfElementLocated(target));
        button.click();
        // The old page is gone once its button is; mid-navigation Chromium may say so with other errors.
        wait.until(d -> {
            try {
                button.isEnabled();
                return false;
            } catch (org.openqa.selenium.WebDriverException gone) {
                return true;
            }
        });
    }

    String text() {
        return find("main").getText();
    }

    void waitForText(String text) {
        try {
            wait.until(d -> d.findElement(By.cssSelector("main")).getText().contains(text));
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failed-waiting");
            throw new AssertionError(
                    "no \"" + text + "\" on " + driver.getCurrentUrl() + ":\n"
                            + driver.findElement(By.tagName("body")).getText(),
                    e);
        }
    }

    /** Reloads the page until it shows {@code text}: for what another process records a moment later. */
    void reloadUntil(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!driver.findElement(By.cssSelector("main")).getText().contains(text) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            driver.navigate().refresh();
        }
        waitForText(text);
    }

    /** Saves the page as {@code target/screenshots/<name>.png}. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same page at a phone's width. */
    void phoneScreenshot(String name) {
        Dimension wide = driver.manage().window().getSize();
        driver.manage().window().setSize(new Dimension(390, 844));
        screenshot(name);
        driver.manage().window().setSize(wide);
    }

    /** The browser's cookies for the portal, as a Cookie header, to send requests a page could not. */
    String cookieHeader() {
        StringBuilder header = new StringBuilder();
        driver.manage()
                .getCookies()
                .forEach(c -> header.append(c.getName())
                        .append('=')
                        .append(c.getValue())
                        .append("; "));
        return header.toString();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
