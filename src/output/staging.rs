//! The work directory a build writes into, and how it becomes the output.
//!
//! Usually it lies beside the output (`.public.kiosk-work`) and the two folders are swapped in
//! one rename; the previous output is kept as the next build's work directory, so unchanged files
//! are not written again. Where a folder cannot be swapped (the output is a mount point, such as
//! a Docker volume, or its parent folder is not writable), the work directory lies inside the
//! output (`public/.kiosk-incoming`) and files are put in place one by one only after every one
//! was written, like `rsync --delay-updates` (see `sync`). An exclusive lock beside the output
//! (or inside it) makes a second build wait for the first. Until `commit`, the output itself is
//! never touched; on a failed write the work directory is removed, so a full disk is not kept full.

use super::{create_file, join_inside, sync, Sink, MARKER, MARKER_TEXT};
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where the work directory lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Beside the output; committed by swapping the two folders.
    Beside,
    /// Inside the output; committed by moving each file into place.
    Inside,
}

/// A build's work directory; see the module's description.
pub struct Staging {
    out: PathBuf,
    work: PathBuf,
    mode: Mode,
    _lock: Lock,
    /// Paths in the output a build never removes (`.git`, `keep:` in kiosk.yaml).
    keep: Vec<String>,
    /// Every write that failed: (path, error), the first kept whole.
    failures: Mutex<(usize, Option<(String, io::Error)>)>,
}

/// The exclusive right to write one output folder, held until dropped.
pub struct Lock(#[allow(dead_code)] std::fs::File); // held for its lock, never read

fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.{tag}"))
}

/// The work directory used beside `out`.
pub fn work_dir(out: &Path) -> PathBuf {
    sibling(out, "kiosk-work")
}

const INCOMING: &str = ".kiosk-incoming";
const LOCK_INSIDE: &str = ".kiosk-lock";

/// Names inside an output that belong to kiosk's own bookkeeping, never to the site.
pub(super) fn is_bookkeeping(rel: &str) -> bool {
    rel == MARKER || rel == LOCK_INSIDE || rel == INCOMING || rel.starts_with(".kiosk-incoming/")
}

/// Repairs what an interrupted earlier build left: an output moved aside but not replaced is put
/// back; files moved into place halfway are completed on the next commit.
fn clean_leftovers(out: &Path) {
    let aside = sibling(out, "kiosk-old");
    if aside.is_dir() {
        if out.exists() {
            let _ = std::fs::remove_dir_all(&aside);
        } else {
            let _ = std::fs::rename(&aside, out);
        }
    }
    let _ = std::fs::remove_dir_all(out.join(INCOMING));
}

/// Is `out` the root of a mounted file system (a Docker volume, a separate partition)?
#[cfg(unix)]
fn is_mount_point(out: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let parent = out.parent().unwrap_or(out);
    match (std::fs::metadata(out), std::fs::metadata(parent)) {
        (Ok(o), Ok(p)) => o.dev() != p.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path) -> bool {
    false
}

/// Takes the build lock of `out`, waiting (after calling `waiting`) while another build holds it.
pub fn lock(out: &Path, waiting: &mut dyn FnMut()) -> io::Result<Lock> {
    if let Some(parent) = out.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent)?;
        }
    }
    lock_file(out, waiting).map(Lock)
}

fn lock_file(out: &Path, waiting: &mut dyn FnMut()) -> io::Result<std::fs::File> {
    let open = |p: &Path| {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(p)
    };
    let file = open(&sibling(out, "kiosk-lock")).or_else(|e| {
        // A parent folder that is not writable: the lock lies inside the output.
        std::fs::create_dir_all(out).map_err(|_| e)?;
        open(&out.join(LOCK_INSIDE))
    })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            waiting();
            file.lock()?;
            Ok(file)
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

impl Staging {
    /// Opens (or creates) the work directory of `out`, whose lock the caller holds. `keep` names
    /// paths in the output no build removes (`.git` always).
    pub fn new(out: &Path, lock: Lock, keep: &[String]) -> io::Result<Staging> {
        clean_leftovers(out);
        let beside = work_dir(out);
        let swappable = !(out.is_dir() && is_mount_point(out));
        let opened = if swappable {
            prepare_beside(&beside).map(|()| (beside, Mode::Beside))
        } else {
            Err(io::Error::other("the output is a mount point"))
        };
        let (work, mode) = match opened {
            Ok(w) => w,
            Err(e) if out.is_dir() || !swappable => {
                let inside = out.join(INCOMING);
                std::fs::create_dir_all(&inside).map_err(|_| e)?;
                (inside, Mode::Inside)
            }
            Err(e) => return Err(e),
        };
        let mut keep: Vec<String> = keep
            .iter()
            .map(|k| k.trim_matches('/').to_string())
            .collect();
        keep.push(".git".into());
        // kiosk never makes symbolic links: one in the work folder (or, inside, in the output)
        // was put there by hand, and writing through it would reach files outside.
        let scan = if mode == Mode::Beside { &work } else { out };
        remove_links(scan, &keep)?;
        Ok(Staging {
            out: out.to_path_buf(),
            work,
            mode,
            _lock: lock,
            keep,
            failures: Mutex::new((0, None)),
        })
    }

    /// Did any write fail (a full disk, a read-only folder)?
    pub fn write_failed(&self) -> bool {
        self.failures.lock().map_or(true, |f| f.0 > 0)
    }

    /// One sentence for all failed writes: how many, and the first.
    fn failed_writes(&self) -> Option<String> {
        let f = self.failures.lock().ok()?;
        let (path, err) = f.1.as_ref()?;
        Some(format!(
            "cannot write the site into {}: {err} (`{path}`{})",
            self.out.display(),
            match f.0 {
                1 => String::new(),
                n => format!(" and {} more files", n - 1),
            }
        ))
    }

    /// Gives up after a failed build. A work directory that a write failed in is removed (it
    /// may fill a disk); one inside the output is always removed.
    pub fn abandon(self) {
        if self.mode == Mode::Inside || self.write_failed() {
            let _ = std::fs::remove_dir_all(&self.work);
        }
    }

    /// Makes the written files the output: every file not in `written` (the `/`-separated paths
    /// of this build) and not kept is removed, and the output is marked as kiosk's.
    pub fn commit(self, written: &HashSet<String>) -> io::Result<()> {
        let mut keep = written.clone();
        keep.insert(MARKER.to_string());
        let kept = Kept {
            files: &keep,
            paths: &self.keep,
        };
        match self.mode {
            Mode::Inside => {
                self.write(MARKER, MARKER_TEXT.as_bytes())?;
                sync::move_into_place(&self.work, &self.out, &kept)
            }
            Mode::Beside => {
                std::fs::write(self.work.join(MARKER), MARKER_TEXT)?;
                let _ = std::fs::remove_file(self.work.join(".gitignore"));
                // The work folder was closed to others while it held an old copy.
                if let Ok(m) = std::fs::metadata(&self.out) {
                    std::fs::set_permissions(&self.work, m.permissions())?;
                }
                carry_kept(&self.out, &self.work, &self.keep)?;
                prune(&self.work, &self.work, &kept)?;
                match swap(&self.work, &self.out) {
                    Ok(()) => seal_old_copy(&self.work, &kept),
                    // A mount point or a bind mount on the same device: copy file by file.
                    Err(e) if is_busy(&e) => sync::copy_into_place(&self.work, &self.out, &kept),
                    Err(e) => Err(e),
                }
            }
        }
    }

    fn record_failure(&self, rel: &str, e: io::Error) -> io::Error {
        let copy = io::Error::new(e.kind(), e.to_string());
        if let Ok(mut f) = self.failures.lock() {
            f.0 += 1;
            if f.1.is_none() {
                f.1 = Some((rel.to_string(), e));
            }
        }
        copy
    }
}

/// Do `a` and `b` hold the same bytes? Compared in chunks, sizes first.
fn same_file_contents(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::symlink_metadata(b)) else {
        return false;
    };
    if ma.len() != mb.len() || !mb.is_file() {
        return false;
    }
    let (Ok(mut fa), Ok(mut fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let Ok(na) = fa.read(&mut ba) else {
            return false;
        };
        if na == 0 {
            return true;
        }
        if fb.read_exact(&mut bb[..na]).is_err() || ba[..na] != bb[..na] {
            return false;
        }
    }
}

/// Errors a folder swap gives on mount points and across file systems.
fn is_busy(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(16 | 18)) // EBUSY, EXDEV
        || e.kind() == io::ErrorKind::ResourceBusy
        || e.kind() == io::ErrorKind::CrossesDevices
}

/// The work directory beside the output: a folder (a file in its place is removed).
fn prepare_beside(work: &Path) -> io::Result<()> {
    if work.exists() && !work.is_dir() {
        std::fs::remove_file(work)?;
    }
    std::fs::create_dir_all(work)
}

/// What a prune leaves: this build's files, and paths kept whatever happens.
pub(super) struct Kept<'a> {
    /// This build's files (and the marker).
    pub files: &'a HashSet<String>,
    /// `.git` and the `keep:` paths, with everything below them.
    pub paths: &'a [String],
}

impl Kept<'_> {
    fn path(&self, rel: &str) -> bool {
        self.paths.iter().any(|k| {
            rel == k
                || rel
                    .strip_prefix(k.as_str())
                    .is_some_and(|r| r.starts_with('/'))
        })
    }
}

/// Moves the kept paths of the current output (a `.git`, a `CNAME` listed in `keep:`) into the
/// work directory, so they are in the output after the swap.
fn carry_kept(out: &Path, work: &Path, keep: &[String]) -> io::Result<()> {
    for k in keep {
        let (Ok(from), Ok(to)) = (join_inside(out, k), join_inside(work, k)) else {
            continue;
        };
        if std::fs::symlink_metadata(&from).is_ok() && std::fs::symlink_metadata(&to).is_err() {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(&from, &to)?;
        }
    }
    Ok(())
}

/// The old output, now the next build's work directory: files this build no longer has are
/// removed (a retracted page is gone from the disk), and the rest is kept from other users and
/// from git (the next build writes over it).
fn seal_old_copy(work: &Path, kept: &Kept) -> io::Result<()> {
    // After a first build there is no old copy: an empty folder, marked as kiosk's.
    std::fs::create_dir_all(work)?;
    prune(work, work, kept)?;
    std::fs::write(work.join(MARKER), MARKER_TEXT)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(work, std::fs::Permissions::from_mode(0o700))?;
    }
    std::fs::write(
        work.join(".gitignore"),
        "# kiosk's work folder: never commit it\n*\n",
    )
}

/// Removes every symbolic link below `dir` (without following any), except in kept paths.
pub(super) fn remove_links(dir: &Path, keep: &[String]) -> io::Result<()> {
    let walker = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .map(|r| r.to_string_lossy().replace('\\', "/"));
            !rel.is_ok_and(|r| keep.contains(&r) || is_bookkeeping(&r))
        });
    for e in walker.flatten() {
        if e.path_is_symlink() {
            std::fs::remove_file(e.path())?;
        }
    }
    Ok(())
}

/// Deletes files neither written nor kept, and directories left empty.
pub(super) fn prune(base: &Path, dir: &Path, keep: &Kept) -> io::Result<bool> {
    let mut empty = true;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let rel = path
            .strip_prefix(base)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if (is_bookkeeping(&rel) && rel != MARKER) || keep.path(&rel) {
            empty = false;
            continue;
        }
        if entry.file_type()?.is_dir() {
            if prune(base, &path, keep)? {
                std::fs::remove_dir(&path)?;
            } else {
                empty = false;
            }
        } else if keep.files.contains(&rel) {
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
        Err(e) if matches!(e.raw_os_error(), 16 | 18) => {
            Err(io::Error::from_raw_os_error(e.raw_os_error()))
        }
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

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write;
        if self.write_failed() {
            return Err(io::Error::other("an earlier write failed"));
        }
        // Unchanged files are not written again: beside, the old copy is in the work directory;
        // inside, it is the output's own file.
        let (compare, path) = match self.mode {
            Mode::Beside => {
                let p = join_inside(&self.work, rel)?;
                (p.clone(), p)
            }
            Mode::Inside => (join_inside(&self.out, rel)?, join_inside(&self.work, rel)?),
        };
        if std::fs::read(&compare).is_ok_and(|old| old == bytes) {
            return Ok(());
        }
        create_file(&self.work, &path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(|e| self.record_failure(rel, e))
    }

    /// Copies a static or bundle file without reading it whole into memory (a 300 MB video
    /// stays on disk); an identical file already in place is left as it is.
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        if self.write_failed() {
            return Err(io::Error::other("an earlier write failed"));
        }
        let (compare, path) = match self.mode {
            Mode::Beside => {
                let p = join_inside(&self.work, rel)?;
                (p.clone(), p)
            }
            Mode::Inside => (join_inside(&self.out, rel)?, join_inside(&self.work, rel)?),
        };
        if same_file_contents(src, &compare) {
            return Ok(());
        }
        create_file(&self.work, &path)
            .and_then(|f| {
                drop(f);
                std::fs::copy(src, &path).map(|_| ())
            })
            .map_err(|e| self.record_failure(rel, e))
    }

    fn target(&self) -> String {
        self.out.display().to_string()
    }

    fn failure(&self) -> Option<String> {
        self.failed_writes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_swaps_and_prunes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "alt").unwrap();
        {
            let s = Staging::new(&out, lock(&out, &mut || {}).unwrap(), &[]).unwrap();
            s.write("new.html", b"neu").unwrap();
            // dropped without commit: the output is untouched
        }
        assert!(out.join("old.html").exists());
        assert!(!out.join("new.html").exists());
        for round in 0..3 {
            let s = Staging::new(&out, lock(&out, &mut || {}).unwrap(), &[]).unwrap();
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
            assert_eq!(names.len(), 3, "{names:?}");
            assert!(
                out.join(MARKER).is_file(),
                "the output is marked as kiosk's"
            );
        }
        // A directory becomes a file and the other way round.
        let s = Staging::new(&out, lock(&out, &mut || {}).unwrap(), &[]).unwrap();
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

    #[test]
    fn a_second_build_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = Staging::new(&out, lock(&out, &mut || {}).unwrap(), &[]).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let out2 = out.clone();
        let second = std::thread::spawn(move || {
            let mut told = false;
            let l = lock(&out2, &mut || told = true).unwrap();
            tx.send(()).unwrap();
            drop(l);
            told
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(300))
                .is_err(),
            "the second build did not wait"
        );
        first.commit(&HashSet::new()).unwrap();
        assert!(second.join().unwrap(), "the waiting build was told");
    }

    #[test]
    fn a_failed_write_is_counted_once_and_removes_the_work_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::new(&out, lock(&out, &mut || {}).unwrap(), &[]).unwrap();
        s.write("a.html", b"x").unwrap();
        assert!(!s.write_failed());
        s.record_failure("x.html", io::Error::from(io::ErrorKind::StorageFull));
        s.record_failure("y.html", io::Error::from(io::ErrorKind::StorageFull));
        assert!(s.write_failed());
        assert!(
            s.write("late.html", b"z").is_err(),
            "writes stop after a failure"
        );
        let msg = s.failed_writes().unwrap();
        assert!(msg.contains("`x.html`") && msg.contains("1 more"), "{msg}");
        let work = work_dir(&out);
        s.abandon();
        assert!(!work.exists());
    }
}
