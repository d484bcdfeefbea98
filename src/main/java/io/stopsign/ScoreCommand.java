package io.stopsign;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.JudgeGeometry;
import io.stopsign.camera.Sample;
import io.stopsign.config.ConfigException;
import io.stopsign.judge.PassScore;
import io.stopsign.judge.PassScorer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code score --config FILE --trajectories IN.jsonl [--camera ID]}: re-scores recorded
 * trajectories ({@code {"id":..,"samples":[[t,x1,y1,x2,y2],...]}} per line; a stored pass with its
 * {@code trajectory} works too) with the camera's geometry and thresholds, through the same {@link
 * PassScorer} as the live service, and prints one verdict per line.
 */
public final class ScoreCommand {
  static final String USAGE =
      "usage: score --config FILE --trajectories IN.jsonl [--camera ID]   (IN.jsonl may be - for stdin)";

  /** Exit code: 0 every line scored, 1 some line failed, 2 bad arguments or config. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    String config = null;
    String trajectories = null;
    String camera = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        out.println(USAGE);
        return 0;
      }
      if (!List.of("--config", "--trajectories", "--camera").contains(arg)) {
        err.println("score: unknown argument " + arg);
        err.println(USAGE);
        return 2;
      }
      if (i + 1 >= args.length) {
        err.println("score: " + arg + " needs a value");
        err.println(USAGE);
        return 2;
      }
      String value = args[++i];
      switch (arg) {
        case "--config" -> config = value;
        case "--trajectories" -> trajectories = value;
        default -> camera = value;
      }
    }
    if (config == null || trajectories == null) {
      err.println("score: --config and --trajectories are required");
      err.println(USAGE);
      return 2;
    }
    PassScorer scorer;
    try {
      scorer = new PassScorer(JudgeGeometry.of(cameraOf(config, camera).judge()));
    } catch (ConfigException e) {
      err.println("score: " + e.getMessage());
      return 2;
    }
    BufferedReader in;
    try {
      in =
          trajectories.equals("-")
              ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
              : Files.newBufferedReader(Path.of(trajectories), StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("score: cannot read --trajectories " + trajectories + ": " + e.getMessage());
      return 2;
    }
    return scoreLines(in, scorer, out, err);
  }

  private static CameraConfig cameraOf(String file, String id) {
    StopSignConfig config =
        ConfigLoader.load(Path.of(file), null, System.getenv(), System.getProperties());
    if (config.cameras().isEmpty()) {
      throw new ConfigException("cameras", "[]", "the config has no camera to take the zone from");
    }
    if (id == null) {
      return config.cameras().get(0);
    }
    return config.cameras().stream()
        .filter(c -> c.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException(
                    "--camera",
                    id,
                    "allowed: "
                        + String.join(
                            ", ", config.cameras().stream().map(CameraConfig::id).toList())));
  }

  private static int scoreLines(
      BufferedReader in, PassScorer scorer, PrintStream out, PrintStream err) {
    int failed = 0;
    int lineNo = 0;
    try (in) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.println(scoreLine(line, scorer).encode());
        } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
          failed++;
          err.println("line " + lineNo + ": " + firstLine(e.getMessage()));
        }
      }
    } catch (IOException e) {
      err.println("line " + (lineNo + 1) + ": read failed: " + e.getMessage());
      return 1;
    }
    out.flush();
    return failed == 0 ? 0 : 1;
  }

  private static JsonObject scoreLine(String line, PassScorer scorer) {
    JsonObject json;
    try {
      json = new JsonObject(line);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("not a JSON object: " + firstLine(e.getMessage()));
    }
    Object id = json.getValue("id");
    if (id == null) {
      throw new IllegalArgumentException("\"id\" is missing");
    }
    Object raw =
        json.containsKey("samples") ? json.getValue("samples") : json.getValue("trajectory");
    if (!(raw instanceof JsonArray array)) {
      throw new IllegalArgumentException("\"samples\" must be a list of [t,x1,y1,x2,y2]");
    }
    PassScore score = scorer.score(Sample.listFromJson(array));
    return score.fill(new JsonObject().put("id", id));
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private ScoreCommand() {}
}
