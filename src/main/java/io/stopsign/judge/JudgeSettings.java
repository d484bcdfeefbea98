package io.stopsign.judge;

import io.stopsign.camera.JudgeConfig;

/**
 * What a camera's judge runs with: the config file's zones and thresholds (replaced by each
 * reload), with the zone editor's stored geometry, once there is one, over the file's geometry.
 * Stored geometries come with a version and an older one never replaces a newer one (a start-up
 * lookup answered after a save).
 */
public final class JudgeSettings {
  private JudgeConfig file;
  private JudgeConfig stored;
  private long storedVersion;

  public JudgeSettings(JudgeConfig file) {
    this.file = file;
  }

  /** The config the judge should use now. */
  public JudgeConfig current() {
    return stored == null ? file : file.withStoredGeometry(stored);
  }

  /** A config file reload: its thresholds always, its geometry only while none is stored. */
  public JudgeConfig fromFile(JudgeConfig update) {
    file = update;
    return current();
  }

  /**
   * The zone editor's geometry (its thresholds are ignored: the file's apply).
   *
   * @return the new config, or null when {@code version} is not newer than the one held
   */
  public JudgeConfig stored(JudgeConfig geometry, long version) {
    if (version <= storedVersion) {
      return null;
    }
    stored = geometry;
    storedVersion = version;
    return current();
  }

  public long storedVersion() {
    return storedVersion;
  }
}
