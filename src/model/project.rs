//! One project's record (`project.toml`), as read: every value keeps its
//! span, references are resolved to indices into the process.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::document::{FormFile, Note};
use crate::span::{Sp, Span};

/// Where a project stands in its life.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Status {
    Active,
    Won,
    Lost,
    Paused,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Active, Status::Won, Status::Lost, Status::Paused];

    pub fn id(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Won => "won",
            Status::Lost => "lost",
            Status::Paused => "paused",
        }
    }

    pub fn is_closed(self) -> bool {
        matches!(self, Status::Won | Status::Lost)
    }
}

/// A customer person's attitude toward us.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Attitude {
    Support,
    Neutral,
    Oppose,
}

/// How much a customer person weighs in the decision.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Influence {
    High,
    Medium,
    Low,
}

/// A person on the customer's side.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub span: Span,
    pub name: Sp<String>,
    pub title: Option<Sp<String>>,
    pub organization: Option<Sp<String>>,
    /// Indices into the process's contact parts (handler, decision maker, …).
    pub parts: Vec<Sp<usize>>,
    pub attitude: Option<Sp<Attitude>>,
    pub influence: Option<Sp<Influence>>,
    pub phone: Option<Sp<String>>,
    pub notes: Option<Sp<String>>,
}

/// The agreed next action.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NextStep {
    pub span: Span,
    pub date: Option<Sp<Date>>,
    pub what: Option<Sp<String>>,
    /// Person id of who does it; the owner when absent.
    pub who: Option<Sp<String>>,
}

/// Whether a qualifying condition holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CondState {
    Met,
    Open,
    Waived,
}

impl CondState {
    pub fn id(self) -> &'static str {
        match self {
            CondState::Met => "met",
            CondState::Open => "open",
            CondState::Waived => "waived",
        }
    }
}

/// A condition as the record states it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ConditionRecord {
    /// Index into the stage's conditions.
    pub condition: usize,
    pub key_span: Span,
    pub state: CondState,
    pub reason: Option<Sp<String>>,
    /// Links to notes or forms (relative to the project folder) or URLs.
    pub evidence: Vec<Sp<String>>,
}

/// Where a judgement is written, and so which file its spans point into.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Source {
    /// A `[stages.<stage>.judgements.<role>]` table of `project.toml`.
    Record,
    /// Its own file, `judgements/<stage>.<role>.md`.
    File(JudgementFile),
}

/// A judgement file: where it is, and where its two sections start.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JudgementFile {
    /// Repo-relative path.
    pub path: String,
    /// The `## 判断` heading, when the file has it.
    pub judgement_heading: Option<Span>,
    /// The `## 跟进措施` heading, when the file has it.
    pub follow_up_heading: Option<Span>,
}

/// One role's judgement (判断) and follow-up measure (跟进措施), written
/// inline in the record or in a file of its own: the rules, pages and
/// exports treat both alike.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Judgement {
    /// Index into the process's roles.
    pub role: usize,
    /// The table's key in the record; a file's first line.
    pub key_span: Span,
    pub source: Source,
    pub by: Option<Sp<String>>,
    pub date: Option<Sp<Date>>,
    pub judgement: Option<Sp<String>>,
    pub follow_up: Option<Sp<String>>,
    /// When the follow-up should be done.
    pub due: Option<Sp<Date>>,
}

impl Judgement {
    /// The file the spans point into: `record` (the project's
    /// `project.toml`) or the judgement's own file.
    pub fn path<'a>(&'a self, record: &'a str) -> &'a str {
        match &self.source {
            Source::Record => record,
            Source::File(f) => &f.path,
        }
    }

    /// The judgement file, when it has one.
    pub fn file(&self) -> Option<&JudgementFile> {
        match &self.source {
            Source::Record => None,
            Source::File(f) => Some(f),
        }
    }

    /// Nothing written: the empty table `dealbook new` and `move` leave
    /// for each role to fill. A file may take its place.
    pub fn is_blank(&self) -> bool {
        self.by.is_none()
            && self.date.is_none()
            && self.judgement.is_none()
            && self.follow_up.is_none()
            && self.due.is_none()
    }

    /// Where to point when the judgement's text is missing.
    pub fn judgement_at(&self) -> Span {
        self.file()
            .and_then(|f| f.judgement_heading)
            .unwrap_or(self.key_span)
    }

    /// Where to point when the follow-up is missing.
    pub fn follow_up_at(&self) -> Span {
        self.file()
            .and_then(|f| f.follow_up_heading)
            .unwrap_or(self.key_span)
    }
}

/// A form attached to a stage: form id → file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FormLink {
    /// Index into the process's forms.
    pub form: usize,
    pub key_span: Span,
    pub link: Sp<String>,
}

/// What the record says about one stage.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StageRecord {
    /// The key as the record writes it: the id or a name (`方案确认`), so
    /// help texts can use the same spelling.
    pub key: String,
    pub key_span: Span,
    pub entered: Option<Sp<Date>>,
    pub done: Option<Sp<Date>>,
    pub conditions: Vec<ConditionRecord>,
    /// 实际状况, written by the sales rep.
    pub actual: Option<Sp<String>>,
    pub judgements: Vec<Judgement>,
    pub forms: Vec<FormLink>,
    /// The day the project went back from this stage to an earlier one
    /// (`dealbook move`): the section records a past visit, not a stage
    /// the project is in or ahead of.
    pub left: Option<Sp<Date>>,
    /// The record has a `[stages.<stage>]` section. False for a stage
    /// only judgement files name: it holds their judgements, and the
    /// rules about a stage's section pass over it.
    pub section: bool,
}

impl StageRecord {
    pub fn new(key: String, key_span: Span) -> Self {
        StageRecord {
            key,
            key_span,
            entered: None,
            done: None,
            conditions: Vec::new(),
            actual: None,
            judgements: Vec::new(),
            forms: Vec::new(),
            left: None,
            section: true,
        }
    }

    /// The record of a stage that only judgement files name.
    pub fn implied(key: String) -> Self {
        StageRecord {
            section: false,
            ..StageRecord::new(key, Span::default())
        }
    }

    pub fn condition(&self, index: usize) -> Option<&ConditionRecord> {
        self.conditions.iter().find(|c| c.condition == index)
    }

    pub fn judgement(&self, role: usize) -> Option<&Judgement> {
        self.judgements.iter().find(|j| j.role == role)
    }

    pub fn form(&self, form: usize) -> Option<&FormLink> {
        self.forms.iter().find(|f| f.form == form)
    }
}

/// How a closed project ended.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub span: Span,
    pub date: Option<Sp<Date>>,
    pub reason: Option<Sp<String>>,
    /// Index into the process's loss reasons: why a lost project was
    /// lost, in the words the board adds up by.
    pub loss_reason: Option<Sp<usize>>,
    pub competitor: Option<Sp<String>>,
    pub contract_value: Option<Sp<i64>>,
}

/// When and at which stage a project came into dealbook from elsewhere
/// (an import, or a running project recorded late). What it finished
/// before then was not tracked here, so it needs no judgements, forms or
/// ticked conditions.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Imported {
    pub span: Span,
    pub date: Option<Sp<Date>>,
    /// Index into the process's stages: where the project stood then.
    pub stage: Option<Sp<usize>>,
    /// Where it came from (`销售台账.xlsx row 17`), for the reader.
    pub source: Option<Sp<String>>,
}

/// One project, with its notes and forms.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Project {
    /// `content/projects/<folder>`
    pub dir: String,
    pub folder: String,
    /// `…/project.toml`
    pub path: String,
    /// The code as written; the folder name when the record lacks it.
    pub code: Sp<String>,
    pub name: Option<Sp<String>>,
    /// Header fields of the process other than code and name (region,
    /// general contractor, department, quoting staff, custom ones).
    pub header: BTreeMap<String, Sp<String>>,
    pub owner: Option<Sp<String>>,
    /// Index into the process's stages.
    pub stage: Option<Sp<usize>>,
    /// The record names stages by name (`stage = "方案设计"`), not by id.
    pub names_stages: bool,
    pub status: Option<Sp<Status>>,
    pub amount: Option<Sp<i64>>,
    pub expected_close: Option<Sp<Date>>,
    pub next_step: Option<NextStep>,
    pub contacts: Vec<Contact>,
    /// Indexed like the process's stages; `None` where the record is silent.
    pub stages: Vec<Option<StageRecord>>,
    pub outcome: Option<Outcome>,
    pub imported: Option<Imported>,
    pub notes: Vec<Note>,
    pub forms: Vec<FormFile>,
    /// Every file in the project folder, relative to it, for links.
    pub files: Vec<String>,
}

impl Project {
    pub fn status(&self) -> Status {
        self.status.as_ref().map_or(Status::Active, |s| s.value)
    }

    /// What the project says about a stage, its judgement files included.
    pub fn stage_record(&self, stage: usize) -> Option<&StageRecord> {
        self.stages.get(stage).and_then(Option::as_ref)
    }

    /// The stage's `[stages.<stage>]` section of the record, if it has one.
    pub fn section(&self, stage: usize) -> Option<&StageRecord> {
        self.stage_record(stage).filter(|r| r.section)
    }
}
