package io.stopsign.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only outage file {@code data_dir/spool/persist.spool}: one JSON record per line, in
 * order of arrival. Blocking: used from one worker thread at a time. A line torn by a crash (no
 * newline at the end) was never acknowledged, so opening the file cuts it off.
 */
final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

  /** A full line and the file offset just past its newline. */
  record Line(String text, long end) {}

  private final Path file;
  private final Path rejected;
  private final FileChannel channel;
  private volatile long size;

  Spool(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("spool");
    Files.createDirectories(dir);
    this.file = dir.resolve("persist.spool");
    this.rejected = dir.resolve("rejected.jsonl");
    this.channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    this.size = channel.size();
    cutTornTail();
  }

  private void cutTornTail() throws IOException {
    if (size == 0) {
      return;
    }
    long end = size;
    ByteBuffer one = ByteBuffer.allocate(1);
    while (end > 0) {
      one.clear();
      channel.read(one, end - 1);
      if (one.get(0) == '\n') {
        break;
      }
      end--;
    }
    if (end != size) {
      LOG.warn(
          "spool {}: cut a torn last record of {} bytes (never acknowledged)", file, size - end);
      channel.truncate(end);
      channel.force(true);
      size = end;
    }
  }

  Path file() {
    return file;
  }

  long size() {
    return size;
  }

  /**
   * Appends UTF-8 lines (without newline); {@code sync} forces them to disk before returning
   * (acknowledged records).
   */
  void append(List<byte[]> lines, boolean sync) throws IOException {
    int total = 0;
    for (byte[] line : lines) {
      total += line.length + 1;
    }
    ByteBuffer bytes = ByteBuffer.allocate(total);
    for (byte[] line : lines) {
      bytes.put(line).put((byte) '\n');
    }
    bytes.flip();
    long start = size;
    try {
      long pos = start;
      while (bytes.hasRemaining()) {
        pos += channel.write(bytes, pos);
      }
      if (sync) {
        channel.force(false);
      }
      size = pos;
    } catch (IOException e) {
      try {
        channel.truncate(start); // never leave half a line behind
      } catch (IOException ignored) {
        // the next open cuts the torn tail
      }
      throw e;
    }
  }

  /** Full lines from {@code offset}, about {@code maxBytes} of them (at least one when any). */
  List<Line> read(long offset, int maxBytes) throws IOException {
    List<Line> lines = new ArrayList<>();
    long end = size;
    int want = (int) Math.min(maxBytes, end - offset);
    while (want > 0) {
      ByteBuffer buf = ByteBuffer.allocate(want);
      int n = 0;
      while (buf.hasRemaining()) {
        int r = channel.read(buf, offset + n);
        if (r < 0) {
          break;
        }
        n += r;
      }
      byte[] bytes = buf.array();
      int lineStart = 0;
      for (int i = 0; i < n; i++) {
        if (bytes[i] == '\n') {
          String text = new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8);
          lines.add(new Line(text, offset + i + 1));
          lineStart = i + 1;
        }
      }
      if (!lines.isEmpty() || offset + n >= end) {
        break;
      }
      want = (int) Math.min((long) want * 2, end - offset); // one line longer than maxBytes
    }
    return lines;
  }

  /** Empties the spool once every record in it is committed. */
  void truncate() throws IOException {
    channel.truncate(0);
    channel.force(true);
    size = 0;
  }

  /** Keeps a record the database refused, for a person to look at; it is not replayed. */
  void reject(String line, String reason) throws IOException {
    String entry =
        "{\"rejected_at\":\""
            + Instant.now()
            + "\",\"reason\":"
            + io.vertx.core.json.Json.encode(reason)
            + ",\"record\":"
            + line
            + "}\n";
    Files.writeString(
        rejected,
        entry,
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  @Override
  public void close() throws IOException {
    channel.force(true);
    channel.close();
  }
}
