//! The site as files in memory, and the one place that writes it out.

pub mod write;

use std::collections::BTreeMap;

/// Every file of the site by `/`-separated path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    /// Rendered files.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files copied as they are from the data repo (attachments such as
    /// PDFs): site path → repo-relative source path. They are not read
    /// into memory.
    pub copies: BTreeMap<String, String>,
}

impl Site {
    pub fn insert(&mut self, path: &str, bytes: Vec<u8>) {
        self.files.insert(path.to_string(), bytes);
    }

    pub fn copy(&mut self, path: &str, source: &str) {
        self.copies.insert(path.to_string(), source.to_string());
    }

    /// How many files the site has.
    pub fn len(&self) -> usize {
        self.files.len() + self.copies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }
}
