package io.stopsign.persist;

import io.stopsign.judge.TrackState;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A batch of {@code detections} rows in columns, ready to bind as the arrays of one {@code INSERT
 * ... SELECT FROM unnest(...)}: one row per track state, det_idx = its index in the frame. Also
 * remembers the newest capture time per camera, frames without tracks included, for the db_write
 * staleness gauge.
 */
final class DetectionRows {
  /** Capture times outside this range are bad input (they would create absurd partitions). */
  private static final double MIN_TS = 946_684_800; // 2000-01-01

  private static final double MAX_TS = 4_102_444_800.0; // 2100-01-01

  final List<Long> tsMicros = new ArrayList<>();
  final List<String> camera = new ArrayList<>();
  final List<UUID> runId = new ArrayList<>();
  final List<Long> frame = new ArrayList<>();
  final List<Short> detIdx = new ArrayList<>();
  final List<Long> trackId = new ArrayList<>();
  final List<String> cls = new ArrayList<>();
  final List<Float> score = new ArrayList<>();
  final List<Float> x1 = new ArrayList<>();
  final List<Float> y1 = new ArrayList<>();
  final List<Float> x2 = new ArrayList<>();
  final List<Float> y2 = new ArrayList<>();
  final List<Float> speed = new ArrayList<>();
  final List<Float> direction = new ArrayList<>();
  final List<Boolean> parked = new ArrayList<>();
  final Map<String, Double> newestTs = new HashMap<>();

  int size() {
    return tsMicros.size();
  }

  /** Adds the rows of one frame; returns a reason when the frame is bad input, else null. */
  String add(FrameMetadata m) {
    if (m.camera() == null || m.camera().isBlank()) {
      return "frame without camera";
    }
    UUID run;
    try {
      run = UUID.fromString(String.valueOf(m.runId()));
    } catch (IllegalArgumentException e) {
      return "run_id is not a UUID: " + m.runId();
    }
    if (!(m.tsUtc() >= MIN_TS && m.tsUtc() < MAX_TS)) {
      return "ts_utc out of range (2000..2100): " + m.tsUtc();
    }
    for (TrackState t : m.tracks()) {
      if (t.cls() == null || t.cls().isEmpty()) {
        return "track " + t.id() + " without class";
      }
    }
    long micros = Math.round(m.tsUtc() * 1e6);
    List<TrackState> tracks = m.tracks();
    for (int i = 0; i < tracks.size() && i <= Short.MAX_VALUE; i++) {
      TrackState t = tracks.get(i);
      tsMicros.add(micros);
      camera.add(m.camera());
      runId.add(run);
      frame.add(m.frame());
      detIdx.add((short) i);
      trackId.add(t.id());
      cls.add(t.cls());
      score.add(t.score());
      x1.add(t.x1());
      y1.add(t.y1());
      x2.add(t.x2());
      y2.add(t.y2());
      speed.add(finite(t.speed()));
      direction.add(finite(t.direction()));
      parked.add(t.parked());
    }
    newestTs.merge(m.camera(), m.tsUtc(), Math::max);
    return null;
  }

  private static Float finite(double v) {
    return Double.isFinite(v) ? (float) v : null;
  }

  /** The UTC days the rows fall in: the partitions they need. */
  TreeSet<LocalDate> days() {
    TreeSet<LocalDate> days = new TreeSet<>();
    long last = Long.MIN_VALUE;
    for (long micros : tsMicros) {
      long day = Math.floorDiv(micros, 86_400_000_000L);
      if (day != last) {
        days.add(LocalDate.ofEpochDay(day));
        last = day;
      }
    }
    return days;
  }

  static OffsetDateTime toTime(long micros) {
    return Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
        .atOffset(ZoneOffset.UTC);
  }

  /** The 15 column arrays in the order of the detections INSERT. */
  Tuple tuple() {
    OffsetDateTime[] ts = new OffsetDateTime[size()];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = toTime(tsMicros.get(i));
    }
    return Tuple.wrap(
        List.of(
            ts,
            camera.toArray(new String[0]),
            runId.toArray(new UUID[0]),
            frame.toArray(new Long[0]),
            detIdx.toArray(new Short[0]),
            trackId.toArray(new Long[0]),
            cls.toArray(new String[0]),
            score.toArray(new Float[0]),
            x1.toArray(new Float[0]),
            y1.toArray(new Float[0]),
            x2.toArray(new Float[0]),
            y2.toArray(new Float[0]),
            speed.toArray(new Float[0]),
            direction.toArray(new Float[0]),
            parked.toArray(new Boolean[0])));
  }

  /** Appends another batch (spool replay merges consecutive batches into one statement). */
  void addAll(DetectionRows o) {
    tsMicros.addAll(o.tsMicros);
    camera.addAll(o.camera);
    runId.addAll(o.runId);
    frame.addAll(o.frame);
    detIdx.addAll(o.detIdx);
    trackId.addAll(o.trackId);
    cls.addAll(o.cls);
    score.addAll(o.score);
    x1.addAll(o.x1);
    y1.addAll(o.y1);
    x2.addAll(o.x2);
    y2.addAll(o.y2);
    speed.addAll(o.speed);
    direction.addAll(o.direction);
    parked.addAll(o.parked);
    o.newestTs.forEach((cam, ts) -> newestTs.merge(cam, ts, Math::max));
  }

  /** Columns as JSON arrays: the spool line. */
  JsonObject toJson() {
    JsonArray runs = new JsonArray();
    runId.forEach(u -> runs.add(u.toString()));
    return new JsonObject()
        .put("ts", new JsonArray(new ArrayList<>(tsMicros)))
        .put("camera", new JsonArray(new ArrayList<>(camera)))
        .put("run_id", runs)
        .put("frame", new JsonArray(new ArrayList<>(frame)))
        .put("det_idx", new JsonArray(new ArrayList<>(detIdx)))
        .put("track_id", new JsonArray(new ArrayList<>(trackId)))
        .put("cls", new JsonArray(new ArrayList<>(cls)))
        .put("score", new JsonArray(new ArrayList<>(score)))
        .put("x1", new JsonArray(new ArrayList<>(x1)))
        .put("y1", new JsonArray(new ArrayList<>(y1)))
        .put("x2", new JsonArray(new ArrayList<>(x2)))
        .put("y2", new JsonArray(new ArrayList<>(y2)))
        .put("speed", new JsonArray(new ArrayList<>(speed)))
        .put("direction", new JsonArray(new ArrayList<>(direction)))
        .put("parked", new JsonArray(new ArrayList<>(parked)))
        .put("newest", new JsonObject(new HashMap<>(newestTs)));
  }

  static DetectionRows fromJson(JsonObject j) {
    DetectionRows r = new DetectionRows();
    int n = j.getJsonArray("ts").size();
    for (int i = 0; i < n; i++) {
      r.tsMicros.add(j.getJsonArray("ts").getLong(i));
      r.camera.add(j.getJsonArray("camera").getString(i));
      r.runId.add(UUID.fromString(j.getJsonArray("run_id").getString(i)));
      r.frame.add(j.getJsonArray("frame").getLong(i));
      r.detIdx.add(j.getJsonArray("det_idx").getInteger(i).shortValue());
      r.trackId.add(j.getJsonArray("track_id").getLong(i));
      r.cls.add(j.getJsonArray("cls").getString(i));
      r.score.add(j.getJsonArray("score").getFloat(i));
      r.x1.add(j.getJsonArray("x1").getFloat(i));
      r.y1.add(j.getJsonArray("y1").getFloat(i));
      r.x2.add(j.getJsonArray("x2").getFloat(i));
      r.y2.add(j.getJsonArray("y2").getFloat(i));
      r.speed.add(j.getJsonArray("speed").getFloat(i));
      r.direction.add(j.getJsonArray("direction").getFloat(i));
      r.parked.add(j.getJsonArray("parked").getBoolean(i));
    }
    j.getJsonObject("newest", new JsonObject())
        .forEach(e -> r.newestTs.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
    return r;
  }
}
