//! Site: runs the stages in order (config → templates → content → markdown → render → output)
//! and reports every problem found on the way.

pub mod shop;
pub mod views;

use crate::config::Config;
use crate::content::taxonomy::{self, term_path, Taxonomy};
use crate::content::{self, slug, Library, LoadOptions, Target};
use crate::error::{BuildFailed, Diagnostic, Diagnostics};
use crate::feeds;
use crate::markdown::{self, highlight::Highlighter, AnchorRef};
use crate::output::{Sink, Staging};
use crate::templates::{self, Templates, UrlMap};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use unicode_normalization::UnicodeNormalization;
use views::{pager_count, pager_path, paginator, Views};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (holds `kiosk.yaml`).
    pub root: PathBuf,
    /// Output directory (default: `output_dir` from the config, relative to the root).
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
    /// "Now", for scheduled posts.
    pub now: jiff::Timestamp,
}

impl BuildOptions {
    /// Defaults for a site at `root`: cache in `root/.kiosk-cache`.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
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
            now: jiff::Timestamp::now(),
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

/// A loaded, rendered-to-HTML-fragments site, ready to be written.
pub struct Site {
    /// Resolved config.
    pub config: Config,
    /// Root directory.
    pub root: PathBuf,
    /// Pages and sections.
    pub lib: Arc<Library>,
    /// Taxonomies.
    pub taxonomies: Arc<Vec<Taxonomy>>,
    templates: Templates,
    warnings: Vec<Diagnostic>,
}

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

/// Builds the site into its output directory: everything or nothing.
pub fn build(
    opts: &BuildOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, BuildFailed> {
    let site = Site::load(opts, progress)?;
    let out = output_dir(opts, &site.config)?;
    let foreign = out.is_dir()
        && !crate::output::work_dir(&out).exists()
        && std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_some());
    if foreign && !opts.force {
        return Err(fail(Diagnostic::file(
            out.display().to_string(),
            "this folder is not empty and was not made by kiosk; its contents would be replaced. Choose another --output, empty it, or pass --force",
        )));
    }
    let staging = Staging::new(&out).map_err(|e| {
        fail(Diagnostic::file(
            out.display().to_string(),
            format!("cannot create the output directory: {e}"),
        ))
    })?;
    let written = site.render(&staging, progress)?;
    let files = written.len();
    timed(progress, "write", || {
        let r = staging.commit(&written);
        (r, format!("{} files to {}", files, out.display()))
    })
    .map_err(|e| {
        fail(Diagnostic::file(
            out.display().to_string(),
            format!("cannot replace the output directory: {e}"),
        ))
    })?;
    Ok(Report {
        pages: site.lib.pages.len(),
        sections: site.lib.sections.len(),
        files,
        warnings: site.warnings,
        output: out,
    })
}

fn fail(d: Diagnostic) -> BuildFailed {
    BuildFailed {
        diagnostics: vec![d],
    }
}

/// Resolves the output directory and refuses places that would destroy the site itself.
pub fn output_dir(opts: &BuildOptions, config: &Config) -> Result<PathBuf, BuildFailed> {
    let out = match &opts.output {
        Some(o) => o.clone(),
        None => opts.root.join(&config.output_dir),
    };
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Lexical normalisation: the output directory may not exist yet.
        let mut n = PathBuf::new();
        for c in p.components() {
            match c {
                std::path::Component::ParentDir => {
                    n.pop();
                }
                std::path::Component::CurDir => {}
                c => n.push(c),
            }
        }
        n
    };
    let root = std::fs::canonicalize(&opts.root).unwrap_or_else(|_| abs(&opts.root));
    let out_abs = abs(&out);
    let out_real = match (out_abs.parent(), out_abs.file_name()) {
        (Some(parent), Some(name)) => std::fs::canonicalize(parent)
            .map(|p| p.join(name))
            .unwrap_or(out_abs.clone()),
        _ => out_abs.clone(),
    };
    let protected = ["content", "templates", "static", "themes"];
    let bad = root.starts_with(&out_real)
        || out_real.file_name().is_none()
        || protected.iter().any(|d| out_real.starts_with(root.join(d)));
    if bad {
        return Err(fail(Diagnostic::file(
            crate::config::CONFIG_FILE,
            format!(
                "refusing to use `{}` as output directory: it is the site itself, contains it, or is one of its input folders",
                out.display()
            ),
        )));
    }
    Ok(out_real)
}

impl Site {
    /// Loads config, templates and content, and renders all markdown.
    pub fn load(
        opts: &BuildOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Site, BuildFailed> {
        let mut diags = Diagnostics::default();
        // Reading the highlight cache (100+ MB on big sites) overlaps with loading content.
        let cache_dir = opts.cache_dir.clone();
        let loading_cache = std::thread::spawn(move || Highlighter::new(cache_dir));
        let root = opts.root.clone();
        let (config, templates) = timed(progress, "config", || {
            let mut config = match Config::load(&root) {
                Ok(c) => c,
                Err(e) => return (Err(e), String::new()),
            };
            if let Some(url) = &opts.base_url {
                if let Err(msg) = config.set_base_url(url) {
                    return (
                        Err(vec![Diagnostic::file("--base-url", msg)]),
                        String::new(),
                    );
                }
            }
            let templates = templates::sources(&root)
                .and_then(|s| Templates::new(&s, &config.language, &config.currency));
            let detail = format!("{} at {}", config.title, config.base_url);
            (templates.map(|t| (config, t)), detail)
        })
        .map_err(|d| BuildFailed { diagnostics: d })?;
        let mut templates = templates;

        let load_opts = LoadOptions {
            drafts: opts.drafts,
            future: opts.future,
            now: opts.now,
        };
        let (mut lib, taxonomies) = timed(progress, "content", || {
            let (lib, d) = content::load(&root, &config, &load_opts);
            diags.extend(d);
            let (tax, d) = taxonomy::collect(&lib, &config);
            diags.extend(d);
            let detail = format!(
                "{} pages in {} sections",
                lib.pages.len(),
                lib.sections.len()
            );
            ((lib, tax), detail)
        });
        check_page_templates(&lib, &templates, &mut diags);
        diags.extend(static_symlinks(&root));
        // No check here: the markdown stage still runs on every page that loaded, so links and
        // shortcodes are reported in the same run as front matter errors.

        let urls = url_map(&lib);
        let _ = templates.data.urls.set(urls.clone());
        let _ = templates.data.base_url.set(config.base_url.clone());
        let _ = templates.data.products.set(product_cards(&lib, &config));
        if config.newsletter.is_some() {
            let views = Views {
                lib: &lib,
                config: &config,
                taxonomies: &taxonomies,
            };
            if views.privacy_page().is_none() {
                diags.push(Diagnostic::file(
                    crate::config::CONFIG_FILE,
                    "the newsletter form needs a privacy page to link in its consent sentence: add content/datenschutz.md or set `newsletter.privacy_page: \"@/…\"`",
                ));
            }
        }
        let highlighter = loading_cache
            .join()
            .unwrap_or_else(|_| Highlighter::new(None));
        timed(progress, "markdown", || {
            let d = render_markdown(&mut lib, &config, &templates, &urls, &highlighter);
            diags.extend(d);
            let stats = if opts.cache_read_only {
                Ok(Default::default())
            } else {
                highlighter.save()
            };
            let detail = match stats {
                Ok(s) => format!(
                    "{} code blocks highlighted, {} from cache",
                    s.misses, s.hits
                ),
                Err(e) => {
                    diags.push(Diagnostic::warning(
                        ".kiosk-cache",
                        0,
                        0,
                        format!("cannot write the highlight cache: {e}"),
                    ));
                    String::new()
                }
            };
            ((), detail)
        });
        diags.check()?;

        let css = crate::markdown::highlight::stylesheet(
            &config.highlighting.light,
            &config.highlighting.dark,
        );
        if let Err(msg) = &css {
            diags.push(Diagnostic::file(crate::config::CONFIG_FILE, msg.clone()));
        }
        diags.check()?;

        let lib = Arc::new(lib);
        let taxonomies = Arc::new(taxonomies);
        let site_value = {
            let views = Views {
                lib: &lib,
                config: &config,
                taxonomies: &taxonomies,
            };
            tera::Value::from_serializable(&views.site())
        };
        templates.set_global("site", site_value);
        set_lookup(&templates, &lib, &taxonomies, &config);
        let warnings = diags.take_sorted();
        Ok(Site {
            config,
            root,
            lib,
            taxonomies,
            templates,
            warnings,
        })
    }

    /// Warnings found while loading.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Renders every output file into `sink`; returns the paths written.
    pub fn render(
        &self,
        sink: &dyn Sink,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<std::collections::HashSet<String>, BuildFailed> {
        let jobs = timed(progress, "plan", || {
            let j = self.plan();
            let n = j.as_ref().map(|j| j.len()).unwrap_or(0);
            (j, format!("{n} output files"))
        })?;
        timed(progress, "render", || {
            let r = self.render_jobs(&jobs, sink);
            (r, format!("{} files", jobs.len()))
        })?;
        Ok(jobs.into_iter().map(|j| j.rel).collect())
    }

    /// Lists every output file of the site.
    pub fn plan(&self) -> Result<Vec<Job>, BuildFailed> {
        let views = Views {
            lib: &self.lib,
            config: &self.config,
            taxonomies: &self.taxonomies,
        };
        plan(&views, &self.root)
    }

    /// Renders `jobs` into `sink` in parallel. Returns, for each job, the pages whose full
    /// content its templates read with `get_page`.
    pub fn render_jobs(
        &self,
        jobs: &[Job],
        sink: &dyn Sink,
    ) -> Result<Vec<Vec<String>>, BuildFailed> {
        let views = Views {
            lib: &self.lib,
            config: &self.config,
            taxonomies: &self.taxonomies,
        };
        let results: Vec<(Result<(), Diagnostic>, Vec<String>)> = jobs
            .par_iter()
            .map(|job| {
                templates::take_reads();
                let r = self.run(job, &views, sink);
                (r, templates::take_reads())
            })
            .collect();
        let mut diags = Diagnostics::default();
        let mut reads = Vec::with_capacity(results.len());
        for (r, rd) in results {
            if let Err(d) = r {
                diags.push(d);
            }
            reads.push(rd);
        }
        diags.check()?;
        Ok(reads)
    }

    /// The jobs for one page's output and the feeds that include it (for `serve`).
    pub fn page_jobs(&self, pi: usize) -> Vec<Job> {
        let views = Views {
            lib: &self.lib,
            config: &self.config,
            taxonomies: &self.taxonomies,
        };
        let p = &self.lib.pages[pi];
        let mut jobs = vec![Job {
            rel: index_of(&p.path),
            source: p.file.clone(),
            kind: JobKind::Page(pi),
        }];
        if p.date.is_some() {
            let s = &self.lib.sections[p.section];
            if p.section > 0 {
                let source = s.file.clone().unwrap_or_default();
                feed_jobs(
                    &views,
                    &s.path,
                    &s.title,
                    &section_dated(&self.lib, p.section),
                    &source,
                    &mut jobs,
                );
            }
            feed_jobs(
                &views,
                "/",
                &self.config.title,
                &self.lib.dated_pages(),
                "kiosk (generated)",
                &mut jobs,
            );
        }
        jobs
    }

    /// Renders one page's markdown again (for `serve`), as the markdown stage would.
    pub fn render_markdown_of(
        &self,
        pi: usize,
        body: &str,
        highlighter: &Highlighter,
    ) -> markdown::Output {
        let p = &self.lib.pages[pi];
        let urls = self.templates.data.urls.get().cloned().unwrap_or_default();
        let mut out = markdown_one(
            &self.config,
            &self.templates,
            &urls,
            highlighter,
            &p.file,
            p.body_line,
            body,
        );
        let mut blocks = p.blocks.clone();
        for b in &mut blocks {
            for md in b.markdown_mut() {
                let o = markdown_one(
                    &self.config,
                    &self.templates,
                    &urls,
                    highlighter,
                    &p.file,
                    md.line,
                    &md.source,
                );
                md.html = o.rendered.html;
                out.diagnostics.extend(o.diagnostics);
            }
        }
        out
    }

    /// Replaces what markdown rendering produced for page `pi` (for `serve`).
    pub fn set_rendered(&mut self, pi: usize, rendered: markdown::Rendered) -> bool {
        let old = self
            .templates
            .data
            .lookup
            .write()
            .ok()
            .and_then(|mut l| l.take());
        drop(old);
        let ok = match Arc::get_mut(&mut self.lib) {
            Some(lib) => {
                lib.pages[pi].rendered = rendered;
                true
            }
            None => false,
        };
        set_lookup(&self.templates, &self.lib, &self.taxonomies, &self.config);
        ok
    }

    /// Reads the templates again (for `serve`); the content stays as loaded.
    pub fn reload_templates(&mut self) -> Result<(), BuildFailed> {
        let sources = templates::sources(&self.root).map_err(|d| BuildFailed { diagnostics: d })?;
        let templates = Templates::new(&sources, &self.config.language, &self.config.currency)
            .map_err(|d| BuildFailed { diagnostics: d })?;
        let mut diags = Diagnostics::default();
        check_page_templates(&self.lib, &templates, &mut diags);
        diags.check()?;
        let _ = templates.data.urls.set(url_map(&self.lib));
        let _ = templates.data.base_url.set(self.config.base_url.clone());
        let _ = templates
            .data
            .products
            .set(product_cards(&self.lib, &self.config));
        let views = Views {
            lib: &self.lib,
            config: &self.config,
            taxonomies: &self.taxonomies,
        };
        let mut templates = templates;
        templates.set_global("site", tera::Value::from_serializable(&views.site()));
        set_lookup(&templates, &self.lib, &self.taxonomies, &self.config);
        self.templates = templates;
        Ok(())
    }

    /// Page index of a `content/`-relative path.
    pub fn page_index(&self, content_path: &str) -> Option<usize> {
        self.lib
            .pages
            .iter()
            .position(|p| p.content_path == content_path)
    }

    fn run(&self, job: &Job, views: &Views, sink: &dyn Sink) -> Result<(), Diagnostic> {
        let write_err = |e: std::io::Error| {
            Diagnostic::file(
                job.source.clone(),
                format!("cannot write `{}`: {e}", job.rel),
            )
        };
        let html = match &job.kind {
            JobKind::Copy(src) => return sink.copy(&job.rel, src).map_err(write_err),
            JobKind::Bytes(b) => return sink.write(&job.rel, b).map_err(write_err),
            JobKind::Page(pi) => {
                let p = &self.lib.pages[*pi];
                let mut ctx = tera::Context::new();
                ctx.insert("page", &views.page(*pi));
                ctx.insert("current_path", &p.path);
                ctx.insert("current_url", &self.config.absolute(&p.path));
                ctx.insert("json_ld", &views.page_json_ld(*pi));
                self.templates.render(page_template(p), &ctx, &p.file)?
            }
            JobKind::Section { si, pager } => {
                let s = &self.lib.sections[*si];
                let per = s.meta.paginate_by.unwrap_or(self.config.paginate_by);
                let path = pager_path(&s.path, pager + 1);
                let pg = paginator(views, &s.path, &s.pages, per, *pager);
                let on_page: &[usize] = if per == 0 {
                    &s.pages
                } else {
                    s.pages.chunks(per).nth(*pager).unwrap_or(&[])
                };
                let mut ctx = tera::Context::new();
                ctx.insert("section", &views.section(*si, on_page));
                ctx.insert("paginator", &pg);
                ctx.insert("current_url", &self.config.absolute(&path));
                ctx.insert("current_path", &path);
                ctx.insert("json_ld", &views.section_json_ld(*si));
                ctx.insert("kinds", &views.kinds(*si, None));
                ctx.insert("topics", &views.topics(*si));
                ctx.insert("kind", &None::<&str>);
                let file = s.file.as_deref().unwrap_or(&job.source);
                self.templates.render(section_template(s), &ctx, file)?
            }
            JobKind::Kind { si, kind } => {
                let s = &self.lib.sections[*si];
                let on_page: Vec<usize> = s
                    .pages
                    .iter()
                    .copied()
                    .filter(|&p| {
                        self.lib.pages[p]
                            .product
                            .as_ref()
                            .is_some_and(|x| x.kind == *kind)
                    })
                    .collect();
                let path = format!("{}{}/", s.path, kind.slug(&self.config.language));
                let pg = paginator(views, &path, &on_page, 0, 0);
                let mut ctx = tera::Context::new();
                ctx.insert("section", &views.section(*si, &on_page));
                ctx.insert("paginator", &pg);
                ctx.insert("current_url", &self.config.absolute(&path));
                ctx.insert("current_path", &path);
                ctx.insert("json_ld", &views.section_json_ld(*si));
                ctx.insert("kinds", &views.kinds(*si, Some(*kind)));
                ctx.insert("topics", &views.topics(*si));
                ctx.insert("kind", &kind.plural(&self.config.language));
                let file = s.file.as_deref().unwrap_or(&job.source);
                self.templates.render("catalogue.html", &ctx, file)?
            }
            JobKind::TaxonomyList(ti) => {
                let mut ctx = tera::Context::new();
                let t = views.taxonomy(*ti, true);
                ctx.insert("current_path", &format!("/{}/", t.name));
                ctx.insert("current_url", &t.url);
                ctx.insert("json_ld", &Vec::<String>::new());
                ctx.insert("taxonomy", &t);
                self.templates
                    .render("taxonomy_list.html", &ctx, &job.source)?
            }
            JobKind::Term { ti, term, pager } => {
                let tax = &self.taxonomies[*ti];
                let t = &tax.terms[*term];
                let base = term_path(&tax.name, &t.slug);
                let path = pager_path(&base, pager + 1);
                let pg = paginator(views, &base, &t.pages, self.config.paginate_by, *pager);
                let mut ctx = tera::Context::new();
                ctx.insert("taxonomy", &views.taxonomy(*ti, false));
                ctx.insert("term", &views.term(*ti, t));
                ctx.insert("paginator", &pg);
                ctx.insert("current_url", &self.config.absolute(&path));
                ctx.insert("current_path", &path);
                self.templates
                    .render("taxonomy_term.html", &ctx, &job.source)?
            }
            JobKind::NotFound => {
                let mut ctx = tera::Context::new();
                ctx.insert("current_path", "/404.html");
                ctx.insert("current_url", &self.config.absolute("/404.html"));
                ctx.insert("json_ld", &Vec::<String>::new());
                self.templates.render("404.html", &ctx, &job.source)?
            }
        };
        sink.write(&job.rel, html.as_bytes()).map_err(write_err)
    }
}

fn section_template(s: &content::Section) -> &str {
    match &s.meta.template {
        Some(t) => &t.value,
        None if s.dir.is_empty() => "index.html",
        None if s.has_products => "catalogue.html",
        None => "section.html",
    }
}

fn page_template(p: &content::Page) -> &str {
    match &p.meta.template {
        Some(t) => &t.value,
        None if !p.blocks.is_empty() => "landing.html",
        None if p.product.is_some() => "product.html",
        None => "page.html",
    }
}

fn check_page_templates(lib: &Library, templates: &Templates, diags: &mut Diagnostics) {
    let named = lib
        .pages
        .iter()
        .filter_map(|p| p.meta.template.as_ref().map(|t| (&p.file, t)))
        .chain(
            lib.sections
                .iter()
                .filter_map(|s| Some((s.file.as_ref()?, s.meta.template.as_ref()?))),
        );
    for (file, t) in named {
        if !templates.has(&t.value) {
            diags.push(Diagnostic::error(
                file.as_str(),
                t.line,
                t.col,
                format!(
                    "template `{}` not found in templates/ or the theme",
                    t.value
                ),
            ));
        }
    }
}

/// Product cards for `get_product`, by `content/`-relative path (before markdown, so shortcodes
/// can use them).
fn product_cards(lib: &Library, config: &Config) -> BTreeMap<String, tera::Value> {
    let none: Vec<Taxonomy> = Vec::new();
    let views = Views {
        lib,
        config,
        taxonomies: &none,
    };
    lib.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.product.is_some())
        .map(|(i, p)| {
            (
                p.content_path.clone(),
                tera::Value::from_serializable(&views.card(i)),
            )
        })
        .collect()
}

/// `content/`-relative path → site path, for `@/` links and `get_url`.
fn url_map(lib: &Library) -> UrlMap {
    let mut m = BTreeMap::new();
    for p in &lib.pages {
        m.insert(p.content_path.clone(), p.path.clone());
    }
    for s in &lib.sections {
        m.insert(s.content_path.clone(), s.path.clone());
        if !s.dir.is_empty() {
            m.insert(s.dir.clone(), s.path.clone());
            m.insert(format!("{}/", s.dir), s.path.clone());
        }
    }
    Arc::new(m)
}

/// Renders one markdown text in the site's context (links, shortcodes, highlighting).
fn markdown_one(
    config: &Config,
    templates: &Templates,
    urls: &UrlMap,
    highlighter: &Highlighter,
    file: &str,
    first_line: usize,
    body: &str,
) -> markdown::Output {
    let resolve = |p: &str| {
        urls.get(p.trim_start_matches('/'))
            .map(|u| config.absolute(u))
    };
    let is_shortcode = |n: &str| templates.has(&format!("shortcodes/{n}.html"));
    let shortcode = |call: &markdown::shortcodes::Call| -> Result<String, String> {
        let ctx = tera::Context::from_serialize(&call.args).map_err(|e| e.to_string())?;
        templates
            .render(
                &format!("shortcodes/{}.html", call.name),
                &ctx,
                "a shortcode",
            )
            .map_err(|d| {
                let msg = d.message.trim_end_matches(" (while rendering a shortcode)");
                format!(
                    "shortcode `{}`: {msg} (in {}:{})",
                    call.name, d.path, d.line
                )
            })
    };
    let ctx = markdown::Context {
        lang: &config.language,
        file,
        first_line,
        resolve: &resolve,
        highlighter,
        is_shortcode: &is_shortcode,
        shortcode: &shortcode,
    };
    markdown::render(body, &ctx)
}

fn render_markdown(
    lib: &mut Library,
    config: &Config,
    templates: &Templates,
    urls: &UrlMap,
    highlighter: &Highlighter,
) -> Vec<Diagnostic> {
    let render_one = |file: &str, first_line: usize, body: &str| {
        markdown_one(config, templates, urls, highlighter, file, first_line, body)
    };
    let mut anchors: Vec<(String, AnchorRef)> = Vec::new();
    let mut diags = Vec::new();
    // The markdown source is not needed after rendering: dropping each body as soon as it is
    // rendered keeps peak memory down on big sites.
    let page_out: Vec<markdown::Output> = lib
        .pages
        .par_iter_mut()
        .map(|p| {
            let body = std::mem::take(&mut p.body);
            let mut out = render_one(&p.file, p.body_line, &body);
            for block in &mut p.blocks {
                for md in block.markdown_mut() {
                    let o = render_one(&p.file, md.line, &md.source);
                    md.html = o.rendered.html;
                    out.diagnostics.extend(o.diagnostics);
                }
            }
            out
        })
        .collect();
    for (p, o) in lib.pages.iter_mut().zip(page_out) {
        diags.extend(o.diagnostics);
        anchors.extend(o.anchors.into_iter().map(|a| (p.file.clone(), a)));
        p.rendered = o.rendered;
    }
    let section_out: Vec<markdown::Output> = lib
        .sections
        .par_iter()
        .map(|s| render_one(s.file.as_deref().unwrap_or(""), s.body_line, &s.body))
        .collect();
    for (s, o) in lib.sections.iter_mut().zip(section_out) {
        diags.extend(o.diagnostics);
        anchors.extend(
            o.anchors
                .into_iter()
                .map(|a| (s.file.clone().unwrap_or_default(), a)),
        );
        s.rendered = o.rendered;
    }
    for (file, a) in anchors {
        let ids = match lib.find(&a.target) {
            Some(Target::Page(i)) => &lib.pages[i].rendered.ids,
            Some(Target::Section(i)) => &lib.sections[i].rendered.ids,
            None => continue,
        };
        if !ids.contains(&a.anchor) {
            diags.push(Diagnostic::error(
                file,
                a.line,
                a.col,
                format!(
                    "internal link to `@/{}#{}`: that page has no heading with id `{}`",
                    a.target, a.anchor, a.anchor
                ),
            ));
        }
    }
    diags
}

fn set_lookup(
    templates: &Templates,
    lib: &Arc<Library>,
    taxonomies: &Arc<Vec<Taxonomy>>,
    config: &Config,
) {
    if let Ok(mut l) = templates.data.lookup.write() {
        *l = Some(Box::new(SiteLookup {
            lib: lib.clone(),
            taxonomies: taxonomies.clone(),
            config: config.clone(),
        }));
    }
}

fn section_dated(lib: &Library, si: usize) -> Vec<usize> {
    let mut dated: Vec<usize> = lib.sections[si]
        .pages
        .iter()
        .copied()
        .filter(|&p| lib.pages[p].date.is_some())
        .collect();
    dated.sort_by_key(|&p| std::cmp::Reverse(lib.pages[p].date.map(|d| d.timestamp())));
    dated
}

/// Pages, sections and taxonomies for `get_page` and friends.
struct SiteLookup {
    lib: Arc<Library>,
    taxonomies: Arc<Vec<Taxonomy>>,
    config: Config,
}

impl templates::Lookup for SiteLookup {
    fn page(&self, path: &str) -> Option<tera::Value> {
        let views = Views {
            lib: &self.lib,
            config: &self.config,
            taxonomies: &self.taxonomies,
        };
        match self.lib.find(path) {
            Some(Target::Page(i)) => Some(tera::Value::from_serializable(&views.page(i))),
            _ => None,
        }
    }
    fn section(&self, path: &str) -> Option<tera::Value> {
        let views = Views {
            lib: &self.lib,
            config: &self.config,
            taxonomies: &self.taxonomies,
        };
        match self.lib.find(path) {
            Some(Target::Section(i)) => Some(tera::Value::from_serializable(
                &views.section(i, &self.lib.sections[i].pages),
            )),
            _ => None,
        }
    }
    fn taxonomy(&self, name: &str) -> Option<tera::Value> {
        let views = Views {
            lib: &self.lib,
            config: &self.config,
            taxonomies: &self.taxonomies,
        };
        let i = self.taxonomies.iter().position(|t| t.name == name)?;
        Some(tera::Value::from_serializable(&views.taxonomy(i, true)))
    }
}

/// One output file and how to make it.
#[derive(Clone)]
pub struct Job {
    /// Path below the output root.
    pub rel: String,
    /// What produced it, for collision and error messages.
    pub source: String,
    /// How to make it.
    pub kind: JobKind,
}

/// How an output file is made.
#[derive(Clone)]
pub enum JobKind {
    /// Render a page.
    Page(usize),
    /// Render one list page of a section.
    Section {
        /// Section.
        si: usize,
        /// 0-based list page.
        pager: usize,
    },
    /// Render a taxonomy's index.
    TaxonomyList(usize),
    /// Render one list page of a term.
    Term {
        /// Taxonomy.
        ti: usize,
        /// Term.
        term: usize,
        /// 0-based list page.
        pager: usize,
    },
    /// Render the catalogue filtered to one product kind.
    Kind {
        /// Section.
        si: usize,
        /// Kind.
        kind: content::product::Kind,
    },
    /// Render `404.html`.
    NotFound,
    /// Copy a file.
    Copy(PathBuf),
    /// Write these bytes.
    Bytes(Vec<u8>),
}

fn index_of(path: &str) -> String {
    let p = path.trim_matches('/');
    if p.is_empty() {
        "index.html".into()
    } else {
        format!("{p}/index.html")
    }
}

/// Lists every output file, checking that no two sources claim the same path (also when they
/// differ only in case or Unicode normalisation) and that every path stays inside the output.
fn plan(views: &Views, root: &Path) -> Result<Vec<Job>, BuildFailed> {
    let lib = views.lib;
    let config = views.config;
    let mut jobs = Vec::new();
    let mut diags = Diagnostics::default();
    for (i, p) in lib.pages.iter().enumerate() {
        jobs.push(Job {
            rel: index_of(&p.path),
            source: p.file.clone(),
            kind: JobKind::Page(i),
        });
        for a in &p.assets {
            jobs.push(Job {
                rel: format!("{}{}", p.path.trim_start_matches('/'), a.rel),
                source: a.file.clone(),
                kind: JobKind::Copy(a.src.clone()),
            });
        }
        for alias in &p.meta.aliases {
            match slug::safe_components(&alias.value) {
                Ok(c) if !c.is_empty() => {
                    let joined = c.join("/");
                    let rel = if joined.ends_with(".html") || joined.ends_with(".htm") {
                        joined
                    } else {
                        format!("{joined}/index.html")
                    };
                    jobs.push(Job {
                        rel,
                        source: p.file.clone(),
                        kind: JobKind::Bytes(
                            feeds::redirect(&config.absolute(&p.path)).into_bytes(),
                        ),
                    });
                }
                Ok(_) => diags.push(Diagnostic::error(
                    &p.file,
                    alias.line,
                    alias.col,
                    "alias `/` would replace the home page",
                )),
                Err(e) => diags.push(Diagnostic::error(
                    &p.file,
                    alias.line,
                    alias.col,
                    format!("alias {}", e.0),
                )),
            }
        }
    }
    for (i, s) in lib.sections.iter().enumerate() {
        let source = s.file.clone().unwrap_or_else(|| {
            format!("content/{}", s.dir)
                .trim_end_matches('/')
                .to_string()
        });
        let per = s.meta.paginate_by.unwrap_or(config.paginate_by);
        for pager in 0..pager_count(s.pages.len(), per) {
            let path = pager_path(&s.path, pager + 1);
            jobs.push(Job {
                rel: index_of(&path),
                source: source.clone(),
                kind: JobKind::Section { si: i, pager },
            });
        }
        for a in &s.assets {
            jobs.push(Job {
                rel: format!("{}{}", s.path.trim_start_matches('/'), a.rel),
                source: a.file.clone(),
                kind: JobKind::Copy(a.src.clone()),
            });
        }
        let mut kinds: Vec<content::product::Kind> = s
            .pages
            .iter()
            .filter_map(|&p| lib.pages[p].product.as_ref().map(|x| x.kind))
            .collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let path = format!("{}{}/", s.path, kind.slug(&config.language));
            jobs.push(Job {
                rel: index_of(&path),
                source: format!("{source} (catalogue page {path})"),
                kind: JobKind::Kind { si: i, kind },
            });
        }
        let dated: Vec<usize> = s
            .pages
            .iter()
            .copied()
            .filter(|&p| lib.pages[p].date.is_some())
            .collect();
        if i > 0 && !dated.is_empty() {
            let mut dated = dated;
            dated.sort_by_key(|&p| std::cmp::Reverse(lib.pages[p].date.map(|d| d.timestamp())));
            feed_jobs(views, &s.path, &s.title, &dated, &source, &mut jobs);
        }
    }
    for (ti, t) in views.taxonomies.iter().enumerate() {
        if t.terms.is_empty() {
            continue;
        }
        let source = format!("taxonomy `{}` (kiosk.yaml)", t.name);
        jobs.push(Job {
            rel: format!("{}/index.html", t.name),
            source: source.clone(),
            kind: JobKind::TaxonomyList(ti),
        });
        for (term, tm) in t.terms.iter().enumerate() {
            for pager in 0..pager_count(tm.pages.len(), config.paginate_by) {
                let base = term_path(&t.name, &tm.slug);
                let path = pager_path(&base, pager + 1);
                jobs.push(Job {
                    rel: index_of(&path),
                    source: format!("{} term `{}`", t.name, tm.name),
                    kind: JobKind::Term { ti, term, pager },
                });
            }
        }
    }
    let generated = "kiosk (generated)".to_string();
    jobs.push(Job {
        rel: "404.html".into(),
        source: generated.clone(),
        kind: JobKind::NotFound,
    });
    let recent = lib.dated_pages();
    feed_jobs(views, "/", &config.title, &recent, &generated, &mut jobs);
    jobs.push(Job {
        rel: "robots.txt".into(),
        source: generated.clone(),
        kind: JobKind::Bytes(feeds::robots(&config.absolute("/sitemap.xml")).into_bytes()),
    });
    jobs.push(Job {
        rel: "sitemap.xml".into(),
        source: generated.clone(),
        kind: JobKind::Bytes(sitemap(views).into_bytes()),
    });
    if let Ok(css) = crate::markdown::highlight::stylesheet(
        &config.highlighting.light,
        &config.highlighting.dark,
    ) {
        jobs.push(Job {
            rel: "highlight.css".into(),
            source: generated.clone(),
            kind: JobKind::Bytes(css.into_bytes()),
        });
    }
    static_jobs(root, &mut jobs, &mut diags);

    // Collisions: exact, and after case folding and Unicode normalisation.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, j) in jobs.iter().enumerate() {
        if crate::output::join_inside(Path::new("/"), &j.rel).is_err() {
            diags.push(Diagnostic::file(
                j.source.clone(),
                format!("output path `{}` escapes the output directory", j.rel),
            ));
            continue;
        }
        if let Some(bad) = j.rel.split('/').find(|c| windows_reserved(c)) {
            diags.push(Diagnostic::file(
                j.source.clone(),
                format!("output path `{}` uses `{bad}`, a name Windows reserves (the site could not be checked out there); change the slug", j.rel),
            ));
        }
        let folded: String = j.rel.nfc().collect::<String>().to_lowercase();
        if let Some(&other) = seen.get(&folded) {
            let o = &jobs[other];
            let how = if o.rel == j.rel {
                String::new()
            } else {
                format!(
                    " (`{}` and `{}` differ only in case or Unicode form)",
                    o.rel, j.rel
                )
            };
            diags.push(Diagnostic::file(
                j.source.clone(),
                format!(
                    "`{}` and `{}` both produce `/{}`{how}; change a slug, file name or alias",
                    o.source, j.source, j.rel
                ),
            ));
        } else {
            seen.insert(folded, i);
        }
    }
    diags.check()?;
    Ok(jobs)
}

/// `con`, `aux`, `nul`, `com1`… (with any extension): names Windows cannot create.
fn windows_reserved(component: &str) -> bool {
    let stem = component
        .split('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

fn feed_jobs(
    views: &Views,
    base: &str,
    title: &str,
    pages: &[usize],
    source: &str,
    jobs: &mut Vec<Job>,
) {
    let lib = views.lib;
    let config = views.config;
    let limit = config.feed_limit.max(1);
    let entries: Vec<feeds::Entry> = pages
        .iter()
        .take(limit)
        .filter_map(|&pi| {
            let p = &lib.pages[pi];
            let mut cats: Vec<&str> = p
                .meta
                .taxonomies
                .values()
                .flat_map(|t| t.value.iter().map(String::as_str))
                .collect();
            cats.dedup();
            Some(feeds::Entry {
                title: &p.title,
                url: config.absolute(&p.path),
                date: p.date?,
                updated: p.meta.updated.as_ref().map(|u| u.value),
                summary: p.meta.description.as_deref(),
                content: &p.rendered.html,
                categories: cats,
            })
        })
        .collect();
    let base_rel = base.trim_matches('/');
    let rel = |f: &str| {
        if base_rel.is_empty() {
            f.to_string()
        } else {
            format!("{base_rel}/{f}")
        }
    };
    let feed_title = if base == "/" {
        title.to_string()
    } else {
        format!("{title} – {}", config.title)
    };
    let mut feed = feeds::Feed {
        title: &feed_title,
        description: &config.description,
        home: config.absolute(base),
        self_url: config.absolute(&format!("/{}", rel("atom.xml"))),
        author: &config.author.name,
        language: &config.language,
    };
    jobs.push(Job {
        rel: rel("atom.xml"),
        source: source.to_string(),
        kind: JobKind::Bytes(feeds::atom(&feed, &entries).into_bytes()),
    });
    feed.self_url = config.absolute(&format!("/{}", rel("rss.xml")));
    jobs.push(Job {
        rel: rel("rss.xml"),
        source: source.to_string(),
        kind: JobKind::Bytes(feeds::rss(&feed, &entries).into_bytes()),
    });
}

fn sitemap(views: &Views) -> String {
    let lib = views.lib;
    let config = views.config;
    let mut urls: Vec<(String, Option<String>)> = Vec::new();
    for p in &lib.pages {
        let m = p
            .meta
            .updated
            .as_ref()
            .map(|u| u.value)
            .or(p.date)
            .map(|d| d.datetime.date().to_string());
        urls.push((config.absolute(&p.path), m));
    }
    for s in &lib.sections {
        urls.push((config.absolute(&s.path), None));
    }
    for t in views.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        urls.push((config.absolute(&format!("/{}/", t.name)), None));
        for term in &t.terms {
            urls.push((config.absolute(&term_path(&t.name, &term.slug)), None));
        }
    }
    urls.sort();
    feeds::sitemap(&urls)
}

/// Symbolic links in `static/` are not followed: a warning each.
fn static_symlinks(root: &Path) -> Vec<Diagnostic> {
    let dir = root.join("static");
    walkdir::WalkDir::new(&dir)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.path_is_symlink())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(&dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some(Diagnostic::warning(
                format!("static/{rel}"),
                0,
                0,
                "symbolic links are not followed; this entry is skipped",
            ))
        })
        .collect()
}

/// The theme's static files, then the site's `static/` (which wins for the same path).
fn static_jobs(root: &Path, jobs: &mut Vec<Job>, diags: &mut Diagnostics) {
    let mut files: BTreeMap<String, Job> = BTreeMap::new();
    for name in templates::DefaultTheme::iter() {
        let Some(rel) = name.strip_prefix("static/") else {
            continue;
        };
        if let Some(f) = templates::DefaultTheme::get(&name) {
            files.insert(
                rel.to_string(),
                Job {
                    rel: rel.to_string(),
                    source: format!("{}/{name}", templates::THEME_PREFIX),
                    kind: JobKind::Bytes(f.data.into_owned()),
                },
            );
        }
    }
    let dir = root.join("static");
    if dir.is_dir() {
        let walker = walkdir::WalkDir::new(&dir)
            .min_depth(1)
            .sort_by_file_name()
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| !content::is_ignored_name(&e.file_name().to_string_lossy()));
        for e in walker {
            let e = match e {
                Ok(e) => e,
                Err(err) => {
                    diags.push(Diagnostic::file("static", format!("cannot read: {err}")));
                    continue;
                }
            };
            let Ok(rel) = e.path().strip_prefix(&dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if e.path_is_symlink() {
                // Reported as a warning by `static_symlinks` at load time.
                continue;
            }
            if e.file_type().is_file() {
                files.insert(
                    rel.clone(),
                    Job {
                        rel: rel.clone(),
                        source: format!("static/{rel}"),
                        kind: JobKind::Copy(e.path().to_path_buf()),
                    },
                );
            }
        }
    }
    jobs.extend(files.into_values());
}
