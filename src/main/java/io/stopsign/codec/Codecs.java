package io.stopsign.codec;

import io.stopsign.bus.HealthReport;
import io.stopsign.bus.JsonCodec;
import io.stopsign.bus.LocalCodec;
import io.stopsign.camera.JudgeConfig;
import io.stopsign.inference.Detections;
import io.stopsign.judge.PassEvent;
import io.stopsign.media.Frame;
import io.stopsign.media.SnapshotRequest;
import io.stopsign.ops.CameraEvent;
import io.stopsign.ops.SessionSample;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Registers the codec of every message record; call once per node before deploying verticles. */
public final class Codecs {

  public static void register(EventBus bus) {
    all().forEach((type, codec) -> registerOne(bus, type, codec));
  }

  /**
   * Every message record and its codec: JSON for what may cross JVMs, local-only for frames and
   * detections (their codec refuses the wire).
   */
  public static Map<Class<?>, MessageCodec<?, ?>> all() {
    Map<Class<?>, MessageCodec<?, ?>> codecs = new LinkedHashMap<>();
    codecs.put(
        HealthReport.class,
        new JsonCodec<>(HealthReport.class, HealthReport::toJson, HealthReport::fromJson));
    codecs.put(Frame.class, new LocalCodec<>(Frame.class));
    codecs.put(Detections.class, new LocalCodec<>(Detections.class));
    codecs.put(
        FrameMetadata.class,
        new JsonCodec<>(FrameMetadata.class, FrameMetadata::toJson, FrameMetadata::fromJson));
    codecs.put(
        PassEvent.class, new JsonCodec<>(PassEvent.class, PassEvent::toJson, PassEvent::fromJson));
    codecs.put(
        CameraEvent.class,
        new JsonCodec<>(CameraEvent.class, CameraEvent::toJson, CameraEvent::fromJson));
    codecs.put(
        SessionSample.class,
        new JsonCodec<>(SessionSample.class, SessionSample::toJson, SessionSample::fromJson));
    codecs.put(
        SnapshotRequest.class,
        new JsonCodec<>(SnapshotRequest.class, SnapshotRequest::toJson, SnapshotRequest::fromJson));
    codecs.put(
        JudgeConfig.class,
        new JsonCodec<>(JudgeConfig.class, JudgeConfig::toJson, JudgeConfig::fromJson));
    return codecs;
  }

  @SuppressWarnings("unchecked")
  private static <T> void registerOne(EventBus bus, Class<?> type, MessageCodec<?, ?> codec) {
    bus.registerDefaultCodec((Class<T>) type, (MessageCodec<T, ?>) codec);
  }

  private Codecs() {}
}
