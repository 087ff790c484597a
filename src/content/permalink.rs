//! A page's URL: its own `url:` from front matter, else its section's pattern from `permalinks:`
//! in `kiosk.yaml`, else the section's path and the slug. Patterns use the tokens Jekyll and
//! Hugo users know:
//!
//! | token | becomes |
//! |---|---|
//! | `:year`, `:month`, `:day` | the page's date (`2026`, `03`, `09`) |
//! | `:slug` | the slug: `slug:` as written, else the file name without its date prefix |
//! | `:title` | the title as a slug |
//! | `:section` | the section's path (`blog`) |
//! | `:filename` | the file (or bundle folder) name as written, without `.md` |
//! | `:categories` | the categories as slugs, joined by `/` (nothing when there are none) |
//! | `:output_ext` | `.html` (Jekyll's default pattern ends in `:title:output_ext`) |
//!
//! A URL ending in `/` is a folder (`…/index.html`), one ending in `.html` a file.

use crate::date::PageDate;
use crate::text::slug::{safe_components, slugify};

/// What a pattern may use of a page.
pub struct Facts<'a> {
    /// The page's date.
    pub date: Option<PageDate>,
    /// Its slug.
    pub slug: &'a str,
    /// Its title.
    pub title: &'a str,
    /// Its section's URL path components.
    pub section: &'a [String],
    /// Its file name as written, without extension.
    pub filename: &'a str,
    /// Its categories.
    pub categories: &'a [String],
}

/// Expands `pattern` for a page; the error says what is missing.
pub fn expand(pattern: &str, f: &Facts) -> Result<String, String> {
    let path = crate::text::expand_pattern(pattern, |t| value(&format!(":{t}"), f))?;
    normalize(&path)
}

fn value(token: &str, f: &Facts) -> Result<String, String> {
    let date = || {
        f.date.map(|d| d.datetime).ok_or_else(|| {
            format!("the permalink pattern uses `{token}`, but the page has no date")
        })
    };
    Ok(match token {
        ":year" => format!("{:04}", date()?.year()),
        ":month" => format!("{:02}", date()?.month()),
        ":day" => format!("{:02}", date()?.day()),
        ":slug" => f.slug.to_string(),
        ":title" => {
            let t = slugify(f.title);
            if t.is_empty() {
                f.slug.to_string()
            } else {
                t
            }
        }
        ":section" => f.section.join("/"),
        ":filename" => f.filename.to_string(),
        ":categories" => f
            .categories
            .iter()
            .map(|c| slugify(c))
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("/"),
        ":output_ext" => ".html".to_string(),
        other => return Err(format!("unknown permalink token `{other}`")),
    })
}

/// A site path from a pattern's result or a page's `url:`: checked to stay inside the output,
/// `/`-led, a folder (`/`) unless it names an `.html` file.
pub fn normalize(path: &str) -> Result<String, String> {
    let parts = safe_components(path).map_err(|e| format!("the URL {}", e.0))?;
    if parts.is_empty() {
        return Err(format!("the URL `{path}` is the home page's"));
    }
    let joined = parts.join("/");
    let lower = joined.to_ascii_lowercase();
    Ok(if lower.ends_with(".html") || lower.ends_with(".htm") {
        format!("/{joined}")
    } else {
        format!("/{joined}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(date: Option<&str>) -> (Option<PageDate>, Vec<String>, Vec<String>) {
        (
            date.map(|d| PageDate::parse(d).unwrap()),
            vec!["blog".into()],
            vec!["Rust & Go".into(), "Web".into()],
        )
    }

    #[test]
    fn jekyll_wordpress_and_hugo_patterns() {
        let (date, section, cats) = facts(Some("2026-03-09"));
        let f = Facts {
            date,
            slug: "hallo_welt",
            title: "Hallo Welt!",
            section: &section,
            filename: "2026-03-09-Hallo_Welt",
            categories: &cats,
        };
        assert_eq!(
            expand("/:year/:month/:day/:slug/", &f).unwrap(),
            "/2026/03/09/hallo_welt/"
        );
        assert_eq!(
            expand("/:categories/:year/:month/:day/:title:output_ext", &f).unwrap(),
            "/rust-go/web/2026/03/09/hallo-welt.html"
        );
        assert_eq!(
            expand("/:section/:filename/", &f).unwrap(),
            "/blog/2026-03-09-Hallo_Welt/"
        );
        assert_eq!(expand("/:year/:slug", &f).unwrap(), "/2026/hallo_welt/");
        let none = Facts {
            categories: &[],
            ..f
        };
        assert_eq!(
            expand("/:categories/:year/:slug:output_ext", &none).unwrap(),
            "/2026/hallo_welt.html"
        );
    }

    #[test]
    fn what_cannot_be_done_is_an_error() {
        let (date, section, cats) = facts(None);
        let f = Facts {
            date,
            slug: "a",
            title: "A",
            section: &section,
            filename: "a",
            categories: &cats,
        };
        assert!(expand("/:year/:slug/", &f)
            .unwrap_err()
            .contains("has no date"));
        assert!(normalize("/../x/").is_err());
        assert!(normalize("/").unwrap_err().contains("home page"));
        assert_eq!(normalize("/alt/seite.html").unwrap(), "/alt/seite.html");
        assert_eq!(normalize("alt/seite").unwrap(), "/alt/seite/");
    }
}
