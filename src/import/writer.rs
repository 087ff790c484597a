//! Writing the imported site: only into the target folder (every path is checked to stay in
//! it), only into a new or empty folder unless `--force`, never through a symbolic link.

use super::model::{page_text, yaml_lines, Site};
use super::report::Kind;
use std::path::{Path, PathBuf};

/// Checks that `into` may be written: new, empty, or `force`.
pub fn prepare(into: &Path, force: bool) -> Result<(), String> {
    match std::fs::symlink_metadata(into) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(into)
            .map_err(|e| format!("{}: cannot create the folder: {e}", into.display())),
        Err(e) => Err(format!("{}: {e}", into.display())),
        Ok(m) if !m.is_dir() => Err(format!("{} exists and is not a folder", into.display())),
        Ok(_) => {
            let mut entries = std::fs::read_dir(into)
                .map_err(|e| format!("{}: cannot read the folder: {e}", into.display()))?;
            if entries.next().is_some() && !force {
                return Err(format!(
                    "{} is not empty; import into a new folder, or pass --force to write into it (files of the same name are replaced, nothing else is touched)",
                    into.display()
                ));
            }
            Ok(())
        }
    }
}

/// `into/rel`, where `rel` is a plain relative path (no `..`, no root, no drive).
pub fn inside(into: &Path, rel: &str) -> Result<PathBuf, String> {
    let drive = rel.as_bytes().get(1) == Some(&b':') && rel.as_bytes()[0].is_ascii_alphabetic();
    if rel.starts_with(['/', '\\']) || drive {
        return Err(format!(
            "refusing to write `{rel}`: not a path inside the new site"
        ));
    }
    let parts = crate::text::slug::safe_components(rel)
        .map_err(|e| format!("refusing to write `{rel}`: the path {}", e.0))?;
    if parts.is_empty() {
        return Err(format!("refusing to write `{rel}`: no file name"));
    }
    let mut p = into.to_path_buf();
    for part in parts {
        p.push(part);
    }
    Ok(p)
}

/// Writes a text file below `into`, creating its folders; a symbolic link on the way is refused.
pub fn write_text(into: &Path, rel: &str, text: &str) -> Result<(), String> {
    let path = inside(into, rel)?;
    make_parent(into, &path)?;
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!(
            "refusing to write through the symbolic link {}",
            path.display()
        ));
    }
    std::fs::write(&path, text).map_err(|e| format!("{}: cannot write: {e}", path.display()))
}

/// Creates the folders of `path` below `into` one by one, refusing a symbolic link on the way
/// (before anything is created through it).
fn make_parent(into: &Path, path: &Path) -> Result<(), String> {
    let Some(parent) = path.parent() else {
        return Ok(());
    };
    let Ok(below) = parent.strip_prefix(into) else {
        return Err(format!(
            "refusing to write {} outside {}",
            path.display(),
            into.display()
        ));
    };
    let mut p = into.to_path_buf();
    for part in below.components() {
        p.push(part);
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(format!(
                    "refusing to write below the symbolic link {}",
                    p.display()
                ))
            }
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(format!("{} is a file, not a folder", p.display())),
            Err(_) => std::fs::create_dir(&p)
                .map_err(|e| format!("{}: cannot create the folder: {e}", p.display()))?,
        }
    }
    Ok(())
}

/// Writes the whole site; returns the number of files written. Only `kiosk.yaml` failing
/// stops the import: a page or file that cannot be written is named in the report (a page's
/// old addresses then count as lost) and the rest is written.
pub fn write(site: &mut Site, into: &Path) -> Result<usize, String> {
    let mut n = 0;
    write_text(into, "kiosk.yaml", &yaml_lines(&site.config))?;
    n += 1;
    let mut failed = Vec::new();
    let pages = std::mem::take(&mut site.pages);
    for p in pages {
        match write_text(into, &p.path, &page_text(&p)) {
            Ok(()) => {
                n += 1;
                site.pages.push(p);
            }
            Err(e) => {
                if let Some(old) = &p.old_url {
                    site.report.lost(
                        p.origin.clone(),
                        format!("{old}: the page could not be written"),
                    );
                }
                failed.push((p.origin, e));
            }
        }
    }
    for (rel, text) in &site.data {
        match write_text(into, rel, text) {
            Ok(()) => n += 1,
            Err(e) => failed.push((rel.clone(), e)),
        }
    }
    for (src, rel) in &site.files {
        let copied = inside(into, rel).and_then(|dest| {
            make_parent(into, &dest)?;
            std::fs::copy(src, &dest)
                .map_err(|e| format!("copying {} to {}: {e}", src.display(), dest.display()))
        });
        match copied {
            Ok(_) => n += 1,
            Err(e) => failed.push((rel.clone(), e)),
        }
    }
    for (place, e) in failed {
        site.report
            .note(Kind::Files, place, format!("not written: {e}"));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_written_outside() {
        let d = tempfile::tempdir().unwrap();
        for bad in ["../x.md", "/etc/x", "a/../../x", "", "C:\\x"] {
            assert!(write_text(d.path(), bad, "x").is_err(), "{bad}");
        }
        write_text(d.path(), "content/a.md", "x").unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("content/a.md")).unwrap(),
            "x"
        );
    }

    #[test]
    fn only_new_or_empty_folders_without_force() {
        let d = tempfile::tempdir().unwrap();
        let into = d.path().join("neu");
        prepare(&into, false).unwrap();
        std::fs::write(into.join("x"), "x").unwrap();
        assert!(prepare(&into, false).unwrap_err().contains("not empty"));
        prepare(&into, true).unwrap();
        assert!(prepare(&into.join("x"), true).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_never_followed() {
        let d = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), d.path().join("content")).unwrap();
        assert!(write_text(d.path(), "content/a.md", "x").is_err());
        assert!(!outside.path().join("a.md").exists());
    }
}
