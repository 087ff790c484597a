//! Views: the small structs templates receive. They borrow from the library; the whole site is
//! never cloned into a template context.

use crate::config::{Author, Config};
use crate::content::taxonomy::{term_path, Taxonomy};
use crate::content::{Library, Page};
use crate::markdown::Heading;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A title and a URL.
#[derive(Debug, Serialize)]
pub struct Link<'a> {
    /// Visible title.
    pub title: &'a str,
    /// Absolute URL.
    pub url: String,
}

/// A taxonomy term as linked from a page.
#[derive(Debug, Serialize)]
pub struct TermLink<'a> {
    /// Term name.
    pub name: &'a str,
    /// Absolute URL of the term page.
    pub url: String,
}

/// What lists show of a page.
#[derive(Debug, Serialize)]
pub struct PageCard<'a> {
    /// Title.
    pub title: &'a str,
    /// Absolute URL.
    pub url: String,
    /// Site path (`/blog/a/`).
    pub path: &'a str,
    /// URL slug.
    pub slug: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// ISO date.
    pub date: Option<String>,
    /// ISO date of the last update.
    pub updated: Option<String>,
    /// Summary HTML (text before `<!-- more -->`, or the `summary` field).
    pub summary: Option<String>,
    /// Minutes.
    pub reading_time: usize,
    /// Words.
    pub word_count: usize,
    /// Terms by taxonomy name.
    pub taxonomies: BTreeMap<&'a str, Vec<TermLink<'a>>>,
    /// Free front matter data.
    pub extra: &'a Map<String, Value>,
    /// Sort weight.
    pub weight: Option<i64>,
    /// Is it a draft (shown only with `--drafts`)?
    pub draft: bool,
    /// The product, for product pages.
    pub product: Option<super::shop::ProductView<'a>>,
}

/// One entry of a nested table of contents.
#[derive(Debug, Serialize)]
pub struct TocItem<'a> {
    /// Heading level.
    pub level: u32,
    /// Anchor id.
    pub id: &'a str,
    /// Heading text.
    pub title: &'a str,
    /// Subheadings.
    pub children: Vec<TocItem<'a>>,
}

/// A page, for its own template.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Everything lists show.
    #[serde(flatten)]
    pub card: PageCard<'a>,
    /// Content HTML.
    pub content: &'a str,
    /// Nested table of contents.
    pub toc: Vec<TocItem<'a>>,
    /// URLs of the bundle's files.
    pub assets: Vec<String>,
    /// The section the page is in.
    pub section: Link<'a>,
    /// The page before this one in the section's order.
    pub previous: Option<Link<'a>>,
    /// The page after this one.
    pub next: Option<Link<'a>>,
    /// Landing page blocks, in the author's order.
    pub blocks: &'a [crate::content::product::Block],
    /// Cards of the products this page names (`products:`).
    pub products: Vec<PageCard<'a>>,
    /// Pages that name this product.
    pub referenced_by: Vec<Link<'a>>,
}

/// A section.
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: Option<&'a str>,
    /// Absolute URL.
    pub url: String,
    /// Site path.
    pub path: &'a str,
    /// Content HTML of `_index.md`.
    pub content: &'a str,
    /// Free data.
    pub extra: &'a Map<String, Value>,
    /// Pages on this list page (all of them when not paginated).
    pub pages: Vec<PageCard<'a>>,
    /// Child sections.
    pub subsections: Vec<Link<'a>>,
}

/// One page of a paginated list.
#[derive(Debug, Serialize)]
pub struct Paginator<'a> {
    /// Items on this page.
    pub pages: Vec<PageCard<'a>>,
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
    pub newsletter: Option<super::shop::NewsletterView<'a>>,
}

/// A display title for a taxonomy name.
pub fn taxonomy_title(name: &str, lang: &str) -> String {
    match (name, lang.starts_with("de")) {
        ("tags", true) => "Schlagwörter".into(),
        ("categories", true) => "Kategorien".into(),
        ("topics", true) => "Themen".into(),
        (n, _) => {
            let mut c = n.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

/// Builds views from the library.
pub struct Views<'a> {
    /// Library.
    pub lib: &'a Library,
    /// Config.
    pub config: &'a Config,
    /// Taxonomies.
    pub taxonomies: &'a [Taxonomy],
}

impl<'a> Views<'a> {
    /// Absolute URL of a site path.
    pub fn url(&self, path: &str) -> String {
        self.config.absolute(path)
    }

    /// A page's card.
    pub fn card(&self, pi: usize) -> PageCard<'a> {
        let p: &'a Page = &self.lib.pages[pi];
        let mut taxonomies: BTreeMap<&'a str, Vec<TermLink<'a>>> = BTreeMap::new();
        for (tax, name, path) in &p.terms {
            taxonomies.entry(tax.as_str()).or_default().push(TermLink {
                name: name.as_str(),
                url: self.url(path),
            });
        }
        let summary = match (&p.rendered.summary, &p.meta.summary) {
            (_, Some(s)) => Some(crate::templates::markdown_snippet(s, &self.config.language)),
            (Some(s), None) => Some(s.clone()),
            (None, None) => None,
        };
        PageCard {
            title: &p.title,
            url: self.url(&p.path),
            path: &p.path,
            slug: &p.slug,
            description: p.meta.description.as_deref(),
            date: p.date.map(|d| d.iso()),
            updated: p.meta.updated.as_ref().map(|d| d.value.iso()),
            summary,
            reading_time: p.rendered.reading_time,
            word_count: p.rendered.word_count,
            taxonomies,
            extra: &p.meta.extra,
            weight: p.meta.weight,
            draft: p.meta.draft,
            product: self.product(pi),
        }
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
            .map(|&c| Link {
                title: &self.lib.sections[c].title,
                url: self.url(&self.lib.sections[c].path),
            })
            .collect()
    }

    /// A page for its own template.
    pub fn page(&self, pi: usize) -> PageView<'a> {
        let p: &'a Page = &self.lib.pages[pi];
        let s = &self.lib.sections[p.section];
        let pos = Some(p.position).filter(|&i| s.pages.get(i) == Some(&pi));
        let previous = pos
            .and_then(|i| i.checked_sub(1))
            .map(|i| self.link_page(s.pages[i]));
        let next = pos
            .and_then(|i| s.pages.get(i + 1))
            .map(|&n| self.link_page(n));
        PageView {
            card: self.card(pi),
            content: &p.rendered.html,
            toc: nest(&p.rendered.toc),
            assets: p
                .assets
                .iter()
                .map(|a| self.url(&format!("{}{}", p.path, a.rel)))
                .collect(),
            section: Link {
                title: &s.title,
                url: self.url(&s.path),
            },
            previous,
            next,
            blocks: &p.blocks,
            products: p.product_refs.iter().map(|&r| self.card(r)).collect(),
            referenced_by: p.referenced_by.iter().map(|&r| self.link_page(r)).collect(),
        }
    }

    /// A section with the given pages.
    pub fn section(&self, si: usize, pages: &[usize]) -> SectionView<'a> {
        let s = &self.lib.sections[si];
        SectionView {
            title: &s.title,
            description: s.meta.description.as_deref(),
            url: self.url(&s.path),
            path: &s.path,
            content: &s.rendered.html,
            extra: &s.meta.extra,
            pages: pages.iter().map(|&p| self.card(p)).collect(),
            subsections: self.section_links(&s.subsections),
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
            title: taxonomy_title(&t.name, &self.config.language),
            url: self.url(&format!("/{}/", t.name)),
            terms,
        }
    }

    /// One term.
    pub fn term(&self, ti: usize, term: &'a crate::content::taxonomy::Term) -> TermView<'a> {
        TermView {
            name: &term.name,
            slug: &term.slug,
            url: self.url(&term_path(&self.taxonomies[ti].name, &term.slug)),
            count: term.pages.len(),
        }
    }

    /// The `site` variable.
    pub fn site(&self) -> SiteView<'a> {
        let root = &self.lib.sections[0];
        let mut root_pages: Vec<usize> = root.pages.clone();
        root_pages.sort_by(|&a, &b| {
            let (pa, pb) = (&self.lib.pages[a], &self.lib.pages[b]);
            pa.meta
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&pb.meta.weight.unwrap_or(i64::MAX))
                .then_with(|| pa.title.cmp(&pb.title))
        });
        SiteView {
            title: &self.config.title,
            description: &self.config.description,
            base_url: &self.config.base_url,
            language: &self.config.language,
            author: &self.config.author,
            extra: &self.config.extra,
            sections: self.section_links(&root.subsections),
            root_pages: root_pages.into_iter().map(|p| self.link_page(p)).collect(),
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
        }
    }
}

/// Nests a flat heading list by level.
pub fn nest(flat: &[Heading]) -> Vec<TocItem<'_>> {
    fn build<'h>(items: &'h [Heading], i: &mut usize, level: u32) -> Vec<TocItem<'h>> {
        let mut out = Vec::new();
        while *i < items.len() && items[*i].level >= level {
            let h = &items[*i];
            *i += 1;
            let children = build(items, i, h.level + 1);
            out.push(TocItem {
                level: h.level,
                id: &h.id,
                title: &h.title,
                children,
            });
        }
        out
    }
    let mut i = 0;
    let min = flat.iter().map(|h| h.level).min().unwrap_or(1);
    let mut out = Vec::new();
    while i < flat.len() {
        let before = i;
        out.extend(build(flat, &mut i, min));
        if i == before {
            i += 1;
        }
    }
    out
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

/// List page `index` (0-based) of `items` split into pages of `per_page` under `base`.
pub fn paginator<'a>(
    views: &Views<'a>,
    base: &str,
    items: &[usize],
    per_page: usize,
    index: usize,
) -> Paginator<'a> {
    let n = pager_count(items.len(), per_page);
    let on_page: &[usize] = if per_page == 0 {
        items
    } else {
        items.chunks(per_page).nth(index).unwrap_or(&[])
    };
    let i = index + 1;
    Paginator {
        pages: on_page.iter().map(|&pi| views.card(pi)).collect(),
        current_index: i,
        number_pagers: n,
        total_items: items.len(),
        first: views.url(&pager_path(base, 1)),
        last: views.url(&pager_path(base, n)),
        previous: (i > 1).then(|| views.url(&pager_path(base, i - 1))),
        next: (i < n).then(|| views.url(&pager_path(base, i + 1))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toc_nesting() {
        let h = |level, id: &str| Heading {
            level,
            id: id.into(),
            title: id.into(),
        };
        let flat = vec![h(2, "a"), h(3, "a1"), h(3, "a2"), h(2, "b"), h(4, "b1")];
        let t = nest(&flat);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].children.len(), 2);
        assert_eq!(t[1].children[0].id, "b1");
    }
}
