//! `kiosk check`: builds the whole site in memory (nothing is written) and reports every problem
//! a reader would otherwise find: broken internal links and anchors (also those templates make),
//! missing images and downloads, duplicate ids, images without alt text, pages without a
//! description, anything loaded from another host, missing or unfinished legal pages, and with
//! `--external` broken links to other sites.

mod external;
mod legal;
mod scan;
mod target;

use crate::error::Diagnostic;
use crate::output::Memory;
use crate::site::{BuildOptions, Site, Sites};
use crate::text::decode_entities;
use scan::Scan;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Build options (the output directory is never used).
    pub build: BuildOptions,
    /// Also check links to other sites over the network.
    pub external: bool,
    /// The time all external checks together may take.
    pub external_budget: std::time::Duration,
    /// Also warn about every page of the default language that another language lacks.
    pub translations: bool,
}

/// The result of a check.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Everything found, sorted by file, line, column.
    pub diagnostics: Vec<Diagnostic>,
    /// HTML pages checked.
    pub pages: usize,
    /// Links and resources checked.
    pub links: usize,
    /// External links checked over the network.
    pub external: usize,
    /// Every file of the built site (`blog/a/index.html`), for `kiosk import` to see which old
    /// addresses the site answers.
    pub outputs: BTreeSet<String>,
}

impl CheckReport {
    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Links to other sites, with every place that links them.
type External = external::Links;

/// The site built in memory, and what each file came from.
struct Built {
    /// The site in its default language.
    site: Site,
    /// The site in its other languages.
    others: Vec<Site>,
    files: BTreeMap<String, Vec<u8>>,
    source_of: HashMap<String, String>,
}

fn build_in_memory(opts: &CheckOptions) -> Result<Built, Vec<Diagnostic>> {
    let mut build = opts.build.clone();
    build.cache_read_only = true;
    let sites = Sites::load(&build, &mut |_| {}).map_err(|e| e.diagnostics)?;
    let plans = sites.plan().map_err(|e| e.diagnostics)?;
    let mem = Memory::default();
    for (site, jobs) in sites.sites.iter().zip(&plans) {
        site.render_jobs(jobs, &mem).map_err(|e| e.diagnostics)?;
    }
    let source_of = plans
        .into_iter()
        .flatten()
        .map(|j| (j.rel, j.source))
        .collect();
    let warnings = sites.warnings();
    let mut others = sites.sites;
    let mut site = others.remove(0);
    site.set_warnings(warnings);
    Ok(Built {
        site,
        others,
        files: mem.files.into_inner().unwrap_or_default(),
        source_of,
    })
}

/// Runs the check.
pub fn check(opts: &CheckOptions) -> CheckReport {
    let mut report = CheckReport::default();
    let built = match build_in_memory(opts) {
        Ok(b) => b,
        Err(d) => {
            report.diagnostics = d;
            return report;
        }
    };
    let mut diags: Vec<Diagnostic> = built.site.warnings().to_vec();
    let html: BTreeMap<&String, Scan> = built
        .files
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k, scan::scan(&String::from_utf8_lossy(v))))
        .collect();
    let mut sources: HashMap<String, String> = HashMap::new();
    let root = built.site.root.clone();
    let mut source_text = |src: &str| -> String {
        sources
            .entry(src.to_string())
            .or_insert_with(|| std::fs::read_to_string(root.join(src)).unwrap_or_default())
            .clone()
    };
    let mut pages = Pages {
        built: &built,
        ids: html
            .iter()
            .map(|(k, s)| {
                let targets = s.ids.iter().chain(&s.names).map(String::as_str).collect();
                (k.as_str(), targets)
            })
            .collect(),
        base_host: url::Url::parse(&built.site.config.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default(),
        external: External::new(),
    };
    for (key, sc) in &html {
        report.pages += 1;
        report.links += sc.links.len();
        let src = built.source(key);
        diags.extend(pages.check_page(key, sc, &src, &source_text(&src)));
    }
    diags.extend(stylesheets(&built));
    for site in std::iter::once(&built.site).chain(&built.others) {
        diags.extend(descriptions(site));
        let translation = !site.config.is_default_language();
        diags.extend(placeholder_checkouts(site, translation, &mut source_text));
    }
    legal::check(&built.site, &html, &mut source_text, &mut diags);
    if opts.translations {
        diags.extend(untranslated(&built.site));
    }
    if opts.external {
        let (found, checked) = external::check(&pages.external, opts.external_budget);
        report.external = checked;
        diags.extend(found);
    }
    diags.sort();
    diags.dedup();
    report.diagnostics = diags;
    report.outputs = built.files.keys().cloned().collect();
    report
}

/// A warning for each published page and section of the default language (`site`) that
/// another language of the site does not have.
fn untranslated(site: &Site) -> Vec<Diagnostic> {
    let t = &site.translations;
    let lang = &site.config.language;
    let pages = site.lib.pages.iter().filter(|p| p.published());
    let pages = pages.map(|p| (p.file.as_str(), p.content_path.as_str()));
    let sections = site.lib.sections.iter().filter(|s| s.published());
    let sections = sections.filter_map(|s| Some((s.file.as_deref()?, s.content_path.as_str())));
    let mut out = Vec::new();
    for (file, content_path) in pages.chain(sections) {
        for (code, name, _) in t.languages.iter().skip(1) {
            if !t
                .of(lang, Some(content_path))
                .iter()
                .any(|(c, _)| c == code)
            {
                out.push(Diagnostic::warning(
                    file,
                    0,
                    0,
                    format!("not translated into {name} (`{code}`)"),
                ));
            }
        }
    }
    out
}

/// Where a link target is written in its source file: first where it stands as a link or an
/// attribute in the body (`](x`, `src="x"`, `(x)`), then anywhere in the body, then anywhere
/// (a front matter field); (0, 0) when it is not there (a template made it).
fn locate(text: &str, needle: &str) -> (usize, usize) {
    if needle.is_empty() {
        return (0, 0);
    }
    let body = crate::content::frontmatter::split(text)
        .ok()
        .filter(|s| !s.yaml.is_empty())
        .map_or(0, |s| text.len() - s.body.len());
    let in_body = &text[body..];
    for prefix in ["](", "(", "=\"", "='", "<", "\""] {
        let pattern = format!("{prefix}{needle}");
        if let Some(i) = in_body.find(&pattern) {
            return crate::text::line_col(text, body + i + prefix.len());
        }
    }
    match in_body.find(needle) {
        Some(i) => crate::text::line_col(text, body + i),
        None => crate::text::find_line_col(text, needle),
    }
}

impl Built {
    /// The source file of an output file (the output itself when unknown).
    fn source(&self, key: &str) -> String {
        self.source_of
            .get(key)
            .map_or(key, String::as_str)
            .to_string()
    }
}

/// What checking the links of every page needs.
struct Pages<'a> {
    built: &'a Built,
    ids: HashMap<&'a str, BTreeSet<&'a str>>,
    base_host: String,
    external: External,
}

impl Pages<'_> {
    /// Duplicate ids, images without alt text, and every link of one page.
    fn check_page(&mut self, key: &str, sc: &Scan, src: &str, text: &str) -> Vec<Diagnostic> {
        let at = |needle: &str| locate(text, needle);
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for id in &sc.ids {
            if !seen.insert(id) {
                let (l, c) = at(&format!("{{#{id}}}"));
                out.push(Diagnostic::error(
                    src,
                    l,
                    c,
                    format!("id `{id}` appears more than once on /{key}"),
                ));
            }
        }
        for img in &sc.images_without_alt {
            let (l, c) = at(img);
            out.push(Diagnostic::warning(
                src,
                l,
                c,
                format!("image `{img}` has no alt text (screen readers cannot describe it)"),
            ));
        }
        for (tag, attr, raw, loads) in &sc.links {
            let value = decode_entities(raw);
            let (l, c) = at(&value);
            let link = Link {
                src,
                line: l,
                col: c,
                tag,
                attr,
                value: &value,
                loads: *loads,
            };
            out.extend(self.check_link(key, &link));
        }
        out
    }

    /// One link: to another host (a privacy warning for loads, queued for `--external`), or
    /// inside the site (the file and the fragment must exist).
    fn check_link(&mut self, key: &str, link: &Link) -> Vec<Diagnostic> {
        let base = self.built.site.config.base_url.clone();
        // `http://` to the site's own `https://` host: mixed content, and checked as internal.
        let upgraded = base
            .strip_prefix("https://")
            .and_then(|rest| link.value.strip_prefix("http://")?.strip_prefix(rest))
            .map(|path| format!("{base}{path}"));
        let mut out = Vec::new();
        if upgraded.is_some() {
            out.push(Diagnostic::warning(link.src, link.line, link.col, format!(
                "`{}` links the site's own host over http://: browsers warn about mixed content; write https:// or a relative link",
                link.value
            )));
        }
        let value = upgraded.as_deref().unwrap_or(link.value);
        out.extend(self.check_target(key, link, value, &base));
        out
    }

    /// The file a link names exists, and so does the element its fragment names.
    fn check_target(
        &mut self,
        key: &str,
        link: &Link,
        value: &str,
        base: &str,
    ) -> Option<Diagnostic> {
        let origin = if link.line == 0 {
            " (made by a template)"
        } else {
            ""
        };
        let at = |msg: String| Diagnostic::error(link.src, link.line, link.col, msg);
        let (target, fragment) = match target::internal_target(value, key, base) {
            None => return self.foreign(link, origin),
            Some(Err(e)) => return Some(at(e)),
            Some(Ok(t)) => t,
        };
        let files = &self.built.files;
        let dir = format!("{target}/index.html");
        let resolved = if files.contains_key(&target) {
            target.clone()
        } else if files.contains_key(&dir) {
            dir
        } else {
            let what = if link.attr == "src" { "file" } else { "page" };
            return Some(at(format!(
                "link to `{}`: no {what} /{target} in the built site{origin}",
                link.value
            )));
        };
        let f = fragment.filter(|f| !f.is_empty())?;
        let missing = resolved.ends_with(".html")
            && !self
                .ids
                .get(resolved.as_str())
                .is_some_and(|s| s.contains(f.as_str()));
        missing.then(|| {
            at(format!(
                "link to `{}`: /{resolved} has no element with id `{f}`{origin}",
                link.value
            ))
        })
    }

    /// A link to another host: a load warns (privacy); a plain link is queued for `--external`.
    fn foreign(&mut self, link: &Link, origin: &str) -> Option<Diagnostic> {
        let value = link.value;
        let lower = value.to_ascii_lowercase();
        let host = url::Url::parse(value)
            .ok()
            .or_else(|| url::Url::parse(&format!("https:{value}")).ok())
            .and_then(|u| u.host_str().map(str::to_string));
        let foreign = (lower.starts_with("http") || value.starts_with("//"))
            && host.as_deref().is_some_and(|h| h != self.base_host);
        if foreign && link.loads {
            return Some(Diagnostic::warning(link.src, link.line, link.col, format!(
                "<{} {}> loads `{value}` from another host: every visitor's IP address is sent there (a privacy risk; in Germany remotely loaded fonts have led to legal warnings){origin}",
                link.tag, link.attr
            )));
        }
        if foreign && link.tag == "a" {
            self.external.entry(value.to_string()).or_default().push((
                link.src.to_string(),
                link.line,
                link.col,
            ));
        }
        None
    }
}

/// One link or load on a page, with its place in the source.
struct Link<'a> {
    src: &'a str,
    line: usize,
    col: usize,
    tag: &'a str,
    attr: &'a str,
    value: &'a str,
    loads: bool,
}

/// Stylesheets that load fonts or images from other hosts.
fn stylesheets(built: &Built) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, bytes) in built.files.iter().filter(|(k, _)| k.ends_with(".css")) {
        let css = String::from_utf8_lossy(bytes);
        let src = built.source(key);
        for pat in ["url(", "@import"] {
            for (i, _) in css.match_indices(pat) {
                let rest = css[i + pat.len()..].trim_start_matches([' ', '"', '\'', '(']);
                if rest.starts_with("http://")
                    || rest.starts_with("https://")
                    || rest.starts_with("//")
                {
                    let line = css[..i].matches('\n').count() + 1;
                    let target: String = rest
                        .chars()
                        .take_while(|c| !matches!(c, '"' | '\'' | ')' | ';' | ' '))
                        .collect();
                    out.push(Diagnostic::warning(&src, line, 1, format!("stylesheet loads `{target}` from another host (fonts or images from a CDN send every visitor's IP address there)")));
                }
            }
        }
    }
    out
}

/// Buy buttons that go to an example address (the starter's `checkout.example`): a reader who
/// clicks finds no shop.
fn placeholder_checkouts(
    site: &Site,
    translation: bool,
    source_text: &mut dyn FnMut(&str) -> String,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in site.lib.pages.iter().filter(|p| p.published()) {
        let mut urls: Vec<&str> = p
            .product
            .iter()
            .map(|pr| pr.checkout.url.as_str())
            .collect();
        for b in &p.blocks {
            if let crate::content::product::Block::Buy { offers, .. } = b {
                urls.extend(offers.iter().map(|o| o.checkout.url.as_str()));
            }
        }
        for u in urls {
            let host = url::Url::parse(u)
                .ok()
                .and_then(|x| x.host_str().map(str::to_string))
                .unwrap_or_default();
            let example = host == "example.org"
                || host == "example.com"
                || host == "example.net"
                || host.ends_with(".example")
                || host.ends_with(".example.org")
                || host.ends_with(".example.com");
            if example {
                let (l, c) = locate(&source_text(&p.file), u.trim_end_matches('/'));
                // A translation's address taken from its twin is reported at the twin.
                if translation && (l, c) == (0, 0) {
                    continue;
                }
                out.push(Diagnostic::warning(&p.file, l, c, format!("the buy button goes to {u}, an example address: put the link of your payment provider here")));
            }
        }
    }
    out
}

/// Pages without a description.
fn descriptions(site: &Site) -> Vec<Diagnostic> {
    site.lib
        .pages
        .iter()
        .filter(|p| {
            p.published()
                && p.meta
                    .description
                    .as_deref()
                    .is_none_or(|d| d.trim().is_empty())
        })
        .map(|p| {
            Diagnostic::warning(
                &p.file,
                0,
                0,
                "no `description`: search engines and link previews will guess one",
            )
        })
        .collect()
}
