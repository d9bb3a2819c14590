//! A list of deals as every board page shows it: amount, owner, stage,
//! days in stage, next step and flags, with the no-JavaScript filters of
//! the project lists and, per list, a column of its own.

use serde::Serialize;

use super::{Ctx, FilterGroup, ProjectRow, filter_css, project_row};

#[derive(Serialize)]
pub struct DealList {
    pub rows: Vec<ProjectRow>,
    pub filters: Vec<FilterGroup>,
    pub filter_css: String,
    /// The title of the list's own column; empty: none.
    pub extra: String,
    /// What the page says when the list is empty.
    pub empty: String,
}

/// A row of project `i` with the list's own column. The column sorts as
/// text, so numbers in `extra_value` come zero-padded.
pub fn row(ctx: &Ctx, i: usize, extra: String, extra_value: String) -> ProjectRow {
    let mut r = project_row(ctx, ctx.facets(), i);
    r.extra = extra;
    r.extra_value = extra_value;
    r
}

/// A list of `rows`, filtered by the usual dimensions and, first, by
/// `own`: a dimension of the list's own (a window, a quarter) whose
/// classes the rows carry already.
pub fn list(
    ctx: &Ctx,
    rows: Vec<ProjectRow>,
    extra: String,
    own: Option<FilterGroup>,
    empty: String,
) -> DealList {
    let mut filters: Vec<FilterGroup> = own.into_iter().collect();
    filters.extend(ctx.facets().groups(ctx, &rows));
    DealList {
        filter_css: filter_css(&filters),
        filters,
        rows,
        extra,
        empty,
    }
}
