#!/usr/bin/env bash
# Smoke-test a built Sinoru Desktop bundle the way a first launch would run it.
#
#   build/smoke_test.sh [path/to/sinoru-desktop]      # default: dist/pyi-dist/sinoru-desktop/
#
# 1. `--version` answers.
# 2. `--self-test` with no display and no QT_QPA_PLATFORM (it must go offscreen by itself),
#    with a fresh empty home folder, and with no network when `unshare -n` is allowed.
# 3. `--self-test` under a real X server (Xvfb, needs `xvfb-run`: apt-get install xvfb).
# 4. With SINORU_SCREENSHOT=out.png: opens the demo project under Xvfb and saves a
#    screenshot of the screen (needs ImageMagick's `import`).
#
# Exits non-zero on the first failure. Linux only (Windows and macOS: see release.yml).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP="${1:-$ROOT/dist/pyi-dist/sinoru-desktop/sinoru-desktop}"
[[ -x "$APP" ]] || { echo "smoke test: no executable at $APP (build it first)" >&2; exit 2; }

SANDBOX="$(mktemp -d "${TMPDIR:-/tmp}/sinoru-smoke.XXXXXX")"
trap 'rm -rf "$SANDBOX"' EXIT

# A first launch: empty home, no caches, no display, no Qt platform chosen.
fresh() {
    local home="$SANDBOX/home-$RANDOM"
    mkdir -p "$home"
    env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM -u MPLBACKEND -u MPLCONFIGDIR \
        -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u XDG_DATA_HOME -u PYTHONPATH -u PYTHONHOME \
        HOME="$home" "$@"
}

step() { printf '%-34s ' "$1"; }

step "--version"
out="$(fresh "$APP" --version)"
echo "$out"
[[ "$out" == "Sinoru Desktop "* ]] || { echo "unexpected --version output" >&2; exit 1; }

step "--self-test (offscreen)"
fresh "$APP" --self-test

if unshare -n true 2>/dev/null; then
    step "--self-test (offscreen, no network)"
    fresh unshare -n "$APP" --self-test
else
    echo "(skipping the no-network run: unshare -n is not allowed here)"
fi

if command -v xvfb-run >/dev/null; then
    step "--self-test (Xvfb)"
    fresh xvfb-run -a -s "-screen 0 1600x1000x24" "$APP" --self-test
else
    echo "xvfb-run not found: apt-get install xvfb" >&2
    exit 1
fi

if [[ -n "${SINORU_SCREENSHOT:-}" ]]; then
    step "screenshot of the demo project"
    shot="$(realpath -m "$SINORU_SCREENSHOT")"
    # shellcheck disable=SC2016  # expanded by the inner shell
    fresh xvfb-run -a -s "-screen 0 1600x1000x24" sh -c '
        "$1" --demo & pid=$!
        sleep "${SINORU_SCREENSHOT_WAIT:-20}"
        import -window root "$2"
        kill "$pid"; wait "$pid" 2>/dev/null || true' sh "$APP" "$shot"
    echo "$shot"
fi
echo "smoke test passed"
