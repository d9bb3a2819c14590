//! Resolving what users write to what the process and team define:
//! stage names, vocabulary values, duplicates. Each miss is a finding with
//! the closest candidate as help.

use super::toml_reader::FileCx;
use crate::diag::{Finding, Msg, Rule, codes};
use crate::process::{Keys, Process, Stage};
use crate::span::{Sp, Span};
use crate::suggest;

/// Reports an entry given a second time, pointing back at the first.
pub fn duplicate(cx: &mut FileCx, span: Span, first: Span, key: &str) {
    let f = Finding::new(
        &codes::DUPLICATE_ENTRY,
        cx.path,
        Some(span),
        Msg::new("msg.duplicate-entry").arg("key", key),
    )
    .with_help(Msg::new("help.duplicate-entry"))
    .with_related(cx.path, Some(first), Msg::new("msg.first-defined-here"));
    cx.findings.push(f);
}

/// Reports a stage given twice under two spellings (`solution_confirmation`
/// and `方案确认`): both are kept as written, and the help says to merge
/// them, since each may hold entries the other lacks.
pub fn duplicate_spelling(cx: &mut FileCx, key: &Sp<String>, first: Span, first_key: &str) {
    if key.value == first_key {
        duplicate(cx, key.span, first, &key.value);
        return;
    }
    let f = Finding::new(
        &codes::DUPLICATE_ENTRY,
        cx.path,
        Some(key.span),
        Msg::new("msg.duplicate-spelling")
            .arg("key", &key.value)
            .arg("first", first_key),
    )
    .with_help(
        Msg::new("help.duplicate-spelling").arg("first", super::toml_reader::join("", first_key)),
    )
    .with_related(cx.path, Some(first), Msg::new("msg.first-defined-here"));
    cx.findings.push(f);
}

/// Reports an id that matches nothing, suggesting the closest candidate
/// or listing the valid ids.
pub fn unknown(cx: &mut FileCx, rule: &Rule, message: Msg, value: &Sp<String>, keys: &Keys) {
    let help = suggest::help(&value.value, keys.all.iter().copied()).unwrap_or_else(|| {
        let help = Msg::new("help.one-of");
        match keys.list {
            Some(list) => help.term("options", list),
            None => help.arg("options", keys.ids.join(", ")),
        }
    });
    cx.report(rule, value.span, message, Some(help));
}

/// A value of one of the process's vocabularies (contact parts, note
/// kinds), by id or by name in any language.
pub fn vocabulary(
    cx: &mut FileCx,
    s: &Sp<String>,
    key: &str,
    index: Option<usize>,
    keys: &Keys,
) -> Option<Sp<usize>> {
    if let Some(i) = index {
        return Some(Sp::new(i, s.span));
    }
    unknown(
        cx,
        &codes::UNKNOWN_VALUE,
        Msg::new("msg.unknown-value")
            .arg("key", key)
            .arg("value", &s.value),
        s,
        keys,
    );
    None
}

/// A stage by id or name.
pub fn stage(cx: &mut FileCx, process: &Process, key: &Sp<String>) -> Option<Sp<usize>> {
    match process.stage_index(&key.value) {
        Some(i) => Some(Sp::new(i, key.span)),
        None => {
            unknown(
                cx,
                &codes::UNKNOWN_STAGE,
                Msg::new("msg.unknown-stage").arg("stage", &key.value),
                key,
                &process.stage_keys(),
            );
            None
        }
    }
}

/// A role by id or name.
pub fn role(cx: &mut FileCx, process: &Process, key: &Sp<String>) -> Option<usize> {
    let i = process.role_index(&key.value);
    if i.is_none() {
        unknown(
            cx,
            &codes::UNKNOWN_ROLE,
            Msg::new("msg.unknown-role").arg("role", &key.value),
            key,
            &process.role_keys(),
        );
    }
    i
}

/// A condition of `stage` by id.
pub fn condition(cx: &mut FileCx, stage: &Stage, key: &Sp<String>) -> Option<Sp<usize>> {
    if let Some(i) = stage.condition_index(&key.value) {
        return Some(Sp::new(i, key.span));
    }
    let ids: Vec<&str> = stage.conditions.iter().map(|c| c.id.as_str()).collect();
    unknown(
        cx,
        &codes::UNKNOWN_CONDITION,
        Msg::new("msg.unknown-condition")
            .arg("condition", &key.value)
            .arg("stage", &stage.id),
        key,
        &Keys::ids(ids),
    );
    None
}

/// A form by id or name.
pub fn form(cx: &mut FileCx, process: &Process, key: &Sp<String>) -> Option<Sp<usize>> {
    if let Some(i) = process.form_index(&key.value) {
        return Some(Sp::new(i, key.span));
    }
    unknown(
        cx,
        &codes::UNKNOWN_FORM,
        Msg::new("msg.unknown-form").arg("form", &key.value),
        key,
        &process.form_keys(),
    );
    None
}

/// Maps a string onto one of a fixed set of values (`key` names the field
/// in the message).
pub fn choice<T: Copy>(
    cx: &mut FileCx,
    s: &Sp<String>,
    key: &str,
    options: &[(&str, T)],
) -> Option<Sp<T>> {
    if let Some((_, v)) = options.iter().find(|(id, _)| *id == s.value.trim()) {
        return Some(Sp::new(*v, s.span));
    }
    let ids: Vec<&str> = options.iter().map(|(id, _)| *id).collect();
    unknown(
        cx,
        &codes::UNKNOWN_VALUE,
        Msg::new("msg.unknown-value")
            .arg("key", key)
            .arg("value", &s.value),
        s,
        &Keys::ids(ids),
    );
    None
}
