package io.stopsign.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Codec for immutable records that never leave the JVM: delivery hands over the same object, no
 * copy, no JSON. Sending one across the cluster fails loudly instead of silently serialising
 * pixels.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private final Class<T> type;

  public LocalCodec(Class<T> type) {
    this.type = type;
  }

  @Override
  public void encodeToWire(Buffer buffer, T item) {
    throw new UnsupportedOperationException(
        type.getSimpleName()
            + " is local to its JVM and never crosses the cluster: decode, inference and tracking"
            + " of a camera run in one analyzer");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(
        type.getSimpleName()
            + " is local to its JVM and never crosses the cluster: decode, inference and tracking"
            + " of a camera run in one analyzer");
  }

  @Override
  public T transform(T item) {
    return item;
  }

  @Override
  public String name() {
    return "local." + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
