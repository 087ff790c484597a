//! Lists: pagination of a section or term, and taxonomies with their terms.

use super::Views;
use crate::content::taxonomy::{term_path, Term};
use serde::Serialize;

/// One page of a paginated list.
#[derive(Debug, Serialize)]
pub struct Paginator {
    /// Items on this page (cards made by [`Views::cards`]).
    pub pages: tera::Value,
    /// 1-based number of this page.
    pub current_index: usize,
    /// Number of pages.
    pub number_pagers: usize,
    /// Items in all pages.
    pub total_items: usize,
    /// URL of the first page.
    pub first: String,
    /// URL of the last page.
    pub last: String,
    /// URL of the previous page.
    pub previous: Option<String>,
    /// URL of the next page.
    pub next: Option<String>,
}

/// A term, for term pages and the taxonomy index.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    /// Name.
    pub name: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Absolute URL.
    pub url: String,
    /// Number of pages.
    pub count: usize,
}

/// A taxonomy.
#[derive(Debug, Serialize)]
pub struct TaxonomyView<'a> {
    /// Name (`tags`).
    pub name: &'a str,
    /// Title in the site language (`Schlagwörter`).
    pub title: String,
    /// Absolute URL of the index page.
    pub url: String,
    /// Terms, sorted by name.
    pub terms: Vec<TermView<'a>>,
}

/// Site path of list page `i` (1-based) under `base` (`/blog/`): page 1 at `base`, page n at
/// `base/page/n/`.
pub fn pager_path(base: &str, i: usize) -> String {
    if i <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{i}/")
    }
}

/// Number of list pages for `items` items at `per_page` a page (0: one page).
pub fn pager_count(items: usize, per_page: usize) -> usize {
    if per_page == 0 {
        1
    } else {
        items.div_ceil(per_page).max(1)
    }
}

/// The items on list page `index` (0-based) of `items` split into pages of `per_page`.
pub fn on_page(items: &[usize], per_page: usize, index: usize) -> &[usize] {
    if per_page == 0 {
        items
    } else {
        items.chunks(per_page).nth(index).unwrap_or(&[])
    }
}

impl<'a> Views<'a> {
    /// List page `index` (0-based) of `items` split into pages of `per_page` under `base`;
    /// `cards` are the cards of the items on this page.
    pub fn paginator(
        &self,
        base: &str,
        total_items: usize,
        per_page: usize,
        index: usize,
        cards: tera::Value,
    ) -> Paginator {
        let n = pager_count(total_items, per_page);
        let i = index + 1;
        Paginator {
            pages: cards,
            current_index: i,
            number_pagers: n,
            total_items,
            first: self.url(&pager_path(base, 1)),
            last: self.url(&pager_path(base, n)),
            previous: (i > 1).then(|| self.url(&pager_path(base, i - 1))),
            next: (i < n).then(|| self.url(&pager_path(base, i + 1))),
        }
    }

    /// A taxonomy with its terms.
    pub fn taxonomy(&self, ti: usize, with_terms: bool) -> TaxonomyView<'a> {
        let t = &self.taxonomies[ti];
        let mut terms: Vec<TermView<'a>> = if with_terms {
            t.terms.iter().map(|term| self.term(ti, term)).collect()
        } else {
            Vec::new()
        };
        terms.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.slug.cmp(b.slug))
        });
        TaxonomyView {
            name: &t.name,
            title: self.config.locale.taxonomy_title(&t.name),
            url: self.url(&format!("/{}/", t.name)),
            terms,
        }
    }

    /// One term.
    pub fn term(&self, ti: usize, term: &'a Term) -> TermView<'a> {
        TermView {
            name: &term.name,
            slug: &term.slug,
            url: self.url(&term_path(&self.taxonomies[ti].name, &term.slug)),
            count: term.pages.len(),
        }
    }
}
