//! The markdown pipeline: never panics, finishes in time linear enough for the fuzzer's timeout.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(md) = std::str::from_utf8(data) else { return };
    let h = kiosk::markdown::highlight::Highlighter::new(None);
    let resolve = |_: &str| None;
    let known = |n: &str| n == "figure";
    let sc = |_: &kiosk::markdown::shortcodes::Call| Ok(String::from("<figure></figure>"));
    let ctx = kiosk::markdown::Context { lang: "de", file: "a.md", first_line: 1, resolve: &resolve, highlighter: &h, is_shortcode: &known, shortcode: &sc };
    let _ = kiosk::markdown::render(md, &ctx);
});
