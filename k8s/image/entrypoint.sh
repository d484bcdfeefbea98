#!/bin/sh
# The image's entrypoint (Dockerfile: /app/entrypoint.sh); ImageEntrypointTest runs this same file
# outside a container. Layout beside it: stopsign.jar, lib/, models/ (baked by bake-model.sh).
# The root filesystem is read-only in the pod: everything written at run time goes under $TMPDIR
# (an emptyDir: ONNX Runtime, TensorFlow and FFmpeg unpack their native libraries there) or data_dir.
set -eu
case "$0" in */*) app="${0%/*}" ;; *) app=. ;; esac
scratch="${TMPDIR:-/tmp}"
# The baked default model; ModelFetcher only re-checks its sha256 there, so npm is never needed.
export STOPSIGN_MODEL_CACHE="${STOPSIGN_MODEL_CACHE:-$app/models}"
# Heap share of the container's memory limit; analyzers lower it, their tensors and frames are native.
heap="${STOPSIGN_HEAP_PERCENT:-70}"
# JAVA_OPTS is split on spaces on purpose: extra JVM flags from the pod spec.
# shellcheck disable=SC2086
exec java -XX:MaxRAMPercentage="$heap" -XX:+ExitOnOutOfMemoryError \
  -Djava.io.tmpdir="$scratch" -Duser.home="$scratch/home" \
  ${JAVA_OPTS:-} -jar "$app/stopsign.jar" "$@"
