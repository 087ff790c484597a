//! Hugo shortcodes in a page body as kiosk's: `ref`/`relref` → `@/` links, `figure` →
//! `figure`, `youtube`/`vimeo` → `video`, `notice`, `alert`, `admonition`, `hint`, … →
//! `hinweis`, `details` → `<details>`, `gist`/`tweet`/`instagram` → a link, `param` → its
//! value. Anything else stays as written and is noted. Code is never touched; `highlight` and
//! `code` blocks are left to the last pass (they become fenced code there).

use crate::import::html::{call, Arg};
use crate::import::report::Kind;
use crate::text::Positions;

/// A shortcode tag `{{< name args >}}` or `{{% name args %}}`.
#[derive(Debug, Clone, PartialEq)]
struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    /// Positional arguments.
    positional: Vec<String>,
    /// Named arguments.
    named: Vec<(String, String)>,
    start: usize,
    end: usize,
}

impl Tag {
    fn arg(&self, name: &str, position: usize) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .or_else(|| self.positional.get(position).map(String::as_str))
            .filter(|v| !v.is_empty())
    }
}

/// The tag starting at `text[start]` (`{{<` or `{{%`).
/// A tag's inside holds no other opener: `{{< a {{< b >}}` is not a tag.
fn tag_at(scan: &Scan, start: usize) -> Option<Tag> {
    let text = scan.body;
    let rest = &text[start..];
    let close = if rest.starts_with("{{<") {
        &scan.close_angle
    } else if rest.starts_with("{{%") {
        &scan.close_percent
    } else {
        return None;
    };
    let inner_end = close.next(start + 3)? - start;
    if scan
        .next_tag(start + 3)
        .is_some_and(|o| o < start + inner_end)
    {
        return None;
    }
    let mut inner = rest[3..inner_end].trim();
    if inner.starts_with("/*") {
        return None; // Hugo's escape: shown as text, left to the last pass.
    }
    let closing = inner.starts_with('/');
    inner = inner.trim_start_matches('/').trim();
    let self_closing = inner.ends_with('/');
    inner = inner.trim_end_matches('/').trim();
    let mut words = words(inner);
    if words.is_empty() {
        return None;
    }
    let name = words.remove(0);
    let mut positional = Vec::new();
    let mut named = Vec::new();
    for w in words {
        match w.split_once('=') {
            Some((k, v)) if !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                named.push((k.to_string(), unquote(v)));
            }
            _ => positional.push(unquote(&w)),
        }
    }
    Some(Tag {
        name,
        closing,
        self_closing,
        positional,
        named,
        start,
        end: start + inner_end + 3,
    })
}

/// Words of a tag's inside; quoted ones (`"a b"`, `` `a` ``) stay whole.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (Some(_), c) => cur.push(c),
            (None, '"' | '`') => {
                quote = Some(c);
                cur.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unquote(s: &str) -> String {
    let t = s.trim();
    for q in ['"', '`', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.replace("\\\"", "\"");
        }
    }
    t.to_string()
}

/// What converting needs from the site.
pub trait Context {
    /// The `content/`-relative path a `ref` names, seen from the page at `from`.
    fn resolve(&self, target: &str, from: &str) -> Option<String>;
    /// A site parameter (`param "author"`), when it is text.
    fn param(&self, name: &str) -> Option<String>;
}

/// Note kinds and texts at byte offsets of the body.
pub type Notes = Vec<(usize, Kind, String)>;

/// Converts the shortcodes of `body` (the page at `from`, `content/`-relative).
pub fn convert(body: &str, from: &str, ctx: &dyn Context) -> (String, Notes) {
    if !body.contains("{{<") && !body.contains("{{%") {
        return (body.to_string(), Vec::new());
    }
    let code = crate::markdown::foreign::code_ranges(body);
    let in_code = |i: usize| crate::markdown::foreign::in_ranges(&code, i);
    let scan = Scan::new(body);
    let mut out = String::with_capacity(body.len());
    let mut notes = Vec::new();
    let mut i = 0;
    while let Some(found) = scan.next_tag(i) {
        out.push_str(&body[i..found]);
        let Some(tag) = tag_at(&scan, found).filter(|_| !in_code(found)) else {
            out.push_str(&body[found..found + 3]);
            i = found + 3;
            continue;
        };
        let (replacement, end) = replace(&scan, &tag, from, ctx, &mut notes);
        crate::import::files::push_keeping_lines(&mut out, &body[found..end], &replacement);
        i = end;
    }
    out.push_str(&body[i..]);
    (out, notes)
}

/// One body, with every opener and closer found once and every paired tag matched with its
/// closing tag once, so a page of ten thousand unclosed tags is read in linear time.
struct Scan<'a> {
    body: &'a str,
    open_angle: Positions,
    open_percent: Positions,
    close_angle: Positions,
    close_percent: Positions,
    /// Closing tag by the start of its opening tag (`None`: never closed).
    pairs: std::collections::HashMap<usize, Option<Tag>>,
}

impl<'a> Scan<'a> {
    fn new(body: &'a str) -> Scan<'a> {
        let [open_angle, open_percent, close_angle, close_percent] =
            ["{{<", "{{%", ">}}", "%}}"].map(|n| Positions::of(body, n));
        let mut scan = Scan {
            body,
            open_angle,
            open_percent,
            close_angle,
            close_percent,
            pairs: std::collections::HashMap::new(),
        };
        // Openers wait on a stack per name; a closing tag of that name closes the nearest.
        let mut open: std::collections::HashMap<String, Vec<usize>> = Default::default();
        let mut pairs = std::collections::HashMap::new();
        let mut i = 0;
        while let Some(f) = scan.next_tag(i) {
            let Some(t) = tag_at(&scan, f) else {
                i = f + 3;
                continue;
            };
            i = t.end;
            if t.self_closing {
                continue;
            }
            let waiting = open.entry(t.name.clone()).or_default();
            if !t.closing {
                waiting.push(t.start);
                pairs.insert(t.start, None);
            } else if let Some(o) = waiting.pop() {
                pairs.insert(o, Some(t));
            }
        }
        scan.pairs = pairs;
        scan
    }

    fn next_tag(&self, from: usize) -> Option<usize> {
        [self.open_angle.next(from), self.open_percent.next(from)]
            .into_iter()
            .flatten()
            .min()
    }
}

/// The inner text of a paired shortcode and where its closing tag ends.
fn inner(scan: &Scan, tag: &Tag) -> Option<(String, usize)> {
    if tag.self_closing {
        return None;
    }
    let close = scan.pairs.get(&tag.start)?.as_ref()?;
    Some((scan.body[tag.end..close.start].to_string(), close.end))
}

/// The replacement of one tag and where the text after it starts.
fn replace(
    scan: &Scan,
    tag: &Tag,
    from: &str,
    ctx: &dyn Context,
    notes: &mut Notes,
) -> (String, usize) {
    let keep = (scan.body[tag.start..tag.end].to_string(), tag.end);
    if tag.closing {
        return keep;
    }
    let done = |text: String| Ok((text, tag.end));
    let result = match tag.name.as_str() {
        "ref" | "relref" => reference(tag, from, ctx).map(|t| (t, tag.end)),
        "figure" => done(figure(tag)),
        "youtube" | "vimeo" => video(tag).map(|t| (t, tag.end)),
        "notice" | "alert" | "admonition" | "callout" | "hint" | "note" | "tip" | "warning"
        | "info" | "important" | "caution" | "danger" => inner(scan, tag)
            .map(|(text, end)| (note_box(tag, &text), end))
            .ok_or(None),
        "details" | "expand" | "collapse" => inner(scan, tag)
            .map(|(text, end)| (details(tag, &text), end))
            .ok_or(None),
        "gist" | "tweet" | "x" | "instagram" => {
            notes.push((
                tag.start,
                Kind::NotConverted,
                format!(
                    "`{}` became a link (loading it would send every reader's address to its host)",
                    tag.name
                ),
            ));
            done(format!("<{}>", embed_address(tag)))
        }
        "param" => tag
            .arg("name", 0)
            .and_then(|n| ctx.param(n))
            .map(|v| (v, tag.end))
            .ok_or(Some(
                "`param`: the parameter is not text in the site's params; kept as text".into(),
            )),
        // Any other shortcode (also `highlight` and `code`) stays as written; the last pass
        // converts or names it.
        _ => Err(None),
    };
    match result {
        Ok(r) => r,
        Err(why) => {
            if let Some(w) = why {
                notes.push((tag.start, Kind::NotConverted, w));
            }
            keep
        }
    }
}

/// Why a tag is kept as text (`None`: the last pass says it).
type Kept = Option<String>;

/// `ref`/`relref` → an `@/` link.
fn reference(tag: &Tag, from: &str, ctx: &dyn Context) -> Result<String, Kept> {
    let target = tag.arg("path", 0).unwrap_or("");
    let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
    match ctx.resolve(path, from) {
        Some(p) if anchor.is_empty() => Ok(format!("@/{p}")),
        Some(p) => Ok(format!("@/{p}#{anchor}")),
        None => Err(Some(format!(
            "`{{{{< {} \"{target}\" >}}}}`: no such page in the site; kept as text",
            tag.name
        ))),
    }
}

/// `figure` → kiosk's `figure` (Hugo's `title` as the caption when there is none).
fn figure(tag: &Tag) -> String {
    let text = |k: &str, pos: usize| Arg::Text(tag.arg(k, pos).unwrap_or("").to_string());
    let mut args = vec![("src", text("src", 0)), ("alt", text("alt", 99))];
    if let Some(c) = tag.arg("caption", 99).or(tag.arg("title", 99)) {
        args.push(("caption", Arg::Text(c.to_string())));
    }
    for dim in ["width", "height"] {
        if let Some(n) = tag.arg(dim, 99).and_then(|v| v.parse().ok()) {
            args.push((dim, Arg::Number(n)));
        }
    }
    call("figure", &args)
}

/// `youtube`/`vimeo` → `video`.
fn video(tag: &Tag) -> Result<String, Kept> {
    let id = tag.arg("id", 0).unwrap_or("");
    crate::text::video::Video::from_id(&tag.name, id).ok_or_else(|| {
        Some(format!(
            "`{}` with the id `{id}`: not a video id kiosk knows; kept as text",
            tag.name
        ))
    })?;
    let mut args = vec![
        ("provider", Arg::Text(tag.name.clone())),
        ("id", Arg::Text(id.to_string())),
    ];
    if let Some(t) = tag.arg("title", 99) {
        args.push(("title", Arg::Text(t.to_string())));
    }
    Ok(call("video", &args))
}

/// A note box → `hinweis` (its type from the name or the first argument).
fn note_box(tag: &Tag, text: &str) -> String {
    let named = matches!(
        tag.name.as_str(),
        "note" | "tip" | "warning" | "info" | "important" | "caution" | "danger"
    );
    let kind = tag
        .arg("type", 0)
        .filter(|_| !named)
        .unwrap_or(&tag.name)
        .to_ascii_lowercase();
    let mut args = vec![("text", Arg::Text(one_paragraph(text)))];
    if let Some(typ) = note_kind(&kind) {
        args.push(("typ", Arg::Text(typ.into())));
    }
    call("hinweis", &args)
}

/// `details` → `<details>`.
fn details(tag: &Tag, text: &str) -> String {
    let summary = tag
        .arg("summary", 0)
        .or(tag.arg("title", 99))
        .unwrap_or("Details");
    format!(
        "<details><summary>{}</summary>\n\n{}\n\n</details>",
        crate::text::escape_html(summary),
        text.trim()
    )
}

/// The address a `gist`, `tweet` or `instagram` shortcode embeds.
fn embed_address(tag: &Tag) -> String {
    match tag.name.as_str() {
        "gist" => format!(
            "https://gist.github.com/{}/{}",
            tag.arg("user", 0).unwrap_or(""),
            tag.arg("id", 1).unwrap_or("")
        ),
        "instagram" => format!(
            "https://www.instagram.com/p/{}/",
            tag.arg("id", 0).unwrap_or("")
        ),
        _ => format!(
            "https://x.com/{}/status/{}",
            tag.arg("user", 0).unwrap_or("i"),
            tag.arg("id", 1).or(tag.arg("id", 0)).unwrap_or("")
        ),
    }
}

/// A note's text on one line (`hinweis` shows one paragraph).
fn one_paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// kiosk's `hinweis` type for a note kind.
fn note_kind(kind: &str) -> Option<&'static str> {
    match kind {
        "warning" | "danger" | "caution" | "error" | "important" => Some("warnung"),
        "tip" | "hint" | "success" => Some("tipp"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Site;
    impl Context for Site {
        fn resolve(&self, target: &str, _: &str) -> Option<String> {
            (target.trim_start_matches('/').trim_end_matches(".md") == "posts/zwei")
                .then(|| "posts/zwei.md".into())
        }
        fn param(&self, name: &str) -> Option<String> {
            (name == "author").then(|| "Tobias".into())
        }
    }

    #[test]
    fn shortcodes_become_kiosk_ones() {
        let body = "Siehe [zwei]({{< ref \"posts/zwei.md#teil\" >}}) und {{< relref \"/posts/zwei\" >}}.\n\n{{< figure src=\"bild.png\" title=\"Ein Bild\" alt=\"Alt\" >}}\n\n{{< youtube dQw4w9WgXcQ >}}\n{{< vimeo id=\"123456\" >}}\n\n{{% notice warning %}}\nVorsicht, **heiß**.\n\nWirklich.\n{{% /notice %}}\n\nVon {{< param \"author\" >}}. {{< gallery dir=\"/img\" />}}\n\n`{{< ref \"x\" >}}`\n\n```\n{{< youtube abc >}}\n```\n";
        let (out, notes) = convert(body, "posts/eins.md", &Site);
        assert!(
            out.contains("Siehe [zwei](@/posts/zwei.md#teil) und @/posts/zwei.md."),
            "{out}"
        );
        assert!(
            out.contains("{{ figure(src=\"bild.png\", alt=\"Alt\", caption=\"Ein Bild\") }}"),
            "{out}"
        );
        assert!(out.contains("{{ video(provider=\"youtube\", id=\"dQw4w9WgXcQ\") }}\n{{ video(provider=\"vimeo\", id=\"123456\") }}"), "{out}");
        assert!(
            out.contains("{{ hinweis(text=\"Vorsicht, **heiß**. Wirklich.\", typ=\"warnung\") }}"),
            "{out}"
        );
        assert!(!out.contains("/notice"), "{out}");
        assert!(out.contains("Von Tobias."), "{out}");
        assert!(
            out.contains("`{{< ref \"x\" >}}`") && out.contains("```\n{{< youtube abc >}}\n```"),
            "{out}"
        );
        assert!(notes.is_empty(), "{notes:?}");
        assert!(out.contains("{{< gallery dir=\"/img\" />}}"), "{out}");
    }
}
