//! The markdown stage: every page's and section's markdown (and the markdown in landing page
//! blocks) rendered in the site's context (`@/` links, shortcodes, highlighting), then every
//! `@/page.md#anchor` checked against the ids of its target.

use crate::config::Config;
use crate::content::{Library, Page, Target};
use crate::error::Diagnostic;
use crate::markdown::{self, highlight::Highlighter, AnchorRef};
use crate::templates::Templates;
use rayon::prelude::*;

/// What rendering markdown needs from the site.
pub(crate) struct Env<'a> {
    /// The config (base URL, language).
    pub config: &'a Config,
    /// Templates, for shortcodes.
    pub templates: &'a Templates,
    /// The code highlighter.
    pub highlighter: &'a Highlighter,
}

impl Env<'_> {
    /// Renders one markdown text that starts on `first_line` of `file`.
    pub fn render(&self, file: &str, first_line: usize, body: &str) -> markdown::Output {
        let resolve = |p: &str| crate::templates::content_url(&self.templates.data, p);
        let is_shortcode = |n: &str| self.templates.has(&format!("shortcodes/{n}.html"));
        let shortcode = |call: &markdown::shortcodes::Call| self.shortcode(call);
        let ctx = markdown::Context {
            locale: &self.config.locale,
            file,
            first_line,
            resolve: &resolve,
            highlighter: self.highlighter,
            is_shortcode: &is_shortcode,
            shortcode: &shortcode,
        };
        markdown::render(body, &ctx)
    }

    fn shortcode(&self, call: &markdown::shortcodes::Call) -> Result<String, String> {
        let ctx = tera::Context::from_serialize(&call.args).map_err(|e| e.to_string())?;
        self.templates
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
    }
}

/// Renders a page's body; the page's `summary:` from front matter (already rendered by
/// [`render_summaries`]) replaces the one before `<!-- more -->`. The build and `serve` both
/// render pages through here.
pub(crate) fn render_page_markdown(env: &Env, page: &Page, body: &str) -> markdown::Output {
    let mut out = env.render(&page.file, page.body_line, body);
    if page.meta.summary.is_some() {
        out.rendered.summary.clone_from(&page.rendered.summary);
    }
    out
}

/// Renders the `summary:` of every page that has one. Runs before product cards are made for
/// shortcodes, which show it; it needs nothing from other pages.
pub(super) fn render_summaries(lib: &mut Library, config: &Config) {
    lib.pages.par_iter_mut().for_each(|p| {
        if let Some(s) = &p.meta.summary {
            p.rendered.summary = Some(crate::markdown::snippet(s, &config.locale));
        }
    });
}

/// Renders every page and section; returns the problems found, anchors included.
pub(super) fn render_all(
    lib: &mut Library,
    config: &Config,
    templates: &Templates,
    highlighter: &Highlighter,
) -> Vec<Diagnostic> {
    let env = Env {
        config,
        templates,
        highlighter,
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
            let mut out = render_page_markdown(&env, p, &body);
            for block in &mut p.blocks {
                for md in block.markdown_mut() {
                    let o = env.render(&p.file, md.line, &md.source);
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
        .map(|s| env.render(s.file.as_deref().unwrap_or(""), s.body_line, &s.body))
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
    diags.extend(
        anchors
            .iter()
            .filter_map(|(file, a)| broken_anchor(lib, file, a)),
    );
    diags
}

/// An error when `a` names an id its target page or section does not have.
fn broken_anchor(lib: &Library, file: &str, a: &AnchorRef) -> Option<Diagnostic> {
    let ids = match lib.find(&a.target)? {
        Target::Page(i) => &lib.pages[i].rendered.ids,
        Target::Section(i) => &lib.sections[i].rendered.ids,
    };
    (!ids.contains(&a.anchor)).then(|| {
        Diagnostic::error(
            file,
            a.line,
            a.col,
            format!(
                "internal link to `@/{}#{}`: that page has no heading with id `{}`",
                a.target, a.anchor, a.anchor
            ),
        )
    })
}
