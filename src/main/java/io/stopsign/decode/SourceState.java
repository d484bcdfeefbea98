package io.stopsign.decode;

import io.stopsign.camera.SourceNames;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;

/**
 * What the readiness check says about one camera: UP when a frame came within the staleness limit;
 * otherwise DOWN, with the state of the source and why. Written by the decode thread, read by the
 * health check on an event loop.
 */
public final class SourceState {
  /** The life of a camera source, as shown in readiness data and events. */
  public enum State {
    CONNECTING,
    STREAMING,
    RECONNECTING,
    ENDED,
    STOPPED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String source;
  private final long staleNanos;
  private volatile State state = State.CONNECTING;
  private volatile String reason = "";
  private volatile double lastFrameTsUtc = Double.NaN;
  private volatile long lastFrameNanos;
  private volatile String runId = "";

  public SourceState(String source, long staleNanos) {
    this.source = source;
    this.staleNanos = staleNanos;
  }

  void set(State newState, String newReason) {
    state = newState;
    reason = newReason == null ? "" : newReason;
  }

  void frame(double tsUtc) {
    lastFrameTsUtc = tsUtc;
    lastFrameNanos = System.nanoTime();
  }

  void runId(String id) {
    runId = id;
  }

  /** The current decode session's run id; empty before the first connection. */
  public String runId() {
    return runId;
  }

  /** The source as configured, without any password. */
  public String source() {
    return source;
  }

  public State state() {
    return state;
  }

  public String reason() {
    return reason;
  }

  public double lastFrameTsUtc() {
    return lastFrameTsUtc;
  }

  /** True when a frame came within the staleness limit. */
  public boolean fresh() {
    long at = lastFrameNanos;
    return at != 0 && System.nanoTime() - at <= staleNanos;
  }

  /** The readiness status of the camera. */
  public Status status() {
    JsonObject data =
        new JsonObject()
            .put("state", state.label())
            // /ready is open to probes: show the source as /api/cameras does
            .put("source", SourceNames.shown(source))
            .put("run_id", runId)
            .put("last_frame_ts_utc", Double.isNaN(lastFrameTsUtc) ? null : lastFrameTsUtc);
    boolean up = fresh();
    if (!up) {
      data.put(
          "reason",
          reason.isEmpty()
              ? "no frame in the last " + staleNanos / 1_000_000_000 + " s"
              : SourceNames.scrub(reason, source));
    }
    return up ? Status.OK(data) : Status.KO(data);
  }
}
