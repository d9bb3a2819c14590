//! Small datasets for the analysis tests: a three-stage process whose last
//! stage is not certain, two reps in two departments, and records written
//! as TOML, as users write them.

use crate::load::{self, RepoFiles};
use crate::model::Dataset;

const PROCESS: &str = r#"
locale = "en"
stale_days = 30
[[header]]
id = "region"
label = "Region"
[[header]]
id = "department"
label = "Department"
[[roles]]
id = "rep"
name = "Rep"
writes_actual = true
[[roles]]
id = "boss"
name = "Boss"
[[stages]]
id = "lead"
name = "Lead"
probability = 0.1
max_days = 30
[[stages]]
id = "proposal"
name = "Proposal"
probability = 0.5
[[stages]]
id = "signed"
name = "Signed"
probability = 0.9
[[note_kinds]]
id = "visit"
name = "Visit"
[[note_kinds]]
id = "call"
name = "Call"
[[loss_reasons]]
id = "price"
name = "Price"
[[loss_reasons]]
id = "terms"
name = "Terms"
"#;

const TEAM: &str = r#"
[[people]]
id = "li"
name = "Li"
roles = ["rep"]
department = "East"
[[people]]
id = "wang"
name = "Wang"
roles = ["rep"]
department = "West"
[[people]]
id = "boss"
name = "Boss"
roles = ["boss"]
"#;

/// A record being written.
pub struct Rec {
    code: String,
    top: Vec<String>,
    tables: Vec<String>,
    notes: Vec<(String, String)>,
}

impl Rec {
    /// An active project of `li` in East, with nothing else.
    pub fn new(code: &str) -> Rec {
        Rec {
            code: code.to_string(),
            top: vec![
                format!("code = \"{code}\""),
                format!("name = \"{code}\""),
                "region = \"R\"".into(),
            ],
            tables: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A top-level `key = value`, the value as TOML.
    pub fn set(mut self, key: &str, value: &str) -> Rec {
        self.top.push(format!("{key} = {value}"));
        self
    }

    /// `[stages.<id>]` with `entered` and, when given, `done`.
    pub fn stage(mut self, id: &str, entered: &str, done: Option<&str>) -> Rec {
        let done = done.map_or_else(String::new, |d| format!("done = {d}\n"));
        self.tables
            .push(format!("[stages.{id}]\nentered = {entered}\n{done}"));
        self
    }

    /// Any table, written as is.
    pub fn table(mut self, text: &str) -> Rec {
        self.tables.push(text.to_string());
        self
    }

    /// A note of `kind` on `date` by `author`.
    pub fn note(mut self, date: &str, kind: &str, author: &str) -> Rec {
        let file = format!("notes/{date}-{}.md", self.notes.len());
        let text =
            format!("+++\ndate = {date}\nkind = \"{kind}\"\nauthor = \"{author}\"\n+++\nx\n");
        self.notes.push((file, text));
        self
    }
}

/// The common case: an active project of `li` in `stage` since `entered`.
pub fn record(code: &str, stage: &str, amount: i64, close: &str, next: &str, entered: &str) -> Rec {
    Rec::new(code)
        .set("owner", "\"li\"")
        .set("department", "\"East\"")
        .set("stage", &format!("\"{stage}\""))
        .set("status", "\"active\"")
        .set("amount", &amount.to_string())
        .set("expected_close", close)
        .set(
            "next_step",
            &format!("{{ date = {next}, what = \"call\" }}"),
        )
        .stage(stage, entered, None)
}

/// Loads the records into a dataset (no rules run: the analysis must not
/// rely on a record being valid).
pub fn dataset(records: &[Rec]) -> Dataset {
    let mut repo = RepoFiles::default();
    repo.insert_text("dealbook.toml", "");
    repo.insert_text("data/process.toml", PROCESS);
    repo.insert_text("data/team.toml", TEAM);
    for r in records {
        let dir = format!("content/projects/{}", r.code);
        let text = format!("{}\n\n{}", r.top.join("\n"), r.tables.join("\n"));
        repo.insert_text(&format!("{dir}/project.toml"), &text);
        for (file, note) in &r.notes {
            repo.insert_text(&format!("{dir}/{file}"), note);
        }
    }
    let loaded = load::parse(&repo).expect("loads");
    let bad: Vec<_> = loaded
        .findings
        .iter()
        .filter(|f| f.severity == crate::diag::Severity::Error)
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    loaded.dataset.expect("a dataset")
}
