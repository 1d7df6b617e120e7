package dev.gust.cli;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * What every browser suite does around its own assertions: start Debian's headless Chromium,
 * wait for a {@code gust standalone} to answer, wait for a page to show something (with a
 * screenshot and the process's output when it never does), and save screenshots to
 * {@code target/screenshots/}.
 */
final class HeadlessChromium {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target/screenshots");

    private HeadlessChromium() {}

    /** Fails, saying what to install, when Debian's Chromium or its driver is missing. */
    static void requireInstalled() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the browser suite needs Debian's Chromium and its driver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + "; install them with: apt-get install chromium chromium-driver (after apt-get update)");
        }
    }

    /**
     * Signs the browser in at {@code base} as the admin whose password {@code gust standalone}
     * printed, and waits until it has left {@code /login}.
     */
    static void logInAsAdmin(ChromeDriver browser, GustProcess gust, String base) throws IOException {
        java.util.regex.Matcher password =
                java.util.regex.Pattern.compile("gust:   password: (\\S+)").matcher(gust.stdout());
        if (!password.find()) {
            fail("standalone printed no admin password:\n" + gust.output());
        }
        browser.get(base + "/");
        browser.findElement(org.openqa.selenium.By.name("username")).sendKeys("admin");
        browser.findElement(org.openqa.selenium.By.name("password")).sendKeys(password.group(1));
        browser.findElement(org.openqa.selenium.By.id("login-submit")).click();
        waitFor(
                browser,
                gust,
                "login-timeout",
                () -> URI.create(browser.getCurrentUrl()).getPath().startsWith("/login") ? null : true,
                "the browser to leave /login",
                false);
    }

    /** A headless Chromium with its own profile folder, 1400 x 1000, pages loading within 30 s. */
    static ChromeDriver start(Path profile, Consumer<ChromeOptions> moreOptions) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1400,1000",
                "--user-data-dir=" + profile);
        moreOptions.accept(options);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Saves the page as {@code browser-NAME.png}; a failed screenshot is reported, never fatal. */
    static void screenshot(ChromeDriver browser, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve("browser-" + name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException e) {
            System.err.println("screenshot " + name + " failed: " + e);
        }
    }

    /**
     * Asks {@code probe} once a second (reloading the page between tries when {@code reload})
     * until it answers non-null; after 3 minutes fails with the address, a screenshot named
     * {@code timeoutShot} and the output of {@code gust}.
     */
    static <T> T waitFor(
            ChromeDriver browser,
            GustProcess gust,
            String timeoutShot,
            Supplier<T> probe,
            String what,
            boolean reload) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            T value;
            try {
                value = probe.get();
            } catch (WebDriverException changing) {
                value = null; // the page was replaced while we looked (a refresh); look again
            }
            if (value != null) {
                return value;
            }
            if (Instant.now().isAfter(deadline)) {
                screenshot(browser, timeoutShot);
                String output;
                try {
                    output = gust.output();
                } catch (IOException e) {
                    output = e.toString();
                }
                fail("waited 3 minutes for " + what + " at " + browser.getCurrentUrl() + "\n" + output);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (reload) {
                browser.navigate().refresh();
            }
        }
    }

    /** Waits until {@code gust standalone} at {@code base} answers {@code /health}, or fails after 3 minutes. */
    static void waitForHealth(GustProcess gust, String base) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!gust.process().isAlive()) {
                throw new AssertionError("gust standalone exited early:\n" + gust.output());
            }
            try {
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                Thread.sleep(300);
            }
        }
        throw new AssertionError("gust standalone did not answer /health within 3 minutes:\n" + gust.output());
    }
}
