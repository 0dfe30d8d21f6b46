#!/usr/bin/env bash
# Code signing and notarization for the macOS build; each step is skipped, with a notice,
# when its secrets are absent, so unsigned test builds still work.
#
#   sign_and_notarize.sh keychain          import the Developer ID certificate into a temporary
#                                          keychain; prints SINORU_CODESIGN_IDENTITY=... (and
#                                          appends it to $GITHUB_ENV on GitHub Actions)
#   sign_and_notarize.sh app  <App.app>    sign the app bundle (hardened runtime, timestamp)
#   sign_and_notarize.sh dmg  <file.dmg>   sign the disk image, notarize it, staple the ticket
#
# Secrets (environment):
#   MACOS_CERT_P12_BASE64, MACOS_CERT_PASSWORD   Developer ID Application certificate (.p12)
#   SINORU_CODESIGN_IDENTITY                     identity name (set by `keychain`)
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD  notarization (app-specific password)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ENTITLEMENTS="$HERE/entitlements.plist"

skip() { echo "sign_and_notarize.sh: $*; skipping" >&2; exit 0; }

cmd_keychain() {
    [[ -n "${MACOS_CERT_P12_BASE64:-}" ]] || skip "no MACOS_CERT_P12_BASE64"
    local keychain="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/sinoru-signing.keychain-db"
    local keychain_password p12 identity
    keychain_password="$(uuidgen)"
    p12="$(mktemp "${TMPDIR:-/tmp}/sinoru-cert.XXXXXX")"
    printf '%s' "$MACOS_CERT_P12_BASE64" | base64 --decode > "$p12"
    security create-keychain -p "$keychain_password" "$keychain"
    security set-keychain-settings -lut 21600 "$keychain"
    security unlock-keychain -p "$keychain_password" "$keychain"
    security import "$p12" -k "$keychain" -P "${MACOS_CERT_PASSWORD:-}" -T /usr/bin/codesign
    rm -f "$p12"
    security set-key-partition-list -S apple-tool:,apple: -s -k "$keychain_password" "$keychain"
    # Put the new keychain first in the search list, keeping the existing ones.
    # shellcheck disable=SC2046  # the list is one path per word
    security list-keychains -d user -s "$keychain" $(security list-keychains -d user | tr -d '"')
    identity="$(security find-identity -v -p codesigning "$keychain" \
        | sed -n 's/.*"\(Developer ID Application:.*\)"/\1/p' | head -n 1)"
    [[ -n "$identity" ]] || { echo "no Developer ID Application identity in the certificate" >&2; exit 1; }
    echo "SINORU_CODESIGN_IDENTITY=$identity"
    if [[ -n "${GITHUB_ENV:-}" ]]; then
        echo "SINORU_CODESIGN_IDENTITY=$identity" >> "$GITHUB_ENV"
    fi
}

cmd_app() {
    local app="${1:?usage: sign_and_notarize.sh app <App.app>}"
    [[ -n "${SINORU_CODESIGN_IDENTITY:-}" ]] || skip "no SINORU_CODESIGN_IDENTITY"
    # PyInstaller already signed every binary inside (codesign_identity in the spec);
    # sign the bundle itself last, then check the whole tree.
    codesign --force --options runtime --timestamp --entitlements "$ENTITLEMENTS" \
        --sign "$SINORU_CODESIGN_IDENTITY" "$app"
    codesign --verify --deep --strict --verbose=2 "$app"
}

cmd_dmg() {
    local dmg="${1:?usage: sign_and_notarize.sh dmg <file.dmg>}"
    [[ -n "${SINORU_CODESIGN_IDENTITY:-}" ]] || skip "no SINORU_CODESIGN_IDENTITY"
    codesign --force --timestamp --sign "$SINORU_CODESIGN_IDENTITY" "$dmg"
    if [[ -z "${APPLE_ID:-}" || -z "${APPLE_TEAM_ID:-}" || -z "${APPLE_APP_PASSWORD:-}" ]]; then
        skip "no APPLE_ID / APPLE_TEAM_ID / APPLE_APP_PASSWORD: signed but not notarized"
    fi
    xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
        --password "$APPLE_APP_PASSWORD" --wait --timeout 30m
    xcrun stapler staple "$dmg"
    xcrun stapler validate "$dmg"
    spctl --assess --type open --context context:primary-signature --verbose=2 "$dmg"
}

case "${1:-}" in
    keychain) cmd_keychain ;;
    app) shift; cmd_app "$@" ;;
    dmg) shift; cmd_dmg "$@" ;;
    *) echo "usage: sign_and_notarize.sh keychain | app <App.app> | dmg <file.dmg>" >&2; exit 2 ;;
esac
