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
 * the same decoder thread count and a single-threaded filter graph, as the service's scaler is. The
 * figure compares CPU time per frame: since FFmpeg 7 the command line runs demuxing, decoding,
 * filtering and muxing on threads of their own (about 1.7 cores here), where the service decodes
 * and scales a camera on one thread, so wall-clock fps would compare one core against two.
 */
final class DecodeVsCli {
  private static final Pattern TIMES =
      Pattern.compile("utime=([0-9.]+)s stime=([0-9.]+)s rtime=([0-9.]+)s");

  /** What the command line took for its frames: CPU seconds (user + system) and wall seconds. */
  record CliRun(int frames, double cpuSeconds, double seconds) {
    double fps() {
      return frames / Math.max(seconds, 1e-3);
    }

    double cpuMsPerFrame() {
      return cpuSeconds * 1000 / frames;
    }
  }

  /** One P3 run: command-line CPU ms per frame / in-process CPU ms per frame. */
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
    Throughput.Figure inProcess = Throughput.decodeOnly(options, frames);
    CliRun cli = cli(clip, frames, width, height, threads);
    return new Repeated.Run(
        cli.cpuMsPerFrame() / inProcess.cpuMsPerFrame(),
        String.format(
            "last run: in-process %.2f CPU ms/frame at %.1f fps, ffmpeg CLI %.2f CPU ms/frame at"
                + " %.1f fps (%.1f cores), %dx%d rgb24, %d decoder thread(s)",
            inProcess.cpuMsPerFrame(),
            inProcess.fps(),
            cli.cpuMsPerFrame(),
            cli.fps(),
            cli.cpuSeconds() / Math.max(cli.seconds(), 1e-3),
            width,
            height,
            threads));
  }

  /** {@code ffmpeg} decoding and scaling to raw RGB24, output discarded, timed by -benchmark. */
  static CliRun cli(Path clip, int frames, int width, int height, int threads) throws Exception {
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
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("ffmpeg failed: " + tail(output));
    }
    Matcher times = TIMES.matcher(output);
    if (!times.find()) {
      throw new IOException("ffmpeg printed no -benchmark times: " + tail(output));
    }
    // -benchmark's times leave out the process start, as the in-process figure does
    return new CliRun(
        frames,
        Double.parseDouble(times.group(1)) + Double.parseDouble(times.group(2)),
        Double.parseDouble(times.group(3)));
  }

  private static String tail(String text) {
    return text.length() > 400 ? text.substring(text.length() - 400) : text;
  }

  private DecodeVsCli() {}
}
