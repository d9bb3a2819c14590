//! Dates and amounts as people type them into a spreadsheet or a command
//! line: `2026/3/5`, `2026年3月5日`, Excel serial days, `¥1,280,000`,
//! `380万元`. Pure; the import and the command-line options share it.

use jiff::civil::Date;

/// Reads a calendar date written the ways a Chinese office writes one:
/// `2026-03-05`, `2026/3/5`, `2026.3.5`, `2026年3月5日`, optionally followed
/// by a time (`2026-03-05 14:30`, `2026-03-05T14:30:00`), which is dropped.
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    // A time after the date: `T` or a space, then anything.
    let date = text
        .split_once(['T', ' '])
        .filter(|(d, _)| d.len() >= 8)
        .map_or(text, |(d, _)| d);
    let date = date.trim_end_matches('日');
    let parts: Vec<&str> = date.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let num = |s: &str| -> Option<i32> {
        (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, m, d) = (num(y)?, num(m)?, num(d)?);
    if y < 1000 {
        return None;
    }
    Date::new(y as i16, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()
}

/// The date of an Excel serial day number (days since 1899-12-30, the
/// epoch that absorbs Excel's 1900 leap-year bug for dates after
/// February 1900). A fraction is a time of day and is dropped.
pub fn excel_serial(serial: f64) -> Option<Date> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let epoch = jiff::civil::date(1899, 12, 30);
    epoch
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()
}

/// Why an amount could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Not a number once signs, separators and units are removed.
    NotANumber,
    Negative,
    /// Larger than fits a whole number of yuan.
    TooLarge,
}

impl AmountError {
    /// The message key that explains it.
    pub fn key(self) -> &'static str {
        match self {
            AmountError::NotANumber => "value.amount-not-a-number",
            AmountError::Negative => "value.amount-negative",
            AmountError::TooLarge => "value.amount-too-large",
        }
    }
}

/// Multipliers of the units an amount may carry, longest first so `万元`
/// wins over `元`.
const UNITS: &[(&str, f64)] = &[
    ("万元", 1e4),
    ("亿元", 1e8),
    ("千元", 1e3),
    ("万", 1e4),
    ("亿", 1e8),
    ("元", 1.0),
    ("RMB", 1.0),
    ("CNY", 1.0),
    ("USD", 1.0),
];

/// Reads an amount in whole units: separators (`1,280,000`, `1 280 000`,
/// `1_280_000`, full-width `，`), currency signs (`¥ ￥ $ €`) and units
/// (`380万`, `380万元`, `1.2亿`) are understood. A plain number is
/// multiplied by `unit` (10000 for a column kept in 万元). Fractions are
/// rounded to the nearest whole unit.
pub fn parse_amount(text: &str, unit: f64) -> Result<i64, AmountError> {
    let mut s: String = text
        .trim()
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ',' | '，' | '_' | '\'' | ' ' | '\u{a0}' | '\u{2009}' | '¥' | '￥' | '$' | '€'
            )
        })
        .collect();
    let mut factor = unit;
    for (name, mult) in UNITS {
        if let Some(rest) = s.strip_suffix(name) {
            s = rest.to_string();
            factor = *mult;
            break;
        }
    }
    if s.is_empty()
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err(AmountError::NotANumber);
    }
    let n: f64 = s.parse().map_err(|_| AmountError::NotANumber)?;
    whole_amount(n * factor)
}

/// A number (a spreadsheet's numeric cell, already multiplied by its
/// unit) as whole units, rounded, with the same limits as
/// [`parse_amount`].
pub fn whole_amount(n: f64) -> Result<i64, AmountError> {
    if !n.is_finite() {
        return Err(AmountError::NotANumber);
    }
    let n = n.round();
    if n < 0.0 {
        return Err(AmountError::Negative);
    }
    if n >= 9.0e15 {
        return Err(AmountError::TooLarge);
    }
    Ok(n as i64)
}

/// The multiplier of a unit a column may be kept in (`万元` → 10000), as
/// written after an amount or named for a whole column.
pub fn unit_factor(name: &str) -> Option<f64> {
    let name = name.trim();
    UNITS
        .iter()
        .chain(&[("千", 1e3)])
        .find(|(unit, _)| unit.eq_ignore_ascii_case(name))
        .map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_in_the_ways_people_write_them() {
        for text in [
            "2026-03-05",
            "2026/3/5",
            "2026.03.05",
            "2026年3月5日",
            "2026年03月05",
            " 2026-3-5 ",
            "2026-03-05 14:30",
            "2026-03-05T14:30:00",
            "2026/3/5 9:00:00",
        ] {
            assert_eq!(parse_date(text), Some(date(2026, 3, 5)), "{text}");
        }
        for text in [
            "",
            "2026-02-30",
            "3/5/2026",
            "26-3-5",
            "2026-3",
            "next week",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn excel_serials_count_from_1899_12_30() {
        assert_eq!(excel_serial(46086.0), Some(date(2026, 3, 5)));
        assert_eq!(excel_serial(46086.75), Some(date(2026, 3, 5)));
        assert_eq!(excel_serial(61.0), Some(date(1900, 3, 1)));
        assert_eq!(excel_serial(-1.0), None);
        assert_eq!(excel_serial(f64::NAN), None);
    }

    #[test]
    fn units_of_whole_columns() {
        assert_eq!(unit_factor("万元"), Some(1e4));
        assert_eq!(unit_factor(" 万 "), Some(1e4));
        assert_eq!(unit_factor("元"), Some(1.0));
        assert_eq!(unit_factor("千"), Some(1e3));
        assert_eq!(unit_factor("亿元"), Some(1e8));
        assert_eq!(unit_factor("rmb"), Some(1.0));
        assert_eq!(unit_factor("dozen"), None);
        assert_eq!(whole_amount(1280.4), Ok(1280));
        assert_eq!(whole_amount(-1.0), Err(AmountError::Negative));
        assert_eq!(whole_amount(f64::INFINITY), Err(AmountError::NotANumber));
        assert_eq!(whole_amount(1e16), Err(AmountError::TooLarge));
    }

    #[test]
    fn amounts_with_separators_signs_and_units() {
        assert_eq!(parse_amount("1,280,000", 1.0), Ok(1_280_000));
        assert_eq!(parse_amount("¥1,280,000", 1.0), Ok(1_280_000));
        assert_eq!(parse_amount("￥ 1 280 000 元", 1.0), Ok(1_280_000));
        assert_eq!(parse_amount("380万", 1.0), Ok(3_800_000));
        assert_eq!(parse_amount("380.5万元", 1.0), Ok(3_805_000));
        assert_eq!(parse_amount("1.2亿", 1.0), Ok(120_000_000));
        assert_eq!(parse_amount("$4,514", 1.0), Ok(4514));
        assert_eq!(parse_amount("12.6", 1e4), Ok(126_000), "a column in 万元");
        assert_eq!(parse_amount("99.5", 1.0), Ok(100));
        assert_eq!(parse_amount("0", 1.0), Ok(0));
        assert_eq!(parse_amount("十二万", 1.0), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("", 1.0), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1.2.3", 1.0), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("-5", 1.0), Err(AmountError::Negative));
        assert_eq!(parse_amount("1e30", 1.0), Err(AmountError::NotANumber));
        assert_eq!(
            parse_amount("99999999999亿", 1.0),
            Err(AmountError::TooLarge)
        );
    }
}
