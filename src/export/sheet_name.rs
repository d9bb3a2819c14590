//! Worksheet names Excel accepts, made from stage names a company chose
//! freely: a name Excel refuses would stop the whole export.

/// Excel's limit, counted in UTF-16 units.
const MAX: usize = 31;

/// Characters Excel refuses in a sheet name.
const FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// One valid name per wanted `(name, fallback)`, in order: forbidden
/// characters become `_`, control characters and outer apostrophes and
/// spaces go, long names are cut to 31 UTF-16 units, a name left empty
/// takes its fallback (an id), and a name already taken (Excel compares
/// without case) or reserved (`History`) gets ` (2)`, ` (3)`, ….
pub fn sheet_names(wanted: &[(&str, &str)]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    for (name, fallback) in wanted {
        let mut base = clean(name);
        if base.is_empty() {
            base = clean(fallback);
        }
        if base.is_empty() {
            base = format!("Sheet{}", taken.len() + 1);
        }
        let mut candidate = cut(&base, MAX);
        let mut n = 2;
        while is_taken(&candidate, &taken) {
            let suffix = format!(" ({n})");
            candidate = format!("{}{suffix}", cut(&base, MAX - suffix.len()));
            n += 1;
        }
        taken.push(candidate);
    }
    taken
}

fn is_taken(name: &str, taken: &[String]) -> bool {
    let lower = name.to_lowercase();
    lower == "history" || taken.iter().any(|t| t.to_lowercase() == lower)
}

fn clean(name: &str) -> String {
    let replaced: String = name
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if FORBIDDEN.contains(&c) { '_' } else { c })
        .collect();
    trim(&replaced).to_string()
}

/// Without outer spaces and apostrophes (Excel refuses a name that starts
/// or ends with `'`).
fn trim(name: &str) -> &str {
    name.trim_matches(|c: char| c == '\'' || c.is_whitespace())
}

/// The longest prefix of whole characters within `max` UTF-16 units,
/// trimmed again so the cut does not leave an apostrophe at the end.
fn cut(name: &str, max: usize) -> String {
    let mut units = 0;
    let prefix: String = name
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= max
        })
        .collect();
    trim(&prefix).to_string()
}

#[cfg(test)]
mod tests {
    use super::sheet_names;

    fn names(wanted: &[&str]) -> Vec<String> {
        let pairs: Vec<(&str, &str)> = wanted.iter().map(|n| (*n, "fallback")).collect();
        sheet_names(&pairs)
    }

    #[test]
    fn forbidden_characters_are_replaced() {
        assert_eq!(
            names(&["方案[设计]/确认: a*b?c\\d"]),
            ["方案_设计__确认_ a_b_c_d"]
        );
    }

    #[test]
    fn long_names_are_cut_to_31_utf16_units() {
        let long = "项".repeat(40);
        assert_eq!(names(&[&long]), ["项".repeat(31)]);
        // An emoji is two UTF-16 units: 15 of them fill 30, the 16th would
        // make 32.
        let emoji = "😀".repeat(20);
        assert_eq!(names(&[&emoji]), ["😀".repeat(15)]);
    }

    #[test]
    fn apostrophes_and_blanks_at_the_ends_go() {
        assert_eq!(names(&["'报价' "]), ["报价"]);
        // A cut that would end in an apostrophe is trimmed too.
        let name = format!("{}'x", "a".repeat(30));
        assert_eq!(names(&[&name]), ["a".repeat(30)]);
    }

    #[test]
    fn empty_names_take_the_fallback() {
        assert_eq!(sheet_names(&[("[]", "quote"), ("", "")]), ["__", "Sheet2"]);
        assert_eq!(
            sheet_names(&["  ", "'"].map(|n| (n, "quote"))),
            ["quote", "quote (2)"]
        );
    }

    #[test]
    fn duplicates_are_numbered_without_regard_to_case() {
        assert_eq!(
            names(&["Quote", "quote", "QUOTE", "项目"]),
            ["Quote", "quote (2)", "QUOTE (3)", "项目"]
        );
        let long = "b".repeat(31);
        assert_eq!(
            names(&[&long, &long]),
            [long.clone(), format!("{} (2)", "b".repeat(27))]
        );
    }

    #[test]
    fn history_is_reserved_by_excel() {
        assert_eq!(names(&["History"]), ["History (2)"]);
    }

    #[test]
    fn every_result_is_a_name_excel_accepts() {
        let wanted = [
            "",
            "'",
            "[]",
            "History",
            "项目",
            "项目",
            "a/b",
            &"长".repeat(50),
            "x'",
        ];
        for name in names(&wanted) {
            let mut book = rust_xlsxwriter::Workbook::new();
            assert!(book.add_worksheet().set_name(&name).is_ok(), "{name:?}");
        }
    }
}
