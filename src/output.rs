//! Output: the build is written into a temporary directory beside the output directory and
//! swapped in only when everything succeeded, so a failed build leaves the previous output
//! untouched and no stale file survives. Every path written is checked to stay inside.

use std::io;
use std::path::{Component, Path, PathBuf};

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
    let bad = || io::Error::new(io::ErrorKind::InvalidInput, format!("refusing to write outside the output directory: `{rel}`"));
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

/// A temporary output directory that becomes the real one on [`Staging::commit`]; dropped
/// without commit, it is removed.
pub struct Staging {
    out: PathBuf,
    tmp: PathBuf,
    done: bool,
}

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    out.with_file_name(format!(".{name}.{tag}-{}-{nanos}", std::process::id()))
}

/// Removes temporary directories that an interrupted earlier build left beside `out`.
pub fn clean_leftovers(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    let Ok(entries) = std::fs::read_dir(if parent.as_os_str().is_empty() { Path::new(".") } else { parent }) else {
        return;
    };
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|p| n.starts_with(p.as_str())) && e.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

impl Staging {
    /// Creates the temporary directory beside `out`.
    pub fn new(out: &Path) -> io::Result<Staging> {
        clean_leftovers(out);
        if let Some(parent) = out.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
        let tmp = sibling(out, "tmp");
        std::fs::create_dir(&tmp)?;
        Ok(Staging {
            out: out.to_path_buf(),
            tmp,
            done: false,
        })
    }

    /// Swaps the finished build in: the old output is moved aside, the new one renamed into its
    /// place, then the old one deleted.
    pub fn commit(mut self) -> io::Result<()> {
        let old = sibling(&self.out, "old");
        let had_old = match std::fs::rename(&self.out, &old) {
            Ok(()) => true,
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(e),
        };
        if let Err(e) = std::fs::rename(&self.tmp, &self.out) {
            if had_old {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(e);
        }
        self.done = true;
        if had_old {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = join_inside(&self.tmp, rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, bytes)
    }

    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        let path = join_inside(&self.tmp, rel)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::copy(src, path).map(|_| ())
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
        for bad in ["../x", "a/../../x", "/etc/passwd", "a\\b", "", "a//b", "C:/x", "a/./b", "a\0b"] {
            assert!(join_inside(base, bad).is_err(), "{bad:?}");
        }
        assert_eq!(join_inside(base, "blog/a/index.html").unwrap(), Path::new("/out/blog/a/index.html"));
    }

    #[test]
    fn staging_swaps_or_leaves_old() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "alt").unwrap();
        {
            let s = Staging::new(&out).unwrap();
            s.write("new.html", b"neu").unwrap();
            // dropped without commit
        }
        assert!(out.join("old.html").exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "temp dir removed");
        let s = Staging::new(&out).unwrap();
        s.write("a/new.html", b"neu").unwrap();
        s.commit().unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(std::fs::read(out.join("a/new.html")).unwrap(), b"neu");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
