//! People named in a project exist in the team, and judge only in roles
//! they hold.

use crate::diag::{Finding, Msg, codes};
use crate::model::{Dataset, Project};
use crate::span::Sp;
use crate::suggest;

pub fn check(p: &Project, data: &Dataset, out: &mut Vec<Finding>) {
    let mut person = |path: &str, who: &Sp<String>| {
        if data.team.find(&who.value).is_none() {
            let help = suggest::help(&who.value, data.team.keys())
                .unwrap_or_else(|| Msg::new("help.unknown-person").arg("team", &data.team.path));
            out.push(
                Finding::new(
                    &codes::UNKNOWN_PERSON,
                    path,
                    Some(who.span),
                    Msg::new("msg.unknown-person").arg("person", &who.value),
                )
                .with_help(help),
            );
        }
    };
    if let Some(owner) = &p.owner {
        person(&p.path, owner);
    }
    for field in data.process.header.iter().filter(|f| f.person) {
        if let Some(who) = p.header.get(&field.id) {
            person(&p.path, who);
        }
    }
    if let Some(who) = p.next_step.as_ref().and_then(|n| n.who.as_ref()) {
        person(&p.path, who);
    }
    for rec in p.stages.iter().flatten() {
        for j in &rec.judgements {
            if let Some(by) = &j.by {
                person(j.path(&p.path), by);
            }
        }
    }
    for n in &p.notes {
        if let Some(a) = &n.author {
            person(&n.path, a);
        }
    }
    for f in &p.forms {
        if let Some(a) = &f.author {
            person(&f.path, a);
        }
    }

    // A judgement written in a role its author does not hold.
    for rec in p.stages.iter().flatten() {
        for j in &rec.judgements {
            let Some(by) = &j.by else { continue };
            let Some(who) = data.team.find(&by.value) else {
                continue;
            };
            if !who.roles.contains(&j.role) {
                let role = &data.process.roles[j.role];
                out.push(
                    Finding::new(
                        &codes::WRONG_ROLE,
                        j.path(&p.path),
                        Some(by.span),
                        Msg::new("msg.wrong-role")
                            .arg("person", &by.value)
                            .term("role", format!("process.role.{}", role.id)),
                    )
                    .with_help(Msg::new("help.wrong-role").arg("team", &data.team.path)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{VALID, one};

    #[test]
    fn unknown_people_get_a_suggestion() {
        let found = one(&VALID.replace("owner = \"li\"", "owner = \"lii\""));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "unknown-person");
        assert_eq!(found[0].help.as_ref().unwrap().key, "help.did-you-mean");
    }

    #[test]
    fn a_judgement_in_a_role_not_held_is_reported() {
        let record = VALID.replacen("by = \"wang\"", "by = \"li\"", 1);
        let found = one(&record);
        assert_eq!(
            found.iter().map(|f| f.code).collect::<Vec<_>>(),
            ["wrong-role"]
        );
    }
}
