package io.stopsign.bench;

import io.stopsign.bus.Addresses;
import io.stopsign.codec.Codecs;
import io.stopsign.judge.TrackState;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * P4: N real WebSocket clients on loopback fed per-frame metadata at the camera's metadata rate,
 * with one more client that connects and never reads (a stalled browser tab): delivery latency p99
 * over all messages, and whether anyone but the stalled client lost a message.
 */
final class Fanout {
  /** The figure's values from one run. */
  record Result(double p99Ms, long othersLost, long stalledDropped, String detail) {}

  static Result run(int clients, double rateHz, double seconds) throws Exception {
    Vertx server = Vertx.vertx();
    Vertx readers = Vertx.vertx();
    HubVerticle hub = new HubVerticle(Throughput.CAMERA, 16);
    try (Socket stalled = new Socket()) {
      Codecs.register(server.eventBus());
      Throughput.await(server.deployVerticle(hub).toCompletionStage());
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", hub.port()));
      upgrade(stalled.getOutputStream()); // the hub's client "1": it never reads a byte
      WsClients all = WsClients.connect(readers, hub.port(), clients, 4_000_000);
      long messages = Math.max(1, Math.round(rateHz * seconds));
      long[] sent = {0};
      long period = Math.max(1, Math.round(1000 / rateHz));
      server.setPeriodic(
          period,
          t -> {
            if (sent[0] >= messages) {
              server.cancelTimer(t);
              return;
            }
            server.eventBus().send(Addresses.metadata(Throughput.CAMERA), metadata(++sent[0]));
          });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) seconds + 30);
      while (System.nanoTime() < deadline && (sent[0] < messages || lost(all, messages) > 0)) {
        Thread.sleep(100);
      }
      all.stopRecording();
      double[] latencies = all.latencies();
      long othersLost = lost(all, messages);
      long stalledDropped = hub.droppedFor("1");
      Throughput.await(all.close().toCompletionStage());
      double p50 = Repeated.percentile(latencies, 0.5);
      double p99 = Repeated.percentile(latencies, 0.99);
      return new Result(
          p99,
          othersLost,
          stalledDropped,
          String.format(
              "last run: %d clients + 1 stalled, %d messages at %.0f Hz, p50 %.1f ms p99 %.1f ms,"
                  + " %d lost by reading clients, %d dropped for the stalled one",
              clients, messages, rateHz, p50, p99, othersLost, stalledDropped));
    } finally {
      Throughput.await(readers.close().toCompletionStage());
      Throughput.await(server.close().toCompletionStage());
    }
  }

  private static long lost(WsClients all, long messages) {
    long lost = 0;
    for (int i = 0; i < all.size(); i++) {
      lost += Math.max(0, messages - all.received(i));
    }
    return lost;
  }

  private static void upgrade(OutputStream out) throws Exception {
    String request =
        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** A frame's metadata with five tracks, stamped now (the service's typical message). */
  static FrameMetadata metadata(long frame) {
    List<TrackState> tracks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tracks.add(
          new TrackState(
              i, "car", 0.8f, 100 + i, 200, 300 + i, 400, 12.5, 1.57, false, i % 2 == 0));
    }
    Instant now = Instant.now();
    return new FrameMetadata(
        Throughput.CAMERA,
        "00000000-0000-0000-0000-000000000001",
        frame,
        now.getEpochSecond() + now.getNano() / 1e9,
        tracks,
        List.of(new double[] {0, 0}, new double[] {10, 0}, new double[] {10, 10}),
        1280,
        720,
        352,
        352,
        "px/s");
  }

  private Fanout() {}
}
