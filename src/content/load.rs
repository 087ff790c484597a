//! Loading `content/` into a [`Library`]: the classified files are parsed in parallel, sections
//! are made for directories, pages for markdown files (drafts and future pages left out unless
//! asked for), bundle and section files attached, pages sorted, products checked.

use super::frontmatter::{FrontMatter, Kind, SortBy};
use super::scan::{self, display, file_name, parent_dir, Classified, MarkdownFile};
use super::{compare_by_date, product, url_path, Asset, Library, Section, Target};
use crate::config::Config;
use crate::date::PageDate;
use crate::error::Diagnostic;
use crate::markdown::Rendered;
use crate::text::slug;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Which pages a build includes.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Include pages dated in the future.
    pub future: bool,
    /// "Now", for the future check.
    pub now: jiff::Timestamp,
    /// The language whose files to read, on a site with several (`None`: every file).
    pub language: Option<super::languages::LanguageFilter>,
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
    let text = crate::text::normalize_newlines(text);
    let split = match super::frontmatter::split(&text) {
        Ok(s) => s,
        Err((line, col, msg)) => return (None, vec![Diagnostic::error(file, line, col, msg)]),
    };
    let (meta, diags) = FrontMatter::parse(
        split.yaml,
        split.yaml_line,
        split.format,
        kind,
        taxonomies,
        file,
    );
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }
    (Some((meta, split.body.to_string(), split.body_line)), diags)
}

/// A page's file, parsed, waiting for its section.
pub(super) struct Pending {
    pub file: MarkdownFile,
    pub meta: FrontMatter,
    pub body: String,
    pub body_line: usize,
}

/// Loads `content/` below `root`. The library always has its root section, also when
/// `content/` is missing (which is reported).
pub fn load(root: &Path, config: &Config, opts: &LoadOptions) -> (Library, Vec<Diagnostic>) {
    let content = root.join("content");
    let mut diags = Vec::new();
    let mut lib = Library::default();
    if !content.is_dir() {
        diags.push(Diagnostic::file(
            "content",
            "the site has no content/ directory",
        ));
        add_sections(&mut lib, &[String::new()], &mut diags);
        return (lib, diags);
    }
    let Classified {
        section_dirs,
        markdown,
        mut bundle_files,
        section_files,
        skipped,
    } = {
        let scanned = scan::scan(&content, &mut diags);
        let codes = opts.language.as_ref().map_or(&[][..], |f| &f.codes[..]);
        diags.extend(super::languages::unknown_translations(&scanned, codes));
        scan::classify(match &opts.language {
            Some(f) => super::languages::select(scanned, f, &mut diags),
            None => scanned,
        })
    };
    diags.extend(skipped);
    // A file with front matter is a page in some format: never copied as it is.
    let section_files = without_front_matter(section_files, |(rel, abs)| (rel, abs), &mut diags);
    for files in bundle_files.values_mut() {
        let all = std::mem::take(files);
        *files = without_front_matter(all, |(_, abs, rel)| (rel, abs), &mut diags);
    }
    let parsed: Vec<ParsedMarkdown> = markdown
        .par_iter()
        .map(|m| read_markdown(&m.abs, &m.file, m.kind, &config.taxonomies))
        .collect();
    let (mut indexes, mut pages) = split_parsed(markdown, parsed, &mut diags);
    if let Some(f) = &opts.language {
        share_products(&mut pages, &f.products);
    }
    apply_cascade(&mut indexes, &mut pages);
    if let Some(root) = indexes.get("").filter(|r| r.meta.draft && !opts.drafts) {
        diags.push(Diagnostic::file(
            root.file.file.clone(),
            "`draft: true` on the home page's _index.md would make the whole site a draft: remove it (or build with --drafts)",
        ));
    }
    // A draft section publishes nothing: not its page, its pages, its files or its subsections.
    let draft_dirs: std::collections::BTreeSet<String> = indexes
        .iter()
        .filter(|(d, i)| i.meta.draft && !d.is_empty())
        .map(|(d, _)| d.clone())
        .collect();
    let section_dirs: Vec<String> = section_dirs
        .into_iter()
        .filter(|d| opts.drafts || d.is_empty() || !in_draft_section(d, &draft_dirs))
        .collect();
    let section_index = add_sections(&mut lib, &section_dirs, &mut diags);
    attach_indexes(&mut lib, &section_index, indexes);
    let drafted = |dir: &str| !opts.drafts && in_draft_section(dir, &draft_dirs);
    let ctx = Placing {
        section_index: &section_index,
        opts,
        config,
        drafted: &drafted,
    };
    add_pages(&mut lib, &ctx, pages, bundle_files, &mut diags);
    add_section_files(&mut lib, &ctx, section_files);
    sort_sections(&mut lib);
    lib.index();
    attach_products(&mut lib, config, opts.now, &mut diags);
    diags.extend(ignored_keys(&lib));
    (lib, diags)
}

/// A translation sells the default language's product: price, SKU and checkout are written
/// once. A translation without `product:` takes all of it (its problems are reported at the
/// file it is written in); one with `product:` takes the keys it does not write itself.
fn share_products(pages: &mut [Pending], products: &super::SharedProducts) {
    for p in pages.iter_mut() {
        let tie = super::translation_tie(p.meta.translation_key.as_ref(), &p.file.rel);
        let Some((node, file)) = products.get(&tie) else {
            continue;
        };
        // An empty `product:` is "not set".
        let empty = p
            .meta
            .product
            .as_ref()
            .is_some_and(|n| n.to_value().is_null());
        match &mut p.meta.product {
            Some(own) if !empty => own.inherit(node),
            _ => {
                p.meta.product = Some(node.clone());
                p.meta.product_file = Some(file.clone());
            }
        }
    }
}

/// What placing pages and files in their sections needs.
struct Placing<'a> {
    section_index: &'a BTreeMap<String, usize>,
    opts: &'a LoadOptions,
    config: &'a Config,
    /// Is a folder in a draft section (and drafts are left out)?
    drafted: &'a dyn Fn(&str) -> bool,
}

/// Makes the pages (with their bundle files) that are published in this build.
fn add_pages(
    lib: &mut Library,
    ctx: &Placing,
    pages: Vec<Pending>,
    mut bundle_files: std::collections::HashMap<String, Vec<(String, std::path::PathBuf, String)>>,
    diags: &mut Vec<Diagnostic>,
) {
    for p in pages {
        let dir = p
            .file
            .bundle
            .as_deref()
            .map_or_else(|| parent_dir(&p.file.rel), parent_dir);
        if (ctx.drafted)(dir) {
            continue;
        }
        let assets = p
            .file
            .bundle
            .as_ref()
            .and_then(|b| bundle_files.remove(b))
            .unwrap_or_default();
        let page_ctx = super::page::Context {
            lib,
            section_index: ctx.section_index,
            opts: ctx.opts,
            config: ctx.config,
        };
        if let Some(page) = super::page::make(&page_ctx, p, assets, diags) {
            lib.pages.push(page);
        }
    }
}

/// Gives each section the other files of its folder and of the plain folders below it.
fn add_section_files(
    lib: &mut Library,
    ctx: &Placing,
    section_files: Vec<(String, std::path::PathBuf)>,
) {
    for (rel, abs) in section_files {
        if (ctx.drafted)(parent_dir(&rel)) {
            continue;
        }
        if let Some((si, between)) = owning_section(ctx.section_index, parent_dir(&rel)) {
            let below = if between.is_empty() {
                file_name(&rel).to_string()
            } else {
                format!("{between}/{}", file_name(&rel))
            };
            lib.sections[si].assets.push(Asset {
                src: abs,
                rel: below,
                file: display("content", &rel),
            });
        }
    }
}

/// One warning per key of another generator that kiosk ignores, at its first place, with the
/// number of files that use it (a Jekyll site has `layout:` in every post).
fn ignored_keys(lib: &Library) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<&str, (String, usize, usize, usize)> = BTreeMap::new();
    let metas = lib.pages.iter().map(|p| (p.file.as_str(), &p.meta)).chain(
        lib.sections
            .iter()
            .filter_map(|s| Some((s.file.as_deref()?, &s.meta))),
    );
    for (file, meta) in metas {
        for k in &meta.ignored {
            let e = seen
                .entry(k.value.as_str())
                .or_insert_with(|| (file.to_string(), k.line, k.col, 0));
            e.3 += 1;
        }
    }
    seen.into_iter()
        .map(|(key, (file, line, col, n))| {
            let files = if n == 1 { String::new() } else { format!(" (in {n} files)") };
            Diagnostic::warning(
                file,
                line,
                col,
                format!("`{key}` is a setting of another site generator that kiosk does not use; it is ignored{files}"),
            )
        })
        .collect()
}

/// Does the file start with front matter (`---` or `+++` on its first line)?
fn starts_with_front_matter(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = head[..n]
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&head[..n]);
    [&b"---\n"[..], b"---\r\n", b"+++\n", b"+++\r\n"]
        .iter()
        .any(|f| head.starts_with(f))
}

/// `files` without those that start with front matter, which are reported.
fn without_front_matter<T>(
    files: Vec<T>,
    names: impl Fn(&T) -> (&String, &std::path::PathBuf),
    diags: &mut Vec<Diagnostic>,
) -> Vec<T> {
    files
        .into_iter()
        .filter(|f| {
            let (rel, p) = names(f);
            let keep = !starts_with_front_matter(p);
            if !keep {
                diags.push(Diagnostic::warning(
                    display("content", rel),
                    0,
                    0,
                    "starts with front matter but is not .md or .markdown: it is not published (rename it to .md to make it a page)",
                ));
            }
            keep
        })
        .collect()
}

/// The section a folder's files belong to: the nearest section at or above `dir`, and the path
/// of the folders between (`2023` for `posts/2023` in the section `posts`).
pub(super) fn owning_section<'d>(
    index: &BTreeMap<String, usize>,
    dir: &'d str,
) -> Option<(usize, &'d str)> {
    let mut d = dir;
    loop {
        if let Some(&si) = index.get(d) {
            return Some((si, dir[d.len()..].trim_start_matches('/')));
        }
        if d.is_empty() {
            return None;
        }
        d = parent_dir(d);
    }
}

/// The folders above `dir` that have an `_index.md`, nearest first (`dir` itself included).
fn ancestors<'i>(dir: &str, indexes: &'i BTreeMap<String, Pending>) -> Vec<&'i Pending> {
    let mut out = Vec::new();
    let mut d = dir;
    loop {
        if let Some(p) = indexes.get(d) {
            out.push(p);
        }
        if d.is_empty() {
            return out;
        }
        d = parent_dir(d);
    }
}

/// Hugo's `cascade`: a section that makes everything below it a draft or headless does so
/// for every page and section below it (not for its own page).
fn apply_cascade(indexes: &mut BTreeMap<String, Pending>, pages: &mut [Pending]) {
    let cascade_of = |dir: &str, indexes: &BTreeMap<String, Pending>| {
        ancestors(dir, indexes)
            .iter()
            .fold((false, false), |(d, h), p| {
                (d || p.meta.cascade.draft, h || p.meta.cascade.headless)
            })
    };
    for p in pages.iter_mut() {
        let dir = p
            .file
            .bundle
            .as_deref()
            .map_or_else(|| parent_dir(&p.file.rel), parent_dir);
        let (draft, headless) = cascade_of(dir, indexes);
        p.meta.draft |= draft;
        p.meta.headless |= headless;
    }
    let dirs: Vec<String> = indexes.keys().filter(|d| !d.is_empty()).cloned().collect();
    for dir in dirs {
        let (draft, headless) = cascade_of(parent_dir(&dir), indexes);
        if let Some(i) = indexes.get_mut(&dir) {
            i.meta.draft |= draft;
            i.meta.headless |= headless;
        }
    }
}

/// The parsed files (those without errors) as section indexes by directory, and pages.
fn split_parsed(
    markdown: Vec<MarkdownFile>,
    parsed: Vec<ParsedMarkdown>,
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, Pending>, Vec<Pending>) {
    let mut indexes = BTreeMap::new();
    let mut pages = Vec::new();
    for (m, (res, ds)) in markdown.into_iter().zip(parsed) {
        diags.extend(ds);
        let Some((mut meta, body, body_line)) = res else {
            continue;
        };
        meta.draft |= m.draft_folder;
        let p = Pending {
            file: m,
            meta,
            body,
            body_line,
        };
        match p.file.kind {
            Kind::Section => {
                indexes.insert(parent_dir(&p.file.rel).to_string(), p);
            }
            Kind::Page => pages.push(p),
        }
    }
    (indexes, pages)
}

/// Gives each section the title, front matter and body of its `_index.md`.
fn attach_indexes(
    lib: &mut Library,
    section_index: &BTreeMap<String, usize>,
    indexes: BTreeMap<String, Pending>,
) {
    for (dir, index) in indexes {
        if let Some(&si) = section_index.get(&dir) {
            let s = &mut lib.sections[si];
            if let Some(t) = &index.meta.title {
                s.title = t.clone();
            }
            s.file = Some(index.file.file.clone());
            s.meta = index.meta;
            s.body = index.body;
            s.body_line = index.body_line;
        }
    }
}

/// Is `dir`, or a directory above it (below the root), a section marked `draft: true`?
fn in_draft_section(dir: &str, draft_dirs: &std::collections::BTreeSet<String>) -> bool {
    let mut d = dir;
    loop {
        if draft_dirs.contains(d) {
            return true;
        }
        match d.rfind('/') {
            Some(i) => d = &d[..i],
            None => return false,
        }
    }
}

/// The title of a section without one: its folder's name, capitalized, without Jekyll's `_`.
fn folder_title(name: &str) -> String {
    let name = name.trim_start_matches('_');
    let mut c = name.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// One section per directory; returns the section index of each directory.
fn add_sections(
    lib: &mut Library,
    dirs: &[String],
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, usize> {
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for dir in dirs {
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
        index.insert(dir.clone(), lib.sections.len());
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
            title: folder_title(file_name(dir)),
            path: url_path(&components),
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
        if let Some(&p) = index.get(&parent) {
            lib.sections[i].parent = Some(p);
            lib.sections[p].subsections.push(i);
        }
    }
    index
}

/// Lists each section's pages in its `sort_by` order and records each page's position.
fn sort_sections(lib: &mut Library) {
    for (i, p) in lib.pages.iter().enumerate() {
        if p.published() {
            lib.sections[p.section].pages.push(i);
        }
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
}

/// Checks `product:` and `blocks:` of every page, SKUs across pages, and `products:` references.
fn attach_products(
    lib: &mut Library,
    config: &Config,
    now: jiff::Timestamp,
    diags: &mut Vec<Diagnostic>,
) {
    let mut skus: BTreeMap<String, String> = BTreeMap::new();
    for p in &mut lib.pages {
        let mut c = product::Checker {
            file: p.meta.product_file.as_deref().unwrap_or(&p.file),
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
        // The blocks are always the page's own.
        let mut c = product::Checker {
            file: &p.file,
            errors: c.errors,
        };
        if let Some(n) = &p.meta.blocks {
            p.blocks =
                product::parse_blocks(n, &mut c, p.product.as_ref(), &p.assets, &config.currency);
        }
        diags.extend(c.errors);
        settle_products(p, now, &config.locale, diags);
    }
    let refs = product_refs(lib, diags);
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

/// The build's date applied to a page's product and the offers of its `buy` blocks: sales end,
/// preorders come out, sold-out products sell no package.
fn settle_products(
    p: &mut super::Page,
    now: jiff::Timestamp,
    locale: &crate::locale::Locale,
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(pr) = p.product.as_mut() {
        diags.extend(pr.settle(now, &p.file));
    }
    let availability = p.product.as_ref().map(|pr| pr.availability);
    for b in &mut p.blocks {
        if let product::Block::Buy { offers, .. } = b {
            for o in offers {
                diags.extend(o.settle(now, &p.file, availability, locale));
            }
        }
    }
}

/// The (page, product page) pairs of every `products:` list; bad references are reported.
fn product_refs(lib: &Library, diags: &mut Vec<Diagnostic>) -> Vec<(usize, usize)> {
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
    refs
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
}
