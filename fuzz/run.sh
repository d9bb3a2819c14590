#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) on the corpora
# seeds.sh makes. Needs the nightly toolchain and cargo-fuzz; fails on the
# first crash, leaving it in fuzz/artifacts/<target>/.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(check_repo record note_markdown import_reader)
./seeds.sh
cargo +nightly fuzz build
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${seconds}s"
  cargo +nightly fuzz run "$t" "corpus/$t" -- \
    -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=60 -print_final_stats=1 2>&1 \
    | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|panicked|SUMMARY' || true
  if [ -n "$(ls "artifacts/$t" 2>/dev/null)" ]; then
    echo "fuzz target $t crashed: see fuzz/artifacts/$t" >&2
    exit 1
  fi
done
