#!/usr/bin/env bash
# Installs what the browser tests need when it is missing: Debian's Chromium (apt) and axe-core (npm,
# into var/node). Idempotent: does nothing when both are there. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = "0" ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "ensure-browser-deps: root rights are needed to run: $*" >&2; exit 1
  fi
}

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium for the browser tests"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

AXE=var/node/node_modules/axe-core/axe.min.js
if [ ! -f "$AXE" ]; then
  echo "== installing axe-core (npm) for the accessibility tests"
  if ! command -v npm >/dev/null; then
    echo "== installing npm (Debian) to fetch axe-core"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  fi
  mkdir -p var/node
  npm install --silent --no-audit --no-fund --prefix var/node axe-core@4 >/dev/null
fi

[ -x /usr/bin/chromium ] && [ -f "$AXE" ] || { echo "ensure-browser-deps: installation incomplete" >&2; exit 1; }
