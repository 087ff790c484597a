//! Slugs and safe output paths: German transliteration (ä→ae, ß→ss), any other Unicode to ASCII,
//! lowercase words joined by `-`. Whatever the input, a slug is never `.`/`..` and never holds a
//! path separator, so it cannot leave the output directory.

use unicode_normalization::UnicodeNormalization;

/// Turns any text into a URL slug: `Über Größe & Maß` → `ueber-groesse-mass`.
pub fn slugify(text: &str) -> String {
    let mut german = String::with_capacity(text.len());
    for c in text.nfc() {
        match c {
            'ä' => german.push_str("ae"),
            'ö' => german.push_str("oe"),
            'ü' => german.push_str("ue"),
            'Ä' => german.push_str("Ae"),
            'Ö' => german.push_str("Oe"),
            'Ü' => german.push_str("Ue"),
            'ß' => german.push_str("ss"),
            'ẞ' => german.push_str("SS"),
            c => german.push(c),
        }
    }
    slugify_plain(&german)
}

/// A slug without kiosk's German rule: any letter to ASCII as it is (`ü` → `u`, as Zola and
/// most tools make slugs), lowercase words joined by `-`.
pub fn slugify_plain(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    shorten(out)
}

/// The longest slug kiosk makes, in bytes: file systems hold 255 bytes per name, a slug also
/// becomes `slug.html` or a folder name, and WordPress keeps slugs of up to 200 bytes. Hugo and Zola fail to write longer ones; kiosk cuts at
/// the last word that fits.
pub const MAX_SLUG: usize = 200;

fn shorten(mut slug: String) -> String {
    if slug.len() > MAX_SLUG {
        // A slug is ASCII: every byte index is a character boundary.
        let cut = slug[..=MAX_SLUG]
            .rfind('-')
            .filter(|&i| i > MAX_SLUG / 2)
            .unwrap_or(MAX_SLUG);
        slug.truncate(cut);
    }
    slug
}

/// `con`, `aux`, `nul`, `com1`… (with any extension): names Windows cannot create.
pub fn windows_reserved(component: &str) -> bool {
    let stem = component
        .split('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(stem.as_str(), "con" | "prn" | "aux" | "nul")
        || ((stem.starts_with("com") || stem.starts_with("lpt"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

/// The first character of a file name that Windows or a static host cannot hold
/// (`< > : " | ? * \`, control characters), if any.
pub fn forbidden_char(name: &str) -> Option<char> {
    name.chars()
        .find(|c| matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | '\\') || c.is_control())
}

/// The error for a file name that cannot be published, if it cannot: not UTF-8, or holding a
/// character [`forbidden_char`] names.
pub fn unpublishable_name(name: &std::ffi::OsStr) -> Option<String> {
    let Some(name) = name.to_str() else {
        return Some("the name is not valid UTF-8; rename it".into());
    };
    forbidden_char(name).map(|c| {
        format!(
            "the name contains `{}`, which Windows and many hosts do not allow in file names; rename it",
            c.escape_debug()
        )
    })
}

/// Why a user-given path (an alias, a `path:`) cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsafePath(pub String);

/// Checks a site path such as `/alt/seite/` or `alt.html` and returns its components.
/// `..`, `.`, backslashes, drive letters, control characters and percent-encoded dots are refused:
/// the result, joined under the output directory, always stays inside it.
pub fn safe_components(path: &str) -> Result<Vec<String>, UnsafePath> {
    if path.contains('\\') {
        return Err(UnsafePath(format!("`{path}` contains a backslash")));
    }
    if path.chars().any(|c| c.is_control()) {
        return Err(UnsafePath(format!(
            "`{}` contains a control character",
            path.escape_debug()
        )));
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2e")
        || lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
    {
        return Err(UnsafePath(format!(
            "`{path}` contains an encoded dot or separator"
        )));
    }
    if path.starts_with("//") {
        return Err(UnsafePath(format!(
            "`{path}` is a network path, not a site path"
        )));
    }
    let mut out = Vec::new();
    for part in path.split('/') {
        match part {
            "" => continue,
            "." | ".." => {
                return Err(UnsafePath(format!(
                    "`{path}` escapes the output directory (`{part}` is not allowed)"
                )))
            }
            p if p.len() >= 2 && p.as_bytes()[1] == b':' => {
                return Err(UnsafePath(format!(
                    "`{path}` looks like a drive letter path"
                )))
            }
            p if p.contains(['<', '>', ':', '"', '|', '?', '*']) => {
                return Err(UnsafePath(format!(
                    "`{path}` contains a character file systems refuse (< > : \" | ? *)"
                )))
            }
            p if p.chars().all(|c| c == '.') => {
                return Err(UnsafePath(format!("`{path}` has a component of only dots")))
            }
            p if p.len() > 250 => {
                return Err(UnsafePath(format!(
                    "`{}…` has a component of {} bytes; file systems hold at most 255 per name",
                    p.chars().take(40).collect::<String>(),
                    p.len()
                )))
            }
            p => out.push(p.to_string()),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german() {
        assert_eq!(
            slugify("Übung macht den Meister"),
            "uebung-macht-den-meister"
        );
        assert_eq!(slugify("Größe & Maß"), "groesse-mass");
        assert_eq!(slugify("ÄÖÜ äöü ß"), "aeoeue-aeoeue-ss");
    }

    #[test]
    fn other_unicode_and_punctuation() {
        assert_eq!(slugify("Café crème — déjà vu!"), "cafe-creme-deja-vu");
        assert_eq!(slugify("  Hello,   World  "), "hello-world");
        assert_eq!(slugify("C++ & Rust"), "c-rust");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("..."), "");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        let words = "wort ".repeat(100);
        let slug = slugify(&words);
        assert!(slug.len() <= MAX_SLUG, "{}", slug.len());
        assert!(slug.ends_with("wort"), "{slug}");
        let one = "x".repeat(3000);
        assert_eq!(slugify(&one).len(), MAX_SLUG);
        assert!(safe_components(&format!("/{}/", "y".repeat(300))).is_err());
    }

    #[test]
    fn nfd_equals_nfc() {
        assert_eq!(slugify("cafe\u{301}"), slugify("café"));
        assert_eq!(slugify("u\u{308}ber"), "ueber");
    }

    #[test]
    fn hostile_paths() {
        for p in [
            "../x",
            "/a/../../x",
            "a\\b",
            "%2e%2e/x",
            "C:/x",
            "//host/share",
            "a/\0/b",
            "a/.../b",
        ] {
            assert!(safe_components(p).is_err(), "{p}");
        }
        assert_eq!(
            safe_components("/alt/seite/").unwrap(),
            vec!["alt", "seite"]
        );
        assert_eq!(safe_components("alt.html").unwrap(), vec!["alt.html"]);
    }
}
