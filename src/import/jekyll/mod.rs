//! A Jekyll site as a kiosk site: `_posts/` (also `<category>/_posts/`) and `_drafts/` become
//! `content/blog/`, pages with front matter stay where they were, collections with output
//! become sections, every other file is copied to `static/`; `_config.yml` and its `defaults`
//! are applied; each page's old address is worked out by Jekyll's rules (the `permalink`
//! style, `:categories` downcased, pages as `.html` unless pretty) so the import keeps it.

pub(super) mod liquid;
mod urls;

use super::files::{self, SourceFile, Terms};
use super::model::Site;
use super::report::{Kind, Report};
use crate::date::PageDate;
use crate::yaml::Field;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use urls::{expand, kiosk_pattern, post_pattern};

/// Folders and files Jekyll never publishes.
const NEVER: &[&str] = &[
    "_site",
    ".jekyll-cache",
    ".sass-cache",
    ".jekyll-metadata",
    "node_modules",
    "vendor",
    "Gemfile",
    "Gemfile.lock",
    "_config.yml",
    "_config.yaml",
];

/// What each file of the source is.
enum Role {
    Post {
        draft: bool,
        categories: Vec<String>,
    },
    Page,
    Collection(String),
    Static,
    Skip(&'static str),
}

/// The site being read.
struct Jekyll {
    config: Map<String, Value>,
    /// Output collections by name.
    collections: BTreeMap<String, Option<String>>,
    /// Source path → new `content/`-relative path.
    paths: BTreeMap<String, String>,
    /// Post name (`2021-03-04-a`, also with its folder) → new path.
    posts: BTreeMap<String, String>,
}

/// Reads the Jekyll site at `root`.
pub fn import(root: &Path) -> Result<Site, String> {
    let config_path = ["_config.yml", "_config.yaml"]
        .iter()
        .map(|n| root.join(n))
        .find(|p| p.is_file());
    let Some(config_path) = config_path else {
        return Err(format!(
            "{} is not a Jekyll site: it has no _config.yml",
            root.display()
        ));
    };
    let config = files::read_config(&config_path)?;
    let mut site = Site::default();
    let exclude = files::Ignore::globs(
        &files::strings(&config, "exclude"),
        "_config.yml exclude",
        &mut site.report,
    );
    let include = files::Ignore::globs(
        &files::strings(&config, "include"),
        "_config.yml include",
        &mut site.report,
    );
    // Jekyll leaves out hidden files and what `exclude` names, unless `include` names it.
    let skip = |rel: &str, hidden: bool| {
        let first = rel.split('/').next().unwrap_or(rel);
        NEVER.contains(&first)
            || ((hidden || exclude.matches(rel, "")) && !include.matches(rel, ""))
    };
    let walked = files::walk(root, &skip, &mut site.report);
    let mut j = Jekyll {
        collections: collections(&config),
        config,
        paths: BTreeMap::new(),
        posts: BTreeMap::new(),
    };
    let roles: Vec<(String, PathBuf, Role)> = walked
        .into_iter()
        .map(|(rel, abs)| {
            let role = j.role(&rel, &abs);
            (rel, abs, role)
        })
        .collect();
    j.plan(&roles);
    j.files(&roles, &mut site);
    site.config = j.kiosk_config(&mut site.report);
    // jekyll-feed's address.
    site.report
        .redirects
        .push(("/feed.xml".into(), "/atom.xml".into()));
    if !site
        .pages
        .iter()
        .any(|p| p.path.starts_with("content/blog/"))
    {
        return Ok(site);
    }
    let mut blog = files::page(
        "content/blog/_index.md".into(),
        vec![("title".into(), json!("Blog"))],
        String::new(),
        None,
        "kiosk import",
    );
    blog.origin = "kiosk import".into();
    site.pages.push(blog);
    Ok(site)
}

/// Collections with `output: true`, with their `permalink`.
fn collections(config: &Map<String, Value>) -> BTreeMap<String, Option<String>> {
    let mut out = BTreeMap::new();
    match files::get(config, "collections") {
        Some(Value::Object(m)) => {
            for (name, v) in m {
                if v.get("output").and_then(Value::as_bool).unwrap_or(false) {
                    out.insert(
                        name.clone(),
                        v.get("permalink")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                    );
                }
            }
        }
        Some(Value::Array(list)) => {
            for n in list.iter().filter_map(Value::as_str) {
                out.insert(n.to_string(), None);
            }
        }
        _ => {}
    }
    out
}

fn starts_with_front_matter(abs: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 5];
    let n = std::fs::File::open(abs)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let h = head[..n]
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(&head[..n]);
    h.starts_with(b"---")
}

fn is_text_page(rel: &str) -> bool {
    let l = rel.to_ascii_lowercase();
    [".md", ".markdown", ".mkd", ".mkdn", ".html", ".htm"]
        .iter()
        .any(|e| l.ends_with(e))
}

impl Jekyll {
    /// Every file: copied, converted, or (folders of templates and data) listed once.
    fn files(&self, roles: &[(String, PathBuf, Role)], site: &mut Site) {
        let mut skipped: BTreeMap<String, &'static str> = BTreeMap::new();
        for (rel, abs, role) in roles {
            match role {
                Role::Static => files::copy(abs, format!("static/{rel}"), site),
                Role::Skip(why) => {
                    let top = rel.split('/').next().unwrap_or(rel);
                    // A folder Jekyll never publishes is one note; a post it skips is named.
                    let key = if top.starts_with('_') && top != "_posts" && top != "_drafts" {
                        format!("{top}/")
                    } else {
                        rel.clone()
                    };
                    skipped.entry(key).or_insert(why);
                }
                _ => self.page(rel, abs, role, site),
            }
        }
        for (what, why) in skipped {
            site.report
                .note(Kind::Settings, what, format!("not imported: {why}"));
        }
    }

    fn role(&self, rel: &str, abs: &Path) -> Role {
        let parts: Vec<&str> = rel.split('/').collect();
        if let Some(i) = parts.iter().position(|p| *p == "_posts" || *p == "_drafts") {
            if !is_text_page(rel) {
                return Role::Static;
            }
            let name = parts.last().copied().unwrap_or_default();
            let dated = name.get(..10).is_some_and(|d| PageDate::parse(d).is_ok())
                && name.as_bytes().get(10) == Some(&b'-');
            if parts[i] == "_posts" && !dated {
                return Role::Skip(
                    "in _posts without a date at the start of its name (2024-05-01-title.md): Jekyll does not publish it",
                );
            }
            return Role::Post {
                draft: parts[i] == "_drafts",
                categories: parts[..i].iter().map(|c| c.to_string()).collect(),
            };
        }
        let included = |name: &str| {
            files::strings(&self.config, "include")
                .iter()
                .any(|i| i.trim_matches('/') == name)
        };
        if let Some(first) = parts.first().filter(|f| f.starts_with('_') && !included(f)) {
            let name = &first[1..];
            if self.collections.contains_key(name) && is_text_page(rel) {
                return Role::Collection(name.to_string());
            }
            return Role::Skip(match *first {
                "_layouts" => {
                    "Jekyll layouts: kiosk's templates come from its theme or templates/ (tera)"
                }
                "_includes" => "Jekyll includes: put repeated text in templates/ or a shortcode",
                "_data" => "data files for Jekyll templates",
                "_sass" => "Sass: put the finished CSS in static/",
                "_plugins" => "Jekyll plugins (Ruby)",
                _ => "a folder Jekyll does not publish",
            });
        }
        if starts_with_front_matter(abs) {
            let l = rel.to_ascii_lowercase();
            if is_text_page(rel) {
                return Role::Page;
            }
            return Role::Skip(if l.ends_with(".scss") || l.ends_with(".sass") {
                "Sass processed by Jekyll: put the finished CSS in static/"
            } else {
                "a file Jekyll fills with Liquid (a feed, sitemap or robots.txt): kiosk makes its own"
            });
        }
        Role::Static
    }

    /// The new path of every post, page and collection document.
    fn plan(&mut self, roles: &[(String, PathBuf, Role)]) {
        for (rel, _, role) in roles {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            let new = match role {
                Role::Post { .. } => {
                    let mut p = format!("blog/{stem}.md");
                    if self.paths.values().any(|v| *v == p) {
                        p = format!(
                            "blog/{}.md",
                            crate::text::slug::slugify(&rel.replace('/', "-"))
                        );
                    }
                    self.posts.insert(stem.to_string(), p.clone());
                    let full = rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s);
                    self.posts.insert(
                        full.replace("/_posts/", "/").replace("_posts/", ""),
                        p.clone(),
                    );
                    p
                }
                Role::Collection(c) => {
                    let below = rel.split_once('/').map_or(rel.as_str(), |(_, r)| r);
                    let below = below.rsplit_once('.').map_or(below, |(s, _)| s);
                    format!("{c}/{below}.md")
                }
                Role::Page => {
                    let base = rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s);
                    if base == "index" {
                        "_index.md".into()
                    } else if let Some(dir) = base.strip_suffix("/index") {
                        format!("{dir}.md")
                    } else {
                        format!("{base}.md")
                    }
                }
                _ => continue,
            };
            self.paths.insert(rel.clone(), new);
        }
    }

    /// One post, page or collection document.
    fn page(&self, rel: &str, abs: &Path, role: &Role, site: &mut Site) {
        let Some(new) = self.paths.get(rel) else {
            return;
        };
        let Some(src) = files::read_or_note(rel, abs, rel, &mut site.report) else {
            return;
        };
        if is_html(rel) && (src.body.contains("{% for") || src.body.contains("paginator.")) {
            site.report.note(
                Kind::NotImported,
                rel,
                "a page made of Liquid loops (a list of posts): kiosk makes its lists itself",
            );
            return;
        }
        let fields = self.with_defaults(rel, role, &src.fields);
        let taxonomies = vec!["tags".to_string(), "categories".to_string()];
        let mut front = files::front_matter(
            &fields,
            &taxonomies,
            Terms::SplitOnSpaces,
            rel,
            &mut site.report,
        );
        if let Role::Post { draft: true, .. } = role {
            set(&mut front, "draft", Value::Bool(true));
        }
        if let Role::Post { categories, .. } = role {
            add_categories(&mut front, categories);
        }
        let old = self.old_url(rel, role, &front);
        if matches!(role, Role::Post { .. }) {
            site.report.count("Posts", 1);
        } else {
            site.report.count("Pages", 1);
        }
        if front
            .iter()
            .any(|(k, v)| k == "draft" && *v == Value::Bool(true))
        {
            site.report.count("Drafts (draft: true)", 1);
        }
        let body = self.body(&src, rel, &fields);
        let body = files::finish_body(&body, rel, src.body_line, &mut site.report);
        let mut page = files::page(format!("content/{new}"), front, body, old, rel);
        if new == "_index.md" {
            page.as_section();
        }
        site.pages.push(page);
    }

    /// The body: HTML as markdown, the excerpt separator as `<!--more-->`, Liquid converted.
    fn body(&self, src: &SourceFile, rel: &str, fields: &[Field]) -> String {
        let mut body = if is_html(rel) {
            super::html::to_markdown(&src.body, Default::default(), &|_| None).0
        } else {
            src.body.clone()
        };
        let separator = fields
            .iter()
            .find(|f| f.key == "excerpt_separator")
            .and_then(|f| f.value.as_str().map(str::to_string))
            .or_else(|| files::text(&self.config, "excerpt_separator"));
        if let Some(sep) = separator.filter(|s| !s.trim().is_empty() && s.trim() != "<!--more-->") {
            body = body.replacen(&sep, "<!--more-->", 1);
        }
        liquid::convert(&body, self)
    }

    /// The front matter with `_config.yml`'s `defaults` for this file filled in.
    fn with_defaults(&self, rel: &str, role: &Role, fields: &[Field]) -> Vec<Field> {
        let mut out = fields.to_vec();
        let Some(Value::Array(defaults)) = files::get(&self.config, "defaults") else {
            return out;
        };
        let kind = match role {
            Role::Post { draft: false, .. } => "posts",
            Role::Post { draft: true, .. } => "drafts",
            Role::Collection(c) => c.as_str(),
            _ => "pages",
        };
        for d in defaults {
            let scope = d.get("scope");
            let path = scope
                .and_then(|s| s.get("path"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let ty = scope.and_then(|s| s.get("type")).and_then(Value::as_str);
            let applies = (path.is_empty() || rel.starts_with(path.trim_start_matches('/')))
                && ty.is_none_or(|t| t == kind || (t == "posts" && kind == "drafts"));
            if let (true, Some(Value::Object(values))) = (applies, d.get("values")) {
                for (k, v) in values {
                    if !out.iter().any(|f| f.key == *k) {
                        out.push(files::field(k, v.clone(), 0));
                    }
                }
            }
        }
        out
    }

    /// The address Jekyll gave the file; `None` when it was not published.
    fn old_url(&self, rel: &str, role: &Role, front: &[(String, Value)]) -> Option<String> {
        let get = |k: &str| front.iter().find(|(x, _)| x == k).map(|(_, v)| v);
        if get("draft") == Some(&Value::Bool(true)) {
            return None;
        }
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        let style = files::text(&self.config, "permalink").unwrap_or_else(|| "date".into());
        let pretty = style == "pretty" || style.ends_with('/');
        let pattern = match (get("url").and_then(Value::as_str), role) {
            (Some(p), _) => p.to_string(),
            (None, Role::Post { .. }) => post_pattern(&style),
            (None, Role::Collection(c)) => self
                .collections
                .get(c)
                .cloned()
                .flatten()
                .unwrap_or_else(|| "/:collection/:path:output_ext".into()),
            (None, _) => {
                let base = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
                return Some(if base == "index" {
                    "/".into()
                } else if let Some(dir) = base.strip_suffix("/index") {
                    format!("/{dir}/")
                } else if pretty {
                    format!("/{base}/")
                } else {
                    format!("/{base}.html")
                });
            }
        };
        let (file_date, title) = crate::content::split_date_prefix(stem);
        let date = get("date")
            .and_then(Value::as_str)
            .and_then(|d| PageDate::parse(d).ok())
            .or(file_date);
        let categories: Vec<String> = get("categories")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_lowercase))
                    .collect()
            })
            .unwrap_or_default();
        let slug = get("slug").and_then(Value::as_str).unwrap_or(title);
        let collection = match role {
            Role::Collection(c) => c.as_str(),
            _ => "",
        };
        let path = rel.split_once('/').map_or(rel, |(_, r)| r);
        let path = path.rsplit_once('.').map_or(path, |(s, _)| s);
        Some(expand(&pattern, date, slug, &categories, collection, path))
    }

    /// `kiosk.yaml` from `_config.yml`.
    fn kiosk_config(&self, report: &mut Report) -> Vec<(String, Value)> {
        let c = &self.config;
        let mut out: Vec<(String, Value)> = vec![(
            "title".into(),
            Value::from(files::text(c, "title").unwrap_or_default()),
        )];
        if let Some(d) = files::text(c, "description") {
            out.push(("description".into(), Value::from(d)));
        }
        let base = files::text(c, "url").map(|u| {
            format!(
                "{}{}",
                u.trim_end_matches('/'),
                files::text(c, "baseurl").unwrap_or_default()
            )
        });
        out.push((
            "base_url".into(),
            Value::from(files::base_url(base, report, "_config.yml")),
        ));
        out.push((
            "language".into(),
            Value::from(files::language(
                files::text(c, "lang").or_else(|| files::text(c, "locale")),
            )),
        ));
        let author = match files::get(c, "author") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Object(m)) => files::text(m, "name"),
            _ => None,
        };
        if let Some(a) = author {
            out.push(("author".into(), json!({ "name": a })));
        }
        if let Some(n) = files::get(c, "paginate").and_then(Value::as_u64) {
            out.push(("paginate_by".into(), Value::from(n)));
        }
        let style = files::text(c, "permalink").unwrap_or_else(|| "date".into());
        if let Some(p) = kiosk_pattern(&post_pattern(&style)) {
            out.push(("permalinks".into(), json!({ "blog": p })));
        }
        files::note_settings(
            c,
            &[
                "theme",
                "plugins",
                "gems",
                "timezone",
                "sass",
                "kramdown",
                "paginate_path",
                "jekyll-archives",
            ],
            "_config.yml",
            report,
        );
        out
    }
}

fn is_html(rel: &str) -> bool {
    let l = rel.to_ascii_lowercase();
    l.ends_with(".html") || l.ends_with(".htm")
}

fn set(front: &mut Vec<(String, Value)>, key: &str, value: Value) {
    match front.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value,
        None => front.insert(1.min(front.len()), (key.to_string(), value)),
    }
}

/// Folders above `_posts/` are categories too (Jekyll's rule), before those of the front matter.
fn add_categories(front: &mut Vec<(String, Value)>, from_folders: &[String]) {
    if from_folders.is_empty() {
        return;
    }
    let mut all: Vec<Value> = from_folders
        .iter()
        .map(|c| Value::from(c.clone()))
        .collect();
    if let Some((_, Value::Array(own))) = front.iter().find(|(k, _)| k == "categories") {
        all.extend(
            own.iter()
                .filter(|c| !all.contains(c))
                .cloned()
                .collect::<Vec<_>>(),
        );
    }
    set(front, "categories", Value::Array(all));
}

impl liquid::Context for Jekyll {
    fn post(&self, name: &str) -> Option<String> {
        let n = name.trim().trim_matches(['"', '\'']);
        self.posts.get(n).cloned()
    }

    fn file(&self, rel: &str) -> Option<String> {
        self.paths.get(rel.trim()).cloned()
    }
}
