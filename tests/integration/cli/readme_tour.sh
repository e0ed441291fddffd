#!/usr/bin/env bash
# Runs the README's "A tour of the CLI" block as written (without the final `serve`, which
# does not return), against the built controller, in a fresh state dir.
set -euo pipefail
source_dir="$1"
build_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
awk '/^## A tour of the CLI/ { tour = 1 } tour && /^```sh$/ { inside = 1; next }
     inside && /^```$/ { exit } inside { print }' "$source_dir/README.md" |
  grep -v ' serve --state-dir' >"$work/tour.sh"
[[ -s "$work/tour.sh" ]] || { echo "no tour block found in README.md" >&2; exit 1; }
mkdir -p "$work/build"
ln -s "$build_dir/vantus-controller" "$work/build/vantus-controller"
cd "$work"
TMPDIR="$work" bash -euo pipefail "$work/tour.sh"
echo "the README tour ran top to bottom"
