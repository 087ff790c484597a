//! Request paths: a raw request target becomes a key of the in-memory site, or is refused. The
//! site is served from memory, so no request can reach the disk; this also refuses every form of
//! traversal outright (encoded dots and slashes, double encoding, backslashes, NUL, drive letters).

/// Why a request path is refused (an HTTP status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// 400: malformed or hostile.
    BadRequest,
    /// 414: too long.
    TooLong,
}

/// Longest request target accepted.
pub const MAX_TARGET: usize = 4096;

/// Maps a request target (`/blog/a/?x=1`) to a site key (`blog/a/index.html`).
pub fn resolve(target: &str) -> Result<String, Refused> {
    if target.len() > MAX_TARGET {
        return Err(Refused::TooLong);
    }
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return Err(Refused::BadRequest);
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| Refused::BadRequest)?;
    if decoded.contains(['\0', '\\']) || decoded.chars().any(char::is_control) {
        return Err(Refused::BadRequest);
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" => {}
            "." | ".." => return Err(Refused::BadRequest),
            p if p.contains(':') || p.chars().all(|c| c == '.') => return Err(Refused::BadRequest),
            p => parts.push(p),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_paths() {
        assert_eq!(resolve("/").unwrap(), "index.html");
        assert_eq!(resolve("/blog/").unwrap(), "blog/index.html");
        assert_eq!(resolve("/blog/a/?ref=x#top").unwrap(), "blog/a/index.html");
        assert_eq!(resolve("/style.css").unwrap(), "style.css");
        assert_eq!(
            resolve("/tags/r%C3%BCckblick/").unwrap(),
            "tags/rückblick/index.html"
        );
        assert_eq!(resolve("//blog//a/").unwrap(), "blog/a/index.html");
    }

    #[test]
    fn hostile_paths() {
        let table = [
            "/../../../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2fetc/passwd",
            "/a/..%5c..%5cwin.ini",
            "/a\\..\\..\\win.ini",
            "/c:/windows/win.ini",
            "/C%3a/windows/win.ini",
            "/foo%00.html",
            "/.%2e/",
            "/./index.html",
            "/%c0%ae%c0%ae/",
            "/a/%2e/b",
            "/...",
            "relative/path",
            "*",
        ];
        for t in table {
            assert_eq!(resolve(t), Err(Refused::BadRequest), "{t}");
        }
        assert_eq!(
            resolve(&format!("/{}", "a".repeat(5000))),
            Err(Refused::TooLong)
        );
    }

    #[test]
    fn percent_signs_are_names_not_a_second_encoding() {
        assert_eq!(resolve("/100%25.txt").unwrap(), "100%.txt");
        assert_eq!(resolve("/%252e%252e/").unwrap(), "%2e%2e/index.html");
    }

    #[test]
    fn keys_never_escape() {
        // Whatever comes in, a key is a plain relative path without `..`.
        for t in ["/a/b/", "/x.html", "/a/b/c"] {
            let k = resolve(t).unwrap();
            assert!(!k.starts_with('/') && !k.split('/').any(|p| p == ".." || p.is_empty()));
        }
    }
}
