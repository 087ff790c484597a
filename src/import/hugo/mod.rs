//! A Hugo site as a kiosk site. Hugo's `content/` has kiosk's shape already (sections with
//! `_index.md`, page bundles with `index.md`), so files keep their paths; front matter gets
//! kiosk's keys, shortcodes kiosk's, `static/` is copied, and every page's old address is
//! worked out by Hugo's rules (its `url`, the section's permalink pattern, else folder and slug
//! or file name, lowercased) so the import keeps it.

pub(super) mod shortcodes;

use super::files::{self, SourceFile, Terms};
use super::model::{PageOut, Site};
use super::report::{Kind, Report};
use crate::date::PageDate;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const CONFIG_NAMES: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// Folders of a Hugo site kiosk has no place for, and why.
const NOT_CONVERTED: &[(&str, &str)] = &[
    (
        "layouts",
        "Hugo templates: kiosk's come from its theme or templates/ (tera)",
    ),
    ("themes", "a Hugo theme: kiosk has its own default theme"),
    (
        "assets",
        "Hugo Pipes assets (Sass, bundling): put finished files in static/",
    ),
    ("data", "data files for Hugo templates"),
    ("i18n", "translations of Hugo templates"),
    (
        "archetypes",
        "templates for `hugo new`: `kiosk new` makes a starter site",
    ),
];

/// The site being read.
struct Hugo {
    config: Map<String, Value>,
    config_name: String,
    content_dir: String,
    /// (singular, plural) taxonomy names.
    taxonomies: Vec<String>,
    permalinks: BTreeMap<String, String>,
    ugly: bool,
    lower: bool,
    language: String,
    /// The language of content files without a language suffix (Hugo's
    /// `defaultContentLanguage`, `en` unless set).
    content_language: String,
    /// Every language the config names (`languages` keys and `defaultContentLanguage`): only
    /// these are language suffixes (`seite.en.md`); `next.js.md` is a page named `next.js`.
    languages: Vec<String>,
    /// Every content file that becomes a page or section: new `content/`-relative path by old.
    paths: BTreeMap<String, String>,
}

/// Reads the Hugo site at `root`.
pub fn import(root: &Path) -> Result<Site, String> {
    let mut site = Site::default();
    let (config, config_name) = read_config(root)?;
    let mut hugo = Hugo {
        content_dir: files::text(&config, "contentDir").unwrap_or_else(|| "content".into()),
        taxonomies: taxonomies(&config),
        permalinks: permalinks(&config),
        ugly: files::get(&config, "uglyURLs")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        lower: !files::get(&config, "disablePathToLower")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        language: files::language(
            files::text(&config, "languageCode")
                .or_else(|| files::text(&config, "defaultContentLanguage")),
        ),
        content_language: files::text(&config, "defaultContentLanguage")
            .unwrap_or_else(|| "en".into())
            .to_ascii_lowercase(),
        languages: Vec::new(),
        config,
        config_name,
        paths: BTreeMap::new(),
    };
    hugo.languages = configured_languages(&hugo.config, &hugo.content_language);
    let content = files::inside(root, &hugo.content_dir, "contentDir")?;
    if !content.is_dir() {
        return Err(format!(
            "{}: a Hugo site has a {}/ folder; this one has none",
            root.display(),
            hugo.content_dir
        ));
    }
    let ignore = files::Ignore::regexes(
        &files::strings(&hugo.config, "ignoreFiles"),
        &format!("{config_name} ignoreFiles", config_name = hugo.config_name),
        &mut site.report,
    );
    let prefix = hugo.content_dir.trim_matches('/').to_string();
    let ignored = std::cell::Cell::new(0);
    let skip = |rel: &str, hidden: bool| {
        let left_out = !hidden && ignore.matches(rel, &prefix);
        ignored.set(ignored.get() + usize::from(left_out));
        hidden || left_out
    };
    let walked = files::walk(&content, &skip, &mut site.report);
    let ignored = ignored.get();
    if ignored > 0 {
        site.report.note(
            Kind::Files,
            format!("{}/", hugo.content_dir),
            format!("{ignored} files left out, as ignoreFiles says"),
        );
    }
    hugo.plan(&walked, &mut site.report);
    for (rel, abs) in &walked {
        hugo.file(rel, abs, &mut site);
    }
    let static_dir = files::text(&hugo.config, "staticDir").unwrap_or_else(|| "static".into());
    files::inside(root, &static_dir, "staticDir")?;
    files::copy_folder(root, &static_dir, "static", &mut site);
    for (dir, why) in NOT_CONVERTED {
        if root.join(dir).is_dir() {
            site.report.note(
                Kind::Settings,
                format!("{dir}/"),
                format!("not imported: {why}"),
            );
        }
    }
    site.config = hugo.kiosk_config(&mut site.report);
    redirects(&hugo, &mut site);
    Ok(site)
}

/// Feeds (`index.xml` → `rss.xml`) and term pages whose slug kiosk writes another way
/// (`/tags/über/` → `/tags/ueber/`), for the host's redirect rules.
fn redirects(hugo: &Hugo, site: &mut Site) {
    let mut r = vec![("/index.xml".to_string(), "/rss.xml".to_string())];
    for p in &site.pages {
        if let Some(dir) = p
            .path
            .strip_prefix("content/")
            .and_then(|x| x.strip_suffix("/_index.md"))
        {
            r.push((format!("/{dir}/index.xml"), format!("/{dir}/rss.xml")));
        }
        for tax in &hugo.taxonomies {
            for term in p
                .get(tax)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let (old, new) = (urlize(term, hugo.lower), crate::text::slug::slugify(term));
                if old != new {
                    r.push((format!("/{tax}/{old}/"), format!("/{tax}/{new}/")));
                }
            }
        }
    }
    site.report.redirects.extend(r);
}

/// The config file and its mapping (`config/_default/` with `params` merged in).
fn read_config(root: &Path) -> Result<(Map<String, Value>, String), String> {
    for dir in ["", "config/_default"] {
        for name in CONFIG_NAMES {
            let p = root.join(dir).join(name);
            if p.is_file() {
                let mut m = files::read_config(&p)?;
                for params in ["params.toml", "params.yaml", "params.yml", "params.json"] {
                    let pp = root.join(dir).join(params);
                    if !dir.is_empty() && pp.is_file() {
                        m.insert("params".into(), Value::Object(files::read_config(&pp)?));
                    }
                }
                let shown = if dir.is_empty() {
                    name.to_string()
                } else {
                    format!("{dir}/{name}")
                };
                return Ok((m, shown));
            }
        }
    }
    Err(format!(
        "{} is not a Hugo site: it has no hugo.toml, config.toml or config/_default/",
        root.display()
    ))
}

/// The taxonomies' plural names (Hugo's `[taxonomies] tag = "tags"`), tags and categories by
/// default.
fn taxonomies(config: &Map<String, Value>) -> Vec<String> {
    match files::get(config, "taxonomies") {
        Some(Value::Object(m)) => m
            .values()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => vec!["tags".into(), "categories".into()],
    }
}

/// `[permalinks]` (also Hugo's newer `[permalinks.page]`), by section.
fn permalinks(config: &Map<String, Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(Value::Object(m)) = files::get(config, "permalinks") {
        let pages = match m.get("page") {
            Some(Value::Object(p)) => p,
            _ => m,
        };
        for (k, v) in pages {
            if let Some(p) = v.as_str() {
                out.insert(k.trim_matches('/').to_string(), p.to_string());
            }
        }
    }
    out
}

/// Hugo's way of making a path segment: spaces become `-`, letters, digits and `._-~+#` stay,
/// other characters go; lowercased unless the site said not to.
fn urlize(s: &str, lower: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_whitespace() {
            out.push('-');
        } else if c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '~' | '+' | '/') {
            out.push(c);
        }
    }
    if lower {
        out.to_lowercase()
    } else {
        out
    }
}

/// The languages a Hugo config names, lower-case: the keys of `languages` and the default
/// content language.
fn configured_languages(config: &Map<String, Value>, default: &str) -> Vec<String> {
    let mut out = vec![default.to_string()];
    if let Some(Value::Object(m)) = files::get(config, "languages") {
        out.extend(m.keys().map(|k| k.to_ascii_lowercase()));
    }
    out
}

/// A language suffix of a file stem (`seite.en` → `en`), if `languages` holds it (as Hugo
/// reads names: `next.js` is no translation).
fn language_suffix<'a>(stem: &'a str, languages: &[String]) -> Option<&'a str> {
    let (_, lang) = stem.rsplit_once('.')?;
    languages
        .iter()
        .any(|l| l.eq_ignore_ascii_case(lang))
        .then_some(lang)
}

fn is_page(rel: &str) -> bool {
    let l = rel.to_ascii_lowercase();
    l.ends_with(".md") || l.ends_with(".markdown") || l.ends_with(".html")
}

impl Hugo {
    /// Decides the new path of every page (a language suffix of the site's language dropped;
    /// pages in other languages left out, as kiosk's languages come later).
    fn plan(&mut self, walked: &[(String, PathBuf)], report: &mut Report) {
        for (rel, _) in walked.iter().filter(|(r, _)| is_page(r)) {
            let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            let stem = match language_suffix(stem, &self.languages) {
                Some(l) if l.eq_ignore_ascii_case(&self.content_language) => {
                    &stem[..stem.len() - l.len() - 1]
                }
                Some(l) => {
                    report.note(
                        Kind::NotImported,
                        format!("{}/{rel}", self.content_dir),
                        format!("a translation ({l}): kiosk imports the site's content language ({}) only", self.content_language),
                    );
                    continue;
                }
                None => stem,
            };
            let new = if dir.is_empty() {
                format!("{stem}.md")
            } else {
                format!("{dir}/{stem}.md")
            };
            self.paths.insert(rel.clone(), new);
        }
    }

    /// One file of `content/`: a page, or a file copied where it was.
    fn file(&self, rel: &str, abs: &Path, site: &mut Site) {
        let shown = format!("{}/{rel}", self.content_dir);
        if !is_page(rel) {
            let lower = rel.to_ascii_lowercase();
            if [".org", ".adoc", ".asciidoc", ".rst", ".pandoc", ".pdc"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                site.report.note(
                    Kind::NotImported,
                    shown,
                    "a content format kiosk does not read (it reads markdown)",
                );
                return;
            }
            site.files
                .push((abs.to_path_buf(), format!("content/{rel}")));
            site.report.count("Files copied", 1);
            return;
        }
        let Some(new) = self.paths.get(rel) else {
            return;
        };
        let Some(source) = files::read_or_note(rel, abs, &shown, &mut site.report) else {
            return;
        };
        let page = self.page(&source, new, &shown, &mut site.report);
        files::count(&page, "Pages", &mut site.report);
        site.pages.push(page);
    }

    /// A source page as a kiosk page.
    fn page(&self, src: &SourceFile, new: &str, shown: &str, report: &mut Report) -> PageOut {
        let front = files::front_matter(
            &src.fields,
            &self.taxonomies,
            Terms::AsWritten,
            shown,
            report,
        );
        let body = if src.rel.to_ascii_lowercase().ends_with(".html") {
            super::html::to_markdown(&src.body, Default::default(), &|_| None).0
        } else {
            src.body.clone()
        };
        let (body, notes) = shortcodes::convert(&body, new, self);
        let lines = crate::text::LineIndex::new(&src.body);
        for (offset, kind, text) in notes {
            let line = src.body_line + lines.locate(offset.min(src.body.len())).0;
            report.note(kind, format!("{shown}:{line}"), text);
        }
        let body = files::finish_body(&body, shown, src.body_line, report);
        let old = self.old_url(&src.rel, &front);
        let mut page = files::page(format!("content/{new}"), front, body, old, shown);
        absolute_aliases(&mut page);
        page
    }

    /// The address Hugo gave the page; `None` for one it did not publish.
    fn old_url(&self, rel: &str, front: &[(String, Value)]) -> Option<String> {
        let get = |k: &str| front.iter().find(|(x, _)| x == k).map(|(_, v)| v);
        if get("draft") == Some(&Value::Bool(true)) || get("headless") == Some(&Value::Bool(true)) {
            return None;
        }
        if let Some(u) = get("url").and_then(Value::as_str) {
            return Some(format!("/{}", u.trim_start_matches('/')));
        }
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let stem = match language_suffix(stem, &self.languages) {
            Some(l) => &stem[..stem.len() - l.len() - 1],
            None => stem,
        };
        if stem == "_index" {
            return Some(if dir.is_empty() {
                "/".into()
            } else {
                format!("/{}/", urlize(dir, self.lower))
            });
        }
        // A leaf bundle is named by its folder.
        let (dir, filename) = if stem == "index" {
            dir.rsplit_once('/').unwrap_or(("", dir))
        } else {
            (dir, stem)
        };
        let slug = get("slug").and_then(Value::as_str);
        let title = get("title").and_then(Value::as_str).unwrap_or("");
        let section = dir.split('/').next().unwrap_or("");
        if let Some(pattern) = self.permalinks.get(section) {
            let date = get("date")
                .and_then(Value::as_str)
                .and_then(|d| PageDate::parse(d).ok());
            return Some(self.expand(pattern, dir, section, filename, slug, title, date));
        }
        let last = urlize(slug.unwrap_or(filename), self.lower);
        let dir = urlize(dir, self.lower);
        let joined = if dir.is_empty() {
            last
        } else {
            format!("{dir}/{last}")
        };
        Some(if self.ugly {
            format!("/{joined}.html")
        } else {
            format!("/{joined}/")
        })
    }

    /// A Hugo permalink pattern for one page.
    #[allow(clippy::too_many_arguments)] // every fact a Hugo pattern can use, each once
    fn expand(
        &self,
        pattern: &str,
        dir: &str,
        section: &str,
        filename: &str,
        slug: Option<&str>,
        title: &str,
        date: Option<PageDate>,
    ) -> String {
        let d = date.map(|d| d.datetime);
        let two = |n: i8| format!("{n:02}");
        let urlized = |t: &str| urlize(t, self.lower);
        crate::text::expand_pattern(pattern, |token| {
            Ok::<_, std::convert::Infallible>(match token {
                "year" => d.map(|d| d.year().to_string()).unwrap_or_default(),
                "month" => d.map(|d| two(d.month())).unwrap_or_default(),
                "day" => d.map(|d| two(d.day())).unwrap_or_default(),
                "section" => section.to_string(),
                "sections" => dir.to_string(),
                "title" => urlized(title),
                "slug" => urlized(slug.unwrap_or(title)),
                "slugorfilename" | "slugorcontentbasename" => urlized(slug.unwrap_or(filename)),
                "filename" | "contentbasename" => urlized(filename),
                other => format!(":{other}"),
            })
        })
        .unwrap_or_default()
    }

    /// `kiosk.yaml` from Hugo's config.
    fn kiosk_config(&self, report: &mut Report) -> Vec<(String, Value)> {
        let c = &self.config;
        let params = match files::get(c, "params") {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let mut out: Vec<(String, Value)> = vec![(
            "title".into(),
            Value::from(files::text(c, "title").unwrap_or_default()),
        )];
        if let Some(d) =
            files::text(&params, "description").or_else(|| files::text(&params, "subtitle"))
        {
            out.push(("description".into(), Value::from(d)));
        }
        out.push((
            "base_url".into(),
            Value::from(files::base_url(
                files::text(c, "baseURL"),
                report,
                &self.config_name,
            )),
        ));
        out.push(("language".into(), Value::from(self.language.clone())));
        let author = files::get(&params, "author").or_else(|| files::get(c, "author"));
        let name = match author {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Object(m)) => files::text(m, "name"),
            _ => None,
        };
        if let Some(n) = name {
            out.push(("author".into(), json!({ "name": n })));
        }
        out.push(("taxonomies".into(), Value::from(self.taxonomies.clone())));
        let per = files::get(c, "pagination")
            .and_then(|p| p.get("pagerSize"))
            .or_else(|| files::get(c, "paginate"))
            .and_then(Value::as_u64);
        if let Some(n) = per {
            out.push(("paginate_by".into(), Value::from(n)));
        }
        let known: BTreeMap<&String, &String> = self
            .permalinks
            .iter()
            .filter(|(_, p)| kiosk_pattern(p))
            .collect();
        if !known.is_empty() {
            out.push(("permalinks".into(), json!(known)));
        }
        if !params.is_empty() {
            out.push(("extra".into(), Value::Object(params)));
        }
        files::note_settings(
            c,
            &[
                "theme",
                "menu",
                "menus",
                "outputs",
                "markup",
                "languages",
                "module",
            ],
            &self.config_name,
            report,
        );
        out
    }
}

/// Can kiosk's `permalinks` read this Hugo pattern as it is?
fn kiosk_pattern(p: &str) -> bool {
    p.starts_with('/')
        && crate::text::pattern_pieces(p)
            .iter()
            .all(|piece| match piece {
                crate::text::Piece::Token(t) => {
                    matches!(
                        *t,
                        "year" | "month" | "day" | "section" | "filename" | "title"
                    )
                }
                crate::text::Piece::Text(_) => true,
            })
}

/// Hugo reads an alias without a leading `/` relative to the page's folder
/// (`alt` on `/2023/02/post/` is `/2023/02/alt/`); kiosk's aliases are site paths.
fn absolute_aliases(page: &mut PageOut) {
    let Some(Value::Array(list)) = page.get("aliases").cloned() else {
        return;
    };
    let base = page
        .old_url
        .as_deref()
        .map(|u| {
            let t = u.trim_end_matches('/');
            t.rsplit_once('/').map_or("", |(d, _)| d).to_string()
        })
        .unwrap_or_default();
    let fixed: Vec<Value> = list
        .into_iter()
        .map(|a| match a.as_str() {
            Some(s) if !s.starts_with('/') && !s.contains("://") => {
                let slash = if s.ends_with('/') || s.ends_with(".html") {
                    ""
                } else {
                    "/"
                };
                Value::from(format!("{base}/{s}{slash}"))
            }
            _ => a,
        })
        .collect();
    page.set("aliases", fixed);
}

impl shortcodes::Context for Hugo {
    fn resolve(&self, target: &str, from: &str) -> Option<String> {
        let t = target.trim().trim_start_matches('/').trim_end_matches('/');
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let bases = if target.starts_with('/') {
            vec![t.to_string()]
        } else {
            vec![t.to_string(), format!("{dir}/{t}")]
        };
        let new_paths: Vec<&String> = self.paths.values().collect();
        for b in &bases {
            let b = b.trim_start_matches('/');
            for cand in [
                b.to_string(),
                format!("{b}.md"),
                format!("{}.md", b.trim_end_matches(".md")),
                format!("{b}/index.md"),
                format!("{b}/_index.md"),
            ] {
                if let Some(p) = new_paths.iter().find(|p| ***p == cand) {
                    return Some((*p).clone());
                }
            }
        }
        // Hugo also finds a page by its file name alone, when only one page has it.
        let name = t.rsplit('/').next().unwrap_or(t).trim_end_matches(".md");
        let hits: Vec<&&String> = new_paths
            .iter()
            .filter(|p| {
                let stem = p.trim_end_matches(".md");
                stem.rsplit('/').next() == Some(name) || stem.ends_with(&format!("{name}/index"))
            })
            .collect();
        (hits.len() == 1).then(|| (*hits[0]).clone())
    }

    fn param(&self, name: &str) -> Option<String> {
        let params = files::get(&self.config, "params")?.as_object()?;
        files::text(params, name)
    }
}
