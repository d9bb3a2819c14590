//! The stage page's matrix names its condition columns: each head
//! carries the condition's short label (the process's `short`, else one
//! derived from its text) and its whole text, repeated in a legend.

mod common;

use common::Repo;

/// The `<th>` heads of a stage page's condition columns.
fn heads(page: &str) -> Vec<&str> {
    page.split("<th scope=\"col\" class=\"c\"")
        .skip(1)
        .map(|h| &h[..h.find("</th>").unwrap()])
        .collect()
}

#[test]
fn every_condition_column_carries_its_short_label_and_text() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let data = dealbook::load::load(repo.path()).unwrap().dataset.unwrap();
    let mut shown = 0;
    for stage in &data.process.stages {
        let page = repo.page(&format!("stages/{}.html", stage.id));
        if !page.contains("<table class=\"data matrix\">") {
            continue;
        }
        let heads = heads(&page);
        assert_eq!(heads.len(), stage.conditions.len(), "{}", stage.id);
        for (n, (head, c)) in heads.iter().zip(&stage.conditions).enumerate() {
            let short = c
                .short
                .exact("zh-CN")
                .expect("the bundled process has short labels");
            let text = c.text.exact("zh-CN").unwrap();
            assert!(
                head.contains(&format!("<span class=\"c-short\">{short}</span>")),
                "{}: {head}",
                stage.id
            );
            assert!(head.contains(&format!("<span class=\"c-num\">{}</span>", n + 1)));
            assert!(
                head.contains(&format!("title=\"{}. {text}\"", n + 1)),
                "{head}"
            );
            // The legend below gives the whole text under the same label.
            assert!(page.contains(&format!(
                "<dt><span class=\"c-num\">{}</span> {short}</dt><dd>{text}</dd>",
                n + 1
            )));
            shown += 1;
        }
    }
    assert!(shown >= 20, "only {shown} columns");
    // In English, the English labels.
    let run = repo.build(&["--locale", "en"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = repo.page("stages/initial_contact.html");
    assert!(page.contains("<span class=\"c-short\">Target customer</span>"));
}

#[test]
fn a_process_without_short_labels_gets_them_from_the_text() {
    let repo = Repo::fixture("three-stage");
    let process = repo.read("data/process.toml").replace(
        "text = \"Quote sent\"",
        "text = \"Quote sent to the customer's purchasing department\"",
    );
    repo.write("data/process.toml", process);
    assert_eq!(repo.build(&["--locale", "en"]).code, 0);
    // L-001 is in quote: the label is the text's first words.
    let page = repo.page("stages/quote.html");
    let heads = heads(&page);
    assert_eq!(heads.len(), 1);
    assert!(
        heads[0].contains("<span class=\"c-short\">Quote sent…</span>"),
        "{}",
        heads[0]
    );
}
