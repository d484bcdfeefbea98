package io.stopsign.bench;

import io.stopsign.codec.Codecs;
import io.stopsign.judge.TrackState;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
  private static final double WARM_UP_SECONDS = 3;

  /** The figure's values from one run. */
  record Result(double p99Ms, long othersLost, long stalledDropped, String detail) {}

  static Result run(int clients, double rateHz, double seconds) throws Exception {
    Vertx server = Vertx.vertx();
    // the readers stand in for browsers on other machines: one event loop, like the hub's one, so
    // on a 2-core box each side has a core and the readers cannot outnumber the hub on the CPU
    Vertx readers = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HubVerticle hub = new HubVerticle(Throughput.CAMERA, 16);
    try (Socket stalled = new Socket()) {
      Codecs.register(server.eventBus());
      Throughput.await(server.deployVerticle(hub).toCompletionStage());
      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", hub.port()));
      upgrade(stalled.getOutputStream()); // the hub's client "1": it never reads a byte
      long messages = Math.max(1, Math.round(rateHz * seconds));
      long warmUp = Math.max(1, Math.round(rateHz * WARM_UP_SECONDS));
      WsClients all =
          WsClients.connect(
              readers, hub.port(), clients, (int) Math.min(clients * messages, 20_000_000));
      Publisher publisher = new Publisher(server, rateHz);
      publisher.send(warmUp); // JIT and connection buffers warm, as in a service running for hours
      awaitAll(all, warmUp, publisher);
      all.resetLatencies();
      long[] before = all.receivedCounts();
      CpuClock cpu = new CpuClock();
      publisher.send(messages);
      awaitAll(all, warmUp + messages, publisher);
      all.stopRecording();
      CpuClock.Split used = cpu.stop(all.threads());
      double[] latencies = all.latencies();
      long othersLost = lost(all, before, messages);
      long stalledDropped = hub.droppedFor("1");
      Throughput.await(all.close().toCompletionStage());
      double p50 = Repeated.percentile(latencies, 0.5);
      double p99 = Repeated.percentile(latencies, 0.99);
      double max = latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1];
      return new Result(
          p99,
          othersLost,
          stalledDropped,
          String.format(
              "last run: %d clients + 1 stalled, %d messages at %.0f Hz after %d to warm up,"
                  + " p50 %.1f ms p99 %.1f ms max %.1f ms, %d lost by reading clients, %d dropped"
                  + " for the stalled one; CPU per message: hub's event loops %.1f ms, readers"
                  + " %.1f ms, JVM (GC, JIT) %.1f ms",
              clients,
              messages,
              rateHz,
              warmUp,
              p50,
              p99,
              max,
              othersLost,
              stalledDropped,
              used.hubMs() / messages,
              used.readersMs() / messages,
              used.jvmMs() / messages));
    } finally {
      Throughput.await(readers.close().toCompletionStage());
      Throughput.await(server.close().toCompletionStage());
    }
  }

  /** Waits until every reader has {@code total} messages, or a deadline well past the last send. */
  private static void awaitAll(WsClients all, long total, Publisher publisher)
      throws InterruptedException {
    publisher.awaitSent();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && all.fewest() < total) {
      Thread.sleep(20);
    }
  }

  private static long lost(WsClients all, long[] before, long messages) {
    long lost = 0;
    for (int i = 0; i < all.size(); i++) {
      lost += Math.max(0, messages - (all.received(i) - before[i]));
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
