//! Making a page from a parsed file: whether it is published now (draft, scheduled, expired),
//! its date, title (the first heading or the file name when front matter has none), slug, URL
//! (`url:`, the section's permalink pattern, or section path and slug), terms and files.

use super::frontmatter::FrontMatter;
use super::load::{date_prefix, LoadOptions, Pending};
use super::permalink::{self, Facts};
use super::scan::{display, file_name, parent_dir};
use super::{taxonomy, url_path, Asset, Library, Page};
use crate::config::Config;
use crate::date::PageDate;
use crate::error::Diagnostic;
use crate::markdown::Rendered;
use crate::text::slug;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What making a page needs from the library being built.
pub(super) struct Context<'a> {
    /// The library so far (sections).
    pub lib: &'a Library,
    /// Section index by directory.
    pub section_index: &'a BTreeMap<String, usize>,
    /// Drafts, future, now.
    pub opts: &'a LoadOptions,
    /// Permalinks and taxonomies.
    pub config: &'a Config,
}

/// Is the section, or any section above it, a draft?
fn section_is_draft(lib: &Library, mut si: usize) -> bool {
    loop {
        if lib.sections[si].meta.draft {
            return true;
        }
        match lib.sections[si].parent {
            Some(p) => si = p,
            None => return false,
        }
    }
}

/// The page's date, or `None` (with the page left out) when it is not published now: a draft,
/// scheduled (`date` or `publishDate` ahead), or expired (`expiryDate` passed).
fn publication(
    meta: &FrontMatter,
    name_date: Option<PageDate>,
    ctx: &Context,
    si: usize,
) -> Option<Option<PageDate>> {
    let opts = ctx.opts;
    let hidden = meta.draft || section_is_draft(ctx.lib, si);
    let expired = meta
        .expiry_date
        .as_ref()
        .is_some_and(|e| e.value.timestamp() <= opts.now);
    if (hidden || expired) && !opts.drafts {
        return None;
    }
    let date = meta
        .date
        .as_ref()
        .or(meta.publish_date.as_ref())
        .map(|d| d.value)
        .or(name_date);
    let not_before = meta.publish_date.as_ref().map(|d| d.value).or(date);
    if not_before.is_some_and(|d| !opts.future && d.timestamp() > opts.now) {
        return None;
    }
    Some(date)
}

/// Does a name start like `2026-11-22-` (a date, valid or not)?
fn date_shaped(name: &str) -> bool {
    let b = name.as_bytes();
    b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b[10] == b'-'
}

/// The first `# heading` of a body outside code blocks: its text and its line in the body.
fn first_heading(body: &str) -> Option<(String, usize)> {
    let mut fence: Option<&str> = None;
    for (i, line) in body.lines().enumerate() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        if let Some(h) = t.strip_prefix("# ") {
            let h = h.trim().trim_end_matches('#').trim();
            if !h.is_empty() {
                return Some((h.to_string(), i));
            }
        }
    }
    None
}

/// A body that starts with its page's title as `# heading` (as exports from WordPress and many
/// Jekyll posts do) would show the title twice: that first line is emptied (lines keep their
/// numbers).
fn drop_repeated_title(body: &mut String, title: &str) {
    let same = |h: &str| {
        let norm = |s: &str| {
            s.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        norm(h) == norm(title)
    };
    let Some(line) = body.split('\n').position(|l| !l.trim().is_empty()) else {
        return;
    };
    let Some((heading, at)) = first_heading(body) else {
        return;
    };
    if at == line && same(&heading) {
        let mut lines: Vec<&str> = body.split('\n').collect();
        lines[at] = "";
        *body = lines.join("\n");
    }
}

/// A title for a page without one: its first heading (taken out of the body, so the page has
/// one `<h1>`), else its file name; the warning says which.
fn fallback_title(p: &mut Pending, stem: &str, file: &str, diags: &mut Vec<Diagnostic>) -> String {
    let (title, from) = match first_heading(&p.body) {
        Some((h, line)) => {
            // The heading's line stays, empty, so lines keep their numbers.
            let mut lines: Vec<&str> = p.body.split('\n').collect();
            if let Some(l) = lines.get_mut(line) {
                *l = "";
            }
            p.body = lines.join("\n");
            (h, "its first heading")
        }
        None => {
            let t = stem.replace(['-', '_'], " ");
            let t = t.trim();
            let mut c = t.chars();
            let t = c.next().map_or(String::new(), |f| {
                f.to_uppercase().collect::<String>() + c.as_str()
            });
            (t, "its file name")
        }
    };
    // A headless page is never shown on its own: its title matters to no reader.
    if !p.meta.headless {
        diags.push(Diagnostic::warning(
            file,
            0,
            0,
            format!(
                "the page has no title: “{title}” is taken from {from}; add `title:` to choose one"
            ),
        ));
    }
    title
}

/// The date a file name starts with (`2026-11-22-`) and the rest; an invalid date is an error
/// (`None`).
fn name_and_date<'a>(
    name: &'a str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Option<PageDate>, &'a str)> {
    let (date, stem) = date_prefix(name);
    if date.is_none() && date_shaped(name) {
        if let Err(e) = PageDate::parse(&name[..10]) {
            diags.push(Diagnostic::file(
                file,
                format!("the date in the file name: {e}"),
            ));
            return None;
        }
    }
    Some((date, stem))
}

/// The page for a parsed file, or `None` when it is left out (a draft, scheduled, expired, or
/// with a slug or URL problem, which is reported).
pub(super) fn make(
    ctx: &Context,
    mut p: Pending,
    assets: Vec<(String, PathBuf, String)>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let rel = p.file.rel.clone();
    let file = p.file.file.clone();
    let owner_dir = match &p.file.bundle {
        Some(b) => parent_dir(b),
        None => parent_dir(&rel),
    };
    let (si, between) = super::load::owning_section(ctx.section_index, owner_dir)?;
    let between = between.to_string();
    let stem_source = match &p.file.bundle {
        Some(b) => file_name(b).to_string(),
        // `.md` or `.markdown`, in any case.
        None => {
            let n = file_name(&rel);
            n.rsplit_once('.').map_or(n, |(stem, _)| stem).to_string()
        }
    };
    let (name_date, stem) = name_and_date(&stem_source, &file, diags)?;
    let date = publication(&p.meta, name_date, ctx, si)?;
    let slug = page_slug(&p.meta, stem, &file, diags)?;
    let title = match p.meta.title.clone() {
        Some(t) => {
            drop_repeated_title(&mut p.body, &t);
            t
        }
        None => fallback_title(&mut p, stem, &file, diags),
    };
    if p.meta.description.is_none() {
        p.meta.description.clone_from(&p.meta.excerpt);
    }
    let place = Place {
        si,
        between: &between,
        slug: &slug,
        title: &title,
        filename: &stem_source,
        date,
    };
    let path = page_path(ctx, &p, &place, diags)?;
    let terms = p
        .meta
        .taxonomies
        .iter()
        .flat_map(|(tax, names)| {
            names.value.iter().map(move |n| {
                (
                    tax.clone(),
                    n.clone(),
                    taxonomy::term_path(tax, &slug::slugify(n)),
                )
            })
        })
        .collect();
    Some(Page {
        terms,
        position: 0,
        product: None,
        blocks: Vec::new(),
        product_refs: Vec::new(),
        referenced_by: Vec::new(),
        file,
        content_path: rel,
        section: si,
        path,
        title,
        slug,
        date,
        meta: p.meta,
        body: p.body,
        body_line: p.body_line,
        assets: assets
            .into_iter()
            .map(|(below, src, rel)| Asset {
                src,
                rel: below,
                file: display("content", &rel),
            })
            .collect(),
        rendered: Rendered::default(),
    })
}

/// Where a page is and what its URL can be made of.
struct Place<'a> {
    /// Its section.
    si: usize,
    /// Folders between the section's folder and the page's (`2023`), without `_index.md`.
    between: &'a str,
    slug: &'a str,
    title: &'a str,
    /// The file (or bundle folder) name as written.
    filename: &'a str,
    date: Option<PageDate>,
}

/// The page's site path: `url:`, else its section's permalink pattern, else section, the
/// folders between, and slug.
fn page_path(
    ctx: &Context,
    p: &Pending,
    place: &Place,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let file = p.file.file.clone();
    let section = &ctx.lib.sections[place.si];
    if let Some(u) = &p.meta.url {
        return permalink::normalize(&u.value)
            .map_err(|e| {
                diags.push(Diagnostic::error(
                    &file,
                    u.line,
                    u.col,
                    format!("`url`: {e}"),
                ))
            })
            .ok();
    }
    let Some(pattern) = ctx.config.permalinks.get(&section.dir) else {
        let mut components = section.components.clone();
        components.extend(
            place
                .between
                .split('/')
                .filter(|c| !c.is_empty())
                .map(slug::slugify),
        );
        components.push(place.slug.to_string());
        return Some(url_path(&components));
    };
    let categories = p
        .meta
        .taxonomies
        .get("categories")
        .map_or(&[][..], |c| c.value.as_slice());
    let facts = Facts {
        date: place.date,
        slug: place.slug,
        title: place.title,
        section: &section.components,
        filename: place.filename,
        categories,
    };
    permalink::expand(pattern, &facts)
        .map_err(|e| {
            diags.push(Diagnostic::file(
                &file,
                format!(
                    "{e} (permalinks.{} in kiosk.yaml)",
                    if section.dir.is_empty() {
                        "/"
                    } else {
                        &section.dir
                    }
                ),
            ))
        })
        .ok()
}

/// The slug from `slug:` or the file name; problems are reported and give `None`.
fn page_slug(
    meta: &FrontMatter,
    stem: &str,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    match &meta.slug {
        Some(s) => match explicit_slug(&s.value) {
            Ok(slug) => Some(slug),
            Err(msg) => {
                diags.push(Diagnostic::error(file, s.line, s.col, msg));
                None
            }
        },
        None => {
            let s = slug::slugify(stem);
            if s.is_empty() {
                diags.push(Diagnostic::file(
                    file,
                    "the file name gives an empty slug; rename the file or set `slug:`",
                ));
                return None;
            }
            Some(s)
        }
    }
}

/// A `slug:` from front matter: one URL segment, never a path. Written with letters, digits,
/// `-`, `_`, `.` and `~` only, it is kept as written (so `my_post.v2` keeps its URL); anything
/// else becomes a slug.
fn explicit_slug(s: &str) -> Result<String, String> {
    if s.contains('/') || s.contains('\\') || s.split('.').all(str::is_empty) || s.contains("..") {
        return Err(format!(
            "slug `{s}` is not one URL segment: a slug has no `/`, `\\` or `..`"
        ));
    }
    let plain = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
    if plain {
        return Ok(s.to_string());
    }
    let slug = slug::slugify(s);
    if slug.is_empty() {
        return Err(format!("slug `{s}` has no letters or digits"));
    }
    Ok(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_slugs() {
        assert!(explicit_slug("../../etc/x").is_err());
        assert!(explicit_slug("..").is_err());
        assert!(explicit_slug("a/b").is_err());
        assert_eq!(explicit_slug("Mein Beitrag").unwrap(), "mein-beitrag");
        assert_eq!(explicit_slug("my_post.v2").unwrap(), "my_post.v2");
    }

    #[test]
    fn a_repeated_title_is_shown_once() {
        let mut b = String::from("\n# Checkliste  für Logos\n\nText\n# Checkliste für Logos\n");
        drop_repeated_title(&mut b, "Checkliste für logos");
        assert_eq!(b, "\n\n\nText\n# Checkliste für Logos\n");
        let mut other = String::from("# Anderes\n");
        drop_repeated_title(&mut other, "Titel");
        assert_eq!(other, "# Anderes\n");
    }

    #[test]
    fn first_headings() {
        assert_eq!(
            first_heading("Text\n\n# Titel #\n\n# Zweiter\n"),
            Some(("Titel".into(), 2))
        );
        assert_eq!(first_heading("```\n# kein Titel\n```\n## Unter\n"), None);
    }
}
