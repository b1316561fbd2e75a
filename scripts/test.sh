#!/usr/bin/env bash
# The one command that runs every test of abonent (called by .ci/run).
#
# On a fresh Debian machine with only the Rust toolchain it:
#   1. makes sure PostgreSQL is installed and accepts connections on 127.0.0.1:5432
#      (installs it with apt, creates/starts the cluster, sets trust auth for
#      127.0.0.1 only when connecting fails for auth reasons);
#   2. makes sure Debian's chromium and chromium-driver are installed (browser tests) and
#      poppler-utils (the document tests read PDFs back with pdftotext/pdffonts/pdftoppm);
#   3. makes sure schemathesis (the API fuzzer, from PyPI) is installed in its own virtual
#      environment (python3-venv from apt when python3 cannot make one), and axe-core (the
#      accessibility checker the browser tests inject into Chromium, from npm) in a cache
#      directory of its own (nodejs and npm from apt when missing);
#   4. runs cargo fmt --check, cargo clippy -D warnings and cargo test for the workspace;
#   5. fuzzes the JSON API: abonent serve on a fresh SQLite with a small demo company,
#      schemathesis with a few requests per operation (no server error, no answer that
#      breaks its schema, no undocumented status code).
#
# Usage:
#   scripts/test.sh                 everything
#   scripts/test.sh --setup-only    only steps 1 to 3 (services and tools), no cargo
#
# Environment (all optional):
#   ABONENT_TEST_DATABASE_URL  database for the tests
#                              (default postgres://postgres@$ABONENT_PG_HOST:$ABONENT_PG_PORT/postgres)
#   ABONENT_PG_HOST, ABONENT_PG_PORT  where PostgreSQL must answer (default 127.0.0.1, 5432)
#   ABONENT_PG_WAIT_SECS       how long to wait for PostgreSQL (default 30)
#   ABONENT_PG_CLUSTER         Debian cluster name to create/start if needed (default main)
#   ABONENT_CHROMEDRIVER, ABONENT_CHROMIUM  browser binaries (default /usr/bin/...)
#   ABONENT_SCHEMATHESIS_VENV  the fuzzer's virtual environment
#                              (default ~/.cache/abonent/schemathesis-<version>)
#   ABONENT_AXE                axe.min.js for the accessibility checks
#                              (default ~/.cache/abonent/axe-core-<version>/node_modules/axe-core/axe.min.js)
#   ABONENT_FUZZ_EXAMPLES, ABONENT_FUZZ_SEED  requests per operation and phase (default 5),
#                              the generator's seed (default 1: every run asks the same)
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export NEEDRESTART_MODE=a
# Nothing here may wait for a keyboard (CI runs without stdin).
exec </dev/null

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

PG_HOST="${ABONENT_PG_HOST:-127.0.0.1}"
PG_PORT="${ABONENT_PG_PORT:-5432}"
PG_WAIT_SECS="${ABONENT_PG_WAIT_SECS:-30}"
PG_CLUSTER="${ABONENT_PG_CLUSTER:-main}"

APT_UPDATED=0
SUMMARY=()
TEST_LINE=

log() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
  printf '\nERROR: %s\n' "$*" >&2
  exit 1
}

now_ms() { date +%s%3N; }
fmt_ms() { printf '%d.%01ds' $(($1 / 1000)) $((($1 % 1000) / 100)); }

# run_step NAME COMMAND...: runs a step, prints its duration, stops the script on failure.
run_step() {
  local name="$1"
  shift
  log "$name"
  info "\$ $*"
  local start end rc=0
  start=$(now_ms)
  "$@" || rc=$?
  end=$(now_ms)
  local took
  took=$(fmt_ms $((end - start)))
  if [ "$rc" -ne 0 ]; then
    SUMMARY+=("FAILED  $took  $name")
    print_summary
    [ -z "$TEST_LINE" ] || printf '\n%s\n' "$TEST_LINE"
    printf '\nERROR: step "%s" failed (exit code %d) after %s\n' "$name" "$rc" "$took" >&2
    exit "$rc"
  fi
  SUMMARY+=("ok      $took  $name")
  printf -- '--- %s: ok in %s\n' "$name" "$took"
}

print_summary() {
  log "Summary"
  local line
  for line in "${SUMMARY[@]}"; do info "$line"; done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n -E "$@"
  else
    die "need root to run: $* (run this script as root or with passwordless sudo)"
  fi
}

# apt_install PACKAGE...: apt-get update (once per run, only when something is installed),
# then apt-get install -y.
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these packages by hand: $*"
  if [ "$APT_UPDATED" -eq 0 ]; then
    info "apt-get update"
    as_root apt-get -o DPkg::Lock::Timeout=300 update -q || die "apt-get update failed"
    APT_UPDATED=1
  fi
  info "apt-get install -y $*"
  as_root apt-get -o DPkg::Lock::Timeout=300 install -y -q "$@" || die "apt-get install $* failed"
}

# ------------------------------------------------------------------ PostgreSQL

pg_ready() {
  pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3 >/dev/null 2>&1
}

pg_server_installed() {
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

# Newest version that has a cluster config, else the newest installed server.
pg_version() {
  local v=""
  if [ -d /etc/postgresql ]; then
    v=$(find /etc/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  fi
  if [ -z "$v" ] && [ -d /usr/lib/postgresql ]; then
    v=$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)
  fi
  printf '%s' "$v"
}

pg_start_cluster() {
  command -v pg_ctlcluster >/dev/null 2>&1 || {
    info "pg_ctlcluster not found (postgresql-common missing); cannot start a local server"
    return 0
  }
  local ver
  ver=$(pg_version)
  if [ -z "$ver" ]; then
    info "no PostgreSQL server version found under /usr/lib/postgresql"
    return 0
  fi
  if [ ! -f "/etc/postgresql/$ver/$PG_CLUSTER/postgresql.conf" ]; then
    info "creating cluster $ver/$PG_CLUSTER on port $PG_PORT"
    as_root pg_createcluster "$ver" "$PG_CLUSTER" --port "$PG_PORT" || info "pg_createcluster failed"
  fi
  info "starting cluster $ver/$PG_CLUSTER"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$PG_CLUSTER" start ||
    info "pg_ctlcluster start returned non-zero (it may already be running); waiting anyway"
}

pg_wait() {
  local waited=0
  while ! pg_ready; do
    if [ "$waited" -ge "$PG_WAIT_SECS" ]; then
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  info "PostgreSQL accepts connections on $PG_HOST:$PG_PORT (waited ${waited}s)"
}

# Prints psql's error (if any) and returns its status.
pg_try_connect() {
  PGCONNECT_TIMEOUT=5 psql -X -w -q -v ON_ERROR_STOP=1 -tA -c 'select 1' "$ABONENT_TEST_DATABASE_URL" 2>&1 >/dev/null
}

# Adds "host all all 127.0.0.1/32 trust" at the top of the local cluster's pg_hba.conf.
pg_enable_trust() {
  local ver hba
  ver=$(pg_version)
  hba="/etc/postgresql/$ver/$PG_CLUSTER/pg_hba.conf"
  [ -n "$ver" ] && [ -f "$hba" ] || die "cannot find pg_hba.conf of a local cluster to enable trust auth"
  if head -n 1 "$hba" | grep -q 'added by abonent'; then
    info "$hba already starts with abonent's trust line"
  else
    info "adding 'host all all 127.0.0.1/32 trust' to the top of $hba (backup: $hba.bak-abonent)"
    as_root cp -p "$hba" "$hba.bak-abonent"
    as_root sed -i '1i host all all 127.0.0.1/32 trust  # added by abonent scripts/test.sh' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$PG_CLUSTER" reload || true
  sleep 1
}

ensure_postgres() {
  if ! command -v psql >/dev/null 2>&1 || ! command -v pg_isready >/dev/null 2>&1 ||
    { ! pg_server_installed && ! pg_ready; }; then
    info "PostgreSQL client or server is missing: installing Debian's postgresql"
    apt_install postgresql
  fi
  info "$(psql --version)"

  if ! pg_ready; then
    info "PostgreSQL does not accept connections on $PG_HOST:$PG_PORT; starting it"
    pg_start_cluster
  fi
  if ! pg_wait; then
    die "PostgreSQL is not accepting connections on $PG_HOST:$PG_PORT after ${PG_WAIT_SECS}s.
       The database tests need it: start the server (pg_ctlcluster --skip-systemctl-redirect <version> $PG_CLUSTER start),
       check 'pg_lsclusters' and /var/log/postgresql/, or point ABONENT_PG_HOST/ABONENT_PG_PORT at a running server."
  fi

  local err
  if ! err=$(pg_try_connect); then
    case "$err" in
      *password* | *authentication* | *pg_hba* | *"no password"*)
        info "connecting failed for an authentication reason: $err"
        pg_enable_trust
        if ! err=$(pg_try_connect); then
          die "cannot connect to $ABONENT_TEST_DATABASE_URL even after enabling trust auth: $err"
        fi
        ;;
      *)
        die "cannot connect to $ABONENT_TEST_DATABASE_URL: $err"
        ;;
    esac
  fi
  info "connected to $ABONENT_TEST_DATABASE_URL"
}

# ------------------------------------------------------------------ Chromium

ensure_chromium() {
  if [ ! -x "$ABONENT_CHROMIUM" ] || [ ! -x "$ABONENT_CHROMEDRIVER" ]; then
    info "chromium or chromedriver is missing: installing Debian's chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
  [ -x "$ABONENT_CHROMIUM" ] || die "chromium not found at $ABONENT_CHROMIUM"
  [ -x "$ABONENT_CHROMEDRIVER" ] || die "chromedriver not found at $ABONENT_CHROMEDRIVER"
  info "$("$ABONENT_CHROMIUM" --version 2>/dev/null || echo "chromium: version unknown")"
  info "$("$ABONENT_CHROMEDRIVER" --version 2>/dev/null || echo "chromedriver: version unknown")"
}

# The document tests read PDFs back: pdftotext, pdffonts, pdftoppm.
ensure_poppler() {
  command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils
  command -v pdftoppm >/dev/null 2>&1 || die "pdftoppm not found after installing poppler-utils"
  info "$(pdftotext -v 2>&1 | head -n 1)"
}

# ------------------------------------------------------------------ axe-core

AXE_VERSION=4.11.4
AXE_DIR="$HOME/.cache/abonent/axe-core-$AXE_VERSION"

# The accessibility checker the browser tests inject into Chromium, from npm, pinned, in a
# directory of its own (the version is in its path). Nothing of it enters the repository or
# the abonent binary.
ensure_axe() {
  if [ -n "${ABONENT_AXE:-}" ] && [ -f "$ABONENT_AXE" ]; then
    info "axe-core: $ABONENT_AXE"
    return 0
  fi
  export ABONENT_AXE="$AXE_DIR/node_modules/axe-core/axe.min.js"
  if [ -f "$ABONENT_AXE" ]; then
    info "axe-core $AXE_VERSION in $AXE_DIR"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  mkdir -p "$AXE_DIR"
  info "npm install axe-core@$AXE_VERSION into $AXE_DIR"
  npm install --prefix "$AXE_DIR" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error \
    "axe-core@$AXE_VERSION" </dev/null || die "npm install axe-core@$AXE_VERSION failed"
  [ -f "$ABONENT_AXE" ] || die "axe.min.js not found at $ABONENT_AXE after npm install"
}

# ------------------------------------------------------------------ schemathesis

SCHEMATHESIS_VERSION=4.32.5
SCHEMATHESIS_VENV="${ABONENT_SCHEMATHESIS_VENV:-$HOME/.cache/abonent/schemathesis-$SCHEMATHESIS_VERSION}"
ST="$SCHEMATHESIS_VENV/bin/st"

# The API fuzzer from PyPI, pinned, in a virtual environment of its own (made once; the
# version is in its path, so a new pin makes a new one).
ensure_schemathesis() {
  if [ -x "$ST" ] && "$ST" --version 2>/dev/null | grep -qF "$SCHEMATHESIS_VERSION"; then
    info "$("$ST" --version) in $SCHEMATHESIS_VENV"
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || apt_install python3
  rm -rf "$SCHEMATHESIS_VENV"
  mkdir -p "$(dirname "$SCHEMATHESIS_VENV")"
  # Debian's python3 makes no virtual environment (no ensurepip) without python3-venv.
  if ! python3 -m venv "$SCHEMATHESIS_VENV" >/dev/null 2>&1; then
    rm -rf "$SCHEMATHESIS_VENV"
    apt_install python3-venv
    python3 -m venv "$SCHEMATHESIS_VENV" || die "python3 -m venv $SCHEMATHESIS_VENV failed"
  fi
  info "pip install schemathesis==$SCHEMATHESIS_VERSION into $SCHEMATHESIS_VENV"
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "schemathesis==$SCHEMATHESIS_VERSION" || die "pip install schemathesis==$SCHEMATHESIS_VERSION failed"
  info "$("$ST" --version)"
}

# The JSON API under the fuzzer: abonent serve (the binary cargo test built) on a fresh SQLite
# with a small demo company, an administrator's API token, and schemathesis asking a few
# requests per operation from /api/v1/openapi.json. Fails on a server error, an answer that
# breaks its schema or a status code the document does not declare.
api_fuzz() {
  local target bin dir token pid url="" rc=0 waited=0
  target=$(cargo metadata --no-deps --format-version 1 |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  bin="$target/debug/abonent"
  [ -x "$bin" ] || die "$bin not found (cargo test --workspace builds it)"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/abonent-fuzz-XXXXXX")
  local -x ABONENT_LOG=warn
  "$bin" --data-dir "$dir" demo --accounts 200 >"$dir/demo.log" 2>&1 ||
    { cat "$dir/demo.log"; return 1; }
  # (set -e does not reach inside a step: run_step calls it with ||, so each failure returns.)
  token=$("$bin" --data-dir "$dir" user token schemathesis --role administrator) || return 1
  "$bin" --data-dir "$dir" serve --listen 127.0.0.1:0 >"$dir/serve.log" 2>&1 &
  pid=$!
  while [ -z "$url" ]; do
    url=$(sed -n 's|^Абонент: \(http://[^/]*\)/.*|\1|p' "$dir/serve.log")
    if [ -z "$url" ]; then
      if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 120 ]; then
        cat "$dir/serve.log"
        kill "$pid" 2>/dev/null || true
        return 1
      fi
      sleep 1
      waited=$((waited + 1))
    fi
  done
  info "abonent serve at $url (pid $pid, data $dir)"
  # One worker: two raced inside schemathesis 4.32.5 (a KeyError in its generator, seed 3).
  # From the data directory: schemathesis keeps a cache of failures (.schemathesis/) where it
  # runs; each run starts clean, and a failed one keeps it beside the server's data.
  (cd "$dir" && "$ST" run "$url/api/v1/openapi.json" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance \
    --header "Authorization: Bearer $token" \
    --phases examples,coverage,fuzzing \
    --max-examples "${ABONENT_FUZZ_EXAMPLES:-5}" \
    --seed "${ABONENT_FUZZ_SEED:-1}" \
    --workers 1 \
    --request-timeout 60 \
    --suppress-health-check all \
    --no-color) || rc=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ "$rc" -ne 0 ]; then
    info "server log (last 40 lines of $dir/serve.log):"
    tail -n 40 "$dir/serve.log" | sed 's/^/    /'
  else
    rm -rf "$dir"
  fi
  return "$rc"
}

# ------------------------------------------------------------------ Rust

ensure_rust() {
  command -v cargo >/dev/null 2>&1 || die "cargo not found: install the Rust toolchain (rustup) first"
  # The bundled SQLite is C: a fresh machine with only rustup has no compiler yet.
  command -v cc >/dev/null 2>&1 || apt_install build-essential
  cargo fmt --version >/dev/null 2>&1 || die "rustfmt is missing: rustup component add rustfmt"
  cargo clippy --version >/dev/null 2>&1 || die "clippy is missing: rustup component add clippy"
  info "$(cargo --version)"
  info "$(cargo fmt --version)"
  info "$(cargo clippy --version)"
}

# cargo test, with one closing line that adds up every "test result:" line of the run, and a
# table of the test binaries by the time they ran (where the suite's time goes).
cargo_test() {
  local out rc=0
  out=$(mktemp)
  # Every binary runs even after a failure, so one run names every failing test.
  cargo test --workspace --locked --no-fail-fast 2>&1 | tee "$out" || rc=$?
  local passed failed ignored
  read -r passed failed ignored < <(
    sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed; \([0-9]*\) ignored;.*/\1 \2 \3/p' "$out" |
      awk '{p += $1; f += $2; i += $3} END {printf "%d %d %d\n", p, f, i}'
  )
  log "Test binaries by time (seconds, tests)"
  awk '
    # A package runs its unit tests first, then its tests/*.rs: name each by its package.
    /^ *Running / { bin = $NF; gsub(/[()]/, "", bin); sub(/.*\/deps\//, "", bin); sub(/-[0-9a-f]+$/, "", bin)
                    if ($(NF - 1) ~ /^src\//) pkg = bin; name = pkg " " $(NF - 1) }
    /^ *Doc-tests / { name = "doc " $2 }
    /^test result:/ { t = $NF; sub(/s$/, "", t); n = $4 + $6; printf "%8.1f %5d  %s\n", t, n, name }
  ' "$out" | sort -rn | head -n 25
  rm -f "$out"
  TEST_LINE=$(printf 'cargo: %d passed, %d failed, %d skipped' "$passed" "$failed" "$ignored")
  printf '\n%s\n' "$TEST_LINE"
  return "$rc"
}

# ------------------------------------------------------------------ main

usage() {
  sed -n '2,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

SETUP_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --setup-only) SETUP_ONLY=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage >&2
      die "unknown argument: $arg"
      ;;
  esac
done

export ABONENT_TEST_DATABASE_URL="${ABONENT_TEST_DATABASE_URL:-postgres://postgres@$PG_HOST:$PG_PORT/postgres}"
export ABONENT_CHROMEDRIVER="${ABONENT_CHROMEDRIVER:-/usr/bin/chromedriver}"
export ABONENT_CHROMIUM="${ABONENT_CHROMIUM:-/usr/bin/chromium}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

TOTAL_START=$(now_ms)
log "abonent tests in $REPO_ROOT (CI=${CI:-})"
info "ABONENT_TEST_DATABASE_URL=$ABONENT_TEST_DATABASE_URL"
info "ABONENT_CHROMEDRIVER=$ABONENT_CHROMEDRIVER"
info "ABONENT_CHROMIUM=$ABONENT_CHROMIUM"

run_step "PostgreSQL" ensure_postgres
run_step "Chromium and ChromeDriver" ensure_chromium
run_step "poppler-utils (PDF tests)" ensure_poppler
run_step "schemathesis (API fuzzing)" ensure_schemathesis
run_step "axe-core (accessibility checks)" ensure_axe

if [ "$SETUP_ONLY" -eq 1 ]; then
  print_summary
  info "total $(fmt_ms $(($(now_ms) - TOTAL_START))) (--setup-only: cargo steps skipped)"
  exit 0
fi

run_step "Rust toolchain" ensure_rust
run_step "cargo fmt --check" cargo fmt --all -- --check
run_step "cargo clippy" cargo clippy --workspace --all-targets --locked -- -D warnings
run_step "cargo test (build)" cargo test --workspace --locked --no-run
run_step "cargo test" cargo_test
run_step "API fuzzing (schemathesis)" api_fuzz

print_summary
info "total $(fmt_ms $(($(now_ms) - TOTAL_START)))"
# Last line: the sum of every "test result:" line above.
printf '\n%s\n' "$TEST_LINE"
