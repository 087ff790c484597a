//! Views: the small structs templates receive, for pages, lists, taxonomies, products and the
//! site, plus the JSON-LD built from the same values. They borrow from the library; the whole
//! site is never cloned into a template context. [`Views::new`] is the one way to make them.

mod cards;
mod json_ld;
mod lists;
mod product;

use crate::config::{Author, Config};
use crate::content::taxonomy::Taxonomy;
use crate::content::Library;
use serde::Serialize;
use serde_json::{Map, Value};

pub use cards::PageCard;
pub use lists::{on_page, pager_count, pager_path, Paginator, TaxonomyView};
pub use product::{NewsletterView, ProductView};

/// A title and a URL.
#[derive(Debug, Serialize)]
pub struct Link<'a> {
    /// Visible title.
    pub title: &'a str,
    /// Absolute URL.
    pub url: String,
}

/// The site, as every template sees it (`site`).
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Base URL (ends in `/`).
    pub base_url: &'a str,
    /// Language code.
    pub language: &'a str,
    /// Author.
    pub author: &'a Author,
    /// Free data from the config.
    pub extra: &'a Map<String, Value>,
    /// Top-level sections, for navigation.
    pub sections: Vec<Link<'a>>,
    /// Pages at the top level (about, Impressum, Datenschutz), by weight, then title.
    pub root_pages: Vec<Link<'a>>,
    /// Taxonomies (without terms).
    pub taxonomies: Vec<TaxonomyView<'a>>,
    /// The newest dated pages.
    pub recent_pages: Vec<PageCard<'a>>,
    /// Products marked `featured: true`.
    pub featured_products: Vec<PageCard<'a>>,
    /// The newsletter form, when configured.
    pub newsletter: Option<NewsletterView<'a>>,
    /// The provider's details (`legal:` in kiosk.yaml), for the `impressum` shortcode.
    pub legal: Option<&'a crate::config::Legal>,
    /// The note under every price (`vat:`, `vat_note:`), also for offers of a page without a
    /// product.
    pub vat_note: Option<String>,
}

/// Each page's card, made the first time a list shows it and shared by every list after that
/// (a post with 10,000 tags is on 10,000 term pages: its card is made once, not 10,000 times).
pub type CardCache = [std::sync::OnceLock<tera::Value>];

/// Builds views from the library.
#[derive(Clone, Copy)]
pub struct Views<'a> {
    lib: &'a Library,
    config: &'a Config,
    taxonomies: &'a [Taxonomy],
    cards: Option<&'a CardCache>,
}

impl<'a> Views<'a> {
    /// Views of `lib` for the site `config` describes.
    pub fn new(lib: &'a Library, config: &'a Config, taxonomies: &'a [Taxonomy]) -> Views<'a> {
        Views {
            lib,
            config,
            taxonomies,
            cards: None,
        }
    }

    /// The same views, keeping each page's card in `cache` (one place per page).
    pub fn with_card_cache(self, cache: &'a CardCache) -> Views<'a> {
        Views {
            cards: Some(cache).filter(|c| c.len() == self.lib.pages.len()),
            ..self
        }
    }

    /// Absolute URL of a site path.
    pub fn url(&self, path: &str) -> String {
        self.config.absolute(path)
    }

    fn link_page(&self, pi: usize) -> Link<'a> {
        let p = &self.lib.pages[pi];
        Link {
            title: &p.title,
            url: self.url(&p.path),
        }
    }

    fn section_links(&self, sections: &[usize]) -> Vec<Link<'a>> {
        sections
            .iter()
            .filter(|&&c| self.lib.sections[c].published())
            .map(|&c| Link {
                title: &self.lib.sections[c].title,
                url: self.url(&self.lib.sections[c].path),
            })
            .collect()
    }

    /// Top-level pages by weight, then title.
    fn root_pages(&self) -> Vec<usize> {
        let mut root_pages: Vec<usize> = self.lib.sections[0].pages.clone();
        root_pages.sort_by(|&a, &b| {
            let (pa, pb) = (&self.lib.pages[a], &self.lib.pages[b]);
            pa.meta
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&pb.meta.weight.unwrap_or(i64::MAX))
                .then_with(|| pa.title.cmp(&pb.title))
        });
        root_pages
    }

    /// The `site` variable.
    pub fn site(&self) -> SiteView<'a> {
        SiteView {
            title: &self.config.title,
            description: &self.config.description,
            base_url: &self.config.base_url,
            language: self.config.locale.code(),
            author: &self.config.author,
            extra: &self.config.extra,
            sections: self.section_links(&self.lib.sections[0].subsections),
            root_pages: self
                .root_pages()
                .into_iter()
                .map(|p| self.link_page(p))
                .collect(),
            taxonomies: (0..self.taxonomies.len())
                .filter(|&t| !self.taxonomies[t].terms.is_empty())
                .map(|t| self.taxonomy(t, false))
                .collect(),
            recent_pages: self
                .lib
                .dated_pages()
                .into_iter()
                .filter(|&p| self.lib.pages[p].product.is_none())
                .take(10)
                .map(|p| self.card(p))
                .collect(),
            featured_products: self
                .featured_products()
                .into_iter()
                .map(|p| self.card(p))
                .collect(),
            newsletter: self.newsletter(self.privacy_page()),
            legal: self.config.legal.as_ref(),
            vat_note: self.config.vat_text(),
        }
    }
}
