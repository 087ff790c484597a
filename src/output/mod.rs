//! Output: the build is written into a work directory and put in place only when everything
//! succeeded, so a failed build leaves the previous output untouched and no stale file survives.
//! Every path written is checked to stay inside. `guard` decides where output may go,
//! `staging` holds the work directory (beside the output, or inside it when the output is a
//! mount point), `sync` puts files in place one by one where a folder swap is impossible.

mod guard;
mod staging;
mod sync;

use std::io;
use std::path::{Component, Path, PathBuf};

pub use guard::{refuse_foreign, resolve};
pub use staging::{lock, Lock, Staging};

/// The file inside every output kiosk writes: it marks the folder as kiosk's own.
pub const MARKER: &str = ".kiosk-output";
const MARKER_TEXT: &str =
    "This folder is written by `kiosk build`: its contents are replaced on every build.\n";

/// Where rendered files go: a directory on disk for `build`, memory for `serve` and `check`.
pub trait Sink: Sync {
    /// Writes `bytes` at `rel` (a `/`-separated path below the output root).
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copies the file at `src` to `rel`.
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        let bytes = std::fs::read(src)?;
        self.write(rel, &bytes)
    }
    /// Where the files go, for messages.
    fn target(&self) -> String {
        "memory".into()
    }
    /// One sentence for every write that failed, when the sink keeps count.
    fn failure(&self) -> Option<String> {
        None
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

/// Opens `path` for writing, making parent directories as needed and clearing a file or
/// directory that is in the way (a path that was a page's directory and is now a file).
pub(crate) fn create_file(base: &Path, path: &Path) -> io::Result<std::fs::File> {
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
}
