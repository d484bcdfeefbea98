package io.stopsign.cluster;

import io.stopsign.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One service JVM started from the built jar ({@code target/stopsign.jar}; the test classpath when
 * it has not been packaged), its output in a log file. Every process started is killed when the
 * test JVM exits, even if the test fails.
 */
final class NodeProcess {
  private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly), "kill-nodes"));
  }

  final String name;
  final int clusterPort;
  final Path log;
  private final Process process;

  private NodeProcess(String name, int clusterPort, Path log, Process process) {
    this.name = name;
    this.clusterPort = clusterPort;
    this.log = log;
    this.process = process;
    ALL.add(process);
  }

  /** The node name the service announces: its Hazelcast address. */
  String node() {
    return "127.0.0.1:" + clusterPort;
  }

  static NodeProcess start(
      String name, Path dir, Path config, String roles, int clusterPort, Map<String, String> env)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    Path jar = Path.of("target", "stopsign.jar");
    command.add("-cp");
    command.add(Files.exists(jar) ? jar.toString() : System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of("run", "--config", config.toString(), "--roles", roles));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    builder.environment().put("STOPSIGN_CLUSTER_PORT", Integer.toString(clusterPort));
    builder.environment().put("STOPSIGN_DATA_DIR", dir.resolve(name).toString());
    builder.environment().putAll(env);
    return new NodeProcess(name, clusterPort, log, builder.start());
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** kill -9: no shutdown hook, no lease released, nothing flushed. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as an orchestrator stops a pod; forcibly after 30 s. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** A port p with p + 1 free too (Hazelcast and the event bus). */
  static int freePortPair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      if (port < 65534) {
        try (ServerSocket next = new ServerSocket(port + 1)) {
          return port;
        } catch (IOException taken) {
          // try another
        }
      }
    }
    throw new IOException("no pair of free ports");
  }
}
