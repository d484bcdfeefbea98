package io.stopsign.inference;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads chosen entries out of a .tgz (commons-compress: ustar, pax, GNU) without unpacking it. */
final class NpmTarball {

  /** Copies each wanted regular file to its target; returns the entry names that were found. */
  static Set<String> extract(Path tgz, Map<String, Path> wanted) throws IOException {
    Set<String> found = new HashSet<>();
    try (InputStream gz =
            new BufferedInputStream(new GZIPInputStream(Files.newInputStream(tgz), 1 << 16));
        TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
      TarArchiveEntry entry;
      while (found.size() < wanted.size() && (entry = tar.getNextEntry()) != null) {
        Path target = entry.isFile() ? wanted.get(entry.getName()) : null;
        if (target != null) {
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          found.add(entry.getName());
        }
      }
    }
    return found;
  }

  private NpmTarball() {}
}
