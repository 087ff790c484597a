//! What `serve` needs of a loaded site beyond a build: the outputs of one page (the page and
//! the feeds that include it), its markdown rendered again, and its rendered output replaced.

use crate::markdown::{self, highlight::Highlighter};
use crate::site::{self, Job, JobKind, Site};

impl Site {
    /// The page at a `content/`-relative path.
    pub(crate) fn page_index(&self, content_path: &str) -> Option<usize> {
        self.lib.page_at(content_path)
    }

    /// The jobs for one page's output and the feeds that include it.
    pub(crate) fn outputs_of_page(&self, pi: usize) -> Vec<Job> {
        let p = &self.lib.pages[pi];
        let mut jobs = vec![Job {
            rel: site::index_of(&p.path),
            source: p.file.clone(),
            kind: JobKind::Page(pi),
        }];
        if p.date.is_some() {
            if p.section > 0 {
                let s = &self.lib.sections[p.section];
                site::section_feeds(self, p.section, &site::section_source(s), &mut jobs);
            }
            site::feed_jobs(
                self,
                "/",
                &self.config.title,
                &self.lib.dated_pages(),
                site::GENERATED,
                &mut jobs,
            );
        }
        jobs
    }

    /// Renders one page's markdown again, as the markdown stage would.
    pub(crate) fn render_markdown_of(
        &self,
        pi: usize,
        body: &str,
        highlighter: &Highlighter,
    ) -> markdown::Output {
        let env = site::MarkdownEnv {
            config: &self.config,
            templates: &self.templates,
            highlighter,
        };
        site::render_page_markdown(&env, &self.lib.pages[pi], body)
    }

    /// Replaces what markdown rendering produced for page `pi`; false when the library is
    /// shared and cannot be changed.
    pub(crate) fn set_rendered(&mut self, pi: usize, rendered: markdown::Rendered) -> bool {
        // The lookup holds a second reference to the library: drop it first.
        let old = self
            .templates
            .data
            .lookup
            .write()
            .ok()
            .and_then(|mut l| l.take());
        drop(old);
        let ok = match std::sync::Arc::get_mut(&mut self.lib) {
            Some(lib) => {
                lib.pages[pi].rendered = rendered;
                true
            }
            None => false,
        };
        if let Some(card) = self.cards.get_mut(pi) {
            *card = std::sync::OnceLock::new();
        }
        site::install_lookup(self);
        ok
    }
}
