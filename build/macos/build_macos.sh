#!/usr/bin/env bash
# Build the macOS release of Sinoru Desktop for this Mac's architecture (Intel or Apple
# Silicon: numpy, scipy and scikit-learn ship no universal2 wheels, so one app per arch).
#
#   build/macos/build_macos.sh   # -> dist/sinoru-desktop-<version>-macos-<arch>.dmg
#
# Signs the app and the disk image and notarizes it when the secrets are set (see
# sign_and_notarize.sh; run its `keychain` step first). Environment: see build/build_bundle.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIST="${SINORU_DIST:-$ROOT/dist}"
ARCH="${SINORU_TARGET_ARCH:-$(uname -m)}"
export SINORU_DIST="$DIST" SINORU_TARGET_ARCH="$ARCH"

"$ROOT/build/build_bundle.sh"

APP="$DIST/pyi-dist/Sinoru Desktop.app"
VERSION="$("$DIST/venv/bin/python" -c 'import analysis; print(analysis.__version__)')"
plutil -lint "$APP/Contents/Info.plist"
"$ROOT/build/macos/sign_and_notarize.sh" app "$APP"
DMG="$DIST/sinoru-desktop-$VERSION-macos-$ARCH.dmg"
"$ROOT/build/macos/make_dmg.sh" "$APP" "$DMG"
"$ROOT/build/macos/sign_and_notarize.sh" dmg "$DMG"
(cd "$DIST" && shasum -a 256 "$(basename "$DMG")" > "$(basename "$DMG").sha256")
echo "disk image: $DMG"
