#!/usr/bin/env bash
# Build the Linux release of Sinoru Desktop from this checkout, in a clean virtual environment.
#
#   build/build_linux.sh    # -> dist/sinoru-desktop-<version>-linux-<arch>.tar.gz (+ .sha256)
#
# The tarball holds the onedir bundle, a .desktop entry, icons, the .sinoru MIME type and
# install.sh (registers the menu entry for the current user). Then smoke-test the bundle:
#   build/smoke_test.sh dist/pyi-dist/sinoru-desktop/sinoru-desktop
# Environment: see build/build_bundle.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="${SINORU_DIST:-$ROOT/dist}"
export SINORU_DIST="$DIST"

"$ROOT/build/build_bundle.sh"

APP="$DIST/pyi-dist/sinoru-desktop"
VERSION="$("$DIST/venv/bin/python" -c 'import analysis; print(analysis.__version__)')"
NAME="sinoru-desktop-$VERSION-linux-$(uname -m)"
STAGE="$DIST/stage/$NAME"
printf '\n== Packaging %s.tar.gz\n' "$NAME"
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
rm -rf "$DIST/stage"

du -sh "$APP" "$TARBALL"
echo "bundle:  $APP"
echo "tarball: $TARBALL"
echo "next:    build/smoke_test.sh $APP/sinoru-desktop"
