//! Translations beyond "same path, other suffix": `translation_key` ties pages whose paths
//! differ, templates reach every language (`page.translations`, `get_url(path="@/…", lang=…)`),
//! a translation overrides single product keys, the site's own texts fall back to the default
//! language with a warning, and `check --translations` lists what is not translated.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;

const SITE: &str = "\
-- kiosk.yaml --
title: Anna Schmidt
base_url: https://anna.example/
language: de
vat: included
languages:
  en:
    title: Anna Smith
-- i18n/de.yaml --
cta:
  call: Ruf mich an
  mail: Schreib mir
-- i18n/en.yaml --
cta:
  call: Call me
-- templates/page.html --
{% extends \"base.html\" %}
{% block content %}<h1>{{ page.title }}</h1>
<p class=cta>{{ t(key=\"cta.call\") }} / {{ t(key=\"cta.mail\") }}</p>
<ul class=tr>{% for l in page.translations %}<li><a href=\"{{ l.url }}\" hreflang=\"{{ l.code }}\">{{ l.name }}</a></li>{% endfor %}</ul>
<p class=other>{{ t(key=\"cta.call\", lang=\"en\") }}</p>
<p class=pricing>{{ get_url(path=\"@/preise.md\", lang=\"en\") }}</p>
{{ page.content | safe }}{% endblock %}
-- content/_index.md --
---
title: Start
---
-- content/_index.en.md --
---
title: Home
---
-- content/preise.md --
---
title: Preise
translation_key: rates
---
Stundensatz.
-- content/rates.en.md --
---
title: Rates
translationKey: rates
---
Hourly rate.
-- content/ueber-mich.md --
---
title: Über mich
---
Nur auf Deutsch.
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
product:
  checkout:
    url: https://shop.example/book-en
---
A book.
";

fn built() -> (tempfile::TempDir, std::path::PathBuf, Run) {
    let d = site(SITE);
    let out = d.path().join("public");
    let r = build(d.path(), &out, &["--now", "2026-11-22"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    (d, out, r)
}

#[test]
fn a_translation_key_ties_pages_whose_paths_differ() {
    let (_d, out, _) = built();
    let de = read(&out, "preise/index.html");
    let en = read(&out, "en/rates/index.html");
    for html in [&de, &en] {
        assert!(
            html.contains(r#"hreflang="en" href="https://anna.example/en/rates/""#)
                && html.contains(r#"hreflang="de" href="https://anna.example/preise/""#),
            "both pages name both: {html}"
        );
    }
    // `t(…, lang="en")` knows the site's own English texts.
    assert!(de.contains("<p class=other>Call me</p>"), "{de}");
    // `page.translations`: the other languages only.
    assert!(
        de.contains(r#"<ul class=tr><li><a href="https://anna.example/en/rates/" hreflang="en">English</a></li></ul>"#),
        "{de}"
    );
    assert!(
        en.contains(r#"hreflang="de">Deutsch</a></li></ul>"#),
        "{en}"
    );
    assert!(read(&out, "ueber-mich/index.html").contains("<ul class=tr></ul>"));
    // `get_url(path="@/preise.md", lang="en")`: the page tied by the key, from either language.
    for html in [&de, &en] {
        assert!(
            html.contains("<p class=pricing>https://anna.example/en/rates/</p>"),
            "{html}"
        );
    }
    let sitemap = read(&out, "en/sitemap.xml");
    assert!(
        sitemap.contains(r#"hreflang="de" href="https://anna.example/preise/""#),
        "{sitemap}"
    );
}

#[test]
fn get_url_names_a_language_without_the_page() {
    let d = site(SITE);
    // Every page asks for the English "about" page, which does not exist: an error naming the
    // language.
    write_spec(
        d.path(),
        "-- templates/page.html --\n{{ get_url(path=\"@/ueber-mich.md\", lang=\"en\") }}\n",
    );
    let r = build(d.path(), &d.path().join("public"), &["--now", "2026-11-22"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr
            .contains("no page or section `@/ueber-mich.md` in the language `en`"),
        "{}",
        r.stderr
    );
}

#[test]
fn two_pages_of_one_language_with_one_key_are_an_error_at_the_second() {
    let d = site(SITE);
    write_spec(
        d.path(),
        "-- content/tarife.md --\n---\ntitle: Tarife\ntranslation_key: rates\n---\n",
    );
    let r = build(d.path(), &d.path().join("public"), &["--now", "2026-11-22"]);
    assert_ne!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/tarife.md:3:18: error: translation_key `rates` is also the key of content/preise.md"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_translation_overrides_single_product_keys() {
    let (_d, out, _) = built();
    let en = read(&out, "en/produkte/the-book/index.html");
    assert!(en.contains("€19.00"), "price from the German page: {en}");
    assert!(en.contains("https://shop.example/book-en"), "own checkout");
    assert!(!en.contains("https://shop.example/buch"), "{en}");
    let de = read(&out, "produkte/buch/index.html");
    assert!(de.contains("https://shop.example/buch") && de.contains("19,00"));
}

#[test]
fn a_site_text_missing_in_a_language_falls_back_with_a_warning() {
    let (d, out, r) = built();
    assert!(
        read(&out, "en/rates/index.html").contains("<p class=cta>Call me / Schreib mir</p>"),
        "the German text where the English one is missing"
    );
    let says = "i18n/en.yaml: warning: the text `cta.mail` is missing in the language `en`";
    assert!(r.stderr.contains(says), "{}", r.stderr);
    let c = kiosk(d.path(), &["check", "--now", "2026-11-22"]);
    assert!(c.stderr.contains(says), "{}", c.stderr);
    assert_eq!(c.stderr.matches("cta.mail").count(), 1, "{}", c.stderr);
}

#[test]
fn check_translations_lists_every_untranslated_page() {
    let d = site(SITE);
    write_spec(
        d.path(),
        "-- i18n/en.yaml --\ncta:\n  call: Call me\n  mail: Write to me\n",
    );
    // The English book takes the German checkout address: its example address is the German
    // file's problem, reported there once.
    write_spec(
        d.path(),
        "-- content/produkte/buch/index.en.md --\n---\ntitle: The book\ndescription: A book.\nproduct:\n  price: 25\n---\n",
    );
    let says = "not translated into English (`en`)";
    let plain = kiosk(d.path(), &["check", "--now", "2026-11-22"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let buy: Vec<&str> = plain
        .stderr
        .lines()
        .filter(|l| l.contains("shop.example/buch"))
        .collect();
    assert_eq!(buy.len(), 1, "{}", plain.stderr);
    assert!(
        buy[0].starts_with("content/produkte/buch/index.md:"),
        "{}",
        plain.stderr
    );
    assert!(!plain.stderr.contains(says), "{}", plain.stderr);
    let r = kiosk(
        d.path(),
        &["check", "--now", "2026-11-22", "--translations"],
    );
    let listed: Vec<&str> = r.stderr.lines().filter(|l| l.contains(says)).collect();
    assert_eq!(listed.len(), 1, "{}", r.stderr);
    assert!(
        listed[0].starts_with("content/ueber-mich.md:"),
        "{}",
        r.stderr
    );
    // As warnings, they fail `--deny-warnings` (for sites that translate everything).
    let strict = kiosk(
        d.path(),
        &[
            "check",
            "--now",
            "2026-11-22",
            "--translations",
            "--deny-warnings",
        ],
    );
    assert_eq!(strict.code, 1);
}

/// A broken default language is reported alone: the other languages, which take URLs and
/// products from it, would only repeat its problems as theirs.
#[test]
fn an_error_in_the_default_language_is_not_repeated_by_the_others() {
    let d = site(SITE);
    write_spec(
        d.path(),
        "-- content/ueber-mich.md --\n---\ntitle: Über mich\n---\n[weg](@/gibt-es-nicht.md)\n",
    );
    let r = build(d.path(), &d.path().join("public"), &["--now", "2026-11-22"]);
    assert_ne!(r.code, 0);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert!(
        errors[0].starts_with("content/ueber-mich.md:4:1"),
        "{}",
        r.stderr
    );
}

/// Pages tied by key share the product too, nested keys merge (`checkout.label` alone), and a
/// key that parts a page from its namesake in another language is a warning.
#[test]
fn pages_tied_by_key_share_products_key_by_key() {
    let d = site(
        "\
-- kiosk.yaml --
base_url: https://anna.example/
language: de
vat: included
languages:
  en:
-- content/buch.md --
---
title: Das Buch
description: Ein Buch.
translation_key: book
product:
  kind: ebook
  price: 19
  checkout:
    url: https://shop.anna.de/buch
    label: Jetzt kaufen
---
-- content/book.en.md --
---
title: The book
description: A book.
translation_key: book
product:
  checkout:
    label: Buy it now
---
-- content/seite.md --
---
title: Seite
description: Eine Seite.
---
-- content/seite.en.md --
---
title: Page
description: A page.
translation_key: page
---
",
    );
    let out = d.path().join("public");
    let r = build(d.path(), &out, &["--now", "2026-11-22"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let en = read(&out, "en/book/index.html");
    assert!(
        en.contains("€19.00") && en.contains("https://shop.anna.de/buch"),
        "{en}"
    );
    assert!(
        en.contains("Buy it now") && !en.contains("Jetzt kaufen"),
        "{en}"
    );
    assert!(
        r.stderr.contains("content/seite.en.md:4:18: warning: translation_key `page` parts this page from its namesake in `de`"),
        "{}",
        r.stderr
    );
}

/// A text with plural forms in the default language and a plain one in another is there in
/// both: no fallback, no warning.
#[test]
fn a_plain_text_counts_for_plural_forms() {
    let d = site(SITE);
    write_spec(
        d.path(),
        "-- i18n/de.yaml --\ncta:\n  call: Ruf an\n  mail: Schreib\n  items:\n    one: ein Ding\n    other: \"{count} Dinge\"\n-- i18n/en.yaml --\ncta:\n  call: Call\n  mail: Write\n  items: \"{count} things\"\n-- templates/page.html --\n<p>{{ t(key=\"cta.items\", count=3) }}</p>\n",
    );
    let out = d.path().join("public");
    let r = build(d.path(), &out, &["--now", "2026-11-22"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("missing"), "{}", r.stderr);
    assert!(read(&out, "en/rates/index.html").contains("<p>3 things</p>"));
    assert!(read(&out, "preise/index.html").contains("<p>3 Dinge</p>"));
}
