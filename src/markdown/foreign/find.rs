//! Finding the template code of other generators in one line of markdown: Hugo shortcodes,
//! Liquid and Zola tags, `{{ … }}` template code and WordPress shortcodes (core ones, those
//! with attributes, and those closed later in the text), each with the kiosk way to write it.

use super::{tag_name, Foreign};
use crate::text::Ahead;

/// WordPress's own shortcodes (the importer converts these and knows more).
pub(crate) const WORDPRESS: &[&str] = &[
    "gallery",
    "caption",
    "wp_caption",
    "embed",
    "video",
    "audio",
    "playlist",
];

/// The kiosk way to write a construct, by its name.
fn hint(name: &str) -> &'static str {
    match name {
        "figure" | "img" | "image" | "caption" | "wp_caption" => {
            "write {{ figure(src=\"bild.png\", alt=\"…\", caption=\"…\") }}"
        }
        "youtube" | "vimeo" | "video" | "embed" => {
            "write {{ video(url=\"https://…\") }}: the player is loaded only after the reader clicks"
        }
        "audio" | "tweet" | "x" | "instagram" | "gist" | "twitter" => {
            "link the address instead (loading another host's player sends every reader's address there)"
        }
        "ref" | "relref" | "post_url" | "link" => "write an internal link: [Text](@/blog/beitrag.md)",
        "gallery" | "playlist" => "write {{ gallery(images=[\"a.jpg\", \"b.jpg\"]) }} with the images in the page's folder",
        "include" | "partial" => "move the repeated text into a template or a shortcode of templates/shortcodes/",
        "details" | "collapse" | "expand" => "write <details><summary>…</summary>…</details>",
        "highlight" | "code" => "write a fenced code block: ```lang … ```",
        "note" | "notice" | "alert" | "warning" | "tip" | "info" | "hint" | "important"
        | "caution" | "danger" | "admonition" | "callout" => "write {{ hinweis(text=\"…\") }}",
        "contact-form-7" | "mc4wp_form" | "wpforms" | "gravityform" | "ninja_form" | "form" => {
            "a form needs a server: link the form page of your provider, or use kiosk's newsletter form (newsletter: in kiosk.yaml)"
        }
        _ => "kiosk runs its own shortcodes only ({{ figure(…) }}, {{ video(…) }}, {{ gallery(…) }}, {{ hinweis(…) }}, templates/shortcodes/)",
    }
}

/// Names of WordPress shortcodes closed somewhere in the text (`[/su_button]`).
pub(super) fn closing_names(md: &str) -> Vec<String> {
    let mut out: Vec<String> = md
        .match_indices("[/")
        .filter_map(|(i, _)| {
            let r = &md[i + 2..];
            let name = shortcode_name(r)?;
            r[name.len()..].starts_with(']').then(|| name.to_string())
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// A WordPress shortcode name at the start of `s`: a letter, then letters, digits, `_`, `-`.
fn shortcode_name(s: &str) -> Option<&str> {
    let end = s
        .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'))
        .unwrap_or(s.len());
    let name = &s[..end];
    name.starts_with(|c: char| c.is_ascii_lowercase())
        .then_some(name)
}

/// A WordPress shortcode at `line[at..]` (after its `[`): its name and length.
fn wordpress_at(
    line: &str,
    at: usize,
    closings: &[String],
    ahead: &mut Ahead,
) -> Option<(String, usize)> {
    let r = &line[at..];
    let name = shortcode_name(r)?;
    let after = &r[name.len()..];
    let close = ahead.find(line, at + name.len(), "]")? - (at + name.len());
    // Not a markdown link or reference: `[text](…)`, `[text][…]`, `[text]: …`.
    if matches!(after[close + 1..].chars().next(), Some('(' | '[' | ':')) {
        return None;
    }
    let core = WORDPRESS.contains(&name) && matches!(after.chars().next(), Some(' ' | ']'));
    let with_attributes = after.starts_with(' ') && after[..close].contains('=');
    let paired = closings.iter().any(|c| c == name);
    (core || with_attributes || paired).then(|| (name.to_string(), 1 + name.len() + close + 1))
}

/// Finds foreign constructs in one line outside code spans.
pub(super) fn scan_line(line: &str, base: usize, closings: &[String], found: &mut Vec<Foreign>) {
    let b = line.as_bytes();
    let mut ahead = Ahead::default();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'`' {
            let run = b[i..].iter().take_while(|&&c| c == b'`').count();
            let closing = "`".repeat(run);
            i += run
                + ahead
                    .find(line, i + run, &closing)
                    .map_or(0, |e| e - (i + run) + run);
            continue;
        }
        let rest = &line[i..];
        match construct_at(line, i, closings, &mut ahead) {
            Some(Hit { what, name, len }) => {
                if let Some(what) = what {
                    found.push(Foreign {
                        offset: base + i,
                        message: format!(
                            "{what} is another generator's template code; kiosk publishes it as text: {}",
                            hint(&name)
                        ),
                    });
                }
                i += len.min(rest.len()).max(1);
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
}

/// A construct found: what to call it (`None` for a closing tag, which the opening one's warning
/// covers), its name, and its length.
struct Hit {
    what: Option<String>,
    name: String,
    len: usize,
}

/// The construct starting at `line[at..]`, if any.
fn construct_at(line: &str, at: usize, closings: &[String], ahead: &mut Ahead) -> Option<Hit> {
    let rest = &line[at..];
    if ["{{</*", "{{%/*", "{{/*", "{%/*"]
        .iter()
        .any(|e| rest.starts_with(e))
    {
        // Hugo's and Zola's own escape: shown as text on purpose.
        let end = ahead
            .find(line, at, "*/")
            .map_or(rest.len(), |e| e - at + 2);
        return Some(Hit {
            what: None,
            name: String::new(),
            len: end,
        });
    }
    if rest.starts_with("{{<") || rest.starts_with("{{%") {
        return Some(hugo_at(line, at, ahead));
    }
    if rest.starts_with("{%") {
        return Some(tag_at(line, at + 2, ahead));
    }
    if rest.starts_with("{{") {
        return braces_at(line, at + 2, ahead);
    }
    if let Some(r) = rest.strip_prefix("[/") {
        let name = shortcode_name(r)?;
        return r[name.len()..].starts_with(']').then(|| Hit {
            what: None,
            name: name.to_string(),
            len: 3 + name.len(),
        });
    }
    rest.strip_prefix('[')?;
    let (name, len) = wordpress_at(line, at + 1, closings, ahead)?;
    Some(Hit {
        what: Some(format!("WordPress shortcode `[{name}]`")),
        name,
        len,
    })
}

/// A Hugo shortcode `{{< … >}}` or `{{% … %}}` at `line[at..]`.
fn hugo_at(line: &str, at: usize, ahead: &mut Ahead) -> Hit {
    let rest = &line[at..];
    let r = &rest[3..];
    let end = ahead
        .find(line, at + 3, ">}}")
        .or_else(|| ahead.find(line, at + 3, "%}}"))
        .map_or(r.len(), |e| e - (at + 3));
    let inside = r[..end].trim();
    let closing = inside.starts_with('/');
    Hit {
        what: (!closing)
            .then(|| format!("Hugo shortcode `{}`", &rest[..(end + 6).min(rest.len())])),
        name: tag_name(inside).to_string(),
        len: end + 6,
    }
}

/// A Liquid tag or Zola body shortcode at `line[at..]`, after its `{%`.
fn tag_at(line: &str, at: usize, ahead: &mut Ahead) -> Hit {
    let r = &line[at..];
    let end = ahead.find(line, at, "%}").map_or(r.len(), |e| e - at);
    let inside = r[..end].trim().trim_matches('-').trim();
    let name = tag_name(inside);
    let closing = name.starts_with("end") || name.is_empty() || inside.starts_with('/');
    // The name may start after a `/` (`{%/x`): what follows it is found, not counted.
    let after = match name {
        "" => inside,
        n => inside.split_once(n).map_or("", |(_, r)| r),
    };
    let zola = after.trim_start().starts_with('(');
    let what = if zola {
        format!("Zola shortcode `{{% {name}(…) %}}`")
    } else {
        format!("`{{% {inside} %}}`")
    };
    Hit {
        what: (!closing).then_some(what),
        name: name.to_string(),
        len: end + 4,
    }
}

/// Template code `{{ … }}` at `line[at..]`, after its `{{`; shortcode calls are the
/// shortcode stage's.
fn braces_at(line: &str, at: usize, ahead: &mut Ahead) -> Option<Hit> {
    let r = &line[at..];
    let end = ahead.find(line, at, "}}")? - at;
    let inside = r[..end].trim();
    let call = inside.find('(').is_some_and(|p| {
        inside[..p]
            .trim()
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_')
    }) && !inside.contains('|');
    if call || inside.is_empty() {
        return None;
    }
    let liquid = [
        "site.",
        "page.",
        "include.",
        "layout.",
        "paginator.",
        "content",
    ]
    .iter()
    .any(|p| inside.starts_with(p));
    Some(Hit {
        what: Some(format!("`{{{{ {inside} }}}}`")),
        name: if liquid { "include" } else { "" }.to_string(),
        len: end + 4,
    })
}
