//! The record fields a mapping may fill, named as in `project.toml`
//! (`owner`, `region`, `outcome.date`), with the kind of value each takes.
//! Header fields come from the process, so a company's own header fields
//! can be imported too.

use crate::process::Process;

/// A field of a record.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Code,
    Name,
    /// A header field of the process other than code and name, by id.
    Header(String),
    Owner,
    Stage,
    Status,
    Amount,
    ExpectedClose,
    NextStepDate,
    NextStepWhat,
    NextStepWho,
    /// When the project entered its current stage.
    Entered,
    /// The current stage's actual situation.
    Actual,
    OutcomeDate,
    OutcomeReason,
    OutcomeCompetitor,
    OutcomeContractValue,
    /// A role's judgement of the current stage (index into the roles).
    Judgement(usize, JudgementPart),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JudgementPart {
    Judgement,
    FollowUp,
    By,
    Date,
}

impl JudgementPart {
    const ALL: [(JudgementPart, &'static str); 4] = [
        (JudgementPart::Judgement, "judgement"),
        (JudgementPart::FollowUp, "follow_up"),
        (JudgementPart::By, "by"),
        (JudgementPart::Date, "date"),
    ];
}

/// What a field's value is, which decides how a cell is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A person of `data/team.toml`, by id or name.
    Person,
    Stage,
    Status,
    Amount,
    Date,
}

const FIXED: &[(Field, &str)] = &[
    (Field::Code, "code"),
    (Field::Name, "name"),
    (Field::Owner, "owner"),
    (Field::Stage, "stage"),
    (Field::Status, "status"),
    (Field::Amount, "amount"),
    (Field::ExpectedClose, "expected_close"),
    (Field::NextStepDate, "next_step.date"),
    (Field::NextStepWhat, "next_step.what"),
    (Field::NextStepWho, "next_step.who"),
    (Field::Entered, "entered"),
    (Field::Actual, "actual"),
    (Field::OutcomeDate, "outcome.date"),
    (Field::OutcomeReason, "outcome.reason"),
    (Field::OutcomeCompetitor, "outcome.competitor"),
    (Field::OutcomeContractValue, "outcome.contract_value"),
];

impl Field {
    /// The field a mapping key names: `owner`, `region`, `outcome.date`,
    /// `judgements.dept_head.judgement` (a role by id or name).
    pub fn parse(key: &str, process: &Process) -> Option<Field> {
        if let Some((f, _)) = FIXED.iter().find(|(_, k)| *k == key) {
            return Some(f.clone());
        }
        if let Some(rest) = key.strip_prefix("judgements.") {
            let (role, part) = rest.rsplit_once('.')?;
            let role = process.role_index(role)?;
            let (part, _) = JudgementPart::ALL.iter().find(|(_, k)| *k == part)?;
            return Some(Field::Judgement(role, *part));
        }
        process
            .header
            .iter()
            .find(|h| h.id == key && h.id != "code" && h.id != "name")
            .map(|h| Field::Header(h.id.clone()))
    }

    /// The key as a mapping writes it.
    pub fn key(&self, process: &Process) -> String {
        match self {
            Field::Header(id) => id.clone(),
            Field::Judgement(role, part) => {
                let part = JudgementPart::ALL
                    .iter()
                    .find(|(p, _)| p == part)
                    .map_or("", |(_, k)| k);
                format!("judgements.{}.{part}", process.roles[*role].id)
            }
            f => FIXED
                .iter()
                .find(|(x, _)| x == f)
                .map_or_else(String::new, |(_, k)| (*k).to_string()),
        }
    }

    /// Every key a mapping may use, for "did you mean" and help texts.
    pub fn all_keys(process: &Process) -> Vec<String> {
        let mut keys: Vec<String> = FIXED.iter().map(|(_, k)| (*k).to_string()).collect();
        for h in &process.header {
            if h.id != "code" && h.id != "name" {
                keys.push(h.id.clone());
            }
        }
        for role in &process.roles {
            for (_, part) in JudgementPart::ALL {
                keys.push(format!("judgements.{}.{part}", role.id));
            }
        }
        keys
    }

    /// Fields every record must have: code, name, owner, stage and the
    /// header fields the process requires.
    pub fn required(process: &Process) -> Vec<Field> {
        let mut out = vec![Field::Code, Field::Name, Field::Owner, Field::Stage];
        for h in &process.header {
            if h.required && h.id != "code" && h.id != "name" {
                out.push(Field::Header(h.id.clone()));
            }
        }
        out
    }

    pub fn kind(&self, process: &Process) -> Kind {
        match self {
            Field::Owner | Field::NextStepWho => Kind::Person,
            Field::Judgement(_, JudgementPart::By) => Kind::Person,
            Field::Header(id) => {
                if process.header.iter().any(|h| &h.id == id && h.person) {
                    Kind::Person
                } else {
                    Kind::Text
                }
            }
            Field::Stage => Kind::Stage,
            Field::Status => Kind::Status,
            Field::Amount | Field::OutcomeContractValue => Kind::Amount,
            Field::ExpectedClose
            | Field::NextStepDate
            | Field::Entered
            | Field::OutcomeDate
            | Field::Judgement(_, JudgementPart::Date) => Kind::Date,
            _ => Kind::Text,
        }
    }

    /// A date of something that happened, which cannot lie after the day
    /// of the import (`check` would call it a future date).
    pub fn records_the_past(&self) -> bool {
        matches!(
            self,
            Field::Entered | Field::OutcomeDate | Field::Judgement(_, JudgementPart::Date)
        )
    }

    /// Fields written only when a record is created: they live in the
    /// stage sections, which are the team's own writing once the record
    /// exists, so `--update` never touches them.
    pub fn create_only(&self) -> bool {
        matches!(self, Field::Entered | Field::Actual | Field::Judgement(..))
    }

    /// The role a person named in this field acts in, if any: who writes
    /// a judgement must hold its role.
    pub fn role(&self) -> Option<usize> {
        match self {
            Field::Judgement(role, JudgementPart::By) => Some(*role),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process() -> Process {
        let text = include_str!("../../data/process.toml");
        crate::load::process::parse("data/process.toml", text, &mut Vec::new()).unwrap()
    }

    #[test]
    fn keys_round_trip() {
        let process = process();
        for key in Field::all_keys(&process) {
            let field = Field::parse(&key, &process).unwrap_or_else(|| panic!("{key}"));
            assert_eq!(field.key(&process), key);
        }
        assert_eq!(
            Field::parse("judgements.部门主管.by", &process),
            Some(Field::Judgement(1, JudgementPart::By)),
            "roles by name"
        );
        assert_eq!(Field::parse("regoin", &process), None);
        assert_eq!(Field::parse("judgements.nobody.by", &process), None);
        assert_eq!(Field::parse("outcome", &process), None);
    }

    #[test]
    fn kinds_follow_the_process() {
        let process = process();
        let kind = |k: &str| Field::parse(k, &process).unwrap().kind(&process);
        assert_eq!(kind("quoting_staff"), Kind::Person);
        assert_eq!(kind("region"), Kind::Text);
        assert_eq!(kind("outcome.contract_value"), Kind::Amount);
        assert_eq!(kind("judgements.sales_rep.date"), Kind::Date);
        let required: Vec<String> = Field::required(&process)
            .iter()
            .map(|f| f.key(&process))
            .collect();
        assert_eq!(
            required,
            ["code", "name", "owner", "stage", "region", "department"]
        );
    }
}
