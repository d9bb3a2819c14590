//! Small toml_edit helpers: values written the way the records are
//! (`3_800_000`, bare dates), trailing comments aligned, and replacements
//! that keep a value's comment.

use jiff::civil::Date;
use toml_edit::{Datetime, Item, Table, TableLike, Value};
use unicode_width::UnicodeWidthStr;

/// The column trailing comments start at, as in the demo's records.
const COMMENT_COLUMN: usize = 40;

/// A TOML date value (`2026-11-29`, no quotes).
pub fn date(d: Date) -> Value {
    Value::from(Datetime {
        date: Some(toml_edit::Date {
            year: d.year() as u16,
            month: d.month() as u8,
            day: d.day() as u8,
        }),
        time: None,
        offset: None,
    })
}

/// An amount with thousands separators (`3_800_000`), as people write it.
pub fn amount(n: i64) -> Value {
    crate::render::format::grouped_with(n, '_')
        .parse()
        .unwrap_or_else(|_| Value::from(n))
}

/// Sets `key = value` in `table` with `# comment` after it, aligned by
/// display width (CJK text counts two columns) with the record's other
/// comments.
pub fn set(table: &mut Table, key: &str, mut value: Value, comment: &str) {
    let shown = format!("{key} = {value}");
    value.decor_mut().set_prefix(" ");
    if !comment.is_empty() {
        let pad = COMMENT_COLUMN.saturating_sub(shown.trim().width()).max(2);
        value
            .decor_mut()
            .set_suffix(format!("{}# {comment}", " ".repeat(pad)));
    }
    table.insert(key, Item::Value(value));
}

/// Replaces the value of `key`, keeping the comment that followed the old
/// one at the column it was; adds the key when it is missing.
pub fn replace(table: &mut dyn TableLike, key: &str, mut value: Value) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            let mut decor = old.decor().clone();
            let suffix = decor.suffix().and_then(|s| s.as_str()).unwrap_or("");
            if let Some(comment) = suffix.trim_start().strip_prefix('#') {
                // Keep the comment where it was: shorten or widen the gap
                // by what the value's width changed.
                let gap = suffix.len() - suffix.trim_start().len();
                let was = bare(old).width();
                let now = bare(&value).width();
                let gap = (gap + was).saturating_sub(now).max(2);
                decor.set_suffix(format!("{}#{comment}", " ".repeat(gap)));
            }
            *value.decor_mut() = decor;
            *old = value;
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// A value as written, without the space and comment around it.
fn bare(v: &Value) -> String {
    let mut v = v.clone();
    v.decor_mut().clear();
    v.to_string()
}

/// Puts `# comment` lines before a key (a note on what follows).
pub fn comment_before(table: &mut Table, key: &str, lines: &[String]) {
    if let Some(mut k) = table.key_mut(key) {
        let text: String = lines.iter().map(|l| format!("# {l}\n")).collect();
        k.leaf_decor_mut().set_prefix(text);
    }
}

/// A table with `# comment` after its header, starting a new block.
pub fn section(comment: &str) -> Table {
    let mut t = Table::new();
    t.decor_mut().set_prefix("\n");
    if !comment.is_empty() {
        t.decor_mut().set_suffix(format!("  # {comment}"));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_like_hand_written_ones() {
        assert_eq!(amount(3_800_000).to_string(), "3_800_000");
        assert_eq!(amount(950).to_string(), "950");
        assert_eq!(amount(1000).to_string(), "1_000");
        assert_eq!(amount(0).to_string(), "0");
    }

    #[test]
    fn replacing_a_value_keeps_its_comment() {
        let mut doc: toml_edit::DocumentMut =
            "stage = \"方案设计\"   # 当前阶段\n".parse().unwrap();
        replace(doc.as_table_mut(), "stage", Value::from("业绩展示"));
        assert_eq!(doc.to_string(), "stage = \"业绩展示\"   # 当前阶段\n");
    }

    #[test]
    fn comments_align_by_display_width() {
        let mut t = Table::new();
        set(&mut t, "name", Value::from("杭州"), "项目名称");
        set(&mut t, "code", Value::from("HZ-1"), "项目代号");
        let doc = toml_edit::DocumentMut::from(t);
        let text = doc.to_string();
        let lines: Vec<&str> = text.lines().collect();
        let col = |l: &str| l[..l.find('#').unwrap()].width();
        assert_eq!(col(lines[0]), col(lines[1]), "{lines:?}");
        assert_eq!(col(lines[0]), COMMENT_COLUMN);
    }
}
