//! HTML to markdown for imported content (WordPress posts, Jekyll's `.html` pages), with htmd:
//! links and image addresses rewritten first (lol_html), figures and galleries become kiosk's
//! `figure` and `gallery` shortcodes, a YouTube or Vimeo `<iframe>` the click-to-load `video`
//! shortcode, any other `<iframe>` a link (loading it would send every reader's address to
//! its host), and scripts, styles and forms are left out; each such change is a note.
//!
//! Shortcode calls are kept out of htmd's way as placeholders ([`Calls`]) that are put back
//! at the end, so nothing escapes them.

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::{Node, NodeData};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

/// Text put in place of a placeholder at the end: shortcode calls, `<!--more-->`, fenced code.
#[derive(Debug, Default, Clone)]
pub struct Calls {
    list: Vec<String>,
}

impl Calls {
    /// A placeholder for `text`: letters and digits only, which neither markdown nor htmd
    /// changes.
    pub fn token(&mut self, text: String) -> String {
        self.list.push(text);
        format!("kioskimport{}x", self.list.len() - 1)
    }

    /// `md` with every placeholder replaced by its text.
    pub fn resolve(&self, md: &str) -> String {
        if !md.contains("kioskimport") {
            return md.to_string();
        }
        let mut out = String::with_capacity(md.len());
        let mut rest = md;
        while let Some(i) = rest.find("kioskimport") {
            out.push_str(&rest[..i]);
            let after = &rest[i + "kioskimport".len()..];
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            let index = after[..digits].parse::<usize>().ok();
            match (
                index.and_then(|n| self.list.get(n)),
                after[digits..].starts_with('x'),
            ) {
                (Some(text), true) => {
                    out.push_str(text);
                    rest = &after[digits + 1..];
                }
                _ => {
                    out.push_str("kioskimport");
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// A shortcode argument.
pub enum Arg {
    /// `"text"`.
    Text(String),
    /// `["a", "b"]`.
    List(Vec<String>),
    /// `300`.
    Number(i64),
}

/// A quoted shortcode text: one line, `"` and `\` escaped.
fn quoted(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "\"{}\"",
        one_line.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// `{{ name(key="value", …) }}`, on one line (kiosk reads calls line by line).
pub fn call(name: &str, args: &[(&str, Arg)]) -> String {
    let args: Vec<String> = args
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Arg::Text(t) => quoted(t),
                Arg::Number(n) => n.to_string(),
                Arg::List(items) => format!(
                    "[{}]",
                    items
                        .iter()
                        .map(|i| quoted(i))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            format!("{k}={v}")
        })
        .collect();
    format!("{{{{ {name}({}) }}}}", args.join(", "))
}

/// A change the conversion made that the report lists: a text to find the place by in the
/// source (`<iframe`), and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What to look for in the source to find the line.
    pub needle: String,
    /// What happened.
    pub text: String,
}

/// The name of an element node.
fn tag(node: &Node) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

/// An attribute of an element node.
fn attr(node: &Node, key: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == key)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// Every element below `node` named `name`, in document order.
fn find_all(node: &Rc<Node>, name: &str, out: &mut Vec<Rc<Node>>) {
    for child in node.children.borrow().iter() {
        if tag(child).as_deref() == Some(name) {
            out.push(child.clone());
        }
        find_all(child, name, out);
    }
}

/// The plain text below `node`.
fn text_of(node: &Rc<Node>) -> String {
    let mut s = String::new();
    fn walk(n: &Rc<Node>, s: &mut String) {
        if let NodeData::Text { contents } = &n.data {
            s.push_str(&contents.borrow());
        }
        for c in n.children.borrow().iter() {
            walk(c, s);
        }
    }
    walk(node, &mut s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text below `node` exactly as written (line ends and spaces kept).
fn raw_text(node: &Rc<Node>, s: &mut String) {
    if let NodeData::Text { contents } = &node.data {
        s.push_str(&contents.borrow());
    }
    if tag(node).as_deref() == Some("br") {
        s.push('\n');
    }
    for c in node.children.borrow().iter() {
        raw_text(c, s);
    }
}

/// `<pre>` without `<code>` inside (WordPress's preformatted text, `<pre lang="php">` of
/// syntax plugins): a fenced block of its text; `<pre><code>` is htmd's.
fn pre(handlers: &dyn Handlers, el: Element) -> Option<HandlerResult> {
    let mut codes = Vec::new();
    find_all(el.node, "code", &mut codes);
    if !codes.is_empty() {
        return handlers.fallback(el);
    }
    let mut text = String::new();
    raw_text(el.node, &mut text);
    let text = text.trim_matches('\n');
    let lang = attr(el.node, "lang")
        .or_else(|| {
            attr(el.node, "class").and_then(|c| {
                c.split_whitespace().find_map(|w| {
                    w.strip_prefix("language-")
                        .or(w.strip_prefix("lang-"))
                        .map(str::to_string)
                })
            })
        })
        .unwrap_or_default();
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(3.max(longest + 1));
    Some(format!("\n\n{fence}{lang}\n{text}\n{fence}\n\n").into())
}

/// What the handlers share while one document is converted.
#[derive(Default)]
struct Shared {
    calls: Calls,
    changes: Vec<Change>,
}

type State = Arc<Mutex<Shared>>;

fn with<R>(state: &State, f: impl FnOnce(&mut Shared) -> R) -> Option<R> {
    state.lock().ok().map(|mut s| f(&mut s))
}

/// `<figure>`: one image → `figure`, several (a gallery) → `gallery`; anything else inside a
/// figure (an embed) is converted as it is.
fn figure(state: &State, handlers: &dyn Handlers, el: Element) -> Option<HandlerResult> {
    let mut imgs = Vec::new();
    find_all(el.node, "img", &mut imgs);
    let class = attr(el.node, "class").unwrap_or_default();
    if imgs.is_empty() {
        return Some(handlers.walk_children(el.node));
    }
    let mut captions = Vec::new();
    find_all(el.node, "figcaption", &mut captions);
    let text = if imgs.len() > 1 || class.contains("gallery") {
        // Each inner figure's caption belongs to its image; the last caption of the gallery
        // itself is not an image's.
        let mut inner = Vec::new();
        find_all(el.node, "figure", &mut inner);
        let caption_of = |img: &Rc<Node>| {
            inner
                .iter()
                .find(|f| {
                    let mut i = Vec::new();
                    find_all(f, "img", &mut i);
                    i.iter().any(|x| Rc::ptr_eq(x, img))
                })
                .and_then(|f| {
                    let mut c = Vec::new();
                    find_all(f, "figcaption", &mut c);
                    c.first().map(text_of)
                })
                .unwrap_or_default()
        };
        let srcs: Vec<String> = imgs
            .iter()
            .map(|i| attr(i, "src").unwrap_or_default())
            .collect();
        let alts: Vec<String> = imgs
            .iter()
            .map(|i| attr(i, "alt").unwrap_or_default())
            .collect();
        let caps: Vec<String> = imgs.iter().map(caption_of).collect();
        let mut args = vec![("images", Arg::List(srcs)), ("alts", Arg::List(alts))];
        if caps.iter().any(|c| !c.is_empty()) {
            args.push(("captions", Arg::List(caps)));
        }
        let gallery_caption = captions
            .iter()
            .find(|c| attr(c, "class").is_some_and(|k| k.contains("gallery")))
            .map(text_of);
        let mut out = call("gallery", &args);
        if let Some(c) = gallery_caption.filter(|c| !c.is_empty()) {
            out = format!("{out}\n\n*{c}*");
        }
        out
    } else {
        let img = &imgs[0];
        let mut args = vec![
            ("src", Arg::Text(attr(img, "src").unwrap_or_default())),
            ("alt", Arg::Text(attr(img, "alt").unwrap_or_default())),
        ];
        if let Some(c) = captions.first().map(text_of).filter(|c| !c.is_empty()) {
            args.push(("caption", Arg::Text(c)));
        }
        for dim in ["width", "height"] {
            if let Some(n) = attr(img, dim).and_then(|v| v.parse::<i64>().ok()) {
                args.push((dim, Arg::Number(n)));
            }
        }
        call("figure", &args)
    };
    let token = with(state, |s| s.calls.token(text))?;
    Some(format!("\n\n{token}\n\n").into())
}

/// `<iframe>`: a YouTube or Vimeo player → `video`; anything else → a link, never loaded.
fn iframe(state: &State, el: Element) -> Option<HandlerResult> {
    let src = attr(el.node, "src").unwrap_or_default();
    let title = attr(el.node, "title").filter(|t| !t.trim().is_empty());
    if !super::addresses::is_web(&src) {
        return left_out(
            state,
            "<iframe",
            "an <iframe> without a web address was left out",
        );
    }
    let out = match crate::text::video::Video::from_url(&src) {
        Some(_) => {
            let mut args = vec![("url", Arg::Text(src.clone()))];
            if let Some(t) = title {
                args.push(("title", Arg::Text(t)));
            }
            with(state, |s| s.calls.token(call("video", &args)))?
        }
        None => {
            let host = url::Url::parse(&src)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| src.clone());
            with(state, |s| {
                s.changes.push(Change {
                    needle: "<iframe".into(),
                    text: format!("an embedded page from {host} became a link (loading it would send every reader's address to {host})"),
                })
            })?;
            format!("[{}]({src})", title.unwrap_or(host))
        }
    };
    Some(format!("\n\n{out}\n\n").into())
}

/// `<object>` and `<embed>` (old Flash players and plugins): a YouTube or Vimeo film becomes
/// `video`; anything else is left out (no browser runs plugins any more).
fn object(state: &State, el: Element) -> Option<HandlerResult> {
    let mut src = attr(el.node, "data").or_else(|| attr(el.node, "src"));
    let mut params = Vec::new();
    find_all(el.node, "param", &mut params);
    for p in &params {
        if attr(p, "name").is_some_and(|n| n.eq_ignore_ascii_case("movie")) {
            src = src.or_else(|| attr(p, "value"));
        }
    }
    let mut embeds = Vec::new();
    find_all(el.node, "embed", &mut embeds);
    src = src.or_else(|| embeds.first().and_then(|e| attr(e, "src")));
    let src = src.unwrap_or_default();
    if super::addresses::is_web(&src) && crate::text::video::Video::from_url(&src).is_some() {
        let token = with(state, |s| {
            s.calls
                .token(call("video", &[("url", Arg::Text(src.clone()))]))
        })?;
        return Some(format!("\n\n{token}\n\n").into());
    }
    let what = format!(
        "an <{}> (a browser plugin such as Flash) was left out; no browser runs it any more",
        el.tag
    );
    left_out(state, &format!("<{}", el.tag), &what)
}

/// Scripts, styles, forms, inline drawings and templates: left out, and noted.
fn dropped(state: &State, el: Element) -> Option<HandlerResult> {
    let what = match el.tag {
        "script" => "a script was left out (kiosk pages run no scripts from the content)",
        "style" => "a <style> block was left out (styles belong in the theme)",
        "svg" => "an inline SVG drawing was left out (save it as an .svg file and show it as an image)",
        "template" | "noscript" => "a <template>/<noscript> block was left out (it is not shown to readers)",
        _ => "a form was left out (it sent its data to WordPress, which is gone; link your provider's form instead)",
    };
    left_out(state, &format!("<{}", el.tag), what)
}

/// Notes `what` at the first `needle` and leaves the element out.
fn left_out(state: &State, needle: &str, what: &str) -> Option<HandlerResult> {
    with(state, |s| {
        s.changes.push(Change {
            needle: needle.into(),
            text: what.into(),
        })
    })?;
    Some(String::new().into())
}

/// `<video>` and `<audio>` with their own files: kept as HTML (nothing is loaded from another
/// host once the address is local).
fn media(el: Element) -> Option<HandlerResult> {
    let mut src = attr(el.node, "src");
    if src.is_none() {
        let mut sources = Vec::new();
        find_all(el.node, "source", &mut sources);
        src = sources.first().and_then(|s| attr(s, "src"));
    }
    let src = src?;
    let html = format!(
        "<{t} controls preload=\"none\" src=\"{}\"></{t}>",
        crate::text::escape_html(&src),
        t = el.tag
    );
    Some(format!("\n\n{html}\n\n").into())
}

/// The converter, with kiosk's handlers.
fn converter(state: &State) -> HtmlToMarkdown {
    use htmd::options::{BrStyle, BulletListMarker, Options};
    let (s1, s2, s3, s4) = (state.clone(), state.clone(), state.clone(), state.clone());
    HtmlToMarkdown::builder()
        .options(Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            br_style: BrStyle::Backslash,
            ..Options::default()
        })
        .add_handler(vec!["figure"], move |h: &dyn Handlers, el: Element| {
            figure(&s1, h, el)
        })
        .add_handler(vec!["iframe"], move |_: &dyn Handlers, el: Element| {
            iframe(&s2, el)
        })
        .add_handler(
            vec!["script", "style", "form", "noscript", "svg", "template"],
            move |_: &dyn Handlers, el: Element| dropped(&s3, el),
        )
        .add_handler(
            vec!["object", "embed"],
            move |_: &dyn Handlers, el: Element| object(&s4, el),
        )
        .add_handler(vec!["video", "audio"], |_: &dyn Handlers, el: Element| {
            media(el)
        })
        .add_handler(vec!["pre"], pre)
        .build()
}

/// `html` as markdown; `calls` holds the placeholders already in it (and gets the new ones);
/// the changes made on the way are returned.
pub fn to_markdown(
    html: &str,
    calls: Calls,
    rewrite: &dyn Fn(&str) -> Option<String>,
) -> (String, Vec<Change>) {
    if nesting(html) > MAX_NESTING {
        // No real page nests so deep; converting it would exhaust the stack.
        let text = plain_text(html);
        let change = Change {
            needle: "<".into(),
            text: format!(
                "the HTML is nested more than {MAX_NESTING} elements deep: imported as plain text"
            ),
        };
        return (calls.resolve(&tidy(&text)), vec![change]);
    }
    let (html, changes) = super::addresses::rewrite_addresses(html, rewrite);
    let state: State = Arc::new(Mutex::new(Shared { calls, changes }));
    let md = converter(&state).convert(&html).unwrap_or_default();
    let shared = match Arc::try_unwrap(state) {
        Ok(m) => m.into_inner().unwrap_or_default(),
        Err(_) => Shared::default(),
    };
    let md = shared.calls.resolve(&md);
    (tidy(&md), shared.changes)
}

/// How deep HTML may nest before it is imported as plain text.
const MAX_NESTING: usize = 200;

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// The deepest nesting of elements in `html` (a quick count of start and end tags).
fn nesting(html: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        // Without a `>` further on, no tag follows (and searching again for each `<` would
        // take quadratic time).
        let Some(end) = rest.find('>') else {
            break;
        };
        let tag = &rest[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) || tag.ends_with('/') {
            continue;
        }
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            max = max.max(depth);
        }
    }
    max
}

/// HTML as one line of plain text (an excerpt, a caption).
pub fn one_line(html: &str) -> String {
    plain_text(html)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of HTML without any tag, references decoded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    crate::text::decode_entities(&out).into_owned()
}

/// At most one blank line in a row, no trailing spaces, one line end at the end.
fn tidy(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut blank = 0;
    for line in md.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_matches('\n').to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> (String, Vec<Change>) {
        to_markdown(html, Calls::default(), &|u: &str| {
            u.strip_prefix("https://alt.example").map(str::to_string)
        })
    }

    #[test]
    fn text_links_lists_and_code() {
        let (m, _) = md("<h2>Titel</h2><p>Ein <strong>fetter</strong> <a href=\"https://alt.example/ueber/\">Link</a>.<br>Neue Zeile</p><ul><li>eins</li><li>zwei</li></ul><pre class=\"wp-block-code\"><code class=\"language-php\">&lt;?php echo 1;</code></pre>");
        assert_eq!(
            m,
            "## Titel\n\nEin **fetter** [Link](/ueber/).\\\nNeue Zeile\n\n- eins\n- zwei\n\n```php\n<?php echo 1;\n```\n"
        );
    }

    #[test]
    fn figures_galleries_iframes_and_scripts() {
        let (m, changes) = md(concat!(
            "<figure class=\"wp-block-image\"><img src=\"https://alt.example/a.jpg\" alt=\"Ein &quot;A&quot;\" width=\"300\" srcset=\"x 2x\"><figcaption>Das <em>A</em></figcaption></figure>",
            "<figure class=\"wp-block-gallery\"><figure><img src=\"b.jpg\" alt=\"B\"><figcaption>Bee</figcaption></figure><figure><img src=\"c.jpg\" alt=\"\"></figure></figure>",
            "<iframe src=\"https://www.youtube.com/embed/abcdefghijk\" title=\"Film\"></iframe>",
            "<iframe src=\"https://maps.example.com/embed?x=1\"></iframe>",
            "<script>alert(1)</script><p>Ende</p>"
        ));
        assert!(
            m.contains(
                "{{ figure(src=\"/a.jpg\", alt=\"Ein \\\"A\\\"\", caption=\"Das A\", width=300) }}"
            ),
            "{m}"
        );
        assert!(m.contains("{{ gallery(images=[\"b.jpg\", \"c.jpg\"], alts=[\"B\", \"\"], captions=[\"Bee\", \"\"]) }}"), "{m}");
        assert!(
            m.contains(
                "{{ video(url=\"https://www.youtube.com/embed/abcdefghijk\", title=\"Film\") }}"
            ),
            "{m}"
        );
        assert!(
            m.contains("[maps.example.com](https://maps.example.com/embed?x=1)"),
            "{m}"
        );
        assert!(!m.contains("alert"), "{m}");
        assert!(m.ends_with("Ende\n"));
        let (pre, _) = md("<p>Rezept:</p><pre lang=\"txt\">Mehl\n\n  Salz</pre>");
        assert_eq!(pre, "Rezept:\n\n```txt\nMehl\n\n  Salz\n```\n");
        assert_eq!(changes.len(), 2, "{changes:?}");
    }

    #[test]
    fn code_addresses_plugins_and_drawings_are_left_out_with_notes() {
        let (m, changes) = md(concat!(
            "<p><a href=\"javascript:alert(1)\">Klick</a> und <a href=\" JaVa\tScript:x\">zwei</a> ",
            "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">drei</a> <a href=\"/ok/\">vier</a></p>",
            "<p><img src=\"data:image/svg+xml;base64,AAAA\" alt=\"svg\"><img src=\"data:image/png;base64,AAAA\" alt=\"png\"></p>",
            "<iframe src=\"javascript:alert(2)\"></iframe><iframe></iframe>",
            "<object data=\"https://www.youtube.com/v/abcdefghijk\"><param name=\"movie\" value=\"x\"></object>",
            "<embed src=\"https://flash.example/game.swf\">",
            "<svg><circle r=\"4\"/></svg><template><p>nie</p></template><p>Ende</p>"
        ));
        assert!(m.starts_with("Klick und zwei drei [vier](/ok/)"), "{m}");
        assert!(!m.contains("javascript") && !m.contains("JaVa"), "{m}");
        assert!(!m.contains("svg") && m.contains("data:image/png"), "{m}");
        assert!(
            m.contains("{{ video(url=\"https://www.youtube.com/v/abcdefghijk\") }}"),
            "{m}"
        );
        assert!(
            !m.contains("swf") && !m.contains("nie") && !m.contains("circle"),
            "{m}"
        );
        let texts: Vec<&str> = changes.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts.iter().filter(|t| t.contains("was removed")).count(),
            4,
            "{texts:?}"
        );
        assert_eq!(
            texts
                .iter()
                .filter(|t| t.contains("without a web address"))
                .count(),
            2
        );
        assert!(texts.iter().any(|t| t.contains("<embed>")), "{texts:?}");
        assert!(texts.iter().any(|t| t.contains("SVG")), "{texts:?}");
    }

    #[test]
    fn deep_nesting_is_plain_text() {
        let deep = format!("{}Tief{}", "<div>".repeat(3000), "</div>".repeat(3000));
        let (m, changes) = md(&deep);
        assert_eq!(m, "Tief\n");
        assert!(changes[0].text.contains("nested more than 200"));
        assert_eq!(nesting("<p>a<br>b<img src=x><em>c</em></p>"), 2);
    }

    #[test]
    fn placeholders_come_back_exactly() {
        let mut calls = Calls::default();
        let t = calls.token("{{ hinweis(text=\"*x*\") }}".into());
        let html = format!("<p>{t}</p><p>a kioskimport99x b</p>");
        let (m, _) = to_markdown(&html, calls, &|_| None);
        assert_eq!(m, "{{ hinweis(text=\"*x*\") }}\n\na kioskimport99x b\n");
    }
}
