//! What a past version of a record said, in the few fields history needs.
//! Read leniently: an old version may have had errors in its values, and
//! its history still counts; one that is not TOML at all says nothing.

use std::collections::BTreeMap;

use jiff::civil::Date;

/// A record as of one commit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// False once the record was deleted.
    pub exists: bool,
    /// To follow a record whose folder was renamed.
    pub code: Option<String>,
    pub name: Option<String>,
    /// The stage as written (id or name).
    pub stage: Option<String>,
    pub status: Option<String>,
    pub amount: Option<i64>,
    pub expected_close: Option<Date>,
    /// (stage as written, role as written) → (judgement, follow-up).
    pub judgements: BTreeMap<(String, String), (String, String)>,
    /// The judgement files of the folder, as the record's judgements:
    /// file name (`方案设计.部门主管.md`) → (judgement, follow-up).
    pub judgement_files: BTreeMap<String, (String, String)>,
}

impl Snapshot {
    pub fn gone() -> Snapshot {
        Snapshot::default()
    }
}

fn text(v: Option<&toml::Value>) -> Option<String> {
    v.and_then(toml::Value::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn date(v: Option<&toml::Value>) -> Option<Date> {
    let d = v?.as_datetime()?.date?;
    Date::new(d.year as i16, d.month as i8, d.day as i8).ok()
}

/// Reads the fields history follows from a record's text; `None` when it
/// is not TOML (that version is skipped: the record says what it said
/// before).
pub fn read(record: &str) -> Option<Snapshot> {
    let t = record.parse::<toml::Table>().ok()?;
    let mut judgements = BTreeMap::new();
    if let Some(stages) = t.get("stages").and_then(toml::Value::as_table) {
        for (stage, rec) in stages {
            let Some(js) = rec.get("judgements").and_then(toml::Value::as_table) else {
                continue;
            };
            for (role, j) in js {
                let judgement = text(j.get("judgement")).unwrap_or_default();
                let follow_up = text(j.get("follow_up")).unwrap_or_default();
                if !judgement.is_empty() || !follow_up.is_empty() {
                    judgements.insert((stage.clone(), role.clone()), (judgement, follow_up));
                }
            }
        }
    }
    Some(Snapshot {
        exists: true,
        code: text(t.get("code")),
        name: text(t.get("name")),
        stage: text(t.get("stage")),
        status: text(t.get("status")),
        amount: t.get("amount").and_then(toml::Value::as_integer),
        expected_close: date(t.get("expected_close")),
        judgements,
        judgement_files: BTreeMap::new(),
    })
}

/// The judgement and follow-up of a judgement file's text; `None` when
/// it has neither (or no front matter), like an empty table.
pub fn judgement_file(text: &str) -> Option<(String, String)> {
    crate::load::judgement::texts(text).filter(|(j, f)| !j.is_empty() || !f.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_followed_fields() {
        let s = read(
            "code = \"A-1\"\nstage = \"方案设计\"\nstatus = \"active\"\namount = 1_000\nexpected_close = 2027-01-31\n\
             [stages.initiation.judgements.sales_rep]\njudgement = \"好\"\nfollow_up = \"拜访\"\n",
        )
        .unwrap();
        assert!(s.exists);
        assert_eq!(s.code.as_deref(), Some("A-1"));
        assert_eq!(s.stage.as_deref(), Some("方案设计"));
        assert_eq!(s.amount, Some(1000));
        assert_eq!(s.expected_close, Some(jiff::civil::date(2027, 1, 31)));
        assert_eq!(
            s.judgements[&("initiation".to_string(), "sales_rep".to_string())],
            ("好".to_string(), "拜访".to_string())
        );
    }

    #[test]
    fn a_judgement_file_says_its_two_sections() {
        assert_eq!(
            judgement_file("+++\nby = \"x\"\n+++\n## 判断\n好\n## 跟进措施\n拜访\n"),
            Some(("好".to_string(), "拜访".to_string()))
        );
        assert_eq!(judgement_file("+++\n+++\n## 判断\n\n"), None);
        assert_eq!(judgement_file("## 判断\n好\n"), None);
    }

    #[test]
    fn a_version_that_is_not_toml_says_nothing() {
        assert_eq!(read("stage = \"x"), None);
    }
}
