//! Content: the `content/` tree read into a [`Library`] of pages and sections. Each directory is a
//! section (with an optional `_index.md`), every other markdown file a page; a directory with an
//! `index.md` is a page bundle whose other files are copied next to the page.

pub mod date;
pub mod frontmatter;
pub mod product;
pub mod slug;
pub mod taxonomy;

use crate::config::Config;
use crate::error::Diagnostic;
use crate::markdown::Rendered;
use date::PageDate;
use frontmatter::{FrontMatter, Kind, SortBy};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
    /// Output directory components (`["blog", "a"]`).
    pub components: Vec<String>,
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

/// Everything in `content/` that is part of this build.
#[derive(Debug, Default)]
pub struct Library {
    /// All pages, in sorted file order.
    pub pages: Vec<Page>,
    /// All sections; index 0 is the root.
    pub sections: Vec<Section>,
}

impl Library {
    /// Looks up a page or section by its path relative to `content/` (`blog/a.md`,
    /// `blog/_index.md`, or `blog` for a section).
    pub fn find(&self, content_path: &str) -> Option<Target> {
        let p = content_path.trim_start_matches('/');
        let bundle_index = format!("{}/index.md", p.trim_end_matches('/'));
        if let Some(i) = self
            .pages
            .iter()
            .position(|pg| pg.content_path == p || pg.content_path == bundle_index)
        {
            return Some(Target::Page(i));
        }
        let dir = p
            .strip_suffix("_index.md")
            .unwrap_or(p)
            .trim_end_matches('/');
        self.sections
            .iter()
            .position(|s| s.dir == dir)
            .map(Target::Section)
    }

    /// Pages with a date, newest first (ties broken by file), for feeds and "latest posts".
    pub fn dated_pages(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.pages.len())
            .filter(|&i| self.pages[i].date.is_some())
            .collect();
        v.sort_by(|&a, &b| compare_by_date(&self.pages[a], &self.pages[b]));
        v
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

/// Which pages a build includes.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Include pages dated in the future.
    pub future: bool,
    /// "Now", for the future check.
    pub now: jiff::Timestamp,
}

/// True for names that are never content: hidden files and editors' temp and backup files.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bck")
        || name.ends_with(".kate-swp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

fn is_markdown(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".markdown")
}

fn display(root_rel: &str, rel: &str) -> String {
    if rel.is_empty() {
        root_rel.to_string()
    } else {
        format!("{root_rel}/{rel}")
    }
}

/// One directory entry of the scan, relative to `content/`.
struct Scanned {
    dirs: Vec<String>,
    files: Vec<(String, PathBuf)>,
}

fn scan(content: &Path, diags: &mut Vec<Diagnostic>) -> Scanned {
    let mut out = Scanned {
        dirs: vec![String::new()],
        files: Vec::new(),
    };
    let walker = walkdir::WalkDir::new(content)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .and_then(|p| p.strip_prefix(content).ok())
                    .map(|p| display("content", &p.to_string_lossy()))
                    .unwrap_or_else(|| "content".into());
                diags.push(Diagnostic::file(p, format!("cannot read: {e}")));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if entry.path_is_symlink() {
            diags.push(Diagnostic::warning(
                display("content", &rel),
                0,
                0,
                "symbolic links are not followed; this entry is skipped",
            ));
            continue;
        }
        if entry.file_type().is_dir() {
            out.dirs.push(rel);
        } else if entry.file_type().is_file() {
            out.files.push((rel, entry.path().to_path_buf()));
        }
    }
    out
}

fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

fn file_name(rel: &str) -> &str {
    rel.rfind('/').map_or(rel, |i| &rel[i + 1..])
}

/// Splits a `2026-11-22-` prefix off a file or directory name.
pub fn date_prefix(name: &str) -> (Option<PageDate>, &str) {
    if name.len() > 11 && name.as_bytes()[10] == b'-' && name.is_char_boundary(10) {
        if let Ok(d) = PageDate::parse(&name[..10]) {
            return (Some(d), &name[11..]);
        }
    }
    (None, name)
}

/// A parsed markdown file (front matter, body, first body line) when it had no error, and its
/// diagnostics.
pub type ParsedMarkdown = (Option<(FrontMatter, String, usize)>, Vec<Diagnostic>);

/// Reads and splits one markdown file; all problems go to the returned diagnostics.
pub fn read_markdown(path: &Path, file: &str, kind: Kind, taxonomies: &[String]) -> ParsedMarkdown {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::file(file, format!("cannot read: {e}"))],
            )
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::file(
                    file,
                    format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
                )],
            )
        }
    };
    parse_markdown(&text, file, kind, taxonomies)
}

/// Splits and parses the text of a markdown file.
pub fn parse_markdown(text: &str, file: &str, kind: Kind, taxonomies: &[String]) -> ParsedMarkdown {
    let text = frontmatter::normalize_newlines(text);
    let split = match frontmatter::split(&text) {
        Ok(s) => s,
        Err((line, col, msg)) => return (None, vec![Diagnostic::error(file, line, col, msg)]),
    };
    let (meta, diags) = FrontMatter::parse(split.yaml, split.yaml_line, kind, taxonomies, file);
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    (Some((meta, split.body.to_string(), split.body_line)), diags)
}

/// Loads `content/` below `root`.
pub fn load(root: &Path, config: &Config, opts: &LoadOptions) -> (Library, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut diags = Vec::new();
    if !content.is_dir() {
        diags.push(Diagnostic::file(
            "content",
            "the site has no content/ directory",
        ));
        return (Library::default(), diags);
    }
    let scanned = scan(&content, &mut diags);

    // Page bundles: directories holding an index.md.
    let bundles: Vec<&str> = scanned
        .files
        .iter()
        .filter(|(rel, _)| matches!(file_name(rel), "index.md" | "index.markdown"))
        .map(|(rel, _)| parent_dir(rel))
        .filter(|d| !d.is_empty())
        .collect();
    let bundle_of = |rel: &str| -> Option<&str> {
        bundles
            .iter()
            .filter(|b| rel.starts_with(&format!("{b}/")))
            .min_by_key(|b| b.len())
            .copied()
    };

    let mut section_dirs: Vec<String> = scanned
        .dirs
        .iter()
        .filter(|d| d.is_empty() || bundle_of(d).is_none() && !bundles.contains(&d.as_str()))
        .cloned()
        .collect();
    section_dirs.sort();

    // Markdown files to parse: section indexes and pages.
    let mut jobs: Vec<(String, PathBuf, Kind)> = Vec::new();
    let mut loose_assets: Vec<(String, PathBuf)> = Vec::new();
    for (rel, abs) in &scanned.files {
        let name = file_name(rel);
        if let Some(b) = bundle_of(rel) {
            let is_index = parent_dir(rel) == b && matches!(name, "index.md" | "index.markdown");
            if is_index {
                jobs.push((rel.clone(), abs.clone(), Kind::Page));
            } else {
                loose_assets.push((rel.clone(), abs.clone()));
            }
        } else if name == "_index.md" || name == "_index.markdown" {
            jobs.push((rel.clone(), abs.clone(), Kind::Section));
        } else if is_markdown(name) {
            jobs.push((rel.clone(), abs.clone(), Kind::Page));
        } else {
            loose_assets.push((rel.clone(), abs.clone()));
        }
    }

    let parsed: Vec<ParsedMarkdown> = jobs
        .par_iter()
        .map(|(rel, abs, kind)| {
            read_markdown(abs, &display("content", rel), *kind, &config.taxonomies)
        })
        .collect();

    let mut lib = Library::default();
    let mut section_index: BTreeMap<String, usize> = BTreeMap::new();
    for dir in &section_dirs {
        let components: Vec<String> = dir
            .split('/')
            .filter(|c| !c.is_empty())
            .map(slug::slugify)
            .collect();
        if components.iter().any(String::is_empty) {
            diags.push(Diagnostic::file(
                display("content", dir),
                "directory name gives an empty URL segment; rename it",
            ));
        }
        let path = url_path(&components);
        let title = file_name(dir).to_string();
        section_index.insert(dir.clone(), lib.sections.len());
        lib.sections.push(Section {
            file: None,
            content_path: if dir.is_empty() {
                "_index.md".into()
            } else {
                format!("{dir}/_index.md")
            },
            dir: dir.clone(),
            meta: FrontMatter::default(),
            body: String::new(),
            body_line: 1,
            title,
            path,
            components,
            parent: None,
            pages: Vec::new(),
            subsections: Vec::new(),
            assets: Vec::new(),
            rendered: Rendered::default(),
            has_products: false,
        });
    }
    for i in 1..lib.sections.len() {
        let parent = parent_dir(&lib.sections[i].dir).to_string();
        if let Some(&p) = section_index.get(&parent) {
            lib.sections[i].parent = Some(p);
            lib.sections[p].subsections.push(i);
        }
    }

    let mut pending_pages = Vec::new();
    for ((rel, abs, kind), (res, ds)) in jobs.iter().zip(parsed) {
        diags.extend(ds);
        let Some((meta, body, body_line)) = res else {
            continue;
        };
        let file = display("content", rel);
        match kind {
            Kind::Section => {
                let Some(&si) = section_index.get(parent_dir(rel)) else {
                    continue;
                };
                let s = &mut lib.sections[si];
                if let Some(t) = &meta.title {
                    s.title = t.clone();
                }
                s.file = Some(file);
                s.meta = meta;
                s.body = body;
                s.body_line = body_line;
            }
            Kind::Page => {
                pending_pages.push((rel.clone(), abs.clone(), file, meta, body, body_line))
            }
        }
    }

    // Drafts in a draft section are drafts too.
    let section_draft = |mut si: usize, lib: &Library| loop {
        if lib.sections[si].meta.draft {
            break true;
        }
        match lib.sections[si].parent {
            Some(p) => si = p,
            None => break false,
        }
    };

    for (rel, _abs, file, meta, body, body_line) in pending_pages {
        let bundle = bundle_of(&rel).filter(|b| parent_dir(&rel) == *b);
        let owner_dir = match bundle {
            Some(b) => parent_dir(b).to_string(),
            None => parent_dir(&rel).to_string(),
        };
        let Some(&si) = section_index.get(&owner_dir) else {
            continue;
        };
        if (meta.draft || section_draft(si, &lib)) && !opts.drafts {
            continue;
        }
        let stem_source = match bundle {
            Some(b) => file_name(b).to_string(),
            None => {
                let n = file_name(&rel);
                n.strip_suffix(".markdown")
                    .or_else(|| n.strip_suffix(".md"))
                    .unwrap_or(n)
                    .to_string()
            }
        };
        let (name_date, stem) = date_prefix(&stem_source);
        let date = meta.date.as_ref().map(|d| d.value).or(name_date);
        if let Some(d) = &date {
            if !opts.future && d.timestamp() > opts.now {
                continue;
            }
        }
        let slug = match &meta.slug {
            Some(s) => match explicit_slug(&s.value) {
                Ok(slug) => slug,
                Err(msg) => {
                    diags.push(Diagnostic::error(&file, s.line, s.col, msg));
                    continue;
                }
            },
            None => {
                let s = slug::slugify(stem);
                if s.is_empty() {
                    diags.push(Diagnostic::file(
                        &file,
                        "the file name gives an empty slug; rename the file or set `slug:`",
                    ));
                    continue;
                }
                s
            }
        };
        let mut components = lib.sections[si].components.clone();
        components.push(slug.clone());
        let assets = match bundle {
            Some(b) => loose_assets
                .iter()
                .filter(|(r, _)| r.starts_with(&format!("{b}/")))
                .map(|(r, a)| Asset {
                    src: a.clone(),
                    rel: r[b.len() + 1..].to_string(),
                    file: display("content", r),
                })
                .collect(),
            None => Vec::new(),
        };
        let title = meta.title.clone().unwrap_or_default();
        let terms = meta
            .taxonomies
            .iter()
            .flat_map(|(tax, names)| {
                names.value.iter().map(move |n| {
                    (
                        tax.clone(),
                        n.clone(),
                        taxonomy::term_path(tax, &slug::slugify(n)),
                    )
                })
            })
            .collect();
        lib.pages.push(Page {
            terms,
            position: 0,
            product: None,
            blocks: Vec::new(),
            product_refs: Vec::new(),
            referenced_by: Vec::new(),
            file,
            content_path: rel,
            section: si,
            path: url_path(&components),
            components,
            title,
            slug,
            date,
            meta,
            body,
            body_line,
            assets,
            rendered: Rendered::default(),
        });
    }

    for (rel, abs) in &loose_assets {
        if bundle_of(rel).is_some() {
            continue;
        }
        if let Some(&si) = section_index.get(parent_dir(rel)) {
            lib.sections[si].assets.push(Asset {
                src: abs.clone(),
                rel: file_name(rel).to_string(),
                file: display("content", rel),
            });
        }
    }

    for (i, p) in lib.pages.iter().enumerate() {
        lib.sections[p.section].pages.push(i);
    }
    for si in 0..lib.sections.len() {
        let sort_by = lib.sections[si].meta.sort_by;
        let mut pages = std::mem::take(&mut lib.sections[si].pages);
        pages.sort_by(|&a, &b| {
            let (pa, pb) = (&lib.pages[a], &lib.pages[b]);
            match sort_by {
                SortBy::Date => compare_by_date(pa, pb),
                SortBy::Weight => pa
                    .meta
                    .weight
                    .unwrap_or(i64::MAX)
                    .cmp(&pb.meta.weight.unwrap_or(i64::MAX))
                    .then_with(|| pa.file.cmp(&pb.file)),
                SortBy::Title => pa
                    .title
                    .to_lowercase()
                    .cmp(&pb.title.to_lowercase())
                    .then_with(|| pa.file.cmp(&pb.file)),
            }
        });
        for (pos, &pi) in pages.iter().enumerate() {
            lib.pages[pi].position = pos;
        }
        lib.sections[si].pages = pages;
    }
    attach_products(&mut lib, config, &mut diags);
    (lib, diags)
}

/// Checks `product:` and `blocks:` of every page, SKUs across pages, and `products:` references.
fn attach_products(lib: &mut Library, config: &Config, diags: &mut Vec<Diagnostic>) {
    let mut skus: BTreeMap<String, String> = BTreeMap::new();
    for p in &mut lib.pages {
        let mut c = product::Checker {
            file: &p.file,
            errors: Vec::new(),
        };
        if let Some(n) = &p.meta.product {
            p.product = product::parse(n, &mut c, &p.assets, &config.currency);
        }
        if let Some((sku, line, col)) = p.product.as_ref().and_then(|pr| pr.sku.clone()) {
            match skus.get(&sku) {
                Some(other) => c.errors.push(Diagnostic::error(
                    &p.file,
                    line,
                    col,
                    format!("sku `{sku}` is already used by {other}"),
                )),
                None => {
                    skus.insert(sku, p.file.clone());
                }
            }
        }
        if let Some(n) = &p.meta.blocks {
            p.blocks =
                product::parse_blocks(n, &mut c, p.product.as_ref(), &p.assets, &config.language);
        }
        diags.extend(c.errors);
    }
    let mut refs = Vec::new();
    for (i, p) in lib.pages.iter().enumerate() {
        let Some(list) = &p.meta.products else {
            continue;
        };
        for r in &list.value {
            let path = r.trim_start_matches("@/");
            match lib.find(path) {
                Some(Target::Page(t)) if lib.pages[t].product.is_some() => refs.push((i, t)),
                Some(Target::Page(_)) => diags.push(Diagnostic::error(
                    &p.file,
                    list.line,
                    list.col,
                    format!("`{r}` is a page without `product:`"),
                )),
                _ => diags.push(Diagnostic::error(
                    &p.file,
                    list.line,
                    list.col,
                    format!("`{r}`: no such product page in content/"),
                )),
            }
        }
    }
    for i in 0..lib.sections.len() {
        let has = lib.sections[i]
            .pages
            .iter()
            .any(|&p| lib.pages[p].product.is_some());
        lib.sections[i].has_products = has;
    }
    for (from, to) in refs {
        lib.pages[from].product_refs.push(to);
        if !lib.pages[to].referenced_by.contains(&from) {
            lib.pages[to].referenced_by.push(from);
        }
    }
}

/// Newest first; undated pages last; ties broken by file path.
fn compare_by_date(a: &Page, b: &Page) -> std::cmp::Ordering {
    let key = |p: &Page| p.date.map(|d| d.timestamp());
    match (key(a), key(b)) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
    .then_with(|| a.file.cmp(&b.file))
}

/// A `slug:` from front matter: one URL segment, never a path.
fn explicit_slug(s: &str) -> Result<String, String> {
    if s.contains('/') || s.contains('\\') || s.split('.').all(str::is_empty) || s.contains("..") {
        return Err(format!(
            "slug `{s}` escapes the output directory: a slug is one URL segment without `/`, `\\` or `..`"
        ));
    }
    let slug = slug::slugify(s);
    if slug.is_empty() {
        return Err(format!("slug `{s}` has no letters or digits"));
    }
    Ok(slug)
}

/// `/a/b/` from components (`/` for none).
pub fn url_path(components: &[String]) -> String {
    if components.is_empty() {
        "/".into()
    } else {
        format!("/{}/", components.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefixes() {
        let (d, rest) = date_prefix("2026-11-22-mein-beitrag");
        assert_eq!(d.map(|d| d.iso()), Some("2026-11-22".into()));
        assert_eq!(rest, "mein-beitrag");
        assert_eq!(date_prefix("2026-beitrag").1, "2026-beitrag");
        assert_eq!(date_prefix("2026-99-22-x").0, None);
    }

    #[test]
    fn ignored_names() {
        for n in [
            ".hidden",
            "a.md~",
            "#a.md#",
            ".#a.md",
            "a.md.swp",
            "a.md___jb_tmp___",
            "4913",
            "a.kate-swp",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("a.md"));
    }

    #[test]
    fn explicit_slugs() {
        assert!(explicit_slug("../../etc/x").is_err());
        assert!(explicit_slug("..").is_err());
        assert!(explicit_slug("a/b").is_err());
        assert_eq!(explicit_slug("Mein Beitrag").unwrap(), "mein-beitrag");
    }
}
