//! Addresses in imported HTML: links and images pointed at their new places, and addresses
//! that would run code (`javascript:`, `vbscript:`, `data:` documents) removed with a note.

use super::html::Change;

/// Whether `url` is a web address (`https:`, `http:`, `//host`) or a relative one, not a
/// `javascript:`, `data:` or other scheme a page should never load.
pub(super) fn is_web(url: &str) -> bool {
    let url = url.trim();
    !url.is_empty() && scheme(url).is_none_or(|s| s == "http" || s == "https")
}

/// The lower-case scheme of `url` as a browser reads it (tabs and newlines inside it are
/// ignored), if it has one.
fn scheme(url: &str) -> Option<String> {
    let clean: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take_while(|&c| c != '/' && c != '?' && c != '#')
        .collect();
    let (scheme, _) = clean.split_once(':')?;
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Whether a link or image address would run code or open a document made of the address
/// itself: `javascript:`, `vbscript:`, and `data:` (except a `data:image/` picture that is not
/// SVG, for images).
fn is_harmful(url: &str, image: bool) -> bool {
    match scheme(url).as_deref() {
        Some("javascript" | "vbscript") => true,
        Some("data") => {
            let lower = url.trim().to_ascii_lowercase();
            !(image && lower.starts_with("data:image/") && !lower.starts_with("data:image/svg"))
        }
        _ => false,
    }
}

/// Rewrites link and image addresses (`rewrite` returns the new address, or `None` to keep
/// one) and drops `srcset`/`sizes` (the image's own address is kept).
/// `javascript:`, `vbscript:` and `data:` addresses are removed (the link keeps its text, the
/// image goes), each with a note.
pub(super) fn rewrite_addresses(
    html: &str,
    rewrite: &dyn Fn(&str) -> Option<String>,
) -> (String, Vec<Change>) {
    use lol_html::{element, rewrite_str, Settings};
    let harmful = std::cell::RefCell::new(Vec::new());
    let fix = |el: &mut lol_html::html_content::Element, name: &str| {
        if let Some(v) = el.get_attribute(name) {
            if is_harmful(&v, name == "src") {
                let shown: String = v.trim().chars().take(30).collect();
                harmful.borrow_mut().push(Change {
                    needle: v.chars().take(30).collect(),
                    text: format!(
                        "the address `{shown}…` of a <{}> was removed: it would run code or show a document made up in the address",
                        el.tag_name()
                    ),
                });
                if name == "src" {
                    el.remove();
                } else {
                    el.remove_and_keep_content();
                }
            } else if let Some(new) = rewrite(&v) {
                let _ = el.set_attribute(name, &new);
            }
        }
    };
    let settings = Settings::new()
        .append_element_content_handler(element!("a[href]", |el| {
            fix(el, "href");
            Ok(())
        }))
        .append_element_content_handler(element!("img, source, video, audio", |el| {
            fix(el, "src");
            el.remove_attribute("srcset");
            el.remove_attribute("sizes");
            Ok(())
        }));
    let out = rewrite_str(html, settings).unwrap_or_else(|_| html.to_string());
    (out, harmful.into_inner())
}
