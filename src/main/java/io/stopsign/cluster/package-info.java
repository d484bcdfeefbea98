/**
 * Clustering: the cluster config, Hazelcast's member settings, this node's view of the cluster and
 * the camera leases. Imports bus, config and ops; starts cameras through {@link
 * io.stopsign.cluster.CameraPipelines}, which the root package implements.
 */
package io.stopsign.cluster;
