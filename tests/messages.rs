//! Every message key the code names exists in both catalogues, so no
//! finding or page ever shows a raw key.

use std::collections::BTreeSet;
use std::path::Path;

/// The catalogue's keys, flattened to `section.key`.
fn keys(locale: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("data/i18n/{locale}.toml"));
    let text = std::fs::read_to_string(path).unwrap();
    let table: toml::Table = text.parse().unwrap();
    let mut out = BTreeSet::new();
    flatten("", &table, &mut out);
    out
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut BTreeSet<String>) {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(t) => flatten(&path, t, out),
            _ => {
                out.insert(path);
            }
        }
    }
}

/// String literals in `src/` that are message keys: those given to
/// `Msg::new`, and any other that starts with a catalogue section and a
/// dot (`"site.imported"`).
fn keys_in_code(sections: &BTreeSet<String>) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests make up keys of their own.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let pieces: Vec<&str> = code.split('"').collect();
            for (i, literal) in pieces.iter().enumerate().skip(1).step_by(2) {
                let Some((section, key)) = literal.split_once('.') else {
                    continue;
                };
                let named = pieces[i - 1].ends_with("Msg::new(");
                let is_key = (named || sections.contains(section))
                    && !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                    && !key.ends_with('.');
                if is_key {
                    let file = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
                    out.insert((literal.to_string(), file.display().to_string()));
                } else if named {
                    panic!("Msg::new({literal:?}) in {} is not a key", path.display());
                }
            }
        }
    }
    out
}

#[test]
fn every_key_the_code_uses_is_in_both_catalogues() {
    let zh = keys("zh-CN");
    let en = keys("en");
    let sections: BTreeSet<String> = zh
        .iter()
        .filter_map(|k| Some(k.split_once('.')?.0.to_string()))
        .collect();
    let used = keys_in_code(&sections);
    assert!(used.len() > 100, "the scan finds the keys: {}", used.len());
    let missing: Vec<String> = used
        .iter()
        .filter(|(k, _)| !zh.contains(k) || !en.contains(k))
        .map(|(k, file)| {
            let where_ = match (zh.contains(k), en.contains(k)) {
                (false, false) => "both",
                (false, true) => "zh-CN",
                _ => "en",
            };
            format!("{k} ({file}; missing in {where_})")
        })
        .collect();
    assert!(missing.is_empty(), "keys missing:\n{}", missing.join("\n"));
}

#[test]
fn both_catalogues_have_the_same_keys() {
    let zh = keys("zh-CN");
    let en = keys("en");
    let only_zh: Vec<_> = zh.difference(&en).collect();
    let only_en: Vec<_> = en.difference(&zh).collect();
    assert!(
        only_zh.is_empty() && only_en.is_empty(),
        "zh only: {only_zh:?}\nen only: {only_en:?}"
    );
}
