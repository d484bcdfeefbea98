package io.stopsign.cluster;

import io.vertx.core.Future;

/** Starts and stops the analysis of one camera on this node (decode, inference, tracking). */
public interface CameraPipelines {
  Future<Void> start(String camera);

  Future<Void> stop(String camera);
}
