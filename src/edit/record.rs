//! A new project record, laid out the way a sales rep writes one by hand:
//! a comment on every key in the team's language, the current stage's
//! checklist as open conditions, and an empty judgement for every role.
//! `dealbook new project`, `import` and `move` all write through here.

use jiff::civil::Date;
use toml_edit::{DocumentMut, Item, Table, Value};

use super::toml::{amount, comment_before, date, section, set};
use crate::diag::Msg;
use crate::i18n::I18n;
use crate::model::Status;
use crate::process::Process;

/// What a new record says. Header fields the process has and this lacks
/// are written empty, for the rep to fill in.
#[derive(Clone, Debug, PartialEq)]
pub struct NewProject {
    pub code: String,
    pub name: String,
    /// Header fields other than code and name, by id (region, department…).
    pub header: Vec<(String, String)>,
    /// A person id of `data/team.toml`.
    pub owner: String,
    /// Index into the process's stages.
    pub stage: usize,
    pub status: Status,
    pub amount: Option<i64>,
    pub expected_close: Option<Date>,
    pub next_step: Option<(Date, String)>,
    /// When the project entered its current stage.
    pub entered: Option<Date>,
    /// The current stage's actual situation.
    pub actual: Option<String>,
    /// Judgements of the current stage already written, by role index.
    pub judgements: Vec<(usize, JudgementText)>,
    pub outcome: Option<OutcomeText>,
    pub imported: Option<ImportedText>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct JudgementText {
    pub by: Option<String>,
    pub date: Option<Date>,
    pub judgement: String,
    pub follow_up: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutcomeText {
    pub date: Option<Date>,
    pub reason: Option<String>,
    /// A loss reason of the process, as the user named it.
    pub loss_reason: Option<String>,
    pub competitor: Option<String>,
    pub contract_value: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportedText {
    pub date: Date,
    pub stage: usize,
    pub source: Option<String>,
}

/// The record's text.
pub fn new_record(p: &NewProject, process: &Process, i18n: &I18n) -> String {
    let c = |key: &'static str| i18n.get(key).to_string();
    let label = |id: &str| {
        process
            .header
            .iter()
            .find(|h| h.id == id)
            .map_or_else(|| c("record.name"), |h| text(process, &h.label, i18n))
    };
    let mut doc = DocumentMut::new();
    let root = doc.as_table_mut();
    set(root, "code", Value::from(p.code.as_str()), &label("code"));
    comment_before(
        root,
        "code",
        &[i18n.format(&Msg::new("record.title").arg("name", &p.name))],
    );
    set(root, "name", Value::from(p.name.as_str()), &label("name"));
    for field in process
        .header
        .iter()
        .filter(|h| h.id != "code" && h.id != "name")
    {
        let value = p
            .header
            .iter()
            .find(|(id, _)| *id == field.id)
            .map_or("", |(_, v)| v.as_str());
        let mut comment = text(process, &field.label, i18n);
        if field.person {
            comment.push_str(i18n.get("record.person-id"));
        }
        set(root, &field.id, Value::from(value), &comment);
    }
    let owner_label = process.writer().map_or_else(
        || c("record.owner"),
        |w| text(process, &process.roles[w].name, i18n),
    );
    set(
        root,
        "owner",
        Value::from(p.owner.as_str()),
        &format!("{owner_label}{}", i18n.get("record.person-id")),
    );
    set(
        root,
        "stage",
        Value::from(stage_name(process, p.stage)),
        &c("record.stage"),
    );
    set(
        root,
        "status",
        Value::from(p.status.id()),
        &c("record.status"),
    );
    if let Some(n) = p.amount {
        set(root, "amount", amount(n), &c("record.amount"));
    }
    if let Some(d) = p.expected_close {
        set(root, "expected_close", date(d), &c("record.expected_close"));
    }
    // Without a next step, an example to fill in: a made-up step would be
    // data nobody decided.
    let mut before_stages = String::new();
    match &p.next_step {
        Some((d, what)) => {
            let mut step = toml_edit::InlineTable::new();
            step.insert("date", date(*d));
            step.insert("what", Value::from(what.as_str()));
            set(
                root,
                "next_step",
                Value::InlineTable(step),
                &c("record.next_step"),
            );
        }
        None => before_stages.push_str(&format!("# {}\n", c("record.next_step-example"))),
    }
    before_stages.push_str(&contacts_example(process, i18n));

    let mut stages = Table::new();
    stages.set_implicit(true);
    let mut current = stage_section(process, p.stage, p.entered, i18n);
    current.decor_mut().set_prefix(format!("{before_stages}\n"));
    if let Some(actual) = &p.actual {
        super::toml::replace(&mut current, "actual", Value::from(actual.as_str()));
    }
    for (role, j) in &p.judgements {
        let id = &process.roles[*role].id;
        if let Some(t) = current
            .get_mut("judgements")
            .and_then(|js| js.get_mut(id.as_str()))
            .and_then(Item::as_table_mut)
        {
            fill_judgement(t, j);
        }
    }
    stages.insert(&process.stages[p.stage].id, Item::Table(current));
    root.insert("stages", Item::Table(stages));

    if let Some(o) = &p.outcome {
        root.insert("outcome", Item::Table(outcome(o, i18n)));
    }
    if let Some(imp) = &p.imported {
        let mut t = section(&c("record.imported"));
        set(&mut t, "date", date(imp.date), &c("record.imported-date"));
        set(
            &mut t,
            "stage",
            Value::from(stage_name(process, imp.stage)),
            &c("record.imported-stage"),
        );
        if let Some(src) = &imp.source {
            set(
                &mut t,
                "source",
                Value::from(src.as_str()),
                &c("record.imported-source"),
            );
        }
        root.insert("imported", Item::Table(t));
    }
    doc.to_string()
}

/// The section of a stage just reached: entered date, an empty actual
/// situation, its checklist as open conditions (each with its text), the
/// forms it asks for as a hint, and an empty judgement per role.
pub fn stage_section(process: &Process, s: usize, entered: Option<Date>, i18n: &I18n) -> Table {
    let stage = &process.stages[s];
    let c = |key: &'static str| i18n.get(key).to_string();
    let mut t = section(&text(process, &stage.name, i18n));
    if let Some(d) = entered {
        set(&mut t, "entered", date(d), &c("record.entered"));
    }
    let writer = process
        .writer()
        .map(|w| text(process, &process.roles[w].name, i18n))
        .unwrap_or_default();
    set(
        &mut t,
        "actual",
        Value::from(""),
        &i18n.format(&Msg::new("record.actual").arg("role", writer)),
    );

    let mut conds = section(&c("record.conditions"));
    for cond in &stage.conditions {
        set(
            &mut conds,
            &cond.id,
            Value::from(false),
            &text(process, &cond.text, i18n),
        );
    }
    for (step_index, step) in stage.steps.iter().enumerate() {
        if let Some(first) = stage.conditions.iter().find(|c| c.step == Some(step_index)) {
            comment_before(&mut conds, &first.id, &[text(process, &step.name, i18n)]);
        }
    }
    t.insert("conditions", Item::Table(conds));

    let mut judgements = Table::new();
    judgements.set_implicit(true);
    for (i, role) in process.roles.iter().enumerate() {
        let name = text(process, &role.name, i18n);
        let mut j = section(&i18n.format(&Msg::new("record.judgement-of").arg("role", &name)));
        set(&mut j, "by", Value::from(""), &c("record.by"));
        set(&mut j, "judgement", Value::from(""), &c("record.judgement"));
        set(&mut j, "follow_up", Value::from(""), &c("record.follow_up"));
        if i == 0 {
            let hint = forms_hint(process, s, i18n);
            let prefix = format!("{hint}\n");
            j.decor_mut().set_prefix(prefix);
        }
        judgements.insert(&role.id, Item::Table(j));
    }
    t.insert("judgements", Item::Table(judgements));
    t
}

/// Writes a judgement's text into an empty judgement table.
pub fn fill_judgement(t: &mut Table, j: &JudgementText) {
    use super::toml::replace;
    if let Some(by) = &j.by {
        replace(t, "by", Value::from(by.as_str()));
    }
    if let Some(d) = j.date {
        replace(t, "date", date(d));
    }
    replace(t, "judgement", Value::from(j.judgement.as_str()));
    replace(t, "follow_up", Value::from(j.follow_up.as_str()));
}

/// The `[outcome]` table of a closed project.
pub fn outcome(o: &OutcomeText, i18n: &I18n) -> Table {
    let c = |key: &'static str| i18n.get(key).to_string();
    let mut t = section(&c("record.outcome"));
    if let Some(d) = o.date {
        set(&mut t, "date", date(d), &c("record.outcome-date"));
    }
    set(
        &mut t,
        "reason",
        Value::from(o.reason.as_deref().unwrap_or("")),
        &c("record.reason"),
    );
    if let Some(r) = &o.loss_reason {
        set(
            &mut t,
            "loss_reason",
            Value::from(r.as_str()),
            &c("record.loss_reason"),
        );
    }
    if let Some(comp) = &o.competitor {
        set(
            &mut t,
            "competitor",
            Value::from(comp.as_str()),
            &c("record.competitor"),
        );
    }
    if let Some(v) = o.contract_value {
        set(
            &mut t,
            "contract_value",
            amount(v),
            &c("record.contract_value"),
        );
    }
    t
}

/// A stage as a record names it: by its name in the process's language
/// (`方案设计`), which the team reads; ids are accepted too.
pub fn stage_name(process: &Process, s: usize) -> String {
    process
        .text(&process.stages[s].name, &process.locale)
        .to_string()
}

fn text(process: &Process, t: &crate::process::Text, i18n: &I18n) -> String {
    process.text(t, i18n.locale()).to_string()
}

/// Comment lines naming the forms a stage asks for and how to add one.
fn forms_hint(process: &Process, s: usize, i18n: &I18n) -> String {
    let forms: Vec<String> = process
        .forms_of(s)
        .map(|(_, f)| format!("#   {}  {}", f.id, text(process, &f.name, i18n)))
        .collect();
    if forms.is_empty() {
        return String::new();
    }
    format!(
        "\n# {}\n{}",
        i18n.get("record.forms-hint"),
        forms.join("\n")
    )
}

/// A commented example of a customer contact, with the parts a person may
/// play in this process.
fn contacts_example(process: &Process, i18n: &I18n) -> String {
    let parts: Vec<String> = process
        .contact_parts
        .iter()
        .map(|p| text(process, &p.name, i18n))
        .collect();
    let example = i18n.format(&Msg::new("record.contacts-example").arg("parts", parts.join(" | ")));
    let mut out = String::from("\n");
    for line in example.lines() {
        out.push_str("# ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::RepoFiles;

    const PROCESS: &str = include_str!("../../data/process.toml");
    const TEAM: &str = include_str!("../../data/team.toml");

    fn process() -> Process {
        crate::load::process::parse("data/process.toml", PROCESS, &mut Vec::new()).unwrap()
    }

    fn i18n(process: &Process) -> I18n {
        let mut i = I18n::builtin("zh-CN");
        i.add_process(process);
        i
    }

    /// The codes `check` gives for a record, as of 2026-11-29.
    pub(crate) fn check_codes(record: &str) -> Vec<&'static str> {
        let mut files = RepoFiles::default();
        files.insert_text("dealbook.toml", "");
        files.insert_text("data/process.toml", PROCESS);
        files.insert_text("data/team.toml", TEAM);
        files.insert_text("content/projects/HZ-2026-099/project.toml", record);
        let loaded = crate::load::parse(&files).unwrap();
        let findings = crate::check::findings(
            &loaded.config,
            loaded.dataset.as_ref(),
            loaded.findings,
            jiff::civil::date(2026, 11, 29),
        );
        findings.iter().map(|f| f.code).collect()
    }

    fn example() -> NewProject {
        NewProject {
            code: "HZ-2026-099".into(),
            name: "钱塘轨道6号线综合监控".into(),
            header: vec![
                ("region".into(), "浙江省杭州市".into()),
                ("department".into(), "轨道交通事业部".into()),
            ],
            owner: "liming".into(),
            stage: 0,
            status: Status::Active,
            amount: Some(3_800_000),
            expected_close: Some(jiff::civil::date(2027, 6, 30)),
            next_step: Some((jiff::civil::date(2026, 12, 3), "首次拜访信息中心".into())),
            entered: Some(jiff::civil::date(2026, 11, 29)),
            actual: None,
            judgements: Vec::new(),
            outcome: None,
            imported: None,
        }
    }

    #[test]
    fn a_new_record_checks_clean_and_reads_like_a_hand_written_one() {
        let process = process();
        let text = new_record(&example(), &process, &i18n(&process));
        assert_eq!(check_codes(&text), Vec::<&str>::new(), "{text}");
        for line in [
            "code = \"HZ-2026-099\"",
            "stage = \"项目立项\"",
            "amount = 3_800_000",
            "[stages.initiation]",
            "info_collected = false",
            "# 搜集信息，并完整填写项目立项申请表",
            "[stages.initiation.judgements.general_manager]",
            "#   initiation_application  项目立项申请表",
            "# 客户方联系人",
        ] {
            assert!(text.contains(line), "{line:?} missing from\n{text}");
        }
        // Every key line carries a comment.
        for line in text
            .lines()
            .filter(|l| l.contains(" = ") && !l.starts_with('#'))
        {
            assert!(line.contains("  # "), "no comment: {line}");
        }
    }

    #[test]
    fn a_stage_with_steps_names_them_before_their_conditions() {
        let process = process();
        let t = stage_section(&process, 1, None, &i18n(&process));
        let doc = toml_edit::DocumentMut::from(t);
        let text = doc.to_string();
        let invite = text.find("# 邀约").unwrap();
        let visit = text.find("# 上门拜访").unwrap();
        assert!(invite < text.find("target_customer").unwrap());
        assert!(visit < text.find("qualified_handler").unwrap() && visit > invite);
    }

    #[test]
    fn a_project_imported_closed_checks_clean() {
        let process = process();
        let mut p = example();
        p.stage = process.stages.len() - 1;
        p.status = Status::Won;
        p.next_step = None;
        p.outcome = Some(OutcomeText {
            date: Some(jiff::civil::date(2026, 5, 1)),
            contract_value: Some(3_650_000),
            ..OutcomeText::default()
        });
        p.imported = Some(ImportedText {
            date: jiff::civil::date(2026, 11, 29),
            stage: p.stage,
            source: Some("台账.xlsx 第 7 行".into()),
        });
        let text = new_record(&p, &process, &i18n(&process));
        assert_eq!(check_codes(&text), Vec::<&str>::new(), "{text}");
        assert!(text.contains("[imported]"));
    }
}
