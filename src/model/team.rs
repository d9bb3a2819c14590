//! The people of the sales team, from `data/team.toml`.

use crate::span::Sp;

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
}

impl Team {
    /// Finds a person by id, or by name when exactly one person has it.
    pub fn find(&self, key: &str) -> Option<&Person> {
        let key = key.trim();
        if let Some(p) = self.people.iter().find(|p| p.id.value == key) {
            return Some(p);
        }
        let mut by_name = self.people.iter().filter(|p| p.name == key);
        match (by_name.next(), by_name.next()) {
            (Some(p), None) => Some(p),
            _ => None,
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
        let team = Team {
            path: String::new(),
            people: vec![
                person("liming", "李明"),
                person("wangfang", "王芳"),
                person("wf2", "王芳"),
            ],
        };
        assert_eq!(team.find("liming").unwrap().name, "李明");
        assert_eq!(team.find("李明").unwrap().id.value, "liming");
        assert!(
            team.find("王芳").is_none(),
            "ambiguous names resolve to nobody"
        );
        assert!(team.find("nobody").is_none());
    }
}
