//! Addresses of the old WordPress site: which links point into it, which page or upload they
//! name, what they become in the kiosk site, and which permalink pattern the posts used.

use crate::content::permalink::{self, Facts};
use crate::date::PageDate;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Mutex;

/// The old site's addresses.
#[derive(Debug, Default)]
pub struct Links {
    /// Host names of the old site (with and without `www.`).
    pub hosts: Vec<String>,
    /// Its path below the host (`/blog` for a site at `https://x.example/blog/`), no `/` at the
    /// end; empty at the root.
    pub base_path: String,
    /// Old site path (`/2019/03/hallo/`) → `content/`-relative path of the new page.
    pub pages: HashMap<String, String>,
    /// Post id → `content/`-relative path (for `?p=12` links).
    pub ids: HashMap<String, String>,
    /// Category and tag slugs of the old site → the new term pages.
    pub terms: HashMap<String, String>,
    /// With `--uploads`: uploads are copied and linked locally.
    pub local_uploads: bool,
    /// Upload paths (below `wp-content/uploads/`) that content links to.
    pub used_uploads: Mutex<BTreeSet<String>>,
}

/// What an address of the old site names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// A path on the site (percent-decoded), with its `#fragment` (empty when none).
    Path(String, String),
    /// A file below `wp-content/uploads/`.
    Upload(String),
    /// `?p=12`, `?page_id=12`: a post by id.
    Id(String),
}

impl Links {
    /// The site's hosts and path from its address.
    pub fn new(base: &str) -> Links {
        let mut l = Links::default();
        if let Ok(u) = url::Url::parse(base) {
            if let Some(h) = u.host_str() {
                let h = h.to_ascii_lowercase();
                let bare = h.strip_prefix("www.").unwrap_or(&h).to_string();
                l.hosts = vec![bare.clone(), format!("www.{bare}")];
            }
            l.base_path = u.path().trim_end_matches('/').to_string();
        }
        l
    }

    /// What an address names on the old site, if it is one of its addresses.
    pub fn target(&self, address: &str) -> Option<Target> {
        let a = address.trim();
        let (path, query, fragment) =
            if a.starts_with("http://") || a.starts_with("https://") || a.starts_with("//") {
                let u = url::Url::parse(&if a.starts_with("//") {
                    format!("https:{a}")
                } else {
                    a.to_string()
                })
                .ok()?;
                let host = u.host_str()?.to_ascii_lowercase();
                let path = u.path().to_string();
                // Jetpack's image CDN: i0.wp.com/<host>/wp-content/uploads/…
                if host.ends_with(".wp.com") && host.starts_with('i') {
                    let rest = path.trim_start_matches('/');
                    let (h, p) = rest.split_once('/')?;
                    if !self.hosts.iter().any(|x| x == h) {
                        return None;
                    }
                    return upload_of(&format!("/{p}"));
                }
                if !self.hosts.contains(&host) {
                    return None;
                }
                (
                    path,
                    u.query().unwrap_or("").to_string(),
                    u.fragment().unwrap_or("").to_string(),
                )
            } else if a.starts_with('/') {
                let (rest, fragment) = a.split_once('#').unwrap_or((a, ""));
                let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
                (path.to_string(), query.to_string(), fragment.to_string())
            } else {
                return None;
            };
        if let Some(up) = upload_of(&path) {
            return Some(up);
        }
        for pair in query.split('&') {
            if let Some(("p" | "page_id", id)) = pair.split_once('=') {
                return Some(Target::Id(id.to_string()));
            }
        }
        let decoded = percent_encoding::percent_decode_str(&path).decode_utf8_lossy();
        let below = decoded
            .strip_prefix(self.base_path.as_str())
            .filter(|r| r.is_empty() || r.starts_with('/'))
            .unwrap_or(&decoded);
        let below = if below.is_empty() { "/" } else { below };
        Some(Target::Path(below.to_string(), fragment))
    }

    /// The new address of a link or image address, or `None` to keep it as it is.
    pub fn rewrite(&self, address: &str) -> Option<String> {
        match self.target(address)? {
            Target::Upload(rel) => {
                if let Ok(mut used) = self.used_uploads.lock() {
                    used.insert(rel.clone());
                }
                self.local_uploads
                    .then(|| format!("{}/wp-content/uploads/{rel}", self.base_path))
            }
            Target::Id(id) => self.ids.get(&id).map(|p| format!("@/{p}")),
            Target::Path(path, fragment) => {
                // WordPress's own anchors (the comment form, a comment, the "more" jump) have
                // no heading in the new page.
                let wordpress_anchor = fragment == "comments"
                    || fragment == "respond"
                    || fragment.starts_with("comment-")
                    || fragment.starts_with("more-");
                let anchor = if fragment.is_empty() || wordpress_anchor {
                    String::new()
                } else {
                    format!("#{fragment}")
                };
                if let Some(p) = self.pages.get(&with_slash(&path)) {
                    return Some(format!("@/{p}{anchor}"));
                }
                if let Some(t) = self.terms.get(&with_slash(&path)) {
                    return Some(format!("{t}{anchor}"));
                }
                // Another address of the old site (an archive, a feed): site-relative, so a
                // missing page shows up in `kiosk check`.
                Some(format!("{}{path}{anchor}", self.base_path))
            }
        }
    }
}

/// `/a/b` → `/a/b/` (WordPress answers both); `.html` and files stay.
pub fn with_slash(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or("");
    if path.ends_with('/') || last.contains('.') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

/// The file below `wp-content/uploads/` a path names (query and size suffix kept as written).
fn upload_of(path: &str) -> Option<Target> {
    let i = path.find("/wp-content/uploads/")?;
    let rel = &path[i + "/wp-content/uploads/".len()..];
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8_lossy();
    let parts = crate::text::slug::safe_components(&rel).ok()?;
    (!parts.is_empty()).then(|| Target::Upload(parts.join("/")))
}

/// A published post's facts, for finding the permalink pattern.
pub struct PostFacts {
    pub old_path: String,
    pub date: Option<PageDate>,
    /// The WordPress slug, decoded.
    pub slug: String,
    pub categories: Vec<String>,
}

/// Patterns WordPress sites use, in kiosk's words.
const PATTERNS: &[&str] = &[
    "/:year/:month/:day/:slug/",
    "/:year/:month/:slug/",
    "/:year/:slug/",
    "/:slug/",
    "/blog/:slug/",
    "/:categories/:slug/",
    "/:year/:month/:day/:slug.html",
    "/:slug.html",
];

/// The pattern that gives most posts their old address, if any gives one.
pub fn permalink_pattern(posts: &[PostFacts]) -> Option<&'static str> {
    let mut hits: BTreeMap<usize, &'static str> = BTreeMap::new();
    for (rank, pattern) in PATTERNS.iter().enumerate() {
        let n = posts
            .iter()
            .filter(|p| {
                let f = Facts {
                    date: p.date,
                    slug: &p.slug,
                    title: "",
                    section: &[],
                    filename: "",
                    categories: &p.categories,
                };
                permalink::expand(pattern, &f).is_ok_and(|u| u == p.old_path)
            })
            .count();
        if n > 0 {
            // Most hits first; between equals, the earlier (more specific) pattern.
            hits.entry(usize::MAX - n).or_insert(PATTERNS[rank]);
        }
    }
    hits.into_values().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        let mut l = Links::new("https://www.atelier.example/");
        l.pages
            .insert("/2019/03/hallo/".into(), "blog/2019-03-04-hallo.md".into());
        l.ids.insert("12".into(), "blog/2019-03-04-hallo.md".into());
        l.local_uploads = true;
        l
    }

    #[test]
    fn addresses_of_the_old_site() {
        let l = links();
        assert_eq!(
            l.rewrite("https://atelier.example/2019/03/hallo/#teil"),
            Some("@/blog/2019-03-04-hallo.md#teil".into())
        );
        assert_eq!(
            l.rewrite("http://www.atelier.example/2019/03/hallo"),
            Some("@/blog/2019-03-04-hallo.md".into())
        );
        assert_eq!(
            l.rewrite("/?p=12"),
            Some("@/blog/2019-03-04-hallo.md".into())
        );
        assert_eq!(
            l.rewrite(
                "https://atelier.example/wp-content/uploads/2019/03/bild-300x200.jpg?resize=300"
            ),
            Some("/wp-content/uploads/2019/03/bild-300x200.jpg".into())
        );
        assert_eq!(
            l.rewrite("https://i0.wp.com/atelier.example/wp-content/uploads/2019/03/b.png?w=640"),
            Some("/wp-content/uploads/2019/03/b.png".into())
        );
        assert_eq!(l.rewrite("https://andere.example/x/"), None);
        assert_eq!(l.rewrite("mailto:a@b.example"), None);
        assert_eq!(
            l.rewrite("/category/design/"),
            Some("/category/design/".into())
        );
        assert!(l.used_uploads.lock().unwrap().contains("2019/03/b.png"));
    }

    #[test]
    fn uploads_never_leave_the_folder() {
        let l = links();
        assert!(!matches!(
            l.target("https://atelier.example/wp-content/uploads/../../etc/passwd"),
            Some(Target::Upload(_))
        ));
    }

    #[test]
    fn the_pattern_most_posts_had() {
        let d = |s: &str| Some(PageDate::parse(s).unwrap());
        let posts = vec![
            PostFacts {
                old_path: "/2019/03/hallo/".into(),
                date: d("2019-03-04T10:00:00+01:00"),
                slug: "hallo".into(),
                categories: vec![],
            },
            PostFacts {
                old_path: "/2020/01/zwei/".into(),
                date: d("2020-01-02"),
                slug: "zwei".into(),
                categories: vec![],
            },
            PostFacts {
                old_path: "/sonder/".into(),
                date: d("2020-01-02"),
                slug: "sonder".into(),
                categories: vec![],
            },
        ];
        assert_eq!(permalink_pattern(&posts), Some("/:year/:month/:slug/"));
        assert_eq!(permalink_pattern(&[]), None);
    }
}
