//! What goes into the feeds: each person's calendar (their next steps,
//! the follow-ups they promised with a due date, and what they still owe)
//! and the Atom feed of the week's changes.

use serde::Serialize;

use super::changes::groups;
use super::{Ctx, note_anchor, note_title};
use crate::analyze::PendingKind;
use crate::diag::Msg;
use crate::model::{Project, Status};
use crate::render::{atom, ical, urls};

/// Where a file of the site is, seen from outside: absolute under an
/// absolute base URL, else the site path (relative to the site root).
fn address(base_url: &str, path: &str) -> String {
    let encoded = urls::encode(path);
    if is_absolute(base_url) {
        format!("{}/{encoded}", base_url.trim_end_matches('/'))
    } else {
        encoded
    }
}

fn is_absolute(base_url: &str) -> bool {
    base_url.starts_with("http://") || base_url.starts_with("https://")
}

/// A project's code and name.
fn title(p: &Project) -> String {
    match &p.name {
        Some(n) => format!("{} {}", p.code.value, n.value),
        None => p.code.value.clone(),
    }
}

/// A UID part from a name: ASCII only, the same for the same name.
fn uid_part(name: &str) -> String {
    urls::encode(name).replace('/', "%2F")
}

/// The links a person's page offers to subscribe to their calendar.
#[derive(Clone, Debug, Serialize)]
pub struct Subscribe {
    /// The file, relative to the site root.
    pub href: String,
    /// `webcal://…` and `https://…` addresses when the base URL is
    /// absolute; empty otherwise.
    pub webcal: String,
    pub https: String,
}

pub fn subscribe(ctx: &Ctx, person: usize, base_url: &str) -> Subscribe {
    let path = urls::calendar(&ctx.data.team.people[person].id.value);
    let https = if is_absolute(base_url) {
        address(base_url, &path)
    } else {
        String::new()
    };
    let webcal = https
        .strip_prefix("https://")
        .or_else(|| https.strip_prefix("http://"))
        .map_or_else(String::new, |rest| format!("webcal://{rest}"));
    Subscribe {
        href: urls::encode(&path),
        webcal,
        https,
    }
}

/// Whether reference `key` (an id or a unique name) names team member `i`.
fn is(ctx: &Ctx, key: &str, i: usize) -> bool {
    ctx.data
        .team
        .find(key)
        .is_some_and(|p| p.id == ctx.data.team.people[i].id)
}

/// Person `i`'s calendar as an `.ics` file.
pub fn calendar(ctx: &Ctx, i: usize, base_url: &str, site_title: &str) -> Vec<u8> {
    let data = ctx.data;
    let person = &data.team.people[i];
    let as_of = ctx.analysis.as_of;
    let url = |p: &Project, fragment: &str| {
        is_absolute(base_url).then(|| {
            let page = address(base_url, &urls::project(&p.folder));
            if fragment.is_empty() {
                page
            } else {
                format!("{page}#{}", urls::encode(fragment))
            }
        })
    };
    let mut events = Vec::new();
    for p in data
        .projects
        .iter()
        .filter(|p| p.status() == Status::Active)
    {
        // The page's address, when the site has an absolute one.
        let page = url(p, "").unwrap_or_default();
        let detail = |text: String| {
            if page.is_empty() {
                text
            } else {
                format!("{text}\n{page}")
            }
        };
        if let Some(next) = &p.next_step
            && let Some(date) = &next.date
            && next
                .who
                .as_ref()
                .or(p.owner.as_ref())
                .is_some_and(|w| is(ctx, &w.value, i))
        {
            let what = next.what.as_ref().map_or("", |w| w.value.as_str());
            events.push(ical::Event {
                uid: format!("next-step-{}@dealbook", uid_part(&p.folder)),
                date: date.value,
                summary: ctx.i18n.format(
                    &Msg::new("feed.next_step")
                        .arg("what", what)
                        .arg("project", title(p)),
                ),
                description: detail(title(p)),
                url: url(p, crate::analyze::pending::anchor::NEXT_STEP),
            });
        }
        let Some(stage) = p.stage.as_ref().map(|s| s.value) else {
            continue;
        };
        let stage_id = &data.process.stages[stage].id;
        for j in p.stage_record(stage).iter().flat_map(|r| &r.judgements) {
            let (Some(due), Some(by)) = (&j.due, &j.by) else {
                continue;
            };
            if !is(ctx, &by.value, i) {
                continue;
            }
            let role_id = &data.process.roles[j.role].id;
            let follow_up = j.follow_up.as_ref().map_or("", |f| f.value.as_str());
            events.push(ical::Event {
                uid: format!(
                    "follow-up-{}-{}-{}@dealbook",
                    uid_part(&p.folder),
                    uid_part(stage_id),
                    uid_part(role_id)
                ),
                date: due.value,
                summary: ctx.i18n.format(
                    &Msg::new("feed.follow_up")
                        .arg("what", follow_up)
                        .arg("project", title(p)),
                ),
                description: detail(
                    ctx.i18n.format(
                        &Msg::new("feed.follow_up_detail")
                            .arg("stage", ctx.stage_name(stage))
                            .arg("role", ctx.role_name(j.role)),
                    ),
                ),
                url: url(
                    p,
                    &crate::analyze::pending::anchor::judgement(stage_id, role_id),
                ),
            });
        }
    }
    // What they owe, one event per project on the as-of date: the reminder
    // moves with each build until it is written.
    let owed: Vec<&crate::analyze::Pending> = ctx
        .analysis
        .pending
        .iter()
        .filter(|item| item.people.contains(&i))
        .filter(|item| {
            !matches!(
                item.kind,
                PendingKind::OverdueNextStep | PendingKind::OverdueFollowUp
            )
        })
        .collect();
    let mut projects: Vec<usize> = owed.iter().map(|item| item.project).collect();
    projects.dedup();
    for pi in projects {
        let p = &data.projects[pi];
        let items: Vec<String> = owed
            .iter()
            .filter(|item| item.project == pi)
            .map(|item| super::pending::row(ctx, item).what)
            .collect();
        events.push(ical::Event {
            uid: format!(
                "owed-{}-{}@dealbook",
                uid_part(&person.id.value),
                uid_part(&p.folder)
            ),
            date: as_of,
            summary: ctx.i18n.format(
                &Msg::new("feed.owed")
                    .arg("n", items.len())
                    .arg("project", title(p)),
            ),
            description: match url(p, "") {
                Some(page) => format!("{}\n{page}", items.join("\n")),
                None => items.join("\n"),
            },
            url: url(p, ""),
        });
    }
    events.sort_by(|a, b| a.date.cmp(&b.date).then(a.uid.cmp(&b.uid)));
    let cal = ical::Calendar {
        name: ctx.i18n.format(
            &Msg::new("feed.calendar_name")
                .arg("person", &person.name)
                .arg("site", site_title),
        ),
        events,
    };
    ical::write(&cal, as_of).into_bytes()
}

/// The Atom feed of the week's changes and notes.
pub fn changes(ctx: &Ctx, base_url: &str, site_title: &str) -> Vec<u8> {
    let c = &ctx.analysis.changes;
    let from_feed = |path: &str| address(base_url, path);
    let mut entries = Vec::new();
    for g in groups(ctx) {
        for item in g.items {
            // A record deleted since has no page: the changes page instead.
            let page = match &item.project.href {
                Some(_) => urls::project(&item.folder),
                None => super::board::View::Changes.path(),
            };
            entries.push(atom::Entry {
                id: format!(
                    "urn:dealbook:change:{}:{}:{}",
                    g.id,
                    uid_part(&item.folder),
                    item.date
                ),
                title: ctx.i18n.format(
                    &Msg::new("feed.change")
                        .arg("what", &g.label)
                        .arg("project", &item.project.text),
                ),
                updated: item.day,
                link: from_feed(&page),
                summary: item.detail,
            });
        }
    }
    for &(pi, ni) in &c.notes {
        let p = &ctx.data.projects[pi];
        let n = &p.notes[ni];
        let date = n.date.as_ref().map_or(ctx.analysis.as_of, |d| d.value);
        entries.push(atom::Entry {
            id: format!(
                "urn:dealbook:note:{}:{}",
                uid_part(&p.folder),
                uid_part(&n.rel)
            ),
            title: ctx.i18n.format(
                &Msg::new("feed.note")
                    .arg("title", note_title(n))
                    .arg("project", title(p)),
            ),
            updated: date,
            link: format!(
                "{}#{}",
                from_feed(&urls::project(&p.folder)),
                urls::encode(&note_anchor(&n.rel))
            ),
            summary: n
                .author
                .as_ref()
                .map_or_else(String::new, |a| ctx.person_name(&a.value)),
        });
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then(a.id.cmp(&b.id)));
    let feed = atom::Feed {
        id: format!("urn:dealbook:changes:{}", uid_part(site_title)),
        title: ctx
            .i18n
            .format(&Msg::new("feed.changes_title").arg("site", site_title)),
        author: site_title.to_string(),
        updated: ctx.analysis.as_of,
        self_link: is_absolute(base_url).then(|| from_feed(urls::CHANGES_FEED)),
        link: from_feed(&super::board::View::Changes.path()),
        entries,
    };
    atom::write(&feed).into_bytes()
}
