//! The catalogue of finding codes, their default severity, and whether a
//! data repo may change it in `dealbook.toml` (`[rules]`).
//!
//! Problems that mean a file could not be read as data (syntax, encoding,
//! types) are always errors: downgrading them would hide lost data.

use super::Severity;

/// A finding code and its defaults.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub default: Severity,
    pub configurable: bool,
}

macro_rules! rules {
    ($($name:ident = $code:literal, $sev:ident, $conf:literal;)*) => {
        $(pub const $name: Rule = Rule { code: $code, default: Severity::$sev, configurable: $conf };)*
        /// Every code, in documentation order.
        pub const ALL: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    // Reading files.
    READ_ERROR = "read-error", Error, false;
    ENCODING = "encoding", Error, false;
    SYNTAX = "syntax", Error, false;
    FRONT_MATTER = "front-matter", Error, false;
    EMPTY_RECORD = "empty-record", Error, false;
    MISSING_RECORD = "missing-record", Error, false;
    SYMLINK_ESCAPE = "symlink-escape", Error, false;
    // Shape of the data.
    WRONG_TYPE = "wrong-type", Error, false;
    UNKNOWN_KEY = "unknown-key", Error, false;
    MISSING_KEY = "missing-key", Error, false;
    UNKNOWN_VALUE = "unknown-value", Error, false;
    DUPLICATE_ENTRY = "duplicate-entry", Error, false;
    INVALID_PROCESS = "invalid-process", Error, false;
    UNKNOWN_RULE = "unknown-rule", Error, false;
    UNSAFE_URL = "unsafe-url", Error, false;
    // References.
    UNKNOWN_STAGE = "unknown-stage", Error, true;
    UNKNOWN_CONDITION = "unknown-condition", Error, true;
    UNKNOWN_ROLE = "unknown-role", Error, true;
    UNKNOWN_PERSON = "unknown-person", Error, true;
    UNKNOWN_FORM = "unknown-form", Error, true;
    MISSING_FILE = "missing-file", Error, true;
    OUTSIDE_PROJECT = "outside-project", Error, true;
    FORM_MISMATCH = "form-mismatch", Warning, true;
    // Identity.
    DUPLICATE_CODE = "duplicate-code", Error, true;
    CODE_MISMATCH = "code-mismatch", Error, true;
    // Dates and amounts.
    DATE_ORDER = "date-order", Error, true;
    FUTURE_DATE = "future-date", Error, true;
    NEGATIVE_AMOUNT = "negative-amount", Error, true;
    // The stage process.
    STAGE_ORDER = "stage-order", Error, true;
    STAGE_AHEAD = "stage-ahead", Warning, true;
    CURRENT_STAGE_DONE = "current-stage-done", Warning, true;
    WAIVER_WITHOUT_REASON = "waiver-without-reason", Error, true;
    MISSING_FORM = "missing-form", Error, true;
    MISSING_ACTUAL = "missing-actual", Error, true;
    MISSING_JUDGEMENT = "missing-judgement", Error, true;
    MISSING_FOLLOW_UP = "missing-follow-up", Warning, true;
    WRONG_ROLE = "wrong-role", Error, true;
    // History.
    HISTORY_DATE = "history-date", Warning, true;
    JUDGEMENT_AUTHOR = "judgement-author", Error, true;
    UNKNOWN_AUTHOR = "unknown-author", Warning, true;
    // Closing and activity.
    CLOSED_WITHOUT_REASON = "closed-without-reason", Error, true;
    WON_NOT_FINAL = "won-not-final", Warning, true;
    STALE = "stale", Warning, true;
    MISSING_NEXT_STEP = "missing-next-step", Warning, true;
    OVERDUE_NEXT_STEP = "overdue-next-step", Warning, true;
    PAST_EXPECTED_CLOSE = "past-expected-close", Warning, true;
}

/// Looks a rule up by its code.
pub fn find(code: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for r in ALL {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            assert!(
                r.code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.code
            );
        }
    }

    #[test]
    fn read_problems_cannot_be_downgraded() {
        for r in [&SYNTAX, &ENCODING, &WRONG_TYPE, &UNKNOWN_KEY] {
            assert!(!r.configurable);
            assert_eq!(r.default, Severity::Error);
        }
        assert_eq!(find("stale"), Some(&STALE));
        assert_eq!(find("nope"), None);
    }
}
