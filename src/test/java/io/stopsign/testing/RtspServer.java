package io.stopsign.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real RTSP server on 127.0.0.1 for tests: GStreamer's rtsp-server
 * (src/test/resources/rtsp_server.py under /usr/bin/python3) serving an mp4 file's H.264 without
 * re-encoding at {@link #url()}. Every client gets the file from its start, in real time; the
 * stream ends with the file.
 */
public final class RtspServer implements AutoCloseable {
  private static final String PYTHON = "/usr/bin/python3";

  private final Process process;
  private final int port;
  private final Deque<String> output = new ArrayDeque<>();

  private RtspServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Serves {@code mp4} on a free port. */
  public static RtspServer start(Path mp4) throws IOException {
    return start(mp4, freePort());
  }

  /** Serves {@code mp4} on {@code port}; returns once the server listens. */
  public static RtspServer start(Path mp4, int port) throws IOException {
    if (!Files.isRegularFile(mp4)) {
      throw new IOException("no such file: " + mp4);
    }
    ProcessBuilder builder =
        new ProcessBuilder(
                PYTHON,
                script().toString(),
                Integer.toString(port),
                mp4.toAbsolutePath().toString())
            .redirectErrorStream(true);
    Process process = builder.start();
    RtspServer server = new RtspServer(process, port);
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(() -> server.drain(process.getInputStream(), ready), "rtsp-server-" + port);
    reader.setDaemon(true);
    reader.start();
    try {
      if (!ready.await(15, TimeUnit.SECONDS) || !process.isAlive()) {
        server.close();
        throw new IOException("RTSP server did not start on port " + port + ": " + server.log());
      }
    } catch (InterruptedException e) {
      server.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the RTSP server", e);
    }
    return server;
  }

  /** A TCP port nobody listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  public String url() {
    return "rtsp://127.0.0.1:" + port + "/cam1";
  }

  /** The server process, e.g. to freeze it with SIGSTOP (a camera that stops sending). */
  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  /** The server's recent output, for failure messages. */
  public synchronized String log() {
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

  private static Path script() throws IOException {
    URL url = RtspServer.class.getResource("/rtsp_server.py");
    if (url == null) {
      throw new IOException("rtsp_server.py is not on the test class path");
    }
    if ("file".equals(url.getProtocol())) {
      try {
        return Path.of(url.toURI());
      } catch (java.net.URISyntaxException e) {
        throw new IOException(e);
      }
    }
    Path copy = Files.createTempFile("rtsp_server", ".py");
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
