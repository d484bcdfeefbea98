package io.stopsign.bus;

import io.vertx.core.eventbus.DeliveryOptions;

/** Every event-bus address of the service, in one place. */
public final class Addresses {
  private static final String ROOT = "stopsign.";

  /** For frames, detections and snapshots: never delivered to another JVM of the cluster. */
  public static DeliveryOptions local() {
    return new DeliveryOptions().setLocalOnly(true);
  }

  /** Scaled frames from decode to inference; local to the analyzer JVM. */
  public static String frames(String camera) {
    return ROOT + "frames." + camera;
  }

  /**
   * From inference to decode: when the detector expects to be free (System.nanoTime, a Long), so
   * decode scales only the frames it will take; local to the analyzer JVM.
   */
  public static String detectorFree(String camera) {
    return ROOT + "detector-free." + camera;
  }

  /** Detections from inference to tracking; local to the analyzer JVM. */
  public static String detections(String camera) {
    return ROOT + "detections." + camera;
  }

  /** Per-frame track metadata from tracking; cluster-wide (broadcast, persist). */
  public static String metadata(String camera) {
    return ROOT + "metadata." + camera;
  }

  /** Metadata of every camera, for consumers that want them all (broadcast, persist). */
  public static final String METADATA_ALL = ROOT + "metadata";

  /** Completed passes (PassEvent); request/reply to persistence (never dropped). */
  public static final String PASSES = ROOT + "passes";

  /** Passes (PassEvent) published for live consumers (WebSocket broadcast). */
  public static final String PASSES_LIVE = ROOT + "passes.live";

  /** Operational events (CameraEvent: source state changes); request/reply to persistence. */
  public static final String EVENTS = ROOT + "events";

  /** Session metrics (SessionSample), one per camera every few seconds. */
  public static final String SESSION_METRICS = ROOT + "session-metrics";

  /**
   * Snapshot requests to the camera's decoder (request/reply): a SnapshotRequest (seq, path) writes
   * the full-resolution frame {@code seq} as JPEG under the data directory and replies the path.
   */
  public static String snapshots(String camera) {
    return ROOT + "snapshots." + camera;
  }

  /**
   * The zone editor's still picture of a camera (request/reply, cluster-wide, answered by the
   * analyzer decoding it): any body in, the newest frame as JPEG (a Buffer) out, its size in the
   * {@link #FRAME_WIDTH_HEADER} and {@link #FRAME_HEIGHT_HEADER} headers. Only the encoded picture
   * crosses, on request; frames themselves never leave the analyzer.
   */
  public static String stillFrame(String camera) {
    return ROOT + "still-frame." + camera;
  }

  /** Width in raw camera pixels of a {@link #stillFrame} reply. */
  public static final String FRAME_WIDTH_HEADER = "stopsign-frame-width";

  /** Height in raw camera pixels of a {@link #stillFrame} reply. */
  public static final String FRAME_HEIGHT_HEADER = "stopsign-frame-height";

  /** Readiness reports of every node ({@link HealthReport}), read by the web nodes' /ready. */
  public static final String HEALTH = ROOT + "health";

  /** Camera configuration changed at run time (a JudgeConfig: zones, thresholds). */
  public static String cameraConfig(String camera) {
    return ROOT + "camera-config." + camera;
  }

  /**
   * Header on a {@link #cameraConfig} message carrying the zone editor's stored geometry: its
   * version (1, 2, ...); a message without it is the config file's (a reload).
   */
  public static final String GEOMETRY_VERSION_HEADER = "stopsign-geometry-version";

  /**
   * The zone editor's stored geometry of a camera (request/reply, answered by nodes with the
   * database): {@code {"camera"}} in, {@code {"camera", "version", "geometry"}} out, geometry null
   * when none is stored.
   */
  public static final String STORED_GEOMETRY = ROOT + "geometry.stored";

  private Addresses() {}
}
