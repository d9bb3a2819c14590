#!/usr/bin/env bash
# Makes the fuzz corpora from the demo and from inputs that once broke
# dealbook (a 100,000-byte line of `=`, a megabyte line in a note's front
# matter, a byte-order mark, a cut-off UTF-8 sequence, a script address in
# the settings). The corpora are made, not committed: they are large.
set -euo pipefail
cd "$(dirname "$0")"
demo=../content/projects
for t in check_repo record note_markdown import_reader; do mkdir -p "corpus/$t"; done

# record: every demo record, and the broken ones.
for f in "$demo"/*/project.toml; do cp "$f" "corpus/record/$(basename "$(dirname "$f")").toml"; done
head -c 100000 /dev/zero | tr '\0' '=' > corpus/record/long-line.toml
{ printf '\xef\xbb\xbf'; cat "$demo/HZ-2026-001/project.toml"; } > corpus/record/bom.toml
printf 'code = "L-003\xe6\x96' > corpus/record/cut-utf8.toml
printf 'name = \xe2\x80\x9c\xe5\x88\x98\xe4\xb8\xbb\xe4\xbb\xbb\xe2\x80\x9d\nexpected_close = 2027/04/30\n' > corpus/record/wide-quotes.toml

# note_markdown: the demo's notes and forms, and markup that tries to run.
i=0
for f in "$demo"/*/notes/*.md "$demo"/*/forms/*.md; do
  i=$((i + 1)); [ $i -le 60 ] || break
  cp "$f" "corpus/note_markdown/demo-$i.md"
done
cat > corpus/note_markdown/xss.md <<'MD'
<script>alert(1)</script><img src=x onerror=alert(1)>
[click](javascript:alert(document.domain)) [data](data:text/html,<b>x</b>)
<a href="jav&#x09;ascript:alert(1)">x</a> <svg onload=alert(1)> <iframe src=//evil>
| a | b |
|---|---|
| <style>*{}</style> | ![t](//evil.example/p.png) |
- [x] task <input type=text onfocus=alert(1)>
MD

# check_repo: files separated by NUL, in the target's order (record A, note,
# form, dealbook.toml, team, process, record B, strings).
repo() {
  local out=$1 record=$2
  {
    cat "$record"; printf '\0'
    cat "$demo/HZ-2026-001/notes/"*.md | head -c 4000; printf '\0'
    cat "$demo/HZ-2026-001/forms/客户基本信息表.md"; printf '\0'
    printf 'edit_url = "javascript:alert(document.domain)//"\nbase_url = "//evil.example/"\n'; printf '\0'
    cat ../data/team.toml; printf '\0'
    cat ../data/process.toml; printf '\0'
    cat "$demo/NB-2026-001/project.toml"
  } > "$out"
}
repo corpus/check_repo/demo "$demo/HZ-2026-001/project.toml"
repo corpus/check_repo/long-line corpus/record/long-line.toml
repo corpus/check_repo/bom corpus/record/bom.toml
{
  cat "$demo/HZ-2026-001/project.toml"; printf '\0'
  printf '+++\ntitle = "x"\na = '; head -c 1000000 /dev/zero | tr '\0' '='; printf '\n+++\nbody\n'
} > corpus/check_repo/long-front-matter

# import_reader: the first byte picks the format (0 CSV, 1 xlsx, 2 xls,
# 3 ods). CSV in UTF-8 with and without a byte-order mark, in GBK as
# Chinese Excel saves it, with tabs; a workbook the demo exports.
csv='项目代号,项目名称,营销人员,阶段,金额,预计成交
HZ-2026-001,"钱塘轨道5号线, 二期",李明,方案设计,380万,2027/3/31
NJ-2026-002,金陵智慧园区,王芳,初步接触,"￥1,280,000",2027年6月30日
'
{ printf '\x00'; printf '%s' "$csv"; } > corpus/import_reader/utf8.csv
{ printf '\x00\xef\xbb\xbf'; printf '%s' "$csv"; } > corpus/import_reader/bom.csv
{ printf '\x00'; printf '%s' "$csv" | iconv -f UTF-8 -t GBK; } > corpus/import_reader/gbk.csv
{ printf '\x00'; printf '%s' "$csv" | tr ',' '\t'; } > corpus/import_reader/tabs.csv
if cargo run --quiet --release --manifest-path ../Cargo.toml -- --root .. \
    export --format xlsx --today 2026-11-26 --out "$PWD/corpus/demo.xlsx" --force >/dev/null 2>&1; then
  { printf '\x01'; cat corpus/demo.xlsx; } > corpus/import_reader/demo.xlsx
  rm corpus/demo.xlsx
fi
