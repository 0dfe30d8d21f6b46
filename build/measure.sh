#!/usr/bin/env bash
# Measure a built Linux bundle: size on disk, tarball size, and whole-process start-up
# times (cold cache is approximated by a fresh empty HOME for every run; the OS file cache
# stays warm after the first run, as on a user's machine after the first launch).
#
#   build/measure.sh [path/to/sinoru-desktop]    # needs hyperfine (apt-get install hyperfine)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP="${1:-$ROOT/dist/pyi-dist/sinoru-desktop/sinoru-desktop}"
RUNS="${SINORU_MEASURE_RUNS:-10}"
DIR="$(dirname "$APP")"
HOMES="$(mktemp -d "${TMPDIR:-/tmp}/sinoru-measure.XXXXXX")"
trap 'rm -rf "$HOMES"' EXIT

echo "== size"
du -sh --apparent-size "$DIR" | sed 's/^/bundle (apparent): /'
du -sh "$DIR" | sed 's/^/bundle (on disk):  /'
echo "files: $(find "$DIR" -type f | wc -l)"
for tarball in "$ROOT"/dist/sinoru-desktop-*-linux-*.tar.gz; do
    [[ -e "$tarball" ]] && du -h "$tarball"
done
echo "largest parts of _internal:"
du -s "$DIR/_internal"/* | sort -n | tail -8 | awk '{printf "  %6.1f MB  %s\n", $1/1024, $2}' \
    | sed "s|$DIR/_internal/||"

# Every run gets an empty HOME: no settings, no matplotlib font cache, as on first launch.
fresh="env -u DISPLAY -u QT_QPA_PLATFORM HOME=$HOMES/h\$RANDOM"
echo "== --version (whole process, $RUNS runs)"
hyperfine --shell=bash --warmup 1 --runs "$RUNS" --export-markdown "$HOMES/version.md" \
    "$fresh '$APP' --version" >/dev/null
cat "$HOMES/version.md"
echo "== --self-test (whole process, offscreen, $((RUNS / 2)) runs)"
hyperfine --shell=bash --warmup 1 --runs "$((RUNS / 2))" --export-markdown "$HOMES/selftest.md" \
    "$fresh '$APP' --self-test" >/dev/null
cat "$HOMES/selftest.md"
