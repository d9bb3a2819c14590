//! Amounts in one style per locale on every page: 万元 with one decimal in
//! zh-CN, ¥ millions with two decimals in English; exact yuan only for a
//! signed contract's value on its project page.

mod common;

use common::Repo;

/// `html` without what people wrote (notes and forms, actual situations,
/// judgements): their own amounts are theirs to write as they like.
fn without_user_text(html: &str) -> String {
    let mut out = html.to_string();
    for (open, close) in [
        ("<div class=\"prose\">", "</div>"),
        ("<p class=\"actual\">", "</p>"),
        ("<td class=\"text\"", "</td>"),
    ] {
        while let Some(start) = out.find(open) {
            let end = start + out[start..].find(close).unwrap() + close.len();
            out.replace_range(start..end, "");
        }
    }
    out
}

/// Every built page, as text.
fn pages(repo: &Repo) -> Vec<(String, String)> {
    repo.site()
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

/// The text just before byte `at`, up to `n` characters.
fn before(text: &str, at: usize, n: usize) -> &str {
    let from = text[..at]
        .char_indices()
        .rev()
        .nth(n - 1)
        .map_or(0, |(i, _)| i);
    &text[from..at]
}

#[test]
fn chinese_pages_give_every_amount_in_wan_yuan_with_one_decimal() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let mut amounts = 0;
    for (path, html) in pages(&repo) {
        assert!(!html.contains('¥'), "{path} writes ¥ in zh-CN");
        let text = without_user_text(&html);
        for (at, _) in text.match_indices("万元") {
            if text[..at].ends_with(">\n") && text[at..].starts_with("万元\n<") {
                // A chart axis' unit, standing alone.
                continue;
            }
            // `380.0 万元`: digits, one decimal, a no-break space.
            let lead: Vec<char> = before(&text, at, 4).chars().collect();
            assert!(
                lead.len() == 4
                    && lead[0].is_ascii_digit()
                    && lead[1] == '.'
                    && lead[2].is_ascii_digit()
                    && lead[3] == '\u{a0}',
                "{path}: …{}万元",
                before(&text, at, 30)
            );
            amounts += 1;
        }
    }
    assert!(amounts > 500, "only {amounts} amounts");
    // The exact contract value of a won project, to the yuan.
    let won = repo.page("projects/SH-2025-006.html");
    assert!(won.contains("9,380,000\u{a0}元"), "the contract value");
}

#[test]
fn english_pages_give_every_amount_in_millions_with_two_decimals() {
    let repo = Repo::demo();
    let run = repo.build(&["--locale", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut amounts = 0;
    for (path, html) in pages(&repo) {
        let text = without_user_text(&html);
        assert!(!text.contains("万元"), "{path} writes 万元 in English");
        // The outcome line of a won project keeps the signed value exact.
        let outcome = text
            .find("<div class=\"outcome\">")
            .map(|at| &text[at..at + text[at..].find("</div>").unwrap()]);
        for (at, _) in text.match_indices('¥') {
            let after = &text[at + '¥'.len_utf8()..];
            let mut amount: String = after
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
                .collect();
            let amount = {
                // A comma after the number belongs to the sentence.
                let number = amount.trim_end_matches(',').len();
                amount.truncate(number);
                if after[number..].starts_with('M') {
                    amount.push('M');
                }
                amount
            };
            if amount == "M" && text[at..].starts_with("¥M\n<") {
                // A chart axis' unit, standing alone.
                continue;
            }
            let exact = outcome.is_some_and(|o| o.contains(&format!("¥{amount}")));
            let (int, rest) = amount.split_once('.').unwrap_or((&amount, ""));
            assert!(
                !int.is_empty()
                    && ((rest.len() == 3 && rest.ends_with('M'))
                        || (exact && rest.is_empty() && int.contains(','))),
                "{path}: ¥{amount}"
            );
            amounts += 1;
        }
    }
    assert!(amounts > 500, "only {amounts} amounts");
}
