//! The site as files in memory, and the one place that writes it out.

pub mod write;

use std::collections::BTreeMap;

/// Every file of the site by `/`-separated path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Site {
    pub fn insert(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(path.to_string(), bytes);
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }
}
