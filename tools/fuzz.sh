#!/usr/bin/env bash
# Builds the libFuzzer targets (cmake --preset fuzz: clang, ASan + UBSan) and runs each for a while
# on a working copy of its seed corpus, so the repository is never modified:
#   tools/fuzz.sh [--seconds N] [--jobs J] [target ...] [-- libFuzzer flags]
# Targets: config safetensors url_state estimate gguf (default: all that are built). --jobs J > 1 runs J processes in
# libFuzzer's fork mode. Per target it prints executions, exec/s, corpus size, coverage and crashes;
# it exits non-zero on any crash, timeout (> 10 s; VRAM_FUZZ_TIMEOUT) or out-of-memory (> 2 GB), with the reproducer in
# build/fuzz/artifacts/ (re-run it: build/fuzz/tools/fuzz/<target>_fuzz <file>).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60 jobs=1 targets=() extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n 2,8p "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j2 >/dev/null

out=build/fuzz
if [ ${#targets[@]} -eq 0 ]; then
  for t in config safetensors url_state estimate gguf; do
    [ -x "$out/tools/fuzz/${t}_fuzz" ] && targets+=("$t")
  done
fi
mkdir -p "$out/artifacts" "$out/logs"
failed=0
for t in "${targets[@]}"; do
  bin="$out/tools/fuzz/${t}_fuzz"
  if [ ! -x "$bin" ]; then
    echo "fuzz: no target '$t' (built: $(ls "$out/tools/fuzz" | grep _fuzz$ | sed 's/_fuzz$//' | tr '\n' ' '))" >&2
    failed=1
    continue
  fi
  work="$out/corpus/$t"
  mkdir -p "$work"
  cp -n tools/fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
  flags=(-max_total_time="$seconds" -timeout="${VRAM_FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1
         -artifact_prefix="$out/artifacts/$t-")
  [ -f "tools/fuzz/$t.dict" ] && flags+=(-dict="tools/fuzz/$t.dict")
  [ "$jobs" -gt 1 ] && flags+=(-fork="$jobs")
  log="$out/logs/$t.log"
  start=$(date +%s)
  rc=0
  # No allocation stacks in ASan's bookkeeping: ~25 % more executions; a reproducer re-run by hand
  # prints them in full.
  ASAN_OPTIONS="malloc_context_size=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
  "$bin" "${flags[@]}" ${extra[@]+"${extra[@]}"} "$work" >"$log" 2>&1 || rc=$?
  secs=$(( $(date +%s) - start ))
  # Single process: final stats; fork mode: the last progress line carries the totals.
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  # The corpus libFuzzer holds (reduced inputs replace their parents; the directory keeps both).
  corp=$(grep -o 'corp: [0-9]*\(/[0-9]*[bKM]b\)\{0,1\}' "$log" | tail -1 | sed 's/corp: //')
  crashes=$(grep -c '^==[0-9]*==ERROR\|^SUMMARY: \|deadly signal\|ALARM: working on the last Unit' "$log" || true)
  [ "$rc" -eq 72 ] && crashes=0  # libFuzzer's exit on Ctrl-C / SIGINT: an interrupted run, not a crash
  [ "$rc" -ne 0 ] && [ "$rc" -ne 72 ] && [ "$crashes" -eq 0 ] && crashes=1
  printf 'fuzz %-12s %10s execs %5s s %6s exec/s  corpus %-12s %-20s crashes %s\n' \
    "$t" "${execs:-0}" "$secs" "$(( ${execs:-0} / (secs > 0 ? secs : 1) ))" "${corp:-?}" "${cov:-cov: ?}" "$crashes"
  if [ "$rc" -ne 0 ]; then
    failed=1
    echo "fuzz $t: exit $rc; log $log" >&2
    grep -h -m3 'Test unit written to\|^SUMMARY' "$log" >&2 || true
  fi
done
exit $failed
