//! Content: the `content/` tree read into a [`Library`] of pages and sections. Each directory is a
//! section (with an optional `_index.md`), every other markdown file a page; a directory with an
//! `index.md` is a page bundle whose other files are copied next to the page.

pub mod frontmatter;
mod languages;
mod load;
mod page;
pub mod permalink;
pub mod product;
mod scan;
pub mod taxonomy;

use crate::date::PageDate;
use crate::markdown::Rendered;
use frontmatter::FrontMatter;
use std::collections::HashMap;
use std::path::PathBuf;

pub use languages::{translation_tie, LanguageFilter, SharedProducts};
pub use load::{load, parse_markdown, read_markdown, LoadOptions};
pub use scan::{is_backup_name, is_ignored_name, is_markdown, portable};

/// A file copied next to a page or section (an image in a page bundle).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it is on disk.
    pub src: PathBuf,
    /// Its path below the owner's output directory, `/`-separated.
    pub rel: String,
    /// Its path relative to the site root, for messages.
    pub file: String,
}

/// A page: one markdown file (or the `index.md` of a bundle).
#[derive(Debug)]
pub struct Page {
    /// Path relative to the site root (`content/blog/a.md`), for messages.
    pub file: String,
    /// Path relative to `content/` (`blog/a.md`), as used by `@/` links.
    pub content_path: String,
    /// Index of the section the page is in.
    pub section: usize,
    /// The front matter.
    pub meta: FrontMatter,
    /// Markdown body.
    pub body: String,
    /// File line on which the body starts.
    pub body_line: usize,
    /// The title (empty when none was given).
    pub title: String,
    /// URL slug.
    pub slug: String,
    /// Site path, `/blog/a/`.
    pub path: String,
    /// Publication date, from front matter or a `2026-11-22-` file name prefix.
    pub date: Option<PageDate>,
    /// Bundle files.
    pub assets: Vec<Asset>,
    /// Site paths of the page's taxonomy terms, as (taxonomy, term name, term path).
    pub terms: Vec<(String, String, String)>,
    /// Position in its section's sorted page list.
    pub position: usize,
    /// The checked `product:` block.
    pub product: Option<product::Product>,
    /// Landing page blocks.
    pub blocks: Vec<product::Block>,
    /// Product pages this page names in `products:`.
    pub product_refs: Vec<usize>,
    /// Pages that name this product page.
    pub referenced_by: Vec<usize>,
    /// Markdown output, filled by the markdown stage.
    pub rendered: Rendered,
}

impl Page {
    /// Is the page published on its own? A headless page (`headless: true`) is not: it has no
    /// output, is in no list, feed, taxonomy or sitemap, and only other pages use it
    /// (`get_page`).
    pub fn published(&self) -> bool {
        !self.meta.headless
    }

    /// The site path of the folder the page's files go to: the page's own path, or for a page
    /// that is a file (`/2026/03/post.html`), the folder it is in.
    pub fn folder(&self) -> &str {
        match self.path.rfind('/') {
            Some(i) => &self.path[..=i],
            None => "/",
        }
    }
}

/// A section: a directory of `content/`.
#[derive(Debug)]
pub struct Section {
    /// `_index.md` relative to the site root, when there is one.
    pub file: Option<String>,
    /// `blog/_index.md` (also when the file does not exist), as used by `@/` links.
    pub content_path: String,
    /// Directory relative to `content/` (empty for the root).
    pub dir: String,
    /// Front matter of `_index.md`.
    pub meta: FrontMatter,
    /// Markdown body of `_index.md`.
    pub body: String,
    /// File line on which the body starts.
    pub body_line: usize,
    /// Title (from front matter, else the directory name).
    pub title: String,
    /// Site path, `/blog/`.
    pub path: String,
    /// Output directory components.
    pub components: Vec<String>,
    /// Parent section.
    pub parent: Option<usize>,
    /// Pages, sorted by the section's `sort_by`.
    pub pages: Vec<usize>,
    /// Child sections, sorted by path.
    pub subsections: Vec<usize>,
    /// Non-markdown files in the directory.
    pub assets: Vec<Asset>,
    /// Markdown output of `_index.md`.
    pub rendered: Rendered,
    /// Does any page of the section sell a product (a catalogue)?
    pub has_products: bool,
}

impl Section {
    /// Is the section's list page published? Not when its `_index.md` says `render = false`
    /// (Zola), `headless: true` or `build: {render: never}` (Hugo): its pages still are. The
    /// home page always is.
    pub fn published(&self) -> bool {
        self.dir.is_empty() || !self.meta.headless
    }
}

/// Splits a `2026-11-22-` date prefix off a file name (the date, and the rest).
pub fn split_date_prefix(name: &str) -> (Option<PageDate>, &str) {
    load::date_prefix(name)
}

/// The slug kiosk gives a page file named `name` (without `.md`): the name without a date
/// prefix, as a slug.
pub fn slug_of_file_name(name: &str) -> String {
    crate::text::slug::slugify(load::date_prefix(name).1)
}

/// Everything in `content/` that is part of this build.
#[derive(Debug, Default)]
pub struct Library {
    /// All pages, in sorted file order.
    pub pages: Vec<Page>,
    /// All sections; index 0 is the root.
    pub sections: Vec<Section>,
    /// Pages by `content/`-relative path (`blog/a.md`, `blog/b/index.md`).
    pages_by_path: HashMap<String, usize>,
    /// Sections by directory (`blog`, `` for the root).
    sections_by_dir: HashMap<String, usize>,
}

impl Library {
    /// Indexes pages and sections by path; called once the library is complete.
    pub fn index(&mut self) {
        self.pages_by_path = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.content_path.clone(), i))
            .collect();
        self.sections_by_dir = self
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.dir.clone(), i))
            .collect();
    }

    /// Looks up a page or section by its path relative to `content/` (`blog/a.md`,
    /// `blog/_index.md`, `blog/bundle/` for a bundle's `index.md`, or `blog` for a section).
    pub fn find(&self, content_path: &str) -> Option<Target> {
        let p = content_path.trim_start_matches('/');
        if let Some(&i) = self.pages_by_path.get(p) {
            return Some(Target::Page(i));
        }
        let bundle_index = format!("{}/index.md", p.trim_end_matches('/'));
        if let Some(&i) = self.pages_by_path.get(&bundle_index) {
            return Some(Target::Page(i));
        }
        let dir = p
            .strip_suffix("_index.md")
            .unwrap_or(p)
            .trim_end_matches('/');
        self.sections_by_dir.get(dir).map(|&i| Target::Section(i))
    }

    /// The page of a `content/`-relative file path, exactly.
    pub fn page_at(&self, content_path: &str) -> Option<usize> {
        self.pages_by_path.get(content_path).copied()
    }

    /// Pages with a date, newest first (ties broken by file), for feeds and "latest posts".
    pub fn dated_pages(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.pages.len())
            .filter(|&i| self.pages[i].date.is_some() && self.pages[i].published())
            .collect();
        v.sort_by(|&a, &b| compare_by_date(&self.pages[a], &self.pages[b]));
        v
    }
}

/// Newest first; undated pages last; ties broken by file path.
pub fn compare_by_date(a: &Page, b: &Page) -> std::cmp::Ordering {
    let key = |p: &Page| p.date.map(|d| d.timestamp());
    match (key(a), key(b)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.file.cmp(&b.file))
}

/// `/a/b/` from components (`/` for none).
pub fn url_path(components: &[String]) -> String {
    if components.is_empty() {
        "/".into()
    } else {
        format!("/{}/", components.join("/"))
    }
}

/// A page or a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Index into [`Library::pages`].
    Page(usize),
    /// Index into [`Library::sections`].
    Section(usize),
}
