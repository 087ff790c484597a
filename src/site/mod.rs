//! Site: runs the stages in order and reports every problem found on the way.
//!
//! [`Site::load`] (in `load`) reads the config, templates and content and renders all markdown
//! (`markdown`); [`Site::plan`] (`plan`, `generated`, `static_files`) lists every output file with
//! its source and checks for collisions; [`Site::render_jobs`] (`render`) makes each file, with
//! `lookup` answering the templates' `get_page` and friends. [`build`] runs them into the output
//! directory.

mod generated;
mod languages;
mod load;
mod lookup;
mod markdown;
mod plan;
mod render;
mod static_files;

use crate::config::Config;
use crate::content::taxonomy::Taxonomy;
use crate::content::Library;
use crate::date::Clock;
use crate::error::{BuildFailed, Diagnostic};
use crate::output::Staging;
use crate::templates::Templates;
use crate::views::Views;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub(crate) use generated::{feed_jobs, section_feeds, GENERATED};
pub use languages::Sites;
pub(crate) use markdown::{render_page_markdown, Env as MarkdownEnv};
pub(crate) use plan::{index_of, section_source};
pub use plan::{Job, JobKind};

/// Installs the site's lookup for `get_page` and friends again (after the library changed).
pub(crate) fn install_lookup(site: &Site) {
    lookup::install(&site.templates, &site.lib, &site.taxonomies, &site.config);
}

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (holds `kiosk.yaml`), absolute.
    pub root: PathBuf,
    /// Output directory (default: `output_dir` from the config, relative to the root), absolute.
    pub output: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Include pages dated in the future.
    pub future: bool,
    /// Highlight cache directory; `None` turns the cache off.
    pub cache_dir: Option<PathBuf>,
    /// Read the highlight cache but never write it (`check` writes nothing).
    pub cache_read_only: bool,
    /// Replace an output directory that kiosk did not make.
    pub force: bool,
    /// The build's one clock: scheduled posts and sale ends are measured against it.
    pub clock: Clock,
    /// The language to build, one of `languages:` (`None`: the default language).
    pub language: Option<String>,
}

impl BuildOptions {
    /// Defaults for a site at `root` (an absolute path): cache in `root/.kiosk-cache`.
    pub fn new(root: impl Into<PathBuf>, clock: Clock) -> BuildOptions {
        let root = root.into();
        BuildOptions {
            cache_dir: Some(root.join(".kiosk-cache")),
            cache_read_only: false,
            force: false,
            root,
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            clock,
            language: None,
        }
    }
}

/// What a finished stage reports.
pub struct Progress<'a> {
    /// Stage name.
    pub stage: &'a str,
    /// What it did.
    pub detail: String,
    /// How long it took.
    pub elapsed: Duration,
}

/// Summary of a successful build.
#[derive(Debug, Default)]
pub struct Report {
    /// Pages built.
    pub pages: usize,
    /// Sections built.
    pub sections: usize,
    /// Files written.
    pub files: usize,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
    /// Where the output went.
    pub output: PathBuf,
}

/// A loaded site whose markdown is rendered, ready to be planned and written.
pub struct Site {
    /// Resolved config.
    pub config: Config,
    /// Root directory.
    pub root: PathBuf,
    /// Pages and sections.
    pub lib: Arc<Library>,
    /// Taxonomies.
    pub taxonomies: Arc<Vec<Taxonomy>>,
    pub(crate) templates: Templates,
    pub(crate) clock: Clock,
    /// Each page's card, made once (see [`crate::views::CardCache`]).
    pub(crate) cards: Vec<std::sync::OnceLock<tera::Value>>,
    /// Which pages the site's other languages publish.
    pub(crate) translations: Arc<languages::Translations>,
    warnings: Vec<Diagnostic>,
}

/// Runs `f`, reporting its detail and duration as stage `stage`.
fn timed<T>(progress: &mut dyn FnMut(Progress), stage: &str, f: impl FnOnce() -> (T, String)) -> T {
    let start = Instant::now();
    let (v, detail) = f();
    progress(Progress {
        stage,
        detail,
        elapsed: start.elapsed(),
    });
    v
}

/// A later stage's failure with the warnings found while loading, which are reported too.
fn with_warnings(mut e: BuildFailed, warnings: &[Diagnostic]) -> BuildFailed {
    e.diagnostics.extend(warnings.iter().cloned());
    e.diagnostics.sort();
    e.diagnostics.dedup();
    e
}

/// One problem that fails the build.
pub(crate) fn fail(d: Diagnostic) -> BuildFailed {
    BuildFailed::from(vec![d])
}

/// Builds the site into its output directory: everything or nothing.
pub fn build(
    opts: &BuildOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, BuildFailed> {
    // The output is locked before the content is read: a build that read older content never
    // commits after one that read newer content.
    let (lock, out, keep) = match Config::load(&opts.root) {
        Ok(c) => {
            let out = crate::output::resolve(&opts.root, opts.output.as_deref(), &c.output_dir)
                .map_err(fail)?;
            crate::output::refuse_foreign(&out, opts.force).map_err(fail)?;
            (Some(lock_output(&out, progress)?), Some(out), c.keep)
        }
        // Loading reports the config's problems with all others.
        Err(_) => (None, None, Vec::new()),
    };
    let sites = Sites::load(opts, progress)?;
    let warnings = sites.warnings();
    let failed = |d: Diagnostic| with_warnings(fail(d), &warnings);
    let (Some(lock), Some(out)) = (lock, out) else {
        return Err(failed(Diagnostic::file(
            crate::config::CONFIG_FILE,
            "cannot read kiosk.yaml",
        )));
    };
    let staging = Staging::new(&out, lock, &keep).map_err(|e| {
        failed(Diagnostic::file(
            out.display().to_string(),
            format!("cannot create the output directory: {e}"),
        ))
    })?;
    let written = match sites.render(&staging, progress) {
        Ok(w) => w,
        Err(e) => {
            staging.abandon();
            return Err(with_warnings(e, &warnings));
        }
    };
    let files = written.len();
    timed(progress, "write", || {
        let r = staging.commit(&written);
        (r, format!("{} files to {}", files, out.display()))
    })
    .map_err(|e| {
        let mut f = failed(Diagnostic::file(
            out.display().to_string(),
            format!("cannot put the new site in place: {e}"),
        ));
        f.output_changed = true;
        f
    })?;
    Ok(Report {
        pages: sites.sites.iter().map(|s| s.lib.pages.len()).sum(),
        sections: sites.sites.iter().map(|s| s.lib.sections.len()).sum(),
        files,
        warnings,
        output: out,
    })
}

/// Takes the output's lock, telling `progress` when another build holds it.
fn lock_output(
    out: &std::path::Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<crate::output::Lock, BuildFailed> {
    let mut waiting = || {
        progress(Progress {
            stage: "wait",
            detail: format!(
                "another kiosk build is writing {}; waiting for it to finish",
                out.display()
            ),
            elapsed: Duration::ZERO,
        })
    };
    crate::output::lock(out, &mut waiting).map_err(|e| {
        fail(Diagnostic::file(
            out.display().to_string(),
            format!("cannot lock the output directory: {e}"),
        ))
    })
}

impl Site {
    /// Views of the loaded site for templates.
    pub fn views(&self) -> Views<'_> {
        Views::new(&self.lib, &self.config, &self.taxonomies).with_card_cache(&self.cards)
    }

    /// Warnings found while loading.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Replaces the warnings (with those of every language, for `check`).
    pub(crate) fn set_warnings(&mut self, warnings: Vec<Diagnostic>) {
        self.warnings = warnings;
    }

    /// Every published page and section by `content/`-relative path, with its full URL.
    pub(crate) fn absolute_urls(&self) -> Arc<std::collections::BTreeMap<String, String>> {
        let urls = self.templates.data.urls.get();
        Arc::new(
            urls.map(|u| {
                u.iter()
                    .map(|(k, v)| (k.clone(), self.config.absolute(v)))
                    .collect()
            })
            .unwrap_or_default(),
        )
    }
}
