//! A small in-memory repo for rule tests: a three-stage process, two
//! people, and records written as TOML, as users write them.

use crate::diag::Finding;
use crate::load::{self, RepoFiles};

pub const PROCESS: &str = r#"
locale = "en"
stale_days = 30
[[header]]
id = "region"
label = "Region"
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
[[stages.conditions]]
id = "qualified"
text = "Qualified"
[[stages.conditions]]
id = "budget"
text = "Budget known"
[[stages]]
id = "proposal"
name = "Proposal"
stale_days = 10
[[stages.conditions]]
id = "sent"
text = "Proposal sent"
[[stages]]
id = "signed"
name = "Signed"
probability = 1.0
[[stages.conditions]]
id = "contract"
text = "Contract signed"
[[forms]]
id = "brief"
name = "Brief"
stage = "lead"
[[forms]]
id = "offer"
name = "Offer"
stage = "proposal"
[[contact_parts]]
id = "handler"
name = "Handler"
[[note_kinds]]
id = "visit"
name = "Visit"
"#;

pub const TEAM: &str = r#"
[[people]]
id = "li"
name = "Li"
roles = ["rep"]
[[people]]
id = "wang"
name = "Wang"
roles = ["boss"]
"#;

/// A record with no findings as of [`TODAY`].
pub const VALID: &str = r#"code = "P-1"
name = "Test"
owner = "li"
stage = "proposal"
status = "active"
amount = 1000
next_step = { date = 2026-11-05, what = "call" }

[stages.lead]
entered = 2026-10-01
done = 2026-10-10
actual = "ok"
conditions = { qualified = true, budget = { waived = true, reason = "public tender" } }
forms = { brief = "forms/brief.md" }

[stages.lead.judgements.rep]
by = "li"
judgement = "go"
follow_up = "visit"

[stages.lead.judgements.boss]
by = "wang"
judgement = "fine"
follow_up = "watch"

[stages.proposal]
entered = 2026-10-10
actual = "sent"
"#;

pub const BRIEF: &str = "+++\nform = \"brief\"\n+++\nThe brief.\n";

pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 10, 20)
}

/// A repo with the mini process, the team, and `files` (path → text).
pub fn repo(files: &[(&str, &str)]) -> RepoFiles {
    let mut repo = RepoFiles::default();
    repo.insert_text("dealbook.toml", "");
    repo.insert_text("data/process.toml", PROCESS);
    repo.insert_text("data/team.toml", TEAM);
    for (path, text) in files {
        repo.insert_text(path, text);
    }
    repo
}

/// Loads and checks `files`, returning every finding in report order.
pub fn findings(files: &[(&str, &str)]) -> Vec<Finding> {
    let loaded = load::parse(&repo(files)).expect("loads");
    let mut out = loaded.findings;
    if let Some(data) = &loaded.dataset {
        let settings = super::Settings {
            today: today(),
            tolerance_days: 7,
            trusted_until: None,
        };
        out.extend(super::check(data, &settings));
    }
    crate::diag::sort_findings(&mut out);
    out
}

/// The valid project P-1 with `record` as its record.
pub fn one(record: &str) -> Vec<Finding> {
    findings(&[
        ("content/projects/P-1/project.toml", record),
        ("content/projects/P-1/forms/brief.md", BRIEF),
    ])
}

/// The codes of [`one`], for compact assertions.
pub fn codes(record: &str) -> Vec<&'static str> {
    one(record).iter().map(|f| f.code).collect()
}

#[test]
fn the_valid_record_has_no_findings() {
    assert_eq!(one(VALID), vec![]);
}
