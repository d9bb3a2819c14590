//! The sales process as data: stages, steps, conditions, roles and forms,
//! read from `data/process.toml`. Nothing about the eight stages of the seed
//! form lives in Rust; another company edits the file and gets its own.

/// Text in one or more locales: `name = "项目立项"` or
/// `name = { zh-CN = "项目立项", en = "Project initiation" }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Text {
    /// (locale, text) in file order; the first is the fallback.
    entries: Vec<(String, String)>,
}

impl Text {
    pub fn new(entries: Vec<(String, String)>) -> Self {
        Text { entries }
    }

    pub fn plain(text: impl Into<String>) -> Self {
        Text {
            entries: vec![(String::new(), text.into())],
        }
    }

    /// The text in `locale`, else in the process's default locale, else the
    /// first one written.
    pub fn get<'a>(&'a self, locale: &str, default_locale: &str) -> &'a str {
        let find = |l: &str| self.entries.iter().find(|(k, _)| k == l);
        find(locale)
            .or_else(|| find(default_locale))
            .or_else(|| self.entries.first())
            .map_or("", |(_, t)| t.as_str())
    }

    /// The text written in exactly `locale`, without falling back.
    pub fn exact(&self, locale: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(k, _)| k == locale)
            .map(|(_, t)| t.as_str())
    }

    /// Every variant, for matching a name the user wrote in any language.
    pub fn variants(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(_, t)| t.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.entries.iter().all(|(_, t)| t.trim().is_empty())
    }
}

/// A field of the form's header (项目名称, 项目所在地区, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct HeaderField {
    pub id: String,
    pub label: Text,
    pub required: bool,
    /// The value names a person of the team (项目报价人员).
    pub person: bool,
}

/// A role that judges each stage (营销人员, 部门主管, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub id: String,
    pub name: Text,
    /// This role writes the stage's actual situation (实际状况).
    pub writes_actual: bool,
}

/// A step inside a stage with its own criterion (初步接触: 邀约, 上门拜访).
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub id: String,
    pub name: Text,
    pub criterion: Text,
}

/// A qualifying condition (符合条件) of a stage.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub id: String,
    pub text: Text,
    /// A few words for the head of a column (`目标客户`); empty when the
    /// process gives none, and the site derives one from `text`.
    pub short: Text,
    /// Index into the stage's `steps`, for stages that have steps.
    pub step: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub id: String,
    pub name: Text,
    pub criterion: Text,
    /// Default win probability of a project in this stage (0..=1), for the
    /// weighted pipeline.
    pub probability: f64,
    /// Days without activity after which a project here is stale.
    pub stale_days: u32,
    /// Days a project may stay in this stage before it counts as stuck
    /// on the board; no limit when absent.
    pub max_days: Option<u32>,
    pub steps: Vec<Step>,
    /// All conditions in form order, those of every step included.
    pub conditions: Vec<Condition>,
}

impl Stage {
    pub fn condition_index(&self, id: &str) -> Option<usize> {
        self.conditions.iter().position(|c| c.id == id)
    }
}

/// A form (表单) a stage asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub id: String,
    pub name: Text,
    /// Index of the stage that asks for it.
    pub stage: usize,
    /// A project past that stage must have it attached.
    pub required: bool,
    /// What the form asks for (客户名称, 单位性质, ...), in the order of the
    /// paper form: `dealbook new form` writes them as the rows of the new
    /// file's table, so a rep starts from the right questions instead of a
    /// blank page. Empty when the process does not list them.
    pub fields: Vec<Text>,
}

/// An entry of a small vocabulary (contact parts, note kinds).
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub id: String,
    pub name: Text,
}

/// The whole process definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Process {
    pub path: String,
    /// The locale the process is written in; text falls back to it.
    pub locale: String,
    pub title: Text,
    pub header: Vec<HeaderField>,
    pub roles: Vec<Role>,
    pub stages: Vec<Stage>,
    pub forms: Vec<Form>,
    /// The parts a customer's person plays in the purchase.
    pub contact_parts: Vec<Choice>,
    pub note_kinds: Vec<Choice>,
    /// Why projects are lost (价格, 商务条款, …), so losses add up by
    /// reason on the board; `[outcome] loss_reason` names one.
    pub loss_reasons: Vec<Choice>,
}

impl Process {
    /// Finds a stage by id or by its name in any locale (`方案设计`).
    pub fn stage_index(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.stages
            .iter()
            .position(|s| s.id == key || s.name.variants().any(|n| n == key))
    }

    /// The role that writes the actual situation (营销人员), if any.
    pub fn writer(&self) -> Option<usize> {
        self.roles.iter().position(|r| r.writes_actual)
    }

    pub fn role_index(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.roles
            .iter()
            .position(|r| r.id == key || r.name.variants().any(|n| n == key))
    }

    pub fn form_index(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.forms
            .iter()
            .position(|f| f.id == key || f.name.variants().any(|n| n == key))
    }

    /// A contact part by id or name (`handler` or `经手人`).
    pub fn contact_part_index(&self, key: &str) -> Option<usize> {
        choice_index(&self.contact_parts, key)
    }

    /// A note kind by id or name (`visit` or `上门拜访`).
    pub fn note_kind_index(&self, key: &str) -> Option<usize> {
        choice_index(&self.note_kinds, key)
    }

    /// A loss reason by id or name (`price` or `价格`).
    pub fn loss_reason_index(&self, key: &str) -> Option<usize> {
        choice_index(&self.loss_reasons, key)
    }

    /// The note kind that counts as a visit to the customer (id `visit`),
    /// for the visits counted on the board.
    pub fn visit_kind(&self) -> Option<usize> {
        self.note_kinds.iter().position(|k| k.id == VISIT)
    }

    /// Stage ids and names, for "did you mean" suggestions.
    pub fn stage_keys(&self) -> Keys<'_> {
        keys(self.stages.iter().map(|s| (s.id.as_str(), &s.name))).listed(LIST_STAGES)
    }

    pub fn role_keys(&self) -> Keys<'_> {
        keys(self.roles.iter().map(|r| (r.id.as_str(), &r.name))).listed(LIST_ROLES)
    }

    pub fn form_keys(&self) -> Keys<'_> {
        keys(self.forms.iter().map(|f| (f.id.as_str(), &f.name))).listed(LIST_FORMS)
    }

    pub fn contact_part_keys(&self) -> Keys<'_> {
        keys(self.contact_parts.iter().map(|c| (c.id.as_str(), &c.name))).listed(LIST_PARTS)
    }

    pub fn note_kind_keys(&self) -> Keys<'_> {
        keys(self.note_kinds.iter().map(|c| (c.id.as_str(), &c.name))).listed(LIST_KINDS)
    }

    pub fn loss_reason_keys(&self) -> Keys<'_> {
        keys(self.loss_reasons.iter().map(|c| (c.id.as_str(), &c.name))).listed(LIST_LOSS_REASONS)
    }

    /// Forms asked for by stage `stage`.
    pub fn forms_of(&self, stage: usize) -> impl Iterator<Item = (usize, &Form)> {
        self.forms
            .iter()
            .enumerate()
            .filter(move |(_, f)| f.stage == stage)
    }

    pub fn text<'a>(&self, text: &'a Text, locale: &str) -> &'a str {
        text.get(locale, &self.locale)
    }
}

/// Terms (see `I18n::add_process`) that list a vocabulary with its names
/// in the reader's language: `initiation（项目立项）、…`.
pub const LIST_STAGES: &str = "process.list.stages";
pub const LIST_ROLES: &str = "process.list.roles";
pub const LIST_FORMS: &str = "process.list.forms";
pub const LIST_PARTS: &str = "process.list.contact_parts";
pub const LIST_KINDS: &str = "process.list.note_kinds";
pub const LIST_LOSS_REASONS: &str = "process.list.loss_reasons";

/// The id of the note kind that is a visit to the customer.
pub const VISIT: &str = "visit";

/// What a reference may be written as: the ids (listed in help texts) and,
/// for suggestions, every name as well.
#[derive(Clone, Debug, Default)]
pub struct Keys<'a> {
    pub ids: Vec<&'a str>,
    pub all: Vec<&'a str>,
    /// The term that lists ids with their names in the reader's language,
    /// for a help text; the bare ids when `None`.
    pub list: Option<&'static str>,
}

impl<'a> Keys<'a> {
    /// A vocabulary without names (status values, attitudes).
    pub fn ids(ids: Vec<&'a str>) -> Self {
        Keys {
            all: ids.clone(),
            ids,
            list: None,
        }
    }

    fn listed(mut self, term: &'static str) -> Self {
        self.list = Some(term);
        self
    }
}

fn choice_index(choices: &[Choice], key: &str) -> Option<usize> {
    let key = key.trim();
    choices
        .iter()
        .position(|c| c.id == key || c.name.variants().any(|n| n == key))
}

fn keys<'a>(items: impl Iterator<Item = (&'a str, &'a Text)>) -> Keys<'a> {
    let mut out = Keys::default();
    for (id, name) in items {
        out.ids.push(id);
        out.all.push(id);
        out.all.extend(name.variants());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_falls_back_to_the_default_locale_then_the_first() {
        let t = Text::new(vec![
            ("zh-CN".into(), "项目立项".into()),
            ("en".into(), "Initiation".into()),
        ]);
        assert_eq!(t.get("en", "zh-CN"), "Initiation");
        assert_eq!(t.get("fr", "zh-CN"), "项目立项");
        assert_eq!(Text::plain("x").get("en", "zh-CN"), "x");
    }
}
