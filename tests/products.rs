//! Products on the built example site: structured data that parses and agrees with the visible
//! prices, catalogue filter pages, cross-links between posts and products, the newsletter form.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn build_example(out: &Path) -> BTreeMap<String, String> {
    let r = build(
        &repo().join("example-site"),
        out,
        &[
            "--base-url",
            "https://lena-hoffmann.example/",
            "--now",
            "2026-11-22",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    tree(out)
        .into_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}

fn json_ld(html: &str) -> Vec<Value> {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            let end = rest.find("</script>").unwrap();
            serde_json::from_str(&rest[..end])
                .unwrap_or_else(|e| panic!("invalid JSON-LD: {e}\n{}", &rest[..end]))
        })
        .collect()
}

fn types(v: &Value) -> Vec<String> {
    match &v["@type"] {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => vec![],
    }
}

/// "29.00" → "29,00 €" (the German display of the same amount).
fn german(decimal: &str) -> String {
    format!("{}\u{a0}€", grouped(decimal, '.', ','))
}

/// `1234.50` with `thousands` between groups of three and `comma` before the cents.
fn grouped(decimal: &str, thousands: char, comma: char) -> String {
    let (whole, frac) = decimal.split_once('.').unwrap();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(thousands);
        }
        out.push(c);
    }
    format!("{out}{comma}{frac}")
}

/// The price as a page in the language of `rel` shows it: `29,00 €` in German, `€29.00` on the
/// English pages (below `en/`).
fn shown_price(rel: &str, decimal: &str) -> String {
    if rel.starts_with("en/") {
        format!("€{}", grouped(decimal, ',', '.'))
    } else {
        german(decimal)
    }
}

fn offers(v: &Value) -> Vec<&Value> {
    match &v["offers"] {
        Value::Array(a) => a.iter().collect(),
        o @ Value::Object(_) => vec![o],
        _ => vec![],
    }
}

/// A Product names itself and offers prices with a dot that the page shows in German form.
fn check_product(rel: &str, html: &str, block: &Value) {
    assert!(
        block["name"].as_str().is_some_and(|n| !n.is_empty()),
        "{rel}: Product without name"
    );
    let os = offers(block);
    assert!(!os.is_empty(), "{rel}: Product without offers");
    for o in os {
        let price = o["price"]
            .as_str()
            .expect("price is a string with a dot decimal");
        assert!(
            price.contains('.') && !price.contains(','),
            "{rel}: {price}"
        );
        assert_eq!(o["priceCurrency"], "EUR", "{rel}");
        assert!(o["availability"]
            .as_str()
            .unwrap()
            .starts_with("https://schema.org/"));
        let shown = shown_price(rel, price);
        assert!(
            html.contains(&shown),
            "{rel}: price {price} is not shown as {shown}"
        );
    }
    assert!(
        html.contains(&format!("<h1>{}</h1>", block["name"].as_str().unwrap()))
            || html.contains(block["name"].as_str().unwrap())
    );
}

/// One JSON-LD object of type `t` agrees with the page it sits on.
fn check_type(t: &str, rel: &str, html: &str, block: &Value) {
    match t {
        "Product" => check_product(rel, html, block),
        "Book" => {
            assert_eq!(block["bookFormat"], "https://schema.org/EBook", "{rel}");
            assert!(block["author"]["name"].is_string(), "{rel}");
            assert!(block["isbn"].is_string(), "{rel}");
            assert!(
                html.contains(&format!("ISBN {}", block["isbn"].as_str().unwrap())),
                "{rel}: ISBN not shown"
            );
            assert!(!offers(block).is_empty());
        }
        "Course" => {
            assert!(
                block["name"].is_string()
                    && block["description"].is_string()
                    && block["provider"]["name"].is_string(),
                "{rel}"
            );
        }
        "FAQPage" => {
            let qs = block["mainEntity"].as_array().unwrap();
            assert!(!qs.is_empty());
            for q in qs {
                let name = q["name"].as_str().unwrap();
                assert!(
                    html.contains(&format!("<summary>{name}</summary>")),
                    "{rel}: question not shown: {name}"
                );
                assert!(q["acceptedAnswer"]["text"].is_string());
            }
        }
        "BlogPosting" => {
            assert!(
                block["headline"].is_string() && block["datePublished"].is_string(),
                "{rel}"
            );
            assert_eq!(block["author"]["@type"], "Person");
        }
        "BreadcrumbList" => {
            let items = block["itemListElement"].as_array().unwrap();
            assert!(items.len() >= 2, "{rel}");
            for (i, it) in items.iter().enumerate() {
                assert_eq!(it["position"], i + 1);
                assert!(it["item"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://lena-hoffmann.example/"));
            }
        }
        "Person" => {
            assert!(
                block["sameAs"].as_array().is_some_and(|a| !a.is_empty()),
                "{rel}: Person without sameAs"
            );
        }
        other => panic!("{rel}: unexpected JSON-LD type {other}"),
    }
}

#[test]
fn structured_data_parses_and_matches_visible_prices() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = build_example(&tmp.path().join("public"));
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (rel, html) in &pages {
        for block in json_ld(html) {
            assert_eq!(block["@context"], "https://schema.org", "{rel}");
            for t in types(&block) {
                *seen.entry(t.clone()).or_default() += 1;
                check_type(&t, rel, html, &block);
            }
        }
    }
    // Six product pages in German; the English landing page sells the German ebook's product.
    assert_eq!(
        seen.get("Product"),
        Some(&7),
        "one Product per product page: {seen:?}"
    );
    assert_eq!(seen.get("Book"), Some(&3), "{seen:?}");
    assert_eq!(seen.get("Course"), Some(&1), "{seen:?}");
    assert_eq!(seen.get("FAQPage"), Some(&3), "{seen:?}");
    assert_eq!(seen.get("Person"), Some(&2), "home pages: {seen:?}");
    assert!(
        seen.get("BlogPosting").is_some_and(|n| *n >= 12),
        "{seen:?}"
    );
}

#[test]
fn catalogue_cross_links_sale_and_newsletter() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = build_example(&tmp.path().join("public"));
    // One filter page per kind, each listing only that kind.
    for (page, must, must_not) in [
        (
            "produkte/e-books/index.html",
            "Angebotsseiten, die verkaufen",
            "Website-Vorlagen",
        ),
        (
            "produkte/vorlagen/index.html",
            "Website-Vorlagen",
            "Gemeinsam statt allein",
        ),
        (
            "produkte/kurse/index.html",
            "Videokurs",
            "Monatsbrief Plus</a>",
        ),
        (
            "topics/angebote/index.html",
            "Angebotsseiten, die verkaufen",
            "Coaching: Vom",
        ),
    ] {
        let html = &pages[page];
        assert!(html.contains(must), "{page} lacks {must}");
        assert!(!html.contains(must_not), "{page} shows {must_not}");
    }
    let cat = &pages["produkte/index.html"];
    for label in [
        "E-Books (2)",
        "Vorlagen (1)",
        "Kurse (1)",
        "Coachings (1)",
        "Newsletter (1)",
    ] {
        assert!(cat.contains(label), "catalogue filter lacks {label}");
    }
    // A post that names a product ends with its card; the product lists the post.
    let post = &pages["blog/preise-finden/index.html"];
    assert!(post.contains("Das E-Book zum Thema"));
    assert!(post.contains("Die Vorlage zum Thema"));
    let product = &pages["produkte/angebotsseiten-e-book/index.html"];
    assert!(product.contains("Artikel zum Thema"));
    assert!(product.contains("https://lena-hoffmann.example/blog/preise-finden/"));
    // The shortcode puts a card into a post.
    assert!(pages["blog/ein-jahr-eins-zu-n/index.html"].contains("class=\"product-teaser\""));
    // Sale: old price struck through; VAT note under every price.
    let tpl = &pages["produkte/website-vorlagen/index.html"];
    assert!(tpl.contains("<del>79,00\u{a0}€</del>") && tpl.contains("<ins>59,00\u{a0}€</ins>"));
    for (rel, html) in &pages {
        let prices = html.matches("class=\"price\"").count();
        let note = if rel.starts_with("en/") {
            "No VAT is charged (small business, § 19 UStG)."
        } else {
            "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."
        };
        let notes = html.matches(note).count();
        assert!(
            notes >= prices,
            "{rel}: {prices} prices but {notes} VAT notes"
        );
    }
    // Checkout buttons name the provider; nothing loads a provider script.
    assert!(product.contains("Jetzt kaufen bei Gumroad"));
    assert!(pages["produkte/kooperationen-e-book/index.html"]
        .contains("Jetzt vorbestellen bei Lemon Squeezy"));
    // Newsletter: a plain form with a consent sentence linking the privacy page.
    let home = &pages["index.html"];
    assert!(home.contains("action=\"https://buttondown.example/api/emails/embed-subscribe/lena\""));
    assert!(home.contains(
        "<a href=\"https://lena-hoffmann.example/datenschutz/\">Datenschutzerklärung</a>"
    ));
    assert!(home.contains("Meine Produkte"));
    for (rel, html) in &pages {
        assert!(!html.contains("<script src"), "{rel} loads a script");
    }
}
