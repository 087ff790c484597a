//! `kiosk check`: builds the whole site in memory (nothing is written) and reports every problem
//! a reader would otherwise find: broken internal links and anchors (also those templates make),
//! missing images and downloads, duplicate ids, images without alt text, pages without a
//! description, anything loaded from another host, missing or unfinished legal pages, and with
//! `--external` broken links to other sites.

use crate::error::{Diagnostic, Severity};
use crate::output::Memory;
use crate::site::{BuildOptions, Site};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Build options (the output directory is never used).
    pub build: BuildOptions,
    /// Also check links to other sites over the network.
    pub external: bool,
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

#[derive(Debug, Default)]
struct Scan {
    ids: Vec<String>,
    /// (tag, attribute, value, loads: is it a resource the browser fetches on its own?)
    links: Vec<(String, &'static str, String, bool)>,
    images_without_alt: Vec<String>,
    redirect: bool,
}

fn scan(html: &str) -> Scan {
    use lol_html::{element, rewrite_str, Settings};
    let s = RefCell::new(Scan::default());
    let settings = Settings::new()
        .append_element_content_handler(element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                s.borrow_mut().ids.push(id);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href], area[href]", |el| {
            if let Some(v) = el.get_attribute("href") {
                s.borrow_mut().links.push((el.tag_name(), "href", v, false));
            }
            Ok(())
        }))
        .append_element_content_handler(element!("link[href]", |el| {
            let rel = el.get_attribute("rel").unwrap_or_default().to_ascii_lowercase();
            if let Some(v) = el.get_attribute("href") {
                // canonical/alternate are references, not loads.
                let loads = ["stylesheet", "icon", "preload", "prefetch", "manifest", "modulepreload", "preconnect", "dns-prefetch"]
                    .iter()
                    .any(|r| rel.split_whitespace().any(|x| x == *r));
                s.borrow_mut().links.push(("link".into(), "href", v, loads));
            }
            Ok(())
        }))
        .append_element_content_handler(element!("img, script[src], iframe[src], video[src], audio[src], source[src], embed[src], track[src], input[src]", |el| {
            let tag = el.tag_name();
            if let Some(v) = el.get_attribute("src") {
                s.borrow_mut().links.push((tag.clone(), "src", v.clone(), true));
                if tag == "img" && !el.has_attribute("alt") {
                    s.borrow_mut().images_without_alt.push(v);
                }
            }
            Ok(())
        }))
        .append_element_content_handler(element!("meta[http-equiv]", |el| {
            if el.get_attribute("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) {
                s.borrow_mut().redirect = true;
            }
            Ok(())
        }));
    let _ = rewrite_str(html, settings);
    s.into_inner()
}

fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Where a link from page `page_key` points inside the site: (file key, fragment). `None` for
/// links to other sites and for `mailto:` and the like.
pub fn internal_target(
    url: &str,
    page_key: &str,
    base_url: &str,
) -> Option<Result<(String, Option<String>), String>> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if url.is_empty()
        || ["mailto:", "tel:", "data:", "javascript:", "sms:"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let path = if let Some(rest) = url.strip_prefix(base_url) {
        format!("/{rest}")
    } else if lower.starts_with("http://") || lower.starts_with("https://") || url.starts_with("//")
    {
        return None;
    } else if url.starts_with('/') {
        url.to_string()
    } else {
        let dir = page_key.rsplit_once('/').map_or("", |(d, _)| d);
        if url.starts_with('#') || url.starts_with('?') {
            let name = page_key.rsplit('/').next().unwrap_or(page_key);
            let own = if name == "index.html" {
                format!("/{dir}/")
            } else {
                format!("/{page_key}")
            };
            format!("{}{url}", own.replace("//", "/"))
        } else {
            format!("/{dir}/{url}").replace("//", "/")
        }
    };
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string())),
        None => (path, None),
    };
    let path = path.split('?').next().unwrap_or("").to_string();
    // Resolve `.` and `..` the way a browser does, never above the root.
    let ends_dir = path.ends_with('/');
    let mut parts: Vec<String> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned(),
            ),
        }
    }
    let mut key = parts.join("/");
    if ends_dir || key.is_empty() {
        key = if key.is_empty() {
            "index.html".into()
        } else {
            format!("{key}/index.html")
        };
    }
    let fragment = fragment.map(|f| {
        percent_encoding::percent_decode_str(&f)
            .decode_utf8_lossy()
            .into_owned()
    });
    Some(Ok((key, fragment)))
}

fn locate(text: &str, needle: &str) -> (usize, usize) {
    if needle.is_empty() {
        return (0, 0);
    }
    match text.find(needle) {
        Some(i) => {
            let line = text[..i].matches('\n').count() + 1;
            let col = i - text[..i].rfind('\n').map_or(0, |p| p + 1) + 1;
            (line, col)
        }
        None => (0, 0),
    }
}

/// Runs the check.
pub fn check(opts: &CheckOptions) -> CheckReport {
    let mut build = opts.build.clone();
    build.cache_read_only = true;
    let mut report = CheckReport::default();
    let site = match Site::load(&build, &mut |_| {}) {
        Ok(s) => s,
        Err(e) => {
            report.diagnostics = e.diagnostics;
            return report;
        }
    };
    let jobs = match site.plan() {
        Ok(j) => j,
        Err(e) => {
            report.diagnostics = e.diagnostics;
            return report;
        }
    };
    let mem = Memory::default();
    if let Err(e) = site.render_jobs(&jobs, &mem) {
        report.diagnostics = e.diagnostics;
        return report;
    }
    let files = mem.files.into_inner().unwrap_or_default();
    let source_of: HashMap<&str, &str> = jobs
        .iter()
        .map(|j| (j.rel.as_str(), j.source.as_str()))
        .collect();
    let mut diags: Vec<Diagnostic> = site.warnings().to_vec();
    let base = site.config.base_url.clone();
    let base_host = url::Url::parse(&base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();

    let html: BTreeMap<&String, Scan> = files
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k, scan(&String::from_utf8_lossy(v))))
        .collect();
    let ids: HashMap<&str, BTreeSet<&str>> = html
        .iter()
        .map(|(k, s)| (k.as_str(), s.ids.iter().map(String::as_str).collect()))
        .collect();
    let mut sources: HashMap<String, String> = HashMap::new();
    let mut source_text = |src: &str| -> String {
        sources
            .entry(src.to_string())
            .or_insert_with(|| std::fs::read_to_string(site.root.join(src)).unwrap_or_default())
            .clone()
    };
    let mut external: BTreeMap<String, Vec<(String, usize, usize)>> = BTreeMap::new();

    for (key, sc) in &html {
        report.pages += 1;
        let src = source_of
            .get(key.as_str())
            .copied()
            .unwrap_or(key.as_str())
            .to_string();
        let text = source_text(&src);
        let at = |needle: &str| locate(&text, needle);
        let mut seen = BTreeSet::new();
        for id in &sc.ids {
            if !seen.insert(id) {
                let (l, c) = at(&format!("{{#{id}}}"));
                diags.push(Diagnostic::error(
                    &src,
                    l,
                    c,
                    format!("id `{id}` appears more than once on /{key}"),
                ));
            }
        }
        for img in &sc.images_without_alt {
            let (l, c) = at(img);
            diags.push(Diagnostic::warning(
                &src,
                l,
                c,
                format!("image `{img}` has no alt text (screen readers cannot describe it)"),
            ));
        }
        for (tag, attr, raw, loads) in &sc.links {
            report.links += 1;
            let value = decode_entities(raw);
            let (l, c) = at(&value);
            let origin = if l == 0 { " (made by a template)" } else { "" };
            match internal_target(&value, key, &base) {
                None => {
                    let lower = value.to_ascii_lowercase();
                    let host = url::Url::parse(&value)
                        .ok()
                        .or_else(|| url::Url::parse(&format!("https:{value}")).ok())
                        .and_then(|u| u.host_str().map(str::to_string));
                    let foreign = (lower.starts_with("http") || value.starts_with("//"))
                        && host.as_deref().is_some_and(|h| h != base_host);
                    if foreign && *loads {
                        diags.push(Diagnostic::warning(&src, l, c, format!(
                            "<{tag} {attr}> loads `{value}` from another host: every visitor's IP address is sent there (a privacy risk; in Germany remotely loaded fonts have led to legal warnings){origin}"
                        )));
                    } else if foreign && *tag == "a" {
                        external
                            .entry(value.clone())
                            .or_default()
                            .push((src.clone(), l, c));
                    }
                }
                Some(Err(e)) => diags.push(Diagnostic::error(&src, l, c, e)),
                Some(Ok((target, fragment))) => {
                    let resolved = if files.contains_key(&target) {
                        Some(target.clone())
                    } else {
                        let dir = format!("{target}/index.html");
                        files.contains_key(&dir).then_some(dir)
                    };
                    let Some(resolved) = resolved else {
                        let what = if *attr == "src" { "file" } else { "page" };
                        diags.push(Diagnostic::error(
                            &src,
                            l,
                            c,
                            format!(
                                "link to `{value}`: no {what} /{target} in the built site{origin}"
                            ),
                        ));
                        continue;
                    };
                    if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                        if resolved.ends_with(".html")
                            && !ids
                                .get(resolved.as_str())
                                .is_some_and(|s| s.contains(f.as_str()))
                        {
                            diags.push(Diagnostic::error(&src, l, c, format!("link to `{value}`: /{resolved} has no element with id `{f}`{origin}")));
                        }
                    }
                }
            }
        }
    }
    // Stylesheets that load from other hosts.
    for (key, bytes) in files.iter().filter(|(k, _)| k.ends_with(".css")) {
        let css = String::from_utf8_lossy(bytes);
        let src = source_of
            .get(key.as_str())
            .copied()
            .unwrap_or(key.as_str())
            .to_string();
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
                    diags.push(Diagnostic::warning(&src, line, 1, format!("stylesheet loads `{target}` from another host (fonts or images from a CDN send every visitor's IP address there)")));
                }
            }
        }
    }
    // Pages without a description.
    for p in &site.lib.pages {
        if p.meta
            .description
            .as_deref()
            .is_none_or(|d| d.trim().is_empty())
        {
            diags.push(Diagnostic::warning(
                &p.file,
                0,
                0,
                "no `description`: search engines and link previews will guess one",
            ));
        }
    }
    legal_pages(&site, &html, &mut source_text, &mut diags);
    if opts.external {
        report.external = external.len();
        diags.extend(check_external(&external));
    }
    diags.sort();
    diags.dedup();
    report.diagnostics = diags;
    report
}

/// German sites need an Impressum and a Datenschutz page, linked from every page, without the
/// starter's placeholders.
fn legal_pages(
    site: &Site,
    html: &BTreeMap<&String, Scan>,
    source_text: &mut dyn FnMut(&str) -> String,
    diags: &mut Vec<Diagnostic>,
) {
    if !site.config.language.starts_with("de") {
        return;
    }
    for (label, slugs) in [
        ("Impressum", &["impressum"][..]),
        (
            "Datenschutz",
            &["datenschutz", "datenschutzerklaerung", "privacy"][..],
        ),
    ] {
        let page = site
            .lib
            .pages
            .iter()
            .find(|p| slugs.contains(&p.slug.as_str()));
        let Some(page) = page else {
            diags.push(Diagnostic::warning(
                crate::config::CONFIG_FILE,
                0,
                0,
                format!(
                    "the site has no {label} page (content/{}.md): German sites need one",
                    slugs[0]
                ),
            ));
            continue;
        };
        let url = site.config.absolute(&page.path);
        let missing: Vec<&str> = html
            .iter()
            .filter(|(k, s)| {
                !s.redirect
                    && k.as_str() != "404.html"
                    && !s
                        .links
                        .iter()
                        .any(|(_, _, v, _)| v == &url || v == &page.path)
            })
            .map(|(k, _)| k.as_str())
            .collect();
        if !missing.is_empty() {
            diags.push(Diagnostic::warning(
                &page.file,
                0,
                0,
                format!(
                    "{} of {} pages do not link the {label} page, e.g. /{}",
                    missing.len(),
                    html.len(),
                    missing[0]
                ),
            ));
        }
        let text = source_text(&page.file);
        for marker in [
            "[Dein",
            "[dein",
            "[Ihr",
            "[ihr",
            "[Straße",
            "[PLZ",
            "[Anschrift",
            "[Ergänze",
            "[Name",
        ] {
            for (i, _) in text.match_indices(marker) {
                let line = text[..i].matches('\n').count() + 1;
                let col = i - text[..i].rfind('\n').map_or(0, |p| p + 1) + 1;
                let end = text[i..].find(']').map_or(text.len(), |e| i + e + 1);
                diags.push(Diagnostic::warning(
                    &page.file,
                    line,
                    col,
                    format!(
                        "placeholder `{}` is still in the {label} page",
                        &text[i..end]
                    ),
                ));
            }
        }
    }
}

/// Checks links to other sites: one request at a time per host, a few hosts in parallel,
/// timeouts, retries with back-off. 404/410 are errors ("broken"); anything else that fails is a
/// warning ("unreachable" or "unverified").
fn check_external(links: &BTreeMap<String, Vec<(String, usize, usize)>>) -> Vec<Diagnostic> {
    let mut by_host: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for u in links.keys() {
        let host = url::Url::parse(u)
            .ok()
            .and_then(|x| x.host_str().map(str::to_string))
            .unwrap_or_default();
        by_host.entry(host).or_default().push(u);
    }
    let hosts: Vec<Vec<&String>> = by_host.into_values().collect();
    let queue = std::sync::Mutex::new(hosts.into_iter());
    let results = std::sync::Mutex::new(Vec::new());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .user_agent("kiosk-check (+https://kiosk.invalid/)")
        .build()
        .into();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let next = queue.lock().ok().and_then(|mut q| q.next());
                let Some(urls) = next else { break };
                for u in urls {
                    let outcome = probe(&agent, u);
                    if let Ok(mut r) = results.lock() {
                        r.push((u.clone(), outcome));
                    }
                }
            });
        }
    });
    let mut out = Vec::new();
    for (u, outcome) in results.into_inner().unwrap_or_default() {
        let Some((sev, msg)) = outcome else { continue };
        for (src, l, c) in links.get(&u).into_iter().flatten() {
            let d = Diagnostic {
                path: src.clone(),
                line: *l,
                col: *c,
                severity: sev,
                message: format!("`{u}`: {msg}"),
            };
            out.push(d);
        }
    }
    out
}

fn probe(agent: &ureq::Agent, url: &str) -> Option<(Severity, String)> {
    let mut last = String::new();
    for attempt in 0..3u32 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(300 * 2u64.pow(attempt - 1)));
        }
        let resp = match agent.head(url).call() {
            Ok(r) if matches!(r.status().as_u16(), 405 | 501) => agent.get(url).call(),
            other => other,
        };
        match resp {
            Ok(r) => {
                let code = r.status().as_u16();
                match code {
                    200..=399 => return None,
                    404 | 410 => return Some((Severity::Error, format!("broken link ({code})"))),
                    429 | 500..=599 => last = format!("unreachable (status {code})"),
                    _ => {
                        return Some((
                            Severity::Warning,
                            format!("unverified (status {code}, the site may block checkers)"),
                        ))
                    }
                }
            }
            Err(e) => last = format!("unreachable ({e})"),
        }
    }
    Some((Severity::Warning, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_resolution() {
        let b = "https://e.org/";
        let t = |u: &str, page: &str| internal_target(u, page, b).map(|r| r.unwrap());
        assert_eq!(
            t("https://e.org/blog/", "index.html"),
            Some(("blog/index.html".into(), None))
        );
        assert_eq!(
            t("/blog/a/#teil", "index.html"),
            Some(("blog/a/index.html".into(), Some("teil".into())))
        );
        assert_eq!(
            t("#oben", "blog/a/index.html"),
            Some(("blog/a/index.html".into(), Some("oben".into())))
        );
        assert_eq!(
            t("bild.png", "blog/a/index.html"),
            Some(("blog/a/bild.png".into(), None))
        );
        assert_eq!(
            t("../b/", "blog/a/index.html"),
            Some(("blog/b/index.html".into(), None))
        );
        assert_eq!(
            t("../../../../x", "blog/a/index.html"),
            Some(("x".into(), None))
        );
        assert_eq!(t("https://other.example/", "index.html"), None);
        assert_eq!(t("mailto:a@b.c", "index.html"), None);
        assert_eq!(t("//cdn.example/x.js", "index.html"), None);
    }

    #[test]
    fn scanning() {
        let s = scan("<html><body><h1 id=a>x</h1><p id=a></p><img src=x.png><img src=y.png alt=''><a href='#a'>l</a><link rel=stylesheet href='https://cdn.example/x.css'><link rel=canonical href='https://e.org/'></body></html>");
        assert_eq!(s.ids, vec!["a", "a"]);
        assert_eq!(s.images_without_alt, vec!["x.png"]);
        assert!(s
            .links
            .iter()
            .any(|l| l.2 == "https://cdn.example/x.css" && l.3));
        assert!(s.links.iter().any(|l| l.2 == "https://e.org/" && !l.3));
    }
}
