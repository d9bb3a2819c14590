#!/usr/bin/env bash
# Generates a Hugo site of N project pages with the same text as the
# synthetic data repo of scripts/gen-repo.sh, to time Hugo against
# `dealbook build` on the same number of pages (scripts/bench.sh).
#
# Each page is one project of the demo, under the same new code as in
# gen-repo.sh (copy i of CODE is CODE-i): front matter with the record's
# name, region (its province), department, owner, stage, status and amount, and a body
# of Markdown with what dealbook's project page shows of the project: the
# record's text fields (every quoted value but file paths, one list per
# TOML table), then its judgement files, notes and forms, each file's
# Markdown under a heading. The site has list pages too: the home page,
# the section of all projects, and a page per taxonomy (regions,
# departments, people, stages, statuses) and per term.
#
# With PAGES, a `groups` taxonomy is added with as many terms as it takes
# for Hugo to render PAGES HTML pages in all (dealbook's page count, which
# also paginates notes and adds boards): projects are dealt round-robin
# into the groups. Without it, or when PAGES is not more than the pages
# above plus two, there are no groups.
#
# The theme is written by the script: themes/minimal with a baseof, a
# single and a list layout. RSS, sitemap, robots.txt and 404 are off, so
# every file Hugo renders is an HTML page.
#
# Usage: scripts/gen-hugo.sh N OUT [PAGES [SRC]]
#   N      number of project pages
#   OUT    folder to create; it must not exist or be empty
#   PAGES  HTML pages the site should render in all (optional, 0: none)
#   SRC    data repo whose projects are cloned (default: this repository)
set -euo pipefail
export LC_ALL=C

usage() { echo "usage: $0 N OUT [PAGES [SRC]]" >&2; exit 2; }
if [ $# -lt 2 ] || [ $# -gt 4 ]; then usage; fi
n=$1
out=$2
pages=${3:-0}
src=${4:-$(cd "$(dirname "$0")/.." && pwd)}
if ! [[ $n =~ ^[1-9][0-9]*$ ]] || ! [[ $pages =~ ^[0-9]+$ ]]; then usage; fi

for tool in tar sed awk; do
    command -v "$tool" >/dev/null || { echo "gen-hugo: $tool is needed" >&2; exit 1; }
done
[ -d "$src/content/projects" ] || { echo "gen-hugo: no $src/content/projects" >&2; exit 1; }
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
    echo "gen-hugo: $out exists and is not empty" >&2
    exit 1
fi

mapfile -t codes < <(cd "$src/content/projects" && for d in */; do
    [ -f "$d/project.toml" ] && echo "${d%/}"
done | sort)
per=${#codes[@]}
[ "$per" -gt 0 ] || { echo "gen-hugo: no project in $src/content/projects" >&2; exit 1; }

base=$(mktemp -d)
trap 'rm -rf "$base"' EXIT

# One page per demo project; @G<j>@ stands for its group until cloned.
page() {
    local j=$1 dir=$2
    local files=("$dir/project.toml")
    local sub
    for sub in judgements notes forms; do
        [ -d "$dir/$sub" ] || continue
        while IFS= read -r f; do files+=("$f"); done < <(find "$dir/$sub" -name '*.md' | sort)
    done
    awk -v j="$j" '
    function str(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    # The first quoted string of a line, or "".
    function first(line,   m) {
        if (match(line, /"([^"\\]|\\.)*"/)) return substr(line, RSTART + 1, RLENGTH - 2)
        return ""
    }
    FNR == 1 { file++; fm = 0; title = "" }
    file == 1 {
        if (/^code *=/) code = first($0)
        else if (/^name *=/ && !name) name = first($0)
        else if (/^region *=/) {
            # The province, as dealbook groups regions: up to 省, else up to 市.
            region = first($0)
            if ((p = index(region, "省")) || (p = index(region, "市"))) region = substr(region, 1, p + 2)
        }
        else if (/^department *=/) department = first($0)
        else if (/^owner *=/) owner = first($0)
        else if (/^stage *=/) stage = first($0)
        else if (/^status *=/) status = first($0)
        else if (/^amount *=/) { amount = $0; sub(/^amount *= */, "", amount); sub(/ *#.*/, "", amount); gsub(/_/, "", amount) }
        if (/^\[/) { t = $0; gsub(/[][]/, "", t); body = body "\n### " t "\n\n"; next }
        if (!/^[a-z_]+ *= .*"/) next
        key = $0; sub(/ *=.*/, "", key)
        if (key == "code") next
        rest = $0; sub(/ #[^"]*$/, "", rest); vals = ""
        while (match(rest, /"([^"\\]|\\.)*"/)) {
            v = substr(rest, RSTART + 1, RLENGTH - 2)
            rest = substr(rest, RSTART + RLENGTH)
            if (v ~ /^(forms|notes|judgements)\// || v == "") continue
            vals = vals (vals == "" ? "" : " · ") v
        }
        if (vals != "") body = body "- **" key "**: " vals "\n"
        next
    }
    # A Markdown file: its front matter gives the heading, the rest is copied.
    /^\+\+\+[ \t]*$/ && fm < 2 { fm++; if (fm == 2) { h = FILENAME; sub(/.*\//, "", h); sub(/\.md$/, "", h); body = body "\n## " (title != "" ? title : h) "\n\n" }; next }
    fm == 1 { if (/^title *=/) title = first($0); next }
    { body = body $0 "\n" }
    END {
        print "+++"
        print "title = " str(code " " name)
        print "code = " str(code)
        print "amount = " (amount == "" ? 0 : amount)
        print "regions = [" str(region) "]"
        print "departments = [" str(department) "]"
        print "people = [" str(owner) "]"
        print "stages = [" str(stage) "]"
        print "statuses = [" str(status) "]"
        print "groups = [\"@G" j "@\"]"
        print "+++"
        printf "%s", body
    }' "${files[@]}"
}
for j in $(seq 0 $((per - 1))); do
    page "$j" "$src/content/projects/${codes[j]}" >"$base/${codes[j]}.md"
done

# Pages without groups: home, section, the pages, and per taxonomy its
# page and a page per term (as many terms as values in the pages used).
used=("${codes[@]:0:$(( n < per ? n : per ))}")
used=("${used[@]/#/$base/}")
used=("${used[@]/%/.md}")
taxonomies=(regions departments people stages statuses)
fixed=$(( 2 + n ))
for t in "${taxonomies[@]}"; do
    terms=$(grep -h "^$t = " "${used[@]}" | sort -u | wc -l)
    fixed=$(( fixed + 1 + terms ))
done
groups=0
if [ "$pages" -gt $(( fixed + 1 )) ]; then
    groups=$(( pages - fixed - 1 ))
    # A group without a page would not be rendered.
    [ "$groups" -gt "$n" ] && groups=$n
fi

mkdir -p "$out/content/projects" "$out/themes/minimal/layouts"
dest="$out/content/projects"
copies=$(( (n + per - 1) / per ))
for i in $(seq 1 "$copies"); do
    take=$(( n - (i - 1) * per ))
    [ "$take" -gt "$per" ] && take=$per
    part=("${codes[@]:0:take}")
    part=("${part[@]/%/.md}")
    tar -C "$base" -cf - "${part[@]}" | tar -C "$dest" -xf - --transform "s,\.md\$,-$i.md,"
    script="s/^(title|code) = \"([^ \"]*)/\1 = \"\2-$i/"
    if [ "$groups" -gt 0 ]; then
        for j in $(seq 0 $((take - 1))); do
            script+=$'\n'"s/@G$j@/g-$(( ((i - 1) * per + j) % groups + 1 ))/"
        done
    else
        script+=$'\n/^groups = /d'
    fi
    files=("${part[@]/#/$dest/}")
    files=("${files[@]/%.md/-$i.md}")
    sed -i -E "$script" "${files[@]}"
done

cat >"$out/content/_index.md" <<'EOF'
+++
title = "Projects board"
+++
A synthetic board to time Hugo against `dealbook build`.
EOF
cat >"$out/content/projects/_index.md" <<'EOF'
+++
title = "All projects"
+++
EOF
taxonomy_lines=""
for t in "${taxonomies[@]}"; do taxonomy_lines+="$t = \"$t\""$'\n'; done
[ "$groups" -gt 0 ] && taxonomy_lines+=$'groups = "groups"\n'
cat >"$out/hugo.toml" <<EOF
baseURL = "https://example.org/"
title = "Projects board"
ignoreLogs = ["warning-goldmark-raw-html"]
theme = "minimal"
disableKinds = ["rss", "sitemap", "robotstxt", "404"]
enableRobotsTXT = false

[taxonomies]
$taxonomy_lines
EOF
cat >"$out/themes/minimal/layouts/baseof.html" <<'EOF'
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ site.Title }}</title>
</head>
<body>
<nav>
<a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<a href="{{ "/projects/" | relURL }}">projects</a>
{{- range $name, $_ := site.Taxonomies }}
<a href="{{ printf "/%s/" $name | relURL }}">{{ $name }}</a>
{{- end }}
</nav>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
EOF
cat >"$out/themes/minimal/layouts/single.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
<dl>
{{- range $t := slice "regions" "departments" "people" "stages" "statuses" "groups" }}
{{- with $.GetTerms $t }}
<dt>{{ $t }}</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>
{{- end }}
{{- end }}
<dt>amount</dt><dd>{{ lang.FormatNumber 0 .Params.amount }}</dd>
</dl>
<article>
{{ .Content }}
</article>
{{ end }}
EOF
cat >"$out/themes/minimal/layouts/list.html" <<'EOF'
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<table>
<thead><tr><th>page</th><th>stage</th><th>region</th><th>amount</th></tr></thead>
<tbody>
{{- range .Pages }}
<tr><td><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></td><td>{{ delimit (.Params.stages | default slice) ", " }}</td><td>{{ delimit (.Params.regions | default slice) ", " }}</td><td>{{ with .Params.amount }}{{ lang.FormatNumber 0 . }}{{ end }}</td></tr>
{{- end }}
</tbody>
</table>
{{ end }}
EOF

echo "gen-hugo: $n project pages, $groups groups, $(( fixed + (groups > 0 ? groups + 1 : 0) )) HTML pages expected in $out" >&2
