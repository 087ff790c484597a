//! Entry points for the fuzz targets (`fuzz/`): the parts of kiosk that read untrusted text,
//! each run on one input with its invariants asserted. A panic here is a bug the fuzzer found;
//! the functions are otherwise pure and write nothing.

use crate::content::frontmatter::Kind;
use std::path::{Component, Path};

/// The front-matter splitter and parser: never panics; every error points into the file.
pub fn front_matter(text: &str) {
    let taxonomies = vec!["tags".to_string(), "categories".to_string()];
    let (_, diags) = crate::content::parse_markdown(text, "a.md", Kind::Page, &taxonomies);
    // CR, CRLF and LF all end a line (kiosk normalizes them before counting).
    let lines = crate::text::normalize_newlines(text).lines().count() + 2;
    for d in diags {
        assert!(d.line <= lines, "{d:?}");
    }
}

/// The markdown pipeline (with one known shortcode): never panics.
pub fn markdown(md: &str) {
    let h = crate::markdown::highlight::Highlighter::new(None);
    let locale = crate::locale::Locale::new("de");
    let resolve = |_: &str| None;
    let known = |n: &str| n == "figure";
    let sc = |_: &crate::markdown::shortcodes::Call| Ok(String::from("<figure></figure>"));
    let ctx = crate::markdown::Context {
        locale: &locale,
        file: "a.md",
        first_line: 1,
        resolve: &resolve,
        highlighter: &h,
        is_shortcode: &known,
        shortcode: &sc,
    };
    let out = crate::markdown::render(md, &ctx);
    assert!(out.rendered.reading_time >= 1);
}

/// Slugs, aliases and request paths: whatever comes in, the result stays inside the output.
pub fn paths(s: &str) {
    let slug = crate::text::slug::slugify(s);
    assert!(slug
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
    let base = Path::new("/srv/out");
    if let Ok(parts) = crate::text::slug::safe_components(s) {
        if !parts.is_empty() {
            let joined = crate::output::join_inside(base, &parts.join("/"));
            assert!(joined.is_ok(), "safe components must join: {parts:?}");
            if let Ok(j) = joined {
                assert!(j
                    .strip_prefix(base)
                    .is_ok_and(|r| r.components().all(|c| matches!(c, Component::Normal(_)))));
            }
        }
    }
    if let Ok(key) = crate::serve::paths::resolve(s) {
        assert!(!key.split('/').any(|p| p == ".." || p == "."));
    }
}

/// A `product:` block and landing page `blocks:` in YAML: never panics; every problem is located
/// inside the text; every accepted price prints and reads back exactly.
pub fn product(yaml: &str) {
    // kiosk always reads YAML with newlines normalized (a lone CR ends a line).
    let yaml = &*crate::text::normalize_newlines(yaml);
    let Ok(fields) = crate::yaml::parse_mapping(yaml) else {
        return;
    };
    let lines = yaml.lines().count() + 1;
    let locale = crate::locale::Locale::new("de");
    let node = |key: &str| fields.iter().find(|f| f.key == key).map(|f| &f.node);
    let mut c = crate::content::product::Checker {
        file: "a.md",
        errors: Vec::new(),
    };
    let product =
        node("product").and_then(|n| crate::content::product::parse(n, &mut c, &[], "EUR"));
    if let Some(n) = node("blocks") {
        let blocks = crate::content::product::parse_blocks(n, &mut c, product.as_ref(), &[], "EUR");
        let cur = product
            .as_ref()
            .map(|p| p.currency)
            .or_else(|| crate::money::currency("EUR"));
        for b in &blocks {
            if let (crate::content::product::Block::Buy { offers, .. }, Some(cur)) = (b, cur) {
                for o in offers {
                    assert_eq!(
                        o.view.price_decimal,
                        crate::money::decimal(o.price.current(), cur)
                    );
                }
            }
        }
    }
    for e in &c.errors {
        assert!(e.line <= lines, "{e:?}");
    }
    if let Some(p) = product {
        let sale = p.price.sale.as_ref().map(|s| s.price);
        for amount in [Some(p.price.amount), sale].into_iter().flatten() {
            let d = crate::money::decimal(amount, p.currency);
            assert_eq!(crate::money::parse_amount(&d, p.currency), Ok(amount));
            let _ = locale.format_money(amount, p.currency);
        }
    }
}

/// Money as written by authors: never panics; what parses prints and reads back exactly.
pub fn money(raw: &str) {
    for code in ["EUR", "JPY"] {
        let Some(cur) = crate::money::currency(code) else {
            return;
        };
        if let Ok(units) = crate::money::parse_amount(raw, cur) {
            let d = crate::money::decimal(units, cur);
            assert_eq!(
                crate::money::parse_amount(&d, cur),
                Ok(units),
                "{raw} → {d}"
            );
            let _ = crate::locale::Locale::new("en").format_money(units, cur);
        }
    }
}
