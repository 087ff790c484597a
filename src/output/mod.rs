//! Output: the build is written into a temporary directory beside the output directory and
//! swapped in only when everything succeeded, so a failed build leaves the previous output
//! untouched and no stale file survives. Every path written is checked to stay inside.

mod guard;

use std::io;
use std::path::{Component, Path, PathBuf};

pub use guard::{refuse_foreign, resolve};

/// Where rendered files go: a directory on disk for `build`, memory for `serve` and `check`.
pub trait Sink: Sync {
    /// Writes `bytes` at `rel` (a `/`-separated path below the output root).
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies the file at `src` to `rel`.
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        let bytes = std::fs::read(src)?;
        self.write(rel, &bytes)
    }
}

/// Joins a `/`-separated relative path under `base`, refusing anything that is not a plain
/// name (`..`, `.`, roots, drive prefixes, backslashes, NUL).
pub fn join_inside(base: &Path, rel: &str) -> io::Result<PathBuf> {
    let bad = || {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output directory: `{rel}`"),
        )
    };
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return Err(bad());
    }
    let mut out = base.to_path_buf();
    for part in rel.split('/') {
        let mut comps = Path::new(part).components();
        match (comps.next(), comps.next()) {
            (Some(Component::Normal(n)), None) if !part.contains(':') => out.push(n),
            _ => return Err(bad()),
        }
    }
    Ok(out)
}

/// A work directory beside the output that becomes the output on [`Staging::commit`]. The
/// previous output is kept as the next build's work directory: files are then overwritten in
/// place instead of deleted and created anew, which on a big site saves most of the file system's
/// work. Until `commit`, the output directory itself is never touched.
pub struct Staging {
    out: PathBuf,
    work: PathBuf,
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{tag}"))
}

/// The work directory used for `out`.
pub fn work_dir(out: &Path) -> PathBuf {
    sibling(out, "kiosk-work")
}

/// Repairs what an interrupted earlier build left: an output moved aside but not replaced is put
/// back.
pub fn clean_leftovers(out: &Path) {
    let aside = sibling(out, "kiosk-old");
    if aside.is_dir() {
        if out.exists() {
            let _ = std::fs::remove_dir_all(&aside);
        } else {
            let _ = std::fs::rename(&aside, out);
        }
    }
}

impl Staging {
    /// Opens (or creates) the work directory beside `out`.
    pub fn new(out: &Path) -> io::Result<Staging> {
        clean_leftovers(out);
        if let Some(parent) = out.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
        let work = work_dir(out);
        if work.exists() && !work.is_dir() {
            std::fs::remove_file(&work)?;
        }
        std::fs::create_dir_all(&work)?;
        Ok(Staging {
            out: out.to_path_buf(),
            work,
        })
    }

    /// Removes every file in the work directory that this build did not write (`keep` holds the
    /// `/`-separated paths of the build), then swaps work and output directories.
    pub fn commit(self, keep: &std::collections::HashSet<String>) -> io::Result<()> {
        prune(&self.work, &self.work, keep)?;
        swap(&self.work, &self.out)?;
        // The work directory also marks the output as kiosk's own (see `site::build`).
        std::fs::create_dir_all(&self.work)
    }
}

/// Deletes files not in `keep` and directories left empty.
fn prune(base: &Path, dir: &Path, keep: &std::collections::HashSet<String>) -> io::Result<bool> {
    let mut empty = true;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            if prune(base, &path, keep)? {
                std::fs::remove_dir(&path)?;
            } else {
                empty = false;
            }
            continue;
        }
        let rel = path
            .strip_prefix(base)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if keep.contains(&rel) {
            empty = false;
        } else {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(empty)
}

/// Puts `work` in the place of `out`; the old output becomes the work directory.
#[cfg(target_os = "linux")]
fn swap(work: &Path, out: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    if !out.exists() {
        return std::fs::rename(work, out);
    }
    match renameat_with(CWD, work, CWD, out, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        // File systems without RENAME_EXCHANGE: two renames.
        Err(_) => swap_by_rename(work, out),
    }
}

#[cfg(not(target_os = "linux"))]
fn swap(work: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(work, out);
    }
    swap_by_rename(work, out)
}

fn swap_by_rename(work: &Path, out: &Path) -> io::Result<()> {
    let aside = sibling(out, "kiosk-old");
    std::fs::rename(out, &aside)?;
    if let Err(e) = std::fs::rename(work, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(e);
    }
    std::fs::rename(&aside, work)
}

/// Opens `path` for writing, making parent directories as needed and clearing a file or
/// directory that is in the way (a path that was a page's directory and is now a file).
fn create(base: &Path, path: &Path) -> io::Result<std::fs::File> {
    match std::fs::File::create(path) {
        Ok(f) => return Ok(f),
        Err(_) if path.is_dir() => std::fs::remove_dir_all(path)?,
        Err(_) => {}
    }
    if let Some(parent) = path.parent() {
        if !parent.is_dir() {
            // A file where a directory must go: remove it.
            let mut p = parent;
            while p.starts_with(base) && p != base {
                if p.is_file() {
                    std::fs::remove_file(p)?;
                    break;
                }
                p = p.parent().unwrap_or(base);
            }
            std::fs::create_dir_all(parent)?;
        }
    }
    std::fs::File::create(path)
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let path = join_inside(&self.work, rel)?;
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        create(&self.work, &path)?.write_all(bytes)
    }

    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        let bytes = std::fs::read(src)?;
        self.write(rel, &bytes)
    }
}

/// Files kept in memory (for `serve` and `check`), by path.
#[derive(Default)]
pub struct Memory {
    /// The files.
    pub files: std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>,
}

impl Sink for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        join_inside(Path::new("/"), rel)?;
        self.files
            .lock()
            .map_err(|_| io::Error::other("output map poisoned"))?
            .insert(rel.to_string(), bytes.to_vec());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_refuses_escapes() {
        let base = Path::new("/out");
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a\\b",
            "",
            "a//b",
            "C:/x",
            "a/./b",
            "a\0b",
        ] {
            assert!(join_inside(base, bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            join_inside(base, "blog/a/index.html").unwrap(),
            Path::new("/out/blog/a/index.html")
        );
    }

    #[test]
    fn staging_swaps_and_prunes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "alt").unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.write("new.html", b"neu").unwrap();
            // dropped without commit: the output is untouched
        }
        assert!(out.join("old.html").exists());
        assert!(!out.join("new.html").exists());
        for round in 0..3 {
            let s = Staging::new(&out).unwrap();
            s.write("a/new.html", format!("neu{round}").as_bytes())
                .unwrap();
            s.write("b", b"file where a dir was").unwrap();
            let keep = ["a/new.html".to_string(), "b".to_string()]
                .into_iter()
                .collect();
            s.commit(&keep).unwrap();
            assert!(!out.join("old.html").exists());
            assert_eq!(
                std::fs::read(out.join("a/new.html")).unwrap(),
                format!("neu{round}").as_bytes()
            );
            let names: Vec<_> = std::fs::read_dir(&out)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert_eq!(names.len(), 2, "{names:?}");
        }
        // A directory becomes a file and the other way round.
        let s = Staging::new(&out).unwrap();
        s.write("a", b"now a file").unwrap();
        s.write("b/index.html", b"now a dir").unwrap();
        let keep = ["a".to_string(), "b/index.html".to_string()]
            .into_iter()
            .collect();
        s.commit(&keep).unwrap();
        assert_eq!(std::fs::read(out.join("a")).unwrap(), b"now a file");
        assert_eq!(
            std::fs::read(out.join("b/index.html")).unwrap(),
            b"now a dir"
        );
    }
}
