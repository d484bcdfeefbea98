package io.stopsign.inference;

import java.util.Arrays;

/** A model that cannot be used: its one-line message names the path and what was expected. */
public final class ModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The model failed its trial run on zeros of {@code shape}. */
  static ModelException doesNotRun(String source, long[] shape, Throwable cause) {
    return new ModelException(
        source
            + ": does not run on input "
            + Arrays.toString(shape)
            + " ("
            + firstLine(cause)
            + ")",
        cause);
  }

  /** The first line of a native library's message, which is often long. */
  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.length() > 300 ? m.substring(0, 300) + "..." : m;
  }
}
