package io.stopsign.codec;

import io.stopsign.bus.HealthReport;
import io.stopsign.bus.JsonCodec;
import io.stopsign.bus.LocalCodec;
import io.stopsign.inference.Detections;
import io.stopsign.media.Frame;
import io.stopsign.tracking.FrameMetadata;
import io.vertx.core.eventbus.EventBus;

/** Registers the codec of every message record; call once per node before deploying verticles. */
public final class Codecs {

  public static void register(EventBus bus) {
    bus.registerDefaultCodec(
        HealthReport.class,
        new JsonCodec<>(HealthReport.class, HealthReport::toJson, HealthReport::fromJson));
    bus.registerDefaultCodec(Frame.class, new LocalCodec<>(Frame.class));
    bus.registerDefaultCodec(Detections.class, new LocalCodec<>(Detections.class));
    bus.registerDefaultCodec(
        FrameMetadata.class,
        new JsonCodec<>(FrameMetadata.class, FrameMetadata::toJson, FrameMetadata::fromJson));
  }

  private Codecs() {}
}
