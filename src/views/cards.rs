//! Pages and sections as templates see them: the card lists show, the full page, the section.

use super::{Link, ProductView, Views};
use crate::content::Page;
use crate::markdown::Heading;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

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
    /// Summary HTML (the `summary` field, else the text before `<!-- more -->`).
    pub summary: Option<&'a str>,
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
    /// Authors: the page's (`author:`), else the site's.
    pub authors: Vec<&'a str>,
    /// Absolute URL of the header image (`image:`, `cover:`, …).
    pub image: Option<String>,
    /// The product, for product pages.
    pub product: Option<ProductView<'a>>,
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
    /// The page in the site's other languages (`code`, `name`, `url`): filled in for the page's
    /// own template, empty elsewhere (`get_page`) and on a site in one language.
    pub translations: tera::Value,
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
    /// Pages on this list page (all of them when not paginated), as already made cards.
    pub pages: tera::Value,
    /// Child sections.
    pub subsections: Vec<Link<'a>>,
}

impl<'a> Views<'a> {
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
        PageCard {
            title: &p.title,
            url: self.url(&p.path),
            path: &p.path,
            slug: &p.slug,
            description: p.meta.description.as_deref(),
            date: p.date.map(|d| d.iso()),
            updated: p.meta.updated.as_ref().map(|d| d.value.iso()),
            summary: p.rendered.summary.as_deref(),
            reading_time: p.rendered.reading_time,
            word_count: p.rendered.word_count,
            taxonomies,
            extra: &p.meta.extra,
            weight: p.meta.weight,
            draft: p.meta.draft,
            authors: self.authors(p),
            image: self.image(p),
            product: self.product(pi),
        }
    }

    /// The page's authors, else the site's author (none when neither is set).
    pub fn authors(&self, p: &'a Page) -> Vec<&'a str> {
        if p.meta.authors.is_empty() {
            Some(self.config.author.name.as_str())
                .filter(|n| !n.is_empty())
                .into_iter()
                .collect()
        } else {
            p.meta.authors.iter().map(String::as_str).collect()
        }
    }

    /// The header image's absolute URL: a file of the page's bundle, a site path, or an address.
    fn image(&self, p: &Page) -> Option<String> {
        let v = p.meta.image.as_ref()?.value.trim();
        if v.starts_with("http://") || v.starts_with("https://") {
            return Some(v.to_string());
        }
        let rel = v.trim_start_matches("./");
        if !v.starts_with('/') && p.assets.iter().any(|a| a.rel == rel) {
            return Some(self.url(&format!("{}{rel}", p.folder())));
        }
        // Jekyll and Hugo write site paths without the leading slash.
        Some(self.url(&format!("/{}", v.trim_start_matches('/'))))
    }

    /// A page's card as a template value, from the cache when there is one.
    pub fn card_value(&self, pi: usize) -> tera::Value {
        match self.cards.and_then(|c| c.get(pi)) {
            Some(cell) => cell
                .get_or_init(|| tera::Value::from_serializable(&self.card(pi)))
                .clone(),
            None => tera::Value::from_serializable(&self.card(pi)),
        }
    }

    /// Cards of `pages`, made once and shared by every place of a context that lists them.
    pub fn cards(&self, pages: &[usize]) -> tera::Value {
        let cards: Vec<tera::Value> = pages.iter().map(|&p| self.card_value(p)).collect();
        tera::Value::from(cards)
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
                .map(|a| self.url(&format!("{}{}", p.folder(), a.rel)))
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
            translations: tera::Value::from(Vec::<tera::Value>::new()),
        }
    }

    /// A section listing `pages` (cards made by [`Views::cards`]).
    pub fn section(&self, si: usize, pages: tera::Value) -> SectionView<'a> {
        let s = &self.lib.sections[si];
        SectionView {
            title: &s.title,
            description: s.meta.description.as_deref(),
            url: self.url(&s.path),
            path: &s.path,
            content: &s.rendered.html,
            extra: &s.meta.extra,
            pages,
            subsections: self.section_links(&s.subsections),
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
