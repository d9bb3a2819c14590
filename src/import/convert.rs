//! One row → the values of one record, or every reason the row cannot be
//! taken (each with its column). Cells are read the way people fill
//! spreadsheets in: dates as `2026/3/5`, `2026年3月5日` or Excel serial
//! days, amounts with separators, currency signs or in 万元, stages and
//! statuses by id or by name in either language, people by id or name.

use jiff::civil::Date;

use super::bind::{Bound, BoundAlt, BoundPiece, Named, RowView, Source};
use super::field::{Field, Kind};
use super::people::{Roster, Who};
use super::table::{Cell, Row};
use crate::diag::Msg;
use crate::model::Status;
use crate::process::Process;
use crate::values;

/// A field's value, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Text, or a person's id once resolved.
    Text(String),
    Stage(usize),
    Status(Status),
    Amount(i64),
    Date(Date),
}

/// What a row says, field by field (fields the row leaves blank are
/// absent: a blank cell never erases anything).
#[derive(Clone, Debug, PartialEq)]
pub struct Converted {
    pub row: usize,
    pub code: String,
    /// Where the code was read, for problems with it found later (a
    /// duplicate, a clash with an existing folder).
    pub code_place: Place,
    pub values: Vec<(Field, Value)>,
}

impl Converted {
    pub fn get(&self, field: &Field) -> Option<&Value> {
        self.values.iter().find(|(f, _)| f == field).map(|(_, v)| v)
    }

    pub fn text(&self, field: &Field) -> Option<&str> {
        match self.get(field)? {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn date(&self, field: &Field) -> Option<Date> {
        match self.get(field)? {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn amount(&self, field: &Field) -> Option<i64> {
        match self.get(field)? {
            Value::Amount(n) => Some(*n),
            _ => None,
        }
    }

    pub fn stage(&self) -> Option<usize> {
        match self.get(&Field::Stage)? {
            Value::Stage(s) => Some(*s),
            _ => None,
        }
    }

    /// The status the row gives; a row that gives none is active.
    pub fn status(&self) -> Option<Status> {
        match self.get(&Field::Status)? {
            Value::Status(s) => Some(*s),
            _ => None,
        }
    }
}

/// Where a value was read, for messages.
#[derive(Clone, Debug, PartialEq)]
pub enum Place {
    Column(String),
    Template(String),
    /// A fixed value, or the field as a whole.
    Field(String),
}

/// Why a row cannot be taken.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    pub row: usize,
    pub place: Place,
    pub message: Msg,
    pub help: Option<Msg>,
}

/// Status ids and names in both languages (`won`, `已成交`, `Won`).
pub struct StatusNames(Vec<(String, Status)>);

impl StatusNames {
    pub fn new() -> Self {
        let mut names = Vec::new();
        for locale in crate::i18n::LOCALES {
            let i18n = crate::i18n::I18n::builtin(locale);
            for s in Status::ALL {
                names.push((i18n.get(&format!("status.{}", s.id())).to_string(), s));
            }
        }
        for s in Status::ALL {
            names.push((s.id().to_string(), s));
        }
        StatusNames(names)
    }

    pub fn find(&self, text: &str) -> Option<Status> {
        let text = text.trim();
        self.0
            .iter()
            .find(|(n, _)| n == text)
            .or_else(|| self.0.iter().find(|(n, _)| n.eq_ignore_ascii_case(text)))
            .map(|(_, s)| *s)
    }

    pub fn ids(&self) -> Vec<&str> {
        Status::ALL.iter().map(|s| s.id()).collect()
    }

    fn all(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(n, _)| n.as_str())
    }
}

impl Default for StatusNames {
    fn default() -> Self {
        StatusNames::new()
    }
}

/// A stage by id or name in any language, ignoring case for Latin text.
pub fn stage_of(process: &Process, text: &str) -> Option<usize> {
    let text = text.trim();
    process.stage_index(text).or_else(|| {
        process.stages.iter().position(|s| {
            s.id.eq_ignore_ascii_case(text)
                || s.name.variants().any(|n| n.eq_ignore_ascii_case(text))
        })
    })
}

/// Turns rows into record values.
pub struct Converter<'a> {
    pub bound: &'a Bound,
    pub joins: &'a [Named<'a>],
    pub process: &'a Process,
    /// The day of the import: what records the past cannot be after it.
    pub today: Date,
    pub statuses: StatusNames,
}

/// A person a row names, resolved once the row is known to be taken.
#[derive(Clone, Debug, PartialEq)]
struct PersonRef {
    /// The field naming them; `None` for `[[people.from]]` columns.
    field: Option<Field>,
    name: String,
    roles: Vec<usize>,
}

/// A row that converted: its values, and the people it names, who are
/// added to the roster only when the row is taken (not refused later as
/// a duplicate, say).
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub converted: Converted,
    persons: Vec<PersonRef>,
}

impl Pending {
    /// The row's values with people resolved to ids, adding those the
    /// roster lacks (with the row's department and region).
    pub fn take(self, roster: &mut Roster) -> Converted {
        let mut c = self.converted;
        let header = |id: &str| {
            c.values.iter().find_map(|(f, v)| match (f, v) {
                (Field::Header(h), Value::Text(t)) if h == id => Some(t.clone()),
                _ => None,
            })
        };
        let (department, region) = (header("department"), header("region"));
        for p in self.persons {
            let id = roster.add(
                &p.name,
                &p.roles,
                department.as_deref(),
                region.as_deref(),
                c.row,
            );
            if let Some(field) = p.field {
                c.values.push((field, Value::Text(id)));
            }
        }
        c
    }
}

impl Converter<'_> {
    /// Converts one row, or says every reason it cannot be taken.
    pub fn row(&self, row: &Row, roster: &Roster) -> Result<Pending, Vec<RowError>> {
        let view = RowView::new(row, self.bound, self.joins);
        let mut errors = Vec::new();
        let mut values = Vec::new();
        let mut persons = Vec::new();
        let required = Field::required(self.process);
        for f in &self.bound.fields {
            let key = f.field.key(self.process);
            let Some((cell, place, unit)) = self.first(&view, &f.alts, &f.field) else {
                if required.contains(&f.field) {
                    errors.push(self.blank(row.number, &view, &f.alts, &f.field));
                }
                continue;
            };
            let err = |message: Msg, help: Option<Msg>| RowError {
                row: row.number,
                place: place.clone(),
                message,
                help,
            };
            if let Cell::Error(e) = &cell {
                errors.push(err(
                    Msg::new("import.row.excel-error").arg("value", e),
                    None,
                ));
                continue;
            }
            match f.field.kind(self.process) {
                Kind::Person => {
                    let roles = match (&f.field, f.field.role()) {
                        (Field::Owner, _) => self.bound.owner_roles.clone(),
                        (_, Some(role)) => vec![role],
                        _ => Vec::new(),
                    };
                    if let (Who::Member(member), Some(role)) =
                        (roster.find(&cell.text()), f.field.role())
                        && !member.roles.contains(&role)
                    {
                        errors.push(err(
                            Msg::new("import.row.lacks-role")
                                .arg("person", &member.id.value)
                                .term(
                                    "role",
                                    format!("process.role.{}", self.process.roles[role].id),
                                ),
                            Some(Msg::new("import.row.help-lacks-role")),
                        ));
                        continue;
                    }
                    persons.push(PersonRef {
                        field: Some(f.field.clone()),
                        name: cell.text(),
                        roles,
                    });
                }
                kind => match self.typed(kind, &cell, unit, &f.field) {
                    Ok(Value::Date(d)) if f.field.records_the_past() && d > self.today => {
                        errors.push(err(
                            Msg::new("import.row.future")
                                .arg("field", &key)
                                .arg("date", d)
                                .arg("today", self.today),
                            Some(Msg::new("import.row.help-future")),
                        ));
                    }
                    Ok(v) => values.push((f.field.clone(), v)),
                    Err((message, help)) => errors.push(err(message, help)),
                },
            }
        }
        let code = values.iter().find_map(|(f, v)| match (f, v) {
            (Field::Code, Value::Text(c)) => Some(c.clone()),
            _ => None,
        });
        if let Some(c) = &code
            && let Err(why) = crate::edit::check_code(c)
        {
            errors.push(RowError {
                row: row.number,
                place: self.place_of(&view, &Field::Code),
                message: Msg::new("import.row.bad-code")
                    .arg("code", c)
                    .term("why", why),
                help: Some(Msg::new("import.row.help-code")),
            });
        }
        for (col, _, roles) in &self.bound.people_from {
            let name = view.cell(*col).text();
            if !name.trim().is_empty() {
                persons.push(PersonRef {
                    field: None,
                    name,
                    roles: roles.clone(),
                });
            }
        }
        match code {
            Some(code) if errors.is_empty() => Ok(Pending {
                converted: Converted {
                    row: row.number,
                    code,
                    code_place: self.place_of(&view, &Field::Code),
                    values,
                },
                persons,
            }),
            _ => Err(errors),
        }
    }

    fn applies(&self, view: &RowView, alt: &BoundAlt) -> bool {
        alt.when
            .iter()
            .all(|(col, any)| any.iter().any(|v| *v == view.cell(*col).text().trim()))
    }

    /// The first alternative that applies and gives a value, with the
    /// field's `[values]` table applied.
    fn first(
        &self,
        view: &RowView,
        alts: &[BoundAlt],
        field: &Field,
    ) -> Option<(Cell, Place, f64)> {
        let (cell, place, unit) = alts
            .iter()
            .filter(|a| self.applies(view, a))
            .find_map(|a| eval(view, &a.source).map(|c| (c, a)))
            .map(|(c, a)| (c, place(&a.source, &field.key(self.process)), a.unit))?;
        let mapped = self
            .bound
            .values
            .get(field)
            .and_then(|v| v.get(&cell.text()))
            .map(|to| Cell::Text(to.to_string()));
        Some((mapped.unwrap_or(cell), place, unit))
    }

    fn place_of(&self, view: &RowView, field: &Field) -> Place {
        self.bound
            .fields
            .iter()
            .find(|f| &f.field == field)
            .and_then(|f| {
                let alt = f.alts.iter().find(|a| self.applies(view, a))?;
                Some(place(&alt.source, &field.key(self.process)))
            })
            .unwrap_or_else(|| Place::Field(field.key(self.process)))
    }

    /// A required field the row leaves blank; says so when the column
    /// comes from a join that found no row.
    fn blank(&self, number: usize, view: &RowView, alts: &[BoundAlt], field: &Field) -> RowError {
        let key = field.key(self.process);
        let first = alts.iter().find(|a| self.applies(view, a)).or(alts.first());
        let place = first.map_or_else(|| Place::Field(key.clone()), |a| place(&a.source, &key));
        let missed = first.and_then(|a| match &a.source {
            Source::Column { col, .. } if view.missed(*col) => Some(col.table),
            Source::Template { pieces, .. } => pieces.iter().find_map(|p| match p {
                BoundPiece::Column(c) if view.missed(*c) => Some(c.table),
                _ => None,
            }),
            _ => None,
        });
        let help = match missed {
            Some(t) => {
                let join = &self.bound.joins[t - 1];
                Msg::new("import.row.help-join-miss")
                    .arg("file", &self.joins[t - 1].name)
                    .arg("key", view.row.cell(join.on).text())
            }
            None => Msg::new("import.row.help-blank"),
        };
        RowError {
            row: number,
            place,
            message: Msg::new("import.row.blank").arg("field", &key),
            help: Some(help),
        }
    }

    /// A cell as a value of `kind`, or the message and help why not.
    fn typed(
        &self,
        kind: Kind,
        cell: &Cell,
        unit: f64,
        field: &Field,
    ) -> Result<Value, (Msg, Option<Msg>)> {
        let text = cell.text();
        match kind {
            Kind::Text | Kind::Person => Ok(Value::Text(text)),
            Kind::Stage => stage_of(self.process, &text)
                .map(Value::Stage)
                .ok_or_else(|| {
                    let keys = self.process.stage_keys();
                    let mapped = self.bound.values.get(field);
                    let candidates = keys
                        .all
                        .iter()
                        .copied()
                        .chain(mapped.into_iter().flat_map(|v| v.keys()));
                    let help = crate::suggest::help(&text, candidates).unwrap_or_else(|| {
                        Msg::new("import.row.help-stage").arg("stages", keys.ids.join(", "))
                    });
                    (
                        Msg::new("msg.unknown-stage").arg("stage", &text),
                        Some(help),
                    )
                }),
            Kind::Status => self.statuses.find(&text).map(Value::Status).ok_or_else(|| {
                let mapped = self.bound.values.get(field);
                let candidates = self
                    .statuses
                    .all()
                    .chain(mapped.into_iter().flat_map(|v| v.keys()));
                let help = crate::suggest::help(&text, candidates)
                    .unwrap_or_else(|| Msg::new("import.row.help-status"));
                (
                    Msg::new("msg.unknown-value")
                        .arg("key", "status")
                        .arg("value", &text),
                    Some(help),
                )
            }),
            Kind::Amount => {
                let n = match cell {
                    Cell::Number(n) => values::whole_amount(n * unit),
                    _ => values::parse_amount(&text, unit),
                };
                n.map(Value::Amount).map_err(|e| {
                    (
                        Msg::new("import.row.amount")
                            .arg("value", &text)
                            .term("why", e.key()),
                        None,
                    )
                })
            }
            Kind::Date => {
                let d = match cell {
                    Cell::Date(d) => Some(*d),
                    Cell::Number(n) => values::excel_serial(*n),
                    _ => values::parse_date(&text).or_else(|| {
                        text.trim()
                            .parse::<f64>()
                            .ok()
                            .and_then(values::excel_serial)
                    }),
                };
                d.map(Value::Date).ok_or_else(|| {
                    (
                        Msg::new("import.row.bad-date").arg("value", &text),
                        Some(Msg::new("import.row.help-date")),
                    )
                })
            }
        }
    }
}

/// A source's value in a row; `None` when blank (a template is blank when
/// any of its columns is).
fn eval(view: &RowView, source: &Source) -> Option<Cell> {
    let cell = match source {
        Source::Column { col, .. } => view.cell(*col).clone(),
        Source::Template { pieces, .. } => {
            let mut out = String::new();
            for p in pieces {
                match p {
                    BoundPiece::Text(t) => out.push_str(t),
                    BoundPiece::Column(c) => {
                        let text = view.cell(*c).text();
                        if text.trim().is_empty() {
                            return None;
                        }
                        out.push_str(text.trim());
                    }
                }
            }
            Cell::Text(out.trim().to_string())
        }
        Source::Value(v) => Cell::Text(v.clone()),
    };
    (!cell.is_blank() && !cell.text().trim().is_empty()).then_some(cell)
}

/// Where a field's value was read, for messages (a fixed value: the field).
fn place(source: &Source, key: &str) -> Place {
    match source {
        Source::Column { title, .. } => Place::Column(title.clone()),
        Source::Template { raw, .. } => Place::Template(raw.clone()),
        Source::Value(_) => Place::Field(key.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::{Fixture, process};

    const MAP: &str = r#"
[fields]
code = "编号"
name = { template = "{客户} {产品}" }
owner = "负责人"
stage = "阶段"
status = "阶段"
region = "地区"
department = { value = "轨道交通事业部" }
amount = { column = "金额", unit = "万元" }
entered = [{ column = "签约日期", when = { "阶段" = "赢单" } }, "立项日期"]
"outcome.date" = "签约日期"
"judgements.dept_head.judgement" = "主管意见"
"judgements.dept_head.by" = "主管"

[values.stage]
"赢单" = "signing"
"丢单" = "商务谈判"
[values.status]
"赢单" = "won"
"丢单" = "lost"
"谈判" = "active"
"方案设计" = "active"
"#;

    const HEAD: &str = "编号,客户,产品,负责人,阶段,地区,金额,签约日期,立项日期,主管意见,主管\n";

    fn convert(rows: &str) -> (Vec<Result<Converted, Vec<RowError>>>, Vec<String>) {
        let f = Fixture::new(MAP, &format!("{HEAD}{rows}"));
        f.convert_all()
    }

    fn one(row: &str) -> Result<Converted, Vec<RowError>> {
        convert(row).0.remove(0)
    }

    #[test]
    fn a_good_row_gives_typed_values() {
        let c = one(
            "HZ-1,地铁集团,综合监控,李明,赢单,浙江,380.5,2026年3月5日,2026/1/8,值得跟进,周强\n",
        )
        .unwrap();
        assert_eq!(c.code, "HZ-1");
        assert_eq!(c.row, 2);
        assert_eq!(c.text(&Field::Name), Some("地铁集团 综合监控"));
        assert_eq!(c.text(&Field::Owner), Some("liming"));
        assert_eq!(c.stage(), Some(7));
        assert_eq!(c.status(), Some(Status::Won));
        assert_eq!(
            c.amount(&Field::Amount),
            Some(3_805_000),
            "a column in 万元"
        );
        assert_eq!(
            c.date(&Field::Entered),
            Some(jiff::civil::date(2026, 3, 5)),
            "won: signed"
        );
        assert_eq!(
            c.text(&Field::Judgement(
                1,
                crate::import::field::JudgementPart::By
            )),
            Some("zhouqiang")
        );
        let c =
            one("HZ-2,地铁集团,综合监控,李明,方案设计,浙江,\"1,200,000元\",,46030,,\n").unwrap();
        assert_eq!(c.stage(), Some(2), "a stage by its Chinese name");
        assert_eq!(
            c.amount(&Field::Amount),
            Some(1_200_000),
            "a unit in the cell wins"
        );
        assert_eq!(
            c.date(&Field::Entered),
            Some(jiff::civil::date(2026, 1, 8)),
            "an Excel serial"
        );
        assert_eq!(c.get(&Field::OutcomeDate), None, "blank cells give nothing");
    }

    #[test]
    fn every_problem_of_a_row_is_reported_with_its_column() {
        let errors =
            one("a/b,,综合监控,,Negotiatin,浙江,十万,2099-01-01,soon,好,李明\n").unwrap_err();
        let got: Vec<(String, &str)> = errors
            .iter()
            .map(|e| {
                let place = match &e.place {
                    Place::Column(c) => format!("column {c}"),
                    Place::Template(t) => format!("template {t}"),
                    Place::Field(f) => format!("field {f}"),
                };
                (place, e.message.key)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("template {客户} {产品}".to_string(), "import.row.blank"),
                ("column 负责人".to_string(), "import.row.blank"),
                ("column 阶段".to_string(), "msg.unknown-stage"),
                ("column 阶段".to_string(), "msg.unknown-value"),
                ("column 金额".to_string(), "import.row.amount"),
                ("column 立项日期".to_string(), "import.row.bad-date"),
                ("column 签约日期".to_string(), "import.row.future"),
                ("column 主管".to_string(), "import.row.lacks-role"),
                ("column 编号".to_string(), "import.row.bad-code"),
            ]
        );
        assert_eq!(errors[0].row, 2);
        let stage = &errors[2];
        assert_eq!(stage.help.as_ref().unwrap().key, "help.did-you-mean");
    }

    #[test]
    fn people_are_added_only_for_rows_that_are_taken() {
        let (results, new) = convert(
            "A-1,客户,产品,Moses Frase,方案设计,Central,,,,,\n\
             A-2,客户,产品,Ann Lee,Negotiatin,Central,,,,,\n\
             A-3,客户,产品,Moses Frase,方案设计,Central,,,,,\n",
        );
        assert!(results[1].is_err());
        assert_eq!(
            results[2].as_ref().unwrap().text(&Field::Owner),
            Some("moses-frase")
        );
        assert_eq!(new, ["moses-frase"]);
    }

    #[test]
    fn statuses_by_id_or_name_in_either_language() {
        let s = StatusNames::new();
        assert_eq!(s.find("已成交"), Some(Status::Won));
        assert_eq!(s.find("Lost"), Some(Status::Lost));
        assert_eq!(s.find(" paused "), Some(Status::Paused));
        assert_eq!(s.find("跟进中"), Some(Status::Active));
        assert_eq!(s.find("gone"), None);
        let p = process();
        assert_eq!(stage_of(&p, "Solution design"), Some(2));
        assert_eq!(stage_of(&p, "SIGNING"), Some(7));
        assert_eq!(stage_of(&p, "签约成交"), Some(7));
    }
}
