//! A WordPress post's content (`content:encoded`) as markdown: block editor comments read for
//! what they mean (embeds, `more`, reusable blocks), shortcodes converted (`[caption]` →
//! `figure`, `[gallery]` → `gallery`, `[embed]`, Jetpack's `[youtube]` and bare video addresses
//! → `video`, code shortcodes → fenced code), WordPress's paragraph rule applied to classic
//! content (a blank line is a paragraph, a line end a `<br>`), then HTML to markdown.

use super::shortcodes::{self, Shortcode};
use crate::import::html::{self, call, Arg, Calls};
use crate::import::report::Kind;
use crate::text::video::Video;

/// An image of the media library.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Media {
    /// Its address (already rewritten).
    pub url: String,
    /// Its alternative text.
    pub alt: String,
    /// Its caption.
    pub caption: String,
}

/// What converting content needs from the rest of the export.
pub trait Lookup: Sync {
    /// The new address for a link or image address (`None`: keep it).
    fn rewrite(&self, url: &str) -> Option<String>;
    /// An attachment by post id.
    fn attachment(&self, id: &str) -> Option<Media>;
    /// The images attached to a post, in their order.
    fn attached_images(&self, post_id: &str) -> Vec<Media>;
    /// A reusable block's content by post id.
    fn reusable_block(&self, id: &str) -> Option<String>;
}

/// Markdown, and notes at byte offsets of the original content.
#[derive(Debug, Default)]
pub struct Converted {
    pub markdown: String,
    pub notes: Vec<(usize, Kind, String)>,
}

/// What one conversion collects.
struct Work<'a> {
    lookup: &'a dyn Lookup,
    post_id: &'a str,
    calls: Calls,
    notes: Vec<(usize, Kind, String)>,
    /// The original content, to find the place of a note.
    raw: &'a str,
    /// Bytes of reusable blocks put in so far (a block that holds itself, or many blocks
    /// holding many others, would grow without end).
    expanded: usize,
}

/// Most bytes reusable blocks may add to one post, and how deep they may nest.
const MAX_EXPANDED: usize = 1 << 20;
const MAX_BLOCK_DEPTH: usize = 4;

impl Work<'_> {
    fn note_at(&mut self, needle: &str, kind: Kind, text: String) {
        let at = self.raw.find(needle).unwrap_or(0);
        self.notes.push((at, kind, text));
    }

    /// A placeholder standing alone as a paragraph.
    fn block(&mut self, text: String) -> String {
        format!("\n\n<p>{}</p>\n\n", self.calls.token(text))
    }

    fn address(&self, url: &str) -> String {
        self.lookup.rewrite(url).unwrap_or_else(|| url.to_string())
    }
}

/// Converts a post's content. `post_id` finds the images attached to it (`[gallery]`).
pub fn convert(raw: &str, post_id: &str, lookup: &dyn Lookup) -> Converted {
    let raw_norm = raw.replace("\r\n", "\n");
    let mut w = Work {
        lookup,
        post_id,
        calls: Calls::default(),
        notes: Vec::new(),
        raw,
        expanded: 0,
    };
    let has_blocks = raw_norm.contains("<!-- wp:");
    let text = blocks(&raw_norm, &mut w, 0);
    let text = more_and_nextpage(&text, &mut w);
    let text = shortcodes_in(&text, &mut w);
    let text = video_lines(&text, &mut w);
    let text = if has_blocks { text } else { autop(&text) };
    let (markdown, changes) =
        html::to_markdown(&text, std::mem::take(&mut w.calls), &|u| lookup.rewrite(u));
    for c in changes {
        w.note_at(&c.needle, Kind::NotConverted, c.text);
    }
    Converted {
        markdown,
        notes: w.notes,
    }
}

/// The block editor's comments: `<!-- wp:embed {"url": …} -->…<!-- /wp:embed -->` becomes a
/// `video` (or a link), `<!-- wp:block {"ref": 12} /-->` the reusable block's content, every
/// other block comment goes (its HTML stays).
fn blocks(text: &str, w: &mut Work, depth: usize) -> String {
    if !text.contains("<!-- wp:") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<!-- wp:").or_else(|| rest.find("<!-- /wp:")) {
        out.push_str(&rest[..i]);
        let Some(end) = rest[i..].find("-->").map(|e| i + e + 3) else {
            out.push_str(&rest[i..]);
            return out;
        };
        let comment = &rest[i..end];
        rest = &rest[end..];
        let Some(inner) = comment.strip_prefix("<!-- wp:") else {
            continue; // a closing comment
        };
        let name = inner.split_whitespace().next().unwrap_or("");
        let json = inner
            .find('{')
            .zip(inner.rfind('}'))
            .filter(|(s, e)| s < e)
            .and_then(|(s, e)| serde_json::from_str::<serde_json::Value>(&inner[s..=e]).ok());
        let closing = format!("<!-- /wp:{name} -->");
        match name {
            n if n == "embed" || n.starts_with("core-embed/") => {
                let url = json
                    .as_ref()
                    .and_then(|j| j.get("url"))
                    .and_then(|u| u.as_str())
                    .unwrap_or("")
                    .to_string();
                if let Some(c) = rest.find(&closing) {
                    rest = &rest[c + closing.len()..];
                }
                out.push_str(&embed(&url, w));
            }
            "block" => {
                let id = json
                    .as_ref()
                    .and_then(|j| j.get("ref"))
                    .map(|r| r.to_string().trim_matches('"').to_string())
                    .unwrap_or_default();
                match w.lookup.reusable_block(&id) {
                    Some(content)
                        if depth < MAX_BLOCK_DEPTH
                            && w.expanded.saturating_add(content.len()) <= MAX_EXPANDED =>
                    {
                        w.expanded += content.len();
                        out.push_str(&blocks(&content, w, depth + 1));
                    }
                    // Named once per post: the rest of such a tree would repeat it thousands
                    // of times.
                    Some(_) if w.expanded != usize::MAX => {
                        w.expanded = usize::MAX;
                        w.note_at(
                            comment,
                            Kind::NotConverted,
                            format!("reusable block {id} and those after it are left out here: reusable blocks nest deeper than {MAX_BLOCK_DEPTH} or grow this post beyond 1 MB"),
                        );
                    }
                    Some(_) => {}
                    None => w.note_at(
                        comment,
                        Kind::NotConverted,
                        format!("reusable block {id} is not in the export; it is left out"),
                    ),
                }
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

/// An embedded address: a YouTube or Vimeo video becomes `video`, anything else a link.
fn embed(url: &str, w: &mut Work) -> String {
    if Video::from_url(url).is_some() {
        return w.block(call("video", &[("url", Arg::Text(url.to_string()))]));
    }
    if url.is_empty() {
        return String::new();
    }
    w.note_at(
        url,
        Kind::NotConverted,
        format!("the embedded {url} became a link (kiosk embeds YouTube and Vimeo videos only, loaded after a click)"),
    );
    let safe = crate::text::escape_html(url);
    format!("\n\n<p><a href=\"{safe}\">{safe}</a></p>\n\n")
}

/// `<!--more-->` (also with its own link text) becomes kiosk's marker; `<!--nextpage-->`
/// goes (a kiosk page is one page), with a note.
fn more_and_nextpage(text: &str, w: &mut Work) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        let Some(end) = rest[i + 4..].find("-->").map(|e| i + 4 + e + 3) else {
            out.push_str(&rest[i..]);
            return out;
        };
        let inner = rest[i + 4..end - 3].trim();
        let word = inner.split_whitespace().next().unwrap_or("");
        if word.eq_ignore_ascii_case("more") {
            let token = w.calls.token("<!--more-->".into());
            out.push_str(&format!("\n\n<p>{token}</p>\n\n"));
        } else if word.eq_ignore_ascii_case("nextpage") {
            w.note_at(
                "<!--nextpage-->",
                Kind::Changed,
                "the post was split into pages (<!--nextpage-->); it is one page now".into(),
            );
        } else {
            out.push_str(&rest[i..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Shortcodes replaced by what they show; unknown ones stay as text, with a note.
fn shortcodes_in(text: &str, w: &mut Work) -> String {
    let found = shortcodes::find_all(text);
    if found.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for sc in found {
        out.push_str(&text[at..sc.range.start]);
        let original = &text[sc.range.clone()];
        match shortcode(&sc, w) {
            Some(replacement) => out.push_str(&replacement),
            None => {
                if sc.is_plausible() {
                    w.note_at(
                        original,
                        Kind::NotConverted,
                        format!(
                            "shortcode `[{}]` kept as text (kiosk does not run WordPress plugins)",
                            sc.name
                        ),
                    );
                }
                out.push_str(original);
            }
        }
        at = sc.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The replacement of a shortcode kiosk knows.
fn shortcode(sc: &Shortcode, w: &mut Work) -> Option<String> {
    let content = sc.content.as_deref().unwrap_or("");
    Some(match sc.name.as_str() {
        "caption" | "wp_caption" => caption(sc, content, w),
        "gallery" => gallery(sc, w),
        "embed" => embed(content.trim(), w),
        "youtube" | "vimeo" => {
            let arg = sc.positional().or(sc.attr("id")).unwrap_or(content).trim();
            let arg = arg.split('&').next().unwrap_or(arg);
            let url = if arg.starts_with("http") {
                arg.to_string()
            } else if sc.name == "youtube" {
                format!("https://www.youtube.com/watch?v={arg}")
            } else {
                format!("https://vimeo.com/{arg}")
            };
            embed(&url, w)
        }
        "video" | "audio" => {
            let src = [
                "src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg", "m4a", "wav",
            ]
            .iter()
            .find_map(|k| sc.attr(k))?;
            let src = crate::text::escape_html(&w.address(src));
            format!(
                "\n\n<{t} controls preload=\"none\" src=\"{src}\"></{t}>\n\n",
                t = sc.name
            )
        }
        "code" | "sourcecode" | "source" | "php" | "js" | "javascript" | "css" | "html" | "xml"
        | "python" | "bash" | "shell" | "sql" | "java" | "ruby" => {
            sc.content.as_ref()?;
            let lang = sc
                .attr("language")
                .or(sc.attr("lang"))
                .unwrap_or(match sc.name.as_str() {
                    "code" | "sourcecode" | "source" => "",
                    other => other,
                });
            let code = crate::text::decode_entities(content.trim_matches('\n')).into_owned();
            let fence = "`".repeat(3.max(longest_backticks(&code) + 1));
            w.block(format!("{fence}{lang}\n{code}\n{fence}"))
        }
        _ => return None,
    })
}

fn longest_backticks(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `[caption]<img …> Text[/caption]` → `figure`.
fn caption(sc: &Shortcode, content: &str, w: &mut Work) -> String {
    let img = first_img(content);
    let text = sc
        .attr("caption")
        .map(str::to_string)
        .unwrap_or_else(|| crate::import::html::one_line(content));
    let Some(img) = img else {
        return content.to_string();
    };
    let mut args = vec![
        ("src", Arg::Text(w.address(&img.src))),
        ("alt", Arg::Text(img.alt)),
    ];
    if !text.is_empty() {
        args.push(("caption", Arg::Text(text)));
    }
    if let Some(n) = img
        .width
        .or_else(|| sc.attr("width").and_then(|v| v.parse().ok()))
    {
        args.push(("width", Arg::Number(n)));
    }
    w.block(call("figure", &args))
}

/// `[gallery ids="1,2"]` (or the post's attached images) → `gallery`.
fn gallery(sc: &Shortcode, w: &mut Work) -> String {
    let ids = sc.attr("ids").or(sc.attr("include"));
    let images: Vec<Media> = match ids {
        Some(ids) => ids
            .split(',')
            .filter_map(|id| {
                let found = w.lookup.attachment(id.trim());
                if found.is_none() {
                    w.notes.push((
                        0,
                        Kind::Files,
                        format!("image {} of a gallery is not in the export", id.trim()),
                    ));
                }
                found
            })
            .collect(),
        None => w.lookup.attached_images(w.post_id),
    };
    if images.is_empty() {
        return String::new();
    }
    let mut args = vec![
        (
            "images",
            Arg::List(images.iter().map(|m| m.url.clone()).collect()),
        ),
        (
            "alts",
            Arg::List(images.iter().map(|m| m.alt.clone()).collect()),
        ),
    ];
    if images.iter().any(|m| !m.caption.is_empty()) {
        args.push((
            "captions",
            Arg::List(images.iter().map(|m| m.caption.clone()).collect()),
        ));
    }
    w.block(call("gallery", &args))
}

/// A video address alone on a line (WordPress embeds it): `video`.
fn video_lines(text: &str, w: &mut Work) -> String {
    if !text.contains("http") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        let bare = t
            .strip_prefix("<p>")
            .and_then(|r| r.strip_suffix("</p>"))
            .unwrap_or(t);
        if !bare.contains(char::is_whitespace) && Video::from_url(bare).is_some() {
            out.push_str(&embed(bare, w));
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
    out
}

/// An `<img>`'s attributes.
#[derive(Debug, Default)]
struct Img {
    src: String,
    alt: String,
    width: Option<i64>,
}

/// The first `<img>` of an HTML fragment.
fn first_img(html: &str) -> Option<Img> {
    use lol_html::{element, rewrite_str, Settings};
    let found = std::cell::RefCell::new(None::<Img>);
    let settings = Settings::new().append_element_content_handler(element!("img[src]", |el| {
        let mut f = found.borrow_mut();
        if f.is_none() {
            *f = Some(Img {
                src: el.get_attribute("src").unwrap_or_default(),
                alt: el.get_attribute("alt").unwrap_or_default(),
                width: el.get_attribute("width").and_then(|v| v.parse().ok()),
            });
        }
        Ok(())
    }));
    let _ = rewrite_str(html, settings);
    found.into_inner()
}

/// Block-level elements WordPress's paragraph rule leaves alone.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dd",
    "dt",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "figure",
    "figcaption",
    "hr",
    "form",
    "address",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "iframe",
    "video",
    "audio",
    "script",
    "style",
    "details",
    "summary",
    "!--",
];

/// Does the chunk start with a block-level element?
fn starts_block(chunk: &str) -> bool {
    let Some(rest) = chunk.trim_start().strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    BLOCKS.iter().any(|b| {
        rest.get(..b.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(b))
            && rest[b.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// WordPress's paragraph rule for classic content: text separated by blank lines is a
/// paragraph, a single line end inside one is a `<br>`; block elements and `<pre>` stay as
/// they are.
pub fn autop(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut in_pre = false;
    for chunk in split_paragraphs(&separate_blocks(text)) {
        let t = chunk.trim();
        if t.is_empty() {
            continue;
        }
        let opens_pre = t.contains("<pre");
        let closes_pre = t.contains("</pre>");
        if in_pre || opens_pre || starts_block(t) {
            out.push_str(t);
        } else {
            out.push_str("<p>");
            out.push_str(&t.replace('\n', "<br />"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
        if opens_pre && !closes_pre {
            in_pre = true;
        } else if closes_pre {
            in_pre = false;
        }
    }
    out
}

/// Block elements that start or end in the middle of a paragraph get blank lines around them
/// (as WordPress does), so the text next to them becomes its own paragraph.
fn separate_blocks(text: &str) -> String {
    const SEPARATE: &[&str] = &[
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "blockquote",
        "table",
        "figure",
        "hr",
        "div",
        "form",
        "iframe",
        "section",
        "address",
        "p",
    ];
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    let mut in_pre = false;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag = &rest[i + 1..];
        let closing = tag.starts_with('/');
        let name_start = usize::from(closing);
        let name: String = tag[name_start..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let end = rest[i..].find('>').map_or(rest.len(), |e| i + e + 1);
        let known = SEPARATE.contains(&name.as_str());
        if known && !closing && !in_pre {
            out.push_str("\n\n");
        }
        out.push_str(&rest[i..end]);
        if known && closing && (!in_pre || name == "pre") {
            out.push_str("\n\n");
        }
        if name == "pre" {
            in_pre = !closing;
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Chunks between blank lines, never splitting inside `<pre>…</pre>`.
fn split_paragraphs(text: &str) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut in_pre = false;
    for line in text.split('\n') {
        if line.contains("<pre") {
            in_pre = true;
        }
        if line.contains("</pre>") {
            in_pre = false;
        }
        if line.trim().is_empty() && !in_pre {
            chunks.push(std::mem::take(&mut current));
            continue;
        }
        if !current.is_empty() {
            current.push('\n');
        }
        current.push_str(line);
    }
    chunks.push(current);
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Lookup for Fake {
        fn rewrite(&self, url: &str) -> Option<String> {
            url.strip_prefix("https://alt.example").map(str::to_string)
        }
        fn attachment(&self, id: &str) -> Option<Media> {
            (id == "7").then(|| Media {
                url: "/wp-content/uploads/2019/03/a.jpg".into(),
                alt: "A".into(),
                caption: "Cap".into(),
            })
        }
        fn attached_images(&self, _: &str) -> Vec<Media> {
            vec![]
        }
        fn reusable_block(&self, id: &str) -> Option<String> {
            (id == "99")
                .then(|| "<!-- wp:paragraph --><p>Wiederverwendet</p><!-- /wp:paragraph -->".into())
        }
    }

    #[test]
    fn classic_content_with_shortcodes() {
        let raw = "Erster Absatz\nmit Zeilenumbruch.\n\n[caption id=\"attachment_7\" align=\"alignnone\" width=\"300\"]<a href=\"https://alt.example/x/\"><img class=\"size-medium\" src=\"https://alt.example/wp-content/uploads/2019/03/a-300x200.jpg\" alt=\"Ein A\" width=\"300\" height=\"200\" /></a> Ein &amp; Bild[/caption]\n\nhttps://youtu.be/abcdefghijk\n\n[gallery ids=\"7,8\"]\n\n<!--more-->\n\n[contact-form-7 id=\"4\" title=\"Kontakt\"]\n\n[code language=\"php\"]echo $a &lt; 1;[/code]\n\nEnde.";
        let c = convert(raw, "1", &Fake);
        let m = &c.markdown;
        assert!(
            m.starts_with("Erster Absatz\\\nmit Zeilenumbruch.\n\n"),
            "{m}"
        );
        assert!(m.contains("{{ figure(src=\"/wp-content/uploads/2019/03/a-300x200.jpg\", alt=\"Ein A\", caption=\"Ein & Bild\", width=300) }}"), "{m}");
        assert!(
            m.contains("{{ video(url=\"https://youtu.be/abcdefghijk\") }}"),
            "{m}"
        );
        assert!(m.contains("{{ gallery(images=[\"/wp-content/uploads/2019/03/a.jpg\"], alts=[\"A\"], captions=[\"Cap\"]) }}"), "{m}");
        assert!(m.contains("\n<!--more-->\n"), "{m}");
        assert!(m.contains("contact-form-7"), "{m}");
        assert!(m.contains("```php\necho $a < 1;\n```"), "{m}");
        let texts: Vec<&str> = c.notes.iter().map(|n| n.2.as_str()).collect();
        assert_eq!(c.notes.len(), 2, "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("image 8")));
        assert!(texts
            .iter()
            .any(|t| t.contains("`[contact-form-7]` kept as text")));
    }

    #[test]
    fn block_content() {
        let raw = "<!-- wp:paragraph -->\n<p>Hallo <em>Welt</em></p>\n<!-- /wp:paragraph -->\n\n<!-- wp:embed {\"url\":\"https://vimeo.com/123456\",\"type\":\"video\",\"providerNameSlug\":\"vimeo\"} -->\n<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">\nhttps://vimeo.com/123456\n</div></figure>\n<!-- /wp:embed -->\n\n<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n<!-- wp:block {\"ref\":99} /-->\n\n<!-- wp:embed {\"url\":\"https://twitter.com/x/status/1\"} -->\n<figure></figure>\n<!-- /wp:embed -->\n";
        let c = convert(raw, "1", &Fake);
        assert_eq!(
            c.markdown,
            "Hallo *Welt*\n\n{{ video(url=\"https://vimeo.com/123456\") }}\n\n<!--more-->\n\nWiederverwendet\n\n[https://twitter.com/x/status/1](https://twitter.com/x/status/1)\n"
        );
        assert_eq!(c.notes.len(), 1);
    }

    #[test]
    fn paragraph_rule() {
        assert_eq!(
            autop("a\nb\n\n<h2>T</h2>\n\n<pre>x\n\ny</pre>\n\nc"),
            "<p>a<br />b</p>\n\n<h2>T</h2>\n\n<pre>x\n\ny</pre>\n\n<p>c</p>\n\n"
        );
        assert_eq!(
            autop("Liste:\n<ul>\n<li>a</li>\n</ul>\nDanach\nmehr"),
            "<p>Liste:</p>\n\n<ul>\n<li>a</li>\n</ul>\n\n<p>Danach<br />mehr</p>\n\n"
        );
    }
}
