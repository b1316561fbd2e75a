#!/usr/bin/env bash
# Builds the binary to ship: dist/abonent (lean) and dist/abonent.debug (its line tables).
#
# The binary carries a .gnu_debuglink to abonent.debug: put the two files in one directory
# (or the debug file under /usr/lib/debug) and a panic's backtrace (RUST_BACKTRACE=1) shows
# file and line; without it the backtrace still names every function.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
command -v objcopy >/dev/null 2>&1 || { echo "objcopy not found: apt-get install binutils" >&2; exit 1; }

cargo build --profile dist --locked -p abonent
target_dir="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
mkdir -p dist
objcopy --only-keep-debug "$target_dir/dist/abonent" dist/abonent.debug
objcopy --strip-debug --add-gnu-debuglink=dist/abonent.debug "$target_dir/dist/abonent" dist/abonent
chmod 755 dist/abonent
chmod 644 dist/abonent.debug
ls -l dist/abonent dist/abonent.debug
