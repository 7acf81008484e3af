#!/usr/bin/env bash
# Installs what vramcalc needs on a fresh Debian 12 machine (apt packages, then the web's npm
# packages). Installs only what is missing, so re-running is cheap.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang + libclang-rt-14-dev (only recommended by clang, holds libFuzzer): the fuzz targets.
packages=(cmake g++ make catch2 nlohmann-json3-dev libcurl4-openssl-dev emscripten chromium brotli python3 clang libclang-rt-14-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ -f web/package.json ]; then
  if [ ! -f web/node_modules/.package-lock.json ] || [ web/package.json -nt web/node_modules/.package-lock.json ]; then
    # `npm install`, not `npm ci`: npm 11 rejects lockfiles without other platforms' optional
    # packages (shared/toolchain.md, pitfall P9); it still installs the locked versions.
    # --no-save: never write package-lock.json. Without it npm rewrites the lockfile whenever its
    # registry knows more than the lockfile records (other platforms' optional packages, metadata
    # fields of another npm version), and a fresh clone is left modified after its own tests. To
    # change dependencies, run `npm install <pkg>` in web/ yourself and commit the lockfile.
    (cd web && npm install --no-save --no-audit --no-fund --loglevel=error)
  fi
fi
