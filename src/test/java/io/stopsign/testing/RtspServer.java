package io.stopsign.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real RTSP server on 127.0.0.1 for tests: GStreamer's rtsp-server
 * (src/test/resources/rtsp_server.py under /usr/bin/python3) serving an mp4 file's H.264 without
 * re-encoding at {@link #url()}. Every client gets the file from its start, in real time; the
 * stream ends with the file.
 */
public final class RtspServer implements AutoCloseable {
  private final PythonHelper process;
  private final int port;

  private RtspServer(PythonHelper process, int port) {
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
    return new RtspServer(
        PythonHelper.start(
            "rtsp_server.py", 15, Integer.toString(port), mp4.toAbsolutePath().toString()),
        port);
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
  public String log() {
    return process.log();
  }

  @Override
  public void close() {
    process.close();
  }
}
