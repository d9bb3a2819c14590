//! Reads a data repo's own `data/i18n/<locale>.toml`: single strings that
//! override the built-in catalogue. Keys must exist there (a typo would
//! silently change nothing) and values must be text.

use std::collections::BTreeMap;

use super::toml_reader::{self, FileCx, TableReader};
use crate::diag::{Finding, Msg, codes};
use crate::i18n::I18n;
use crate::suggest;

pub fn parse(
    path: &str,
    text: &str,
    locale: &str,
    findings: &mut Vec<Finding>,
) -> BTreeMap<String, String> {
    let builtin = I18n::builtin(locale);
    let mut out = BTreeMap::new();
    let mut cx = FileCx::new(path, findings);
    if let Some(doc) = toml_reader::parse(&mut cx, text) {
        let root = TableReader::root(&doc, &cx);
        read(&mut cx, root, &builtin, &mut out);
    }
    out
}

fn read(cx: &mut FileCx, mut t: TableReader, builtin: &I18n, out: &mut BTreeMap<String, String>) {
    for (key, v) in t.rest(cx) {
        if v.is_table() {
            if let Some(inner) = v.table(cx) {
                read(cx, inner, builtin, out);
            }
        } else if builtin.has(&v.path) {
            if let Some(s) = v.string(cx) {
                out.insert(v.path.clone(), s.value);
            }
        } else {
            let help = suggest::help(&v.path, builtin.keys())
                .unwrap_or_else(|| Msg::new("help.unknown-string"));
            cx.report(
                &codes::UNKNOWN_KEY,
                key.span,
                Msg::new("msg.unknown-string").arg("key", &v.path),
                Some(help),
            );
        }
    }
    t.finish(cx);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_known_strings_and_reports_the_rest() {
        let mut findings = Vec::new();
        let text = "[check]\nerror = \"问题\"\nwarnning = \"提醒\"\nhelp = 3\n";
        let out = parse("data/i18n/zh-CN.toml", text, "zh-CN", &mut findings);
        assert_eq!(out.get("check.error").map(String::as_str), Some("问题"));
        assert_eq!(out.len(), 1);
        let codes: Vec<_> = findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["unknown-key", "wrong-type"]);
        assert_eq!(findings[0].help.as_ref().unwrap().key, "help.did-you-mean");
    }
}
