package io.stopsign.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Starts client work on a Vert.x context instead of the test's own thread: an HTTP request issued
 * from the JUnit thread was seen, rarely, never to complete while every event loop sat idle, and
 * Vert.x's advice is to drive its clients from a context.
 */
public final class OnContext {
  /** Runs {@code work} on {@code context} and completes with what it completes with. */
  public static <T> Future<T> call(Context context, Supplier<Future<T>> work) {
    return Future.future(p -> context.runOnContext(v -> work.get().onComplete(p)));
  }

  private OnContext() {}
}
