#!/usr/bin/env bash
# PNGs of abonent's main screens at 1440×900 and 390×844, for a reviewer to look at every
# screen at once: a small company on a fresh SQLite database, a headless Chromium.
#
# Usage: scripts/screenshots.sh [DIR]     (default: target/screenshots)
#
# Needs what the browser tests need (scripts/test.sh --setup-only installs it): Debian's
# chromium and chromium-driver (ABONENT_CHROMIUM, ABONENT_CHROMEDRIVER).
set -euo pipefail
exec </dev/null

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
DIR="${1:-$REPO_ROOT/target/screenshots}"
mkdir -p "$DIR"
export ABONENT_SCREENSHOTS="$(cd "$DIR" && pwd)"
export ABONENT_CHROMEDRIVER="${ABONENT_CHROMEDRIVER:-/usr/bin/chromedriver}"
export ABONENT_CHROMIUM="${ABONENT_CHROMIUM:-/usr/bin/chromium}"

cargo test --workspace --locked --test browser_screens -- --ignored --exact screenshots --nocapture
ls -1 "$ABONENT_SCREENSHOTS"/*.png
