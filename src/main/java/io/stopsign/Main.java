package io.stopsign;

import io.stopsign.bench.Benchmark;
import io.stopsign.inference.ModelFetcher;
import java.util.Arrays;

/** The one entry point: {@code java -jar target/stopsign.jar run|score|bench [options]}. */
public final class Main {
  private static final String USAGE =
      """
      usage: java -jar target/stopsign.jar <command> [options]
        run   [--config FILE] [--source URL_OR_FILE] [--roles all|analyzer,persist,web]
              the service
        score --config FILE --trajectories IN.jsonl
              re-score recorded trajectories, one verdict per line on stdout
        bench [--clip FILE] [--model PATH --family F] [--threads T] [--runs R] [--only P1,P2,...]
              [--frames N] [--seconds S] [--clients N] [--ws-rate HZ] [--ws-seconds S]
              [--soak MINUTES] [--inserts N] [--max-cameras N] [--regions auto|none] [--bus N]
              the benchmark suite; prints figures P1-P7 (see docs/PERFORMANCE.md)
        bench --accuracy [--models centernet,yolov8n,yolox,fastestdet]
              [--configs default,whole,tiles,yolo-thresholds] [--frames N] [--labels FILE]
              [--regions x1,y1,x2,y2/...] [--tracker key=value,...] [--dump FILE]
              [--detections DIR]
              precision/recall, ID switches and ms/frame on the hand-labelled fixture frames
        fetch-model [centernet|nanodet ... | --all]
              download and verify the default model (or the named ones, or all) into the cache""";

  public static void main(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(USAGE);
      System.exit(args.length == 0 ? 2 : 0);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    int code =
        switch (args[0]) {
          case "run" -> Launcher.run(rest);
          case "score" -> ScoreCommand.run(rest, System.out, System.err);
          case "bench" -> Benchmark.run(rest, System.out, System.err);
          case "bench-peer" -> Benchmark.peer(rest);
          case "fetch-model" -> ModelFetcher.fetchCommand(rest, System.out, System.err);
          default -> {
            System.err.println("unknown command: " + args[0]);
            System.err.println(USAGE);
            yield 2;
          }
        };
    if (code != 0) {
      System.exit(code);
    }
  }

  private Main() {}
}
