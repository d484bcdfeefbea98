package io.stopsign.inference;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Reads chosen entries out of a .tgz (ustar, pax and GNU long names) without unpacking the rest.
 */
final class NpmTarball {
  private static final int BLOCK = 512;

  /** Copies each wanted entry to its target; returns the entry names that were found. */
  static Set<String> extract(Path tgz, Map<String, Path> wanted) throws IOException {
    Set<String> found = new HashSet<>();
    try (InputStream in =
        new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz), 1 << 16))) {
      byte[] header = new byte[BLOCK];
      String longName = null;
      while (in.readNBytes(header, 0, BLOCK) == BLOCK && !allZero(header)) {
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        String name = longName != null ? longName : headerName(header);
        longName = null;
        if (type == 'x' || type == 'L') {
          String body = new String(readBody(in, size), StandardCharsets.UTF_8);
          longName = type == 'L' ? body.replace("\0", "") : paxPath(body);
          continue;
        }
        Path target = (type == '0' || type == 0) ? wanted.get(name) : null;
        if (target != null) {
          try (OutputStream out = Files.newOutputStream(target)) {
            copy(in, out, size);
          }
          found.add(name);
          skip(in, pad(size));
        } else {
          skip(in, size + pad(size));
        }
        if (found.size() == wanted.size()) {
          break;
        }
      }
    }
    return found;
  }

  private static String headerName(byte[] h) {
    String name = text(h, 0, 100);
    boolean ustar = text(h, 257, 5).equals("ustar");
    String prefix = ustar ? text(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String paxPath(String records) {
    for (String record : records.split("\n")) {
      int eq = record.indexOf(" path=");
      if (eq >= 0) {
        return record.substring(eq + " path=".length());
      }
    }
    return null;
  }

  private static byte[] readBody(InputStream in, long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("tar header entry too large: " + size);
    }
    byte[] body = in.readNBytes((int) size);
    skip(in, pad(size));
    return body;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new IOException("tarball ends inside an entry");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void skip(InputStream in, long n) throws IOException {
    in.skipNBytes(n);
  }

  private static long pad(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static String text(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] b, int off, int len) {
    String s = text(b, off, len).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private NpmTarball() {}
}
