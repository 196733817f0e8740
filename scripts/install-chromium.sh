#!/usr/bin/env bash
# Installs Debian's Chromium for the demo's browser test (apps/demo/test/browser.test.ts), which
# drives it through playwright-core. Playwright never downloads a browser here: the test launches
# /usr/bin/chromium, so the distribution's package is the one browser CI trusts and caches.
# Idempotent; needs root (or sudo).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

chromium_version() {
  # Chromium refuses to start as root without --no-sandbox, but --version needs no sandbox.
  /usr/bin/chromium --version 2>/dev/null
}

if [ -x /usr/bin/chromium ] && version=$(chromium_version); then
  echo "chromium: already installed (${version})"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium: this script knows Debian (apt-get); install Chromium at /usr/bin/chromium by hand." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# The fonts give the page's text real glyphs in screenshots; the rest comes in as dependencies.
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null

if ! version=$(chromium_version); then
  echo "chromium: installed, but /usr/bin/chromium --version fails:" >&2
  /usr/bin/chromium --version >&2 || true
  exit 1
fi
echo "chromium: ready (${version})"
