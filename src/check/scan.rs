//! Reading built HTML: element ids, links and loads, images without alt text, and whether the
//! page is a redirect. A streaming pass (lol_html), no DOM.

use std::cell::RefCell;

/// What one HTML page holds.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub ids: Vec<String>,
    /// `<a name>` targets (not ids: they may repeat an id without a conflict).
    pub names: Vec<String>,
    /// (tag, attribute, value, loads: is it a resource the browser fetches on its own?)
    pub links: Vec<(String, &'static str, String, bool)>,
    pub images_without_alt: Vec<String>,
    pub redirect: bool,
}

/// Scans one page.
pub(super) fn scan(html: &str) -> Scan {
    use lol_html::{element, rewrite_str, Settings};
    let s = RefCell::new(Scan::default());
    let settings = Settings::new()
        .append_element_content_handler(element!("[id]", |el| {
            if let Some(id) = el.get_attribute("id") {
                s.borrow_mut().ids.push(id);
            }
            Ok(())
        }))
        // Old pages mark targets with <a name="…">: they are anchors too.
        .append_element_content_handler(element!("a[name]", |el| {
            if let Some(name) = el.get_attribute("name") {
                s.borrow_mut().names.push(name);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("a[href], area[href]", |el| {
            if let Some(v) = el.get_attribute("href") {
                s.borrow_mut().links.push((el.tag_name(), "href", v, false));
            }
            Ok(())
        }))
        .append_element_content_handler(element!("link[href]", |el| {
            let rel = el.get_attribute("rel").unwrap_or_default().to_ascii_lowercase();
            if let Some(v) = el.get_attribute("href") {
                // canonical/alternate are references, not loads.
                let loads = ["stylesheet", "icon", "preload", "prefetch", "manifest", "modulepreload", "preconnect", "dns-prefetch"]
                    .iter()
                    .any(|r| rel.split_whitespace().any(|x| x == *r));
                s.borrow_mut().links.push(("link".into(), "href", v, loads));
            }
            Ok(())
        }))
        .append_element_content_handler(element!("img, script[src], iframe[src], video[src], audio[src], source[src], embed[src], track[src], input[src]", |el| {
            let tag = el.tag_name();
            if let Some(v) = el.get_attribute("src") {
                s.borrow_mut().links.push((tag.clone(), "src", v.clone(), true));
                if tag == "img" && !el.has_attribute("alt") {
                    s.borrow_mut().images_without_alt.push(v);
                }
            }
            Ok(())
        }))
        // Every candidate of a srcset is loaded by some browser: each must exist.
        .append_element_content_handler(element!("img[srcset], source[srcset]", |el| {
            let tag = el.tag_name();
            if let Some(set) = el.get_attribute("srcset") {
                for url in srcset_urls(&set) {
                    s.borrow_mut().links.push((tag.clone(), "srcset", url, true));
                }
            }
            Ok(())
        }))
        .append_element_content_handler(element!("meta[http-equiv]", |el| {
            if el.get_attribute("http-equiv").is_some_and(|v| v.eq_ignore_ascii_case("refresh")) {
                s.borrow_mut().redirect = true;
            }
            Ok(())
        }));
    let _ = rewrite_str(html, settings);
    s.into_inner()
}

/// The addresses of a `srcset` (`a.png 1x, b.png 2x`, `c.png 300w`).
fn srcset_urls(set: &str) -> Vec<String> {
    set.split(',')
        .filter_map(|c| c.split_whitespace().next())
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcset_candidates() {
        assert_eq!(
            srcset_urls(" /a-150x75.png 150w, /a.png 300w,b.png"),
            vec!["/a-150x75.png", "/a.png", "b.png"]
        );
        let s = scan("<img src=a.png alt='' srcset='x.png 1x, y.png 2x'>");
        assert!(s.links.iter().any(|l| l.2 == "y.png" && l.1 == "srcset"));
    }

    #[test]
    fn scanning() {
        let s = scan("<html><body><h1 id=a>x</h1><p id=a></p><img src=x.png><img src=y.png alt=''><a href='#a'>l</a><link rel=stylesheet href='https://cdn.example/x.css'><link rel=canonical href='https://e.org/'></body></html>");
        assert_eq!(s.ids, vec!["a", "a"]);
        assert_eq!(s.images_without_alt, vec!["x.png"]);
        assert!(s
            .links
            .iter()
            .any(|l| l.2 == "https://cdn.example/x.css" && l.3));
        assert!(s.links.iter().any(|l| l.2 == "https://e.org/" && !l.3));
    }
}
