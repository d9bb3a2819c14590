//! The mapping file: which column feeds which record field, how column
//! values translate into stages, statuses and people, and which other
//! tables are joined in (the entries of `[fields]` and `[values]` are
//! read in `spec`). It is read the way `check` reads a record —
//! every problem at once, each at `path:line:col` with help — so a wrong
//! mapping is fixed in one pass, before any row is looked at.
//!
//! ```toml
//! [source]
//! sheet = "台账"                      # a workbook's sheet; default the first
//! [[join]]
//! file = "teams.csv"                  # beside the imported file
//! on = "sales_agent"
//! [fields]
//! code = "项目编号"
//! name = { template = "{客户} {产品}" }
//! amount = { column = "预计金额", unit = "万元" }
//! entered = [{ column = "签约日期", when = { "阶段" = "签约" } }, "立项日期"]
//! [values.stage]
//! "谈判" = "商务谈判"                  # keys other than ASCII are quoted
//! [people]
//! roles = ["sales_rep"]
//! ```

use super::convert::StatusNames;
use super::field::Field;
use super::spec::{Entry, Given};
use crate::diag::{Finding, Msg, codes};
use crate::load::resolve;
use crate::load::toml_reader::{self, FileCx, TableReader};
use crate::process::Process;
use crate::span::{Sp, Span};

/// A mapping as written, columns named by title (bound to the tables
/// later, in `bind`).
#[derive(Clone, Debug, Default)]
pub struct Mapping {
    pub source: Source,
    pub joins: Vec<Join>,
    /// In file order.
    pub fields: Vec<FieldMap>,
    pub values: Vec<ValueMap>,
    pub people: People,
    /// Where `[fields]` starts, for "required field not mapped".
    pub fields_span: Span,
}

/// `[source]`: how to read the file.
#[derive(Clone, Debug, Default)]
pub struct Source {
    pub sheet: Option<String>,
    pub header_row: Option<usize>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub delimiter: Option<u8>,
}

/// `[[join]]`: another table whose row with the same key adds columns.
#[derive(Clone, Debug)]
pub struct Join {
    pub span: Span,
    /// A file beside the imported one; none: a sheet of the same workbook.
    pub file: Option<Sp<String>>,
    pub sheet: Option<Sp<String>>,
    /// The imported table's column holding the key.
    pub on: Sp<String>,
    /// The joined table's key column, when its title differs from `on`.
    pub key: Option<Sp<String>>,
}

/// One field and where its value comes from: the first alternative
/// whose condition holds and that gives a value.
#[derive(Clone, Debug)]
pub struct FieldMap {
    pub field: Field,
    pub key_span: Span,
    pub alts: Vec<Alt>,
}

#[derive(Clone, Debug)]
pub struct Alt {
    pub source: Spec,
    /// Multiplier for plain numbers of an amount column (`万元` → 10000).
    pub unit: f64,
    /// Column → values: the alternative applies to rows where each of
    /// these columns holds one of the values.
    pub when: Vec<(Sp<String>, Vec<String>)>,
}

#[derive(Clone, Debug)]
pub enum Spec {
    /// A column, by title.
    Column(Sp<String>),
    /// Text with `{column}` placeholders; gives nothing when any of them
    /// is blank, so the next alternative can take over.
    Template(Sp<String>, Vec<Piece>),
    /// The same value for every row.
    Value(Sp<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    Text(String),
    Column(String),
}

/// `[values.<field>]`: what a column's values mean for a field.
#[derive(Clone, Debug)]
pub struct ValueMap {
    pub field: Field,
    pub span: Span,
    /// (value in the file, value for the record)
    pub entries: Vec<(String, String)>,
}

/// `[people]`: who `--add-people` adds, and in which roles.
#[derive(Clone, Debug, Default)]
pub struct People {
    /// Roles of owners added to the team; default the role that writes
    /// the actual situation.
    pub roles: Vec<usize>,
    /// People named in other columns (a manager), added with their roles.
    pub from: Vec<PeopleFrom>,
}

#[derive(Clone, Debug)]
pub struct PeopleFrom {
    pub column: Sp<String>,
    pub roles: Vec<usize>,
}

/// The keys that make a table in `[fields]` a source rather than a group
/// of fields.
pub(super) const SPEC_KEYS: [&str; 3] = ["column", "template", "value"];

/// Reads a mapping. `None` when it is not TOML; otherwise whatever could
/// be read, with a finding for each problem.
pub fn parse(
    path: &str,
    text: &str,
    process: &Process,
    findings: &mut Vec<Finding>,
) -> Option<Mapping> {
    let mut cx = FileCx::new(path, findings);
    let doc = toml_reader::parse(&mut cx, text)?;
    let mut t = TableReader::root(&doc, &cx);
    let statuses = StatusNames::new();
    let mut m = Mapping::default();
    if let Some(s) = t.table(&mut cx, "source") {
        m.source = source(&mut cx, s);
    }
    m.joins = t
        .tables(&mut cx, "join")
        .into_iter()
        .filter_map(|j| join(&mut cx, j))
        .collect();
    // Fields given, valid or not, and those an unknown key is probably a
    // typo of: neither is reported as missing on top.
    let mut given = Given::default();
    match t.table(&mut cx, "fields") {
        Some(mut f) => {
            m.fields_span = f.span;
            for (key, v) in f.rest(&cx) {
                let mut entry = Entry {
                    process,
                    statuses: &statuses,
                    given: &mut given,
                };
                entry.field(&mut cx, &key, &v, &mut m.fields);
            }
            f.finish(&mut cx);
        }
        None => {
            t.require("fields");
        }
    }
    if let Some(mut v) = t.table(&mut cx, "values") {
        for (key, val) in v.rest(&cx) {
            let mut entry = Entry {
                process,
                statuses: &statuses,
                given: &mut Given::default(),
            };
            entry.values(&mut cx, &key, &val, &mut m.values);
        }
        v.finish(&mut cx);
    }
    let people_table = t.table(&mut cx, "people");
    m.people = people(&mut cx, people_table, process);
    t.finish(&mut cx);

    let fields_span = m.fields_span;
    for field in Field::required(process) {
        let key = field.key(process);
        if !given.fields.contains(&field) && !given.typos.contains(&key) {
            cx.report(
                &codes::MISSING_KEY,
                fields_span,
                Msg::new("import.map.missing-field").arg("field", &key),
                Some(Msg::new("import.map.help-missing-field").arg("field", &key)),
            );
        }
    }
    for v in &m.values {
        if !m.fields.iter().any(|f| f.field == v.field) {
            cx.report(
                &codes::UNKNOWN_KEY,
                v.span,
                Msg::new("import.map.values-unmapped").arg("field", v.field.key(process)),
                Some(Msg::new("import.map.help-values-unmapped")),
            );
        }
    }
    Some(m)
}

fn source(cx: &mut FileCx, mut t: TableReader) -> Source {
    let mut s = Source {
        sheet: t.text(cx, "sheet").map(|s| s.value),
        ..Source::default()
    };
    if let Some(n) = t.integer(cx, "header_row") {
        if n.value >= 1 {
            s.header_row = Some(n.value as usize);
        } else {
            cx.report(
                &codes::UNKNOWN_VALUE,
                n.span,
                Msg::new("import.map.header-row"),
                None,
            );
        }
    }
    if let Some(e) = t.text(cx, "encoding") {
        s.encoding = encoding_rs::Encoding::for_label(e.value.trim().as_bytes());
        if s.encoding.is_none() {
            cx.report(
                &codes::UNKNOWN_VALUE,
                e.span,
                Msg::new("import.map.encoding").arg("encoding", &e.value),
                Some(Msg::new("import.map.help-encoding")),
            );
        }
    }
    if let Some(d) = t.str(cx, "delimiter") {
        match d.value.as_bytes() {
            [b] if d.value.is_ascii() => s.delimiter = Some(*b),
            _ => cx.report(
                &codes::UNKNOWN_VALUE,
                d.span,
                Msg::new("import.map.delimiter").arg("delimiter", &d.value),
                Some(Msg::new("import.map.help-delimiter")),
            ),
        }
    }
    t.finish(cx);
    s
}

fn join(cx: &mut FileCx, mut t: TableReader) -> Option<Join> {
    let file = t.text(cx, "file");
    let sheet = t.text(cx, "sheet");
    let on = t.require_text(cx, "on");
    let key = t.text(cx, "key");
    if file.is_none() && sheet.is_none() {
        cx.report(
            &codes::MISSING_KEY,
            t.span,
            Msg::new("import.map.join-what"),
            Some(Msg::new("import.map.help-join")),
        );
    }
    let span = t.span;
    t.finish(cx);
    Some(Join {
        span,
        file,
        sheet,
        on: on?,
        key,
    })
}

fn people(cx: &mut FileCx, t: Option<TableReader>, process: &Process) -> People {
    let default_roles: Vec<usize> = process.writer().into_iter().collect();
    let Some(mut t) = t else {
        return People {
            roles: default_roles,
            from: Vec::new(),
        };
    };
    let roles = match t.get("roles") {
        Some(v) => v
            .string_list(cx)
            .unwrap_or_default()
            .iter()
            .filter_map(|r| resolve::role(cx, process, r))
            .collect(),
        None => default_roles,
    };
    let from = t
        .tables(cx, "from")
        .into_iter()
        .filter_map(|mut f| {
            let column = f.require_text(cx, "column");
            let roles = f
                .string_list(cx, "roles")
                .iter()
                .filter_map(|r| resolve::role(cx, process, r))
                .collect();
            f.finish(cx);
            Some(PeopleFrom {
                column: column?,
                roles,
            })
        })
        .collect();
    t.finish(cx);
    People { roles, from }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::process;

    fn read(text: &str) -> (Option<Mapping>, Vec<Finding>) {
        let mut findings = Vec::new();
        let m = parse("map.toml", text, &process(), &mut findings);
        (m, findings)
    }

    const MINIMAL: &str = r#"
[fields]
code = "编号"
name = "名称"
owner = "负责人"
stage = "阶段"
region = { value = "华东" }
department = { value = "轨道交通事业部" }
"#;

    #[test]
    fn a_minimal_mapping_reads_clean() {
        let (m, findings) = read(MINIMAL);
        assert!(findings.is_empty(), "{findings:?}");
        let m = m.unwrap();
        assert_eq!(m.fields.len(), 6);
        assert_eq!(m.people.roles, [0], "owners are added as the writer role");
    }

    #[test]
    fn fields_take_columns_templates_values_and_alternatives() {
        let text = format!(
            "{MINIMAL}amount = {{ column = \"金额\", unit = \"万元\" }}\n\
             \"outcome.date\" = \"签约日期\"\n\
             next_step = {{ what = {{ template = \"{{客户}}：{{事项}}\" }} }}\n\
             entered = [{{ column = \"签约日期\", when = {{ \"状态\" = [\"已成交\", \"赢单\"] }} }}, \"立项日期\"]\n\
             status = {{ value = \"已暂停\" }}\n"
        );
        let (m, findings) = read(&text);
        assert!(findings.is_empty(), "{findings:?}");
        let m = m.unwrap();
        let get = |f: Field| m.fields.iter().find(|x| x.field == f).unwrap();
        assert_eq!(get(Field::Amount).alts[0].unit, 1e4);
        assert!(
            matches!(&get(Field::OutcomeDate).alts[0].source, Spec::Column(c) if c.value == "签约日期")
        );
        let Spec::Template(_, pieces) = &get(Field::NextStepWhat).alts[0].source else {
            panic!("template expected");
        };
        assert_eq!(
            pieces,
            &[
                Piece::Column("客户".into()),
                Piece::Text("：".into()),
                Piece::Column("事项".into())
            ]
        );
        let entered = get(Field::Entered);
        assert_eq!(entered.alts.len(), 2);
        assert_eq!(entered.alts[0].when[0].1, ["已成交", "赢单"]);
    }

    #[test]
    fn every_problem_is_reported_at_once_with_its_place() {
        let text = r#"
[sourse]
sheet = "x"

[fields]
code = "编号"
regoin = "地区"
stage = { column = "阶段", unit = "万元" }
status = { value = "won-ish" }
amount = { column = "金额", template = "{a}" }
name = { template = "{客户" }
owner = 3

[values.stage]
"谈判" = "Negotiatin"

[values.expected_close]
x = "y"

[people]
roles = ["salesrep"]
"#;
        let (_, findings) = read(text);
        let mut got: Vec<(&str, &str, usize)> = findings
            .iter()
            .map(|f| {
                let line = text[..f.span.unwrap().start].matches('\n').count() + 1;
                (f.code, f.message.key, line)
            })
            .collect();
        got.sort_by_key(|g| g.2);
        assert_eq!(
            got,
            [
                ("unknown-key", "msg.unknown-key", 2),
                ("missing-key", "import.map.missing-field", 5),
                ("unknown-key", "import.map.unknown-field", 7),
                ("unknown-key", "import.map.unit-not-amount", 8),
                ("unknown-value", "msg.unknown-value", 9),
                ("missing-key", "import.map.one-source", 10),
                ("unknown-value", "import.map.template", 11),
                ("wrong-type", "import.map.spec-type", 12),
                ("unknown-stage", "msg.unknown-stage", 15),
                ("unknown-key", "import.map.values-unmapped", 17),
                ("unknown-role", "msg.unknown-role", 21),
            ],
            "{findings:#?}"
        );
        let typo = findings
            .iter()
            .find(|f| f.message.key == "import.map.unknown-field")
            .unwrap();
        assert_eq!(typo.help.as_ref().unwrap().key, "help.did-you-mean");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Mappings put together from the pieces mappings are made of,
        /// in any order: read or reported, never a panic.
        #[test]
        fn any_mapping_reads_or_is_reported(pieces in proptest::collection::vec(
            proptest::sample::select(vec![
                "[fields]\n", "[values.stage]\n", "[source]\n", "[[join]]\n", "[people]\n",
                "[[people.from]]\n", "code = ", "stage = ", "amount = ", "outcome.date = ",
                "\"x\"\n", "\"\"\n", "{ column = \"a\" }\n", "{ template = \"{a\" }\n",
                "{ value = \"方案设计\" }\n", "[\"a\", { value = \"1\" }]\n", "unit = \"万元\"\n",
                "when = { a = 3 }\n", "on = \"a\"\n", "roles = [\"x\"]\n", "header_row = 0\n",
                "encoding = \"nope\"\n", "delimiter = \"ab\"\n", "= \n", "\"谈判\" = \"x\"\n",
            ]),
            0..24,
        )) {
            let text: String = pieces.concat();
            let mut findings = Vec::new();
            let m = parse("m.toml", &text, &process(), &mut findings);
            proptest::prop_assert!(m.is_some() || !findings.is_empty());
            for f in &findings {
                let span = f.span.unwrap();
                proptest::prop_assert!(span.start <= span.end && span.end <= text.len());
            }
        }
    }
}
