package io.stopsign.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by its own chromedriver (never a downloaded one: the tests run
 * offline), with a fresh profile per instance and autoplay allowed so videos start by themselves.
 */
public final class Browser implements AutoCloseable {
  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  private final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  public static Browser start() {
    for (String exe : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(exe))) {
        throw new IllegalStateException(
            exe + " is missing: install the Debian packages chromium and chromium-driver");
      }
    }
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
    Path profile;
    try {
      profile = Files.createTempDirectory("stopsign-chromium");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--autoplay-policy=no-user-gesture-required",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    try {
      return new Browser(new ChromeDriver(service, options), profile);
    } catch (WebDriverException e) {
      deleteQuietly(profile);
      throw e;
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Runs {@code script} (a function body: use {@code return}) in the page. */
  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Waits until the JS expression is truthy and returns its value; on timeout fails with the
   * expression and the browser console, which usually says why.
   */
  public Object waitFor(String expression, Duration timeout) {
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(100))
          .until(
              d -> {
                Object value = js("return (" + expression + ");");
                return isTruthy(value) ? value : null;
              });
    } catch (TimeoutException e) {
      throw new AssertionError(
          "waited "
              + timeout.toSeconds()
              + " s for: "
              + expression
              + "\nbrowser console:\n"
              + console(),
          e);
    }
  }

  /**
   * Non-transparent pixels of a canvas inside a rectangle given in CSS pixels of the canvas element
   * (the canvas may be backed by more device pixels).
   */
  public long canvasPixels(String selector, double x, double y, double width, double height) {
    Object n =
        js(
            "const c = document.querySelector(arguments[0]);"
                + "const k = c.width / c.clientWidth;"
                + "const x = Math.max(0, Math.floor(arguments[1] * k)), y = Math.max(0, Math.floor(arguments[2] * k));"
                + "const w = Math.min(c.width - x, Math.ceil(arguments[3] * k)), h = Math.min(c.height - y, Math.ceil(arguments[4] * k));"
                + "if (w <= 0 || h <= 0) return 0;"
                + "const d = c.getContext('2d').getImageData(x, y, w, h).data;"
                + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;"
                + "return n;",
            selector,
            x,
            y,
            width,
            height);
    return ((Number) n).longValue();
  }

  /**
   * Resizes the window to {@code width} CSS pixels and waits until the page's layout follows (the
   * next animation frame after the resize event).
   */
  public void width(int width) {
    driver.manage().window().setSize(new Dimension(width, 900));
    waitFor("window.innerWidth === " + width, Duration.ofSeconds(5));
  }

  /**
   * Whether the page scrolls sideways at the current width (it never should): empty when it does
   * not, else the elements that stick out on the right, to say what to fix.
   */
  public String sidewaysOverflow() {
    Object out =
        js(
            "const w = document.documentElement.clientWidth;"
                + "if (document.documentElement.scrollWidth <= w) return '';"
                + "return [...document.querySelectorAll('body *')]"
                + ".filter(e => e.getBoundingClientRect().right > w + 0.5)"
                + ".slice(0, 8).map(e => e.tagName + (e.id ? '#' + e.id : '')"
                + " + (e.className && e.className.baseVal === undefined ? '.' + e.className : '')"
                + " + ' right=' + Math.round(e.getBoundingClientRect().right)).join(', ')"
                + " || 'scrollWidth ' + document.documentElement.scrollWidth;");
    return (String) out;
  }

  /**
   * Saves the whole page, below the fold too, as {@code target/screenshots/NAME-WIDTH.png} and
   * returns its path.
   */
  public Path screenshot(String name) {
    int width = ((Number) js("return window.innerWidth;")).intValue();
    // Chromium's own full-page capture: the window's size (and so the layout) stays as it is
    Number pageWidth = (Number) js("return document.documentElement.scrollWidth;");
    Number pageHeight = (Number) js("return document.documentElement.scrollHeight;");
    // an explicit clip: without one Chromium crops a page without a scrollbar at the scrollbar
    Map<String, Object> clip =
        Map.of("x", 0, "y", 0, "width", pageWidth, "height", pageHeight, "scale", 1);
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    try {
      Path dir = Files.createDirectories(Path.of("target", "screenshots"));
      Path file = dir.resolve(name + "-" + width + ".png");
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot save the screenshot " + name, e);
    }
  }

  /** Everything the page logged, one line per entry. */
  public String console() {
    try {
      StringBuilder out = new StringBuilder();
      for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
        out.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
      }
      return out.toString();
    } catch (WebDriverException e) {
      return "(console unavailable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteQuietly(profile);
    }
  }

  private static boolean isTruthy(Object value) {
    if (value == null || Boolean.FALSE.equals(value)) {
      return false;
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (value instanceof String s) {
      return !s.isEmpty();
    }
    return !(value instanceof Map<?, ?> m) || !m.isEmpty();
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp profile is harmless
    }
  }
}
