package io.stopsign.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test-resource Python script run under /usr/bin/python3 (the Debian one, which has GStreamer's
 * {@code gi}; a pyenv python3 first on PATH has not): started, waited for until it prints a line
 * {@code ready}, its last 50 lines of output kept for failure messages, stopped on close.
 */
final class PythonHelper implements AutoCloseable {
  private static final String PYTHON = "/usr/bin/python3";

  private final Process process;
  private final Deque<String> output = new ArrayDeque<>();

  private PythonHelper(Process process) {
    this.process = process;
  }

  /** Runs {@code script} (a test resource) with {@code args}; returns once it printed "ready". */
  static PythonHelper start(String script, long readySeconds, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(PYTHON, resource(script).toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    PythonHelper helper = new PythonHelper(process);
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> helper.drain(process.getInputStream(), ready), script);
    reader.setDaemon(true);
    reader.start();
    try {
      if (!ready.await(readySeconds, TimeUnit.SECONDS) || !process.isAlive()) {
        helper.close();
        throw new IOException(script + " did not start: " + helper.log());
      }
    } catch (InterruptedException e) {
      helper.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting " + script, e);
    }
    return helper;
  }

  long pid() {
    return process.pid();
  }

  /** The script's recent output, for failure messages. */
  synchronized String log() {
    return String.join("\n", output);
  }

  private void drain(InputStream in, CountDownLatch ready) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (this) {
          output.addLast(line);
          if (output.size() > 50) {
            output.removeFirst();
          }
        }
        if (line.trim().equals("ready")) {
          ready.countDown();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
    ready.countDown();
  }

  private static Path resource(String name) throws IOException {
    URL url = PythonHelper.class.getResource("/" + name);
    if (url == null) {
      throw new IOException(name + " is not on the test class path");
    }
    if ("file".equals(url.getProtocol())) {
      try {
        return Path.of(url.toURI());
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
    }
    Path copy = Files.createTempFile(name, ".py");
    copy.toFile().deleteOnExit();
    try (InputStream in = url.openStream()) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    return copy;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
