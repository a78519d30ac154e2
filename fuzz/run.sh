#!/usr/bin/env bash
# Runs one libFuzzer target of the `fuzz` build for SECONDS on its corpus
# (fuzz/corpus/NAME, read only: new inputs go to a temporary directory);
# ESSOR_FUZZ_SECONDS overrides SECONDS.
# Fails on a crash or a sanitizer report. usage: fuzz/run.sh NAME SECONDS
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
seconds=${ESSOR_FUZZ_SECONDS:-$2}
binary=build/fuzz/fuzz/fuzz_$name
if [ ! -x "$binary" ]; then
  echo "no $binary: build the fuzz preset first (scripts/test does)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# -rss_limit_mb: the sanitizers' own memory counts; -timeout: one input.
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work" "fuzz/corpus/$name" 2>&1 | tail -n 15
status=${PIPESTATUS[0]}
if ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* >/dev/null 2>&1; then
  echo "fuzz_$name found a failing input:" >&2
  for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -f "$f" ] && { echo "$f"; base64 -w0 "$f"; echo; } >&2
  done
  exit 1
fi
exit "$status"
