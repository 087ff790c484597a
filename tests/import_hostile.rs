//! `kiosk import` against sources shaped like the worst of real sites and like an attacker's:
//! every one imports, builds, keeps what it can and names what it could not; none hangs.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use std::path::Path;
use std::time::Duration;

/// One WordPress item.
fn item(
    id: u32,
    kind: &str,
    name: &str,
    title: &str,
    link: &str,
    body: &str,
    terms: &str,
) -> String {
    format!(
        "<item><title><![CDATA[{title}]]></title><link>{link}</link>\
         <dc:creator><![CDATA[a]]></dc:creator>\
         <content:encoded><![CDATA[{body}]]></content:encoded>\
         <excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{id}</wp:post_id>\
         <wp:post_date><![CDATA[2021-03-0{d} 10:00:00]]></wp:post_date>\
         <wp:post_date_gmt><![CDATA[2021-03-0{d} 09:00:00]]></wp:post_date_gmt>\
         <wp:post_name><![CDATA[{name}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>\
         <wp:post_parent>0</wp:post_parent><wp:post_type><![CDATA[{kind}]]></wp:post_type>\
         <wp:post_password><![CDATA[]]></wp:post_password>{terms}</item>\n",
        d = id % 9 + 1
    )
}

fn tag(name: &str, slug: &str) -> String {
    format!("<category domain=\"post_tag\" nicename=\"{slug}\"><![CDATA[{name}]]></category>")
}

/// The items of [`hostile_export`].
fn hostile_items() -> Vec<String> {
    let long_term = "x".repeat(600);
    vec![
        item(
            1,
            "page",
            "blog",
            "Blog",
            "https://alt.example/blog/",
            "Alle Beiträge",
            "",
        ),
        item(
            2,
            "post",
            "con",
            "CON",
            "https://alt.example/con/",
            "Ein Gerät namens CON.",
            &tag("#", "%23"),
        ),
        item(
            3,
            "page",
            "abc",
            "Abc",
            "https://alt.example/Abc/",
            "groß",
            "",
        ),
        item(
            4,
            "page",
            "abc-2",
            "abc",
            "https://alt.example/abc/",
            "klein",
            "",
        ),
        item(
            5,
            "post",
            "gefaehrlich",
            "Gefährlich",
            "https://alt.example/gefaehrlich/",
            "<a href=\"javascript:alert(1)\">Klick</a> <a href=\"data:text/html,x\">Daten</a> \
             <iframe src=\"javascript:alert(2)\"></iframe>\
             <object data=\"http://www.youtube.com/v/abcdefghijk&amp;hl=de\"></object>\
             <svg><text>Zeichnung</text></svg> Ende.",
            &tag(&long_term, &long_term),
        ),
        item(
            6,
            "wp_block",
            "muster",
            "Muster",
            "https://alt.example/?p=6",
            "Baustein",
            "",
        ),
        item(
            7,
            "post",
            "lang",
            &"Sehr langer Titel ".repeat(30),
            "https://alt.example/lang/",
            "x",
            "",
        ),
        item(
            8,
            "post",
            "viele",
            "Viele",
            "https://alt.example/viele/",
            &format!("{}{}", "[caption ".repeat(20_000), "{{ ".repeat(20_000)),
            "",
        ),
    ]
}

/// A WordPress export in ISO-8859-1 (as old sites export) with the mess real and hostile
/// exports hold.
fn hostile_export(path: &Path) {
    let items = hostile_items();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n\
         <rss version=\"2.0\" xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\n\
         <channel><title>Grüße</title><link>https://alt.example</link><language>de-DE</language>\
         <wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://alt.example</wp:base_site_url>\
         <wp:base_blog_url>https://alt.example</wp:base_blog_url>\n{}</channel></rss>\n",
        items.concat()
    );
    // Latin-1: every character here is below U+0100.
    let bytes: Vec<u8> = xml
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect();
    std::fs::write(path, bytes).unwrap();
}

/// Runs `kiosk import KIND SRC --into INTO` within `secs` seconds.
fn import(kind: &str, src: &Path, into: &Path, secs: u64) -> Run {
    let args = [
        kind,
        src.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ];
    kiosk_within(
        &repo(),
        &[&["import"][..], &args].concat(),
        Duration::from_secs(secs),
    )
}

fn read_all(dir: &Path) -> String {
    tree(dir)
        .into_iter()
        .map(|(k, v)| format!("== {k}\n{}\n", String::from_utf8_lossy(&v)))
        .collect()
}

#[test]
fn a_hostile_wordpress_export_imports_builds_and_names_what_it_left_out() {
    let d = tempfile::tempdir().unwrap();
    let export = d.path().join("export.xml");
    hostile_export(&export);
    let into = d.path().join("neu");
    let r = import("wordpress", &export, &into, 30);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let content = read_all(&into.join("content"));
    let report = std::fs::read_to_string(into.join("IMPORT-REPORT.md")).unwrap();
    // ISO-8859-1 read as such: umlauts are umlauts, not replacement characters.
    assert!(content.contains("Ein Gerät namens CON."), "{content}");
    assert!(!content.contains('\u{fffd}'), "{content}");
    // No file a Windows checkout cannot hold; Abc and abc do not overwrite each other.
    let names: Vec<String> = tree(&into.join("content")).into_keys().collect();
    assert!(
        !names.iter().any(|n| n.to_lowercase().ends_with("/con.md")),
        "{names:?}"
    );
    assert!(
        content.contains("groß") && content.contains("klein"),
        "{content}"
    );
    assert!(names.iter().all(|n| n.len() < 200), "{names:?}");
    // Code in addresses and plugins never reaches the site; each is named.
    assert!(
        !content.contains("javascript:") && !content.contains("data:text"),
        "{content}"
    );
    assert!(
        content.contains("Klick") && content.contains("Daten"),
        "{content}"
    );
    assert!(
        content.contains("video(url=\"http://www.youtube.com/v/abcdefghijk"),
        "{content}"
    );
    assert!(!content.contains("Zeichnung"), "{content}");
    for said in ["was removed", "without a web address", "inline SVG"] {
        assert!(report.contains(said), "{said}: {report}");
    }
    // Reusable blocks are no pages; a tag without letters is no tag.
    assert!(!content.contains("Baustein"), "{content}");
    assert!(!content.contains("\"#\""), "{content}");

    let out = d.path().join("public");
    let b = build_within(&into, &out, &[], Duration::from_secs(30));
    assert_eq!(b.code, 0, "{}", b.stderr);
    let built: Vec<String> = tree(&out).into_keys().collect();
    assert!(
        built.iter().all(|f| f.split('/').all(|c| c.len() <= 255)),
        "{built:?}"
    );
    assert!(
        built.iter().any(|f| f.starts_with("tags/xxxx")),
        "{built:?}"
    );
}

#[test]
fn ignore_rules_of_jekyll_hugo_and_zola_are_kept() {
    let d = tempfile::tempdir().unwrap();
    let spec = "\
-- jekyll/_config.yml --
title: J
exclude: [\"entwuerfe/**\", \"*.txt\"]
-- jekyll/_posts/2021-01-02-da.md --
---
title: Da
---
Da.
-- jekyll/_posts/ohne-datum.md --
---
title: Ohne Datum
---
Nie.
-- jekyll/entwuerfe/geheim.md --
---
title: Geheim
---
Geheim.
-- jekyll/notiz.txt --
privat
-- hugo/hugo.toml --
baseURL = \"https://h.example/\"
defaultContentLanguage = \"de\"
ignoreFiles = [\"\\\\.privat\\\\.md$\"]
[languages.de]
weight = 1
-- hugo/content/posts/next.js.md --
---
title: Next
---
Ein Beitrag über next.js.
-- hugo/content/posts/tagebuch.privat.md --
---
title: Privat
---
Geheim.
-- zola/config.toml --
base_url = \"https://z.example\"
ignored_content = [\"*.draft.md\"]
-- zola/content/blog/_index.md --
+++
title = \"Blog\"
+++
-- zola/content/blog/a.md --
+++
title = \"A\"
+++
A.
-- zola/content/blog/b.draft.md --
+++
title = \"B\"
+++
Geheim.
";
    write_spec(d.path(), spec);
    for kind in ["jekyll", "hugo", "zola"] {
        let into = d.path().join(format!("aus-{kind}"));
        let src = d.path().join(kind);
        let r = import(kind, &src, &into, 60);
        assert_eq!(r.code, 0, "{kind}: {}{}", r.stdout, r.stderr);
        let content = read_all(&into.join("content"));
        assert!(
            !content.contains("Geheim") && !content.contains("privat"),
            "{kind}: {content}"
        );
        let report = std::fs::read_to_string(into.join("IMPORT-REPORT.md")).unwrap();
        match kind {
            "jekyll" => {
                assert!(content.contains("Da."), "{content}");
                assert!(!content.contains("Nie."), "{content}");
                assert!(report.contains("ohne-datum.md"), "{report}");
            }
            // `.js` is no language of this site: the page is `next.js`, not a translation.
            "hugo" => assert!(content.contains("Ein Beitrag über next.js."), "{content}"),
            _ => assert!(content.contains("A."), "{content}"),
        }
    }
}

#[test]
fn ten_thousand_unclosed_shortcodes_import_in_linear_time() {
    let d = tempfile::tempdir().unwrap();
    let body = format!(
        "---\ntitle: Viele\n---\n{}{}{}",
        "{{< note >}} a\n".repeat(10_000),
        "{% note() %} b\n".repeat(10_000),
        "{{< hint >}} c {{< /hint >}}\n".repeat(10_000)
    );
    let spec = format!(
        "-- hugo/hugo.toml --\nbaseURL = \"https://h.example/\"\n-- hugo/content/posts/viele.md --\n{body}\
         -- zola/config.toml --\nbase_url = \"https://z.example\"\n-- zola/content/viele.md --\n{body}\
         -- jekyll/_config.yml --\ntitle: J\n-- jekyll/_posts/2021-01-01-viele.md --\n{body}"
    );
    write_spec(d.path(), &spec);
    for kind in ["hugo", "zola", "jekyll"] {
        let into = d.path().join(format!("aus-{kind}"));
        let src = d.path().join(kind);
        // Quadratic scanning took 6 to 17 s here; linear takes well under one.
        let r = import(kind, &src, &into, 20);
        assert_eq!(r.code, 0, "{kind}: {}", r.stderr);
    }
}
