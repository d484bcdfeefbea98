package io.stopsign.web;

import io.stopsign.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live HLS camera for browser tests: the fixture clip, cut once per JVM by GStreamer into 1 s
 * MPEG-TS segments, republished in real time as a sliding-window playlist whose
 * EXT-X-PROGRAM-DATE-TIME is the wall clock, like the embedded HLS writer does. The clip loops,
 * marked by EXT-X-DISCONTINUITY.
 */
final class LiveHls implements AutoCloseable {
  static final String CLIP = "media/road-cars-720p30.mp4";
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  private static final int WINDOW = 6;
  private static List<Segment> encoded;

  record Segment(Path file, double duration) {}

  private record Published(
      long seq, String name, double duration, Instant pdt, boolean discontinuity) {}

  private final Path out;
  private final List<Segment> source;
  private final ArrayDeque<Published> window = new ArrayDeque<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private long nextSeq;
  private long discontinuitySeq;
  private Instant nextPdt;

  /** Starts publishing into {@code out} (data_dir/hls/<camera>), with 3 s already available. */
  LiveHls(Path out) throws IOException {
    this.out = Files.createDirectories(out);
    this.source = segments();
    this.nextPdt = Instant.now().minusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
    publishDue();
    timer.scheduleAtFixedRate(
        () -> {
          try {
            publishDue();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        },
        200,
        200,
        TimeUnit.MILLISECONDS);
  }

  /** Publishes every segment whose capture has ended by now. */
  private synchronized void publishDue() throws IOException {
    boolean changed = false;
    while (true) {
      Segment segment = source.get((int) (nextSeq % source.size()));
      Instant end = nextPdt.plusMillis(Math.round(segment.duration() * 1000));
      if (end.isAfter(Instant.now())) {
        break;
      }
      String name = "s" + nextSeq + ".ts";
      Files.copy(segment.file(), out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      window.addLast(
          new Published(
              nextSeq,
              name,
              segment.duration(),
              nextPdt,
              nextSeq > 0 && nextSeq % source.size() == 0));
      nextSeq++;
      nextPdt = end;
      changed = true;
      while (window.size() > WINDOW) {
        Published gone = window.removeFirst();
        if (window.peekFirst().discontinuity()) {
          discontinuitySeq++;
        }
        // a little later than it leaves the playlist, as players may still be fetching it
        timer.schedule(() -> out.resolve(gone.name()).toFile().delete(), 10, TimeUnit.SECONDS);
      }
    }
    if (changed) {
      writePlaylist();
    }
  }

  private void writePlaylist() throws IOException {
    double longest = window.stream().mapToDouble(Published::duration).max().orElse(1);
    StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
    m3u8.append("#EXT-X-TARGETDURATION:").append((int) Math.ceil(longest)).append('\n');
    m3u8.append("#EXT-X-MEDIA-SEQUENCE:").append(window.peekFirst().seq()).append('\n');
    m3u8.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySeq).append('\n');
    for (Published p : window) {
      if (p.discontinuity() && p != window.peekFirst()) {
        m3u8.append("#EXT-X-DISCONTINUITY\n");
      }
      m3u8.append("#EXT-X-PROGRAM-DATE-TIME:").append(p.pdt()).append('\n');
      m3u8.append(String.format(java.util.Locale.ROOT, "#EXTINF:%.3f,%n", p.duration()));
      m3u8.append(p.name()).append('\n');
    }
    Path tmp = out.resolve("index.m3u8.tmp");
    Files.writeString(tmp, m3u8);
    Files.move(
        tmp,
        out.resolve("index.m3u8"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** The clip as ~1 s H.264 baseline segments at 640x360 (GStreamer, once per JVM). */
  static synchronized List<Segment> segments() throws IOException {
    if (encoded != null) {
      return encoded;
    }
    Path dir = Files.createTempDirectory("stopsign-hls-src");
    Path clip = Fixtures.path(CLIP);
    List<String> command =
        List.of(
            "gst-launch-1.0",
            "-q",
            "filesrc",
            "location=" + clip,
            "!",
            "qtdemux",
            "name=d",
            "d.video_0",
            "!",
            "h264parse",
            "!",
            "avdec_h264",
            "!",
            "videoscale",
            "!",
            "video/x-raw,width=" + WIDTH + ",height=" + HEIGHT,
            "!",
            "videoconvert",
            "!",
            "x264enc",
            "speed-preset=ultrafast",
            "key-int-max=15",
            "bitrate=800",
            "!",
            "video/x-h264,profile=baseline",
            "!",
            "h264parse",
            "!",
            "hlssink2",
            "location=" + dir.resolve("seg%05d.ts"),
            "playlist-location=" + dir.resolve("index.m3u8"),
            "target-duration=1",
            "max-files=0",
            "playlist-length=0");
    Process gst =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("gst.log").toFile())
            .start();
    Path playlist = dir.resolve("index.m3u8");
    try {
      // ~3 s on an idle 2-core machine. hlssink2 sometimes hangs at end of stream after writing
      // everything (#EXT-X-ENDLIST, last segment closed): that counts as done
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (!gst.waitFor(200, TimeUnit.MILLISECONDS)) {
        if (Files.exists(playlist) && Files.readString(playlist).contains("#EXT-X-ENDLIST")) {
          gst.waitFor(500, TimeUnit.MILLISECONDS);
          gst.destroyForcibly().waitFor();
          break;
        }
        if (System.nanoTime() > deadline) {
          gst.destroyForcibly();
          throw new IllegalStateException(
              "gst-launch-1.0 did not finish encoding " + clip + " within 300 s");
        }
      }
      if (!Files.exists(playlist) || !Files.readString(playlist).contains("#EXT-X-ENDLIST")) {
        throw new IllegalStateException(
            "gst-launch-1.0 failed ("
                + gst.exitValue()
                + "): "
                + Files.readString(dir.resolve("gst.log")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    List<Segment> out = new ArrayList<>();
    Matcher m =
        Pattern.compile("#EXTINF:([0-9.]+),\\s*\\n(\\S+)").matcher(Files.readString(playlist));
    while (m.find()) {
      out.add(new Segment(dir.resolve(m.group(2)), Double.parseDouble(m.group(1))));
    }
    if (out.size() < 4) {
      throw new IllegalStateException(
          "expected several HLS segments from " + clip + ", got " + out.size());
    }
    encoded = List.copyOf(out);
    return encoded;
  }
}
