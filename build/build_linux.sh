#!/usr/bin/env bash
# Build the Linux bundle of Sinoru Desktop from this checkout, in a clean virtual environment.
#
#   build/build_linux.sh            # -> dist/sinoru-desktop-<version>-linux-<arch>.tar.gz
#
# Everything it makes goes under dist/ (or $SINORU_DIST): the build venv, PyInstaller's work
# folder, the onedir bundle and the tarball. build/ keeps only sources.
#
# Environment: PYTHON (default python3, 3.11 or newer), SINORU_DIST (default <repo>/dist),
# SINORU_REUSE_VENV=1 to keep an existing build venv instead of recreating it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${SINORU_DIST:-$ROOT/dist}"
PYTHON="${PYTHON:-python3}"
VENV="$DIST/venv"
SRC="$DIST/src"
WORK="$DIST/pyi-work"
BUNDLES="$DIST/pyi-dist"
ARCH="$(uname -m)"

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
    --exclude=./.venv --exclude=./venv -cf - . | tar -C "$SRC" -xf -
rm -rf "$SRC/build/lib" "$SRC/build/bdist."*
"$VENV/bin/python" -m pip install --quiet "$SRC" -r "$ROOT/build/requirements-build.txt"

log "Checking the build environment"
"$VENV/bin/python" - <<'EOF'
import importlib.util
import sys

others = [m for m in ("PyQt5", "PyQt6", "PySide2") if importlib.util.find_spec(m)]
if others:
    sys.exit(f"more than one Qt binding in the build venv: PySide6 and {', '.join(others)}")
if importlib.util.find_spec("nltk"):
    sys.exit("nltk is installed: textstat must be 0.7.8 (nltk downloads data at run time)")
import PySide6
import textstat  # noqa: F401
print(f"PySide6 {PySide6.__version__}; Python {sys.version.split()[0]}")
EOF

VERSION="$("$VENV/bin/python" -c 'import analysis; print(analysis.__version__)')"
log "PyInstaller (Sinoru $VERSION, $ARCH)"
"$VENV/bin/pyinstaller" "$ROOT/build/sinoru.spec" --noconfirm --clean \
    --workpath "$WORK" --distpath "$BUNDLES" --log-level WARN

APP="$BUNDLES/sinoru-desktop"
"$APP/sinoru-desktop" --version

log "Packaging the tarball"
NAME="sinoru-desktop-$VERSION-linux-$ARCH"
STAGE="$DIST/stage/$NAME"
rm -rf "$DIST/stage"
mkdir -p "$STAGE"
cp -a "$APP/." "$STAGE/"
install -Dm644 "$ROOT/build/linux/sinoru-desktop.desktop" \
    "$STAGE/share/applications/sinoru-desktop.desktop"
install -Dm644 "$ROOT/build/linux/sinoru-project.xml" \
    "$STAGE/share/mime/packages/sinoru-desktop.xml"
for png in "$ROOT"/resources/icons/sinoru-*.png; do
    [[ -e "$png" ]] || continue
    size="${png##*/sinoru-}"; size="${size%.png}"
    install -Dm644 "$png" "$STAGE/share/icons/hicolor/${size}x${size}/apps/sinoru-desktop.png"
done
if [[ -e "$ROOT/resources/icons/sinoru.svg" ]]; then
    install -Dm644 "$ROOT/resources/icons/sinoru.svg" \
        "$STAGE/share/icons/hicolor/scalable/apps/sinoru-desktop.svg"
fi
install -Dm755 "$ROOT/build/linux/install.sh" "$STAGE/install.sh"
TARBALL="$DIST/$NAME.tar.gz"
tar -C "$DIST/stage" -czf "$TARBALL" "$NAME"
(cd "$DIST" && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")

log "Done"
du -sh "$APP" "$TARBALL"
echo "bundle:  $APP"
echo "tarball: $TARBALL"
echo "smoke test: build/smoke_test.sh \"$APP/sinoru-desktop\""
