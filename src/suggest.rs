//! "Did you mean …?" for typos in keys, ids and names.

use crate::diag::Msg;

/// The "did you mean `x`?" help for `word`, if a candidate is close.
pub fn help<'a, I>(word: &str, candidates: I) -> Option<Msg>
where
    I: IntoIterator<Item = &'a str>,
{
    closest(word, candidates).map(|c| Msg::new("help.did-you-mean").arg("candidate", c))
}

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo. Distances count characters, so Chinese names work too.
pub fn closest<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = word.chars().count();
    let limit = match len {
        0 => return None,
        1..=2 => 1,
        3..=5 => 2,
        _ => 3,
    };
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= limit && *d < c.chars().count())
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_transpositions_and_missing_letters() {
        let keys = ["stage", "status", "owner", "amount"];
        assert_eq!(closest("stgae", keys), Some("stage"));
        assert_eq!(closest("ownr", keys), Some("owner"));
        assert_eq!(closest("Amount", keys), Some("amount"));
    }

    #[test]
    fn works_on_chinese_names() {
        let stages = ["项目立项", "方案设计", "方案确认"];
        assert_eq!(closest("方案涉计", stages), Some("方案设计"));
    }

    #[test]
    fn gives_nothing_for_unrelated_words() {
        assert_eq!(closest("budget", ["stage", "status"]), None);
        assert_eq!(closest("", ["a"]), None);
    }
}
