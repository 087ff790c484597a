//! Property tests (proptest) for the parts that take hostile input: the front-matter splitter
//! and parser, slugs and output paths, request paths, markdown, money.

use crate::content::frontmatter::{split, Format, FrontMatter, Kind};
use crate::markdown::highlight::Highlighter;
use crate::output::join_inside;
use crate::text::slug::{safe_components, slugify};
use proptest::prelude::*;
use std::path::{Component, Path};

fn taxonomies() -> Vec<String> {
    vec!["tags".into(), "categories".into()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn splitter_never_panics_and_keeps_lines_in_range(text in "(---\n)?([a-z: \\[\\]\"'#-]{0,20}\n){0,8}(---\n)?.{0,40}") {
        if let Ok(s) = split(&text) {
            prop_assert!(s.yaml_line <= s.body_line);
            prop_assert!(text.ends_with(s.body));
            prop_assert!(s.body_line <= text.lines().count() + 2);
        }
    }

    #[test]
    fn front_matter_errors_point_into_the_file(yaml in "([a-z]{1,6}: ?[\\[\\]{}\"a-z0-9:,. -]{0,12}\n){0,6}") {
        let (_, diags) = FrontMatter::parse(&yaml, 2, Format::Yaml, Kind::Page, &taxonomies(), "a.md");
        let last = yaml.lines().count() + 2;
        for d in diags {
            prop_assert!(d.line == 0 || (d.line >= 2 && d.line <= last + 1), "{d:?} for {yaml:?}");
        }
    }

    #[test]
    fn slugs_are_always_safe(s in ".{0,40}") {
        let slug = slugify(&s);
        prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{slug}");
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug}");
    }

    #[test]
    fn site_paths_stay_inside_the_output(p in "[a-zA-Z0-9./\\\\:%_ -]{0,30}") {
        if let Ok(parts) = safe_components(&p) {
            if !parts.is_empty() {
                let base = Path::new("/srv/out");
                let joined = join_inside(base, &parts.join("/")).unwrap();
                prop_assert!(joined.starts_with(base));
                prop_assert!(joined.strip_prefix(base).unwrap().components().all(|c| matches!(c, Component::Normal(_))));
            }
        }
    }

    #[test]
    fn join_inside_never_escapes(p in "[a-z./\\\\:]{0,20}") {
        let base = Path::new("/srv/out");
        if let Ok(j) = join_inside(base, &p) {
            prop_assert!(j.starts_with(base));
            prop_assert!(j.strip_prefix(base).unwrap().components().all(|c| matches!(c, Component::Normal(_))));
        }
    }

    #[test]
    fn request_paths_resolve_inside_or_are_refused(t in "/[a-z0-9./%\\\\:?#-]{0,30}") {
        if let Ok(key) = crate::serve::paths::resolve(&t) {
            prop_assert!(!key.starts_with('/'));
            prop_assert!(!key.split('/').any(|s| s == ".." || s == "." || s.is_empty()), "{key}");
            prop_assert!(!key.contains('\\') && !key.contains('\0'));
        }
    }

    #[test]
    fn markdown_never_panics_and_escapes_text(md in "[a-zA-Z0-9 *_`#>\\[\\]()!<&\"'\n-]{0,200}") {
        let h = Highlighter::new(None);
        let resolve = |_: &str| None;
        let no = |_: &str| false;
        let none = |_: &crate::markdown::shortcodes::Call| Ok(String::new());
        let locale = crate::locale::Locale::new("de");
        let ctx = crate::markdown::Context { locale: &locale, file: "a.md", first_line: 1, resolve: &resolve, highlighter: &h, is_shortcode: &no, shortcode: &none };
        let out = crate::markdown::render(&md, &ctx);
        prop_assert!(out.rendered.reading_time >= 1);
        if !md.contains('<') {
            prop_assert!(!out.rendered.html.contains("<script"));
        }
    }

    #[test]
    fn money_round_trips_over_the_whole_range(cents in any::<i64>(), jpy in any::<bool>()) {
        let cur = crate::money::currency(if jpy { "JPY" } else { "EUR" }).unwrap();
        let d = crate::money::decimal(cents, cur);
        prop_assert_eq!(crate::money::parse_amount(&d, cur), Ok(cents));
        let de = crate::locale::Locale::new("de").format_money(cents, cur);
        prop_assert!(de.ends_with(cur.symbol) && de.contains('\u{a0}'), "{}", de);
    }

    #[test]
    fn amounts_beyond_the_range_are_errors_not_wrapped(extra in 1u64..1_000_000, neg in any::<bool>()) {
        let eur = crate::money::currency("EUR").unwrap();
        // i64::MAX cents is 92233720368547758.07 € (and i64::MIN one cent more below zero); anything
        // beyond is too large, never a wrapped value.
        let cents = i128::from(i64::MAX) + i128::from(extra) + i128::from(neg);
        let raw = format!("{}{}.{:02}", if neg { "-" } else { "" }, cents / 100, cents % 100);
        let r = crate::money::parse_amount(&raw, eur);
        prop_assert!(r.as_ref().is_err_and(|e| e.contains("too large")), "{} → {:?}", raw, r);
    }

    #[test]
    fn money_parsing_never_panics(raw in "[-+0-9.,e ]{0,40}") {
        let eur = crate::money::currency("EUR").unwrap();
        if let Ok(units) = crate::money::parse_amount(&raw, eur) {
            prop_assert_eq!(crate::money::parse_amount(&crate::money::decimal(units, eur), eur), Ok(units));
        }
    }
}
