//! Ties a mapping to the tables read: every column title it names must be
//! a column of the imported table or of a joined one, and every joined
//! table must have one row per key. Problems are findings in the mapping
//! file (`map.toml:12:10: no column "deal_stge" in pipeline.csv`), all of
//! them at once.

use std::collections::HashMap;

use super::field::Field;
use super::mapping::{Alt, Mapping, Piece, Spec};
use super::table::{Cell, Row, Table};
use crate::diag::{Msg, codes};
use crate::load::toml_reader::FileCx;
use crate::span::Sp;

/// A column: of the imported table (`table` 0) or of the n-th join
/// (`table` n).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColRef {
    pub table: usize,
    pub col: usize,
}

/// A table with the name messages call it by (`sales_teams.csv`).
pub struct Named<'t> {
    pub name: String,
    pub table: &'t Table,
}

/// The mapping with columns resolved, ready to convert rows.
#[derive(Debug, Default)]
pub struct Bound {
    pub fields: Vec<BoundField>,
    pub joins: Vec<BoundJoin>,
    /// (column, title, roles) of `[[people.from]]`.
    pub people_from: Vec<(ColRef, String, Vec<usize>)>,
    /// Roles of owners `--add-people` adds.
    pub owner_roles: Vec<usize>,
    /// `[values.<field>]`, by field.
    pub values: HashMap<Field, ValueLookup>,
}

#[derive(Debug)]
pub struct BoundField {
    pub field: Field,
    pub alts: Vec<BoundAlt>,
}

#[derive(Debug)]
pub struct BoundAlt {
    pub source: Source,
    pub unit: f64,
    pub when: Vec<(ColRef, Vec<String>)>,
}

/// Where a value comes from, with what messages call it.
#[derive(Debug)]
pub enum Source {
    Column {
        col: ColRef,
        title: String,
    },
    Template {
        pieces: Vec<BoundPiece>,
        raw: String,
    },
    Value(String),
}

#[derive(Debug)]
pub enum BoundPiece {
    Text(String),
    Column(ColRef),
}

/// A joined table's rows by key.
#[derive(Debug)]
pub struct BoundJoin {
    /// The imported table's key column.
    pub on: usize,
    /// Normalized key → row index in the joined table.
    pub rows: HashMap<String, usize>,
}

/// A `[values.<field>]` table: exact matches first, then ignoring case.
#[derive(Debug, Default)]
pub struct ValueLookup {
    exact: HashMap<String, String>,
    folded: HashMap<String, String>,
}

impl ValueLookup {
    pub fn new(entries: &[(String, String)]) -> Self {
        let mut v = ValueLookup::default();
        for (from, to) in entries {
            v.exact.insert(from.clone(), to.clone());
            v.folded
                .entry(from.to_lowercase())
                .or_insert_with(|| to.clone());
        }
        v
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        let key = key.trim();
        self.exact
            .get(key)
            .or_else(|| self.folded.get(&key.to_lowercase()))
            .map(String::as_str)
    }

    /// The values it knows, for suggestions.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.exact.keys().map(String::as_str)
    }
}

/// How join keys compare: as people type them, ignoring case and spaces
/// (`GTXPro` finds `GTX Pro`), like a lookup in a spreadsheet is forgiving.
pub fn join_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One row of the imported table with the rows its joins found.
pub struct RowView<'t> {
    pub row: &'t Row,
    pub joined: Vec<Option<&'t Row>>,
}

impl<'t> RowView<'t> {
    pub fn new(row: &'t Row, bound: &Bound, joins: &[Named<'t>]) -> Self {
        let joined = bound
            .joins
            .iter()
            .zip(joins)
            .map(|(j, t)| {
                let key = join_key(&row.cell(j.on).text());
                j.rows.get(&key).map(|&i| &t.table.rows[i])
            })
            .collect();
        RowView { row, joined }
    }

    pub fn cell(&self, c: ColRef) -> &'t Cell {
        if c.table == 0 {
            return self.row.cell(c.col);
        }
        match self.joined[c.table - 1] {
            Some(r) => r.cell(c.col),
            None => &Cell::Empty,
        }
    }

    /// Whether a column comes from a join that found no row.
    pub fn missed(&self, c: ColRef) -> bool {
        c.table > 0 && self.joined[c.table - 1].is_none()
    }
}

/// Resolves every column the mapping names. `None` when one is missing
/// (each reported).
pub fn bind(m: &Mapping, main: &Named, joins: &[Named], cx: &mut FileCx) -> Option<Bound> {
    let mut b = Binder {
        main,
        joins,
        ok: true,
    };
    let mut bound = Bound {
        owner_roles: m.people.roles.clone(),
        ..Bound::default()
    };
    for (j, named) in m.joins.iter().zip(joins) {
        let on = b.column_of(cx, main, &j.on);
        let key_title = j.key.as_ref().unwrap_or(&j.on);
        let key = b.column_of(cx, named, key_title);
        let (Some(on), Some(key)) = (on, key) else {
            bound.joins.push(BoundJoin {
                on: 0,
                rows: HashMap::new(),
            });
            continue;
        };
        let mut rows: HashMap<String, usize> = HashMap::new();
        for (i, row) in named.table.rows.iter().enumerate() {
            let k = join_key(&row.cell(key).text());
            if k.is_empty() {
                continue;
            }
            if let Some(&first) = rows.get(&k) {
                b.ok = false;
                cx.report(
                    &codes::DUPLICATE_ENTRY,
                    key_title.span,
                    Msg::new("import.map.join-duplicate")
                        .arg("file", &named.name)
                        .arg("key", row.cell(key).text())
                        .arg("first", named.table.rows[first].number)
                        .arg("second", row.number),
                    Some(Msg::new("import.map.help-join-duplicate")),
                );
                break;
            }
            rows.insert(k, i);
        }
        bound.joins.push(BoundJoin { on, rows });
    }
    for f in &m.fields {
        let alts = f.alts.iter().filter_map(|a| b.alt(cx, a)).collect();
        bound.fields.push(BoundField {
            field: f.field.clone(),
            alts,
        });
    }
    for p in &m.people.from {
        if let Some(col) = b.column(cx, &p.column) {
            bound
                .people_from
                .push((col, p.column.value.clone(), p.roles.clone()));
        }
    }
    for v in &m.values {
        bound
            .values
            .insert(v.field.clone(), ValueLookup::new(&v.entries));
    }
    b.ok.then_some(bound)
}

struct Binder<'a, 't> {
    main: &'a Named<'t>,
    joins: &'a [Named<'t>],
    ok: bool,
}

impl Binder<'_, '_> {
    /// Binds one alternative; every column it names is looked up, so all
    /// unknown ones are reported, not just the first.
    fn alt(&mut self, cx: &mut FileCx, a: &Alt) -> Option<BoundAlt> {
        let source = match &a.source {
            Spec::Column(title) => self.column(cx, title).map(|col| Source::Column {
                col,
                title: title.value.clone(),
            }),
            Spec::Template(raw, pieces) => {
                let bound: Vec<Option<BoundPiece>> = pieces
                    .iter()
                    .map(|p| match p {
                        Piece::Text(t) => Some(BoundPiece::Text(t.clone())),
                        Piece::Column(c) => self
                            .column(cx, &Sp::new(c.clone(), raw.span))
                            .map(BoundPiece::Column),
                    })
                    .collect();
                bound
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .map(|pieces| Source::Template {
                        pieces,
                        raw: raw.value.clone(),
                    })
            }
            Spec::Value(v) => Some(Source::Value(v.value.clone())),
        };
        let when: Vec<Option<(ColRef, Vec<String>)>> = a
            .when
            .iter()
            .map(|(title, values)| Some((self.column(cx, title)?, values.clone())))
            .collect();
        Some(BoundAlt {
            source: source?,
            unit: a.unit,
            when: when.into_iter().collect::<Option<_>>()?,
        })
    }

    /// A title in the imported table, else in the joins in order.
    fn column(&mut self, cx: &mut FileCx, title: &Sp<String>) -> Option<ColRef> {
        let tables = std::iter::once(self.main).chain(self.joins);
        for (i, t) in tables.enumerate() {
            if let Some(col) = position(t.table, &title.value) {
                self.unique(cx, t, title);
                return Some(ColRef { table: i, col });
            }
        }
        self.missing(cx, title, self.main);
        None
    }

    /// A title in one table.
    fn column_of(&mut self, cx: &mut FileCx, t: &Named, title: &Sp<String>) -> Option<usize> {
        let col = position(t.table, &title.value);
        match col {
            Some(_) => self.unique(cx, t, title),
            None => self.missing(cx, title, t),
        }
        col
    }

    /// A title two columns share cannot say which one is meant.
    fn unique(&mut self, cx: &mut FileCx, t: &Named, title: &Sp<String>) {
        let count = t
            .table
            .headers
            .iter()
            .filter(|h| h.trim() == title.value.trim())
            .count();
        if count > 1 {
            self.ok = false;
            cx.report(
                &codes::DUPLICATE_ENTRY,
                title.span,
                Msg::new("import.map.ambiguous-column")
                    .arg("column", &title.value)
                    .arg("file", &t.name)
                    .arg("count", count),
                Some(Msg::new("import.map.help-ambiguous-column")),
            );
        }
    }

    fn missing(&mut self, cx: &mut FileCx, title: &Sp<String>, t: &Named) {
        self.ok = false;
        let titles = t.table.headers.iter().map(String::as_str);
        let help = crate::suggest::help(&title.value, titles).unwrap_or_else(|| {
            let shown: Vec<&str> = t
                .table
                .headers
                .iter()
                .filter(|h| !h.is_empty())
                .map(String::as_str)
                .collect();
            Msg::new("import.map.help-columns").arg("columns", shown.join(", "))
        });
        cx.report(
            &codes::UNKNOWN_VALUE,
            title.span,
            Msg::new("import.map.no-column")
                .arg("column", &title.value)
                .arg("file", &t.name),
            Some(help),
        );
    }
}

/// The first column with this title (titles compare trimmed).
fn position(t: &Table, title: &str) -> Option<usize> {
    let title = title.trim();
    t.headers.iter().position(|h| h.trim() == title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::{Options, read};
    use crate::import::testing::process;

    fn table(text: &str) -> Table {
        read("t.csv", text.as_bytes(), &Options::default()).unwrap()
    }

    #[test]
    fn columns_resolve_in_the_table_then_the_joins() {
        let main = table("agent,deal\nAnn Lee,D1\nBo,D2\n");
        let teams = table("agent,office\nann lee ,East\n");
        let mapping = "[[join]]\nfile = \"teams.csv\"\non = \"agent\"\n\
            [fields]\ncode = \"deal\"\nname = \"deal\"\nowner = \"agent\"\nstage = { value = \"项目立项\" }\n\
            region = \"office\"\ndepartment = { template = \"{office} team\" }\n";
        let mut findings = Vec::new();
        let m =
            crate::import::mapping::parse("m.toml", mapping, &process(), &mut findings).unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        let main = Named {
            name: "deals.csv".into(),
            table: &main,
        };
        let joins = [Named {
            name: "teams.csv".into(),
            table: &teams,
        }];
        let mut cx = FileCx::new("m.toml", &mut findings);
        let bound = bind(&m, &main, &joins, &mut cx).unwrap();
        let region = bound
            .fields
            .iter()
            .find(|f| f.field == Field::Header("region".into()))
            .unwrap();
        let Source::Column { col, .. } = &region.alts[0].source else {
            panic!()
        };
        assert_eq!(*col, ColRef { table: 1, col: 1 });
        let first = RowView::new(&main.table.rows[0], &bound, &joins);
        assert_eq!(
            first.cell(*col),
            &Cell::Text("East".into()),
            "keys ignore case and spaces"
        );
        let second = RowView::new(&main.table.rows[1], &bound, &joins);
        assert!(second.cell(*col).is_blank() && second.missed(*col));
    }

    #[test]
    fn unknown_titles_and_duplicate_join_keys_are_reported() {
        let main = table("agent,deal\nAnn,D1\n");
        let teams = table("agent,office\nAnn,East\nann,West\n");
        let mapping = "[[join]]\nfile = \"teams.csv\"\non = \"agent\"\n\
            [fields]\ncode = \"dael\"\nname = { template = \"{deal} {zzz}\" }\nowner = \"agent\"\n\
            stage = { value = \"项目立项\" }\nregion = \"office\"\ndepartment = { value = \"x\" }\n";
        let mut findings = Vec::new();
        let m =
            crate::import::mapping::parse("m.toml", mapping, &process(), &mut findings).unwrap();
        let main = Named {
            name: "deals.csv".into(),
            table: &main,
        };
        let joins = [Named {
            name: "teams.csv".into(),
            table: &teams,
        }];
        let mut cx = FileCx::new("m.toml", &mut findings);
        assert!(bind(&m, &main, &joins, &mut cx).is_none());
        let keys: Vec<&str> = findings.iter().map(|f| f.message.key).collect();
        assert_eq!(
            keys,
            [
                "import.map.join-duplicate",
                "import.map.no-column",
                "import.map.no-column"
            ]
        );
        assert_eq!(findings[1].help.as_ref().unwrap().key, "help.did-you-mean");

        let twice = table("deal,deal,agent\nD1,D2,Ann\n");
        let main = Named {
            name: "deals.csv".into(),
            table: &twice,
        };
        let mut findings = Vec::new();
        let mut cx = FileCx::new("m.toml", &mut findings);
        let m = crate::import::mapping::parse(
            "m.toml",
            "[fields]\ncode = \"deal\"\nname = \"agent\"\nowner = \"agent\"\nstage = { value = \"项目立项\" }\n\
             region = { value = \"x\" }\ndepartment = { value = \"x\" }\n",
            &process(),
            cx.findings,
        )
        .unwrap();
        assert!(bind(&m, &main, &[], &mut cx).is_none());
        assert_eq!(findings[0].message.key, "import.map.ambiguous-column");
    }

    #[test]
    fn value_tables_match_exactly_then_ignoring_case() {
        let v = ValueLookup::new(&[("Won".into(), "won".into()), ("won".into(), "lost".into())]);
        assert_eq!(v.get(" Won "), Some("won"));
        assert_eq!(v.get("won"), Some("lost"));
        assert_eq!(
            v.get("WON"),
            Some("won"),
            "the first written wins when folded"
        );
        assert_eq!(v.get("Lost"), None);
    }
}
