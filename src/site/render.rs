//! Rendering: each job of the plan becomes bytes in the sink, in parallel. Pages, lists,
//! taxonomies and the 404 page go through their templates with a context of views.

use super::plan::{Job, JobKind};
use super::Site;
use crate::content::product::Kind;
use crate::content::taxonomy::term_path;
use crate::content::{Page, Section};
use crate::error::{BuildFailed, Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::templates;
use crate::views::{on_page, pager_path, Paginator, Views};
use rayon::prelude::*;

/// Why a job failed.
enum Failure {
    /// Its template failed: a located error.
    Render(Diagnostic),
    /// Its file could not be written.
    Write(String),
}

impl Site {
    /// Renders `jobs` into `sink` in parallel. Returns, for each job, the pages whose full
    /// content its templates read with `get_page`.
    pub fn render_jobs(
        &self,
        jobs: &[Job],
        sink: &dyn Sink,
    ) -> Result<Vec<Vec<String>>, BuildFailed> {
        let views = self.views();
        let results: Vec<(Result<(), Failure>, Vec<String>)> = jobs
            .par_iter()
            .map(|job| {
                templates::take_reads();
                let r = self.run(job, &views, sink);
                (r, templates::take_reads())
            })
            .collect();
        let mut diags = Diagnostics::default();
        let mut reads = Vec::with_capacity(results.len());
        let mut first_write_error = None;
        for (r, rd) in results {
            match r {
                Ok(()) => {}
                Err(Failure::Render(d)) => diags.push(d),
                Err(Failure::Write(msg)) => {
                    first_write_error.get_or_insert(msg);
                }
            }
            reads.push(rd);
        }
        // A full disk fails every write: one error says so, not one per file.
        if let Some(msg) = first_write_error {
            diags.push(Diagnostic::file(
                sink.target(),
                sink.failure().unwrap_or(msg),
            ));
        }
        diags.check()?;
        Ok(reads)
    }

    fn run(&self, job: &Job, views: &Views, sink: &dyn Sink) -> Result<(), Failure> {
        let write_err =
            |e: std::io::Error| Failure::Write(format!("cannot write `{}`: {e}", job.rel));
        let html = match &job.kind {
            JobKind::Copy(src) => return sink.copy(&job.rel, src).map_err(write_err),
            JobKind::Bytes(b) => return sink.write(&job.rel, b).map_err(write_err),
            JobKind::Page(pi) => self.render_page(*pi, views),
            JobKind::Section { si, pager } => self.render_section(*si, *pager, views, job),
            JobKind::Kind { si, kind } => self.render_kind(*si, *kind, views, job),
            JobKind::TaxonomyList(ti) => self.render_taxonomy(*ti, views, job),
            JobKind::Term { ti, term, pager } => self.render_term(*ti, *term, *pager, views, job),
            JobKind::NotFound => {
                let mut ctx = tera::Context::new();
                ctx.insert("current_path", "/404.html");
                ctx.insert("current_url", &self.config.absolute("/404.html"));
                ctx.insert("json_ld", &Vec::<String>::new());
                ctx.insert("meta_description", self.description(None));
                self.insert_languages(&mut ctx, None);
                self.templates.render("404.html", &ctx, &job.source)
            }
        }
        .map_err(Failure::Render)?;
        sink.write(&job.rel, html.as_bytes()).map_err(write_err)
    }

    fn render_page(&self, pi: usize, views: &Views) -> Result<String, Diagnostic> {
        let p = &self.lib.pages[pi];
        let mut ctx = tera::Context::new();
        let mut view = views.page(pi);
        view.translations = self.insert_languages(&mut ctx, Some(&p.content_path));
        ctx.insert("page", &view);
        ctx.insert("current_path", &p.path);
        ctx.insert("current_url", &self.config.absolute(&p.path));
        ctx.insert("json_ld", &views.page_json_ld(pi));
        ctx.insert(
            "meta_description",
            self.description(p.meta.description.as_deref()),
        );
        self.templates.render(page_template(p), &ctx, &p.file)
    }

    /// The context every list of a section shares: the section with the cards on this list
    /// page (made once for `section.pages` and `paginator.pages`), the paginator and filters.
    fn list_context(
        &self,
        si: usize,
        path: &str,
        pg: Paginator,
        views: &Views,
        kind: Option<Kind>,
    ) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert("section", &views.section(si, pg.pages.clone()));
        ctx.insert("paginator", &pg);
        ctx.insert("current_url", &self.config.absolute(path));
        ctx.insert("current_path", path);
        ctx.insert("json_ld", &views.section_json_ld(si));
        ctx.insert("kinds", &views.kinds(si, kind));
        ctx.insert("topics", &views.topics(si));
        let s = &self.lib.sections[si];
        ctx.insert(
            "meta_description",
            self.description(s.meta.description.as_deref()),
        );
        let first = path == s.path && kind.is_none();
        self.insert_languages(&mut ctx, first.then_some(s.content_path.as_str()));
        match kind {
            Some(k) => ctx.insert("kind", k.plural(&self.config.locale)),
            None => ctx.insert("kind", &None::<&str>),
        }
        ctx
    }

    fn render_section(
        &self,
        si: usize,
        pager: usize,
        views: &Views,
        job: &Job,
    ) -> Result<String, Diagnostic> {
        let s = &self.lib.sections[si];
        let per = s.meta.paginate_by.unwrap_or(self.config.paginate_by);
        let path = pager_path(&s.path, pager + 1);
        let cards = views.cards(on_page(&s.pages, per, pager));
        let pg = views.paginator(&s.path, s.pages.len(), per, pager, cards);
        let ctx = self.list_context(si, &path, pg, views, None);
        let file = s.file.as_deref().unwrap_or(&job.source);
        self.templates.render(section_template(s), &ctx, file)
    }

    fn render_kind(
        &self,
        si: usize,
        kind: Kind,
        views: &Views,
        job: &Job,
    ) -> Result<String, Diagnostic> {
        let s = &self.lib.sections[si];
        let on_page: Vec<usize> = s
            .pages
            .iter()
            .copied()
            .filter(|&p| {
                self.lib.pages[p]
                    .product
                    .as_ref()
                    .is_some_and(|x| x.kind == kind)
            })
            .collect();
        let path = format!("{}{}/", s.path, kind.slug(&self.config.locale));
        let pg = views.paginator(&path, on_page.len(), 0, 0, views.cards(&on_page));
        let ctx = self.list_context(si, &path, pg, views, Some(kind));
        let file = s.file.as_deref().unwrap_or(&job.source);
        self.templates.render("catalogue.html", &ctx, file)
    }

    fn render_taxonomy(&self, ti: usize, views: &Views, job: &Job) -> Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        let t = views.taxonomy(ti, true);
        ctx.insert("current_path", &format!("/{}/", t.name));
        ctx.insert("current_url", &t.url);
        ctx.insert("json_ld", &Vec::<String>::new());
        ctx.insert("taxonomy", &t);
        ctx.insert("meta_description", self.description(None));
        self.insert_languages(&mut ctx, None);
        self.templates
            .render("taxonomy_list.html", &ctx, &job.source)
    }

    fn render_term(
        &self,
        ti: usize,
        term: usize,
        pager: usize,
        views: &Views,
        job: &Job,
    ) -> Result<String, Diagnostic> {
        let tax = &self.taxonomies[ti];
        let t = &tax.terms[term];
        let base = term_path(&tax.name, &t.slug);
        let path = pager_path(&base, pager + 1);
        let per = self.config.paginate_by;
        let cards = views.cards(on_page(&t.pages, per, pager));
        let pg = views.paginator(&base, t.pages.len(), per, pager, cards);
        let mut ctx = tera::Context::new();
        ctx.insert("taxonomy", &views.taxonomy(ti, false));
        ctx.insert("term", &views.term(ti, t));
        ctx.insert("paginator", &pg);
        ctx.insert("current_url", &self.config.absolute(&path));
        ctx.insert("current_path", &path);
        ctx.insert("meta_description", self.description(None));
        self.insert_languages(&mut ctx, None);
        self.templates
            .render("taxonomy_term.html", &ctx, &job.source)
    }
}

impl Site {
    /// What templates know of the current page's languages: `languages` (the switcher: every
    /// language, with the page's translation or else that language's home page), `alternates`
    /// (its `hreflang` links) and `translations` (the languages it is translated into, also
    /// returned).
    fn insert_languages(&self, ctx: &mut tera::Context, content_path: Option<&str>) -> tera::Value {
        let t = &self.translations;
        let links = t.links(&self.config.language, content_path);
        let translations: Vec<_> = links
            .iter()
            .filter(|l| l.translated && !l.current)
            .collect();
        let translations = tera::Value::from_serializable(&translations);
        ctx.insert("translations", &translations);
        ctx.insert(
            "alternates",
            &t.alternates(&self.config.language, content_path),
        );
        ctx.insert("languages", &links);
        translations
    }

    /// The meta description of a page: its own, else the site's (never an empty one).
    fn description<'a>(&'a self, own: Option<&'a str>) -> &'a str {
        own.filter(|d| !d.trim().is_empty())
            .unwrap_or(&self.config.description)
    }
}

fn section_template(s: &Section) -> &str {
    match &s.meta.template {
        Some(t) => &t.value,
        None if s.dir.is_empty() => "index.html",
        None if s.has_products => "catalogue.html",
        None => "section.html",
    }
}

fn page_template(p: &Page) -> &str {
    match &p.meta.template {
        Some(t) => &t.value,
        None if !p.blocks.is_empty() => "landing.html",
        None if p.product.is_some() => "product.html",
        None => "page.html",
    }
}
