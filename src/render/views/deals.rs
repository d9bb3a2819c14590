//! A list of deals as every board page shows it: amount, owner, stage,
//! days in stage, next step and flags, with the no-JavaScript filters of
//! the project lists and, per list, a column of its own.

use serde::Serialize;

use super::paging;
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
    /// How many rows the list has; it shows the first
    /// [`paging::PAGE_ROWS`], in its own order.
    pub total: usize,
    /// How many rows it leaves out.
    pub more: usize,
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
    let mut rows = rows;
    let mut own = own;
    let total = rows.len();
    // A board list shows its head (the soonest, biggest, longest stuck):
    // a big repo's page stays quick to open; the CSV has every row.
    if total > paging::PAGE_ROWS {
        rows.truncate(paging::PAGE_ROWS);
        for o in own.iter_mut().flat_map(|g| g.options.iter_mut()) {
            o.count = rows
                .iter()
                .filter(|r| r.classes.split(' ').any(|c| c == o.key))
                .count();
        }
    }
    let mut filters: Vec<FilterGroup> = own.into_iter().collect();
    filters.extend(ctx.facets().groups(ctx, &rows));
    DealList {
        filter_css: filter_css(&filters),
        filters,
        more: total - rows.len(),
        total,
        rows,
        extra,
        empty,
    }
}
