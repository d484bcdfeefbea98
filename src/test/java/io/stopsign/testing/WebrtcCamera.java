package io.stopsign.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A MediaMTX stand-in on 127.0.0.1 for tests: src/test/resources/webrtc_camera.py under
 * /usr/bin/python3 plays an mp4 in real time, looped, and serves the same live stream over RTSP
 * ({@link #rtspUrl()}) and over WebRTC through GStreamer's webrtcbin behind a WHEP endpoint ({@link
 * #webrtcBase()}{@code /cam1/whep}).
 */
public final class WebrtcCamera implements AutoCloseable {
  private static final String PYTHON = "/usr/bin/python3";

  private final Process process;
  private final int rtspPort;
  private final int httpPort;
  private final Deque<String> output = new ArrayDeque<>();

  private WebrtcCamera(Process process, int rtspPort, int httpPort) {
    this.process = process;
    this.rtspPort = rtspPort;
    this.httpPort = httpPort;
  }

  /** Serves {@code mp4} on free ports; returns once both servers listen. */
  public static WebrtcCamera start(Path mp4) throws IOException {
    if (!Files.isRegularFile(mp4)) {
      throw new IOException("no such file: " + mp4);
    }
    int rtsp = RtspServer.freePort();
    int http = RtspServer.freePort();
    Process process =
        new ProcessBuilder(
                PYTHON,
                script().toString(),
                Integer.toString(rtsp),
                Integer.toString(http),
                mp4.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .start();
    WebrtcCamera camera = new WebrtcCamera(process, rtsp, http);
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(() -> camera.drain(process.getInputStream(), ready), "webrtc-camera-" + http);
    reader.setDaemon(true);
    reader.start();
    try {
      if (!ready.await(20, TimeUnit.SECONDS) || !process.isAlive()) {
        camera.close();
        throw new IOException("webrtc_camera.py did not start: " + camera.log());
      }
    } catch (InterruptedException e) {
      camera.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting webrtc_camera.py", e);
    }
    return camera;
  }

  public String rtspUrl() {
    return "rtsp://127.0.0.1:" + rtspPort + "/cam1";
  }

  /** What {@code mediamtx.webrtc_url} points at. */
  public String webrtcBase() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Every later WHEP offer is answered 503, as by a WebRTC server that is down. */
  public void failWhep() throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(webrtcBase() + "/fail"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 204) {
      throw new IOException("POST /fail answered " + r.statusCode());
    }
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
    URL url = WebrtcCamera.class.getResource("/webrtc_camera.py");
    if (url == null) {
      throw new IOException("webrtc_camera.py is not on the test class path");
    }
    if ("file".equals(url.getProtocol())) {
      try {
        return Path.of(url.toURI());
      } catch (java.net.URISyntaxException e) {
        throw new IOException(e);
      }
    }
    Path copy = Files.createTempFile("webrtc_camera", ".py");
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
