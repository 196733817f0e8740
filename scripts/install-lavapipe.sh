#!/usr/bin/env bash
# Installs Mesa's software Vulkan driver (lavapipe) from bookworm-backports, for the WebGPU tests:
# Debian bookworm's own Mesa 22 is too old for the Dawn inside the `webgpu` package; backports'
# Mesa 25.x works. Then checks that Vulkan sees a device. Idempotent; needs root (or sudo).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

has_lavapipe() {
  command -v vulkaninfo >/dev/null 2>&1 && vulkaninfo --summary 2>/dev/null | grep -qi 'llvmpipe'
}

if has_lavapipe; then
  echo "lavapipe: already installed ($(vulkaninfo --summary 2>/dev/null | grep -i 'driverInfo' | head -1 | xargs))"
  exit 0
fi

. /etc/os-release
if [ "${VERSION_CODENAME:-}" != "bookworm" ]; then
  echo "lavapipe: this script knows Debian bookworm; found ${PRETTY_NAME:-unknown}. Install Mesa >= 24 with lavapipe by hand." >&2
  exit 1
fi

list=/etc/apt/sources.list.d/bookworm-backports.list
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" | $SUDO tee "$list" >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 vulkan-tools >/dev/null

if ! has_lavapipe; then
  echo "lavapipe: installed, but Vulkan sees no llvmpipe device:" >&2
  vulkaninfo --summary >&2 || true
  exit 1
fi
echo "lavapipe: ready ($(vulkaninfo --summary 2>/dev/null | grep -i 'driverInfo' | head -1 | xargs))"
