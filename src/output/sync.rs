//! Putting a finished build in place file by file, where the output folder cannot be swapped
//! (a mount point). Every new file is first written completely into `.kiosk-incoming` inside the
//! output (on the same file system); only then is each moved into place with a rename, which
//! needs no space and cannot leave half a file, and stale files are removed. This is what
//! `rsync --delay-updates` does.

use super::staging::{is_bookkeeping, prune, Kept};
use super::{create_file, join_inside};
use std::io;
use std::path::Path;

/// Files below `dir`, as `/`-separated paths relative to it.
fn files_below(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let e = e.map_err(io::Error::other)?;
        if e.file_type().is_file() {
            if let Ok(rel) = e.path().strip_prefix(dir) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(out)
}

/// Moves every file of `incoming` (a folder inside `out`) to its place in `out`, then removes
/// what `keep` does not name, then `incoming` itself.
pub(super) fn move_into_place(incoming: &Path, out: &Path, keep: &Kept) -> io::Result<()> {
    for rel in files_below(incoming)? {
        let dest = join_inside(out, &rel)?;
        if dest.is_dir() {
            // A page's folder that is now a file.
            std::fs::remove_dir_all(&dest)?;
        }
        // Makes the parent folders, removing a file that is in their way.
        drop(create_file(out, &dest)?);
        std::fs::rename(join_inside(incoming, &rel)?, &dest)?;
    }
    prune(out, out, keep)?;
    std::fs::remove_dir_all(incoming)
}

/// Copies the files of `built` (a complete build elsewhere) that differ from `out` into
/// `out/.kiosk-incoming`, then moves them into place.
pub(super) fn copy_into_place(built: &Path, out: &Path, keep: &Kept) -> io::Result<()> {
    super::staging::remove_links(out, keep.paths)?;
    let incoming = out.join(".kiosk-incoming");
    let _ = std::fs::remove_dir_all(&incoming);
    std::fs::create_dir_all(&incoming)?;
    let copied = (|| -> io::Result<()> {
        for rel in files_below(built)? {
            if is_bookkeeping(&rel) && rel != super::MARKER {
                continue;
            }
            let bytes = std::fs::read(join_inside(built, &rel)?)?;
            let current = join_inside(out, &rel)?;
            if std::fs::read(&current).is_ok_and(|old| old == bytes) {
                continue;
            }
            let path = join_inside(&incoming, &rel)?;
            std::io::Write::write_all(&mut create_file(&incoming, &path)?, &bytes)?;
        }
        Ok(())
    })();
    if let Err(e) = copied {
        // Nothing was moved yet: the output is as it was.
        let _ = std::fs::remove_dir_all(&incoming);
        return Err(e);
    }
    move_into_place(&incoming, out, keep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = files_below(dir)
            .unwrap()
            .into_iter()
            .map(|r| {
                let t = std::fs::read_to_string(dir.join(&r)).unwrap();
                (r, t)
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn copies_changes_moves_them_in_and_prunes() {
        let dir = tempfile::tempdir().unwrap();
        let (built, out) = (dir.path().join("built"), dir.path().join("out"));
        for (p, t) in [
            ("a/index.html", "neu"),
            ("b", "datei statt ordner"),
            ("same.txt", "gleich"),
        ] {
            let f = built.join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, t).unwrap();
        }
        for (p, t) in [
            ("a/index.html", "alt"),
            ("b/index.html", "ordner"),
            ("same.txt", "gleich"),
            ("stale.html", "weg"),
        ] {
            let f = out.join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, t).unwrap();
        }
        let files: HashSet<String> = ["a/index.html", "b", "same.txt"].map(String::from).into();
        let keep = Kept {
            files: &files,
            paths: &[],
        };
        copy_into_place(&built, &out, &keep).unwrap();
        assert_eq!(
            tree(&out),
            vec![
                ("a/index.html".into(), "neu".into()),
                ("b".into(), "datei statt ordner".into()),
                ("same.txt".into(), "gleich".into())
            ]
        );
    }
}
