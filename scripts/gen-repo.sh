#!/usr/bin/env bash
# Generates a synthetic data repo of N projects for benchmarks: the bundled
# demo's 36 projects (content/projects/*) cloned under new codes, with the
# demo's data/ and dealbook.toml. Copy i of project CODE is CODE-i (the
# record's `code = "…"` is changed to match its folder, so `check` passes);
# notes, forms and judgement files are the demo's, unchanged. Copies are
# taken in order (1, 2, …), projects in byte order of their codes, and
# the last copy is cut where N is reached: the output depends on N alone.
#
# The demo's `[history] enabled = false` is kept (the script refuses a
# dealbook.toml without it), so check and build never read Git.
#
# Usage: scripts/gen-repo.sh N OUT [SRC]
#   N    number of projects (at least 1)
#   OUT  folder to create; it must not exist or be empty
#   SRC  data repo to clone (default: this repository, the demo)
#
# One tar pipe and one sed per copy (not per project): 10,000 projects
# (~200,000 files) take a few seconds.
set -euo pipefail
export LC_ALL=C

usage() { echo "usage: $0 N OUT [SRC]" >&2; exit 2; }
if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi
n=$1
out=$2
src=${3:-$(cd "$(dirname "$0")/.." && pwd)}
[[ $n =~ ^[1-9][0-9]*$ ]] || usage

for tool in tar sed; do
    command -v "$tool" >/dev/null || { echo "gen-repo: $tool is needed" >&2; exit 1; }
done
if [ ! -f "$src/dealbook.toml" ] || [ ! -d "$src/content/projects" ]; then
    echo "gen-repo: $src is not a data repo (no dealbook.toml or content/projects)" >&2
    exit 1
fi
# [history] enabled = false, anywhere in the [history] table.
if ! awk '/^\[/ { h = ($0 ~ /^\[history\]/) } h && /^enabled *= *false/ { f = 1 } END { exit !f }' \
    "$src/dealbook.toml"; then
    echo "gen-repo: $src/dealbook.toml must have [history] enabled = false" >&2
    exit 1
fi
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
    echo "gen-repo: $out exists and is not empty" >&2
    exit 1
fi

mapfile -t codes < <(cd "$src/content/projects" && for d in */; do
    [ -f "$d/project.toml" ] && echo "${d%/}"
done | sort)
per=${#codes[@]}
[ "$per" -gt 0 ] || { echo "gen-repo: no project in $src/content/projects" >&2; exit 1; }

mkdir -p "$out/content/projects"
cp -r "$src/dealbook.toml" "$src/data" "$out/"
dest="$out/content/projects"
copies=$(( (n + per - 1) / per ))
for i in $(seq 1 "$copies"); do
    take=$(( n - (i - 1) * per ))
    [ "$take" -gt "$per" ] && take=$per
    part=("${codes[@]:0:take}")
    # Folder CODE becomes CODE-i on the way through the pipe.
    tar -C "$src/content/projects" -cf - "${part[@]}" \
        | tar -C "$dest" -xf - --transform "s,^\([^/]*\),\1-$i,"
    records=("${part[@]/#/$dest/}")
    records=("${records[@]/%/-$i/project.toml}")
    sed -i -E "s/^code = \"([^\"]*)\"/code = \"\1-$i\"/" "${records[@]}"
done

echo "gen-repo: $n projects, $(find "$out" -type f | wc -l) files in $out" >&2
