#!/usr/bin/env bash
# Times `dealbook check` and `dealbook build` on the demo and on a generated
# ~1,000-project repo (the demo's 36 projects copied 28 times under new
# codes). Usage: scripts/bench.sh [copies]
set -euo pipefail
cd "$(dirname "$0")/.."
copies=${1:-28}
cargo build --release -q
bin=target/release/dealbook
big=$(mktemp -d)
trap 'rm -rf "$big"' EXIT
mkdir -p "$big/content/projects"
cp -r dealbook.toml data "$big/"
for i in $(seq 1 "$copies"); do
    for dir in content/projects/*/; do
        code=$(basename "$dir")
        new="$code-$i"
        cp -r "$dir" "$big/content/projects/$new"
        sed -i "s/^code = \"$code\"/code = \"$new\"/" "$big/content/projects/$new/project.toml"
    done
done
echo "generated: $(ls "$big/content/projects" | wc -l) projects, $(find "$big" -type f | wc -l) files"
measure() {
    local label=$1; shift
    if command -v hyperfine >/dev/null; then
        hyperfine --warmup 2 --runs 10 -N "$*" --export-markdown /dev/stdout | tail -1 | sed "s/^/$label: /"
    else
        local start end
        start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N)
        echo "$label: $(( (end - start) / 1000000 )) ms (one run)"
    fi
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "$label: max RSS %M KiB" "$@" >/dev/null
    fi
}
n=$(ls "$big/content/projects" | wc -l)
measure "check, demo (36 projects)" "$bin" check --today 2026-11-26
measure "check, generated ($n projects)" "$bin" --root "$big" check --today 2026-11-26
measure "build, demo (36 projects)" "$bin" build --today 2026-11-26 --out "$big/demo-site"
measure "build, generated ($n projects)" "$bin" --root "$big" build --today 2026-11-26 --out "$big/site"
