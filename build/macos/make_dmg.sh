#!/usr/bin/env bash
# Wrap a built .app into a compressed disk image with an Applications link (macOS only).
#
#   build/macos/make_dmg.sh "dist/pyi-dist/Sinoru Desktop.app" dist/sinoru-desktop-0.1.0-macos-arm64.dmg
set -euo pipefail

APP="${1:?usage: make_dmg.sh <path/to/App.app> <out.dmg>}"
OUT="${2:?usage: make_dmg.sh <path/to/App.app> <out.dmg>}"
[[ -d "$APP/Contents/MacOS" ]] || { echo "make_dmg.sh: not an app bundle: $APP" >&2; exit 2; }

STAGE="$(mktemp -d "${TMPDIR:-/tmp}/sinoru-dmg.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
# ditto keeps symlinks, extended attributes and code signatures intact.
ditto "$APP" "$STAGE/$(basename "$APP")"
ln -s /Applications "$STAGE/Applications"
rm -f "$OUT"
hdiutil create -volname "Sinoru Desktop" -srcfolder "$STAGE" -fs HFS+ \
    -format UDZO -imagekey zlib-level=9 -ov "$OUT"
hdiutil verify "$OUT"
echo "disk image: $OUT"
