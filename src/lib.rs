//! dealbook: a Git repository of sales-project records → checked data →
//! a static dashboard.
//!
//! The modules follow the data: `load` (files → dataset) → `rules`
//! (dataset → findings) → `diag` (findings → text); `analyze` and
//! `render` make the site of the dataset, `export` the files for other
//! tools. `pipeline` strings these steps together once for every command;
//! `cli` and `cmd` are the edges that parse arguments, print and exit.

pub mod allocator;
pub mod analyze;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod diag;
pub mod edit;
pub mod export;
pub mod history;
pub mod i18n;
pub mod import;
pub mod load;
pub mod model;
pub mod period;
pub mod pipeline;
pub mod process;
pub mod render;
pub mod rules;
pub mod serve;
pub mod site;
pub mod span;
pub mod suggest;
pub mod text;
pub mod values;
