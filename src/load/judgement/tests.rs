use super::*;
use crate::diag::human::location;
use crate::rules::testing::{self, BRIEF, VALID};

/// VALID without the boss's inline judgement of the finished stage `lead`.
fn without_boss() -> String {
    VALID.replace(
        "[stages.lead.judgements.boss]\nby = \"wang\"\njudgement = \"fine\"\nfollow_up = \"watch\"\n",
        "",
    )
}

const BOSS: &str =
    "+++\nby = \"wang\"\ndate = 2026-10-09\n+++\n\n## 判断\n\nfine\n\n## 跟进措施\n\nwatch\n";

/// Loads P-1 with `record` and extra files, checks it, and gives each
/// finding as `code path:line:col`, in report order.
fn found(record: &str, files: &[(&str, &str)]) -> Vec<String> {
    let mut all = vec![
        ("content/projects/P-1/project.toml", record),
        ("content/projects/P-1/forms/brief.md", BRIEF),
    ];
    all.extend_from_slice(files);
    let loaded = crate::load::parse(&testing::repo(&all)).unwrap();
    let sources = loaded.sources.clone();
    testing::findings(&all)
        .iter()
        .map(|f| format!("{} {}", f.code, location(&sources, &f.path, f.span)))
        .collect()
}

fn data(record: &str, files: &[(&str, &str)]) -> crate::model::Dataset {
    let mut all = vec![
        ("content/projects/P-1/project.toml", record),
        ("content/projects/P-1/forms/brief.md", BRIEF),
    ];
    all.extend_from_slice(files);
    crate::load::parse(&testing::repo(&all))
        .unwrap()
        .dataset
        .unwrap()
}

const FILE: &str = "content/projects/P-1/judgements/lead.boss.md";

#[test]
fn the_body_has_two_sections_in_either_language() {
    let text =
        "+++\n+++\n\n## 判断\n\n客户预算已批复。\n第二行。\n\n## 跟进措施：\n\n两周内拜访。\n";
    let b = body(text, 8);
    assert_eq!(b.problems, []);
    let j = b.judgement.unwrap();
    assert_eq!(j.value, "客户预算已批复。\n第二行。");
    assert_eq!(&text[j.span.start..j.span.end], j.value);
    assert_eq!(b.follow_up.unwrap().value, "两周内拜访。");
    assert_eq!(&text[b.judgement_heading.unwrap().start..][..9], "## 判断");

    let b = body("# judgement\r\nGo.\r\n## FOLLOW-UP ##\r\nVisit.\r\n", 0);
    assert_eq!(b.problems, []);
    assert_eq!(b.judgement.unwrap().value, "Go.");
    assert_eq!(b.follow_up.unwrap().value, "Visit.");
}

#[test]
fn deeper_headings_and_fenced_code_are_prose() {
    let text = "## Judgement\n### Risks\nA.\n```\n## Follow-up\n```\n## Follow-up\nB.\n";
    let b = body(text, 0);
    assert_eq!(b.problems, []);
    assert_eq!(
        b.judgement.unwrap().value,
        "### Risks\nA.\n```\n## Follow-up\n```"
    );
    assert_eq!(b.follow_up.unwrap().value, "B.");
}

#[test]
fn text_outside_the_sections_is_located() {
    let text = "Note first.\n## 判断\nok\n## 风险\nlost\n## 判断\nagain\n";
    let b = body(text, 0);
    assert_eq!(b.judgement.unwrap().value, "ok");
    let [stray, unknown, repeated] = &b.problems[..] else {
        panic!("{:?}", b.problems)
    };
    assert_eq!(*stray, Problem::Stray(Span::new(0, 11)));
    let Problem::UnknownHeading(title) = unknown else {
        panic!()
    };
    assert_eq!(title.value, "风险");
    assert_eq!(&text[title.span.start..title.span.end], "风险");
    let Problem::Repeated { at, first, .. } = repeated else {
        panic!()
    };
    assert_eq!(&text[at.start..at.end], "## 判断");
    assert_eq!(first.start, 12);
}

#[test]
fn file_names_give_stage_and_role_by_id_or_by_name() {
    let data = data(VALID, &[]);
    let p = &data.process;
    assert_eq!(name(p, "lead.boss.md"), Name::Found(0, 1, "lead"));
    assert_eq!(name(p, "Proposal.Rep.md"), Name::Found(1, 0, "Proposal"));
    assert_eq!(name(p, "lead.bos.md"), Name::UnknownRole("bos"));
    assert_eq!(name(p, "leed.boss.md"), Name::UnknownStage("leed"));
    assert_eq!(name(p, "lead.md"), Name::Shapeless);
    assert_eq!(name(p, "x/lead.boss.md"), Name::Shapeless);
    assert_eq!(stage_and_role(p, "judgements/lead.rep.md"), Some((0, 0)));

    // The bundled process: Chinese names, as `方案设计.部门主管.md`.
    let mut findings = Vec::new();
    let process = crate::load::process::parse(
        "data/process.toml",
        crate::load::BUILTIN_PROCESS,
        &mut findings,
    )
    .unwrap();
    let design = process.stage_index("solution_design").unwrap();
    let head = process.role_index("dept_head").unwrap();
    assert_eq!(
        name(&process, "方案设计.部门主管.md"),
        Name::Found(design, head, "方案设计")
    );
    assert_eq!(
        name(&process, "solution_design.部门主管.md"),
        Name::Found(design, head, "solution_design")
    );
}

#[test]
fn a_file_judgement_counts_as_an_inline_one() {
    assert_eq!(
        found(&without_boss(), &[(FILE, BOSS)]),
        Vec::<String>::new()
    );
    let by_name = "content/projects/P-1/judgements/Lead.Boss.md";
    assert_eq!(
        found(&without_boss(), &[(by_name, BOSS)]),
        Vec::<String>::new()
    );
    let d = data(&without_boss(), &[(FILE, BOSS)]);
    let j = d.projects[0].stage_record(0).unwrap().judgement(1).unwrap();
    assert_eq!(j.judgement.as_ref().unwrap().value, "fine");
    assert_eq!(j.path("x"), FILE);
    // Without it, the finished stage misses the boss's judgement.
    assert_eq!(
        found(&without_boss(), &[]),
        ["missing-judgement content/projects/P-1/project.toml:9:9"]
    );
}

#[test]
fn gaps_in_a_file_are_found_in_the_file() {
    let no_text = BOSS.replace("fine\n", "");
    assert_eq!(
        found(&without_boss(), &[(FILE, &no_text)]),
        [format!("missing-judgement {FILE}:6:1")]
    );
    let no_follow_up = BOSS.replace("watch\n", "");
    assert_eq!(
        found(&without_boss(), &[(FILE, &no_follow_up)]),
        [format!("missing-follow-up {FILE}:10:1")]
    );
    let no_heading = BOSS.replace("\n## 跟进措施\n\nwatch\n", "");
    assert_eq!(
        found(&without_boss(), &[(FILE, &no_heading)]),
        [format!("missing-follow-up {FILE}:1:1")]
    );
}

#[test]
fn the_rules_about_people_and_dates_read_the_file() {
    let wrong = BOSS.replace("by = \"wang\"", "by = \"li\"");
    assert_eq!(
        found(&without_boss(), &[(FILE, &wrong)]),
        [format!("wrong-role {FILE}:2:6")]
    );
    let nobody = BOSS.replace("by = \"wang\"", "by = \"wnag\"");
    assert_eq!(
        found(&without_boss(), &[(FILE, &nobody)]),
        [format!("unknown-person {FILE}:2:6")]
    );
    let future = BOSS.replace("2026-10-09", "2027-01-01");
    assert_eq!(
        found(&without_boss(), &[(FILE, &future)]),
        [format!("future-date {FILE}:3:8")]
    );
}

#[test]
fn inline_and_file_together_are_a_duplicate_pointing_at_both() {
    let all = [
        ("content/projects/P-1/project.toml", VALID),
        ("content/projects/P-1/forms/brief.md", BRIEF),
        (FILE, BOSS),
    ];
    let f = testing::findings(&all);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code, "duplicate-entry");
    assert_eq!(f[0].path, FILE);
    assert_eq!(f[0].related[0].path, "content/projects/P-1/project.toml");
    // Two files for one judgement, by id and by name.
    let twice = found(
        &without_boss(),
        &[
            (FILE, BOSS),
            ("content/projects/P-1/judgements/Lead.Boss.md", BOSS),
        ],
    );
    assert_eq!(twice, [format!("duplicate-entry {FILE}:1:1")]);
}

#[test]
fn a_blank_inline_table_gives_way_to_the_file() {
    let blank = VALID.replace(
        "[stages.lead.judgements.boss]\nby = \"wang\"\njudgement = \"fine\"\nfollow_up = \"watch\"\n",
        "[stages.lead.judgements.boss]\nby = \"\"\njudgement = \"\"\nfollow_up = \"\"\n",
    );
    assert_eq!(found(&blank, &[(FILE, BOSS)]), Vec::<String>::new());
}

#[test]
fn a_file_name_that_names_nothing_is_an_error_with_a_suggestion() {
    let all = [
        ("content/projects/P-1/project.toml", VALID),
        ("content/projects/P-1/forms/brief.md", BRIEF),
        ("content/projects/P-1/judgements/leed.boss.md", BOSS),
        ("content/projects/P-1/judgements/lead.bos.md", BOSS),
        ("content/projects/P-1/judgements/notes.md", BOSS),
    ];
    let f = testing::findings(&all);
    let got: Vec<_> = f
        .iter()
        .map(|f| {
            (
                f.code,
                f.path.as_str(),
                f.span,
                f.help.as_ref().map(|h| h.key),
            )
        })
        .collect();
    let first_line = Some(Span::new(0, 3));
    assert_eq!(
        got,
        [
            (
                "unknown-role",
                "content/projects/P-1/judgements/lead.bos.md",
                first_line,
                Some("help.did-you-mean")
            ),
            (
                "unknown-stage",
                "content/projects/P-1/judgements/leed.boss.md",
                first_line,
                Some("help.did-you-mean")
            ),
            (
                "unknown-stage",
                "content/projects/P-1/judgements/notes.md",
                first_line,
                Some("help.judgement-file-name")
            ),
        ]
    );
}

#[test]
fn the_body_and_front_matter_are_checked_and_located() {
    let messy = "+++\nby = \"wang\"\nstage = \"lead\"\n+++\nHello\n## 判断\nfine\n## Risks\nx\n## 跟进措施\nwatch\n";
    assert_eq!(
        found(&without_boss(), &[(FILE, messy)]),
        [
            format!("unknown-key {FILE}:3:1"),
            format!("unknown-key {FILE}:5:1"),
            format!("unknown-key {FILE}:8:4"),
        ]
    );
    let no_front = "## 判断\nfine\n## 跟进措施\nwatch\n";
    assert_eq!(
        found(&without_boss(), &[(FILE, no_front)]),
        [
            format!("front-matter {FILE}:1:1"),
            "missing-judgement content/projects/P-1/project.toml:9:9".to_string(),
        ]
    );
}

#[test]
fn a_file_for_a_stage_not_reached_warns_and_one_for_the_current_stage_is_fine() {
    let ahead = "content/projects/P-1/judgements/signed.boss.md";
    assert_eq!(
        found(VALID, &[(ahead, BOSS)]),
        [format!("stage-ahead {ahead}:1:1")]
    );
    let current = "content/projects/P-1/judgements/proposal.boss.md";
    assert_eq!(found(VALID, &[(current, BOSS)]), Vec::<String>::new());
    // The current stage without a section of its own: the file is kept.
    let no_section = VALID.replace(
        "[stages.proposal]\nentered = 2026-10-10\nactual = \"sent\"\n",
        "",
    );
    let d = data(&no_section, &[(current, BOSS)]);
    let rec = d.projects[0].stage_record(1).unwrap();
    assert!(!rec.section);
    assert!(rec.judgement(1).is_some());
    assert!(d.projects[0].section(1).is_none());
}

#[test]
fn history_reads_the_same_text() {
    assert_eq!(texts(BOSS), Some(("fine".to_string(), "watch".to_string())));
    assert_eq!(texts("no front matter"), None);
}
