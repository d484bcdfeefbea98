package io.stopsign;

import io.stopsign.camera.CameraConfig;
import io.stopsign.camera.PlaybackUrls;
import io.stopsign.clips.ClipConfig;
import io.stopsign.cluster.ClusterConfig;
import io.stopsign.config.ConfigException;
import io.stopsign.config.ConfigReader;
import io.stopsign.inference.ModelConfig;
import io.stopsign.ops.DiskConfig;
import io.stopsign.persist.DbConfig;
import io.stopsign.tracking.TrackerConfig;
import io.stopsign.web.HttpConfig;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The whole validated configuration; each section is parsed by its stage's own record. */
public record StopSignConfig(
    HttpConfig http,
    Path dataDir,
    DbConfig db,
    String mediamtxBaseUrl,
    String mediamtxWebrtcUrl,
    ModelConfig model,
    ZoneId timezone,
    Set<String> roles,
    QueueConfig queues,
    TrackerConfig tracker,
    DiskConfig disk,
    ClipConfig clips,
    ClusterConfig cluster,
    OtelConfig otel,
    WatchdogConfig watchdog,
    List<CameraConfig> cameras) {

  public static final List<String> ROLES = List.of("all", "analyzer", "persist", "web");

  /** Where the page plays the cameras: MediaMTX's HLS and WebRTC, or the embedded HLS. */
  public PlaybackUrls playback() {
    return PlaybackUrls.of(mediamtxBaseUrl, mediamtxWebrtcUrl);
  }

  public boolean hasRole(String role) {
    return roles.contains("all") || roles.contains(role);
  }

  public static StopSignConfig from(ConfigReader r) {
    HttpConfig http = HttpConfig.from(r.section("http"));
    Path dataDir = Path.of(r.string("data_dir", "./data"));
    DbConfig db = DbConfig.from(r.section("db"));
    ConfigReader mediamtx = r.section("mediamtx");
    String mediamtxBaseUrl = mediamtx.string("base_url", "");
    String mediamtxWebrtcUrl = mediamtx.string("webrtc_url", "");
    mediamtx.done();
    ModelConfig model = ModelConfig.from(r.section("model"));
    String zone = r.string("timezone", "UTC");
    ZoneId timezone;
    try {
      timezone = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new ConfigException("timezone", zone, "must be an IANA time zone such as Europe/Paris");
    }
    List<String> roleList = r.strings("roles", List.of("all"));
    for (String role : roleList) {
      if (!ROLES.contains(role)) {
        throw new ConfigException("roles", role, "allowed: " + String.join(", ", ROLES));
      }
    }
    QueueConfig queues = QueueConfig.from(r.section("queues"));
    TrackerConfig tracker = TrackerConfig.from(r.section("tracker"), model.family());
    DiskConfig disk = DiskConfig.from(r.section("disk"));
    ClipConfig clips = ClipConfig.from(r.section("clips"));
    ClusterConfig cluster = ClusterConfig.from(r.section("cluster"));
    OtelConfig otel = OtelConfig.from(r.section("otel"));
    WatchdogConfig watchdog = WatchdogConfig.from(r.section("watchdog"));
    List<CameraConfig> cameras = r.sections("cameras").stream().map(CameraConfig::from).toList();
    Set<String> ids = new HashSet<>();
    for (CameraConfig camera : cameras) {
      if (!ids.add(camera.id())) {
        throw new ConfigException("cameras", camera.id(), "camera ids must be unique");
      }
    }
    r.done();
    return new StopSignConfig(
        http,
        dataDir,
        db,
        mediamtxBaseUrl,
        mediamtxWebrtcUrl,
        model,
        timezone,
        Set.copyOf(roleList),
        queues,
        tracker,
        disk,
        clips,
        cluster,
        otel,
        watchdog,
        cameras);
  }
}
