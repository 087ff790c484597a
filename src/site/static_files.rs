//! Static files: the theme's, then the site's `static/` (which wins for the same path). Symbolic
//! links are not followed; each is a warning.

use super::plan::{Job, JobKind};
use crate::error::{Diagnostic, Diagnostics};
use crate::templates;
use std::collections::BTreeMap;
use std::path::Path;

/// Symbolic links in `static/` are not followed: a warning each.
pub(super) fn symlink_warnings(root: &Path) -> Vec<Diagnostic> {
    let dir = root.join("static");
    walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path_is_symlink())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some(Diagnostic::warning(
                format!("static/{rel}"),
                0,
                0,
                "symbolic links are not followed; this entry is skipped",
            ))
        })
        .collect()
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
    let dir = root.join("static");
    if dir.is_dir() {
        let walker = walkdir::WalkDir::new(&dir)
            .min_depth(1)
            .sort_by_file_name()
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| !crate::content::is_ignored_name(&e.file_name().to_string_lossy()));
        for e in walker {
            let e = match e {
                Ok(e) => e,
                Err(err) => {
                    diags.push(Diagnostic::file("static", format!("cannot read: {err}")));
                    continue;
                }
            };
            let Ok(rel) = e.path().strip_prefix(&dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if e.path_is_symlink() {
                // Reported as a warning by `symlink_warnings` at load time.
                continue;
            }
            if e.file_type().is_file() {
                files.insert(
                    rel.clone(),
                    Job {
                        rel: rel.clone(),
                        source: format!("static/{rel}"),
                        kind: JobKind::Copy(e.path().to_path_buf()),
                    },
                );
            }
        }
    }
    jobs.extend(files.into_values());
}
