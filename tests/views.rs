//! The board's views against the demo records: each figure is recomputed
//! here from the records as loaded (never through the analysis or the
//! renderer) and compared with what the built pages and feeds show.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::Repo;
use dealbook::model::{Dataset, Project, Status};
use jiff::ToSpan;
use jiff::civil::{Date, date};

fn today() -> Date {
    date(2026, 11, 26)
}

/// The demo, built as of [`today`], and its records as loaded.
fn demo() -> (Repo, Dataset) {
    let repo = Repo::demo();
    let run = repo.build(&[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let data = dealbook::load::load(repo.path()).unwrap().dataset.unwrap();
    (repo, data)
}

// ── Reading the pages ────────────────────────────────────────────────────

/// The rows of the table with `id`.
fn rows<'a>(html: &'a str, id: &str) -> Vec<&'a str> {
    let table = html
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no table {id}"));
    let body = table.split("</tbody>").next().unwrap();
    body.split("<tr").skip(2).collect()
}

/// The `data-value`s of a row, in order.
fn values(row: &str) -> Vec<String> {
    row.split("data-value=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

/// The value of attribute `name` on a row.
fn attr(row: &str, name: &str) -> String {
    row.split(&format!("{name}=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_string()
}

/// The project codes of a deal list, in order.
fn deal_codes(html: &str) -> Vec<String> {
    html.split("<tr class=\"row ")
        .skip(1)
        .map(|r| attr(r, "data-value"))
        .collect()
}

// ── Recomputing from the records ─────────────────────────────────────────

fn amount(p: &Project) -> i64 {
    p.amount.as_ref().map_or(0, |a| a.value)
}

fn active(data: &Dataset) -> impl Iterator<Item = &Project> {
    data.projects
        .iter()
        .filter(|p| p.status() == Status::Active)
}

fn stage(p: &Project) -> usize {
    p.stage.as_ref().unwrap().value
}

fn weighted(data: &Dataset, p: &Project) -> f64 {
    amount(p) as f64 * data.process.stages[stage(p)].probability
}

fn contract(p: &Project) -> i64 {
    p.outcome
        .as_ref()
        .and_then(|o| o.contract_value.as_ref())
        .map_or_else(|| amount(p), |v| v.value)
}

fn closed_on(p: &Project) -> Date {
    p.outcome.as_ref().unwrap().date.as_ref().unwrap().value
}

fn quarter(d: Date) -> String {
    format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

/// Days since the current stage was entered, as the record says.
fn days_in_stage(p: &Project) -> i64 {
    let entered = p.stage_record(stage(p)).unwrap().entered.as_ref().unwrap();
    (today() - entered.value).get_days().into()
}

/// The last dated entry of a project: stage dates, judgements, notes,
/// forms, the outcome.
fn last_dated(p: &Project) -> Date {
    let mut dates = Vec::new();
    for r in p.stages.iter().flatten() {
        dates.extend(r.entered.iter().chain(r.done.iter()).map(|d| d.value));
        dates.extend(
            r.judgements
                .iter()
                .filter_map(|j| j.date.as_ref())
                .map(|d| d.value),
        );
    }
    dates.extend(
        p.notes
            .iter()
            .filter_map(|n| n.date.as_ref())
            .map(|d| d.value),
    );
    dates.extend(
        p.forms
            .iter()
            .filter_map(|f| f.date.as_ref())
            .map(|d| d.value),
    );
    dates.into_iter().max().unwrap()
}

fn settings(repo: &Repo) -> toml::Table {
    repo.read("dealbook.toml").parse().unwrap()
}

/// The money of a figure, as the site writes it in zh-CN.
fn short(yuan: f64) -> String {
    let i18n = dealbook::i18n::I18n::builtin("zh-CN");
    dealbook::render::format::money_short(&i18n, yuan)
}

// ── The views ────────────────────────────────────────────────────────────

#[test]
fn the_forecast_adds_up_the_records_by_quarter_with_targets() {
    let (repo, data) = demo();
    let html = repo.page("board/forecast.html");
    let quarters = ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"];
    let targets = settings(&repo)["targets"].as_table().unwrap().clone();
    let mut seen = 0;
    for row in rows(&html, "forecast-quarters-table") {
        let q = attr(row, "data-quarter");
        let open: Vec<&Project> = active(&data)
            .filter(|p| quarter(p.expected_close.as_ref().unwrap().value) == q)
            .collect();
        let won: Vec<&Project> = data
            .projects
            .iter()
            .filter(|p| p.status() == Status::Won && quarter(closed_on(p)) == q)
            .collect();
        let expected = [
            open.len().to_string(),
            open.iter().map(|p| amount(p)).sum::<i64>().to_string(),
            (open.iter().map(|p| weighted(&data, p)).sum::<f64>().round() as i64).to_string(),
            won.iter().map(|p| contract(p)).sum::<i64>().to_string(),
        ];
        assert_eq!(values(row), expected, "{q}");
        let target = targets[&q].as_integer().unwrap();
        let won_amount: i64 = won.iter().map(|p| contract(p)).sum();
        let attainment = format!("{:.0}%", won_amount as f64 / target as f64 * 100.0);
        assert!(row.contains(&short(target as f64)), "{q}: target");
        assert!(
            row.contains(&format!(">{attainment}<")),
            "{q}: {attainment}"
        );
        seen += 1;
        assert!(quarters.contains(&q.as_str()));
    }
    assert_eq!(seen, 4);
    // The demo spreads over every quarter, and this quarter has a win.
    let counts: Vec<usize> = quarters
        .iter()
        .map(|q| {
            active(&data)
                .filter(|p| quarter(p.expected_close.as_ref().unwrap().value) == *q)
                .count()
        })
        .collect();
    assert!(counts.iter().all(|&n| n > 0), "{counts:?}");
    // Departments: each row against its own records and target.
    for row in rows(&html, "forecast-departments-table") {
        let (dept, q) = (attr(row, "data-department"), attr(row, "data-quarter"));
        let open: i64 = active(&data)
            .filter(|p| p.header.get("department").unwrap().value == dept)
            .filter(|p| quarter(p.expected_close.as_ref().unwrap().value) == q)
            .map(amount)
            .sum();
        assert_eq!(values(row)[0], open.to_string(), "{dept} {q}");
        let target = targets[&dept].as_table().unwrap()[&q].as_integer().unwrap();
        assert!(row.contains(&short(target as f64)), "{dept} {q}");
    }
    // Months: twelve, from October to September.
    let months = rows(&html, "forecast-months-table");
    assert_eq!(months.len(), 12);
    assert_eq!(attr(months[0], "data-month"), "2026-10");
    for row in months {
        let m = attr(row, "data-month");
        let n = active(&data)
            .filter(|p| {
                p.expected_close
                    .as_ref()
                    .unwrap()
                    .value
                    .strftime("%Y-%m")
                    .to_string()
                    == m
            })
            .count();
        assert_eq!(values(row)[0], n.to_string(), "{m}");
    }
}

#[test]
fn the_weighted_pipeline_counts_the_last_stage_at_its_probability() {
    let (repo, data) = demo();
    let last = data.process.stages.len() - 1;
    let p = data.process.stages[last].probability;
    assert!(p < 1.0, "签约成交 is not certain before the contract: {p}");
    assert!(active(&data).any(|p| stage(p) == last));
    let weighted: f64 = active(&data).map(|p| weighted(&data, p)).sum();
    let index = repo.page("index.html");
    assert!(
        index.contains(&format!(
            "<div class=\"figure-value\">{}</div>",
            short(weighted)
        )),
        "weighted pipeline {}",
        short(weighted)
    );
}

#[test]
fn the_attention_lists_hold_the_projects_the_records_say() {
    let (repo, data) = demo();
    let board = settings(&repo);
    let neglected_days = board["board"]["neglected_days"].as_integer().unwrap();

    // Closing soon: expected within 90 days, soonest first.
    let mut closing: Vec<(Date, String)> = active(&data)
        .map(|p| {
            (
                p.expected_close.as_ref().unwrap().value,
                p.code.value.clone(),
            )
        })
        .filter(|(d, _)| *d >= today() && *d <= today() + 90.days())
        .collect();
    closing.sort();
    let html = repo.page("board/closing.html");
    let codes: Vec<String> = closing.iter().map(|(_, c)| c.clone()).collect();
    assert_eq!(deal_codes(&html), codes);
    let within_30 = closing
        .iter()
        .filter(|(d, _)| *d <= today() + 30.days())
        .count();
    assert!(
        within_30 > 0 && within_30 < codes.len(),
        "spread over the windows"
    );
    assert_eq!(html.matches(" f-window-30").count(), within_30);

    // Biggest: the ten largest amounts.
    let mut biggest: Vec<(i64, String)> = active(&data)
        .map(|p| (-amount(p), p.code.value.clone()))
        .collect();
    biggest.sort();
    let codes: Vec<String> = biggest.iter().take(10).map(|(_, c)| c.clone()).collect();
    assert_eq!(deal_codes(&repo.page("board/biggest.html")), codes);

    // Stuck: longer in the stage than its max_days.
    let stuck: BTreeSet<String> = active(&data)
        .filter(|p| {
            let limit = data.process.stages[stage(p)].max_days.unwrap();
            days_in_stage(p) > i64::from(limit)
        })
        .map(|p| p.code.value.clone())
        .collect();
    let shown: BTreeSet<String> = deal_codes(&repo.page("board/stuck.html"))
        .into_iter()
        .collect();
    assert!(stuck.len() >= 3, "{stuck:?}");
    assert_eq!(shown, stuck);

    // Neglected: nothing dated for more than neglected_days.
    let neglected: BTreeSet<String> = active(&data)
        .filter(|p| (today() - last_dated(p)).get_days() as i64 > neglected_days)
        .map(|p| p.code.value.clone())
        .collect();
    let shown: BTreeSet<String> = deal_codes(&repo.page("board/neglected.html"))
        .into_iter()
        .collect();
    assert!(neglected.len() >= 3, "{neglected:?}");
    assert_eq!(shown, neglected);

    // Overdue: next steps and current-stage follow-ups whose date passed.
    let mut overdue = Vec::new();
    for p in active(&data) {
        if p.next_step
            .as_ref()
            .and_then(|n| n.date.as_ref())
            .is_some_and(|d| d.value < today())
        {
            overdue.push(p.code.value.clone());
        }
        for j in &p.stage_record(stage(p)).unwrap().judgements {
            if j.due.as_ref().is_some_and(|d| d.value < today()) {
                overdue.push(p.code.value.clone());
            }
        }
    }
    overdue.sort();
    let mut shown = deal_codes(&repo.page("board/overdue.html"));
    shown.sort();
    assert!(overdue.len() >= 3, "{overdue:?}");
    assert_eq!(shown, overdue);
}

#[test]
fn every_list_carries_its_flags() {
    let (repo, data) = demo();
    let projects = repo.page("projects/index.html");
    for p in active(&data) {
        let row = projects
            .split(&format!("data-value=\"{}\"", p.code.value))
            .nth(1)
            .unwrap()
            .split("</td>")
            .next()
            .unwrap();
        let overdue = p
            .next_step
            .as_ref()
            .and_then(|n| n.date.as_ref())
            .is_some_and(|d| d.value < today());
        let stuck = days_in_stage(p) > i64::from(data.process.stages[stage(p)].max_days.unwrap());
        assert_eq!(
            row.contains("flag-overdue_next_step"),
            overdue,
            "{}",
            p.code.value
        );
        assert_eq!(row.contains("flag-stuck"), stuck, "{}", p.code.value);
    }
    // A won project shows its contract value, not its estimate.
    let won = data
        .projects
        .iter()
        .find(|p| p.status() == Status::Won)
        .unwrap();
    let row = projects
        .split(&format!("data-value=\"{}\"", won.code.value))
        .nth(1)
        .unwrap();
    assert_eq!(values(row)[1], contract(won).to_string());
}

#[test]
fn the_week_counts_notes_and_visits_without_history() {
    let (repo, data) = demo();
    let since = today() - 7.days();
    let in_week = |d: Date| since < d && d <= today();
    let notes: Vec<_> = data
        .projects
        .iter()
        .flat_map(|p| &p.notes)
        .filter(|n| n.date.as_ref().is_some_and(|d| in_week(d.value)))
        .collect();
    let visit = data.process.note_kinds.iter().position(|k| k.id == "visit");
    let visits = notes
        .iter()
        .filter(|n| n.kind.as_ref().map(|k| k.value) == visit)
        .count();
    assert!(
        notes.len() >= 5 && visits >= 1,
        "{} notes, {visits} visits",
        notes.len()
    );
    let line = format!("写了 {} 条沟通记录，其中上门拜访 {visits} 次", notes.len());
    assert!(repo.page("index.html").contains(&line), "overview: {line}");
    let page = repo.page("board/changes.html");
    assert!(page.contains(&line), "changes page: {line}");
    assert_eq!(
        page.split("id=\"week-notes\"")
            .nth(1)
            .unwrap()
            .split("</ul>")
            .next()
            .unwrap()
            .matches("<li>")
            .count(),
        notes.len()
    );
    // Moves from the records' dates: a stage first entered, a later stage
    // entered, an outcome dated this week.
    let mut expected: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for p in &data.projects {
        let entered: Vec<Date> = p
            .stages
            .iter()
            .flatten()
            .filter_map(|r| r.entered.as_ref().map(|d| d.value))
            .collect();
        let first = entered.iter().min().copied().unwrap();
        let code = p.code.value.clone();
        if in_week(first) {
            expected.entry("new").or_default().insert(code);
        } else if p.outcome.as_ref().is_some_and(|_| in_week(closed_on(p))) {
            let kind = if p.status() == Status::Won {
                "won"
            } else {
                "lost"
            };
            expected.entry(kind).or_default().insert(code);
        } else if entered.iter().any(|&d| in_week(d)) {
            expected.entry("advanced").or_default().insert(code);
        }
    }
    for kind in ["new", "advanced", "won", "lost"] {
        let group = page
            .split(&format!("class=\"change-{kind}\""))
            .nth(1)
            .unwrap()
            .split("</div>")
            .next()
            .unwrap();
        let shown: BTreeSet<String> = group
            .split("<a href=\"../projects/")
            .skip(1)
            .map(|s| s.split(".html").next().unwrap().to_string())
            .collect();
        assert_eq!(shown, expected.remove(kind).unwrap_or_default(), "{kind}");
        assert!(!shown.is_empty(), "the demo has a {kind} project this week");
    }
}

#[test]
fn win_and_loss_add_up_by_quarter_reason_and_competitor() {
    let (repo, data) = demo();
    let html = repo.page("board/winloss.html");
    let closed: Vec<&Project> = data
        .projects
        .iter()
        .filter(|p| p.status().is_closed())
        .filter(|p| closed_on(p) >= date(2026, 1, 1))
        .collect();
    for row in rows(&html, "winloss-quarters-table") {
        let q = attr(row, "data-quarter");
        let won: i64 = closed
            .iter()
            .filter(|p| p.status() == Status::Won && quarter(closed_on(p)) == q)
            .map(|p| contract(p))
            .sum();
        let lost: i64 = closed
            .iter()
            .filter(|p| p.status() == Status::Lost && quarter(closed_on(p)) == q)
            .map(|p| amount(p))
            .sum();
        assert_eq!(values(row), [won.to_string(), lost.to_string()], "{q}");
    }
    let lost: Vec<&&Project> = closed
        .iter()
        .filter(|p| p.status() == Status::Lost)
        .collect();
    assert!(lost.len() >= 4);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut competitors: BTreeMap<String, usize> = BTreeMap::new();
    for p in &lost {
        let o = p.outcome.as_ref().unwrap();
        let r = o
            .loss_reason
            .as_ref()
            .expect("every demo loss has a reason");
        let name = data.process.loss_reasons[r.value]
            .name
            .get("zh-CN", "zh-CN");
        *reasons.entry(name.to_string()).or_default() += 1;
        *competitors
            .entry(o.competitor.as_ref().unwrap().value.clone())
            .or_default() += 1;
    }
    for (table, expected) in [
        ("winloss-reasons", &reasons),
        ("winloss-competitors", &competitors),
    ] {
        let shown: BTreeMap<String, usize> = rows(&html, table)
            .iter()
            .map(|r| {
                let count = r
                    .split("<td class=\"num\">")
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap();
                (attr(r, "data-key"), count.parse().unwrap())
            })
            .collect();
        assert_eq!(&shown, expected, "{table}");
    }
    assert!(reasons.values().any(|&n| n > 1), "a reason that adds up");
    // Win rate per department.
    for row in rows(&html, "winloss-rate-department") {
        let dept = attr(row, "data-key");
        let of = |s: Status| {
            closed
                .iter()
                .filter(|p| p.status() == s && p.header["department"].value == dept)
                .count()
        };
        let (w, l) = (of(Status::Won), of(Status::Lost));
        let rate = format!("{:.0}%", w as f64 / (w + l) as f64 * 100.0);
        assert!(row.contains(&format!(">{rate}<")), "{dept}: {rate}");
    }
    // Cycle time: the median days from 立项 to the won date.
    let mut cycles: Vec<i64> = closed
        .iter()
        .filter(|p| p.status() == Status::Won)
        .map(|p| {
            let start = p.stage_record(0).unwrap().entered.as_ref().unwrap().value;
            (closed_on(p) - start).get_days().into()
        })
        .collect();
    cycles.sort();
    let n = cycles.len();
    let median = if n.is_multiple_of(2) {
        (cycles[n / 2 - 1] + cycles[n / 2]) as f64 / 2.0
    } else {
        cycles[n / 2] as f64
    };
    let text = if median.fract() == 0.0 {
        format!("{median:.0}")
    } else {
        format!("{median:.1}")
    };
    assert!(
        html.contains(&format!("<div class=\"figure-value\">{text}</div>")),
        "cycle {text}"
    );
}

#[test]
fn the_leaderboard_shows_each_owners_figures() {
    let (repo, data) = demo();
    let html = repo.page("people/index.html");
    let rows = rows(&html, "leaders-people");
    assert_eq!(rows.len(), data.team.people.len());
    for person in &data.team.people {
        let owns = |p: &&Project| p.owner.as_ref().unwrap().value == person.id.value;
        let pipeline: i64 = active(&data).filter(owns).map(amount).sum();
        let won: i64 = data
            .projects
            .iter()
            .filter(owns)
            .filter(|p| p.status() == Status::Won && closed_on(p).year() == 2026)
            .map(contract)
            .sum();
        let notes = data
            .projects
            .iter()
            .flat_map(|p| p.notes.iter().map(move |n| (p, n)))
            .filter(|(p, n)| {
                n.author.as_ref().or(p.owner.as_ref()).unwrap().value == person.id.value
            })
            .filter(|(_, n)| {
                let d = n.date.as_ref().unwrap().value;
                d > today() - 30.days() && d <= today()
            })
            .count();
        let row = rows
            .iter()
            .find(|r| attr(r, "data-name") == person.name)
            .unwrap();
        let v = values(row);
        assert_eq!(v[2], pipeline.to_string(), "{} pipeline", person.name);
        assert_eq!(v[4], won.to_string(), "{} won", person.name);
        assert_eq!(v[5], notes.to_string(), "{} notes", person.name);
    }
    // Each person's page starts with their figures.
    let page = repo.page("people/liming.html");
    let figures = page.find("class=\"figures\"").unwrap();
    assert!(figures < page.find("class=\"filterable\"").unwrap());
    // The departments and regions have their indexes.
    assert_eq!(
        rows_of(&repo, "departments/index.html", "leaders-departments"),
        3
    );
    assert_eq!(rows_of(&repo, "regions/index.html", "leaders-regions"), 5);
}

fn rows_of(repo: &Repo, page: &str, id: &str) -> usize {
    rows(&repo.page(page), id).len()
}

// ── The feeds ────────────────────────────────────────────────────────────

/// The content lines of an iCalendar file, unfolded, after checking its
/// line ends and folding.
fn unfold(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("\r\n"));
    assert!(!ics.replace("\r\n", "").contains(['\r', '\n']), "CRLF only");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    ics.trim_end_matches("\r\n")
        .replace("\r\n ", "")
        .split("\r\n")
        .map(String::from)
        .collect()
}

#[test]
fn each_person_has_a_calendar_of_their_next_steps_and_follow_ups() {
    let repo = Repo::demo();
    // Text that must be escaped, in a record the judgement path leaves be.
    let path = "content/projects/SH-2025-014/project.toml";
    let record = repo.read(path);
    let next = record
        .lines()
        .find(|l| l.starts_with("next_step"))
        .unwrap()
        .to_string();
    repo.write(
        path,
        record.replace(
            &next,
            "next_step = { date = 2026-12-03, what = \"确认付款节点, 履约保函; 见 C:\\\\合同\\n再议\", who = \"wangfang\" }",
        ),
    );
    assert_eq!(
        repo.build(&["--base-url", "https://sales.example.com/board/"])
            .code,
        0
    );
    let data = dealbook::load::load(repo.path()).unwrap().dataset.unwrap();
    let ics = repo.page("people/wangfang.ics");
    let lines = unfold(&ics);
    assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
    assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    let events: Vec<&[String]> = lines
        .split(|l| l == "BEGIN:VEVENT")
        .skip(1)
        .map(|e| &e[..e.iter().position(|l| l == "END:VEVENT").unwrap()])
        .collect();
    let field = |e: &[String], name: &str| {
        e.iter()
            .find_map(|l| l.strip_prefix(&format!("{name}:")))
            .unwrap_or_default()
            .to_string()
    };
    let uids: BTreeSet<String> = events.iter().map(|e| field(e, "UID")).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");
    for e in &events {
        assert_eq!(field(e, "DTSTAMP"), "20261126T000000Z");
        assert!(!field(e, "DTSTART;VALUE=DATE").is_empty());
    }
    // Every next step of wangfang's active projects is there, on its date.
    for p in active(&data).filter(|p| {
        let who = p
            .next_step
            .as_ref()
            .and_then(|n| n.who.as_ref())
            .or(p.owner.as_ref());
        who.unwrap().value == "wangfang"
    }) {
        let uid = format!("next-step-{}@dealbook", p.code.value);
        let e = events.iter().find(|e| field(e, "UID") == uid).expect(&uid);
        let d = p.next_step.as_ref().unwrap().date.as_ref().unwrap().value;
        assert_eq!(
            field(e, "DTSTART;VALUE=DATE"),
            d.strftime("%Y%m%d").to_string()
        );
        assert!(field(e, "URL").starts_with("https://sales.example.com/board/projects/"));
    }
    let escaped = events
        .iter()
        .find(|e| field(e, "UID") == "next-step-SH-2025-014@dealbook")
        .unwrap();
    assert!(
        field(escaped, "SUMMARY").contains("确认付款节点\\, 履约保函\\; 见 C:\\\\合同\\n再议"),
        "{}",
        field(escaped, "SUMMARY")
    );
    // A follow-up with a due date is in its author's calendar.
    let follow_up = data
        .projects
        .iter()
        .filter(|p| p.status() == Status::Active)
        .flat_map(|p| {
            p.stage_record(stage(p))
                .unwrap()
                .judgements
                .iter()
                .map(move |j| (p, j))
        })
        .find(|(_, j)| j.due.is_some())
        .unwrap();
    let by = &follow_up.1.by.as_ref().unwrap().value;
    let theirs = unfold(&repo.page(&format!("people/{by}.ics")));
    let due = follow_up
        .1
        .due
        .as_ref()
        .unwrap()
        .value
        .strftime("%Y%m%d")
        .to_string();
    assert!(
        theirs
            .iter()
            .any(|l| l.starts_with(&format!("UID:follow-up-{}-", follow_up.0.code.value))),
        "{by}"
    );
    assert!(theirs.contains(&format!("DTSTART;VALUE=DATE:{due}")));
    // The person's page offers it.
    let page = repo.page("people/wangfang.html");
    assert!(page.contains("href=\"webcal://sales.example.com/board/people/wangfang.ics\""));
}

#[test]
fn the_changes_feed_is_atom_with_the_weeks_entries() {
    use quick_xml::Reader;
    use quick_xml::events::Event;

    let (repo, data) = demo();
    // Each element's text (entities resolved) by path, and the links.
    let parse = |xml: &str| {
        let mut reader = Reader::from_str(xml);
        let mut path: Vec<String> = Vec::new();
        let mut text = String::new();
        let mut texts: Vec<(String, String)> = Vec::new();
        let mut links: Vec<(String, String)> = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    path.push(e.name().as_ref().to_string());
                    text.clear();
                }
                Event::End(_) => {
                    texts.push((path.join("/"), std::mem::take(&mut text)));
                    path.pop();
                }
                Event::Empty(e) if e.name().as_ref() == "link" => {
                    let get = |k: &str| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.as_ref() == k)
                            .map(|a| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .unwrap()
                                    .to_string()
                            })
                            .unwrap_or_default()
                    };
                    links.push((path.join("/"), format!("{} {}", get("rel"), get("href"))));
                }
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => text.push_str(match r.xml10_content().as_ref() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity {other}"),
                }),
                Event::Eof => break,
                _ => {}
            }
        }
        (texts, links)
    };
    let (texts, links) = parse(&repo.page("changes.atom"));
    let text = |p: &str| -> Vec<String> {
        texts
            .iter()
            .filter(|(k, _)| k == p)
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(text("feed/updated"), ["2026-11-26T00:00:00Z"]);
    assert_eq!(text("feed/id").len(), 1);
    assert_eq!(text("feed/author/name").len(), 1);
    let since = today() - 7.days();
    let notes = data
        .projects
        .iter()
        .flat_map(|p| &p.notes)
        .filter(|n| {
            n.date
                .as_ref()
                .is_some_and(|d| since < d.value && d.value <= today())
        })
        .count();
    let ids = text("feed/entry/id");
    assert!(ids.len() >= notes + 4, "{} entries", ids.len());
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "ids are unique"
    );
    assert_eq!(text("feed/entry/updated").len(), ids.len());
    assert_eq!(text("feed/entry/title").len(), ids.len());
    // Relative links without an absolute base URL, and no self link.
    let entry_links: Vec<&String> = links
        .iter()
        .filter(|(p, _)| p == "feed/entry")
        .map(|(_, l)| l)
        .collect();
    assert_eq!(entry_links.len(), ids.len());
    assert!(
        entry_links
            .iter()
            .all(|l| l.starts_with("alternate projects/"))
    );
    assert!(!links.iter().any(|(_, l)| l.starts_with("self ")));
    // Absolute ones with it.
    assert_eq!(
        repo.build(&["--base-url", "https://sales.example.com/"])
            .code,
        0
    );
    let (_, links) = parse(&repo.page("changes.atom"));
    assert!(links.contains(&(
        "feed".into(),
        "self https://sales.example.com/changes.atom".into()
    )));
    assert!(
        links
            .iter()
            .filter(|(p, _)| p == "feed/entry")
            .all(|(_, l)| l.starts_with("alternate https://sales.example.com/projects/"))
    );
}
