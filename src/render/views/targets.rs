//! Where links written in a project's files lead on the site: notes and
//! forms to their place on the project page, other files to the copy of
//! the attachment, web addresses as they are.

use super::{form_anchor, note_anchor};
use crate::model::Project;
use crate::model::link::{Target, resolve};
use crate::render::urls;

/// A link's destination on the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dest {
    /// A web or mail address, used as written.
    External(String),
    /// A site path, possibly with a `#fragment` (not yet encoded).
    Site(String),
    /// Leaves the project, or names nothing: shown as text.
    Broken,
}

/// Whether a file of a project folder is an attachment: anything but the
/// record and Markdown notes and forms. Attachments are copied into the
/// site.
pub fn is_attachment(rel: &str) -> bool {
    !rel.ends_with(".md") && rel != crate::load::RECORD
}

/// Where an attachment of the project is copied in the site.
pub fn attachment(p: &Project, rel: &str) -> String {
    format!("projects/{}/{rel}", urls::file_name(&p.folder))
}

/// Resolves `dest`, written in a file of the project that lives in folder
/// `base` (`""` for the record, `notes` for a note).
pub fn resolve_in(p: &Project, base: &str, dest: &str) -> Dest {
    let dest = dest.trim();
    if dest.starts_with("mailto:") || dest.starts_with("tel:") {
        return Dest::External(dest.to_string());
    }
    let page = urls::project(&p.folder);
    if let Some(fragment) = dest.strip_prefix('#') {
        return Dest::Site(format!("{page}#{fragment}"));
    }
    let joined = if base.is_empty() || dest.contains("://") {
        dest.to_string()
    } else {
        format!("{base}/{dest}")
    };
    match resolve(&joined) {
        Target::External => Dest::External(dest.to_string()),
        Target::Outside => Dest::Broken,
        Target::Inside(rel) => {
            if p.notes.iter().any(|n| n.rel == rel) {
                Dest::Site(format!("{page}#{}", note_anchor(&rel)))
            } else if p.forms.iter().any(|f| f.rel == rel) {
                Dest::Site(format!("{page}#{}", form_anchor(&rel)))
            } else if p.files.contains(&rel) && is_attachment(&rel) {
                Dest::Site(attachment(p, &rel))
            } else {
                Dest::Broken
            }
        }
    }
}

/// The `href` of a destination as seen from the site page `from`: a bare
/// `#fragment` on the same page, else relative to the site root.
pub fn href(dest: &Dest, from: &str) -> Option<String> {
    match dest {
        Dest::External(url) => Some(url.clone()),
        Dest::Broken => None,
        Dest::Site(path) => {
            let (page, fragment) = match path.split_once('#') {
                Some((page, f)) => (page, Some(f)),
                None => (path.as_str(), None),
            };
            let fragment = fragment.map(|f| format!("#{}", urls::encode(f)));
            if page == from {
                Some(fragment.unwrap_or_default())
            } else {
                Some(format!(
                    "{}{}{}",
                    urls::root_of(from),
                    urls::encode(page),
                    fragment.unwrap_or_default()
                ))
            }
        }
    }
}

/// Renders a note's or form's Markdown for the page `from`, its top
/// heading at level `top_heading`.
pub fn markdown(
    ctx: &super::Ctx,
    p: &Project,
    doc_rel: &str,
    body: &str,
    from: &str,
    top_heading: u8,
) -> String {
    let base = doc_rel.rsplit_once('/').map_or("", |(dir, _)| dir);
    let link = |dest: &str| href(&resolve_in(p, base, dest), from);
    crate::render::markdown::to_html(
        body,
        &crate::render::markdown::Context {
            top_heading,
            link: &link,
            task_labels: (
                ctx.i18n.get("site.task_done"),
                ctx.i18n.get("site.task_open"),
            ),
        },
    )
}
