//! The people of the sales team, from `data/team.toml`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::span::Sp;

/// A cache: never part of what a team is.
impl PartialEq for Lookup {
    fn eq(&self, _: &Lookup) -> bool {
        true
    }
}

impl Clone for Lookup {
    fn clone(&self) -> Lookup {
        Lookup::default()
    }
}

impl std::fmt::Debug for Lookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lookup")
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub id: Sp<String>,
    pub name: String,
    /// Indices into the process's roles.
    pub roles: Vec<usize>,
    pub department: Option<String>,
    pub region: Option<String>,
    /// Git author emails, to attribute commits to people.
    pub emails: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Team {
    pub path: String,
    pub people: Vec<Person>,
    lookup: Lookup,
}

/// People's indices by id and by name, made on first use: a person is
/// looked up for every entry every project owes, hundreds of thousands of
/// times at 10,000 projects.
#[derive(Default)]
struct Lookup(OnceLock<Index>);

#[derive(Clone)]
struct Index {
    /// How many people there were when it was made.
    people: usize,
    /// The first person with each id.
    by_id: HashMap<String, usize>,
    /// Each name's person, `None` when several have it.
    by_name: HashMap<String, Option<usize>>,
    /// The holders of each role, and those of them in each department
    /// (`None`: those without one).
    holders: HashMap<usize, Vec<usize>>,
    in_department: HashMap<usize, HashMap<String, Vec<usize>>>,
    without_department: HashMap<usize, Vec<usize>>,
}

impl Index {
    fn holders(&self, role: usize, department: Option<&str>) -> &[usize] {
        let here = match department {
            Some(d) => self.in_department.get(&role).and_then(|by| by.get(d)),
            None => self.without_department.get(&role),
        };
        here.or(self.holders.get(&role)).map_or(&[], Vec::as_slice)
    }
}

impl Team {
    pub fn new(path: String, people: Vec<Person>) -> Team {
        Team {
            path,
            people,
            lookup: Lookup::default(),
        }
    }

    /// The index of the person [`Team::find`] finds.
    pub fn index_of(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        let index = self.index();
        match (index.by_id.get(key), index.by_name.get(key)) {
            (Some(&i), _) => Some(i),
            (None, Some(&unique)) => unique,
            (None, None) => None,
        }
    }

    /// The index of the first person with the id of the one `key` names.
    pub fn position(&self, key: &str) -> Option<usize> {
        let id = &self.people[self.index_of(key)?].id.value;
        self.index().by_id.get(id).copied()
    }

    /// Finds a person by id, or by name when exactly one person has it.
    pub fn find(&self, key: &str) -> Option<&Person> {
        self.index_of(key).map(|i| &self.people[i])
    }

    /// Who holds `role` in `department`, or everywhere when nobody there
    /// holds it (who owes a role's judgement on a project there).
    pub fn holders(&self, role: usize, department: Option<&str>) -> Cow<'_, [usize]> {
        match self.index() {
            Cow::Borrowed(index) => Cow::Borrowed(index.holders(role, department)),
            Cow::Owned(index) => Cow::Owned(index.holders(role, department).to_vec()),
        }
    }

    /// The index, made again when people were added since it was made
    /// (only tests change a team after it is read).
    fn index(&self) -> Cow<'_, Index> {
        let made = self.lookup.0.get_or_init(|| self.make_index());
        if made.people == self.people.len() {
            Cow::Borrowed(made)
        } else {
            Cow::Owned(self.make_index())
        }
    }

    fn make_index(&self) -> Index {
        let mut by_id = HashMap::new();
        let mut by_name: HashMap<String, Option<usize>> = HashMap::new();
        let mut holders: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut in_department: HashMap<usize, HashMap<String, Vec<usize>>> = HashMap::new();
        let mut without_department: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, p) in self.people.iter().enumerate() {
            by_id.entry(p.id.value.clone()).or_insert(i);
            by_name
                .entry(p.name.clone())
                .and_modify(|seen| *seen = None)
                .or_insert(Some(i));
            for &role in &p.roles {
                holders.entry(role).or_default().push(i);
                match &p.department {
                    Some(d) => in_department
                        .entry(role)
                        .or_default()
                        .entry(d.clone())
                        .or_default()
                        .push(i),
                    None => without_department.entry(role).or_default().push(i),
                }
            }
        }
        Index {
            people: self.people.len(),
            by_id,
            by_name,
            holders,
            in_department,
            without_department,
        }
    }

    /// The person a Git author email belongs to.
    pub fn by_email(&self, email: &str) -> Option<&Person> {
        let email = email.trim().to_lowercase();
        self.people.iter().find(|p| p.emails.contains(&email))
    }

    /// Ids and names, for "did you mean" suggestions.
    pub fn keys(&self) -> Vec<&str> {
        self.people
            .iter()
            .flat_map(|p| [p.id.value.as_str(), p.name.as_str()])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn person(id: &str, name: &str) -> Person {
        Person {
            id: Sp::new(id.into(), Span::default()),
            name: name.into(),
            roles: vec![],
            department: None,
            region: None,
            emails: vec![],
        }
    }

    #[test]
    fn finds_by_id_or_unique_name() {
        let mut team = Team::new(
            String::new(),
            vec![
                person("liming", "李明"),
                person("wangfang", "王芳"),
                person("wf2", "王芳"),
                // A name that is another person's id: the id wins.
                person("wf3", "liming"),
            ],
        );
        // With the index made first, then with one made again (a person added after).
        for round in 0..2 {
            assert_eq!(team.find("liming").unwrap().name, "李明");
            assert_eq!(team.find(" 李明 ").unwrap().id.value, "liming");
            assert!(
                team.find("王芳").is_none(),
                "ambiguous names resolve to nobody"
            );
            assert!(team.find("nobody").is_none());
            assert_eq!(team.index_of("wf3"), Some(3));
            if round == 0 {
                team.people.push(person("liming", "李明二"));
            }
        }
        // A repeated id: `position` is the first with it.
        assert_eq!(team.index_of("李明二"), Some(4));
        assert_eq!(team.position("李明二"), Some(0));
    }

    #[test]
    fn a_role_is_owed_by_its_holders_in_the_department_else_by_all() {
        let mut team = Team::new(
            String::new(),
            vec![person("a", "A"), person("b", "B"), person("c", "C")],
        );
        team.people[0].roles = vec![1];
        team.people[1].roles = vec![1];
        team.people[1].department = Some("东区".into());
        team.people[2].roles = vec![0];
        for round in 0..2 {
            assert_eq!(&*team.holders(1, Some("东区")), [1]);
            assert_eq!(&*team.holders(1, Some("西区")), [0, 1]);
            assert_eq!(&*team.holders(1, None), [0], "those without one");
            assert_eq!(&*team.holders(0, Some("东区")), [2]);
            assert!(team.holders(2, None).is_empty());
            if round == 0 {
                // The index is made again from here.
                team.people.push(person("d", "D"));
            }
        }
    }
}
