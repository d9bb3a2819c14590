//! People an import names: found in `data/team.toml` by id or name, or
//! new — then listed with the `[[people]]` lines to add, and added by
//! `--add-people` through toml_edit, so the roster keeps its comments.

use std::collections::{HashMap, HashSet};

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::model::Team;
use crate::process::Process;

/// A person the roster lacks.
#[derive(Clone, Debug, PartialEq)]
pub struct NewPerson {
    pub id: String,
    pub name: String,
    /// Indices into the process's roles.
    pub roles: Vec<usize>,
    pub department: Option<String>,
    pub region: Option<String>,
    /// The first row naming them.
    pub row: usize,
}

/// The team as the import sees it: the roster, plus the people the rows
/// name that it lacks.
pub struct Roster<'t> {
    team: &'t Team,
    new: Vec<NewPerson>,
    by_name: HashMap<String, usize>,
    ids: HashSet<String>,
}

/// Who a name in a cell is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Who<'a> {
    Member(&'a crate::model::Person),
    /// Index into [`Roster::new_people`].
    New(usize),
    Unknown,
}

impl<'t> Roster<'t> {
    pub fn new(team: &'t Team) -> Self {
        Roster {
            team,
            new: Vec::new(),
            by_name: HashMap::new(),
            ids: team.people.iter().map(|p| p.id.value.clone()).collect(),
        }
    }

    pub fn find(&self, name: &str) -> Who<'t> {
        if let Some(p) = self.team.find(name) {
            return Who::Member(p);
        }
        match self.by_name.get(name.trim()) {
            Some(&i) => Who::New(i),
            None => Who::Unknown,
        }
    }

    /// The id a name stands for, adding the person when the roster lacks
    /// them (with `roles`, and the department and region of the row that
    /// named them first).
    pub fn add(
        &mut self,
        name: &str,
        roles: &[usize],
        department: Option<&str>,
        region: Option<&str>,
        row: usize,
    ) -> String {
        let name = name.trim();
        let i = match self.find(name) {
            Who::Member(p) => return p.id.value.clone(),
            Who::New(i) => i,
            Who::Unknown => {
                let id = self.free_id(name);
                self.ids.insert(id.clone());
                self.by_name.insert(name.to_string(), self.new.len());
                self.new.push(NewPerson {
                    id,
                    name: name.to_string(),
                    roles: Vec::new(),
                    department: department.map(str::to_string),
                    region: region.map(str::to_string),
                    row,
                });
                self.new.len() - 1
            }
        };
        let person = &mut self.new[i];
        for r in roles {
            if !person.roles.contains(r) {
                person.roles.push(*r);
            }
        }
        person.roles.sort_unstable();
        person.id.clone()
    }

    /// A slug of the name no one has yet: `moses-frase`, `moses-frase-2`.
    fn free_id(&self, name: &str) -> String {
        let base = slug(name).unwrap_or_else(|| name.to_string());
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    pub fn new_people(&self) -> &[NewPerson] {
        &self.new
    }

    pub fn into_new_people(self) -> Vec<NewPerson> {
        self.new
    }
}

/// An ASCII id from a name in Latin script (`José Müller` → `jose-muller`);
/// `None` for other scripts, whose names serve as ids as they are.
pub fn slug(name: &str) -> Option<String> {
    let mut out = String::new();
    let mut dash = false;
    for c in name.trim().chars() {
        let folded = if c.is_ascii_alphanumeric() {
            Some(c.to_ascii_lowercase().to_string())
        } else if c.is_alphabetic() {
            Some(fold_latin(c)?.to_string())
        } else {
            None
        };
        match folded {
            Some(s) => {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push_str(&s);
            }
            None => dash = true,
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The ASCII letters of a Latin letter with a diacritic; `None` for
/// letters of other scripts.
fn fold_latin(c: char) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("àáâãäåāăą", "a"),
        ("çćĉċč", "c"),
        ("ďđð", "d"),
        ("èéêëēĕėęě", "e"),
        ("ĝğġģ", "g"),
        ("ĥħ", "h"),
        ("ìíîïĩīĭįı", "i"),
        ("ĵ", "j"),
        ("ķ", "k"),
        ("ĺļľŀł", "l"),
        ("ñńņňŉ", "n"),
        ("òóôõöøōŏő", "o"),
        ("ŕŗř", "r"),
        ("śŝşš", "s"),
        ("ţťŧ", "t"),
        ("ùúûüũūŭůűų", "u"),
        ("ŵ", "w"),
        ("ýÿŷ", "y"),
        ("źżž", "z"),
        ("ß", "ss"),
        ("æ", "ae"),
        ("œ", "oe"),
        ("þ", "th"),
    ];
    let lower = c.to_lowercase().next()?;
    TABLE
        .iter()
        .find(|(chars, _)| chars.contains(lower))
        .map(|(_, ascii)| *ascii)
}

/// The `[[people]]` table of a new person, as `data/team.toml` writes one.
fn person_table(p: &NewPerson, process: &Process) -> Table {
    let mut t = Table::new();
    t.decor_mut().set_prefix("\n");
    t.insert("id", Item::Value(Value::from(p.id.as_str())));
    t.insert("name", Item::Value(Value::from(p.name.as_str())));
    let roles: Array = p
        .roles
        .iter()
        .map(|&r| process.roles[r].id.as_str())
        .collect();
    t.insert("roles", Item::Value(Value::Array(roles)));
    if let Some(d) = &p.department {
        t.insert("department", Item::Value(Value::from(d.as_str())));
    }
    if let Some(r) = &p.region {
        t.insert("region", Item::Value(Value::from(r.as_str())));
    }
    t
}

/// The lines to add to `data/team.toml` for these people.
pub fn lines(people: &[NewPerson], process: &Process) -> String {
    append("", people, process)
        .unwrap_or_default()
        .trim_start()
        .to_string()
}

/// `data/team.toml` with the people appended; comments, order and layout
/// of what was there stay as they were. `Err` when the file is not TOML
/// or `people` is not a list of tables.
pub fn append(team: &str, people: &[NewPerson], process: &Process) -> Result<String, String> {
    let mut doc: DocumentMut = team.parse().map_err(|e| format!("{e}"))?;
    let list = doc
        .entry("people")
        .or_insert_with(|| Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
    let Some(list) = list.as_array_of_tables_mut() else {
        return Err("`people` is not a list of [[people]] tables".to_string());
    };
    for p in people {
        list.push(person_table(p, process));
    }
    let mut text = doc.to_string();
    if !text.ends_with('\n') && !text.is_empty() {
        text.push('\n');
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::testing::{process, team};

    #[test]
    fn ids_are_ascii_slugs_of_latin_names_else_the_name() {
        assert_eq!(slug("Moses Frase").as_deref(), Some("moses-frase"));
        assert_eq!(slug("Mei-Mei  Johns").as_deref(), Some("mei-mei-johns"));
        assert_eq!(slug("José Müller").as_deref(), Some("jose-muller"));
        assert_eq!(slug("Ærø Straße").as_deref(), Some("aero-strasse"));
        assert_eq!(slug("O'Brien, Jr.").as_deref(), Some("o-brien-jr"));
        assert_eq!(slug("李明"), None);
        assert_eq!(slug("Li 明"), None, "mixed scripts keep the name");
        assert_eq!(slug("--"), None);
    }

    #[test]
    fn the_roster_finds_members_and_adds_the_rest_once() {
        let team = team();
        let mut r = Roster::new(&team);
        assert_eq!(r.add("李明", &[0], None, None, 2), "liming", "by name");
        assert_eq!(r.add("liming", &[0], None, None, 2), "liming", "by id");
        assert_eq!(
            r.add("Moses Frase", &[0], Some("East"), Some("E"), 3),
            "moses-frase"
        );
        assert_eq!(
            r.add(" Moses Frase ", &[1], Some("West"), None, 9),
            "moses-frase"
        );
        assert_eq!(r.add("张三", &[0], None, None, 4), "张三");
        let new = r.new_people();
        assert_eq!(new.len(), 2);
        assert_eq!(new[0].roles, [0, 1], "roles accumulate");
        assert_eq!(
            new[0].department.as_deref(),
            Some("East"),
            "the first row's"
        );
        assert_eq!(new[0].row, 3);
    }

    #[test]
    fn ids_never_collide_with_the_roster() {
        let team = team();
        let mut r = Roster::new(&team);
        // The demo team has `liming` (李明); a Li Ming in Latin letters is
        // someone else.
        assert_eq!(r.add("Liming", &[0], None, None, 2), "liming-2");
    }

    #[test]
    fn appending_keeps_comments_and_loads_cleanly() {
        let process = process();
        let before = "# The team.\n\n[[people]]\nid = \"a\"   # first\nname = \"A\"\nroles = [\"sales_rep\"]\n";
        let people = [NewPerson {
            id: "moses-frase".into(),
            name: "Moses Frase".into(),
            roles: vec![0, 1],
            department: Some("Dustin team".into()),
            region: Some("Central".into()),
            row: 2,
        }];
        let after = append(before, &people, &process).unwrap();
        assert!(after.starts_with(before), "{after}");
        assert_eq!(
            &after[before.len()..],
            "\n[[people]]\nid = \"moses-frase\"\nname = \"Moses Frase\"\nroles = [\"sales_rep\", \"dept_head\"]\ndepartment = \"Dustin team\"\nregion = \"Central\"\n"
        );
        let mut findings = Vec::new();
        let team = crate::load::team::parse("data/team.toml", &after, &process, &mut findings);
        assert!(findings.is_empty(), "{findings:?}");
        assert_eq!(team.people.len(), 2);
        assert_eq!(lines(&people, &process), after[before.len() + 1..]);
        assert!(append("people = 3\n", &people, &process).is_err());
        assert!(append("[[people]\n", &people, &process).is_err());
    }
}
