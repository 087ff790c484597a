//! WordPress shortcodes in post content: `[name attr="value" positional]`, enclosing ones with
//! their content up to `[/name]`, `[[name]]` as WordPress's escape for the text `[name]`, and
//! Jetpack's `[youtube=https://…]` form.

use std::ops::Range;

/// One shortcode found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    /// Its name, lowercased.
    pub name: String,
    /// Attributes; positional ones have the key `""`.
    pub attrs: Vec<(String, String)>,
    /// What an enclosing shortcode encloses.
    pub content: Option<String>,
    /// Where it is, closing tag included.
    pub range: Range<usize>,
}

impl Shortcode {
    /// An attribute's value.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The first positional value.
    pub fn positional(&self) -> Option<&str> {
        self.attr("")
    }

    /// Does it look like a shortcode rather than text in brackets (`[sic]`)? It has
    /// attributes, encloses something, or is one WordPress or a popular plugin registers.
    pub fn is_plausible(&self) -> bool {
        let name = self.name.as_str();
        !self.attrs.is_empty()
            || self.content.is_some()
            || crate::markdown::foreign::WORDPRESS.contains(&name)
            || KNOWN.contains(&name)
    }
}

/// Shortcodes of widely used plugins that take no attributes (WordPress's own:
/// [`crate::markdown::foreign::WORDPRESS`]).
const KNOWN: &[&str] = &[
    "youtube",
    "vimeo",
    "contact-form-7",
    "mc4wp_form",
    "wpforms",
    "gravityform",
    "toc",
    "table",
    "su_button",
    "et_pb_section",
    "vc_row",
    "fusion_builder_container",
];

/// Attributes as (key, value); positional ones have the key `""`.
type Attributes = Vec<(String, String)>;

/// A shortcode name at the start of `s`: a letter, then letters, digits, `_` and `-`.
fn name_at(s: &str) -> Option<&str> {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(s.len());
    let name = &s[..end];
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        .then_some(name)
}

/// Reads `key="value"`, `key='value'`, `key=value` and positional values up to `]`; returns
/// them and the length read (the `]` included), or `None` when the tag never closes.
fn attributes(s: &str) -> Option<(Attributes, usize, bool)> {
    let mut attrs = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        match b.get(i)? {
            b']' => return Some((attrs, i + 1, false)),
            b'/' if b.get(i + 1) == Some(&b']') => return Some((attrs, i + 2, true)),
            b'[' => return None,
            _ => {}
        }
        let (word, len) = value_at(&s[i..])?;
        i += len;
        if b.get(i) == Some(&b'=') {
            let (v, vlen) = value_at(&s[i + 1..])?;
            attrs.push((word.to_ascii_lowercase(), v));
            i += 1 + vlen;
        } else {
            attrs.push((String::new(), word));
        }
    }
}

/// A quoted or bare value at the start of `s`, and its length.
fn value_at(s: &str) -> Option<(String, usize)> {
    let q = s.chars().next()?;
    if matches!(q, '"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{2033}') {
        let close = if q == '\u{201c}' { '\u{201d}' } else { q };
        let rest = &s[q.len_utf8()..];
        let end = rest.find(close)?;
        return Some((
            rest[..end].to_string(),
            q.len_utf8() + end + close.len_utf8(),
        ));
    }
    let end = s
        .find(|c: char| c.is_whitespace() || c == ']' || c == '=')
        .unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    Some((s[..end].to_string(), end))
}

/// Every shortcode in `text` (outermost ones; an enclosing shortcode's content is not
/// searched), in order. `[[x]]` is skipped (WordPress shows it as `[x]`).
pub fn find_all(text: &str) -> Vec<Shortcode> {
    let mut out = Vec::new();
    let mut i = 0;
    // Searches ahead are remembered, so a text of ten thousand `[[` or `[a]` is read once,
    // not once per bracket.
    let mut ahead = crate::text::Ahead::default();
    while let Some(open) = text[i..].find('[').map(|o| i + o) {
        if text[open + 1..].starts_with('[') {
            i = ahead.find(text, open, "]]").map_or(open + 2, |e| e + 2);
            continue;
        }
        match shortcode_at(text, open, &mut ahead) {
            Some(sc) => {
                i = sc.range.end;
                out.push(sc);
            }
            None => i = open + 1,
        }
    }
    out
}

/// The shortcode starting at `text[open]` (a `[`), if one does.
fn shortcode_at(text: &str, open: usize, ahead: &mut crate::text::Ahead) -> Option<Shortcode> {
    let rest = &text[open + 1..];
    let name = name_at(rest)?;
    let after = &rest[name.len()..];
    let lower = name.to_ascii_lowercase();
    // Jetpack: [youtube=https://…]
    if after.starts_with('=') && matches!(lower.as_str(), "youtube" | "vimeo") {
        let end = after.find(']')?;
        return Some(Shortcode {
            name: lower,
            attrs: vec![(String::new(), after[1..end].to_string())],
            content: None,
            range: open..open + 1 + name.len() + end + 1,
        });
    }
    if !matches!(after.chars().next(), Some(' ' | ']' | '/' | '\t' | '\n')) {
        return None;
    }
    let (attrs, len, self_closing) = attributes(after)?;
    let tag_end = open + 1 + name.len() + len;
    let closing = format!("[/{name}]");
    let found = if self_closing {
        None
    } else {
        ahead.find(text, tag_end, &closing)
    };
    let (content, end) = match found {
        Some(c) => (Some(text[tag_end..c].to_string()), c + closing.len()),
        None => (None, tag_end),
    };
    Some(Shortcode {
        name: lower,
        attrs,
        content,
        range: open..end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_content_and_escapes() {
        let t = "A [caption id=\"a1\" align='alignleft' width=300]<img src=\"x.jpg\"> Bild[/caption] B [[gallery]] [gallery ids=\"1,2\" /] [youtube=https://www.youtube.com/watch?v=abcdefghijk&w=640] [sic] [contact-form-7 id=\"4\" title=\"Kontakt\"] [1] [Anm. d. Red.]";
        let all = find_all(t);
        let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            vec!["caption", "gallery", "youtube", "sic", "contact-form-7"]
        );
        assert_eq!(all[0].attr("id"), Some("a1"));
        assert_eq!(all[0].attr("align"), Some("alignleft"));
        assert_eq!(all[0].attr("width"), Some("300"));
        assert_eq!(all[0].content.as_deref(), Some("<img src=\"x.jpg\"> Bild"));
        assert_eq!(
            &t[all[0].range.clone()],
            "[caption id=\"a1\" align='alignleft' width=300]<img src=\"x.jpg\"> Bild[/caption]"
        );
        assert_eq!(all[1].attr("ids"), Some("1,2"));
        assert!(all[1].content.is_none());
        assert_eq!(
            all[2].positional(),
            Some("https://www.youtube.com/watch?v=abcdefghijk&w=640")
        );
        assert!(!all[3].is_plausible());
        assert!(all[4].is_plausible());
    }

    #[test]
    fn broken_tags_are_text() {
        assert!(find_all("[gallery ids=\"1,2]").is_empty());
        assert!(find_all("[caption [x]").is_empty() || find_all("[caption [x]")[0].name == "x");
        assert!(find_all("[").is_empty());
        assert!(find_all("[a=").is_empty());
    }
}
