//! The shipped CI recipes stay in step with the CLI: every `dealbook`
//! command they run parses, and they fetch the whole history that the
//! review summary and stage dates need.

use clap::Parser;
use dealbook::cli::Cli;

const RECIPES: [&str; 2] = ["recipes/github-actions.yml", "recipes/gitlab-ci.yml"];

/// The `dealbook …` commands of a recipe, with folded continuation lines
/// (those starting with `--`) joined on.
fn commands(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        let trimmed = line.trim_start().trim_start_matches("- ");
        if trimmed.starts_with('#') {
            open = false;
            continue;
        }
        if let Some(at) = command_at(trimmed) {
            out.push(trimmed[at..].to_string());
            open = true;
        } else if open && trimmed.starts_with("--") {
            let last = out.last_mut().expect("an open command");
            last.push(' ');
            last.push_str(trimmed);
        } else {
            open = false;
        }
    }
    out
}

/// Where a `dealbook [--global-flag …] check|build` command starts in
/// `line`.
fn command_at(line: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = line[from..].find("dealbook ") {
        let at = from + found;
        let verb = line[at..]
            .split(' ')
            .skip(1)
            .find(|word| !word.starts_with("--"));
        if matches!(verb, Some("check" | "build")) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Splits a shell command into words, keeping double-quoted parts whole.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// The command as CI runs it: each `${{ expression }}` and `$VARIABLE`
/// filled in with a sample value.
fn with_values(command: &str) -> String {
    let mut out = String::new();
    let mut rest = command;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("}}")
            .map_or(rest.len(), |e| start + e + 2);
        out.push_str("sample");
        rest = &rest[end..];
    }
    out.push_str(rest);
    // A command substitution (`$(date -u +%F)`): a day.
    while let Some(start) = out.find("$(") {
        let end = out[start..].find(')').map_or(out.len(), |e| start + e + 1);
        out.replace_range(start..end, "2026-11-30");
    }
    // Shell variables: an address where the name says so.
    let mut filled = String::new();
    let mut chars = out.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            filled.push(c);
            continue;
        }
        let mut name = String::new();
        while let Some(&n) = chars
            .peek()
            .filter(|n| n.is_ascii_alphanumeric() || **n == '_')
        {
            name.push(n);
            chars.next();
        }
        filled.push_str(if name.ends_with("URL") {
            "https://sample.example"
        } else {
            "sample"
        });
    }
    filled
}

#[test]
fn every_recipe_command_parses() {
    for recipe in RECIPES {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(recipe);
        let text = std::fs::read_to_string(&path).expect("the recipe exists");
        let commands = commands(&text);
        let verbs: Vec<&str> = commands
            .iter()
            .map(|c| {
                c.split(' ')
                    .skip(1)
                    .find(|word| !word.starts_with("--"))
                    .unwrap_or("")
            })
            .collect();
        assert_eq!(verbs, ["check", "build"], "{recipe} runs check, then build");
        for command in &commands {
            // A fresh checkout has no parse cache; writing one costs time.
            assert!(command.contains(" --no-cache "), "{recipe}: `{command}`");
        }
        for command in &commands {
            let args = words(&with_values(command));
            assert!(
                Cli::try_parse_from(&args).is_ok(),
                "{recipe}: `{command}` does not parse: {:?}",
                Cli::try_parse_from(&args).err().map(|e| e.to_string())
            );
        }
        // The board is built as of the day it runs, also weekly when
        // nobody commits, so stale projects and overdue steps show.
        assert!(
            commands[1].contains("--today \"$(date -u +%F)\""),
            "{recipe}"
        );
        assert!(text.contains("schedule"), "{recipe} has a weekly build");
        assert!(
            commands[0].contains("--base") && commands[0].contains("--summary"),
            "{recipe}: the pull-request check writes a review summary"
        );
        assert!(
            text.contains("fetch-depth: 0") || text.contains("GIT_DEPTH: \"0\""),
            "{recipe}: history needs a full clone"
        );
    }
}

#[test]
fn the_splitter_keeps_quoted_words_whole() {
    assert_eq!(
        words(r#"dealbook check --base "origin/${{ github.base_ref }}" --summary s.md"#),
        [
            "dealbook",
            "check",
            "--base",
            "origin/${{ github.base_ref }}",
            "--summary",
            "s.md"
        ]
    );
}
