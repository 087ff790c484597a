//! Classifying a batch of file events into what must be rebuilt. Pure: the batch (in any order,
//! with the duplicates editors' atomic saves produce) and an existence check go in, one decision
//! comes out.

use crate::content::{is_backup_name, is_ignored_name, is_markdown};
use std::path::{Component, Path};

/// What happened to a path, as far as the watcher can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Created.
    Create,
    /// Written.
    Modify,
    /// Removed (may still exist after an atomic save).
    Remove,
    /// Renamed from or to.
    Rename,
}

/// What a batch of events requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing that affects the site.
    Nothing,
    /// Only these existing pages' files changed (`content/`-relative paths).
    Pages(Vec<String>),
    /// Templates or static files changed: render again from the loaded content.
    Render,
    /// Anything else: load everything again.
    Full,
}

/// Most pages a batch may touch before a full rebuild is cheaper (a `git checkout`).
const MAX_PAGES: usize = 8;

/// Decides what `events` (paths relative to the site root) require. `is_file` tells whether a
/// path exists now; `output` is the output directory relative to the root, never watched.
pub fn classify(
    events: &[(Event, String)],
    output: &str,
    is_file: &dyn Fn(&str) -> bool,
) -> Change {
    let mut full = false;
    let mut render = false;
    let mut pages: Vec<String> = Vec::new();
    for (_, rel) in events {
        let rel = rel.replace('\\', "/");
        let path = Path::new(&rel);
        let ignored = path.components().any(|c| match c {
            // Editors' temp files and backups (vim's `a.md~`) never change the site.
            Component::Normal(n) => {
                let n = n.to_string_lossy();
                is_ignored_name(&n) || is_backup_name(&n)
            }
            _ => true,
        });
        let out = output.trim_matches('/');
        if ignored
            || rel.is_empty()
            || (!out.is_empty() && (rel == out || rel.starts_with(&format!("{out}/"))))
            || rel.starts_with("target/")
        {
            continue;
        }
        if rel == crate::config::CONFIG_FILE
            || matches!(rel.as_str(), "content" | "templates" | "static" | "i18n")
            || rel.starts_with("i18n/")
        {
            // The site's texts (`i18n/`) belong to the config's locale: load everything again.
            // A whole input folder appeared or went: files inside may have no events of their own.
            full = true;
        } else if let Some(t) = rel.strip_prefix("templates/") {
            // Shortcodes are rendered into the markdown output, which must be made again.
            if t.starts_with("shortcodes/") {
                full = true;
            } else {
                render = true;
            }
        } else if rel.starts_with("static/") {
            render = true;
        } else if let Some(c) = rel.strip_prefix("content/") {
            let name = c.rsplit('/').next().unwrap_or(c);
            let section_index = name.to_ascii_lowercase().starts_with("_index.");
            if is_markdown(name) && !section_index && is_file(&rel) {
                if !pages.iter().any(|p| p == c) {
                    pages.push(c.to_string());
                }
            } else {
                // New, deleted or renamed files, folders, sections, bundle files.
                full = true;
            }
        }
    }
    pages.sort();
    if full || (render && !pages.is_empty()) || pages.len() > MAX_PAGES {
        Change::Full
    } else if render {
        Change::Render
    } else if pages.is_empty() {
        Change::Nothing
    } else {
        Change::Pages(pages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(list: &[(Event, &str)]) -> Vec<(Event, String)> {
        list.iter().map(|(e, p)| (*e, p.to_string())).collect()
    }

    fn exists(p: &str) -> bool {
        !p.contains("deleted")
    }

    #[test]
    fn atomic_saves_in_any_order_are_one_page_change() {
        use Event::*;
        // vim: probe file, backup, rename away, create, write; JetBrains, Kate, emacs, Helix temp names.
        let vim = [
            (Create, "content/blog/4913"),
            (Remove, "content/blog/4913"),
            (Rename, "content/blog/a.md"),
            (Create, "content/blog/a.md~"),
            (Create, "content/blog/a.md"),
            (Modify, "content/blog/a.md"),
            (Remove, "content/blog/a.md~"),
            (Create, "content/blog/.a.md.swp"),
        ];
        let others = [
            (Create, "content/blog/a.md___jb_tmp___"),
            (Rename, "content/blog/a.md___jb_old___"),
            (Create, "content/blog/.#a.md"),
            (Create, "content/blog/#a.md#"),
            (Create, "content/blog/a.md.kate-swp"),
            (Create, "content/blog/a.md.bck"),
            (Modify, "content/blog/a.md"),
        ];
        for batch in [&vim[..], &others[..]] {
            let mut shuffled = ev(batch);
            for rot in 0..shuffled.len() {
                shuffled.rotate_left(1);
                let mut twice = shuffled.clone();
                twice.extend(shuffled.clone());
                twice.reverse();
                assert_eq!(
                    classify(&twice, "public", &exists),
                    Change::Pages(vec!["blog/a.md".into()]),
                    "rotation {rot}"
                );
            }
        }
    }

    #[test]
    fn remove_of_a_file_that_still_exists_is_a_modify() {
        assert_eq!(
            classify(&ev(&[(Event::Remove, "content/a.md")]), "public", &exists),
            Change::Pages(vec!["a.md".into()])
        );
    }

    #[test]
    fn what_needs_more() {
        use Event::*;
        let c = |b: &[(Event, &str)]| classify(&ev(b), "public", &exists);
        assert_eq!(c(&[(Remove, "content/deleted.md")]), Change::Full);
        assert_eq!(c(&[(Modify, "kiosk.yaml")]), Change::Full);
        assert_eq!(c(&[(Modify, "i18n/en.yaml")]), Change::Full);
        assert_eq!(c(&[(Modify, "content/blog/_index.md")]), Change::Full);
        assert_eq!(c(&[(Create, "content/blog/bild.png")]), Change::Full);
        assert_eq!(c(&[(Create, "content/neu")]), Change::Full);
        assert_eq!(c(&[(Modify, "templates/page.html")]), Change::Render);
        assert_eq!(c(&[(Modify, "templates/shortcodes/x.html")]), Change::Full);
        assert_eq!(c(&[(Modify, "static/style.css")]), Change::Render);
        assert_eq!(c(&[(Create, "static")]), Change::Full);
        assert_eq!(
            c(&[(Modify, "templates/page.html"), (Modify, "content/a.md")]),
            Change::Full
        );
        assert_eq!(
            c(&[
                (Modify, "public/index.html"),
                (Modify, ".kiosk-cache/highlight.bin"),
                (Modify, ".git/index")
            ]),
            Change::Nothing
        );
        let many: Vec<(Event, String)> = (0..500)
            .map(|i| (Modify, format!("content/p{i}.md")))
            .collect();
        assert_eq!(
            classify(&many, "public", &exists),
            Change::Full,
            "a git checkout is one full rebuild"
        );
    }
}
