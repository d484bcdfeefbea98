package io.stopsign.bench;

import io.stopsign.decode.FrameSource;
import io.stopsign.decode.SourceOptions;
import io.stopsign.media.Frame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;

/**
 * P3: in-process decode and scale against the ffmpeg command line (the executable bundled with the
 * javacpp FFmpeg jar) on the same clip to the same size and pixel format (RGB24, bilinear), with
 * the same decoder thread count and a single-threaded filter graph, as the service's scaler is.
 */
final class DecodeVsCli {
  private static final Pattern RTIME = Pattern.compile("rtime=([0-9.]+)s");

  /** One P3 run: in-process fps / command-line fps. */
  static Repeated.Run ratio(SourceOptions options, Path clip, int frames) throws Exception {
    int width;
    int height;
    int threads;
    try (FrameSource source = FrameSource.open(options, null)) {
      Frame first = source.next();
      width = first.width();
      height = first.height();
      threads = source.decoderThreads();
      first.release();
    }
    double inProcess = Throughput.decodeOnly(options, frames).fps();
    double cli = cliFps(clip, frames, width, height, threads);
    return new Repeated.Run(
        inProcess / cli,
        String.format(
            "last run: in-process %.1f fps, ffmpeg CLI %.1f fps, %dx%d rgb24, %d decoder thread(s)",
            inProcess, cli, width, height, threads));
  }

  /** Frames per second of {@code ffmpeg} decoding and scaling to raw RGB24, output discarded. */
  static double cliFps(Path clip, int frames, int width, int height, int threads) throws Exception {
    String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
    List<String> command =
        List.of(
            ffmpeg,
            "-nostdin",
            "-hide_banner",
            "-benchmark",
            "-filter_threads",
            "1",
            "-threads",
            Integer.toString(threads),
            "-stream_loop",
            "-1",
            "-i",
            clip.toString(),
            "-an",
            "-frames:v",
            Integer.toString(frames),
            "-vf",
            "scale=" + width + ":" + height + ":flags=bilinear",
            "-pix_fmt",
            "rgb24",
            "-f",
            "rawvideo",
            "-y",
            "/dev/null");
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("ffmpeg failed: " + tail(output));
    }
    double wall = (System.nanoTime() - start) / 1e9;
    Matcher rtime = RTIME.matcher(output);
    // -benchmark's rtime leaves out the process start, as the in-process figure does
    double seconds = rtime.find() ? Double.parseDouble(rtime.group(1)) : wall;
    return frames / Math.max(seconds, 1e-3);
  }

  private static String tail(String text) {
    return text.length() > 400 ? text.substring(text.length() - 400) : text;
  }

  private DecodeVsCli() {}
}
