//! A site in two languages: each language's pages, feeds and taxonomies below its own address;
//! translations found by path and linked both ways (`hreflang`, sitemap, switcher); `@/` links
//! resolve in the page's own language first; a translation shares its twin's product.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use std::collections::BTreeMap;

const SITE: &str = "\
-- kiosk.yaml --
title: Anna Schmidt
base_url: https://anna.example/
language: de
vat: included
languages:
  en:
    title: Anna Smith
-- content/_index.md --
---
title: Start
---
Hallo.
-- content/_index.en.md --
---
title: Home
---
Hello.
-- content/blog/_index.md --
---
title: Blog
---
-- content/blog/_index.en.md --
---
title: Blog
---
-- content/blog/2026-01-05-hallo.md --
---
title: Hallo Welt
tags: [anfang]
---
Der erste Beitrag.
-- content/blog/2026-01-05-hallo.en.md --
---
title: Hello world
slug: hello-world
tags: [start]
---
The first post. See [the book](@/produkte/buch/index.md), [my rates](@/preise.md),
[a German post](@/blog/2026-02-01-nur-deutsch.md) and [the book again](@/produkte/buch/index.en.md).
-- content/blog/2026-02-01-nur-deutsch.md --
---
title: Nur auf Deutsch
tags: [anfang]
---
Nur hier.
-- content/preise.md --
---
title: Preise
---
Stundensatz.
-- content/produkte/buch/index.md --
---
title: Das Buch
product:
  kind: ebook
  price: 19
  sku: AS-1
  checkout:
    url: https://shop.example/buch
---
Ein Buch.
-- content/produkte/buch/index.en.md --
---
title: The book
slug: the-book
---
A book.
-- content/produkte/buch/cover.png --
png
";

fn built() -> (tempfile::TempDir, BTreeMap<String, String>) {
    let d = site(SITE);
    let out = d.path().join("public");
    let r = build(d.path(), &out, &["--now", "2026-11-22"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let files = tree(&out)
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8_lossy(&v).into_owned()))
        .collect();
    (d, files)
}

/// `hreflang` → URL of the alternates in a page's head.
fn alternates(html: &str) -> BTreeMap<String, String> {
    html.match_indices("<link rel=\"alternate\" hreflang=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let (lang, rest) = rest.split_once('"').unwrap();
            let href = rest
                .split_once("href=\"")
                .unwrap()
                .1
                .split_once('"')
                .unwrap()
                .0;
            (lang.to_string(), href.to_string())
        })
        .collect()
}

fn file_of(url: &str) -> String {
    let p = url.strip_prefix("https://anna.example/").unwrap();
    format!("{p}index.html")
}

#[test]
fn each_language_has_its_own_pages_feeds_and_taxonomies() {
    let (_d, f) = built();
    for rel in [
        "index.html",
        "blog/hallo/index.html",
        "blog/nur-deutsch/index.html",
        "en/index.html",
        "en/blog/hello-world/index.html",
        "en/produkte/the-book/index.html",
        "en/produkte/the-book/cover.png",
        "en/tags/start/index.html",
        "en/atom.xml",
        "en/404.html",
        "en/sitemap.xml",
    ] {
        assert!(f.contains_key(rel), "{rel} missing: {:?}", f.keys());
    }
    // No silent copies: a page without a translation is absent in that language, and no
    // translation is a page of the default language.
    assert!(!f.keys().any(|k| k.starts_with("en/blog/nur-deutsch")));
    assert!(!f
        .keys()
        .any(|k| k.contains("hallo-en") || k.contains("hallo.en")));
    assert!(
        !f.contains_key("en/style.css"),
        "site-wide files stay at the root"
    );
    assert!(f["en/index.html"].contains("<html lang=\"en\""));
    assert!(f["index.html"].contains("<html lang=\"de\""));
    // The language's own title, linking its own home page.
    let brand = "<a class=\"brand\" href=\"https://anna.example/en/\">Anna Smith</a>";
    assert!(f["en/index.html"].contains(brand), "{}", f["en/index.html"]);
    assert!(!f["en/index.html"].contains("Anna Schmidt"));
    // Feeds and taxonomies per language.
    assert!(f["en/atom.xml"].contains("Hello world") && !f["en/atom.xml"].contains("Hallo Welt"));
    assert!(f["atom.xml"].contains("Hallo Welt") && !f["atom.xml"].contains("Hello world"));
    assert!(!f.contains_key("tags/start/index.html"));
    assert!(!f.contains_key("en/tags/anfang/index.html"));
    assert!(f["robots.txt"].contains("Sitemap: https://anna.example/en/sitemap.xml"));
}

#[test]
fn translations_link_each_other_both_ways() {
    let (_d, f) = built();
    let mut pairs = 0;
    for (rel, html) in f.iter().filter(|(k, _)| k.ends_with(".html")) {
        let alt = alternates(html);
        if alt.is_empty() {
            continue;
        }
        pairs += 1;
        assert_eq!(
            alt.get("x-default"),
            alt.get("de"),
            "{rel}: x-default is the German page"
        );
        let me = format!(
            "https://anna.example/{}",
            rel.trim_end_matches("index.html")
        );
        assert!(
            alt.values().any(|u| *u == me),
            "{rel} names itself: {alt:?}"
        );
        for url in alt.values() {
            let other = &f[&file_of(url)];
            assert_eq!(alternates(other), alt, "{rel} and {url} disagree");
        }
    }
    assert_eq!(
        pairs, 10,
        "home, blog, post, products and book, in two languages"
    );
    let sitemap = &f["sitemap.xml"];
    assert!(sitemap.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://anna.example/en/blog/hello-world/\"/>"
    ));
    assert!(!alternates(&f["blog/nur-deutsch/index.html"]).contains_key("en"));
}

/// The switcher's link for `code` on a page.
fn switch_to(html: &str, code: &str) -> String {
    let needle = format!("\" hreflang=\"{code}\" lang=\"{code}\"");
    let i = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no switch to {code}"));
    let start = html[..i].rfind("href=\"").unwrap() + 6;
    html[start..i].to_string()
}

#[test]
fn the_switcher_goes_to_the_translation_or_else_home() {
    let (_d, f) = built();
    assert_eq!(
        switch_to(&f["blog/hallo/index.html"], "en"),
        "https://anna.example/en/blog/hello-world/"
    );
    assert_eq!(
        switch_to(&f["en/blog/hello-world/index.html"], "de"),
        "https://anna.example/blog/hallo/"
    );
    assert_eq!(
        switch_to(&f["blog/nur-deutsch/index.html"], "en"),
        "https://anna.example/en/"
    );
    assert_eq!(
        switch_to(&f["en/tags/start/index.html"], "de"),
        "https://anna.example/"
    );
}

#[test]
fn links_resolve_in_the_own_language_first_and_products_are_shared() {
    let (_d, f) = built();
    let post = &f["en/blog/hello-world/index.html"];
    // The translation of the book; the German page where there is no English one; an explicit
    // file name.
    let book_url = "href=\"https://anna.example/en/produkte/the-book/\"";
    assert_eq!(post.matches(book_url).count(), 2, "{post}");
    assert!(post.contains("href=\"https://anna.example/preise/\""));
    assert!(post.contains("href=\"https://anna.example/blog/nur-deutsch/\""));
    let book = &f["en/produkte/the-book/index.html"];
    assert!(book.contains("€19.00"), "price shared with the German page");
    assert!(
        book.contains("https://shop.example/buch"),
        "checkout shared"
    );
    assert!(book.contains("VAT"), "English VAT note: {book}");
}

#[test]
fn bad_languages_are_errors_at_their_line() {
    let d = site(
        "\
-- kiosk.yaml --
base_url: https://anna.example/
language: de
languages:
  en: {titel: Anna}
-- content/_index.md --
---
title: Start
---
",
    );
    let r = build(d.path(), &d.path().join("public"), &[]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("kiosk.yaml:") && r.stderr.contains("titel"),
        "{}",
        r.stderr
    );
    let d = site(
        "\
-- kiosk.yaml --
base_url: https://anna.example/
language: de
languages:
  en:
-- content/blog/a.en.md --
---
title: A
---
-- content/blog/a.EN.md --
---
title: A again
---
",
    );
    let r = build(d.path(), &d.path().join("public"), &[]);
    assert_ne!(r.code, 0, "two files for one page in one language");
    assert!(
        r.stderr.contains(
            "content/blog/a.en.md: error: `content/blog/a.EN.md` is this page in `en` already"
        ),
        "{}",
        r.stderr
    );
}

/// Without `languages:`, `post.en.md` beside `post.md` is published as a page of its own: a
/// warning at the file says so and how to make it the translation.
#[test]
fn a_translation_in_a_language_the_site_lacks_is_a_warning() {
    let d = site(
        "\
-- kiosk.yaml --
base_url: https://anna.example/
language: de
-- content/blog/a.md --
---
title: A
---
-- content/blog/a.en.md --
---
title: A in English
---
-- content/blog/v1.2.md --
---
title: Version 1.2
---
",
    );
    let r = build(d.path(), &d.path().join("public"), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/blog/a.en.md: warning: looks like the `en` translation of content/blog/a.md, but `en` is not a language of the site"),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr.matches("translation of").count(),
        1,
        "{}",
        r.stderr
    );
}
