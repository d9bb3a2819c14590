//! Reads `dealbook.toml`.

use std::collections::BTreeMap;

use super::toml_reader::{self, FileCx, TableReader, Val};
use crate::config::{Board, Config, EditHost, Host, Targets};
use crate::diag::{Finding, Msg, Severity, codes};
use crate::period::Quarter;
use crate::process::Keys;
use crate::span::{Sp, Span};
use crate::suggest;

/// The most weeks the trend chart shows (two years; more would not fit
/// its width). Larger values are cut to this.
pub const MAX_WEEKS: usize = 104;

pub fn parse(path: &str, text: &str, findings: &mut Vec<Finding>) -> Config {
    let mut config = Config::default();
    let mut cx = FileCx::new(path, findings);
    let Some(doc) = toml_reader::parse(&mut cx, text) else {
        return config;
    };
    let mut t = TableReader::root(&doc, &cx);
    if let Some(s) = t.text(&mut cx, "locale") {
        if crate::i18n::LOCALES.contains(&s.value.as_str()) {
            config.locale = s.value;
        } else {
            super::resolve::unknown(
                &mut cx,
                &codes::UNKNOWN_VALUE,
                Msg::new("msg.unknown-value")
                    .arg("key", "locale")
                    .arg("value", &s.value),
                &s,
                &Keys::ids(crate::i18n::LOCALES.to_vec()),
            );
        }
    }
    if let Some(v) = t.get("title") {
        config.title = super::process::text_of(&mut cx, &v, &config.locale);
    }
    if let Some(s) = t.text(&mut cx, "base_url") {
        let link =
            crate::model::link::is_web(&s.value) || crate::model::link::is_site_path(&s.value);
        if link {
            config.base_url = s.value;
        } else {
            unsafe_url(&mut cx, &s, "base_url");
        }
    }
    if let Some(s) = t.text(&mut cx, "theme") {
        config.theme = s.value;
    }
    config.edit_url = t.text(&mut cx, "edit_url").and_then(|s| {
        if crate::model::link::is_web(&s.value) {
            Some(s.value)
        } else {
            unsafe_url(&mut cx, &s, "edit_url");
            None
        }
    });
    if let Some(e) = t.table(&mut cx, "edit") {
        config.edit = edit_host(&mut cx, e);
    }
    if let Some(mut history) = t.table(&mut cx, "history") {
        if let Some(n) = history.integer(&mut cx, "tolerance_days") {
            config.history_tolerance_days = n.value.max(0);
        }
        if let Some(b) = history.boolean(&mut cx, "enabled") {
            config.history = b.value;
        }
        config.trusted_until = history.date(&mut cx, "trusted_until").map(|d| d.value);
        if let Some(n) = history.integer(&mut cx, "weeks") {
            config.trend_weeks = usize::try_from(n.value).unwrap_or(1).clamp(1, MAX_WEEKS);
        }
        history.finish(&mut cx);
    }
    if let Some(board) = t.table(&mut cx, "board") {
        config.board = board_settings(&mut cx, board);
    }
    if let Some(targets) = t.table(&mut cx, "targets") {
        config.targets = targets_of(&mut cx, targets);
    }
    if let Some(mut rules) = t.table(&mut cx, "rules") {
        for (key, v) in rules.rest(&cx) {
            let Some(sev) = v.string(&mut cx) else {
                continue;
            };
            let Some(rule) = codes::find(&key.value) else {
                let all: Vec<&str> = codes::ALL
                    .iter()
                    .filter(|r| r.configurable)
                    .map(|r| r.code)
                    .collect();
                let help = suggest::help(&key.value, all.iter().copied());
                cx.report(
                    &codes::UNKNOWN_RULE,
                    key.span,
                    Msg::new("msg.unknown-rule").arg("rule", &key.value),
                    help,
                );
                continue;
            };
            if !rule.configurable {
                cx.report(
                    &codes::UNKNOWN_RULE,
                    key.span,
                    Msg::new("msg.rule-not-configurable").arg("rule", rule.code),
                    Some(Msg::new("help.rule-not-configurable")),
                );
                continue;
            }
            let levels = [
                ("error", Severity::Error),
                ("warning", Severity::Warning),
                ("allow", Severity::Allow),
            ];
            if let Some(s) = super::resolve::choice(&mut cx, &sev, &key.value, &levels) {
                config.rules.insert(rule.code, s.value);
            }
        }
        rules.finish(&mut cx);
    }
    t.finish(&mut cx);
    config
}

/// `[edit]`: the host, the repository's address and the branch (`main`
/// unless given). Any part missing or wrong leaves the site without it.
fn edit_host(cx: &mut FileCx, mut t: TableReader) -> Option<EditHost> {
    let options: Vec<(&str, Host)> = Host::ALL.iter().map(|h| (h.id(), *h)).collect();
    let host = t
        .require_text(cx, "host")
        .and_then(|h| super::resolve::choice(cx, &h, "host", &options));
    let repo = t.require_text(cx, "repo").and_then(|s| {
        if crate::model::link::is_web(&s.value) {
            let repo = s.value.trim().trim_end_matches('/');
            Some(repo.strip_suffix(".git").unwrap_or(repo).to_string())
        } else {
            unsafe_url(cx, &s, "repo");
            None
        }
    });
    let branch = t.text(cx, "branch").map(|b| b.value.trim().to_string());
    t.finish(cx);
    Some(EditHost {
        host: host?.value,
        repo: repo?,
        branch: branch.unwrap_or_else(|| "main".to_string()),
    })
}

/// `[board]`: what the board's views count by.
fn board_settings(cx: &mut FileCx, mut t: TableReader) -> Board {
    let mut board = Board::default();
    if let Some(n) = t.integer(cx, "neglected_days") {
        if n.value > 0 {
            board.neglected_days = n.value;
        } else {
            cx.report(
                &codes::UNKNOWN_VALUE,
                n.span,
                Msg::new("msg.bad-days-setting")
                    .arg("key", "neglected_days")
                    .arg("value", n.value),
                Some(Msg::new("help.bad-days-setting")),
            );
        }
    }
    if let Some(bands) = t.get("amount_bands").and_then(|v| amount_bands(cx, &v)) {
        board.amount_bands = bands;
    }
    t.finish(cx);
    board
}

/// `amount_bands`: amounts above 0, each larger than the one before;
/// `None` (reported) otherwise.
fn amount_bands(cx: &mut FileCx, v: &Val) -> Option<Vec<i64>> {
    let mut bands = Vec::new();
    for item in &v.array(cx)? {
        let n = item.integer(cx)?;
        if n.value <= 0 || bands.last().is_some_and(|&last| n.value <= last) {
            cx.report(
                &codes::UNKNOWN_VALUE,
                n.span,
                Msg::new("msg.bad-amount-bands").arg("value", n.value),
                Some(Msg::new("help.bad-amount-bands")),
            );
            return None;
        }
        bands.push(n.value);
    }
    Some(bands)
}

/// `[targets]`: `"2027-Q1" = 5_000_000` for the whole team, and a table
/// per department with its own quarters.
fn targets_of(cx: &mut FileCx, mut t: TableReader) -> Targets {
    let mut targets = Targets::default();
    let mut seen = BTreeMap::new();
    for (key, v) in t.rest(cx) {
        if Quarter::parse(&key.value).is_none() && v.is_table() {
            let Some(mut dept) = v.table(cx) else {
                continue;
            };
            let mut quarters = BTreeMap::new();
            let mut seen = BTreeMap::new();
            for (q, v) in dept.rest(cx) {
                if let Some((quarter, amount)) = target(cx, &q, &v, &mut seen) {
                    quarters.insert(quarter, amount);
                }
            }
            dept.finish(cx);
            targets.departments.insert(key.value, quarters);
        } else if let Some((quarter, amount)) = target(cx, &key, &v, &mut seen) {
            targets.total.insert(quarter, amount);
        }
    }
    t.finish(cx);
    targets
}

/// One quarter's target: the key must be a quarter, the value an amount
/// of 0 or more, and a quarter is given once (`2027-Q1` and `2027-q1` are
/// the same).
fn target(
    cx: &mut FileCx,
    key: &Sp<String>,
    v: &Val,
    seen: &mut BTreeMap<Quarter, Span>,
) -> Option<(Quarter, i64)> {
    let Some(quarter) = Quarter::parse(&key.value) else {
        cx.report(
            &codes::UNKNOWN_KEY,
            key.span,
            Msg::new("msg.bad-quarter").arg("key", &key.value),
            Some(Msg::new("help.bad-quarter")),
        );
        return None;
    };
    let amount = v.integer(cx)?;
    if amount.value < 0 {
        cx.report(
            &codes::NEGATIVE_AMOUNT,
            amount.span,
            Msg::new("msg.negative-target")
                .arg("quarter", quarter)
                .arg("amount", amount.value),
            Some(Msg::new("help.negative-target")),
        );
        return None;
    }
    if let Some(first) = seen.insert(quarter, key.span) {
        super::resolve::duplicate(cx, key.span, first, &key.value);
        return None;
    }
    Some((quarter, amount.value))
}

/// A setting that becomes a link on the site but is no web address.
fn unsafe_url(cx: &mut FileCx, s: &crate::span::Sp<String>, key: &str) {
    cx.report(
        &codes::UNSAFE_URL,
        s.span,
        Msg::new("msg.unsafe-url")
            .arg("key", key)
            .arg("url", &s.value),
        Some(Msg::new("help.unsafe-url").arg("key", key)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_that_become_links_must_be_web_addresses() {
        let mut findings = Vec::new();
        let c = parse(
            "dealbook.toml",
            "edit_url = \"javascript:alert(document.domain)//\"\nbase_url = \"//evil.example/\"\n",
            &mut findings,
        );
        assert_eq!(c.edit_url, None);
        assert_eq!(c.base_url, "/");
        let codes: Vec<_> = findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["unsafe-url", "unsafe-url"]);
        let mut findings = Vec::new();
        let c = parse(
            "dealbook.toml",
            "edit_url = \"https://git.example.com/s/-/edit/main/\"\nbase_url = \"/sales/\"\n",
            &mut findings,
        );
        assert!(findings.is_empty() && c.edit_url.is_some() && c.base_url == "/sales/");
    }

    #[test]
    fn edit_names_a_host_a_web_address_and_a_branch() {
        let mut findings = Vec::new();
        let c = parse(
            "dealbook.toml",
            "[edit]\nhost = \"gitea\"\nrepo = \"https://git.example.com/sales/data.git/\"\n",
            &mut findings,
        );
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(
            c.edit,
            Some(EditHost {
                host: Host::Gitea,
                repo: "https://git.example.com/sales/data".to_string(),
                branch: "main".to_string(),
            })
        );
        let mut findings = Vec::new();
        let c = parse(
            "dealbook.toml",
            "[edit]\nhost = \"gitlba\"\nrepo = \"javascript:alert(1)\"\nbranch = \"dev\"\nbrnch = 1\n",
            &mut findings,
        );
        assert_eq!(c.edit, None);
        let got: Vec<_> = findings
            .iter()
            .map(|f| {
                (
                    f.code,
                    f.span.map(|s| s.start),
                    f.help.as_ref().map(|h| h.key),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("unknown-value", Some(14), Some("help.did-you-mean")),
                ("unsafe-url", Some(30), Some("help.unsafe-url")),
                ("unknown-key", Some(67), Some("help.did-you-mean")),
            ]
        );
        let mut findings = Vec::new();
        parse(
            "dealbook.toml",
            "[edit]\nbranch = \"main\"\n",
            &mut findings,
        );
        let codes: Vec<_> = findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["missing-key", "missing-key"]);
    }

    #[test]
    fn reads_targets_and_board_settings() {
        let mut findings = Vec::new();
        let c = parse(
            "dealbook.toml",
            "[board]\nneglected_days = 14\namount_bands = [500_000, 2_000_000]\n\
             [targets]\n\"2027-Q1\" = 5_000_000\n\"2027-q2\" = 6_000_000\n\
             [targets.\"轨道交通事业部\"]\n\"2027-Q1\" = 2_000_000\n",
            &mut findings,
        );
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(c.board.neglected_days, 14);
        assert_eq!(c.board.amount_bands, [500_000, 2_000_000]);
        let q1 = Quarter::parse("2027-Q1").unwrap();
        assert_eq!(c.targets.total.get(&q1), Some(&5_000_000));
        assert_eq!(c.targets.total.len(), 2);
        assert_eq!(c.targets.departments["轨道交通事业部"][&q1], 2_000_000);
    }

    #[test]
    fn bad_targets_are_reported_where_they_are() {
        let text = "[board]\nneglected_days = 0\namount_bands = [3, 2]\n\
                    [targets]\n\"Q1-2027\" = 1\n\"2027-Q1\" = -5\n\"2027-Q2\" = \"500万\"\n\
                    \"2027-Q3\" = 1\n\"2027-q3\" = 2\n\"2027-Q4\" = { x = 1 }\n";
        let mut findings = Vec::new();
        let c = parse("dealbook.toml", text, &mut findings);
        let found: Vec<_> = findings
            .iter()
            .map(|f| {
                let span = f.span.unwrap();
                (f.message.key, &text[span.start..span.end])
            })
            .collect();
        assert_eq!(
            found,
            [
                ("msg.bad-days-setting", "0"),
                ("msg.bad-amount-bands", "2"),
                ("msg.bad-quarter", "\"Q1-2027\""),
                ("msg.negative-target", "-5"),
                ("msg.wrong-type", "\"500万\""),
                ("msg.duplicate-entry", "\"2027-q3\""),
                ("msg.wrong-type", "{ x = 1 }"),
            ]
        );
        assert_eq!(c.board, Board::default(), "bad settings keep the defaults");
        assert_eq!(c.targets.total.len(), 1, "only 2027-Q3 = 1 is kept");
    }

    #[test]
    fn a_title_may_have_one_text_per_locale() {
        let mut findings = Vec::new();
        let c = parse(
            "dealbook.toml",
            "[title]\nzh-CN = \"看板\"\nen = \"Board\"\n",
            &mut findings,
        );
        assert!(findings.is_empty());
        assert_eq!(c.title.get("en", &c.locale), "Board");
        assert_eq!(c.title.get("zh-CN", &c.locale), "看板");
    }

    #[test]
    fn reads_rule_overrides_and_rejects_unknown_ones() {
        let mut findings = Vec::new();
        let c = parse(
            "dealbook.toml",
            "title = \"T\"\n[rules]\nstale = \"error\"\nstael = \"allow\"\nsyntax = \"allow\"\n",
            &mut findings,
        );
        assert_eq!(c.title.get("en", "zh-CN"), "T");
        assert_eq!(c.rules.get("stale"), Some(&Severity::Error));
        let msgs: Vec<_> = findings.iter().map(|f| f.message.key).collect();
        assert_eq!(msgs, ["msg.unknown-rule", "msg.rule-not-configurable"]);
        assert_eq!(findings[0].help.as_ref().unwrap().key, "help.did-you-mean");
    }
}
