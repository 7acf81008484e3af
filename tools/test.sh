#!/usr/bin/env bash
# Every test, from a fresh Debian 12 machine: installs what is missing, then
#   1. native build with AddressSanitizer + UndefinedBehaviorSanitizer, Catch2 suite + CLI contract (CTest)
#   2. fuzz smoke: each libFuzzer target (clang, ASan + UBSan) for 15 s on its seed corpus
#   3. release build of the CLI and the WebAssembly module (em++ rejects what g++ accepts)
#   4. node tests of the WASM binding contract against the native CLI
#   5. browser tests in headless Chromium (page and widget)
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
tools/setup.sh

echo "== native (ASan + UBSan)"
cmake --preset sanitize >/dev/null
cmake --build --preset sanitize -j2
ctest --preset sanitize -j2

echo "== fuzz smoke (libFuzzer, 15 s per target)"
tools/fuzz.sh --seconds 15

echo "== release CLI, WebAssembly, site"
tools/build.sh

echo "== WASM binding tests (node)"
(cd web && node --test test/*.test.mjs)

echo "== browser tests (Chromium)"
(cd web && node e2e/run.mjs)
