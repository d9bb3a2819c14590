//! `dealbook new project|note|form`: files filled in from the process, so a
//! rep starts from a record that checks instead of a blank page.

use std::process::ExitCode;

use super::edits::{Done, Session, Stop};
use super::exit;
use crate::cli::{Cli, NewArgs, NewCommand, NewFormArgs, NewNoteArgs, NewProjectArgs};
use crate::diag::Msg;
use crate::edit::document::{self, NewForm, NewNote};
use crate::edit::record::{ImportedText, NewProject, new_record};
use crate::edit::stage::{Attach, attach_form};
use crate::load::PROJECTS;
use crate::model::Status;
use crate::process::Keys;

pub fn run(cli: &Cli, args: &NewArgs) -> ExitCode {
    let today = match &args.what {
        NewCommand::Project(a) => a.today,
        NewCommand::Note(a) => a.today,
        NewCommand::Form(a) => a.today,
    };
    Session::run(cli, today, |s| match &args.what {
        NewCommand::Project(a) => project(s, a),
        NewCommand::Note(a) => note(s, a),
        NewCommand::Form(a) => form(s, a),
    })
}

/// An unknown id or name, with the closest one or the whole list.
fn unknown(what: &'static str, value: &str, keys: &Keys) -> Stop {
    let help = crate::suggest::help(value, keys.all.iter().copied()).unwrap_or_else(|| {
        let help = Msg::new("help.one-of");
        match keys.list {
            Some(list) => help.term("options", list),
            None => help.arg("options", keys.ids.join(", ")),
        }
    });
    Stop::cannot(Msg::new(what).arg("value", value)).with_help(help)
}

fn project(s: &Session, a: &NewProjectArgs) -> Result<Done, Stop> {
    let data = s.data();
    let process = &data.process;
    let code = a.code.trim();
    if let Err(why) = crate::edit::check_code(code) {
        return Err(Stop::cannot(
            Msg::new("edit.bad-code").arg("code", code).term("why", why),
        ));
    }
    let dir = format!("{PROJECTS}{code}");
    if let Some(other) = data
        .projects
        .iter()
        .find(|p| p.code.value.eq_ignore_ascii_case(code) && p.folder != code)
    {
        return Err(Stop::new(
            Msg::new("edit.code-taken")
                .arg("code", code)
                .arg("path", &other.path),
            exit::FINDINGS,
        ));
    }
    let owner = match &a.owner {
        Some(o) => data.team.find(o).ok_or_else(|| {
            let keys = Keys::ids(data.team.keys());
            unknown("edit.unknown-person", o, &keys)
        })?,
        None => s.me().and_then(|id| data.team.find(&id)).ok_or_else(|| {
            let email = super::edits::git_email(&s.root).unwrap_or_default();
            Stop::cannot(Msg::new("edit.no-owner").arg("email", email))
        })?,
    };
    let stage = match &a.stage {
        Some(st) => process
            .stage_index(st)
            .ok_or_else(|| unknown("edit.unknown-stage", st, &process.stage_keys()))?,
        None => 0,
    };
    let mut header = Vec::new();
    for (id, given, fallback) in [
        ("region", &a.region, owner.region.as_ref()),
        ("department", &a.department, owner.department.as_ref()),
    ] {
        if let Some(v) = given.as_ref().or(fallback) {
            header.push((id.to_string(), v.clone()));
        }
    }
    // A required header field `new` can fill, left empty, would fail the
    // check at once: ask for it instead.
    for field in process.header.iter().filter(|h| h.required) {
        let flag = match field.id.as_str() {
            "region" => "--region",
            "department" => "--department",
            _ => continue,
        };
        if !header.iter().any(|(id, _)| *id == field.id) {
            return Err(Stop::cannot(
                Msg::new("edit.missing-field")
                    .arg("field", process.text(&field.label, s.i18n.locale()))
                    .arg("flag", flag),
            ));
        }
    }
    let today = s.today;
    let record = NewProject {
        code: code.to_string(),
        name: a.name.trim().to_string(),
        header,
        owner: owner.id.value.clone(),
        stage,
        status: Status::Active,
        amount: a.amount,
        expected_close: a.expected_close,
        next_step: a.next_step.as_ref().map(|what| {
            let due = a.next_date.unwrap_or_else(|| {
                today
                    .checked_add(jiff::Span::new().days(7))
                    .unwrap_or(today)
            });
            (due, what.trim().to_string())
        }),
        entered: Some(today),
        actual: None,
        judgements: Vec::new(),
        outcome: None,
        // A project that starts past the first stage was running before
        // dealbook tracked it.
        imported: (stage > 0).then(|| ImportedText {
            date: today,
            stage,
            source: Some(s.i18n.get("edit.source-new").to_string()),
        }),
    };
    let rel = format!("{dir}/{}", crate::load::RECORD);
    s.write_new(&rel, &new_record(&record, process, &s.i18n), a.force)?;
    Ok(Done::Changed(
        vec![Msg::new("edit.created").arg("path", rel)],
        dir,
    ))
}

fn note(s: &Session, a: &NewNoteArgs) -> Result<Done, Stop> {
    let data = s.data();
    let process = &data.process;
    let p = s.project(&a.code)?;
    let kind = match &a.kind {
        Some(k) => Some(
            process
                .note_kind_index(k)
                .ok_or_else(|| unknown("edit.unknown-kind", k, &process.note_kind_keys()))?,
        ),
        None => None,
    };
    let title = a
        .title
        .clone()
        .or_else(|| {
            kind.map(|k| {
                process
                    .text(&process.note_kinds[k].name, s.i18n.locale())
                    .to_string()
            })
        })
        .unwrap_or_else(|| s.i18n.get("new.note-default-title").to_string());
    let n = NewNote {
        title: title.trim().to_string(),
        date: s.today,
        kind,
        stage: p.stage.as_ref().map(|st| st.value),
        author: s.me().or_else(|| p.owner.as_ref().map(|o| o.value.clone())),
    };
    let rel = format!(
        "{}/notes/{}",
        p.dir,
        document::note_file_name(n.date, &n.title)
    );
    s.write_new(&rel, &document::note(&n, process, &s.i18n), a.force)?;
    Ok(Done::Changed(
        vec![Msg::new("edit.created").arg("path", rel)],
        p.dir.clone(),
    ))
}

fn form(s: &Session, a: &NewFormArgs) -> Result<Done, Stop> {
    let data = s.data();
    let process = &data.process;
    let p = s.project(&a.code)?;
    let form = process
        .form_index(&a.form)
        .ok_or_else(|| unknown("edit.unknown-form", &a.form, &process.form_keys()))?;
    let name = process.text(&process.forms[form].name, s.i18n.locale());
    let project_name = p
        .name
        .as_ref()
        .map_or(p.code.value.as_str(), |n| n.value.as_str());
    let f = NewForm {
        form,
        title: format!("{project_name} {name}"),
        date: s.today,
        author: s.me().or_else(|| p.owner.as_ref().map(|o| o.value.clone())),
    };
    let file = format!("forms/{}", document::form_file_name(process, form));
    let rel = format!("{}/{file}", p.dir);
    s.write_new(&rel, &document::form(&f, process, &s.i18n), a.force)?;
    let stage = crate::rules::stage_term(process, process.forms[form].stage);
    let attached = match attach_form(&s.text(&p.path)?, process, form, &file) {
        Ok(Attach::Linked(text)) => {
            s.rewrite(&p.path, &text)?;
            Msg::new("edit.form-linked")
                .arg("path", &p.path)
                .term("stage", stage)
        }
        Ok(Attach::AlreadyLinked(link)) => Msg::new("edit.form-already-linked").arg("link", link),
        Ok(Attach::NoSection) => Msg::new("edit.form-not-linked").term("stage", stage),
        Err(_) => Msg::new("edit.form-not-linked-unreadable").arg("path", &p.path),
    };
    let created = Msg::new("edit.created").arg("path", rel);
    Ok(Done::Changed(vec![created, attached], p.dir.clone()))
}
