//! The site kept in memory while serving, brought up to date after each change: an edited page
//! body re-renders that page, its feeds and the outputs that read it with `get_page`; template
//! and static changes render again from the loaded content; anything else (front matter, new or
//! deleted files, config) reloads everything. Outputs are compared with the previous ones, so
//! browsers are told exactly what changed.

use super::events::Change;
use crate::content::{self, frontmatter::Kind, Target};
use crate::error::Diagnostic;
use crate::markdown::highlight::Highlighter;
use crate::output::Memory;
use crate::site::{BuildOptions, Job, Site, Sites};
use hyper::body::Bytes;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The served files and the current problems.
#[derive(Debug, Default, Clone)]
pub struct Snapshot {
    /// Files by site key (`blog/a/index.html`).
    pub files: Arc<HashMap<String, Bytes>>,
    /// Errors of the last build (the files are then from the last good one), and warnings.
    pub problems: Vec<Diagnostic>,
}

impl Snapshot {
    /// Does the last build have errors?
    pub fn failed(&self) -> bool {
        self.problems.iter().any(Diagnostic::is_error)
    }
}

/// What an update did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Update {
    /// Site keys whose bytes changed, were added or removed.
    pub changed: Vec<String>,
    /// True when the build failed (the old files are kept).
    pub failed: bool,
    /// How the update was done: `page`, `render`, `full`.
    pub how: &'static str,
}

/// The in-memory site.
pub struct Workspace {
    opts: BuildOptions,
    site: Option<Site>,
    jobs: Vec<Job>,
    readers: HashMap<String, Vec<usize>>,
    highlighter: Highlighter,
    snapshot: Snapshot,
}

impl Workspace {
    /// Builds the site into memory.
    pub fn new(opts: BuildOptions) -> (Workspace, Update) {
        let highlighter = Highlighter::new(opts.cache_dir.clone());
        let mut w = Workspace {
            opts,
            site: None,
            jobs: Vec::new(),
            readers: HashMap::new(),
            highlighter,
            snapshot: Snapshot::default(),
        };
        let u = w.guarded(Workspace::full);
        (w, u)
    }

    /// [`Workspace::apply`], with a panic anywhere in the rebuild caught: it becomes an error in
    /// the snapshot (shown in the overlay and the terminal), the last good files stay, and the
    /// next change loads everything again.
    pub fn apply_guarded(&mut self, change: &Change) -> Update {
        self.guarded(|w| w.apply(change))
    }

    fn guarded(&mut self, f: impl FnOnce(&mut Workspace) -> Update) -> Update {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self))) {
            Ok(u) => u,
            Err(payload) => {
                self.site = None;
                self.fail(vec![panic_diagnostic(payload.as_ref())], "panic")
            }
        }
    }

    /// The current snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    /// Brings the site up to date after `change`.
    pub fn apply(&mut self, change: &Change) -> Update {
        match change {
            Change::Nothing => Update {
                how: "nothing",
                ..Update::default()
            },
            Change::Pages(paths) if !self.snapshot.failed() => self.pages(paths),
            Change::Render if !self.snapshot.failed() => self.render(),
            _ => self.full(),
        }
    }

    fn fail(&mut self, problems: Vec<Diagnostic>, how: &'static str) -> Update {
        // The browser overlay never shows where the site lies on this machine.
        let root = self.opts.root.display().to_string();
        self.snapshot.problems = problems
            .into_iter()
            .map(|mut d| {
                for p in [&mut d.path, &mut d.message] {
                    if p.contains(&root) {
                        *p = p.replace(&format!("{root}/"), "").replace(&root, ".");
                    }
                }
                d
            })
            .collect();
        Update {
            changed: Vec::new(),
            failed: true,
            how,
        }
    }

    /// Loads and renders everything. A site in several languages is kept only as its files:
    /// every later change renders it in full again.
    fn full(&mut self) -> Update {
        let mut sites = match Sites::load(&self.opts, &mut |_| {}) {
            Ok(s) => s,
            Err(e) => return self.fail(e.diagnostics, "full"),
        };
        let mut plans = match sites.plan() {
            Ok(j) => j,
            Err(e) => return self.fail(e.diagnostics, "full"),
        };
        let mem = Memory::default();
        let mut reads = Vec::new();
        for (site, jobs) in sites.sites.iter().zip(&plans) {
            match site.render_jobs(jobs, &mem) {
                Ok(r) => reads.extend(r),
                Err(e) => return self.fail(e.diagnostics, "full"),
            }
        }
        let files = take(mem);
        let warnings = sites.warnings();
        if sites.sites.len() == 1 {
            self.readers = index_readers(&reads);
            self.site = sites.sites.pop();
            self.jobs = plans.pop().unwrap_or_default();
        } else {
            self.readers = HashMap::new();
            self.site = None;
            self.jobs = Vec::new();
        }
        let changed = replace_all(&mut self.snapshot, files);
        self.snapshot.problems = warnings;
        Update {
            changed,
            failed: false,
            how: "full",
        }
    }

    /// Templates or static files changed: render everything again from the loaded content.
    fn render(&mut self) -> Update {
        let Some(site) = self.site.as_mut() else {
            return self.full();
        };
        if let Err(e) = site.reload_templates() {
            return self.fail(e.diagnostics, "render");
        }
        let jobs = match site.plan() {
            Ok(j) => j,
            Err(e) => return self.fail(e.diagnostics, "render"),
        };
        let mem = Memory::default();
        let reads = match site.render_jobs(&jobs, &mem) {
            Ok(r) => r,
            Err(e) => return self.fail(e.diagnostics, "render"),
        };
        self.readers = index_readers(&reads);
        self.jobs = jobs;
        let files = take(mem);
        let changed = replace_all(&mut self.snapshot, files);
        self.snapshot.problems.retain(|d| !d.is_error());
        Update {
            changed,
            failed: false,
            how: "render",
        }
    }

    /// Page bodies changed: when nothing that lists, links or sorts pages changed, render only
    /// those pages, their feeds and the outputs that read them; otherwise reload everything.
    fn pages(&mut self, paths: &[String]) -> Update {
        let Some(site) = self.site.as_mut() else {
            return self.full();
        };
        let mut jobs: Vec<Job> = Vec::new();
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        for cp in paths {
            let pi = match body_only_change(site, cp, &self.highlighter) {
                Ok(pi) => pi,
                Err(Slower::Full) => return self.full(),
                Err(Slower::Failed(d)) => return self.fail(d, "page"),
            };
            let readers = self.readers.get(cp.as_str()).into_iter().flatten();
            let read_by = readers.filter_map(|&ji| self.jobs.get(ji).cloned());
            for j in site.outputs_of_page(pi).into_iter().chain(read_by) {
                if wanted.insert(j.rel.clone()) {
                    jobs.push(j);
                }
            }
        }
        let mem = Memory::default();
        if let Err(e) = site.render_jobs(&jobs, &mem) {
            return self.fail(e.diagnostics, "page");
        }
        let map = Arc::make_mut(&mut self.snapshot.files);
        let mut changed = Vec::new();
        for (k, v) in take(mem) {
            if map.get(&k) != Some(&v) {
                changed.push(k.clone());
                map.insert(k, v);
            }
        }
        changed.sort();
        self.snapshot.problems.retain(|d| !d.is_error());
        Update {
            changed,
            failed: false,
            how: "page",
        }
    }
}

/// Why a page edit cannot take the fast path.
enum Slower {
    /// Something lists, links or sorts by what changed: reload everything.
    Full,
    /// The file has errors: keep the last good site and show these.
    Failed(Vec<Diagnostic>),
}

/// Reads the page at `cp` again; when only its body changed, and in a way no other output
/// sees, stores its new rendering and returns its index.
fn body_only_change(site: &mut Site, cp: &str, highlighter: &Highlighter) -> Result<usize, Slower> {
    let pi = site.page_index(cp).ok_or(Slower::Full)?;
    let file = format!("content/{cp}");
    let (parsed, diags) = content::read_markdown(
        &site.root.join(&file),
        &file,
        Kind::Page,
        &site.config.taxonomies,
    );
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Slower::Failed(diags));
    }
    let (meta, body, body_line) = parsed.ok_or(Slower::Full)?;
    let old = &site.lib.pages[pi];
    if meta != old.meta || body_line != old.body_line || !diags.is_empty() {
        return Err(Slower::Full);
    }
    let out = site.render_markdown_of(pi, &body, highlighter);
    if out.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Slower::Full);
    }
    let lib = &site.lib;
    let anchors_ok = out.anchors.iter().all(|a| {
        let ids = match lib.find(&a.target) {
            Some(Target::Page(i)) if i == pi => &out.rendered.ids,
            Some(Target::Page(i)) => &lib.pages[i].rendered.ids,
            Some(Target::Section(i)) => &lib.sections[i].rendered.ids,
            None => return false,
        };
        ids.contains(&a.anchor)
    });
    let (o, n) = (&old.rendered, &out.rendered);
    // A broken anchor goes to the full build, which reports it with its place; a changed
    // summary, length or heading list shows in lists and tables of contents.
    if !anchors_ok
        || o.summary != n.summary
        || o.word_count != n.word_count
        || o.reading_time != n.reading_time
        || o.ids != n.ids
        || o.toc != n.toc
        || !site.set_rendered(pi, out.rendered)
    {
        return Err(Slower::Full);
    }
    Ok(pi)
}

/// A caught panic as an error the author sees.
pub(crate) fn panic_diagnostic(payload: &(dyn std::any::Any + Send)) -> Diagnostic {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    Diagnostic::file(
        "kiosk",
        format!("internal error: {msg} (a bug in kiosk, not in your site: please report it with the file you saved)"),
    )
}

fn take(mem: Memory) -> HashMap<String, Bytes> {
    mem.files
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, Bytes::from(v)))
        .collect()
}

fn index_readers(reads: &[Vec<String>]) -> HashMap<String, Vec<usize>> {
    let mut m: HashMap<String, Vec<usize>> = HashMap::new();
    for (ji, r) in reads.iter().enumerate() {
        for path in r {
            m.entry(path.clone()).or_default().push(ji);
        }
    }
    m
}

/// Replaces all files; returns the keys that differ.
fn replace_all(snap: &mut Snapshot, files: HashMap<String, Bytes>) -> Vec<String> {
    let old = &snap.files;
    let mut changed: Vec<String> = files
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .chain(old.keys().filter(|k| !files.contains_key(*k)).cloned())
        .collect();
    changed.sort();
    snap.files = Arc::new(files);
    changed
}
