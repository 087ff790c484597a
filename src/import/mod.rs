//! `kiosk import`: a WordPress export, or a Jekyll, Hugo or Zola site, becomes a kiosk site in a
//! new folder. The source is read into a [`model::Site`] (config, pages, files, data, report),
//! written ([`writer`]), loaded by kiosk's own pipeline to keep every old address
//! ([`verify`]), checked in memory, and described in `IMPORT-REPORT.md`. The source is only
//! ever read; importing twice gives byte-identical sites.

mod addresses;
mod claims;
pub(crate) mod files;
pub(crate) mod html;
mod hugo;
mod jekyll;
pub(crate) mod model;
pub(crate) mod report;
mod settle;
mod verify;
pub(crate) mod wordpress;
mod writer;
mod zola;

#[cfg(test)]
mod proptests;

use crate::check::CheckReport;
use crate::date::Clock;
use std::path::PathBuf;

/// What to import from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A WordPress export file (Tools → Export).
    WordPress,
    /// A Jekyll site folder.
    Jekyll,
    /// A Hugo site folder.
    Hugo,
    /// A Zola site folder.
    Zola,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::WordPress => "WordPress",
            Source::Jekyll => "Jekyll",
            Source::Hugo => "Hugo",
            Source::Zola => "Zola",
        }
    }
}

/// An import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// What kind of source.
    pub source: Source,
    /// The export file or site folder.
    pub input: PathBuf,
    /// The new site's folder (new or empty, unless `force`).
    pub into: PathBuf,
    /// WordPress: a copy of `wp-content/uploads`.
    pub uploads: Option<PathBuf>,
    /// Write into a folder that is not empty.
    pub force: bool,
    /// The clock the check of the new site uses.
    pub clock: Clock,
}

/// What an import did.
#[derive(Debug)]
pub struct Summary {
    /// Counts, as in the report.
    pub counts: Vec<(String, usize)>,
    /// Notes in the report (constructs not converted, items left out, …).
    pub notes: usize,
    /// Old addresses the new site answers.
    pub urls_kept: usize,
    /// Old addresses it does not.
    pub urls_lost: usize,
    /// `kiosk check` of the new site.
    pub check: CheckReport,
    /// Errors of the check that are files of `wp-content/uploads/` left on the old site
    /// (a WordPress import without `--uploads`).
    pub uploads_left: usize,
    /// Where the report is.
    pub report: PathBuf,
}

/// A step of the import, for progress output.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// Reading and converting the source.
    Reading,
    /// Writing the new site.
    Writing(usize),
    /// Loading and checking the new site.
    Checking,
}

/// Imports; `Err` when nothing could be imported (no such file, not a site of that kind, a
/// folder that may not be written).
pub fn run(opts: &ImportOptions, progress: &dyn Fn(Step)) -> Result<Summary, String> {
    if opts.uploads.is_some() && opts.source != Source::WordPress {
        return Err("--uploads is for WordPress exports only".into());
    }
    separate_folders(opts)?;
    progress(Step::Reading);
    let mut site = match opts.source {
        Source::WordPress => wordpress::import(&opts.input, opts.uploads.as_deref())?,
        Source::Hugo => hugo::import(&opts.input)?,
        Source::Zola => zola::import(&opts.input)?,
        Source::Jekyll => jekyll::import(&opts.input)?,
    };
    let pages = site
        .pages
        .iter()
        .filter(|p| !p.path.ends_with("/_index.md") || p.path == "content/_index.md")
        .count();
    if pages == 0 {
        return Err(format!(
            "{}: nothing to import (no post or page could be read){}",
            opts.input.display(),
            site.report
                .notes(report::Kind::Broken)
                .first()
                .map(|n| format!("; {}: {}", n.place, n.text))
                .unwrap_or_default()
        ));
    }
    let taxonomies = taxonomies(&site);
    settle::settle(&mut site, &taxonomies);
    writer::prepare(&opts.into, opts.force)?;
    progress(Step::Writing(site.pages.len() + site.files.len()));
    writer::write(&mut site, &opts.into)?;
    progress(Step::Checking);
    let outcome = verify::keep_urls(&mut site, &opts.into, opts.clock)?;
    site.report.count("Old addresses kept", outcome.kept);
    let check_line = format!(
        "`kiosk check` on the new site: {} errors, {} warnings (run it to see them at file:line).",
        outcome.check.errors(),
        outcome.check.warnings()
    );
    let title = format!(
        "{} ({})",
        opts.source.name(),
        opts.input
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned())
    );
    let report_path = opts.into.join("IMPORT-REPORT.md");
    writer::write_text(
        &opts.into,
        "IMPORT-REPORT.md",
        &site.report.markdown(&title, &check_line),
    )?;
    let uploads_left = if opts.source == Source::WordPress && opts.uploads.is_none() {
        outcome
            .check
            .diagnostics
            .iter()
            .filter(|d| d.is_error() && d.message.contains("/wp-content/uploads/"))
            .count()
    } else {
        0
    };
    Ok(Summary {
        uploads_left,
        counts: count_list(&site),
        notes: site.report.note_count(),
        urls_kept: outcome.kept,
        urls_lost: site.report.get("Old addresses lost"),
        check: outcome.check,
        report: report_path,
    })
}

/// The new site's folder must be apart from what is read: never the source or inside it (an
/// import writing over its own source would destroy it), never around the source or the
/// uploads; `--uploads` must be a folder.
fn separate_folders(opts: &ImportOptions) -> Result<(), String> {
    let real = |p: &std::path::Path| std::fs::canonicalize(p).ok();
    // The target may not exist yet: its nearest existing folder decides.
    let mut into = opts.into.clone();
    let mut missing = Vec::new();
    let into_real = loop {
        if let Some(r) = real(&into) {
            break missing
                .iter()
                .rev()
                .fold(r, |acc: PathBuf, m: &std::ffi::OsString| acc.join(m));
        }
        match (into.file_name().map(|n| n.to_os_string()), into.parent()) {
            (Some(n), Some(parent)) => {
                missing.push(n);
                into = parent.to_path_buf();
            }
            _ => return Ok(()),
        }
    };
    if let Some(up) = &opts.uploads {
        if !up.is_dir() {
            return Err(format!(
                "--uploads {}: no such folder (a copy of the site's wp-content/uploads)",
                up.display()
            ));
        }
    }
    let sources = [Some(&opts.input), opts.uploads.as_ref()];
    for src in sources.into_iter().flatten() {
        let Some(src_real) = real(src) else {
            continue;
        };
        let src_dir = if src_real.is_dir() {
            src_real.clone()
        } else {
            src_real
                .parent()
                .map_or(src_real.clone(), std::path::Path::to_path_buf)
        };
        if into_real.starts_with(&src_dir) && src_real.is_dir() {
            return Err(format!(
                "--into {} is inside {}, which the import reads: choose a folder outside it",
                opts.into.display(),
                src.display()
            ));
        }
        if src_real.starts_with(&into_real) {
            return Err(format!(
                "{} is inside --into {}: the import would write over what it reads; choose another folder",
                src.display(),
                opts.into.display()
            ));
        }
    }
    Ok(())
}

/// The taxonomies of the new site: `taxonomies` of its kiosk.yaml, else tags and categories.
fn taxonomies(site: &model::Site) -> Vec<String> {
    site.config
        .iter()
        .find(|(k, _)| k == "taxonomies")
        .and_then(|(_, v)| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|t| {
                    t.as_str()
                        .or_else(|| t.get("name").and_then(|n| n.as_str()))
                })
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_else(|| vec!["tags".into(), "categories".into()])
}

fn count_list(site: &model::Site) -> Vec<(String, usize)> {
    [
        "Posts",
        "Pages",
        "Other content (custom post types)",
        "Drafts (draft: true)",
        "Scheduled (published on their date)",
        "Files copied from --uploads",
        "Files copied",
        "Sections",
        "Comments kept as data (data/comments/, not published)",
    ]
    .iter()
    .map(|l| (l.to_string(), site.report.get(l)))
    .filter(|(_, n)| *n > 0)
    .collect()
}
