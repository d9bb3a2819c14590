//! The pipeline as an Excel workbook that reads like the paper tracking
//! form: a sheet of all projects, then one sheet per stage with its
//! conditions and every role's judgement and follow-up. Titles are in the
//! reader's language; dates are real dates and amounts numbers, so the
//! sheets sort, filter and sum.
//!
//! The sheets are first built as plain data (`Sheet`), then written; the
//! as-of date stands in for the creation time, so the same data gives the
//! same bytes.

use jiff::civil::Date;
use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format, FormatAlign, IntoCustomDateTime, RowNum,
    Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::sheet_name::sheet_names;
use super::{stage_name, text};
use crate::analyze::dates::last_activity;
use crate::i18n::I18n;
use crate::model::{CondState, Dataset, Project};
use crate::process::Process;
use crate::span::Sp;

/// What a column holds: it decides the cell format and the width.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// A code, a name of a person or a place.
    Short,
    /// Sentences: the actual situation, judgements, follow-ups.
    Long,
    /// A condition's mark.
    Mark,
    Date,
    Amount,
}

impl Kind {
    /// The narrowest and widest a column of this kind gets, in characters
    /// (a CJK character counts two). Text wider than that wraps.
    fn widths(self) -> (usize, usize) {
        match self {
            Kind::Short => (8, 24),
            Kind::Long => (12, 40),
            Kind::Mark => (8, 16),
            Kind::Date => (12, 12),
            Kind::Amount => (12, 18),
        }
    }
}

#[derive(Debug)]
struct Column {
    title: String,
    kind: Kind,
}

fn column(title: impl Into<String>, kind: Kind) -> Column {
    Column {
        title: title.into(),
        kind,
    }
}

#[derive(Debug, PartialEq)]
enum Cell {
    Empty,
    Text(String),
    Date(Date),
    Amount(i64),
}

impl Cell {
    fn text(s: &str) -> Cell {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    }

    fn date(d: Option<&Sp<Date>>) -> Cell {
        d.map_or(Cell::Empty, |d| Cell::Date(d.value))
    }

    /// How wide the cell shows, in characters.
    fn width(&self) -> usize {
        match self {
            Cell::Empty => 0,
            Cell::Text(t) => t.lines().map(UnicodeWidthStr::width).max().unwrap_or(0),
            Cell::Date(_) => 10,
            Cell::Amount(a) => {
                let digits = a.unsigned_abs().to_string().len();
                digits + (digits - 1) / 3 + usize::from(*a < 0)
            }
        }
    }
}

/// A sheet before it is written.
#[derive(Debug)]
struct Sheet {
    name: String,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
}

/// The workbook's bytes: the projects sheet, then a sheet per stage.
pub fn workbook(data: &Dataset, i18n: &I18n, as_of: Date) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let title = data.process.text(&data.process.title, i18n.locale());
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(Created(as_of)),
    );
    let formats = Formats::new();
    for sheet in sheets(data, i18n) {
        write(book.add_worksheet(), &sheet, &formats)?;
    }
    book.save_to_buffer()
}

/// The as-of date as the document's creation time; without it the file
/// would carry the clock.
struct Created(Date);

impl IntoCustomDateTime for Created {
    fn utc_datetime(self) -> String {
        format!("{}T00:00:00Z", self.0)
    }
}

fn sheets(data: &Dataset, i18n: &I18n) -> Vec<Sheet> {
    let process = &data.process;
    let locale = i18n.locale();
    let mut wanted = vec![(i18n.get("export.sheet_projects"), "projects")];
    wanted.extend(
        process
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (stage_name(process, i, locale), s.id.as_str())),
    );
    let mut names = sheet_names(&wanted).into_iter();
    let mut out = vec![projects_sheet(data, i18n, names.next().unwrap_or_default())];
    for (stage, name) in names.enumerate() {
        out.push(stage_sheet(data, i18n, stage, name));
    }
    out
}

/// The label of a header field of the process in `locale`, else the
/// catalogue's `key`.
fn label(process: &Process, i18n: &I18n, id: &str, key: &str) -> String {
    process
        .header
        .iter()
        .find(|h| h.id == id)
        .map_or(i18n.get(key), |h| process.text(&h.label, i18n.locale()))
        .to_string()
}

/// A person's name for an id (the id itself for someone not in the team).
fn person(data: &Dataset, id: Option<&Sp<String>>) -> Cell {
    let id = text(id);
    Cell::text(data.team.find(id).map_or(id, |p| p.name.as_str()))
}

/// Code and name, the two columns every sheet starts with and keeps in
/// view.
fn identity(data: &Dataset, i18n: &I18n) -> Vec<Column> {
    vec![
        column(
            label(&data.process, i18n, "code", "export.code"),
            Kind::Short,
        ),
        column(
            label(&data.process, i18n, "name", "export.name"),
            Kind::Long,
        ),
    ]
}

fn identity_cells(p: &Project) -> Vec<Cell> {
    vec![Cell::text(&p.code.value), Cell::text(text(p.name.as_ref()))]
}

fn projects_sheet(data: &Dataset, i18n: &I18n, name: String) -> Sheet {
    let process = &data.process;
    let locale = i18n.locale();
    let header: Vec<_> = process
        .header
        .iter()
        .filter(|h| h.id != "code" && h.id != "name")
        .collect();
    let mut columns = identity(data, i18n);
    columns.extend(
        header
            .iter()
            .map(|h| column(process.text(&h.label, locale), Kind::Short)),
    );
    columns.extend([
        column(i18n.get("export.owner"), Kind::Short),
        column(i18n.get("export.stage"), Kind::Short),
        column(i18n.get("export.status"), Kind::Short),
        column(i18n.get("export.amount"), Kind::Amount),
        column(i18n.get("export.expected_close"), Kind::Date),
        column(i18n.get("export.next_step_date"), Kind::Date),
        column(i18n.get("export.next_step"), Kind::Long),
        column(i18n.get("export.last_activity"), Kind::Date),
    ]);
    let rows = data
        .projects
        .iter()
        .map(|p| {
            let mut cells = identity_cells(p);
            cells.extend(header.iter().map(|h| {
                let value = p.header.get(&h.id);
                if h.person {
                    person(data, value)
                } else {
                    Cell::text(text(value))
                }
            }));
            let next = p.next_step.as_ref();
            cells.extend([
                person(data, p.owner.as_ref()),
                Cell::text(
                    p.stage
                        .as_ref()
                        .map_or("", |s| stage_name(process, s.value, locale)),
                ),
                Cell::text(i18n.get(&format!("status.{}", p.status().id()))),
                p.amount
                    .as_ref()
                    .map_or(Cell::Empty, |a| Cell::Amount(a.value)),
                Cell::date(p.expected_close.as_ref()),
                Cell::date(next.and_then(|n| n.date.as_ref())),
                Cell::text(text(next.and_then(|n| n.what.as_ref()))),
                last_activity(p).map_or(Cell::Empty, Cell::Date),
            ]);
            cells
        })
        .collect();
    Sheet {
        name,
        columns,
        rows,
    }
}

/// One stage as the paper form lays it out: dates, the actual situation,
/// a column per condition, then each role's judgement, follow-up, writer
/// and date. A row per project whose record has the stage.
fn stage_sheet(data: &Dataset, i18n: &I18n, stage: usize, name: String) -> Sheet {
    let process = &data.process;
    let locale = i18n.locale();
    let def = &process.stages[stage];
    let mut columns = identity(data, i18n);
    columns.extend([
        column(i18n.get("export.entered"), Kind::Date),
        column(i18n.get("export.done"), Kind::Date),
        column(i18n.get("export.actual"), Kind::Long),
    ]);
    columns.extend(
        def.conditions
            .iter()
            .map(|c| column(process.text(&c.text, locale), Kind::Mark)),
    );
    for role in &process.roles {
        let role = process.text(&role.name, locale);
        let title = |key| i18n.format(&crate::diag::Msg::new(key).arg("role", role));
        columns.extend([
            column(title("export.role_judgement"), Kind::Long),
            column(title("export.role_follow_up"), Kind::Long),
            column(title("export.role_by"), Kind::Short),
            column(title("export.role_date"), Kind::Date),
        ]);
    }
    let mark = |state: CondState, reason: &str| match state {
        CondState::Met => Cell::text(i18n.get("export.met")),
        CondState::Open => Cell::Empty,
        CondState::Waived if reason.is_empty() => Cell::text(i18n.get("export.waived")),
        CondState::Waived => Cell::Text(
            i18n.format(&crate::diag::Msg::new("export.waived_because").arg("reason", reason)),
        ),
    };
    let rows = data
        .projects
        .iter()
        .filter_map(|p| Some((p, p.stage_record(stage)?)))
        .map(|(p, rec)| {
            let mut cells = identity_cells(p);
            cells.extend([
                Cell::date(rec.entered.as_ref()),
                Cell::date(rec.done.as_ref()),
                Cell::text(text(rec.actual.as_ref())),
            ]);
            cells.extend((0..def.conditions.len()).map(|c| {
                rec.condition(c)
                    .map_or(Cell::Empty, |c| mark(c.state, text(c.reason.as_ref())))
            }));
            for role in 0..process.roles.len() {
                let j = rec.judgement(role);
                cells.extend([
                    Cell::text(text(j.and_then(|j| j.judgement.as_ref()))),
                    Cell::text(text(j.and_then(|j| j.follow_up.as_ref()))),
                    person(data, j.and_then(|j| j.by.as_ref())),
                    Cell::date(j.and_then(|j| j.date.as_ref())),
                ]);
            }
            cells
        })
        .collect();
    Sheet {
        name,
        columns,
        rows,
    }
}

/// The cell formats of every sheet.
struct Formats {
    header: Format,
    text: Format,
    date: Format,
    amount: Format,
}

impl Formats {
    fn new() -> Self {
        let top = Format::new().set_align(FormatAlign::Top);
        Formats {
            header: top.clone().set_bold().set_text_wrap(),
            text: top.clone().set_text_wrap(),
            date: top.clone().set_num_format("yyyy-mm-dd"),
            amount: top.set_num_format("#,##0"),
        }
    }
}

/// Writes a sheet: bold titles, the title row and the first two columns
/// frozen, widths from the content, wrapped text, an autofilter.
fn write(ws: &mut Worksheet, sheet: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    let col = |i: usize| ColNum::try_from(i).map_err(|_| XlsxError::RowColumnLimitError);
    let row = |i: usize| RowNum::try_from(i).map_err(|_| XlsxError::RowColumnLimitError);
    for (c, column) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(0, col(c)?, &column.title, &f.header)?;
        let content = sheet.rows.iter().map(|r| r.get(c).map_or(0, Cell::width));
        ws.set_column_width(col(c)?, width(column, content))?;
    }
    for (r, cells) in sheet.rows.iter().enumerate() {
        let r = row(r + 1)?;
        for (c, cell) in cells.iter().enumerate() {
            let c = col(c)?;
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => {
                    ws.write_string_with_format(r, c, t, &f.text)?;
                }
                Cell::Amount(a) => {
                    // Excel holds numbers as doubles; amounts stay exact
                    // up to 2^53 yuan.
                    ws.write_number_with_format(r, c, *a as f64, &f.amount)?;
                }
                Cell::Date(d) => match excel_date(*d) {
                    Some(x) => {
                        ws.write_date_with_format(r, c, &x, &f.date)?;
                    }
                    // Before 1900 Excel has no dates: keep the text.
                    None => {
                        ws.write_string_with_format(r, c, d.to_string(), &f.text)?;
                    }
                },
            }
        }
    }
    ws.set_freeze_panes(1, 2)?;
    let last = col(sheet.columns.len().saturating_sub(1))?;
    ws.autofilter(0, 0, row(sheet.rows.len())?, last)?;
    Ok(())
}

fn excel_date(d: Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    let month = u8::try_from(d.month()).ok()?;
    let day = u8::try_from(d.day()).ok()?;
    ExcelDateTime::from_ymd(year, month, day).ok()
}

/// A column's width: its widest cell or title (plus a margin), within
/// what its kind allows.
fn width(column: &Column, content: impl Iterator<Item = usize>) -> f64 {
    let (min, max) = column.kind.widths();
    let widest = content.max().unwrap_or(0).max(column.title.width());
    (widest + 2).clamp(min, max) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_as_wide_as_with_thousands_separators() {
        assert_eq!(Cell::Amount(0).width(), 1);
        assert_eq!(Cell::Amount(999).width(), 3);
        assert_eq!(Cell::Amount(1_000).width(), 5);
        assert_eq!(Cell::Amount(3_800_000).width(), 9);
        assert_eq!(Cell::Amount(-1_000).width(), 6);
    }

    #[test]
    fn widths_count_cjk_double_and_stay_within_the_kind() {
        let short = column("代号", Kind::Short);
        assert_eq!(width(&short, [].into_iter()), 8.0);
        assert_eq!(width(&short, [12].into_iter()), 14.0);
        assert_eq!(width(&short, [100].into_iter()), 24.0);
        assert_eq!(Cell::text("项目立项").width(), 8);
        // A long title counts too, up to the limit.
        let long = column("搜集信息，并完整填写项目立项申请表", Kind::Mark);
        assert_eq!(width(&long, [1].into_iter()), 16.0);
    }

    #[test]
    fn dates_excel_cannot_hold_are_left_to_text() {
        assert!(excel_date(Date::constant(2026, 11, 26)).is_some());
        assert!(excel_date(Date::constant(1850, 1, 1)).is_none());
        assert!(excel_date(Date::constant(-5, 1, 1)).is_none());
    }

    #[test]
    fn the_creation_time_is_the_as_of_date() {
        assert_eq!(
            Created(Date::constant(2026, 11, 26)).utc_datetime(),
            "2026-11-26T00:00:00Z"
        );
    }
}
