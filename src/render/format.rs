//! Numbers as the reader expects them: amounts in one style per locale
//! (万元 in zh-CN, ¥ millions in English, always with the locale's number
//! of decimals, so columns line up and no page mixes two styles), exact
//! yuan only where an exact contract value is the point, percentages.

use crate::diag::Msg;
use crate::i18n::I18n;

/// `1234567` → `1,234,567`.
pub fn grouped(n: i64) -> String {
    grouped_with(n, ',')
}

/// `n` with `sep` between groups of three digits (`3_800_000` in a record).
pub fn grouped_with(n: i64, sep: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// An exact amount, to the yuan: `3,800,000 元`, `¥3,800,000`. Only for a
/// signed contract's value; every other amount is [`money_short`].
pub fn money(i18n: &I18n, yuan: i64) -> String {
    i18n.format(&Msg::new("site.money").arg("value", grouped(yuan)))
}

/// An amount as every page, table and chart shows it: `380.0 万元`,
/// `¥3.80M`. The unit and the number of decimals are the locale's
/// (`site.money_short_divisor`, `site.money_short_decimals`), the same for
/// every value; zh-CN joins number and unit with a no-break space.
pub fn money_short(i18n: &I18n, yuan: f64) -> String {
    let value = number(yuan / money_divisor(i18n), money_decimals(i18n));
    i18n.format(&Msg::new("site.money_short").arg("value", value))
}

/// Yuan per unit of [`money_short`]: 10,000 (万) or 1,000,000 (M).
pub fn money_divisor(i18n: &I18n) -> f64 {
    i18n.get("site.money_short_divisor")
        .parse()
        .unwrap_or(10_000.0)
}

fn money_decimals(i18n: &I18n) -> usize {
    i18n.get("site.money_short_decimals").parse().unwrap_or(1)
}

/// `1026.04` with 1 decimal → `1,026.0`; `-0.0` is `0.0`.
pub fn number(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value);
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let negative = int.starts_with('-') && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let int: i64 = int.trim_start_matches('-').parse().unwrap_or(0);
    let sign = if negative { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{}", grouped(int))
    } else {
        format!("{sign}{}.{frac}", grouped(int))
    }
}

/// `0.632` → `63%`.
pub fn percent(f: f64) -> String {
    format!("{:.0}%", f * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_naturally() {
        assert_eq!(grouped(3_800_000), "3,800,000");
        assert_eq!(grouped(-950), "-950");
        let zh = I18n::builtin("zh-CN");
        assert_eq!(money(&zh, 3_800_000), "3,800,000\u{a0}元");
        // One number of decimals for every amount of a locale.
        assert_eq!(money_short(&zh, 38_000_000.0), "3,800.0\u{a0}万元");
        assert_eq!(money_short(&zh, 3_800_000.0), "380.0\u{a0}万元");
        assert_eq!(money_short(&zh, 654_000.0), "65.4\u{a0}万元");
        assert_eq!(money_short(&zh, 0.0), "0.0\u{a0}万元");
        assert_eq!(money_short(&zh, -120_000.0), "-12.0\u{a0}万元");
        let en = I18n::builtin("en");
        assert_eq!(money(&en, 3_800_000), "¥3,800,000");
        assert_eq!(money_short(&en, 3_800_000.0), "¥3.80M");
        assert_eq!(money_short(&en, 125_000_000.0), "¥125.00M");
        assert_eq!(money_short(&en, 0.0), "¥0.00M");
        assert_eq!(number(-0.04, 1), "0.0");
        assert_eq!(number(-1234.5, 0), "-1,234");
        assert_eq!(percent(0.632), "63%");
    }
}
