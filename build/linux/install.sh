#!/usr/bin/env sh
# Install Sinoru Desktop for the current user: the app stays in this folder; a menu entry,
# icons and the .sinoru file type are registered under ~/.local/share.
#   ./install.sh            install
#   ./install.sh --uninstall  remove the menu entry, icons and file type
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
BIN="$HOME/.local/bin"

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$DATA/applications/sinoru-desktop.desktop" "$BIN/sinoru-desktop" \
        "$DATA/mime/packages/sinoru-desktop.xml"
    find "$DATA/icons/hicolor" -name 'sinoru-desktop.*' -delete 2>/dev/null || true
    update-mime-database "$DATA/mime" 2>/dev/null || true
    update-desktop-database "$DATA/applications" 2>/dev/null || true
    echo "Sinoru Desktop menu entry removed. Delete $HERE to remove the app itself."
    exit 0
fi

mkdir -p "$DATA/applications" "$BIN" "$DATA/mime/packages"
cp -R "$HERE/share/icons" "$DATA/"
cp "$HERE/share/mime/packages/sinoru-desktop.xml" "$DATA/mime/packages/"
sed "s|^Exec=sinoru-desktop|Exec=\"$HERE/sinoru-desktop\"|" \
    "$HERE/share/applications/sinoru-desktop.desktop" \
    > "$DATA/applications/sinoru-desktop.desktop"
ln -sf "$HERE/sinoru-desktop" "$BIN/sinoru-desktop"
update-mime-database "$DATA/mime" 2>/dev/null || true
update-desktop-database "$DATA/applications" 2>/dev/null || true
gtk-update-icon-cache -q "$DATA/icons/hicolor" 2>/dev/null || true
echo "Sinoru Desktop installed: find it in your applications menu, or run 'sinoru-desktop'."
