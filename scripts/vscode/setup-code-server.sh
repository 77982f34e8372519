#!/usr/bin/env bash
# Installs code-server (VS Code 1.96.4 server + web workbench) from the npm registry into
# .cache/code-server/, for the offline VS Code integration tests (test/vscode/runOffline.mjs).
#
# Needs only the npm registry and these Debian packages: chromium (the runner drives the workbench
# with it), libkrb5-dev (kerberos native module), ripgrep (VS Code's search), plus python3, make and g++
# for node-gyp. When one is missing and this runs as root on a system with apt-get (a fresh Debian 12
# machine or container), it installs them; otherwise it stops and says what to install.
# Idempotent: a stamp file records a complete install (code-server version + Node ABI);
# when it matches, nothing is done. An incomplete or stale cache is removed and rebuilt.
#
# Environment: CODE_SERVER_CACHE overrides the cache folder.
set -euo pipefail

VERSION=4.96.4
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${CODE_SERVER_CACHE:-$ROOT/.cache/code-server}"
PKG="$CACHE/node_modules/code-server"
VSC="$PKG/lib/vscode"
STAMP="$CACHE/.complete"
LOG="$CACHE/setup.log"

say() { echo "[setup-code-server] $*"; }
die() { echo "[setup-code-server] ERROR: $*" >&2; exit 1; }

command -v node >/dev/null || die "node not found"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" = 20 ] || die "code-server $VERSION needs Node.js 20 (found $(node --version))"
WANT_STAMP="code-server@$VERSION node-abi-$(node -p process.versions.modules) $(uname -m)"

# --- prerequisites -------------------------------------------------------------------
# The Debian packages missing for running the tests, and with `build` also for installing code-server.
missing_packages() {
  local packages=()
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || packages+=(chromium)
  command -v rg >/dev/null || packages+=(ripgrep)
  command -v krb5-config >/dev/null || [ -f /usr/include/gssapi/gssapi.h ] || packages+=(libkrb5-dev)
  if [ "${1:-}" = build ]; then
    for tool in python3 make g++; do command -v "$tool" >/dev/null || packages+=("$tool"); done
  fi
  echo "${packages[*]}"
}
ensure_packages() {
  local missing
  missing="$(missing_packages "${1:-}")"
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing the missing Debian packages: apt-get install -y $missing"
    # shellcheck disable=SC2086 # one word per package
    DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null ||
      die "apt-get install -y $missing failed"
    missing="$(missing_packages "${1:-}")"
    [ -z "$missing" ] || die "still missing after apt-get: $missing"
  else
    die "missing Debian packages: $missing. Install them with: sudo apt-get install -y $missing"
  fi
}
command -v npm >/dev/null || die "npm not found"
ensure_packages

up_to_date() { [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT_STAMP" ] && [ -f "$PKG/out/node/entry.js" ]; }
if up_to_date; then
  say "up to date ($WANT_STAMP) in ${CACHE#"$ROOT"/}"
  exit 0
fi

# One install at a time (two test runs may start together); the lock file lies beside the cache.
mkdir -p "$(dirname "$CACHE")"
exec 9>"$CACHE.lock"
if command -v flock >/dev/null; then
  flock 9
  if up_to_date; then say "up to date (installed by another run)"; exit 0; fi
fi

ensure_packages build

REGISTRY="$(npm config get registry)"
REGISTRY="${REGISTRY%/}"

start=$SECONDS
run() { # run a step, logging its output; show the log tail if it fails
  local what="$1"; shift
  say "$what"
  if ! "$@" >>"$LOG" 2>&1; then
    echo "[setup-code-server] FAILED: $what — last lines of ${LOG}:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}
NPM_QUIET=(--no-audit --no-fund --loglevel=error)

say "installing code-server@$VERSION into ${CACHE#"$ROOT"/} (log: ${LOG#"$ROOT"/})"
rm -rf "$CACHE"
mkdir -p "$CACHE"
: >"$LOG"
echo '{ "private": true, "description": "code-server for offline VS Code tests (generated)" }' >"$CACHE/package.json"

# 1. The package itself, without its postinstall (refuses root without unsafe-perm, then fails).
run "npm install code-server@$VERSION --ignore-scripts" \
  npm install --prefix "$CACHE" --ignore-scripts "${NPM_QUIET[@]}" "code-server@$VERSION"

# 2. VS Code's own dependencies. The shrinkwrap pins @vscode/proxy-agent to a GitHub git URL:
#    point it at the registry tarball instead.
run "shrinkwrap: @vscode/proxy-agent from the registry" node -e '
  const fs = require("fs"); const [file, registry] = process.argv.slice(1);
  const j = JSON.parse(fs.readFileSync(file, "utf8"));
  const e = j.packages && j.packages["node_modules/@vscode/proxy-agent"];
  if (!e) throw new Error("no node_modules/@vscode/proxy-agent entry in " + file);
  e.resolved = `${registry}/@vscode/proxy-agent/-/proxy-agent-${e.version}.tgz`;
  delete e.integrity;
  fs.writeFileSync(file, JSON.stringify(j, null, 2) + "\n");
' "$VSC/npm-shrinkwrap.json" "$REGISTRY"
run "npm install --omit=dev in lib/vscode" \
  bash -c 'cd "$1" && npm install --omit=dev --ignore-scripts "${@:2}"' _ "$VSC" "${NPM_QUIET[@]}"

# 3. Native modules, built against this Node.js (kerberos needs libkrb5-dev).
run "npm rebuild native modules in lib/vscode (node-gyp, about a minute)" \
  bash -c 'cd "$1" && npm rebuild node-pty @vscode/spdlog @parcel/watcher native-watchdog @vscode/deviceid kerberos' _ "$VSC"
# argon2 (code-server's password hashing, loaded at start) is hoisted to $CACHE/node_modules.
run "npm rebuild argon2" bash -c 'cd "$1" && npm rebuild argon2' _ "$CACHE"

# 4. What code-server's postinstall would have done, plus ripgrep from Debian.
run "symlinks: node_modules.asar, bin scripts, ripgrep" bash -c '
  set -e
  cd "$1"
  ln -sfn node_modules node_modules.asar
  ln -sfn code-linux.sh bin/remote-cli/code-server
  ln -sfn browser-linux.sh bin/helpers/browser.sh
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sfn "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
' _ "$VSC"

# 5. The built-in extensions' shared dependencies.
run "npm install --omit=dev in lib/vscode/extensions" \
  bash -c 'cd "$1" && npm install --omit=dev "${@:2}"' _ "$VSC/extensions" "${NPM_QUIET[@]}"

# 6. Smoke checks: the native modules load and the entry point starts.
run "check: native modules load" bash -c 'cd "$1" && node -e "
  for (const m of [\"node-pty\", \"@vscode/spdlog\", \"@parcel/watcher\", \"native-watchdog\", \"kerberos\", \"@vscode/deviceid\"]) require(m);
"' _ "$VSC"
# (XDG_* keep code-server from writing a config file and logs into the user's home.)
cs_version() { XDG_CONFIG_HOME="$CACHE/.xdg/config" XDG_DATA_HOME="$CACHE/.xdg/data" node "$PKG/out/node/entry.js" --version; }
run "check: code-server --version" cs_version

echo "$WANT_STAMP" >"$STAMP"
say "done in $((SECONDS - start))s: $(cs_version 2>/dev/null | tail -n 1)"
