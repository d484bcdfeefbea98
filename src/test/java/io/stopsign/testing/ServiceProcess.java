package io.stopsign.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The service as a real process, {@code java -jar stopsign.jar run --config ...} from a {@link
 * LauncherJar}, its output in a log file: for tests that kill it, or wait for it to exit.
 */
public final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private ServiceProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code jar} (see {@link LauncherJar#write}) in {@code dir}, its output to dir/log. */
  public static ServiceProcess start(Path jar, Path dir, Path config, String log)
      throws IOException {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx320m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            jar.toString(),
            "run",
            "--config",
            config.toString());
    Path file = dir.resolve(log);
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(file.toFile())
            .start();
    return new ServiceProcess(process, file);
  }

  public Process process() {
    return process;
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  /** The last {@code count} lines of the log, for an assertion's message. */
  public String tail(int count) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  /**
   * Polls GET {@code path} on 127.0.0.1:{@code port} until {@code done} maps an answer to a value
   * (not null); fails with the log's tail when the process exits first or {@code within} passes.
   */
  public <T> T await(int port, String path, Duration within, Function<HttpResponse<String>, T> done)
      throws Exception {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the service exited with " + process.exitValue() + ":\n" + tail(40));
      }
      try {
        T value = done.apply(http.send(get, HttpResponse.BodyHandlers.ofString()));
        if (value != null) {
          return value;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no answer to GET " + path + " as awaited:\n" + tail(40));
  }

  /** SIGTERM, as an orchestrator stops a pod; forcibly after 60 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
