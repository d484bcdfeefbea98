package io.stopsign.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SnapshotPathsTest {
  private final Path data = Path.of("/srv/stopsign/data");

  @Test
  @DisplayName("A relative .jpg path resolves inside the data directory")
  void inside() {
    assertThat(SnapshotPaths.resolve(data, "snapshots/cam1/a.jpg"))
        .isEqualTo(Path.of("/srv/stopsign/data/snapshots/cam1/a.jpg"));
    assertThat(SnapshotPaths.resolve(data, "snapshots/./cam1/../cam1/b.JPEG"))
        .isEqualTo(Path.of("/srv/stopsign/data/snapshots/cam1/b.JPEG"));
  }

  @Test
  @DisplayName(
      "Absolute paths, escapes, other extensions and empty paths are refused with a reason")
  void refused() {
    for (String bad :
        new String[] {"/etc/x.jpg", "../x.jpg", "snapshots/../../x.jpg", "a.png", "", " ", null}) {
      assertThatThrownBy(() -> SnapshotPaths.resolve(data, bad))
          .as(String.valueOf(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageMatching("(path .*|.*escapes.*)");
    }
  }
}
