//! Changes to the data repo's files: new records, notes and forms, stage
//! moves, closing. Built on toml_edit, so a record keeps its comments,
//! order and layout; pure (text in, text out): `cmd/` reads and writes.

pub mod record;
pub mod scaffold;
pub mod toml;
