package io.stopsign.bench;

import io.stopsign.cluster.ClusterConfig;
import io.stopsign.cluster.HazelcastSettings;
import io.stopsign.codec.Codecs;
import io.stopsign.judge.TrackState;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench --bus N}: per-frame metadata messages (5 tracks, JSON on the wire) over the event
 * bus inside one JVM, then to a second JVM on 127.0.0.1 over the clustered bus (Hazelcast TCP-IP):
 * messages per second, and the request/reply round trip p50/p99 (its increase over one JVM is what
 * a cluster hop adds).
 */
final class BusBenchmark {
  private static final String METADATA = "stopsign.bench.metadata";
  private static final String COUNT = "stopsign.bench.count";
  private static final int ROUND_TRIPS = 2000;

  record Result(double perSecond, double p50Ms, double p99Ms) {}

  static void run(PrintStream out, int messages) throws Exception {
    Vertx local = Vertx.vertx();
    Result one;
    try {
      Codecs.register(local.eventBus());
      await(peerConsumers(local));
      one = measure(local, messages);
      print(out, "one JVM", messages, one);
    } finally {
      await(local.close());
    }
    int mine = freePair();
    int peerPort = freePair();
    Process peer = startPeer(peerPort, mine);
    Vertx clustered = null;
    try {
      clustered = await(clustered(mine, peerPort));
      Codecs.register(clustered.eventBus());
      waitForPeer(clustered);
      Result two = measure(clustered, messages);
      print(out, "two JVMs", messages, two);
      out.printf(
          "bus cluster hop: %.0f%% of one JVM's rate; round trip +%.3f ms p50, +%.3f ms p99%n",
          100 * two.perSecond() / one.perSecond(),
          two.p50Ms() - one.p50Ms(),
          two.p99Ms() - one.p99Ms());
    } finally {
      if (clustered != null) {
        await(clustered.close()); // leave first: a vanished peer makes Hazelcast log a trace
      }
      peer.destroyForcibly();
    }
  }

  private static void print(PrintStream out, String where, int n, Result r) {
    out.printf(
        "bus %-8s: %,d metadata messages at %,.0f msg/s; request/reply round trip p50 %.3f ms, p99"
            + " %.3f ms%n",
        where, n, r.perSecond(), r.p50Ms(), r.p99Ms());
  }

  /** Entry of the peer JVM: {@code bench-peer PORT SEED_PORT}; runs until killed. */
  static int peer(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int seed = Integer.parseInt(args[1]);
    Vertx vertx = await(clustered(port, seed));
    Codecs.register(vertx.eventBus());
    await(peerConsumers(vertx));
    Thread.sleep(Long.MAX_VALUE);
    return 0;
  }

  private static Future<Void> peerConsumers(Vertx vertx) {
    long[] count = {0};
    Future<Void> metadata =
        vertx
            .eventBus()
            .consumer(
                METADATA,
                m -> {
                  count[0]++;
                  if (m.replyAddress() != null) {
                    m.reply("ok");
                  }
                })
            .completion();
    Future<Void> counter =
        vertx
            .eventBus()
            .consumer(
                COUNT,
                m -> {
                  long expected = Long.parseLong(String.valueOf(m.body()));
                  if (expected < 0) {
                    count[0] = 0;
                    m.reply("reset");
                  } else {
                    vertx.setPeriodic(
                        5,
                        t -> {
                          if (count[0] >= expected) {
                            vertx.cancelTimer(t);
                            m.reply(Long.toString(count[0]));
                          }
                        });
                  }
                })
            .completion();
    return Future.all(metadata, counter).mapEmpty();
  }

  private static Result measure(Vertx vertx, int messages) throws Exception {
    FrameMetadata sample = sample();
    for (int i = 0; i < 2000; i++) { // warm the path and the JIT
      await(vertx.eventBus().request(METADATA, sample));
    }
    await(vertx.eventBus().request(COUNT, "-1"));
    long start = System.nanoTime();
    Future<Message<Object>> done = vertx.eventBus().request(COUNT, Long.toString(messages));
    vertx.runOnContext(
        x -> {
          for (int i = 0; i < messages; i++) {
            vertx.eventBus().send(METADATA, sample);
          }
        });
    await(done);
    double seconds = (System.nanoTime() - start) / 1e9;
    double[] trips = new double[ROUND_TRIPS];
    for (int i = 0; i < ROUND_TRIPS; i++) {
      long t0 = System.nanoTime();
      await(vertx.eventBus().request(METADATA, sample));
      trips[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(trips);
    return new Result(
        messages / seconds, trips[ROUND_TRIPS / 2], trips[(int) (ROUND_TRIPS * 0.99)]);
  }

  private static FrameMetadata sample() {
    List<TrackState> tracks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tracks.add(
          new TrackState(
              i, "car", 0.8f, 100 + i, 200, 300 + i, 400, 12.5, 1.57, false, i % 2 == 0));
    }
    return new FrameMetadata(
        "bench",
        "00000000-0000-0000-0000-000000000001",
        1,
        1.7e9,
        tracks,
        List.of(new double[] {0, 0}, new double[] {10, 0}, new double[] {10, 10}),
        1280,
        720,
        352,
        352,
        "px/s");
  }

  private static Future<Vertx> clustered(int port, int seed) {
    ClusterConfig cluster =
        new ClusterConfig(true, "127.0.0.1", port, List.of("127.0.0.1:" + seed), "");
    VertxOptions options = new VertxOptions();
    options
        .getEventBusOptions()
        .setHost(cluster.host())
        .setPort(cluster.eventBusPort())
        .setClusterPublicHost(cluster.host())
        .setClusterPublicPort(cluster.eventBusPort());
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(HazelcastSettings.of(cluster)))
        .buildClustered();
  }

  private static Process startPeer(int port, int seed) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path")));
    command.addAll(
        List.of("io.stopsign.Main", "bench-peer", Integer.toString(port), Integer.toString(seed)));
    return new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static void waitForPeer(Vertx vertx) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      try {
        await(vertx.eventBus().request(COUNT, "-1"));
        return;
      } catch (Exception e) {
        if (System.nanoTime() > end) {
          throw new IllegalStateException("the peer JVM did not join the cluster in 120 s");
        }
        Thread.sleep(200);
      }
    }
  }

  private static int freePair() throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      try (ServerSocket next = new ServerSocket(port + 1)) {
        return port;
      } catch (Exception taken) {
        // another
      }
    }
    throw new IllegalStateException("no pair of free ports");
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  private BusBenchmark() {}
}
