package io.stopsign.cluster;

/** The cluster could not be joined at start-up (port taken, bad address): one line, exit 1. */
public final class ClusterStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterStartException(ClusterConfig config, Throwable cause) {
    super(
        "cluster: cannot start on "
            + config.host()
            + ":"
            + config.port()
            + " (event bus port "
            + config.eventBusPort()
            + "): "
            + rootMessage(cause),
        cause);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
