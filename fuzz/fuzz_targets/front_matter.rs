//! The front-matter splitter and parser: never panic; every error points into the file.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let taxonomies = vec!["tags".to_string(), "categories".to_string()];
    let (_, diags) = kiosk::content::parse_markdown(text, "a.md", kiosk::content::frontmatter::Kind::Page, &taxonomies);
    // CR, CRLF and LF all end a line (kiosk normalizes them before counting).
    let lines = kiosk::content::frontmatter::normalize_newlines(text).lines().count() + 2;
    for d in diags {
        assert!(d.line <= lines, "{d:?}");
    }
});
