//! The rows against the repo: which projects an import creates, which it
//! updates and how, which are already as the sheet says, and which rows
//! it refuses. The same plan is printed by a dry run and carried out by
//! `--write`, so what a dry run shows is what a write does.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use super::convert::{Converted, Converter, Place, RowError, Value};
use super::diff::{Change, changes, show_change};
use super::field::{Field, JudgementPart};
use super::people::{NewPerson, Roster};
use super::table::Row;
use super::update::{EditCx, apply};
use crate::diag::Msg;
use crate::edit::record::{ImportedText, JudgementText, NewProject, OutcomeText, new_record};
use crate::i18n::I18n;
use crate::load::{PROJECTS, RECORD, RepoFiles};
use crate::model::{Dataset, Project, Status};
use crate::process::Process;

/// What the import needs to know of the repo.
pub struct Repo<'a> {
    pub data: &'a Dataset,
    /// Every project folder → its record's text, when it could be read
    /// (a folder whose record is unreadable still takes its code).
    pub records: BTreeMap<String, Option<String>>,
}

impl<'a> Repo<'a> {
    /// The loaded data and the record texts of the files it came from.
    pub fn new(data: &'a Dataset, files: &RepoFiles) -> Self {
        let mut records: BTreeMap<String, Option<String>> = BTreeMap::new();
        for (path, entry) in files.under(PROJECTS) {
            let Some((folder, rest)) = path[PROJECTS.len()..].split_once('/') else {
                continue;
            };
            let text = records.entry(folder.to_string()).or_default();
            if rest == RECORD
                && let Some(b) = entry.bytes()
            {
                let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
                *text = std::str::from_utf8(b).ok().map(str::to_string);
            }
        }
        Repo { data, records }
    }
}

/// How to import.
pub struct Options<'a> {
    /// The imported file's name, for `[imported] source`.
    pub file_name: &'a str,
    pub today: Date,
    /// Change existing projects (`--update`).
    pub update: bool,
}

/// A project to create.
#[derive(Clone, Debug)]
pub struct Create {
    pub row: usize,
    pub code: String,
    pub name: String,
    pub stage: usize,
    pub status: Status,
    pub department: Option<String>,
    /// The new record.
    pub text: String,
}

/// An existing project the sheet says something else about.
#[derive(Clone, Debug)]
pub struct Update {
    pub row: usize,
    pub code: String,
    pub changes: Vec<Change>,
    /// The record as `--update` leaves it (none without `--update`).
    pub text: Option<String>,
}

/// Everything an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    pub rows: usize,
    pub creates: Vec<Create>,
    /// Projects that differ from the sheet: updated with `--update`, left
    /// alone (and listed) without.
    pub updates: Vec<Update>,
    pub unchanged: Vec<String>,
    /// Why rows were refused, in row order.
    pub refused: Vec<RowError>,
    pub refused_rows: usize,
    pub new_people: Vec<NewPerson>,
    /// Departments the rows name that no one in the team (new people
    /// included) belongs to.
    pub lone_departments: Vec<String>,
}

/// Plans the import of `rows`. `progress` is called after each row.
pub fn plan(
    rows: &[Row],
    converter: &Converter,
    repo: &Repo,
    options: &Options,
    i18n: &I18n,
    progress: &mut dyn FnMut(usize),
) -> Plan {
    let data = repo.data;
    let process = &data.process;
    let by_folder: HashMap<&str, &Project> = data
        .projects
        .iter()
        .map(|p| (p.folder.as_str(), p))
        .collect();
    let by_lower: HashMap<String, &str> = repo
        .records
        .keys()
        .map(|f| (f.to_lowercase(), f.as_str()))
        .collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut roster = Roster::new(&data.team);
    let mut plan = Plan {
        rows: rows.len(),
        ..Plan::default()
    };
    let edit_cx = EditCx {
        process,
        i18n,
        today: options.today,
    };
    for (i, row) in rows.iter().enumerate() {
        progress(i + 1);
        let pending = match converter.row(row, &roster) {
            Ok(p) => p,
            Err(errors) => {
                plan.refuse(errors);
                continue;
            }
        };
        let c = &pending.converted;
        let refuse = |message: Msg, help: Option<Msg>| RowError {
            row: c.row,
            place: c.code_place.clone(),
            message,
            help,
        };
        let lower = c.code.to_lowercase();
        if let Some(first) = seen.get(&lower) {
            let e = refuse(
                Msg::new("import.row.duplicate-code")
                    .arg("code", &c.code)
                    .arg("row", first),
                Some(Msg::new("import.row.help-duplicate-code")),
            );
            plan.refuse(vec![e]);
            continue;
        }
        let folder = by_lower.get(&lower).copied();
        let existing = match folder {
            Some(f) if f != c.code => {
                let e = refuse(
                    Msg::new("import.row.case-clash")
                        .arg("code", &c.code)
                        .arg("other", f),
                    Some(Msg::new("import.row.help-case-clash")),
                );
                plan.refuse(vec![e]);
                continue;
            }
            Some(f) => match (
                by_folder.get(f),
                repo.records.get(f).and_then(|t| t.as_deref()),
            ) {
                (Some(p), Some(text)) => Some((*p, text)),
                _ => {
                    let e = refuse(
                        Msg::new("import.row.unreadable").arg("code", &c.code),
                        Some(Msg::new("import.row.help-unreadable")),
                    );
                    plan.refuse(vec![e]);
                    continue;
                }
            },
            None => None,
        };
        if let Some((p, _)) = existing
            && options.update
            && let (Some(new), Some(old)) = (c.stage(), p.stage.as_ref())
            && new < old.value
        {
            let term = |s: usize| format!("process.stage.{}", process.stages[s].id);
            let e = RowError {
                row: c.row,
                place: Place::Field("stage".into()),
                message: Msg::new("import.row.goes-back")
                    .arg("code", &c.code)
                    .term("new", term(new))
                    .term("old", term(old.value)),
                help: Some(Msg::new("import.row.help-goes-back")),
            };
            plan.refuse(vec![e]);
            continue;
        }
        seen.insert(lower, c.row);
        let c = pending.take(&mut roster);
        match existing {
            None => plan.creates.push(create(&c, process, options, i18n)),
            Some((p, text)) => {
                let changes = changes(&c, p, data);
                if changes.is_empty() {
                    plan.unchanged.push(c.code.clone());
                    continue;
                }
                let shown = changes
                    .iter()
                    .map(|(f, v)| show_change(f, v, p, data, i18n))
                    .collect();
                let text = if options.update {
                    match apply(text, &changes, &edit_cx) {
                        Ok(t) => Some(t),
                        Err(_) => {
                            plan.refuse(vec![RowError {
                                row: c.row,
                                place: c.code_place.clone(),
                                message: Msg::new("import.row.unreadable").arg("code", &c.code),
                                help: Some(Msg::new("import.row.help-unreadable")),
                            }]);
                            continue;
                        }
                    }
                } else {
                    None
                };
                plan.updates.push(Update {
                    row: c.row,
                    code: c.code.clone(),
                    changes: shown,
                    text,
                });
            }
        }
    }
    plan.new_people = roster.into_new_people();
    plan.lone_departments = lone_departments(&plan, data);
    plan
}

impl Plan {
    /// Whether `--write` (with these options) would write anything.
    pub fn writes(&self, update: bool, add_people: bool) -> bool {
        !self.creates.is_empty()
            || (update && !self.updates.is_empty())
            || (add_people && !self.new_people.is_empty())
    }

    fn refuse(&mut self, errors: Vec<RowError>) {
        if !errors.is_empty() {
            self.refused_rows += 1;
        }
        self.refused.extend(errors);
    }
}

/// The new record of a row. Fields `NewProject` has no place for (who
/// does the next step, a next step with only a date) are set afterwards
/// the way `--update` sets them.
fn create(c: &Converted, process: &Process, options: &Options, i18n: &I18n) -> Create {
    let text = |f: &Field| c.text(f).map(str::to_string);
    let stage = c.stage().unwrap_or(0);
    let status = c.status().unwrap_or(Status::Active);
    let header = process
        .header
        .iter()
        .filter_map(|h| Some((h.id.clone(), text(&Field::Header(h.id.clone()))?)))
        .collect();
    let mut judgements: Vec<(usize, JudgementText)> = Vec::new();
    for (f, v) in &c.values {
        let (Field::Judgement(role, part), value) = (f, v) else {
            continue;
        };
        let i = match judgements.iter().position(|(r, _)| r == role) {
            Some(i) => i,
            None => {
                judgements.push((*role, JudgementText::default()));
                judgements.len() - 1
            }
        };
        let j = &mut judgements[i].1;
        match (part, value) {
            (JudgementPart::Judgement, Value::Text(t)) => j.judgement = t.clone(),
            (JudgementPart::FollowUp, Value::Text(t)) => j.follow_up = t.clone(),
            (JudgementPart::By, Value::Text(t)) => j.by = Some(t.clone()),
            (JudgementPart::Date, Value::Date(d)) => j.date = Some(*d),
            _ => {}
        }
    }
    let next = (c.date(&Field::NextStepDate), text(&Field::NextStepWhat));
    let outcome = status.is_closed().then(|| OutcomeText {
        date: c.date(&Field::OutcomeDate),
        reason: text(&Field::OutcomeReason),
        competitor: text(&Field::OutcomeCompetitor),
        contract_value: c.amount(&Field::OutcomeContractValue),
        loss_reason: None,
    });
    let source = i18n.format(
        &Msg::new("import.source")
            .arg("file", options.file_name)
            .arg("row", c.row),
    );
    let p = NewProject {
        code: c.code.clone(),
        name: text(&Field::Name).unwrap_or_default(),
        header,
        owner: text(&Field::Owner).unwrap_or_default(),
        stage,
        status,
        amount: c.amount(&Field::Amount),
        expected_close: c.date(&Field::ExpectedClose),
        next_step: match &next {
            (Some(d), Some(w)) => Some((*d, w.clone())),
            _ => None,
        },
        entered: c.date(&Field::Entered),
        actual: text(&Field::Actual),
        judgements,
        outcome,
        imported: Some(ImportedText {
            date: options.today,
            stage,
            source: Some(source),
        }),
    };
    let mut record = new_record(&p, process, i18n);
    let later: Vec<(Field, Value)> = c
        .values
        .iter()
        .filter(|(f, _)| match f {
            Field::NextStepWho => true,
            Field::NextStepDate | Field::NextStepWhat => p.next_step.is_none(),
            _ => false,
        })
        .cloned()
        .collect();
    if !later.is_empty() {
        let cx = EditCx {
            process,
            i18n,
            today: options.today,
        };
        if let Ok(t) = apply(&record, &later, &cx) {
            record = t;
        }
    }
    Create {
        row: c.row,
        code: c.code.clone(),
        name: p.name,
        stage,
        status,
        department: text(&Field::Header("department".into())),
        text: record,
    }
}

/// Departments of created and updated projects that no one in the team
/// belongs to, counting the people the import adds.
fn lone_departments(plan: &Plan, data: &Dataset) -> Vec<String> {
    let mut known: Vec<&str> = data
        .team
        .people
        .iter()
        .filter_map(|p| p.department.as_deref())
        .collect();
    known.extend(
        plan.new_people
            .iter()
            .filter_map(|p| p.department.as_deref()),
    );
    let mut lone: Vec<String> = Vec::new();
    let named = plan
        .creates
        .iter()
        .filter_map(|c| c.department.clone())
        .chain(plan.updates.iter().flat_map(|u| {
            u.changes
                .iter()
                .filter(|c| c.field == "department")
                .map(|c| c.new.clone())
        }));
    for d in named {
        if !known.contains(&d.as_str()) && !lone.contains(&d) {
            lone.push(d);
        }
    }
    lone.sort();
    lone
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::{Fixture, TODAY};
    use crate::load::RepoFiles;

    const MAP: &str = r#"
[fields]
code = "code"
name = "name"
owner = "owner"
stage = "stage"
region = { value = "浙江" }
department = { value = "轨道交通事业部" }
amount = "amount"
"#;

    /// A repo holding records made by importing `rows` first.
    fn repo_of(i18n: &I18n, rows: &str) -> RepoFiles {
        let mut files = RepoFiles::default();
        files.insert_text("dealbook.toml", "");
        files.insert_text("data/process.toml", include_str!("../../data/process.toml"));
        files.insert_text("data/team.toml", include_str!("../../data/team.toml"));
        let loaded = crate::load::parse(&files).unwrap();
        let data = loaded.dataset.unwrap();
        let seed = Fixture::new(MAP, &format!("code,name,owner,stage,amount\n{rows}"));
        let repo = Repo {
            data: &data,
            records: BTreeMap::new(),
        };
        let p = plan(
            &seed.table.rows,
            &seed.converter(),
            &repo,
            &options(false),
            i18n,
            &mut |_| {},
        );
        for c in p.creates {
            files.insert_text(
                &format!("content/projects/{}/project.toml", c.code),
                &c.text,
            );
        }
        files
    }

    fn options(update: bool) -> Options<'static> {
        Options {
            file_name: "sheet.csv",
            today: TODAY,
            update,
        }
    }

    fn i18n() -> I18n {
        let mut i = I18n::builtin("en");
        i.add_process(&crate::import::testing::process());
        i
    }

    fn run(existing: &str, rows: &str, update: bool) -> Plan {
        run_with(existing, rows, update, &[])
    }

    /// Like `run`, with extra files in the repo.
    fn run_with(existing: &str, rows: &str, update: bool, extra: &[(&str, &str)]) -> Plan {
        let i18n = i18n();
        let fixture = Fixture::new(MAP, &format!("code,name,owner,stage,amount\n{rows}"));
        let mut files = repo_of(&i18n, existing);
        for (path, text) in extra {
            files.insert_text(path, text);
        }
        let loaded = crate::load::parse(&files).unwrap();
        let data = loaded.dataset.unwrap();
        let repo = Repo::new(&data, &files);
        plan(
            &fixture.table.rows,
            &fixture.converter(),
            &repo,
            &options(update),
            &i18n,
            &mut |_| {},
        )
    }

    #[test]
    fn rows_are_created_updated_left_unchanged_or_refused() {
        let existing = "B-1,Bee,liming,方案设计,1000\nB-2,Bee 2,liming,方案设计,1000\nC-1,Sea,liming,项目立项,5\n";
        let rows = "A-1,Ay,liming,项目立项,10\nB-1,Bee,李明,方案设计,1000\nB-2,Bee 2,liming,业绩展示,2000\nA-1,again,liming,项目立项,1\nc-1,Sea,liming,项目立项,5\n";
        let p = run(existing, rows, false);
        assert_eq!(p.rows, 5);
        let created: Vec<&str> = p.creates.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(created, ["A-1"]);
        assert_eq!(p.unchanged, ["B-1"], "李明 is liming");
        assert_eq!(p.updates.len(), 1);
        let u = &p.updates[0];
        assert_eq!((u.code.as_str(), u.row), ("B-2", 4));
        assert_eq!(
            u.changes,
            [
                Change {
                    field: "stage".into(),
                    old: "Solution design".into(),
                    new: "Reference showcase".into()
                },
                Change {
                    field: "amount".into(),
                    old: "1,000".into(),
                    new: "2,000".into()
                },
            ]
        );
        assert!(u.text.is_none(), "without --update nothing is edited");
        let refused: Vec<(usize, &str)> =
            p.refused.iter().map(|e| (e.row, e.message.key)).collect();
        assert_eq!(
            refused,
            [
                (5, "import.row.duplicate-code"),
                (6, "import.row.case-clash")
            ]
        );
        assert_eq!(p.refused_rows, 2);
        assert!(p.new_people.is_empty());
    }

    #[test]
    fn with_update_the_changed_record_is_ready_and_moves_never_go_back() {
        let existing = "B-2,Bee 2,liming,方案设计,1000\nB-3,Bee 3,liming,业绩展示,1000\n";
        let rows = "B-2,Bee 2,liming,业绩展示,2000\nB-3,Bee 3,liming,方案设计,1000\n";
        let p = run(existing, rows, true);
        let text = p.updates[0].text.as_deref().unwrap();
        assert!(text.contains("amount = 2_000"));
        assert!(text.contains("[stages.showcase]"));
        assert!(
            text.contains("date = 2026-11-29"),
            "[imported] date is kept"
        );
        assert_eq!(p.refused[0].message.key, "import.row.goes-back");
        assert_eq!(p.refused[0].row, 3);
    }

    #[test]
    fn a_project_whose_record_cannot_be_read_is_left_alone() {
        let broken = [(
            "content/projects/D-1/project.toml",
            "code = \"D-1\"\nname = \n",
        )];
        let p = run_with("", "D-1,Dee,liming,项目立项,1\n", true, &broken);
        assert!(p.creates.is_empty() && p.updates.is_empty());
        assert_eq!(p.refused[0].message.key, "import.row.unreadable");
    }

    #[test]
    fn new_records_carry_the_import_and_load_cleanly() {
        let p = run("", "N-1,New,Ann Lee,商务谈判,10\n", false);
        let text = &p.creates[0].text;
        assert!(text.contains("[imported]"));
        assert!(text.contains("source = \"sheet.csv row 2\""), "{text}");
        assert!(text.contains("owner = \"ann-lee\""));
        assert_eq!(
            p.new_people[0].department.as_deref(),
            Some("轨道交通事业部")
        );
        assert!(p.lone_departments.is_empty());
    }
}
