package com.alertrelay.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.remote.http.ClientConfig;

/**
 * A real headless Chromium on loopback, driven through chromedriver, for tests that click through the console as an
 * operator does. Both binaries are Debian's ({@link RequiredTool#CHROMIUM}, {@link RequiredTool#CHROMEDRIVER}) and
 * are handed to Selenium as paths, so Selenium Manager never downloads a driver or a browser.
 *
 * <p>The browser lives in Asia/Seoul (chromedriver's environment has {@code TZ}, Chromium inherits it), so a test
 * can tell the browser's zone from UTC; it asks for the languages given as its Accept-Language; it reaches nothing
 * but loopback. Nothing waits implicitly: every wait here is explicit and bounded by {@link #WAIT}. {@link #close()}
 * ends chromedriver and every Chromium process of this browser's profile, also after a failed test.
 */
public final class ConsoleBrowser implements AutoCloseable {

    /** The longest any single wait for the page may take. */
    public static final Duration WAIT = Duration.ofSeconds(20);
    /** The zone the browser lives in: far enough from UTC that a local time never reads like the UTC one. */
    public static final String ZONE = "Asia/Seoul";

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    private final String baseUrl;
    private final Thread killOnExit;

    private ConsoleBrowser(ChromeDriverService service, ChromeDriver driver, Path profile, String baseUrl) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
        this.baseUrl = baseUrl;
        // a JVM that dies mid-test (Ctrl-C, failsafe's timeout) must not leave a browser running
        this.killOnExit = new Thread(this::killProfileProcesses, "console-browser-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts a browser for the relay on {@code 127.0.0.1:port}; skipped (or, with {@code CI=true}, failed) when
     * Chromium or chromedriver is not installed.
     *
     * @param acceptLanguage what the browser sends as Accept-Language, e.g. {@code en-US,en} or {@code ko-KR,ko}
     */
    public static ConsoleBrowser open(int port, String acceptLanguage) {
        Path chromium = RequiredTool.CHROMIUM.require();
        Path chromedriver = RequiredTool.CHROMEDRIVER.require();
        Path profile;
        Path logs = Path.of("target", "chromedriver").toAbsolutePath();
        try {
            Files.createDirectories(logs);
            profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withEnvironment(Map.of("TZ", ZONE))
                .withTimeout(WAIT)
                // what chromedriver and Chromium said, for a test that fails to start the browser
                .withLogFile(logs.resolve(profile.getFileName() + ".log").toFile())
                .build();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                "--user-data-dir=" + profile,
                "--no-first-run", "--no-default-browser-check", "--disable-sync", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                "--disable-features=Translate,OptimizationHints,MediaRouter",
                "--remote-debugging-address=127.0.0.1",
                // loopback only: names resolve to nothing, and whatever is not loopback goes to a proxy that is not
                // there (Chromium never proxies loopback), so the page can only reach the relay under test
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                "--proxy-server=http://127.0.0.1:9",
                "--accept-lang=" + acceptLanguage);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", acceptLanguage));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));

        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options, ClientConfig.defaultConfig().readTimeout(WAIT.multipliedBy(2)));
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        driver.manage().timeouts().pageLoadTimeout(WAIT);
        driver.manage().timeouts().scriptTimeout(WAIT);
        return new ConsoleBrowser(service, driver, profile, "http://127.0.0.1:" + port);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Loads a page of the relay, e.g. {@code /console}. */
    public void go(String path) {
        driver.get(baseUrl + path);
    }

    /** The path (and query) of the page shown now. */
    public String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(baseUrl) ? url.substring(baseUrl.length()) : url;
    }

    public void reload() {
        driver.navigate().refresh();
    }

    /** Signs in on the login page with the operator password, and waits for the page that answers. */
    public void signIn(String password) {
        go("/login");
        WebElement field = find("input[name=password]");
        field.clear();
        field.sendKeys(password);
        find("form button[type=submit]").click();
        until(() -> !path().equals("/login"), "the answer to signing in");
    }

    /** Forgets the session and the language cookie, as a fresh browser would be. */
    public void forgetCookies() {
        go("/login");
        driver.manage().deleteAllCookies();
    }

    /** The element, waiting (bounded) until the page has it. */
    public WebElement find(String css) {
        return until(() -> driver.findElement(By.cssSelector(css)), "an element " + css + " on " + path());
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The visible text of the element, waiting (bounded) until the page has it. */
    public String text(String css) {
        return find(css).getText();
    }

    /**
     * Waits (bounded by {@link #WAIT}) until {@code condition} answers something other than {@code null} or
     * {@code false} without throwing a missing- or stale-element exception, and returns that answer.
     */
    public <T> T until(Callable<T> condition, String what) {
        return waiting(what).until(condition, answer -> answer != null && !Boolean.FALSE.equals(answer));
    }

    /** Waits (bounded) until the assertion holds, reloading the page before every try: for pages without refresh. */
    public void untilAfterReload(Runnable assertion, String what) {
        waiting(what).untilAsserted(() -> {
            reload();
            assertion.run();
        });
    }

    /** Waits (bounded) until the assertion holds on the page as it is (for what the page's own script changes). */
    public void untilAsserted(Runnable assertion, String what) {
        waiting(what).untilAsserted(assertion::run);
    }

    private static ConditionFactory waiting(String what) {
        return Awaitility.await(what).atMost(WAIT).pollInSameThread().pollInterval(Duration.ofMillis(100))
                .ignoreExceptionsInstanceOf(NoSuchElementException.class)
                .ignoreExceptionsInstanceOf(StaleElementReferenceException.class);
    }

    public Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    /** What the page's scripts reported as errors (uncaught exceptions, Content-Security-Policy refusals). */
    public List<String> scriptErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                // a missing favicon and an expected 403 or 404 answer are the server's answers, not script errors
                .filter(message -> !message.contains("Failed to load resource"))
                .toList();
    }

    /** Writes what the browser shows now as a PNG, creating the directory. */
    public Path screenshot(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException e) {
            // a browser that no longer answers is killed below
        } finally {
            service.stop();
            killProfileProcesses();
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs anyway
            }
            deleteProfile();
        }
    }

    /** Chromium processes of this browser (all carry its profile directory on their command line), killed by id. */
    private void killProfileProcesses() {
        String marker = "--user-data-dir=" + profile;
        ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(arguments -> List.of(arguments).contains(marker))
                        .orElse(false))
                .forEach(process -> {
                    process.destroyForcibly();
                    process.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null)
                            .join();
                });
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover profile under target/ is harmless; mvn clean removes it
        }
    }
}
