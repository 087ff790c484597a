//! Each post, page and custom post type item as a kiosk page: where it goes, its front
//! matter (title, date with WordPress's offset, categories and tags by name, author, featured
//! image, old slugs as aliases), its content, its comments.

use super::content::{self, Lookup};
use super::links::{self, PostFacts};
use super::wxr::Item;
use super::{is_content, Wp};
use crate::date::PageDate;
use crate::import::model::{PageOut, Site};
use crate::import::report::{Kind, Report};
use crate::text::slug::slugify;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

/// An item that becomes a page.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Index in the export's items.
    pub index: usize,
    /// Path in the new site (`content/blog/2019-03-04-hallo.md`).
    pub path: String,
    /// Its old address on the site (published and scheduled items only).
    pub old_path: Option<String>,
    /// A draft in the new site.
    pub draft: bool,
}

/// One converted item: its page, its notes, and its comments file (path, text).
type Converted = (PageOut, Report, Option<(String, String)>);

/// How an item's status is taken.
enum Status {
    Publish,
    Draft,
    Skip(&'static str),
}

fn status(i: &Item) -> Status {
    match i.status.as_str() {
        "publish" | "future" if !i.post_password.is_empty() => Status::Draft,
        "publish" | "future" => Status::Publish,
        "draft" | "pending" | "auto-draft" | "" => Status::Draft,
        "private" => Status::Skip("private: only logged-in editors could read it"),
        "trash" => Status::Skip("in the trash"),
        _ => Status::Skip("its status is not one kiosk publishes"),
    }
}

/// Where an item is, for the report.
pub fn place(wp: &Wp, i: &Item, line: usize) -> String {
    let title = crate::text::decode_entities(i.title.trim()).into_owned();
    format!(
        "{} {} “{}” ({}:{line})",
        i.post_type, i.post_id, title, wp.file
    )
}

/// The WordPress slug, percent-decoded (`%c3%bcber` → `über`).
fn wp_slug(i: &Item) -> String {
    percent_encoding::percent_decode_str(i.post_name.trim())
        .decode_utf8_lossy()
        .into_owned()
}

/// Decides every content item's new path and records its old address.
pub fn plan_paths(wp: &mut Wp) {
    let mut taken: HashSet<String> = HashSet::new();
    let mut planned = Vec::new();
    for (index, i) in wp.export.items.iter().enumerate() {
        if !is_content(i) {
            continue;
        }
        let draft = match status(i) {
            Status::Skip(_) => continue,
            Status::Draft => true,
            Status::Publish => false,
        };
        let old_path = (!draft)
            .then(|| wp.links.target(&i.link))
            .flatten()
            .and_then(|t| match t {
                links::Target::Path(p, _) => Some(links::with_slash(&p)),
                _ => None,
            });
        let path = new_path(i, old_path.as_deref(), &mut taken);
        let content_path = path.trim_start_matches("content/").to_string();
        if let Some(old) = &old_path {
            wp.links.pages.insert(old.clone(), content_path.clone());
        }
        wp.links.ids.insert(i.post_id.clone(), content_path);
        planned.push(Planned {
            index,
            path,
            old_path,
            draft,
        });
    }
    wp.planned = planned;
    plan_terms(wp);
}

/// The new file of an item: posts by date and slug in `content/blog/`, pages by their old
/// path at the top of `content/`, the front page as `content/_index.md`.
fn new_path(i: &Item, old_path: Option<&str>, taken: &mut HashSet<String>) -> String {
    let slug = wp_slug(i);
    let mut stem = slugify(if slug.is_empty() { &i.title } else { &slug });
    if stem.is_empty() {
        stem = format!("{}-{}", i.post_type, i.post_id);
    }
    let folder = match i.post_type.as_str() {
        "post" => "content/blog".to_string(),
        "page" => {
            if old_path == Some("/") {
                return "content/_index.md".into();
            }
            if let Some(p) = old_path {
                let joined = slugify(&p.replace('/', " "));
                if !joined.is_empty() {
                    stem = joined;
                }
            }
            "content".to_string()
        }
        other => format!("content/{}", slugify(other)),
    };
    if i.post_type == "post" {
        if let Some(date) = i.post_date.get(..10).filter(|d| PageDate::parse(d).is_ok()) {
            stem = format!("{date}-{stem}");
        }
    }
    let mut path = format!("{folder}/{stem}.md");
    if !taken.insert(path.clone()) {
        path = format!("{folder}/{stem}-{}.md", slugify(&i.post_id));
        taken.insert(path.clone());
    }
    path
}

/// Category and tag names, with names that would share a kiosk term page merged into the
/// first; the old archive addresses mapped to the new term pages.
fn plan_terms(wp: &mut Wp) {
    let mut first_by_slug: BTreeMap<(String, String), String> = BTreeMap::new();
    for p in &wp.planned {
        for t in &wp.export.items[p.index].terms {
            let Some((tax, archive)) = taxonomy(&t.domain) else {
                continue;
            };
            let name = crate::text::decode_entities(t.name.trim()).into_owned();
            let kslug = slugify(&name);
            if kslug.is_empty() {
                continue;
            }
            let first = first_by_slug
                .entry((tax.to_string(), kslug.clone()))
                .or_insert_with(|| name.clone())
                .clone();
            wp.term_names.insert(format!("{tax}:{name}"), first);
            if !t.nicename.is_empty() {
                wp.links.terms.insert(
                    format!("/{archive}/{}/", t.nicename),
                    format!("{}/{tax}/{kslug}/", wp.links.base_path),
                );
            }
        }
    }
}

/// kiosk's taxonomy and WordPress's archive folder for a term domain.
fn taxonomy(domain: &str) -> Option<(&'static str, &'static str)> {
    match domain {
        "category" => Some(("categories", "category")),
        "post_tag" => Some(("tags", "tag")),
        _ => None,
    }
}

/// A WordPress date (`2019-03-04 10:22:11`, local) with the offset its GMT twin gives.
fn wp_date(local: &str, gmt: &str) -> Result<Option<PageDate>, String> {
    let local = local.trim();
    if local.is_empty() || local.starts_with("0000") {
        return Ok(None);
    }
    let l = PageDate::parse(local)?;
    let offset = PageDate::parse(gmt.trim()).ok().and_then(|g| {
        let utc = jiff::tz::Offset::UTC;
        let a = utc.to_timestamp(l.datetime).ok()?.as_second();
        let b = utc.to_timestamp(g.datetime).ok()?.as_second();
        let secs = i32::try_from(a - b).ok()?;
        (secs.abs() <= 14 * 3600 && secs % 60 == 0)
            .then(|| jiff::tz::Offset::from_seconds(secs).ok())
            .flatten()
    });
    Ok(Some(PageDate {
        offset: offset.or(Some(jiff::tz::Offset::UTC)),
        ..l
    }))
}

/// Every planned item converted (in parallel), the items left out listed, the permalink
/// pattern found, the section pages written.
pub fn convert_all(wp: &Wp, site: &mut Site) {
    count_skipped(wp, &mut site.report);
    let done: Vec<Converted> = wp.planned.par_iter().map(|p| convert_one(wp, p)).collect();
    let mut facts = Vec::new();
    for (page, report, comments) in done {
        site.report.merge(report);
        if let Some(c) = comments {
            site.data.push(c);
        }
        if let (Some(old), true) = (&page.old_url, page.path.starts_with("content/blog/")) {
            facts.push(PostFacts {
                old_path: old.clone(),
                date: page
                    .get("date")
                    .and_then(Value::as_str)
                    .and_then(|d| PageDate::parse(d).ok()),
                slug: page_slug(&page),
                categories: page
                    .get("categories")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        site.pages.push(page);
    }
    if let Some(pattern) = links::permalink_pattern(&facts) {
        site.config
            .push(("permalinks".into(), json!({ "blog": pattern })));
    }
    sections(site);
    archives(wp, site);
}

/// The slug kiosk gives a post: its file name without the date.
fn page_slug(p: &PageOut) -> String {
    let name = p
        .path
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md");
    crate::content::slug_of_file_name(name)
}

/// Counts and lists what is not imported.
fn count_skipped(wp: &Wp, report: &mut Report) {
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    for i in &wp.export.items {
        let t = i.post_type.as_str();
        if t == "attachment" || t == "wp_block" {
            continue;
        }
        if !is_content(i) {
            *types
                .entry(if t.is_empty() { "(no type)" } else { t })
                .or_default() += 1;
            continue;
        }
        if let Status::Skip(why) = status(i) {
            report.note(
                Kind::NotImported,
                place(wp, i, i.line),
                format!("not imported: {why}"),
            );
            report.count("Left out (private, trash)", 1);
        }
    }
    for (t, n) in types {
        let why = match t {
            "nav_menu_item" => "menu entries (kiosk's menu comes from the sections and the theme)",
            "revision" => "old versions of posts",
            _ => "theme and plugin data",
        };
        report.note(
            Kind::NotImported,
            wp.file.clone(),
            format!("{n} × {t}: {why}"),
        );
    }
}

/// One item as a page, its notes, and its comments file.
fn convert_one(wp: &Wp, p: &Planned) -> Converted {
    let i = &wp.export.items[p.index];
    let mut report = Report::default();
    let mut page = PageOut {
        path: p.path.clone(),
        old_url: p.old_path.clone(),
        origin: place(wp, i, i.line),
        ..PageOut::default()
    };
    front_matter(wp, i, p, &mut page, &mut report);
    if page.path.ends_with("/_index.md") {
        page.as_section();
    }
    let converted = content::convert(&i.content, &i.post_id, wp);
    for (offset, kind, text) in converted.notes {
        let line = i.content_line
            + i.content[..offset.min(i.content.len())]
                .matches('\n')
                .count();
        report.note(kind, place(wp, i, line), text);
    }
    page.body = converted.markdown;
    let kind = match i.post_type.as_str() {
        "post" => "Posts",
        "page" => "Pages",
        _ => "Other content (custom post types)",
    };
    report.count(kind, 1);
    if p.draft {
        report.count("Drafts (draft: true)", 1);
    }
    if i.status == "future" {
        report.count("Scheduled (published on their date)", 1);
    }
    let comments = comments(i, &page, wp, &mut report);
    (page, report, comments)
}

/// Title, date, status and the rest of an item's front matter.
fn front_matter(wp: &Wp, i: &Item, p: &Planned, page: &mut PageOut, report: &mut Report) {
    let here = place(wp, i, i.line);
    let title = crate::text::decode_entities(i.title.trim()).into_owned();
    page.set(
        "title",
        if title.is_empty() {
            format!("{} {}", i.post_type, i.post_id)
        } else {
            title
        },
    );
    match wp_date(&i.post_date, &i.post_date_gmt) {
        Ok(Some(d)) => {
            page.set("date", d.rfc3339());
            if let Ok(Some(m)) = wp_date(&i.post_modified, &i.post_modified_gmt) {
                if m.timestamp() > d.timestamp() {
                    page.set("updated", m.rfc3339());
                }
            }
        }
        Ok(None) => {}
        Err(e) => {
            report.note(
                Kind::Broken,
                here.clone(),
                format!("the date {e}; imported without a date, as a draft"),
            );
            page.set("draft", true);
            page.old_url = None;
        }
    }
    if p.draft {
        page.set("draft", true);
        if !i.post_password.is_empty() {
            report.note(
                Kind::Changed,
                here.clone(),
                "was protected by a password, which a static site cannot ask for: it is a draft now",
            );
        }
    }
    let excerpt = crate::import::html::one_line(&i.excerpt);
    if !excerpt.is_empty() {
        page.set("description", excerpt);
    }
    if wp.authors.len() > 1 {
        if let Some(name) = wp.authors.get(i.creator.as_str()) {
            page.set("author", name.clone());
        }
    }
    terms(wp, i, page, report, &here);
    if let Some(img) = i.meta("_thumbnail_id").and_then(|id| wp.attachment(id)) {
        page.set("image", img.url);
    }
    aliases(i, page);
    page.set("extra", json!({ "wordpress_id": i.post_id }));
}

/// Categories and tags by name; other taxonomies are listed.
fn terms(wp: &Wp, i: &Item, page: &mut PageOut, report: &mut Report, here: &str) {
    let mut by_tax: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in &i.terms {
        match taxonomy(&t.domain) {
            Some((tax, _)) => {
                let name = crate::text::decode_entities(t.name.trim()).into_owned();
                let name = wp
                    .term_names
                    .get(&format!("{tax}:{name}"))
                    .cloned()
                    .unwrap_or(name);
                let list = by_tax.entry(tax).or_default();
                if !name.is_empty() && !list.contains(&name) {
                    list.push(name);
                }
            }
            None => report.note(
                Kind::Settings,
                here.to_string(),
                format!("the taxonomy `{}` (term “{}”) is not imported; add it to taxonomies: in kiosk.yaml and the pages", t.domain, t.name),
            ),
        }
    }
    for tax in ["categories", "tags"] {
        if let Some(list) = by_tax.remove(tax) {
            page.set(tax, list);
        }
    }
}

/// `_wp_old_slug`: the addresses the post had before its slug changed.
fn aliases(i: &Item, page: &mut PageOut) {
    let Some(old) = page.old_url.clone() else {
        return;
    };
    let current = links::with_slash(&old);
    let trimmed = current.trim_end_matches('/');
    let Some((parent, _)) = trimmed.rsplit_once('/') else {
        return;
    };
    let mut list: Vec<String> = i
        .meta
        .iter()
        .filter(|(k, v)| k == "_wp_old_slug" && !v.trim().is_empty())
        .map(|(_, v)| {
            let slug = percent_encoding::percent_decode_str(v.trim())
                .decode_utf8_lossy()
                .into_owned();
            format!("{parent}/{slug}/")
        })
        .filter(|a| *a != current)
        .collect();
    list.sort();
    list.dedup();
    if !list.is_empty() {
        page.set("aliases", list);
    }
}

/// Approved comments as `data/comments/<page>.yaml` (names, sites, dates and texts as
/// markdown; never the e-mail or IP addresses); the rest counted.
fn comments(i: &Item, page: &PageOut, wp: &Wp, report: &mut Report) -> Option<(String, String)> {
    let mut yaml = String::new();
    let mut n = 0;
    for c in &i.comments {
        if c.approved != "1" {
            report.count("Comments not approved (spam, waiting, trash): left out", 1);
            continue;
        }
        let mut f: Vec<(String, Value)> = vec![("id".into(), Value::from(c.id.clone()))];
        if !c.parent.is_empty() && c.parent != "0" {
            f.push(("parent".into(), Value::from(c.parent.clone())));
        }
        f.push((
            "author".into(),
            Value::from(crate::text::decode_entities(c.author.trim()).into_owned()),
        ));
        if !c.author_url.trim().is_empty() {
            f.push(("url".into(), Value::from(c.author_url.trim().to_string())));
        }
        if let Ok(Some(d)) = wp_date(&c.date, &c.date_gmt) {
            f.push(("date".into(), Value::from(d.rfc3339())));
        }
        if matches!(c.kind.as_str(), "pingback" | "trackback") {
            f.push(("type".into(), Value::from(c.kind.clone())));
        }
        let html = content::autop(&c.content.replace("\r\n", "\n"));
        let (text, _) =
            crate::import::html::to_markdown(&html, Default::default(), &|u| wp.rewrite(u));
        f.push(("text".into(), Value::from(text.trim_end().to_string())));
        for (k, line) in crate::import::model::yaml_lines(&f).lines().enumerate() {
            yaml.push_str(if k == 0 { "- " } else { "  " });
            yaml.push_str(line);
            yaml.push('\n');
        }
        n += 1;
    }
    if n == 0 {
        return None;
    }
    report.count("Comments kept as data (data/comments/, not published)", n);
    let stem = page
        .content_path()
        .trim_end_matches(".md")
        .replace('/', "--");
    let header = format!(
        "# Comments on {} (WordPress post {}), approved ones only, without e-mail and IP addresses.\n# kiosk does not publish this file.\n",
        page.content_path(),
        i.post_id
    );
    Some((format!("data/comments/{stem}.yaml"), header + &yaml))
}

/// `_index.md` of the blog (the posts page's title when WordPress had one) and of each other
/// post type's section.
fn sections(site: &mut Site) {
    let mut dirs: BTreeMap<String, String> = BTreeMap::new();
    for p in &site.pages {
        if let Some((dir, _)) = p.path.rsplit_once('/') {
            if dir != "content" {
                let name = dir.trim_start_matches("content/");
                let title = if name == "blog" {
                    "Blog".to_string()
                } else {
                    titled(name)
                };
                dirs.entry(dir.to_string()).or_insert(title);
            }
        }
    }
    for (dir, title) in dirs {
        let mut page = PageOut {
            path: format!("{dir}/_index.md"),
            origin: "kiosk import".into(),
            ..PageOut::default()
        };
        page.set("title", title);
        site.pages.push(page);
    }
}

fn titled(name: &str) -> String {
    let mut c = name.chars();
    c.next().map_or(String::new(), |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}

/// Addresses of the old site kiosk has no page for: category and tag archives (with the new
/// term page as a redirect), feeds, date and author archives, `?p=` short links.
fn archives(wp: &Wp, site: &mut Site) {
    let mut terms: Vec<(&String, &String)> = wp.links.terms.iter().collect();
    terms.sort();
    for (old, new) in &terms {
        site.report.redirects.push(((*old).clone(), (*new).clone()));
    }
    let base = &wp.links.base_path;
    site.report
        .redirects
        .push((format!("{base}/feed/"), format!("{base}/rss.xml")));
    site.report.note(
        Kind::UrlLost,
        wp.file.clone(),
        format!(
            "{} category and tag archives (/category/…/, /tag/…/), the feed (/feed/), date and author archives and short links (/?p=123) have no page of the same address in kiosk; the section “Redirects for your host” lists what to send where",
            terms.len()
        ),
    );
}
