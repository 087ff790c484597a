//! Markdown: pulldown-cmark with tables, footnotes, strikethrough, task lists and heading
//! attributes, run through small passes: heading ids and anchors, highlighted code, `@/` links,
//! typographic quotes for the site language, word count and the `<!-- more -->` summary.

pub(crate) mod foreign;
pub mod highlight;
pub mod shortcodes;

use crate::error::Diagnostic;
use crate::locale::{Locale, QuoteStyle};
use crate::text::slug::slugify;
use crate::text::{escape_html, LineIndex};
use highlight::Highlighter;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::collections::BTreeSet;
use std::ops::Range;

/// One heading, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u32,
    /// Element id (anchor).
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
}

/// What markdown rendering produces for one file.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// HTML before `<!-- more -->`, when the marker is there.
    pub summary: Option<String>,
    /// Headings in order.
    pub toc: Vec<Heading>,
    /// Words of prose (code not counted).
    pub word_count: usize,
    /// Minutes at 200 words a minute, at least 1.
    pub reading_time: usize,
    /// Element ids a link may point at.
    pub ids: BTreeSet<String>,
}

/// A `@/page.md#anchor` link whose anchor must be checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRef {
    /// `content/`-relative path of the target.
    pub target: String,
    /// The anchor.
    pub anchor: String,
    /// File line of the link.
    pub line: usize,
    /// Column of the link.
    pub col: usize,
}

/// What the renderer needs to know about its surroundings.
pub struct Context<'a> {
    /// Site language: quotes, labels.
    pub locale: &'a Locale,
    /// The file being rendered, for messages.
    pub file: &'a str,
    /// File line on which the markdown starts.
    pub first_line: usize,
    /// Resolves a `content/`-relative path to a URL.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// The code highlighter.
    pub highlighter: &'a Highlighter,
    /// Is this a shortcode name?
    pub is_shortcode: &'a (dyn Fn(&str) -> bool + Sync),
    /// Renders a shortcode call.
    pub shortcode: &'a (dyn Fn(&shortcodes::Call) -> Result<String, String> + Sync),
}

/// Result of rendering one file.
#[derive(Debug, Default)]
pub struct Output {
    /// The rendered page content.
    pub rendered: Rendered,
    /// Anchors to check later.
    pub anchors: Vec<AnchorRef>,
    /// Problems, located in the file.
    pub diagnostics: Vec<Diagnostic>,
}

/// The markdown features kiosk turns on. Not `Options::all()`: some extensions have superlinear
/// worst cases.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_DEFINITION_LIST
}

/// Renders `md`.
pub fn render(md: &str, ctx: &Context) -> Output {
    let mut out = Output::default();
    let src_lines = LineIndex::new(md);
    let (md, foreign) = foreign::convert(md);
    for f in foreign {
        let (l, c) = src_lines.locate(f.offset);
        out.diagnostics.push(Diagnostic::warning(
            ctx.file,
            ctx.first_line + l,
            c,
            f.message,
        ));
    }
    // Converting highlight blocks keeps every line where it was: lines of `md` are the file's.
    let src_lines = LineIndex::new(&md);
    let (extracted, sc_errors) = shortcodes::extract(&md, ctx.is_shortcode);
    for (off, msg) in sc_errors {
        let (l, c) = src_lines.locate(off);
        out.diagnostics
            .push(Diagnostic::error(ctx.file, ctx.first_line + l, c, msg));
    }
    for (off, name) in &extracted.unknown {
        let (l, c) = src_lines.locate(*off);
        out.diagnostics.push(Diagnostic::warning(
            ctx.file,
            ctx.first_line + l,
            c,
            format!("`{{{{ {name}(…) }}}}` is not a shortcode of this site (templates/shortcodes/{name}.html) or the theme; it is published as text"),
        ));
    }
    let mut sc_outputs = Vec::with_capacity(extracted.calls.len());
    for call in &extracted.calls {
        match (ctx.shortcode)(call) {
            Ok(html) => sc_outputs.push(html),
            Err(msg) => {
                let (l, c) = src_lines.locate(call.offset);
                out.diagnostics
                    .push(Diagnostic::error(ctx.file, ctx.first_line + l, c, msg));
                sc_outputs.push(String::new());
            }
        }
    }

    let text = &extracted.text;
    let lines = LineIndex::new(text);
    let events: Vec<(Event, Range<usize>)> = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    let events = headings(events, ctx.locale, &mut out.rendered);
    let mut pass = Pass {
        ctx,
        src: text,
        lines: &lines,
        out: &mut out,
        quotes: Quotes::default(),
        more_at: None,
        more_close: Vec::new(),
        open: Vec::new(),
        words: 0,
    };
    let events = pass.run(events);
    let more_at = pass.more_at;
    let more_close = std::mem::take(&mut pass.more_close);
    let words = pass.words;

    let (html, summary) = html_and_summary(events, more_at, more_close, &sc_outputs);
    out.rendered.summary = summary;
    out.rendered.html = html;
    out.rendered.word_count = words;
    out.rendered.reading_time = words.div_ceil(200).max(1);
    out
}

/// The page's HTML, and its summary when a `<!-- more -->` is at event `more_at` (with the tags
/// open there closed); shortcode output put in.
fn html_and_summary(
    events: Vec<Event>,
    more_at: Option<usize>,
    more_close: Vec<TagEnd>,
    sc_outputs: &[String],
) -> (String, Option<String>) {
    let mut html = String::new();
    let mut summary = None;
    match more_at {
        Some(i) => {
            pulldown_cmark::html::push_html(&mut html, events[..i].iter().cloned());
            let mut closed = html.clone();
            let closers = more_close.into_iter().map(Event::End);
            pulldown_cmark::html::push_html(&mut closed, closers);
            summary = Some(shortcodes::substitute(&closed, sc_outputs));
            pulldown_cmark::html::push_html(&mut html, events[i..].iter().cloned());
        }
        None => pulldown_cmark::html::push_html(&mut html, events.into_iter()),
    }
    if !sc_outputs.is_empty() {
        html = shortcodes::substitute(&html, sc_outputs);
    }
    (html, summary)
}

/// Renders a small markdown text (a bio, a field from front matter) without links or shortcodes.
pub fn snippet(s: &str, locale: &Locale) -> String {
    static HL: std::sync::OnceLock<highlight::Highlighter> = std::sync::OnceLock::new();
    let h = HL.get_or_init(|| highlight::Highlighter::new(None));
    let resolve = |_: &str| None;
    let no = |_: &str| false;
    let none = |_: &shortcodes::Call| Ok(String::new());
    let ctx = Context {
        locale,
        file: "",
        first_line: 1,
        resolve: &resolve,
        highlighter: h,
        is_shortcode: &no,
        shortcode: &none,
    };
    render(s, &ctx).rendered.html
}

/// `<!-- more -->` in any spacing and case (`<!--more-->` is WordPress's own form).
fn is_more(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|r| r.strip_suffix("-->"))
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("more"))
}

fn level_num(l: HeadingLevel) -> u32 {
    l as u32
}

/// Gives every heading an id (its own `{#id}` or a unique slug of its text) and an anchor link.
fn headings<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    locale: &Locale,
    r: &mut Rendered,
) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len() + 16);
    let label = locale.text("heading.anchor_label");
    let mut next_suffix: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    let mut iter = events.into_iter();
    while let Some((ev, range)) = iter.next() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = ev
        else {
            out.push((ev, range));
            continue;
        };
        let mut inner = Vec::new();
        let mut end = None;
        for (e, rg) in iter.by_ref() {
            if matches!(e, Event::End(TagEnd::Heading(_))) {
                end = Some((e, rg));
                break;
            }
            inner.push((e, rg));
        }
        let title: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let base = match id {
            Some(id) => id.to_string(),
            None => {
                let s = slugify(&title);
                if s.is_empty() {
                    locale.text("heading.fallback_id").to_string()
                } else {
                    s
                }
            }
        };
        // The next free suffix of each base is remembered: 50,000 equal headings stay linear.
        let mut unique = base.clone();
        let n = next_suffix.entry(base.clone()).or_insert(1);
        while r.ids.contains(&unique) {
            unique = format!("{base}-{n}");
            *n += 1;
        }
        r.ids.insert(unique.clone());
        r.toc.push(Heading {
            level: level_num(level),
            id: unique.clone(),
            title: title.trim().to_string(),
        });
        let anchor = format!(
            " <a class=\"anchor\" href=\"#{}\" aria-label=\"{label}\">#</a>",
            escape_html(&unique)
        );
        out.push((
            Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(unique)),
                classes,
                attrs,
            }),
            range.clone(),
        ));
        out.extend(inner);
        out.push((Event::InlineHtml(CowStr::from(anchor)), range));
        out.extend(end);
    }
    out
}

#[derive(Default)]
struct Quotes {
    single_open: bool,
}

impl Quotes {
    /// Turns pulldown-cmark's English curly quotes into German ones.
    fn german(&mut self, s: &str) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::with_capacity(s.len() + 4);
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '\u{201c}' => out.push('\u{201e}'),
                '\u{201d}' => out.push('\u{201c}'),
                '\u{2018}' => {
                    self.single_open = true;
                    out.push('\u{201a}');
                }
                '\u{2019}' => {
                    let next_is_letter = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                    if self.single_open && !next_is_letter {
                        self.single_open = false;
                        out.push('\u{2018}');
                    } else {
                        out.push('\u{2019}');
                    }
                }
                c => out.push(c),
            }
        }
        out
    }
}

struct Pass<'c, 'o> {
    ctx: &'c Context<'c>,
    /// The markdown the events come from.
    src: &'c str,
    lines: &'c LineIndex,
    out: &'o mut Output,
    quotes: Quotes,
    more_at: Option<usize>,
    /// Tags open at a `<!--more-->` inside a paragraph, innermost first.
    more_close: Vec<TagEnd>,
    /// Tags open at the current event.
    open: Vec<TagEnd>,
    words: usize,
}

impl Pass<'_, '_> {
    fn error_at(&mut self, offset: usize, msg: String) {
        let (l, c) = self.lines.locate(offset);
        self.out.diagnostics.push(Diagnostic::error(
            self.ctx.file,
            self.ctx.first_line + l,
            c,
            msg,
        ));
    }

    fn run<'a>(&mut self, events: Vec<(Event<'a>, Range<usize>)>) -> Vec<Event<'a>> {
        let mut out = Vec::with_capacity(events.len());
        let mut iter = events.into_iter();
        while let Some((ev, range)) = iter.next() {
            let ev = match ev {
                Event::Start(Tag::CodeBlock(kind)) => self.code_block(&kind, &mut iter),
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Link {
                    link_type,
                    dest_url: self.rewrite(dest_url, range.start),
                    title,
                    id,
                }),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => Event::Start(Tag::Image {
                    link_type,
                    dest_url: self.rewrite(dest_url, range.start),
                    title,
                    id,
                }),
                Event::Text(t) => self.text(t, &range),
                Event::Code(t) => Event::Code(match crate::text::clean(&t) {
                    std::borrow::Cow::Borrowed(_) => t,
                    std::borrow::Cow::Owned(c) => CowStr::from(c),
                }),
                Event::TaskListMarker(done) => self.task(done),
                Event::End(TagEnd::Paragraph) => {
                    self.quotes = Quotes::default();
                    ev
                }
                Event::Html(h) if is_more(&h) => {
                    if self.more_at.is_none() {
                        self.more_at = Some(out.len());
                    }
                    Event::Html(h)
                }
                // Inside a paragraph, the summary ends at the marker (as in WordPress), with
                // the paragraph and any emphasis or link around it closed.
                Event::InlineHtml(h) if is_more(&h) => {
                    if self.more_at.is_none() {
                        self.more_at = Some(out.len());
                        self.more_close = self.open.iter().rev().cloned().collect();
                    }
                    Event::InlineHtml(h)
                }
                // Raw HTML too never carries characters no page may hold.
                Event::Html(h) if h.chars().any(crate::text::is_forbidden) => {
                    Event::Html(CowStr::from(crate::text::clean(&h).into_owned()))
                }
                Event::InlineHtml(h) if h.chars().any(crate::text::is_forbidden) => {
                    Event::InlineHtml(CowStr::from(crate::text::clean(&h).into_owned()))
                }
                other => other,
            };
            match &ev {
                Event::Start(t) => self.open.push(t.to_end()),
                Event::End(_) => {
                    self.open.pop();
                }
                _ => {}
            }
            out.push(ev);
        }
        out
    }

    /// A fenced or indented code block, highlighted as one HTML event.
    fn code_block<'a>(
        &mut self,
        kind: &CodeBlockKind,
        iter: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>,
    ) -> Event<'a> {
        let mut code = String::new();
        for (e, _) in iter.by_ref() {
            match e {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next(),
            CodeBlockKind::Indented => None,
        };
        let code = crate::text::clean(&code);
        Event::Html(CowStr::from(self.ctx.highlighter.block(&code, lang)))
    }

    /// Prose: cleaned of characters no page may hold, counted, and given the language's
    /// quotation marks where the author typed straight ones (`"`, `'`); quotation marks the
    /// author typed as they should look stay exactly as written.
    fn text<'a>(&mut self, t: CowStr<'a>, range: &Range<usize>) -> Event<'a> {
        let t = match crate::text::clean(&t) {
            std::borrow::Cow::Borrowed(_) => t,
            std::borrow::Cow::Owned(c) => CowStr::from(c),
        };
        self.words += t
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        let german = self.ctx.locale.quotes() == QuoteStyle::German;
        let typed_straight = matches!(self.src.get(range.clone()), Some("\"" | "'"));
        if german && typed_straight {
            Event::Text(CowStr::from(self.quotes.german(&t)))
        } else {
            Event::Text(t)
        }
    }

    /// A checkbox with an accessible name (pulldown-cmark's has none).
    fn task<'a>(&self, done: bool) -> Event<'a> {
        let (label, checked) = if done {
            (self.ctx.locale.text("task.done"), " checked")
        } else {
            (self.ctx.locale.text("task.open"), "")
        };
        Event::InlineHtml(CowStr::from(format!(
            "<input type=\"checkbox\" disabled{checked} aria-label=\"{label}\"> "
        )))
    }

    /// A link or image target with `@/` links resolved.
    fn rewrite<'a>(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        match self.link(&dest, offset) {
            Some(url) => CowStr::from(url),
            None => dest,
        }
    }

    /// Resolves `@/path.md#anchor` to the target's URL; other links are left alone.
    fn link(&mut self, dest: &str, offset: usize) -> Option<String> {
        let rest = dest.strip_prefix("@/")?;
        let (path, anchor) = match rest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (rest, None),
        };
        match (self.ctx.resolve)(path) {
            Some(url) => {
                if let Some(a) = anchor {
                    let (l, c) = self.lines.locate(offset);
                    self.out.anchors.push(AnchorRef {
                        target: path.to_string(),
                        anchor: a.to_string(),
                        line: self.ctx.first_line + l,
                        col: c,
                    });
                    Some(format!("{url}#{a}"))
                } else {
                    Some(url)
                }
            }
            None => {
                self.error_at(
                    offset,
                    format!("internal link to `@/{path}`: no such page or section in content/"),
                );
                Some(String::from("#"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_with(md: &str, lang: &str) -> Output {
        let h = Highlighter::new(None);
        let locale = Locale::new(lang);
        let resolve = |p: &str| (p == "blog/a.md").then(|| "https://e.org/blog/a/".to_string());
        let known = |n: &str| n == "note";
        let sc = |c: &shortcodes::Call| {
            Ok(format!(
                "<aside>{}</aside>",
                c.args["text"].as_str().unwrap_or("")
            ))
        };
        let ctx = Context {
            locale: &locale,
            file: "content/x.md",
            first_line: 5,
            resolve: &resolve,
            highlighter: &h,
            is_shortcode: &known,
            shortcode: &sc,
        };
        render(md, &ctx)
    }

    #[test]
    fn headings_get_unique_ids_and_anchors() {
        let o = render_with("# Über uns\n\n## Über uns\n\n## Eigene {#mein-id}\n", "de");
        let ids: Vec<&str> = o.rendered.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["ueber-uns", "ueber-uns-1", "mein-id"]);
        assert!(o
            .rendered
            .html
            .contains("<h1 id=\"ueber-uns\">Über uns <a class=\"anchor\" href=\"#ueber-uns\""));
    }

    #[test]
    fn german_quotes() {
        let o = render_with("Sie sagte \"Hallo\" und 'tschüss', geht's?\n", "de");
        assert!(o.rendered.html.contains("„Hallo“"), "{}", o.rendered.html);
        assert!(o.rendered.html.contains("‚tschüss‘"), "{}", o.rendered.html);
        assert!(o.rendered.html.contains("geht’s"), "{}", o.rendered.html);
        // Quotation marks typed as they should look are never changed.
        let typed =
            "„Deutsche Anführungszeichen“, ‚einfache‘, „so“ und nicht \"so\", it’s “English”.\n";
        let o = render_with(typed, "de");
        assert!(
            o.rendered.html.contains(
                "„Deutsche Anführungszeichen“, ‚einfache‘, „so“ und nicht „so“, it’s “English”."
            ),
            "{}",
            o.rendered.html
        );
        let en = render_with("She said \"hi\"\n", "en");
        assert!(en.rendered.html.contains("“hi”"));
    }

    #[test]
    fn internal_links_resolve_or_fail_with_line() {
        let o = render_with(
            "Text\n\n[a](@/blog/a.md#teil) [b](@/blog/missing.md)\n",
            "de",
        );
        assert!(o
            .rendered
            .html
            .contains("href=\"https://e.org/blog/a/#teil\""));
        assert_eq!(o.anchors.len(), 1);
        assert_eq!(o.anchors[0].line, 7);
        assert_eq!(o.diagnostics.len(), 1);
        assert_eq!(o.diagnostics[0].line, 7);
        assert_eq!(o.diagnostics[0].col, 23);
        assert!(o.diagnostics[0].message.contains("blog/missing.md"));
    }

    #[test]
    fn summary_word_count_and_reading_time() {
        let o = render_with(
            "Eins zwei drei.\n\n<!-- more -->\n\nVier fünf.\n\n```rust\nfn x() {}\n```\n",
            "de",
        );
        assert_eq!(
            o.rendered.summary.as_deref(),
            Some("<p>Eins zwei drei.</p>\n")
        );
        assert_eq!(o.rendered.word_count, 5);
        assert_eq!(o.rendered.reading_time, 1);
        assert!(o.rendered.html.contains("z-code"));
    }

    #[test]
    fn summary_marker_in_any_spacing() {
        for marker in ["<!--more-->", "<!-- more -->", "<!--  MORE  -->"] {
            let o = render_with(&format!("Eins.\n\n{marker}\n\nZwei.\n"), "de");
            assert_eq!(
                o.rendered.summary.as_deref(),
                Some("<p>Eins.</p>\n"),
                "{marker}"
            );
        }
        // Inside a paragraph the summary ends at the marker, every open tag closed.
        let inline = render_with("Eins **fett<!--more--> zwei**.\n\nDrei.\n", "de");
        assert_eq!(
            inline.rendered.summary.as_deref(),
            Some("<p>Eins <strong>fett</strong></p>\n")
        );
        assert!(inline
            .rendered
            .html
            .contains("zwei</strong>.</p>\n<p>Drei.</p>"));
    }

    #[test]
    fn raw_html_shortcodes_and_template_text() {
        let o = render_with("<div class=\"x\">roh</div>\n\n{{ note(text=\"Hinweis\") }}\n\n{{ page.title }} {% raw %}\n", "de");
        let h = &o.rendered.html;
        assert!(h.contains("<div class=\"x\">roh</div>"));
        assert!(h.contains("<aside>Hinweis</aside>\n"), "{h}");
        assert!(!h.contains("<p><aside>"));
        assert!(h.contains("{{ page.title }} {% raw %}"));
    }

    #[test]
    fn gfm_extensions() {
        let o = render_with(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~weg~~ Fußnote[^1]\n\n[^1]: Text\n",
            "de",
        );
        let h = &o.rendered.html;
        assert!(h.contains("<table>"));
        assert!(
            h.contains("<input type=\"checkbox\" disabled checked aria-label=\"Erledigt\">"),
            "{h}"
        );
        assert!(h.contains("<del>weg</del>"));
        assert!(h.contains("footnote"));
    }
}
