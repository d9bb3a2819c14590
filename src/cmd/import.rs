//! `dealbook import FILE --map MAP.toml`: reads the files, plans the import
//! (`crate::import`), prints the plan, and writes it with `--write`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::exit;
use crate::cli::{Cli, ImportArgs};
use crate::diag::{Msg, Severity, SourceMap, human, sort_findings};
use crate::i18n::I18n;
use crate::import::bind::{Named, bind};
use crate::import::convert::{Converter, StatusNames};
use crate::import::mapping::Mapping;
use crate::import::plan::{self, Plan, Repo};
use crate::import::write::{self, Created};
use crate::import::{mapping, people, report, table};
use crate::load;
use crate::load::toml_reader::FileCx;

pub fn run(cli: &Cli, args: &ImportArgs) -> ExitCode {
    let root = super::root(cli);
    let files = match super::read(cli, &root) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let (loaded, i18n) = match super::load(cli, &root, &files) {
        Ok(repo) => (repo.loaded, repo.i18n),
        Err(code) => return code,
    };
    let cannot = |msg: Msg| {
        eprintln!("{}: {}", i18n.get("check.error"), i18n.format(&msg));
        ExitCode::from(exit::CANNOT_RUN)
    };
    let Some(data) = loaded.dataset.as_ref() else {
        // The process is unusable: its own findings say why.
        print_findings(&loaded.findings, &loaded.sources, &i18n, cli);
        return ExitCode::from(exit::CANNOT_RUN);
    };

    // The mapping, then the tables it needs, then the columns it names.
    let map_path = args.map.display().to_string();
    let map_text = match std::fs::read(&args.map) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => return cannot(read_error(&args.map, e)),
    };
    let mut sources = SourceMap::default();
    sources.insert(&map_path, map_text.clone());
    let mut findings = Vec::new();
    let mapping = mapping::parse(&map_path, &map_text, &data.process, &mut findings);
    // A mapping that is TOML is bound to the tables even when it has
    // problems, so the column titles are checked in the same run.
    let Some(mapping) = mapping else {
        return bad_mapping(&mut findings, &sources, &i18n, cli);
    };
    let tables = match read_tables(args, &mapping, &i18n) {
        Ok(t) => t,
        Err(msg) => {
            sort_findings(&mut findings);
            print_findings(&findings, &sources, &i18n, cli);
            return cannot(msg);
        }
    };
    let file_name = tables.file_name.clone();
    let main = &tables.main;
    let main_named = Named {
        name: file_name.clone(),
        table: main,
    };
    let joins: Vec<Named> = tables
        .joins
        .iter()
        .map(|(name, table)| Named {
            name: name.clone(),
            table,
        })
        .collect();
    let mut cx = FileCx::new(&map_path, &mut findings);
    let bound = bind(&mapping, &main_named, &joins, &mut cx);
    let Some(bound) = bound.filter(|_| no_errors(&findings)) else {
        return bad_mapping(&mut findings, &sources, &i18n, cli);
    };

    // The plan.
    let today = args
        .today
        .unwrap_or_else(|| jiff::ZonedDateTime::now().date());
    let converter = Converter {
        bound: &bound,
        joins: &joins,
        process: &data.process,
        today,
        statuses: StatusNames::new(),
    };
    let repo = Repo::new(data, &files);
    let options = plan::Options {
        file_name: &file_name,
        today,
        update: args.update,
    };
    let bar = Progress::new();
    bar.start(
        &i18n.format(&Msg::new("import.progress.plan")),
        main.rows.len(),
    );
    let plan = plan::plan(&main.rows, &converter, &repo, &options, &i18n, &mut |n| {
        bar.set(n)
    });
    bar.clear();

    // What the plan does, then the outcome: each part after a blank line.
    let process = &data.process;
    let mut out = vec![
        format!("{}\n", report::read_line(&file_name, main, &i18n)),
        report::details(&plan, args.update, &file_name, process, &i18n),
    ];
    let people_missing = !plan.new_people.is_empty() && !args.add_people;
    let refused = plan.refused_rows > 0;
    let show = |parts: &[String]| {
        let parts: Vec<&str> = parts
            .iter()
            .map(String::as_str)
            .filter(|p| !p.is_empty())
            .collect();
        super::print(&parts.join("\n"));
    };
    let line = |msg: Msg| format!("{}\n", i18n.format(&msg));
    let stop = if !args.write {
        let mut end = format!("{}\n", report::summary(&plan, false, args.update, &i18n));
        if has_work(&plan, args) {
            end.push_str(&format!(
                "{}\n  {}\n",
                i18n.get("import.report.dry-run"),
                write_command(cli, args, &plan)
            ));
        }
        Some(end)
    } else if refused && !args.skip_bad {
        Some(line(
            Msg::new("import.report.refused-write").arg("count", plan.refused_rows),
        ))
    } else if people_missing {
        Some(line(
            Msg::new("import.report.people-write")
                .arg("count", plan.new_people.len())
                .arg("team", load::TEAM),
        ))
    } else {
        None
    };
    if let Some(end) = stop {
        out.push(report::people(&plan, false, process, &i18n));
        out.push(end);
        show(&out);
        let failed = refused || people_missing;
        return ExitCode::from(if failed { exit::FINDINGS } else { exit::OK });
    }
    if let Err(msg) = write_plan(&root, &files, &plan, args, process, &i18n) {
        show(&out);
        return cannot(msg);
    }
    out.push(report::people(&plan, true, process, &i18n));
    let mut end = format!("{}\n", report::summary(&plan, true, args.update, &i18n));
    if !has_work(&plan, args) {
        end.push_str(&format!("{}\n", i18n.get("import.report.nothing-to-do")));
    }
    out.push(end);
    show(&out);
    ExitCode::from(if refused { exit::FINDINGS } else { exit::OK })
}

/// The imported table and the joined ones, read as the mapping says.
struct Tables {
    file_name: String,
    main: table::Table,
    /// (name, table) of each `[[join]]`, in order.
    joins: Vec<(String, table::Table)>,
}

fn read_tables(args: &ImportArgs, mapping: &Mapping, i18n: &I18n) -> Result<Tables, Msg> {
    let file_name = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes = std::fs::read(&args.file).map_err(|e| read_error(&args.file, e))?;
    let unreadable = |path: &Path, e: table::ReadError| {
        Msg::new("import.cannot-read")
            .arg("path", path.display())
            .arg("error", i18n.format(&e.0))
    };
    let main = table::read(&file_name, &bytes, &options(mapping, None))
        .map_err(|e| unreadable(&args.file, e))?;
    let mut joins = Vec::new();
    for j in &mapping.joins {
        let sheet = j.sheet.as_ref().map(|s| s.value.clone());
        let read = match &j.file {
            // A file beside the imported one: an export's other tables
            // travel with it, wherever the mapping is kept.
            Some(f) => {
                let path = args.file.parent().unwrap_or(Path::new(".")).join(&f.value);
                let bytes = std::fs::read(&path).map_err(|e| read_error(&path, e))?;
                table::read(&f.value, &bytes, &options(mapping, Some(sheet)))
                    .map(|t| (f.value.clone(), t))
                    .map_err(|e| unreadable(&path, e))?
            }
            None if table::is_workbook(&file_name, &bytes) => {
                table::read(&file_name, &bytes, &options(mapping, Some(sheet)))
                    .map(|t| (file_name.clone(), t))
                    .map_err(|e| unreadable(&args.file, e))?
            }
            None => return Err(Msg::new("import.join-not-workbook").arg("file", &file_name)),
        };
        joins.push(read);
    }
    Ok(Tables {
        file_name,
        main,
        joins,
    })
}

/// Writes the team's new people first (records naming them load cleanly
/// only then), then the new records, then the updated ones.
fn write_plan(
    root: &Path,
    files: &load::RepoFiles,
    plan: &Plan,
    args: &ImportArgs,
    process: &crate::process::Process,
    i18n: &I18n,
) -> Result<(), Msg> {
    let cannot_write = |path: &Path, e: std::io::Error| {
        Msg::new("import.cannot-write")
            .arg("path", path.display())
            .arg("error", e)
    };
    if args.add_people && !plan.new_people.is_empty() {
        let team_path = root.join(load::TEAM);
        let text = match files.get(load::TEAM) {
            Some(entry) => String::from_utf8_lossy(entry.bytes().unwrap_or_default()).into_owned(),
            None => String::new(),
        };
        let appended = people::append(&text, &plan.new_people, process).map_err(|e| {
            Msg::new("import.team-unusable")
                .arg("path", load::TEAM)
                .arg("error", e)
        })?;
        write::replace(&team_path, &appended).map_err(|e| cannot_write(&team_path, e))?;
    }
    let projects = root.join(load::PROJECTS);
    let total = plan.creates.len() + if args.update { plan.updates.len() } else { 0 };
    let bar = Progress::new();
    bar.start(&i18n.format(&Msg::new("import.progress.write")), total);
    let records: Vec<(&str, &str)> = plan
        .creates
        .iter()
        .map(|c| (c.code.as_str(), c.text.as_str()))
        .collect();
    let results = write::create_many(&projects, &records, &|n| bar.set(n))
        .map_err(|e| cannot_write(&projects, e))?;
    for (c, result) in plan.creates.iter().zip(results) {
        match result {
            Ok(Created::Written) => {}
            Ok(Created::Existed) => {
                let path = format!("{}{}/{}", load::PROJECTS, c.code, load::RECORD);
                eprintln!(
                    "{}",
                    i18n.format(&Msg::new("import.exists").arg("path", path))
                );
            }
            Err(e) => return Err(cannot_write(&projects.join(&c.code), e)),
        }
    }
    let mut done = records.len();
    if args.update {
        for u in &plan.updates {
            let Some(text) = &u.text else { continue };
            let path = projects.join(&u.code).join(load::RECORD);
            write::replace(&path, text).map_err(|e| cannot_write(&path, e))?;
            done += 1;
            bar.set(done);
        }
    }
    bar.clear();
    Ok(())
}

/// Whether `--write` would write anything.
fn has_work(plan: &Plan, args: &ImportArgs) -> bool {
    plan.writes(args.update, args.add_people)
}

/// The command that writes this import, with the options it needs.
fn write_command(cli: &Cli, args: &ImportArgs, plan: &Plan) -> String {
    let mut cmd = String::from("dealbook");
    if let Some(root) = &cli.root {
        cmd.push_str(&format!(" --root {}", quote(root)));
    }
    cmd.push_str(&format!(
        " import {} --map {} --write",
        quote(&args.file),
        quote(&args.map)
    ));
    if args.update {
        cmd.push_str(" --update");
    }
    if plan.refused_rows > 0 {
        cmd.push_str(" --skip-bad");
    }
    if !plan.new_people.is_empty() {
        cmd.push_str(" --add-people");
    }
    if let Some(today) = args.today {
        cmd.push_str(&format!(" --today {today}"));
    }
    cmd
}

/// A path as a shell reads it.
fn quote(path: &Path) -> String {
    let s = path.display().to_string();
    if s.chars()
        .all(|c| c.is_alphanumeric() || "/._-+:@".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// How to read the imported table (`[source]`), or a joined one (its
/// own sheet; encoding and delimiter found by themselves).
fn options(m: &Mapping, join: Option<Option<String>>) -> table::Options {
    match join {
        None => table::Options {
            sheet: m.source.sheet.clone(),
            header_row: m.source.header_row,
            encoding: m.source.encoding,
            delimiter: m.source.delimiter,
        },
        Some(sheet) => table::Options {
            sheet,
            ..table::Options::default()
        },
    }
}

fn read_error(path: &Path, e: std::io::Error) -> Msg {
    Msg::new("import.cannot-read")
        .arg("path", path.display())
        .arg("error", e)
}

fn no_errors(findings: &[crate::diag::Finding]) -> bool {
    !findings.iter().any(|f| f.severity == Severity::Error)
}

fn bad_mapping(
    findings: &mut Vec<crate::diag::Finding>,
    sources: &SourceMap,
    i18n: &I18n,
    cli: &Cli,
) -> ExitCode {
    sort_findings(findings);
    print_findings(findings, sources, i18n, cli);
    eprintln!("{}", i18n.get("import.bad-mapping"));
    ExitCode::from(exit::CANNOT_RUN)
}

fn print_findings(findings: &[crate::diag::Finding], sources: &SourceMap, i18n: &I18n, cli: &Cli) {
    let style = human::Style {
        color: super::color(cli),
    };
    for f in findings {
        eprintln!("{}", human::render(f, sources, i18n, style));
    }
}

/// A progress bar on stderr, drawn only on a terminal and only once the
/// work has taken a second (a quick import shows none).
struct Progress {
    bar: indicatif::ProgressBar,
    terminal: bool,
    start: Instant,
}

impl Progress {
    fn new() -> Self {
        Progress {
            bar: indicatif::ProgressBar::hidden(),
            terminal: std::io::stderr().is_terminal(),
            start: Instant::now(),
        }
    }

    fn start(&self, message: &str, total: usize) {
        self.bar.set_message(message.to_string());
        self.bar.set_length(total as u64);
        self.bar.set_position(0);
    }

    fn set(&self, done: usize) {
        if self.terminal && self.bar.is_hidden() && self.start.elapsed() > Duration::from_secs(1) {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.bar.set_style(
                indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
        self.bar.set_position(done as u64);
    }

    fn clear(&self) {
        self.bar.finish_and_clear();
    }
}
