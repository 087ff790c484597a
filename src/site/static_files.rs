//! Static files: the theme's, then the site's `static/` (which wins for the same path), hidden
//! files a host reads (`.htaccess`, `.well-known/`) included. Symbolic
//! links are not followed, and backup copies (`style.css~`, `.orig`, …) are not published; each
//! is a warning. Names a file system or a static host cannot hold are errors that say which
//! character is the problem.

use super::plan::{Job, JobKind};
use crate::content::{is_backup_name, is_ignored_name};
use crate::error::{Diagnostic, Diagnostics};
use crate::templates;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The site's static files and what was skipped or refused.
pub(super) struct StaticFiles {
    /// (path below `static/`, path on disk), sorted.
    pub files: Vec<(String, PathBuf)>,
    /// Skipped entries (symbolic links, backups).
    pub warnings: Vec<Diagnostic>,
    /// Entries that cannot be read, or names that cannot be published.
    pub errors: Vec<Diagnostic>,
}

/// Walks `static/`.
pub(super) fn scan(root: &Path) -> StaticFiles {
    let mut out = StaticFiles {
        files: Vec::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    let dir = root.join("static");
    if !dir.is_dir() {
        return out;
    }
    let walker = walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !is_ignored_name(&name) || is_published_dotfile(&name)
        });
    let mut refused: Vec<PathBuf> = Vec::new();
    for e in walker {
        let e = match e {
            Ok(e) => e,
            Err(err) => {
                out.errors
                    .push(Diagnostic::file("static", format!("cannot read: {err}")));
                continue;
            }
        };
        let Ok(rel) = e.path().strip_prefix(&dir) else {
            continue;
        };
        let rel = crate::content::portable(rel);
        let file = format!("static/{rel}");
        let name = e.file_name().to_string_lossy();
        if refused.iter().any(|d| e.path().starts_with(d)) {
            // Inside a folder whose name was refused: that error is enough.
        } else if e.path_is_symlink() {
            out.warnings.push(Diagnostic::warning(
                file,
                0,
                0,
                "symbolic links are not followed; this entry is skipped",
            ));
        } else if let Some(msg) = crate::text::slug::unpublishable_name(e.file_name()) {
            out.errors.push(Diagnostic::file(file, msg));
            refused.push(e.path().to_path_buf());
        } else if e.file_type().is_file() && is_backup_name(&name) {
            out.warnings.push(Diagnostic::warning(
                file,
                0,
                0,
                "looks like a backup or leftover copy; it is not published",
            ));
        } else if e.file_type().is_file() {
            out.files.push((rel, e.path().to_path_buf()));
        }
    }
    out
}

/// Hidden files a static host reads (`.htaccess`, `.well-known/`, `.nojekyll`) are published;
/// version control, the desktop's and editors' files and kiosk's own markers are not.
fn is_published_dotfile(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    !rest.is_empty()
        && !is_ignored_name(rest)
        && !rest.starts_with("kiosk")
        && !rest.starts_with("git")
        && !matches!(
            rest,
            "svn" | "hg" | "DS_Store" | "Trashes" | "Spotlight-V100" | "fseventsd" | "directory"
        )
}

/// The theme's static files, then the site's `static/` (which wins for the same path).
pub(super) fn jobs(root: &Path, jobs: &mut Vec<Job>, diags: &mut Diagnostics) {
    let mut files: BTreeMap<String, Job> = BTreeMap::new();
    for name in templates::DefaultTheme::iter() {
        let Some(rel) = name.strip_prefix("static/") else {
            continue;
        };
        if let Some(f) = templates::DefaultTheme::get(&name) {
            files.insert(
                rel.to_string(),
                Job {
                    rel: rel.to_string(),
                    source: format!("{}/{name}", templates::THEME_PREFIX),
                    kind: JobKind::Bytes(f.data.into_owned()),
                },
            );
        }
    }
    let scanned = scan(root);
    diags.extend(scanned.errors);
    for (rel, path) in scanned.files {
        files.insert(
            rel.clone(),
            Job {
                source: format!("static/{rel}"),
                rel,
                kind: JobKind::Copy(path),
            },
        );
    }
    jobs.extend(files.into_values());
}
