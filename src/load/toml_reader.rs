//! Reads spanned TOML into typed values, turning every problem into a
//! finding instead of stopping at the first one.
//!
//! serde's derive stops at the first error and forgets where a value was.
//! Like cargo-deny, we parse into a spanned tree (`toml::de::DeTable`) and
//! take values out key by key; whatever is left over is an unknown key.

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diag::{Finding, Msg, Rule, codes};
use crate::span::{Sp, Span};
use crate::suggest;

/// Where the findings of one file go, and how far its TOML is shifted
/// inside the file (front matter starts after `+++`).
pub struct FileCx<'a> {
    pub path: &'a str,
    pub offset: usize,
    /// The document is a note's or form's front matter (for messages).
    pub front_matter: bool,
    pub findings: &'a mut Vec<Finding>,
}

impl<'a> FileCx<'a> {
    pub fn new(path: &'a str, findings: &'a mut Vec<Finding>) -> Self {
        FileCx {
            path,
            offset: 0,
            front_matter: false,
            findings,
        }
    }

    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::from(range).shifted(self.offset)
    }

    /// Reports a finding in this file.
    pub fn report(&mut self, rule: &Rule, span: Span, message: Msg, help: Option<Msg>) {
        let f = Finding::new(rule, self.path, Some(span), message).with_help_opt(help);
        self.findings.push(f);
    }
}

/// Parses a TOML document. Syntax errors are reported (all of them the
/// parser finds) and give `None`: a half-parsed record would only produce
/// confusing follow-on findings.
pub fn parse<'i>(cx: &mut FileCx, text: &'i str) -> Option<Spanned<DeTable<'i>>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(table);
    }
    // A broken line can make the parser report an error per character;
    // the first few say what is wrong, one more counts the rest.
    let total = errors.len();
    for (i, e) in errors.into_iter().enumerate() {
        // As `diag::cap_findings` does: the last place counts the rest.
        if i + 1 == crate::diag::MAX_PER_FILE_AND_CODE && total > i + 1 {
            let span = cx.span(e.span().unwrap_or(0..0));
            let like = Finding::new(&codes::SYNTAX, cx.path, Some(span), Msg::new("msg.syntax"));
            cx.findings.push(crate::diag::more(&like, total - i));
            break;
        }
        let range = e.span().unwrap_or(0..0);
        let span = cx.span(range.clone());
        if let Some((range, message, help)) = mistyped_value(text, range) {
            // One finding for the value, however many errors it caused.
            let span = cx.span(range);
            if !cx
                .findings
                .iter()
                .any(|f| f.path == cx.path && f.span == Some(span))
            {
                cx.report(&codes::SYNTAX, span, message, Some(help));
            }
            continue;
        }
        let detail = e.message().trim().to_string();
        let message = match syntax_kind(&detail) {
            Some(kind) => Msg::new("msg.syntax-known")
                .term("what", kind)
                .arg("detail", detail),
            None => Msg::new("msg.syntax").arg("detail", detail),
        };
        cx.report(&codes::SYNTAX, span, message, Some(Msg::new("help.syntax")));
    }
    None
}

/// Quotes that Chinese input methods type instead of `"`.
const WIDE_QUOTES: &[char] = &['“', '”', '‘', '’', '＂', '「', '」'];

/// Two mistakes people type where TOML wants a value, explained with the
/// fix: full-width quotes (`name = “刘主任”`) and dates in another format
/// (`expected_close = 2027/04/30`).
fn mistyped_value(
    text: &str,
    range: std::ops::Range<usize>,
) -> Option<(std::ops::Range<usize>, Msg, Msg)> {
    // The value is the rest of the line after `key =` (the parser's span
    // may cover only a piece of it, as in `2027.4.30`).
    let line_start = text.get(..range.start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    // The nearest `key =` before the error: in an inline table
    // (`next_step = { date = 2027/4/30, … }`) the value ends at `,` or `}`.
    let eq = line[..range.start - line_start].rfind('=')?;
    let key_start = line[..eq].rfind(['{', ',']).map_or(0, |i| i + 1);
    let key = line[key_start..eq].trim();
    let raw = &line[eq + 1..];
    let value_start = line_start + eq + 1 + (raw.len() - raw.trim_start().len());
    let value = raw.split(" #").next().unwrap_or(raw);
    let value = if key_start > 0 {
        value.split([',', '}']).next().unwrap_or(value)
    } else {
        value
    }
    .trim();
    if key.is_empty() || value.is_empty() || range.start < value_start {
        return None;
    }
    let value_range = value_start..value_start + value.len();
    let fixed_line = |v: &str| format!("{key} = {v}");
    if value.contains(WIDE_QUOTES) {
        let inner = value.trim_matches(WIDE_QUOTES).replace(WIDE_QUOTES, "");
        let fixed = format!("\"{}\"", inner.replace('\\', "\\\\").replace('"', "\\\""));
        let found: String = value.chars().filter(|c| WIDE_QUOTES.contains(c)).collect();
        return Some((
            value_range,
            Msg::new("msg.syntax-wide-quotes").arg("found", found),
            Msg::new("help.syntax-write").arg("fixed", fixed_line(&fixed)),
        ));
    }
    if let Some(date) = crate::values::parse_date(value.trim_matches(['"', '\''])) {
        return Some((
            value_range,
            Msg::new("msg.syntax-date").arg("found", value),
            Msg::new("help.syntax-write").arg("fixed", fixed_line(&date.to_string())),
        ));
    }
    None
}

/// Explains the parser's most frequent (English) messages in the reader's
/// language; the original stays in the message for searching.
fn syntax_kind(detail: &str) -> Option<&'static str> {
    const KINDS: &[(&str, &str)] = &[
        ("string values must be quoted", "syntax.unquoted"),
        ("invalid basic string", "syntax.unclosed-string"),
        ("invalid multi-line basic string", "syntax.unclosed-string"),
        ("invalid literal string", "syntax.unclosed-string"),
        ("duplicate key", "syntax.duplicate-key"),
        ("invalid date", "syntax.invalid-date"),
        ("invalid time", "syntax.invalid-date"),
        ("missing value", "syntax.missing-value"),
        ("key with no value", "syntax.missing-value"),
        ("unclosed", "syntax.unclosed"),
        ("missing comma", "syntax.missing-comma"),
        ("extra comma", "syntax.extra-comma"),
        ("unexpected key or value", "syntax.unexpected"),
        ("unexpected content", "syntax.unexpected"),
        ("invalid unquoted key", "syntax.invalid-key"),
    ];
    KINDS
        .iter()
        .find(|(prefix, _)| detail.starts_with(prefix))
        .map(|(_, kind)| *kind)
}

/// Joins a key onto a TOML path for messages: `stages.initiation.entered`.
pub fn join(parent: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if bare {
        key.to_string()
    } else {
        format!("\"{key}\"")
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

/// The kinds of value a key may expect; each has an i18n term for
/// "expected …" and a help text with an example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    String,
    Integer,
    Number,
    Boolean,
    Date,
    Array,
    Table,
    StringOrArray,
    Condition,
}

impl Expected {
    fn term(self) -> &'static str {
        match self {
            Expected::String => "type.string",
            Expected::Integer => "type.integer",
            Expected::Number => "type.number",
            Expected::Boolean => "type.boolean",
            Expected::Date => "type.date",
            Expected::Array => "type.array",
            Expected::Table => "type.table",
            Expected::StringOrArray => "type.string-or-array",
            Expected::Condition => "type.condition",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Expected::String => "help.expected.string",
            Expected::Integer => "help.expected.integer",
            Expected::Number => "help.expected.number",
            Expected::Boolean => "help.expected.boolean",
            Expected::Date => "help.expected.date",
            Expected::Array | Expected::StringOrArray => "help.expected.array",
            Expected::Table => "help.expected.table",
            Expected::Condition => "help.expected.condition",
        }
    }
}

/// An integer literal as `i64`; `None` when it does not fit.
fn to_i64(i: &toml::de::DeInteger) -> Option<i64> {
    i64::from_str_radix(i.as_str(), i.radix()).ok()
}

/// One value and its TOML path.
pub struct Val<'a, 'i> {
    pub v: &'a Spanned<DeValue<'i>>,
    pub path: String,
}

impl<'a, 'i> Val<'a, 'i> {
    pub fn span(&self, cx: &FileCx) -> Span {
        cx.span(self.v.span())
    }

    fn type_name(&self) -> &'static str {
        match self.v.get_ref() {
            DeValue::String(_) => "type.string",
            DeValue::Integer(_) => "type.integer",
            DeValue::Float(_) => "type.float",
            DeValue::Boolean(_) => "type.boolean",
            DeValue::Datetime(_) => "type.date",
            DeValue::Array(_) => "type.array",
            DeValue::Table(_) => "type.table",
        }
    }

    /// Reports that this value is not of the expected kind.
    pub fn type_error(&self, cx: &mut FileCx, expected: Expected) {
        let span = self.span(cx);
        cx.report(
            &codes::WRONG_TYPE,
            span,
            Msg::new("msg.wrong-type")
                .arg("key", &self.path)
                .term("expected", expected.term())
                .term("found", self.type_name()),
            Some(Msg::new(expected.help())),
        );
    }

    /// Any string, empty included.
    pub fn string(&self, cx: &mut FileCx) -> Option<Sp<String>> {
        match self.v.get_ref() {
            DeValue::String(s) => Some(Sp::new(s.to_string(), self.span(cx))),
            _ => {
                self.type_error(cx, Expected::String);
                None
            }
        }
    }

    /// A string with something in it: blank counts as not written yet.
    pub fn text(&self, cx: &mut FileCx) -> Option<Sp<String>> {
        self.string(cx).filter(|s| !s.value.trim().is_empty())
    }

    pub fn integer(&self, cx: &mut FileCx) -> Option<Sp<i64>> {
        match self.v.get_ref() {
            DeValue::Integer(i) => match to_i64(i) {
                Some(n) => Some(Sp::new(n, self.span(cx))),
                None => {
                    self.out_of_range(cx);
                    None
                }
            },
            _ => {
                self.type_error(cx, Expected::Integer);
                None
            }
        }
    }

    fn out_of_range(&self, cx: &mut FileCx) {
        let span = self.span(cx);
        cx.report(
            &codes::WRONG_TYPE,
            span,
            Msg::new("msg.out-of-range").arg("key", &self.path),
            Some(Msg::new("help.out-of-range")),
        );
    }

    /// An integer or a float, as `f64`.
    pub fn number(&self, cx: &mut FileCx) -> Option<Sp<f64>> {
        let n = match self.v.get_ref() {
            DeValue::Integer(i) => to_i64(i).map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok().filter(|f| f.is_finite()),
            _ => {
                self.type_error(cx, Expected::Number);
                return None;
            }
        };
        if n.is_none() {
            self.out_of_range(cx);
        }
        n.map(|n| Sp::new(n, self.span(cx)))
    }

    pub fn boolean(&self, cx: &mut FileCx) -> Option<Sp<bool>> {
        match self.v.get_ref() {
            DeValue::Boolean(b) => Some(Sp::new(*b, self.span(cx))),
            _ => {
                self.type_error(cx, Expected::Boolean);
                None
            }
        }
    }

    /// A calendar date. A date-time is accepted and its date kept (a note
    /// may record the hour of a meeting).
    pub fn date(&self, cx: &mut FileCx) -> Option<Sp<Date>> {
        if let DeValue::Datetime(dt) = self.v.get_ref()
            && let Some(d) = dt.date
            && let Ok(date) = Date::new(d.year as i16, d.month as i8, d.day as i8)
        {
            return Some(Sp::new(date, self.span(cx)));
        }
        self.type_error(cx, Expected::Date);
        None
    }

    pub fn table(&self, cx: &mut FileCx) -> Option<TableReader<'a, 'i>> {
        match self.v.get_ref() {
            DeValue::Table(t) => Some(TableReader::new(t, self.span(cx), self.path.clone())),
            _ => {
                self.type_error(cx, Expected::Table);
                None
            }
        }
    }

    pub fn is_table(&self) -> bool {
        matches!(self.v.get_ref(), DeValue::Table(_))
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    pub fn array(&self, cx: &mut FileCx) -> Option<Vec<Val<'a, 'i>>> {
        match self.v.get_ref() {
            DeValue::Array(a) => Some(
                a.iter()
                    .enumerate()
                    .map(|(i, v)| Val {
                        v,
                        path: format!("{}[{}]", self.path, i),
                    })
                    .collect(),
            ),
            _ => {
                self.type_error(cx, Expected::Array);
                None
            }
        }
    }

    /// A list of strings; a single string is taken as a list of one.
    pub fn string_list(&self, cx: &mut FileCx) -> Option<Vec<Sp<String>>> {
        match self.v.get_ref() {
            DeValue::String(_) => self.text(cx).map(|s| vec![s]),
            DeValue::Array(_) => Some(self.array(cx)?.iter().filter_map(|v| v.text(cx)).collect()),
            _ => {
                self.type_error(cx, Expected::StringOrArray);
                None
            }
        }
    }
}

/// A table being read: remembers which keys were taken and which were asked
/// about, so `finish` can report the rest as unknown, with a suggestion.
pub struct TableReader<'a, 'i> {
    table: &'a DeTable<'i>,
    pub span: Span,
    pub path: String,
    taken: Vec<bool>,
    asked: Vec<String>,
    /// Required keys not found, reported by `finish` unless a typo of
    /// them was found (then the typo is the one finding).
    missing: Vec<String>,
}

impl<'a, 'i> TableReader<'a, 'i> {
    pub fn new(table: &'a DeTable<'i>, span: Span, path: String) -> Self {
        TableReader {
            taken: vec![false; table.len()],
            table,
            span,
            path,
            asked: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// The whole document as a table.
    pub fn root(doc: &'a Spanned<DeTable<'i>>, cx: &FileCx) -> Self {
        TableReader::new(doc.get_ref(), cx.span(doc.span()), String::new())
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Takes the value of `key`, if present.
    pub fn get(&mut self, key: &str) -> Option<Val<'a, 'i>> {
        self.asked.push(key.to_string());
        let (i, (_, v)) = self
            .table
            .iter()
            .enumerate()
            .find(|(_, (k, _))| k.get_ref().as_ref() == key)?;
        self.taken[i] = true;
        Some(Val {
            v,
            path: join(&self.path, key),
        })
    }

    /// Takes `key`; `finish` reports it as missing when absent.
    pub fn require(&mut self, key: &str) -> Option<Val<'a, 'i>> {
        let v = self.get(key);
        if v.is_none() {
            self.missing.push(key.to_string());
        }
        v
    }

    /// Takes a required text: absent and blank are both reported.
    pub fn require_text(&mut self, cx: &mut FileCx, key: &str) -> Option<Sp<String>> {
        let s = self.require(key)?.string(cx)?;
        if s.value.trim().is_empty() {
            cx.report(
                &codes::MISSING_KEY,
                s.span,
                Msg::new("msg.empty-value").arg("key", join(&self.path, key)),
                Some(Msg::new("help.missing-key").arg("key", key)),
            );
            return None;
        }
        Some(s)
    }

    fn report_missing(&self, cx: &mut FileCx, key: &str) {
        cx.report(
            &codes::MISSING_KEY,
            self.header_span(cx),
            in_table(Msg::new("msg.missing-key").arg("key", key), &self.path, cx),
            Some(Msg::new("help.missing-key").arg("key", key)),
        );
    }

    /// Where to point for a whole-table finding: the table header, or the
    /// start of the file for the top level (its span covers everything).
    fn header_span(&self, cx: &FileCx) -> Span {
        if self.path.is_empty() {
            Span::new(cx.offset, cx.offset)
        } else {
            self.span
        }
    }

    pub fn str(&mut self, cx: &mut FileCx, key: &str) -> Option<Sp<String>> {
        self.get(key)?.string(cx)
    }

    pub fn text(&mut self, cx: &mut FileCx, key: &str) -> Option<Sp<String>> {
        self.get(key)?.text(cx)
    }

    pub fn date(&mut self, cx: &mut FileCx, key: &str) -> Option<Sp<Date>> {
        self.get(key)?.date(cx)
    }

    pub fn integer(&mut self, cx: &mut FileCx, key: &str) -> Option<Sp<i64>> {
        self.get(key)?.integer(cx)
    }

    pub fn number(&mut self, cx: &mut FileCx, key: &str) -> Option<Sp<f64>> {
        self.get(key)?.number(cx)
    }

    pub fn boolean(&mut self, cx: &mut FileCx, key: &str) -> Option<Sp<bool>> {
        self.get(key)?.boolean(cx)
    }

    pub fn string_list(&mut self, cx: &mut FileCx, key: &str) -> Vec<Sp<String>> {
        self.get(key)
            .and_then(|v| v.string_list(cx))
            .unwrap_or_default()
    }

    pub fn table(&mut self, cx: &mut FileCx, key: &str) -> Option<TableReader<'a, 'i>> {
        self.get(key)?.table(cx)
    }

    /// A list of tables (`[[contacts]]`), each as a reader.
    pub fn tables(&mut self, cx: &mut FileCx, key: &str) -> Vec<TableReader<'a, 'i>> {
        let Some(list) = self.get(key).and_then(|v| v.array(cx)) else {
            return Vec::new();
        };
        list.iter().filter_map(|v| v.table(cx)).collect()
    }

    /// Takes every remaining entry, for tables keyed by user ids (stages,
    /// conditions, roles). Each comes with its key and the key's span.
    pub fn rest(&mut self, cx: &FileCx) -> Vec<(Sp<String>, Val<'a, 'i>)> {
        let mut out = Vec::new();
        for (i, (k, v)) in self.table.iter().enumerate() {
            if self.taken[i] {
                continue;
            }
            self.taken[i] = true;
            let key = k.get_ref().to_string();
            out.push((
                Sp::new(key.clone(), cx.span(k.span())),
                Val {
                    v,
                    path: join(&self.path, &key),
                },
            ));
        }
        out
    }

    /// Reports every key nobody took as unknown, suggesting the closest key
    /// that was asked for. A typo like `stgae` must not lose data silently.
    pub fn finish(self, cx: &mut FileCx) {
        let mut typo_of = Vec::new();
        for (i, (k, _)) in self.table.iter().enumerate() {
            if self.taken[i] {
                continue;
            }
            let key = k.get_ref().as_ref();
            let suggestion = suggest::closest(key, self.asked.iter().map(String::as_str));
            let help = match suggestion {
                Some(s) => {
                    typo_of.push(s.to_string());
                    Msg::new("help.did-you-mean").arg("candidate", s)
                }
                None => {
                    let mut known: Vec<&str> = self.asked.iter().map(String::as_str).collect();
                    known.sort_unstable();
                    known.dedup();
                    Msg::new("help.known-keys").arg("keys", known.join(", "))
                }
            };
            let span = cx.span(k.span());
            cx.report(
                &codes::UNKNOWN_KEY,
                span,
                in_table(Msg::new("msg.unknown-key").arg("key", key), &self.path, cx),
                Some(help),
            );
        }
        for key in &self.missing {
            if !typo_of.contains(key) {
                self.report_missing(cx, key);
            }
        }
    }
}

/// Adds the `{table}` argument: the TOML path, or "the top level" (of
/// the record, or of the front matter).
fn in_table(msg: Msg, path: &str, cx: &FileCx) -> Msg {
    if path.is_empty() && cx.front_matter {
        msg.term("table", "term.front-matter")
    } else if path.is_empty() {
        msg.term("table", "term.top-level")
    } else {
        msg.arg("table", format!("`{path}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, f: impl FnOnce(&mut FileCx, TableReader)) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut cx = FileCx::new("t.toml", &mut findings);
        if let Some(doc) = parse(&mut cx, text) {
            let t = TableReader::root(&doc, &cx);
            f(&mut cx, t);
        }
        findings
    }

    #[test]
    fn unknown_keys_are_reported_with_a_suggestion() {
        let findings = read("stgae = \"x\"\nname = \"n\"\n", |cx, mut t| {
            assert!(t.str(cx, "stage").is_none());
            assert_eq!(t.str(cx, "name").unwrap().value, "n");
            t.finish(cx);
        });
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "unknown-key");
        assert_eq!(findings[0].span, Some(Span::new(0, 5)));
        let help = findings[0].help.as_ref().unwrap();
        assert_eq!(help.key, "help.did-you-mean");
    }

    #[test]
    fn a_typo_of_a_required_key_is_one_finding() {
        let findings = read("stgae = \"x\"\n", |cx, mut t| {
            assert!(t.require("stage").is_none());
            t.finish(cx);
        });
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code, "unknown-key");
    }

    #[test]
    fn wrong_types_point_at_the_value() {
        let findings = read("amount = \"十二万\"\n", |cx, mut t| {
            assert!(t.integer(cx, "amount").is_none());
            t.finish(cx);
        });
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "wrong-type");
        assert_eq!(findings[0].span, Some(Span::new(9, 20)));
    }

    #[test]
    fn every_syntax_error_is_reported() {
        let findings = read("a = \"x\nb = = 2\n", |_, _| panic!("must not decode"));
        assert!(findings.len() >= 2, "{findings:?}");
        assert!(findings.iter().all(|f| f.code == "syntax"));
    }

    #[test]
    fn wide_quotes_and_other_date_formats_are_explained_with_the_fix() {
        let findings = read("name = “刘主任”\n", |_, _| panic!("must not decode"));
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].message.key, "msg.syntax-wide-quotes");
        let help = findings[0].help.as_ref().unwrap();
        assert_eq!(
            help.args[0].1,
            crate::diag::Arg::Text("name = \"刘主任\"".into())
        );
        let findings = read(
            "next_step = { date = 2027/4/30, what = \"x\" }\n",
            |_, _| panic!("must not decode"),
        );
        assert_eq!(findings[0].message.key, "msg.syntax-date");
        assert_eq!(
            findings[0].help.as_ref().unwrap().args[0].1,
            crate::diag::Arg::Text("date = 2027-04-30".into())
        );
        for date in ["2027/04/30", "2027年4月30日", "2027.4.30"] {
            let findings = read(&format!("expected_close = {date}\n"), |_, _| {
                panic!("must not decode")
            });
            assert_eq!(findings.len(), 1, "{findings:?}");
            assert_eq!(findings[0].message.key, "msg.syntax-date");
            let help = findings[0].help.as_ref().unwrap();
            assert_eq!(
                help.args[0].1,
                crate::diag::Arg::Text("expected_close = 2027-04-30".into())
            );
        }
    }

    #[test]
    fn frequent_syntax_errors_are_explained() {
        let findings = read("name = 李明\n", |_, _| panic!("must not decode"));
        assert_eq!(findings[0].message.key, "msg.syntax-known");
        let findings = read("a = 1\na = 2\n", |_, _| panic!("must not decode"));
        assert_eq!(
            findings[0].message.args[0].1,
            crate::diag::Arg::Term("syntax.duplicate-key".into())
        );
    }

    #[test]
    fn missing_keys_point_at_the_table_header() {
        let text = "[outcome]\nx = 1\n";
        let findings = read(text, |cx, mut t| {
            let mut o = t.table(cx, "outcome").unwrap();
            assert!(o.require("reason").is_none());
            o.finish(cx);
            t.finish(cx);
        });
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].code, "unknown-key");
        assert_eq!(findings[1].code, "missing-key");
        assert_eq!(findings[1].span.unwrap().start, 0);
    }

    #[test]
    fn dates_and_datetimes_are_accepted() {
        let findings = read(
            "a = 2026-09-01\nb = 2026-09-01T10:00:00\nc = 10:00:00\n",
            |cx, mut t| {
                assert_eq!(
                    t.date(cx, "a").unwrap().value,
                    jiff::civil::date(2026, 9, 1)
                );
                assert_eq!(
                    t.date(cx, "b").unwrap().value,
                    jiff::civil::date(2026, 9, 1)
                );
                assert!(t.date(cx, "c").is_none());
                t.finish(cx);
            },
        );
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "wrong-type");
    }

    #[test]
    fn paths_quote_non_bare_keys() {
        assert_eq!(join("stages", "方案设计"), "stages.\"方案设计\"");
        assert_eq!(join("", "code"), "code");
    }
}
