//! Where the output may go: never the site itself, a folder containing it, or one of its input
//! folders; and never a non-empty folder kiosk did not make, unless `--force`.

use crate::error::Diagnostic;
use std::path::{Component, Path, PathBuf};

/// Removes `.` and `..` components without touching the disk (the output may not exist yet).
fn normalize(p: &Path) -> PathBuf {
    let mut n = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                n.pop();
            }
            Component::CurDir => {}
            c => n.push(c),
        }
    }
    n
}

/// Resolves the output directory (`--output`, else `output_dir` below the root) and refuses
/// places that would destroy the site itself.
pub fn resolve(
    root: &Path,
    output: Option<&Path>,
    output_dir: &str,
) -> Result<PathBuf, Diagnostic> {
    let out = match output {
        Some(o) => o.to_path_buf(),
        None => root.join(output_dir),
    };
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| normalize(root));
    let out_abs = normalize(&out);
    let shown = out.display();
    let out_real = match std::fs::symlink_metadata(&out_abs) {
        // A link to a folder: the folder it points to is the output (the link stays a link).
        Ok(m) if m.file_type().is_symlink() => match std::fs::canonicalize(&out_abs) {
            Ok(t) if t.is_dir() => t,
            Ok(_) => {
                return Err(Diagnostic::file(
                    crate::config::CONFIG_FILE,
                    format!("the output `{shown}` is a link to a file, not to a folder; choose another --output"),
                ))
            }
            Err(_) => {
                return Err(Diagnostic::file(
                    crate::config::CONFIG_FILE,
                    format!("the output `{shown}` is a link to a folder that does not exist; create the folder or remove the link"),
                ))
            }
        },
        Ok(m) if !m.is_dir() => {
            return Err(Diagnostic::file(
                crate::config::CONFIG_FILE,
                format!("the output `{shown}` is a file, not a folder; kiosk would replace it. Choose another --output"),
            ))
        }
        _ => match (out_abs.parent(), out_abs.file_name()) {
            (Some(parent), Some(name)) => std::fs::canonicalize(parent)
                .map(|p| p.join(name))
                .unwrap_or(out_abs.clone()),
            _ => out_abs.clone(),
        },
    };
    let protected = ["content", "templates", "static", "themes"];
    let bad = root.starts_with(&out_real)
        || out_real.file_name().is_none()
        || protected.iter().any(|d| out_real.starts_with(root.join(d)));
    if bad {
        return Err(Diagnostic::file(
            crate::config::CONFIG_FILE,
            format!(
                "refusing to use `{}` as output directory: it is the site itself, contains it, or is one of its input folders",
                out.display()
            ),
        ));
    }
    Ok(out_real)
}

/// Refuses a non-empty output folder that kiosk did not make, unless `force`. kiosk's own
/// output holds its marker file. (An output of kiosk 0.1 has none, but kiosk's work folder
/// beside it, also without one; a folder put in the place of a marked output is foreign.)
pub fn refuse_foreign(out: &Path, force: bool) -> Result<(), Diagnostic> {
    let work = super::staging::work_dir(out);
    let legacy = work.is_dir() && !work.join(super::MARKER).exists();
    let ours = out.join(super::MARKER).is_file() || legacy;
    let foreign =
        out.is_dir() && !ours && std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_some());
    if foreign && !force {
        return Err(Diagnostic::file(
            out.display().to_string(),
            "this folder is not empty and was not made by kiosk; its contents would be replaced. Choose another --output, empty it, or pass --force",
        ));
    }
    Ok(())
}
