package io.stopsign.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A MediaMTX stand-in on 127.0.0.1 for tests: src/test/resources/webrtc_camera.py under
 * /usr/bin/python3 plays an mp4 in real time, looped, and serves the same live stream over RTSP
 * ({@link #rtspUrl()}) and over WebRTC through GStreamer's webrtcbin behind a WHEP endpoint ({@link
 * #webrtcBase()}{@code /cam1/whep}).
 */
public final class WebrtcCamera implements AutoCloseable {
  private final PythonHelper process;
  private final int rtspPort;
  private final int httpPort;

  private WebrtcCamera(PythonHelper process, int rtspPort, int httpPort) {
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
    PythonHelper process =
        PythonHelper.start(
            "webrtc_camera.py",
            20,
            Integer.toString(rtsp),
            Integer.toString(http),
            mp4.toAbsolutePath().toString());
    return new WebrtcCamera(process, rtsp, http);
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
  public String log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }
}
