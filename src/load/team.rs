//! Reads `data/team.toml`: the people, their roles and their Git emails.

use std::collections::BTreeMap;

use super::toml_reader::{self, FileCx, TableReader};
use crate::diag::Finding;
use crate::model::{Person, Team};
use crate::process::Process;

pub fn parse(path: &str, text: &str, process: &Process, findings: &mut Vec<Finding>) -> Team {
    let mut team = Team::new(path.to_string(), Vec::new());
    let mut cx = FileCx::new(path, findings);
    let Some(doc) = toml_reader::parse(&mut cx, text) else {
        return team;
    };
    let mut t = TableReader::root(&doc, &cx);
    let mut seen = BTreeMap::new();
    for mut p in t.tables(&mut cx, "people") {
        let id = p.require_text(&mut cx, "id");
        let name = p.require_text(&mut cx, "name");
        let roles = p
            .string_list(&mut cx, "roles")
            .into_iter()
            .filter_map(|r| super::resolve::role(&mut cx, process, &r))
            .collect();
        let department = p.text(&mut cx, "department").map(|s| s.value);
        let region = p.text(&mut cx, "region").map(|s| s.value);
        let emails = p
            .string_list(&mut cx, "emails")
            .into_iter()
            .map(|e| e.value.trim().to_lowercase())
            .collect();
        p.finish(&mut cx);
        let (Some(id), Some(name)) = (id, name) else {
            continue;
        };
        if let Some(first) = seen.get(&id.value) {
            super::resolve::duplicate(&mut cx, id.span, *first, &id.value);
            continue;
        }
        seen.insert(id.value.clone(), id.span);
        team.people.push(Person {
            id,
            name: name.value,
            roles,
            department,
            region,
            emails,
        });
    }
    t.finish(&mut cx);
    team
}
