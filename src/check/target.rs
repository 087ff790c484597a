//! Where a link points inside the built site, resolved the way a browser resolves it.

/// Where a link from page `page_key` points inside the site: (file key, fragment). `None` for
/// links to other sites and for `mailto:` and the like.
pub(super) fn internal_target(
    url: &str,
    page_key: &str,
    base_url: &str,
) -> Option<Result<(String, Option<String>), String>> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if url.is_empty()
        || ["mailto:", "tel:", "data:", "javascript:", "sms:"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let path = if let Some(rest) = url.strip_prefix(base_url) {
        format!("/{rest}")
    } else if lower.starts_with("http://") || lower.starts_with("https://") || url.starts_with("//")
    {
        return None;
    } else if url.starts_with('/') {
        url.to_string()
    } else {
        let dir = page_key.rsplit_once('/').map_or("", |(d, _)| d);
        if url.starts_with('#') || url.starts_with('?') {
            let name = page_key.rsplit('/').next().unwrap_or(page_key);
            let own = if name == "index.html" {
                format!("/{dir}/")
            } else {
                format!("/{page_key}")
            };
            format!("{}{url}", own.replace("//", "/"))
        } else {
            format!("/{dir}/{url}").replace("//", "/")
        }
    };
    let (path, fragment) = match path.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string())),
        None => (path, None),
    };
    let path = path.split('?').next().unwrap_or("").to_string();
    // Resolve `.` and `..` the way a browser does, never above the root.
    let ends_dir = path.ends_with('/');
    let mut parts: Vec<String> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned(),
            ),
        }
    }
    let mut key = parts.join("/");
    if ends_dir || key.is_empty() {
        key = if key.is_empty() {
            "index.html".into()
        } else {
            format!("{key}/index.html")
        };
    }
    let fragment = fragment.map(|f| {
        percent_encoding::percent_decode_str(&f)
            .decode_utf8_lossy()
            .into_owned()
    });
    Some(Ok((key, fragment)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_resolution() {
        let b = "https://e.org/";
        let t = |u: &str, page: &str| internal_target(u, page, b).map(|r| r.unwrap());
        assert_eq!(
            t("https://e.org/blog/", "index.html"),
            Some(("blog/index.html".into(), None))
        );
        assert_eq!(
            t("/blog/a/#teil", "index.html"),
            Some(("blog/a/index.html".into(), Some("teil".into())))
        );
        assert_eq!(
            t("#oben", "blog/a/index.html"),
            Some(("blog/a/index.html".into(), Some("oben".into())))
        );
        assert_eq!(
            t("bild.png", "blog/a/index.html"),
            Some(("blog/a/bild.png".into(), None))
        );
        assert_eq!(
            t("../b/", "blog/a/index.html"),
            Some(("blog/b/index.html".into(), None))
        );
        assert_eq!(
            t("../../../../x", "blog/a/index.html"),
            Some(("x".into(), None))
        );
        assert_eq!(t("https://other.example/", "index.html"), None);
        assert_eq!(t("mailto:a@b.c", "index.html"), None);
        assert_eq!(t("//cdn.example/x.js", "index.html"), None);
    }
}
