//! One language, fully: the example site built with `language: en` shows no German text of the
//! theme, and built with `language: de` no English one; a site's own `i18n/<lang>.yaml`
//! overrides the theme's texts; an unknown key is an error at the template.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use std::path::Path;

/// The texts of a theme table, `key: value` lines (values are plain scalars there), without
/// the identifiers among them.
fn texts(lang: &str) -> Vec<String> {
    let yaml =
        std::fs::read_to_string(repo().join(format!("themes/default/i18n/{lang}.yaml"))).unwrap();
    yaml.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(": "))
        // An identifier (`#section`) is not text; a language's name (`language.name`) is
        // written in that language in every language's switcher.
        .filter(|(k, _)| !k.trim().ends_with("_id") && k.trim() != "name")
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

/// The pieces of the texts of `lang` a reader would see and the other language never says:
/// parts between `{placeholders}`, four characters or more, with a letter.
fn foreign_pieces(lang: &str, other: &str) -> Vec<String> {
    let others = texts(other).join("\n");
    let mut out = Vec::new();
    for t in texts(lang) {
        let mut rest = t.as_str();
        while !rest.is_empty() {
            let (piece, after) = match rest.find('{') {
                Some(i) => (
                    &rest[..i],
                    rest[i..].find('}').map_or("", |j| &rest[i + j + 1..]),
                ),
                None => (rest, ""),
            };
            let piece = piece.trim().trim_end_matches([':', ',', '.']).trim();
            if piece.chars().count() >= 4
                && piece.chars().any(char::is_alphabetic)
                && !others.contains(piece)
            {
                out.push(piece.to_string());
            }
            rest = after;
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Every text the site's own files hold (content and config): a piece found there may come
/// from the content, not from the theme.
fn site_text(root: &Path) -> String {
    tree(root)
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".kiosk-cache"))
        .map(|(_, v)| v)
        .map(|v| String::from_utf8_lossy(&v).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn build_in(lang: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("site");
    copy_example_in_one_language(&site);
    let config = site.join("kiosk.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("\nlanguage: de\n"));
    std::fs::write(
        &config,
        text.replace("\nlanguage: de\n", &format!("\nlanguage: {lang}\n")),
    )
    .unwrap();
    let out = d.path().join("public");
    let r = build(&site, &out, &["--now", "2026-11-22"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (d, out)
}

/// A page without its JSON-LD blocks: schema.org's type names (`Product`, `Course`) are
/// English in every language.
fn without_structured_data(page: &str) -> String {
    let mut out = String::new();
    let mut rest = page;
    while let Some(i) = rest.find("<script type=\"application/ld+json\">") {
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .split_once("</script>")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

fn assert_speaks_only(lang: &str, other: &str) {
    let (d, out) = build_in(lang);
    let found = foreign_texts(&d.path().join("site"), &out, lang, other, |_| true);
    assert!(
        found.is_empty(),
        "{lang} site shows {other} texts:\n{}",
        found.join("\n")
    );
}

/// The places in the pages of `out` that `wanted` selects where the theme speaks `other`
/// instead of `lang`.
fn foreign_texts(
    site: &Path,
    out: &Path,
    lang: &str,
    other: &str,
    wanted: impl Fn(&str) -> bool,
) -> Vec<String> {
    let own = site_text(site);
    let pieces: Vec<String> = foreign_pieces(other, lang)
        .into_iter()
        .filter(|p| !own.contains(p.as_str()))
        .collect();
    assert!(pieces.len() > 40, "too few pieces to look for: {pieces:?}");
    let mut found = Vec::new();
    for (file, bytes) in tree(out) {
        if !(file.ends_with(".html") || file.ends_with(".xml")) || !wanted(&file) {
            continue;
        }
        let page = without_structured_data(&String::from_utf8_lossy(&bytes));
        for p in &pieces {
            if page.contains(p.as_str()) {
                found.push(format!("{file}: {p}"));
            }
        }
    }
    found
}

/// The example site as it is, in German and English: its English pages (below `en/`) show no
/// German text of the theme, its German pages no English one.
#[test]
fn each_language_of_a_bilingual_site_speaks_its_own() {
    let d = tempfile::tempdir().unwrap();
    let site = repo().join("example-site");
    let out = d.path().join("public");
    let r = build(&site, &out, &["--now", "2026-11-22"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(out.join("en/index.html").is_file());
    let en = foreign_texts(&site, &out, "en", "de", |f| f.starts_with("en/"));
    let de = foreign_texts(&site, &out, "de", "en", |f| !f.starts_with("en/"));
    assert!(
        en.is_empty() && de.is_empty(),
        "English pages with German texts:\n{}\nGerman pages with English texts:\n{}",
        en.join("\n"),
        de.join("\n")
    );
}

#[test]
fn an_english_site_shows_no_german_text_of_the_theme() {
    assert_speaks_only("en", "de");
}

#[test]
fn a_german_site_shows_no_english_text_of_the_theme() {
    assert_speaks_only("de", "en");
}

#[test]
fn site_texts_override_the_theme_and_unknown_keys_are_errors() {
    let d = site(
        "\
-- kiosk.yaml --
title: T
base_url: https://t.example/
language: en
paginate_by: 1
-- i18n/en.yaml --
card:
  more: Keep reading
reading_time:
  one: \"a one-minute read\"
  other: \"{count} minutes to read\"
-- content/blog/_index.md --
---
title: Blog
---
-- content/blog/2024-01-01-a.md --
---
title: A
---
Short.
-- content/blog/2024-01-02-b.md --
---
title: B
---
Short too.
",
    );
    let out = d.path().join("public");
    let r = build(d.path(), &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let blog = std::fs::read_to_string(out.join("blog/index.html")).unwrap();
    assert!(blog.contains("Keep reading"), "{blog}");
    assert!(blog.contains("a one-minute read"), "{blog}");
    assert!(blog.contains("Page 1 of 2"), "{blog}");

    std::fs::write(d.path().join("i18n/en.yaml"), "card:\n  more: [broken\n").unwrap();
    let r = build(d.path(), &out, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("i18n/en.yaml:2:"), "{}", r.stderr);

    std::fs::remove_file(d.path().join("i18n/en.yaml")).unwrap();
    write_spec(
        d.path(),
        "-- templates/page.html --\n{% extends \"base.html\" %}\n{% block content %}\n{{ t(key=\"no.such.text\") }}\n{% endblock content %}\n",
    );
    let r = build(d.path(), &out, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no.such.text"), "{}", r.stderr);
    assert!(r.stderr.contains("page.html"), "{}", r.stderr);
}
