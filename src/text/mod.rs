//! Text helpers every stage shares: escaping for HTML and XML, newline normalisation, locating
//! byte offsets as lines and columns, and slugs. A leaf: it uses no other kiosk module.

pub mod slug;
pub mod video;

use std::borrow::Cow;

/// Searches ahead in one text that remember where each needle was found, so a scanner that
/// looks for the end of every opener it meets (`{{` … `}}`, `[a` … `]`) reads the text once,
/// not once per opener: ten thousand openers without an end cost no more than one.
#[derive(Debug, Default)]
pub struct Ahead {
    found: Vec<(String, Option<usize>)>,
}

impl Ahead {
    /// The first `needle` in `text` at or after `from`; `from` must never go back between
    /// calls with the same text.
    pub fn find(&mut self, text: &str, from: usize, needle: &str) -> Option<usize> {
        let known = self.found.iter_mut().find(|(n, _)| n == needle);
        match known.as_ref().map(|(_, at)| *at) {
            Some(None) => return None,
            Some(Some(at)) if at >= from => return Some(at),
            _ => {}
        }
        let at = text.get(from..)?.find(needle).map(|p| from + p);
        match known {
            Some((_, slot)) => *slot = at,
            None => self.found.push((needle.to_string(), at)),
        }
        at
    }
}

/// Every place one needle occurs in one text (overlapping ones too, as `str::find` from each
/// offset would find them), found in one pass; the first at or after any offset is then a
/// binary search. For scanners that look for a closer from every opener in any order.
#[derive(Debug, Default, Clone)]
pub struct Positions {
    at: Vec<usize>,
}

impl Positions {
    /// The places of `needle` in `text`.
    pub fn of(text: &str, needle: &str) -> Positions {
        let mut at = Vec::new();
        let mut from = 0;
        while let Some(p) = text.get(from..).and_then(|t| t.find(needle)) {
            let here = from + p;
            at.push(here);
            from = here + text[here..].chars().next().map_or(1, char::len_utf8);
        }
        Positions { at }
    }

    /// The first place at or after `from`.
    pub fn next(&self, from: usize) -> Option<usize> {
        self.at.get(self.at.partition_point(|&p| p < from)).copied()
    }
}

/// Characters no HTML or XML document may hold: control characters (but tab and line ends),
/// DEL and the C1 controls, and the Unicode noncharacters (U+FDD0–U+FDEF, U+FFFE, U+FFFF and
/// their twins in every plane). They make feeds invalid XML and pages invalid HTML.
pub fn is_forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\t' | '\n' | '\r'))
        || (0x7f..=0x9f).contains(&u)
        || (0xfdd0..=0xfdef).contains(&u)
        || u & 0xfffe == 0xfffe
}

/// The one sanitiser: `s` without the characters [`is_forbidden`] names. Every escape below
/// uses it, so whatever reaches HTML, XML or an attribute is well-formed.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_forbidden) {
        Cow::Owned(s.chars().filter(|&c| !is_forbidden(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Text with HTML character references (`&amp;`, `&#8222;`, `&#x201C;`, `&nbsp;`) replaced by
/// the characters they stand for, as a browser reads them. A `&` that starts no known reference
/// stays as written; a reference to a character no document may hold becomes U+FFFD.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest
            .char_indices()
            .take(34)
            .find(|(_, c)| *c == ';')
            .map(|(j, _)| j);
        let decoded = end.and_then(|e| reference(&rest[1..e]).map(|d| (d, e)));
        match decoded {
            Some((d, e)) => {
                out.push_str(&d);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The text a reference (without `&` and `;`) stands for.
fn reference(name: &str) -> Option<Cow<'static, str>> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        let c = char::from_u32(code)
            .filter(|c| *c != '\0' && !is_forbidden(*c))
            .unwrap_or('\u{fffd}');
        return Some(Cow::Owned(c.to_string()));
    }
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    quick_xml::escape::resolve_html5_entity(name).map(Cow::Borrowed)
}

/// A piece of a URL pattern (`/:year/:slug/`): literal text, or a `:token` (its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text as written.
    Text(&'a str),
    /// A token's name, without the `:`.
    Token(&'a str),
}

/// The pieces of a URL pattern; a token is `:` and letters, digits or `_`.
pub fn pattern_pieces(pattern: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        if i > 0 {
            out.push(Piece::Text(&rest[..i]));
        }
        let len = rest[i + 1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len() - i - 1);
        out.push(Piece::Token(&rest[i + 1..i + 1 + len]));
        rest = &rest[i + 1 + len..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

/// A URL pattern with each token replaced; the first error a token gives stops it.
pub fn expand_pattern<E>(
    pattern: &str,
    mut value: impl FnMut(&str) -> Result<String, E>,
) -> Result<String, E> {
    let mut out = String::with_capacity(pattern.len() + 16);
    for piece in pattern_pieces(pattern) {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Token(t) => out.push_str(&value(t)?),
        }
    }
    // A token with nothing to say (`:categories` of a page without categories) leaves no empty
    // segment behind, as in Jekyll and Hugo.
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    Ok(collapsed)
}

/// Escapes text for HTML element content and quoted attributes.
pub fn escape_html(s: &str) -> String {
    let s = clean(s);
    let mut out = String::with_capacity(s.len() + 8);
    let _ = pulldown_cmark_escape::escape_html(&mut out, &s);
    out
}

/// [`escape_html`] in the form tera wants for its autoescaping.
pub fn escape_html_to(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(escape_html(input).as_bytes())
}

/// Escapes text for XML.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in clean(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that can sit inside `<script>`: `<`, `>` and `&` are written as `\u003c`, `\u003e`,
/// `\u0026` (so neither `</script>` nor `<!--` can change how the browser reads the page), and
/// the line separators U+2028 and U+2029 as escapes too. The JSON means the same.
pub fn script_safe_json<T: serde::Serialize + ?Sized>(v: &T) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    let s = clean(&s).into_owned();
    if !s.contains(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Strips a UTF-8 BOM and turns CRLF and CR line ends into LF, so such files build exactly like
/// their plain twins.
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Line starts of a text, to turn byte offsets into lines and columns.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `s`.
    pub fn new(s: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(s.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 0-based line and 1-based column (in bytes) of a byte offset.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        (line, offset - self.starts[line] + 1)
    }
}

/// 1-based line and column of the first `needle` in `text`; (0, 0) when it is not there.
pub fn find_line_col(text: &str, needle: &str) -> (usize, usize) {
    if needle.is_empty() {
        return (0, 0);
    }
    match text.find(needle) {
        Some(i) => line_col(text, i),
        None => (0, 0),
    }
}

/// 1-based line and column of byte offset `i` in `text`.
pub fn line_col(text: &str, i: usize) -> (usize, usize) {
    let before = &text[..i.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |p| p + 1) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_find_what_find_finds() {
        let text = "a}}}b}}ü}}";
        let p = Positions::of(text, "}}");
        for from in 0..=text.len() {
            if text.is_char_boundary(from) {
                assert_eq!(
                    p.next(from),
                    text[from..].find("}}").map(|x| x + from),
                    "{from}"
                );
            }
        }
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("Kundenstimme: &#8222;Super&#8220; &amp; mehr&nbsp;&#x2013; &hellip;"),
            "Kundenstimme: „Super“ & mehr\u{a0}– …"
        );
        assert_eq!(
            decode_entities("AT&T & Co; &unknown; &#0; &#xD800; &"),
            "AT&T & Co; &unknown; \u{fffd} \u{fffd} &"
        );
        assert!(matches!(decode_entities("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn escaping() {
        assert_eq!(
            escape_html("<a href=\"x\">&</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape_xml("a\u{1}b<'"), "ab&lt;&apos;");
    }

    #[test]
    fn json_for_script_elements() {
        let v = serde_json::json!({"t": "<!--<script></script> & \u{2028}"});
        let s = script_safe_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }

    #[test]
    fn bom_and_crlf() {
        let a = normalize_newlines("\u{feff}---\r\ntitle: A\r\n---\r\nx\r\n");
        assert_eq!(a, "---\ntitle: A\n---\nx\n");
        assert_eq!(normalize_newlines("a\rb"), "a\nb");
    }

    #[test]
    fn lines_and_columns() {
        let t = "ab\ncd\n\nef";
        let idx = LineIndex::new(t);
        assert_eq!(idx.locate(0), (0, 1));
        assert_eq!(idx.locate(4), (1, 2));
        assert_eq!(idx.locate(7), (3, 1));
        assert_eq!(find_line_col(t, "ef"), (4, 1));
        assert_eq!(find_line_col(t, "zz"), (0, 0));
        assert_eq!(line_col(t, 4), (2, 2));
    }
}
