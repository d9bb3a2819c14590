#!/usr/bin/env bash
# Times `dealbook import` on the CRM Sales Opportunities practice data set
# (8,800 deals; ../shared/data/crm-sales-opportunities, never copied into
# this repo) with examples/import/crm-sales-opportunities.toml: into a
# fresh repo with --write --add-people (the target: under 5 s), as a dry
# run, and a second time over the imported repo (everything unchanged);
# then `check` and `build` of the result. Release build, hyperfine.
# Usage: scripts/bench-import.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
data=../shared/data/crm-sales-opportunities
if [ ! -f "$data/sales_pipeline.csv" ]; then
    echo "skipped: $data/sales_pipeline.csv is not there" >&2
    exit 0
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
cargo build --release -q
bin=$PWD/target/release/dealbook
csv=$PWD/$data/sales_pipeline.csv
map=$PWD/examples/import/crm-sales-opportunities.toml
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A fresh data repo: the bundled process, a team with no one in it.
mkdir -p "$work/fresh/data"
cp dealbook.toml "$work/fresh/"
cp data/process.toml "$work/fresh/data/"
echo "# The team, filled by dealbook import --add-people." > "$work/fresh/data/team.toml"
import=("$bin" --root "$work/repo" import "$csv" --map "$map" --today 2026-11-29)
# Each run imports into a fresh copy; the previous repo is moved aside,
# not deleted: deleting 8,800 folders keeps the file system busy for
# seconds afterwards and would be measured as part of the next import.
reset="mv $work/repo $work/old-\$(date +%s%N) 2>/dev/null; cp -r $work/fresh $work/repo"
row() { hyperfine --style none --export-markdown /dev/stdout "$@" | tail -1; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| command | mean [s] | min [s] | max [s] | relative |"
row --runs "$runs" --warmup 1 --prepare "$reset" -n "import --write --add-people, fresh repo" \
    "${import[*]} --write --add-people"
eval "$reset"
row --runs "$runs" --warmup 1 -n "import --add-people (dry run), fresh repo" \
    "${import[*]} --add-people"
eval "$reset" && "${import[@]}" --write --add-people >/dev/null
row --runs "$runs" --warmup 1 -n "import --write --add-people --update, again (all unchanged)" \
    "${import[*]} --write --add-people --update"
row --runs "$runs" --warmup 1 -n "check of the imported repo" \
    "$bin --root $work/repo check --today 2026-11-29"
row --runs 3 --warmup 1 -n "build of the imported repo" \
    "$bin --root $work/repo build --today 2026-11-29 --out $work/site"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -x /usr/bin/time ]; then
    eval "$reset"
    /usr/bin/time -f "max RSS of import --write --add-people: %M KiB" "${import[@]}" --write --add-people >/dev/null
fi
