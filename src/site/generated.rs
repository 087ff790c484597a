//! Files kiosk generates rather than renders from a template: feeds (site-wide and per section),
//! the sitemap, `robots.txt`, the highlighting stylesheet, the 404 page's job, and alias
//! redirect pages. The XML itself is written by [`crate::feeds`].

use super::plan::{Job, JobKind};
use super::Site;
use crate::content::taxonomy::term_path;
use crate::feeds;

/// What produced a generated file, for messages.
pub(crate) const GENERATED: &str = "kiosk (generated)";

/// The site-wide generated files, after pages, sections and taxonomies.
pub(super) fn jobs(site: &Site, jobs: &mut Vec<Job>) {
    let config = &site.config;
    // A page of the site at /404.html (Jekyll's `404.md` with `permalink: /404.html`) is the
    // site's own "not found" page: the theme's is not made.
    let own_404 = site
        .lib
        .pages
        .iter()
        .any(|p| p.published() && p.path.eq_ignore_ascii_case("/404.html"));
    if !own_404 {
        jobs.push(Job {
            rel: "404.html".into(),
            source: GENERATED.into(),
            kind: JobKind::NotFound,
        });
    }
    let recent = site.lib.dated_pages();
    feed_jobs(site, "/", &config.title, &recent, GENERATED, jobs);
    jobs.push(Job {
        rel: "sitemap.xml".into(),
        source: GENERATED.into(),
        kind: JobKind::Bytes(sitemap(site).into_bytes()),
    });
    if config.shares_root() {
        return; // robots.txt and the styles are the default language's
    }
    // robots.txt names the sitemaps of every language served below this address.
    let sitemaps: Vec<String> = config
        .language_codes()
        .iter()
        .filter_map(|c| config.language_url(c))
        .filter(|u| u.starts_with(&config.base_url))
        .map(|u| format!("{u}sitemap.xml"))
        .collect();
    jobs.push(Job {
        rel: "robots.txt".into(),
        source: GENERATED.into(),
        kind: JobKind::Bytes(feeds::robots(&sitemaps).into_bytes()),
    });
    if let Ok(css) = crate::markdown::highlight::stylesheet(
        &config.highlighting.light,
        &config.highlighting.dark,
    ) {
        jobs.push(Job {
            rel: "highlight.css".into(),
            source: GENERATED.into(),
            kind: JobKind::Bytes(css.into_bytes()),
        });
    }
}

/// The dated pages of a section, newest first.
pub(crate) fn section_dated(site: &Site, si: usize) -> Vec<usize> {
    let lib = &site.lib;
    let mut dated: Vec<usize> = lib.sections[si]
        .pages
        .iter()
        .copied()
        .filter(|&p| lib.pages[p].date.is_some())
        .collect();
    dated.sort_by_key(|&p| std::cmp::Reverse(lib.pages[p].date.map(|d| d.timestamp())));
    dated
}

/// A section's own Atom and RSS feeds, when it has dated pages.
pub(crate) fn section_feeds(site: &Site, si: usize, source: &str, jobs: &mut Vec<Job>) {
    let dated = section_dated(site, si);
    if !dated.is_empty() {
        let s = &site.lib.sections[si];
        feed_jobs(site, &s.path, &s.title, &dated, source, jobs);
    }
}

/// Atom and RSS feeds of `pages` (newest first) under the site path `base`.
pub(crate) fn feed_jobs(
    site: &Site,
    base: &str,
    title: &str,
    pages: &[usize],
    source: &str,
    jobs: &mut Vec<Job>,
) {
    let lib = &site.lib;
    let config = &site.config;
    let entries: Vec<feeds::Entry> = pages
        .iter()
        .take(config.feed_limit.max(1))
        .filter_map(|&pi| {
            let p = &lib.pages[pi];
            let mut cats: Vec<&str> = p
                .meta
                .taxonomies
                .values()
                .flat_map(|t| t.value.iter().map(String::as_str))
                .collect();
            cats.dedup();
            Some(feeds::Entry {
                title: &p.title,
                url: config.absolute(&p.path),
                date: p.date?,
                updated: p.meta.updated.as_ref().map(|u| u.value),
                summary: p.meta.description.as_deref(),
                content: &p.rendered.html,
                categories: cats,
            })
        })
        .collect();
    let base_rel = base.trim_matches('/');
    let rel = |f: &str| {
        if base_rel.is_empty() {
            f.to_string()
        } else {
            format!("{base_rel}/{f}")
        }
    };
    let feed_title = if base == "/" {
        title.to_string()
    } else {
        format!("{title} – {}", config.title)
    };
    let mut feed = feeds::Feed {
        title: &feed_title,
        description: &config.description,
        home: config.absolute(base),
        self_url: config.absolute(&format!("/{}", rel("atom.xml"))),
        author: &config.author.name,
        language: config.locale.code(),
        fallback_updated: site.clock.feed_fallback(),
    };
    jobs.push(Job {
        rel: rel("atom.xml"),
        source: source.to_string(),
        kind: JobKind::Bytes(feeds::atom(&feed, &entries).into_bytes()),
    });
    feed.self_url = config.absolute(&format!("/{}", rel("rss.xml")));
    jobs.push(Job {
        rel: rel("rss.xml"),
        source: source.to_string(),
        kind: JobKind::Bytes(feeds::rss(&feed, &entries).into_bytes()),
    });
}

/// The redirect page an alias of the page at `path` becomes.
pub(super) fn redirect_page(site: &Site, path: &str) -> Vec<u8> {
    feeds::redirect(&site.config.absolute(path), &site.config.locale).into_bytes()
}

/// Every page, section, taxonomy and term, sorted by URL.
fn sitemap(site: &Site) -> String {
    let config = &site.config;
    let mut urls: Vec<feeds::SitemapUrl> = Vec::new();
    let alternates = |content_path: &str| -> Vec<(String, String)> {
        site.translations
            .alternates(&config.language, Some(content_path))
            .into_iter()
            .map(|a| (a.hreflang.to_string(), a.url.to_string()))
            .collect()
    };
    for p in site
        .lib
        .pages
        .iter()
        .filter(|p| p.published() && !p.path.eq_ignore_ascii_case("/404.html"))
    {
        let m = p
            .meta
            .updated
            .as_ref()
            .map(|u| u.value)
            .or(p.date)
            .map(|d| d.datetime.date().to_string());
        urls.push(feeds::SitemapUrl {
            loc: config.absolute(&p.path),
            lastmod: m,
            alternates: alternates(&p.content_path),
        });
    }
    for s in site.lib.sections.iter().filter(|s| s.published()) {
        urls.push(feeds::SitemapUrl {
            loc: config.absolute(&s.path),
            lastmod: None,
            alternates: alternates(&s.content_path),
        });
    }
    for t in site.taxonomies.iter().filter(|t| !t.terms.is_empty()) {
        let paths = std::iter::once(format!("/{}/", t.name))
            .chain(t.terms.iter().map(|term| term_path(&t.name, &term.slug)));
        urls.extend(paths.map(|p| feeds::SitemapUrl {
            loc: config.absolute(&p),
            lastmod: None,
            alternates: Vec::new(),
        }));
    }
    urls.sort_by(|a, b| a.loc.cmp(&b.loc));
    feeds::sitemap(&urls)
}
