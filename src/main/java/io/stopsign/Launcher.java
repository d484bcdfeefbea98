package io.stopsign;

import io.stopsign.cluster.ClusterStartException;
import io.stopsign.config.ConfigException;
import io.stopsign.inference.ModelException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code run}: loads the configuration, starts the service, and stops it cleanly on SIGTERM. */
final class Launcher {
  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  static int run(String[] args) {
    Path configFile = null;
    String source = null;
    Properties system = new Properties();
    system.putAll(System.getProperties());
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length || !arg.startsWith("--")) {
        System.err.println("run: unknown or incomplete option " + arg);
        return 2;
      }
      String value = args[++i];
      switch (arg) {
        case "--config" -> configFile = Path.of(value);
        case "--source" -> source = value;
        case "--roles" -> system.setProperty("stopsign.roles", value);
        default -> {
          System.err.println("run: unknown option " + arg);
          return 2;
        }
      }
    }
    StopSignConfig config;
    try {
      config = ConfigLoader.load(configFile, source, System.getenv(), system);
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Service service;
    try {
      service =
          Service.start(config).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ModelException || cause instanceof ConfigException) {
        System.err.println(cause.getMessage());
        return 2;
      }
      if (cause instanceof ClusterStartException) {
        LOG.error(cause.getMessage());
        return 1;
      }
      LOG.error("start-up failed: {}", cause.getMessage(), cause);
      return 1;
    }
    if (configFile != null && config.hasRole("analyzer")) {
      Path file = configFile;
      String fixedSource = source;
      service
          .vertx()
          .deployVerticle(
              new ConfigReloadVerticle(
                  file,
                  config,
                  () -> ConfigLoader.load(file, fixedSource, System.getenv(), system),
                  2000));
    }
    LOG.info("StopSign is up: http://{}:{}/", config.http().host(), service.httpPort());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping: flushing batches and closing resources");
                  try {
                    service
                        .close()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get(25, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    LOG.warn("stop was not clean: {}", e.getMessage());
                  }
                },
                "stopsign-shutdown"));
    return 0;
  }

  private Launcher() {}
}
