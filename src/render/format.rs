//! Numbers as the reader expects them: yuan with separators, short amounts
//! in 万元 (zh-CN) or millions (en), percentages.

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

/// A full amount: `¥3,800,000`.
pub fn money(i18n: &I18n, yuan: i64) -> String {
    i18n.format(&Msg::new("site.money").arg("value", grouped(yuan)))
}

/// A short amount for figures and charts: `380.0 万元`, `¥3.80M`.
pub fn money_short(i18n: &I18n, yuan: f64) -> String {
    let divisor: f64 = i18n
        .get("site.money_short_divisor")
        .parse()
        .unwrap_or(10_000.0);
    let decimals: usize = i18n.get("site.money_short_decimals").parse().unwrap_or(1);
    let short = yuan / divisor;
    // 1,026 万元 and 670 万元 read better than 670.0 万元; only small
    // values keep decimals.
    let decimals = if short.abs() >= 100.0 || short == 0.0 {
        0
    } else {
        decimals
    };
    let value = format!("{:.*}", decimals, short);
    let (int, frac) = value.split_once('.').unwrap_or((&value, ""));
    let int: i64 = int.parse().unwrap_or(0);
    let value = if frac.is_empty() {
        grouped(int)
    } else {
        format!("{}.{frac}", grouped(int))
    };
    i18n.format(&Msg::new("site.money_short").arg("value", value))
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
        assert_eq!(money(&zh, 3_800_000), "¥3,800,000");
        assert_eq!(money_short(&zh, 38_000_000.0), "3,800 万元");
        assert_eq!(money_short(&zh, 3_800_000.0), "380 万元");
        assert_eq!(money_short(&zh, 654_000.0), "65.4 万元");
        assert_eq!(money_short(&zh, 0.0), "0 万元");
        let en = I18n::builtin("en");
        assert_eq!(money_short(&en, 3_800_000.0), "¥3.80M");
        assert_eq!(percent(0.632), "63%");
    }
}
