#!/usr/bin/env bash
# Installs what the browser tests need when it is missing: Debian's Chromium and axe-core from npm.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium for the browser tests"
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
if [ ! -f var/node/node_modules/axe-core/axe.min.js ]; then
  echo "== installing axe-core (npm) for the accessibility tests"
  mkdir -p var/node
  npm install --silent --no-audit --no-fund --prefix var/node axe-core@4 >/dev/null
fi
