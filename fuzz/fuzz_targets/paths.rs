//! Slugs, aliases and request paths: whatever comes in, the result stays inside the output.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::{Component, Path};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let slug = kiosk::content::slug::slugify(s);
    assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
    let base = Path::new("/srv/out");
    if let Ok(parts) = kiosk::content::slug::safe_components(s) {
        if !parts.is_empty() {
            let j = kiosk::output::join_inside(base, &parts.join("/")).expect("safe components join");
            assert!(j.strip_prefix(base).unwrap().components().all(|c| matches!(c, Component::Normal(_))));
        }
    }
    if let Ok(key) = kiosk::serve::paths::resolve(s) {
        assert!(!key.split('/').any(|p| p == ".." || p == "."));
    }
});
