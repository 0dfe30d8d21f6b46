#!/usr/bin/env bash
# Build the PyInstaller onedir bundle (Linux or macOS) from this checkout in a clean venv.
# build_linux.sh and macos/build_macos.sh call it, then package what it made.
#
#   build/build_bundle.sh     # -> dist/pyi-dist/sinoru-desktop/ (macOS: also "Sinoru Desktop.app")
#
# Everything goes under dist/ (or $SINORU_DIST): the build venv, a copy of the sources,
# PyInstaller's work folder and the bundle. build/ keeps only sources.
# Environment: PYTHON (default python3, 3.11+), SINORU_DIST, SINORU_REUSE_VENV=1 (keep an
# existing build venv), SINORU_TARGET_ARCH and SINORU_CODESIGN_IDENTITY (macOS, see the spec).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${SINORU_DIST:-$ROOT/dist}"
PYTHON="${PYTHON:-python3}"
VENV="$DIST/venv"
SRC="$DIST/src"

log() { printf '\n== %s\n' "$*"; }

mkdir -p "$DIST"
log "Clean build environment: $VENV"
if [[ "${SINORU_REUSE_VENV:-0}" != 1 || ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv --clear "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip

# Install from a copy of the tree: setuptools writes its own build/ folder into the source
# tree, and build/ here must hold only our sources.
log "Installing Sinoru and PyInstaller"
rm -rf "$SRC"
mkdir -p "$SRC"
tar -C "$ROOT" --exclude=./dist --exclude=./.git --exclude='*/__pycache__' \
    --exclude=./.venv --exclude=./venv --exclude=./build/lib -cf - . | tar -C "$SRC" -xf -
"$VENV/bin/python" -m pip install --quiet "$SRC" -r "$ROOT/build/requirements-build.txt"
"$VENV/bin/python" "$ROOT/build/check_build_env.py"

log "PyInstaller"
"$VENV/bin/pyinstaller" "$ROOT/build/sinoru.spec" --noconfirm --clean \
    --workpath "$DIST/pyi-work" --distpath "$DIST/pyi-dist" --log-level WARN
"$DIST/pyi-dist/sinoru-desktop/sinoru-desktop" --version

# The size budget (docs/packaging.md): fail the build rather than ship a bloated bundle.
BUDGET_MB="${SINORU_SIZE_BUDGET_MB:-520}"
SIZE_MB="$(du -sm "$DIST/pyi-dist/sinoru-desktop" | cut -f1)"
echo "bundle size: $SIZE_MB MB (budget $BUDGET_MB MB)"
if (( SIZE_MB > BUDGET_MB )); then
    echo "the bundle is over its size budget: see docs/packaging.md" >&2
    exit 1
fi
