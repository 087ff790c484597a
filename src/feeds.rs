//! Feeds and crawler files: Atom and RSS, `sitemap.xml` and `robots.txt`. Written directly (no
//! templates) so they are always well-formed, and dated only from content, never from the clock.

use crate::date::PageDate;
use crate::locale::Locale;
use crate::text::escape_xml as xml_escape;

/// An address for XML: letters outside ASCII (a `url:` like `/schöne-grüße/`) and spaces
/// percent-encoded, as feeds and sitemaps require, then escaped.
fn url_xml(url: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    const SET: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');
    xml_escape(&utf8_percent_encode(url, SET).to_string())
}

/// One entry of a feed.
pub struct Entry<'a> {
    /// Title.
    pub title: &'a str,
    /// Absolute URL.
    pub url: String,
    /// Publication date.
    pub date: PageDate,
    /// Last update.
    pub updated: Option<PageDate>,
    /// Short text.
    pub summary: Option<&'a str>,
    /// Full HTML content.
    pub content: &'a str,
    /// Category and tag names.
    pub categories: Vec<&'a str>,
}

/// A feed's own data.
pub struct Feed<'a> {
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Absolute URL of the HTML page the feed belongs to.
    pub home: String,
    /// Absolute URL of the feed itself.
    pub self_url: String,
    /// Author name.
    pub author: &'a str,
    /// Language code.
    pub language: &'a str,
    /// When the feed says it was updated if it has no entries (see [`crate::date::Clock`]).
    pub fallback_updated: jiff::Timestamp,
}

fn newest(feed: &Feed, entries: &[Entry]) -> String {
    entries
        .iter()
        .map(|e| e.updated.unwrap_or(e.date))
        .max_by_key(PageDate::timestamp)
        .map(|d| d.rfc3339())
        .unwrap_or_else(|| {
            feed.fallback_updated
                .strftime("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        })
}

/// A buffer for a feed, started with the XML declaration.
fn xml_start(entries: &[Entry]) -> String {
    let size: usize = entries.iter().map(|e| e.content.len() * 6 / 5).sum();
    let mut s = String::with_capacity(4096 + size);
    s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    s
}

/// An Atom 1.0 feed.
pub fn atom(feed: &Feed, entries: &[Entry]) -> String {
    let mut s = xml_start(entries);
    s.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(feed.language)
    ));
    s.push_str(&format!("  <title>{}</title>\n", xml_escape(feed.title)));
    if !feed.description.is_empty() {
        s.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            xml_escape(feed.description)
        ));
    }
    s.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        url_xml(&feed.self_url)
    ));
    s.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        url_xml(&feed.home)
    ));
    s.push_str("  <generator uri=\"https://kiosk.invalid/\">kiosk</generator>\n");
    s.push_str(&format!("  <updated>{}</updated>\n", newest(feed, entries)));
    s.push_str(&format!("  <id>{}</id>\n", url_xml(&feed.self_url)));
    if !feed.author.is_empty() {
        s.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(feed.author)
        ));
    }
    for e in entries {
        s.push_str("  <entry>\n");
        s.push_str(&format!("    <title>{}</title>\n", xml_escape(e.title)));
        s.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            url_xml(&e.url)
        ));
        s.push_str(&format!("    <id>{}</id>\n", url_xml(&e.url)));
        s.push_str(&format!(
            "    <published>{}</published>\n",
            e.date.rfc3339()
        ));
        s.push_str(&format!(
            "    <updated>{}</updated>\n",
            e.updated.unwrap_or(e.date).rfc3339()
        ));
        for c in &e.categories {
            s.push_str(&format!("    <category term=\"{}\"/>\n", xml_escape(c)));
        }
        if let Some(sum) = e.summary {
            s.push_str(&format!("    <summary>{}</summary>\n", xml_escape(sum)));
        }
        s.push_str(&format!(
            "    <content type=\"html\" xml:base=\"{}\">{}</content>\n",
            url_xml(&e.url),
            xml_escape(e.content)
        ));
        s.push_str("  </entry>\n");
    }
    s.push_str("</feed>\n");
    s
}

/// An RSS 2.0 feed.
pub fn rss(feed: &Feed, entries: &[Entry]) -> String {
    let mut s = xml_start(entries);
    s.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    s.push_str(&format!("  <title>{}</title>\n", xml_escape(feed.title)));
    s.push_str(&format!("  <link>{}</link>\n", url_xml(&feed.home)));
    s.push_str(&format!(
        "  <description>{}</description>\n",
        xml_escape(if feed.description.is_empty() {
            feed.title
        } else {
            feed.description
        })
    ));
    s.push_str(&format!(
        "  <language>{}</language>\n",
        xml_escape(feed.language)
    ));
    s.push_str("  <generator>kiosk</generator>\n");
    s.push_str(&format!(
        "  <atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        url_xml(&feed.self_url)
    ));
    if let Some(d) = entries
        .iter()
        .map(|e| e.date)
        .max_by_key(PageDate::timestamp)
    {
        s.push_str(&format!(
            "  <lastBuildDate>{}</lastBuildDate>\n",
            d.rfc2822()
        ));
    }
    for e in entries {
        s.push_str("  <item>\n");
        s.push_str(&format!("    <title>{}</title>\n", xml_escape(e.title)));
        s.push_str(&format!("    <link>{}</link>\n", url_xml(&e.url)));
        s.push_str(&format!(
            "    <guid isPermaLink=\"true\">{}</guid>\n",
            url_xml(&e.url)
        ));
        s.push_str(&format!("    <pubDate>{}</pubDate>\n", e.date.rfc2822()));
        for c in &e.categories {
            s.push_str(&format!("    <category>{}</category>\n", xml_escape(c)));
        }
        s.push_str(&format!(
            "    <description>{}</description>\n",
            xml_escape(e.content)
        ));
        s.push_str("  </item>\n");
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

/// `sitemap.xml` from (absolute URL, last modification) pairs, in the order given.
pub fn sitemap(urls: &[SitemapUrl]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if urls.iter().any(|u| !u.alternates.is_empty()) {
        s.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    s.push_str(">\n");
    for u in urls {
        s.push_str("  <url>\n");
        s.push_str(&format!("    <loc>{}</loc>\n", url_xml(&u.loc)));
        if let Some(m) = &u.lastmod {
            s.push_str(&format!("    <lastmod>{m}</lastmod>\n"));
        }
        for (lang, href) in &u.alternates {
            s.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                xml_escape(lang),
                url_xml(href)
            ));
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

/// One address in the sitemap.
pub struct SitemapUrl {
    /// The page.
    pub loc: String,
    /// Its last change (`2026-11-22`).
    pub lastmod: Option<String>,
    /// Its translations (`hreflang`, URL), itself and `x-default` included.
    pub alternates: Vec<(String, String)>,
}

/// `robots.txt` that allows everything and names the sitemaps.
pub fn robots(sitemaps: &[String]) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n\n");
    for url in sitemaps {
        s.push_str(&format!("Sitemap: {url}\n"));
    }
    s
}

/// A redirect page for an alias: works without JavaScript, tells search engines the canonical URL.
pub fn redirect(target: &str, locale: &Locale) -> String {
    let t = xml_escape(target);
    let lang = xml_escape(locale.code());
    let title = xml_escape(locale.text("redirect.title"));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body>\n<p><a href=\"{t}\">{t}</a></p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_xml_are_ascii() {
        assert_eq!(
            url_xml("https://e.org/2020/07/schöne grüße/?a=1&b=2"),
            "https://e.org/2020/07/sch%C3%B6ne%20gr%C3%BC%C3%9Fe/?a=1&amp;b=2"
        );
    }

    fn entry(content: &str) -> Entry<'_> {
        Entry {
            title: "A & B",
            url: "https://e.org/a/".into(),
            date: PageDate::parse("2026-11-22").unwrap(),
            updated: None,
            summary: Some("kurz"),
            content,
            categories: vec!["rust"],
        }
    }

    fn feed() -> Feed<'static> {
        Feed {
            title: "Blog",
            description: "",
            home: "https://e.org/".into(),
            self_url: "https://e.org/atom.xml".into(),
            author: "Anna",
            language: "de",
            fallback_updated: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn atom_is_escaped_and_dated_from_content() {
        let a = atom(&feed(), &[entry("<p>x</p>")]);
        assert!(a.contains("<title>A &amp; B</title>"));
        assert!(a.contains("&lt;p&gt;x&lt;/p&gt;"));
        assert!(a.contains("<updated>2026-11-22T00:00:00Z</updated>"));
    }

    #[test]
    fn rss_dates() {
        let r = rss(&feed(), &[entry("x")]);
        assert!(r.contains("<pubDate>Sun, 22 Nov 2026 00:00:00 +0000</pubDate>"));
    }
}
