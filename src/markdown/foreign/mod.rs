//! Template code of other generators in markdown: Hugo shortcodes (`{{< … >}}`, `{{% … %}}`),
//! Liquid and Zola tags (`{% … %}`, `{{ … }}`), WordPress shortcodes (`[gallery …]`,
//! `[contact-form-7 id="…"]`, `[su_button]…[/su_button]`) and kramdown's extras (`{:toc}`,
//! `{: .class}`, `*[ABBR]:`). kiosk does not run them: each is a warning at its place, naming it
//! and the kiosk way to write it, and stays text. Where the meaning is clear, it is converted,
//! line for line (so every later line number is the file's):
//!
//! - `{{< highlight lang >}}`, `{{< code lang="…" >}}` and `{% highlight lang %}` blocks become
//!   fenced code (never markdown); Liquid's `{% raw %}`/`{% endraw %}` tags are dropped;
//! - a Liquid `{% comment %}…{% endcomment %}` is left out of the page (with a warning);
//! - Hugo's and Zola's escaped calls (`{{</* x */>}}`, `{{/* x() */}}`) show as the call itself;
//! - kramdown's `{: #id .class}` under a heading becomes kiosk's `{#id .class}`; `{:toc}` and
//!   other attribute lists and abbreviations are left out (with a warning).
//!
//! Code spans and blocks are never warned about.

mod find;
pub(crate) use find::WORDPRESS;

use crate::text::video::Video;
use find::{closing_names, scan_line};
use std::borrow::Cow;
use std::ops::Range;

/// One construct kiosk does not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    /// Byte offset in the markdown.
    pub offset: usize,
    /// The warning.
    pub message: String,
}

/// The first word of a tag's inside (`highlight go` → `highlight`).
fn tag_name(inside: &str) -> &str {
    let t = inside.trim().trim_start_matches(['/', '-']).trim_start();
    let end = t
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(t.len());
    &t[..end]
}

/// The inside of a line that is only a Hugo or Liquid tag.
fn tag_inside(line: &str) -> Option<&str> {
    let t = line.trim();
    Some(
        t.strip_prefix("{{<")
            .and_then(|r| r.strip_suffix(">}}"))
            .or_else(|| t.strip_prefix("{{%").and_then(|r| r.strip_suffix("%}}")))
            .or_else(|| t.strip_prefix("{%").and_then(|r| r.strip_suffix("%}")))?
            .trim()
            .trim_matches('-')
            .trim(),
    )
}

/// An opening or closing highlight line: `Some((closing, lang, options kiosk drops))`.
fn highlight_tag(line: &str) -> Option<(bool, String, Vec<String>)> {
    let inside = tag_inside(line)?;
    let mut words = inside.split_whitespace();
    match words.next()? {
        "highlight" | "code" => {
            let mut lang = None;
            let mut dropped = Vec::new();
            for w in words {
                let w = w.trim_matches([',', '"', '\'']);
                for part in w.split(',') {
                    let name = part
                        .split('=')
                        .next()
                        .unwrap_or("")
                        .trim_matches(['"', '\'']);
                    match part.split_once('=') {
                        Some(("lang" | "language", v)) => lang = Some(v.trim_matches(['"', '\''])),
                        _ if matches!(
                            name,
                            "linenos" | "hl_lines" | "linenostart" | "anchorlinenos" | "mark"
                        ) =>
                        {
                            dropped.push(name.to_string());
                        }
                        Some(_) => {}
                        None if lang.is_none() && !part.is_empty() => lang = Some(part),
                        None => {}
                    }
                }
            }
            dropped.dedup();
            Some((false, lang.unwrap_or("").to_string(), dropped))
        }
        "/highlight" | "/code" | "endhighlight" => Some((true, String::new(), Vec::new())),
        _ => None,
    }
}

/// Is the line only Liquid's `{% raw %}` or `{% endraw %}`?
fn raw_tag(s: &str) -> bool {
    tag_inside(s).is_some_and(|r| matches!(r, "raw" | "endraw"))
}

/// Where a Liquid tag named `name` starts and ends in `s`.
fn find_tag(s: &str, name: &str) -> Option<Range<usize>> {
    let mut from = 0;
    while let Some(i) = s[from..].find("{%").map(|i| from + i) {
        let end = s[i + 2..].find("%}").map(|e| i + 2 + e + 2)?;
        if s[i + 2..end - 2].trim().trim_matches('-').trim() == name {
            return Some(i..end);
        }
        from = end;
    }
    None
}

/// Hugo's and Zola's escaped calls shown as the call itself: `{{</* x */>}}` → `{{< x >}}`. In
/// prose the first brace is written `&#123;`, so nothing later reads the result as a call; in
/// code (`in_code`) it is plain.
fn unescape(s: &str, in_code: bool) -> Cow<'_, str> {
    const PAIRS: [(&str, &str, &str, &str); 4] = [
        ("{{</*", "*/>}}", "{<", ">}}"),
        ("{{%/*", "*/%}}", "{%", "%}}"),
        ("{{/*", "*/}}", "{", "}}"),
        ("{%/*", "*/%}", "%", "%}"),
    ];
    if !s.contains("/*") {
        return Cow::Borrowed(s);
    }
    let brace = if in_code { "{" } else { "&#123;" };
    let mut out = s.to_string();
    for (open, close, open_rest, close_new) in PAIRS {
        while let Some(i) = out.find(open) {
            let Some(j) = out[i..].find(close).map(|j| i + j) else {
                break;
            };
            let inner = out[i + open.len()..j].to_string();
            out.replace_range(
                i..j + close.len(),
                &format!("{brace}{open_rest}{inner}{close_new}"),
            );
        }
    }
    Cow::Owned(out)
}

/// [`unescape`] for a prose line: code spans in it are unescaped as code.
fn unescape_line(line: &str) -> Cow<'_, str> {
    if !line.contains("/*") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(i) = rest.find('`') {
        out.push_str(&unescape(&rest[..i], false));
        let run = rest[i..].chars().take_while(|c| *c == '`').count();
        let closing = "`".repeat(run);
        match rest[i + run..].find(&closing) {
            Some(e) => {
                let end = i + run + e + run;
                out.push_str(&unescape(&rest[i..end], true));
                rest = &rest[end..];
            }
            None => {
                out.push_str(&rest[i..i + run]);
                rest = &rest[i + run..];
            }
        }
    }
    out.push_str(&unescape(rest, false));
    Cow::Owned(out)
}

/// A kramdown attribute list line (`{: #id .class}`, `{:toc}`): its inside.
fn attribute_list(line: &str) -> Option<&str> {
    let t = line.trim();
    t.strip_prefix("{:")?.strip_suffix('}').map(str::trim)
}

/// What the converter keeps across lines.
#[derive(Default)]
struct State {
    out: String,
    found: Vec<Foreign>,
    fence: Option<(char, usize)>,
    highlight: Option<String>,
    comment: bool,
    /// Code blocks and spans of the markdown, where a comment tag is text (only looked for
    /// when the markdown names a comment tag at all).
    code: Vec<Range<usize>>,
    /// Where the previous line starts in `out`.
    last_line: usize,
}

impl State {
    fn warn(&mut self, offset: usize, message: String) {
        self.found.push(Foreign { offset, message });
    }

    /// Replaces the previous output line (without its line end).
    fn replace_last(&mut self, text: &str) {
        let nl = self.out[self.last_line..].ends_with('\n');
        self.out.truncate(self.last_line);
        self.out.push_str(text);
        if nl {
            self.out.push('\n');
        }
    }

    fn last(&self) -> &str {
        self.out[self.last_line..].trim_end_matches('\n')
    }

    /// A line inside a Liquid comment, or one that starts one.
    fn comment_line(&mut self, body: &str, nl: &str, offset: usize) -> bool {
        if self.comment {
            if let Some(end) = find_tag(body, "endcomment") {
                self.comment = false;
                self.out.push_str(&body[end.end..]);
            }
            self.out.push_str(nl);
            return true;
        }
        let Some(start) = find_tag(body, "comment") else {
            return false;
        };
        if in_ranges(&self.code, offset + start.start) {
            return false;
        }
        self.warn(
            offset + start.start,
            "Liquid comment `{% comment %}`: it is left out of the page".into(),
        );
        self.out.push_str(&body[..start.start]);
        match find_tag(&body[start.end..], "endcomment") {
            Some(end) => self.out.push_str(&body[start.end + end.end..]),
            None => self.comment = true,
        }
        self.out.push_str(nl);
        true
    }

    /// kramdown's `{: …}`, `{:toc}` and `*[ABBR]: …` lines.
    fn kramdown_line(&mut self, body: &str, nl: &str, offset: usize) -> bool {
        if let Some(inside) = attribute_list(body) {
            let last = self.last().to_string();
            let heading = last.trim_start().starts_with('#') && !last.contains("{#");
            let plain = inside
                .split_whitespace()
                .all(|w| w.starts_with('#') || w.starts_with('.'));
            if inside.starts_with("toc") {
                let item = last
                    .trim_start()
                    .trim_start_matches(['*', '-', '+', '1', '.'])
                    .trim();
                if !item.is_empty() && last.trim_start().len() > item.len() {
                    self.replace_last("");
                }
                self.warn(
                    offset,
                    "kramdown's `{:toc}`: kiosk makes no table of contents; it is left out".into(),
                );
            } else if heading && plain && !inside.is_empty() {
                self.replace_last(&format!("{} {{{inside}}}", last.trim_end()));
            } else {
                self.warn(
                    offset,
                    format!("kramdown attribute list `{}`: kiosk sets ids on headings only (`## Titel {{#id}}`); it is left out", body.trim()),
                );
            }
            self.out.push_str(nl);
            return true;
        }
        let t = body.trim_start();
        if t.starts_with("*[") && t.contains("]:") {
            self.warn(
                offset,
                "kramdown abbreviation: kiosk does not expand abbreviations; the definition is left out".into(),
            );
            self.out.push_str(nl);
            return true;
        }
        false
    }

    /// A `{{< highlight >}}` or `{% highlight %}` line opening a block.
    fn highlight_open(&mut self, lines: &[&str], n: usize, offset: usize) -> bool {
        let body = lines[n].trim_end_matches('\n');
        let Some((false, lang, dropped)) = highlight_tag(body) else {
            return false;
        };
        if !dropped.is_empty() {
            self.warn(
                offset,
                format!(
                    "`{}` in a highlight block: kiosk shows neither line numbers nor marked lines; the code is shown without them",
                    dropped.join("`, `")
                ),
            );
        }
        // A fence longer than any run of backticks in the code it holds.
        let longest = lines[n + 1..]
            .iter()
            .take_while(|l| !matches!(highlight_tag(l.trim_end_matches('\n')), Some((true, ..))))
            .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
            .max()
            .unwrap_or(0);
        let f = "`".repeat(longest.max(2) + 1);
        let nl = if lines[n].ends_with('\n') { "\n" } else { "" };
        self.out.push_str(&format!("{f}{lang}{nl}"));
        self.highlight = Some(f);
        true
    }

    /// One line of the markdown.
    fn line(&mut self, lines: &[&str], n: usize, offset: usize, closings: &[String]) {
        let line = lines[n];
        let nl = if line.ends_with('\n') { "\n" } else { "" };
        let body = line.trim_end_matches('\n');
        let start = self.out.len();
        if let Some(f) = self.highlight.clone() {
            match highlight_tag(body) {
                Some((true, ..)) => {
                    self.out.push_str(&f);
                    self.out.push_str(nl);
                    self.highlight = None;
                }
                _ if raw_tag(body) => self.out.push_str(nl),
                _ => self.out.push_str(&unescape(line, true)),
            }
        } else if let Some((m, run)) = self.fence {
            let t = body.trim_start();
            if t.starts_with(&m.to_string().repeat(run))
                && t.trim_start_matches(m).trim().is_empty()
            {
                self.fence = None;
            }
            self.out.push_str(&unescape(line, true));
        } else if self.comment_line(body, nl, offset)
            || self.highlight_open(lines, n, offset)
            || self.kramdown_line(body, nl, offset)
        {
        } else if raw_tag(body) {
            self.out.push_str(nl);
        } else {
            let t = body.trim_start();
            let marker = t.chars().next().filter(|c| *c == '`' || *c == '~');
            let run = marker.map_or(0, |m| t.chars().take_while(|c| *c == m).count());
            if body.len() - t.len() < 4 && run >= 3 {
                self.fence = marker.map(|m| (m, run));
                self.out.push_str(line);
            } else {
                if let Some(v) = Video::from_url(t).filter(|_| !t.contains(' ')) {
                    self.warn(
                        offset + body.len() - t.len(),
                        format!("a {} address alone on a line is shown as text (WordPress embeds it): write {{{{ video(url=\"{}\") }}}} to show the video, loaded only after a click", v.provider_name(), t.trim()),
                    );
                }
                scan_line(body, offset, closings, &mut self.found);
                self.out.push_str(&unescape_line(body));
                self.out.push_str(nl);
            }
        }
        self.last_line = start;
    }
}

/// Does the markdown hold anything this module looks at?
fn may_hold_foreign(md: &str) -> bool {
    md.contains("{{")
        || md.contains("{%")
        || md.contains('[')
        || md.contains("{:")
        || md.contains("youtu")
        || md.contains("vimeo.com")
}

/// Converts what has a clear meaning and finds every other foreign construct.
pub fn convert(md: &str) -> (Cow<'_, str>, Vec<Foreign>) {
    if !may_hold_foreign(md) {
        return (Cow::Borrowed(md), Vec::new());
    }
    let closings = closing_names(md);
    let mut st = State {
        out: String::with_capacity(md.len()),
        code: if md.contains("comment") {
            code_ranges(md)
        } else {
            Vec::new()
        },
        ..State::default()
    };
    let lines: Vec<&str> = md.split_inclusive('\n').collect();
    let mut offset = 0;
    for n in 0..lines.len() {
        st.line(&lines, n, offset, &closings);
        offset += lines[n].len();
    }
    if let Some(f) = st.highlight.take() {
        st.out.push_str(&format!("\n{f}\n"));
    }
    let mut found = st.found;
    if !found.is_empty() {
        // Indented code blocks and code spans across lines are only known to a markdown parser.
        let code = code_ranges(md);
        found.retain(|f| !in_ranges(&code, f.offset));
    }
    (Cow::Owned(st.out), found)
}

/// Whether `at` lies in one of `ranges` (in order, not overlapping): a binary search, so a
/// page with thousands of code spans and findings stays fast.
pub(crate) fn in_ranges(ranges: &[Range<usize>], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= at);
    ranges.get(i).is_some_and(|r| r.contains(&at))
}

/// Byte ranges of code blocks and code spans.
pub(crate) fn code_ranges(md: &str) -> Vec<Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut out = Vec::new();
    for (ev, r) in Parser::new_ext(md, super::options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => out.push(r),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_tag_in_code_is_text() {
        let md = "Eins `{% comment %}` im Code.\n\nZwei.\n\nDrei `{% endcomment %}` hier.\n";
        let (out, found) = convert(md);
        assert_eq!(out, md);
        assert!(found.is_empty());
    }

    #[test]
    fn highlight_blocks_become_fenced_code_line_for_line() {
        let md = "Text\n{{< highlight go \"linenos=table\" >}}\n# kein Titel\nfunc main() {}\n{{< /highlight >}}\n{% highlight ruby %}\n{% raw %}\n{{ page.title }} \"x\"\n{% endraw %}\n{% endhighlight %}\n";
        let (out, found) = convert(md);
        assert_eq!(out, "Text\n```go\n# kein Titel\nfunc main() {}\n```\n```ruby\n\n{{ page.title }} \"x\"\n\n```\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("`linenos` in a highlight block"));
        assert_eq!(out.lines().count(), md.lines().count());
        let (code, _) = convert("{{< code lang=\"rust\" >}}\nfn x() {}\n{{< /code >}}\n");
        assert_eq!(code, "```rust\nfn x() {}\n```\n");
        let (md_in_code, _) = convert("{{< highlight md >}}\n```\ncode\n```\n{{< /highlight >}}\n");
        assert_eq!(md_in_code, "````md\n```\ncode\n```\n````\n");
    }

    #[test]
    fn other_constructs_are_found_outside_code() {
        let md = "Ein {{< youtube abc >}} und {{% notice %}}x{{% /notice %}}.\n\n{% include box.html %} {{ site.title }}\n\n[gallery ids=\"1,2\"] [caption id=\"x\"]Bild[/caption] [Link](https://e.org)\n\n`{{< x >}}` ```\n```\n{{< y >}}\n```\n\n    {{< indented >}}\n";
        let (_, found) = convert(md);
        let at: Vec<usize> = found.iter().map(|f| f.offset).collect();
        assert_eq!(found.len(), 6, "{found:#?}");
        assert!(
            found[0]
                .message
                .contains("Hugo shortcode `{{< youtube abc >}}`"),
            "{}",
            found[0].message
        );
        assert!(found[0].message.contains("{{ video(url="));
        assert!(found[2]
            .message
            .contains("`{% include box.html %}` is another"));
        assert!(found[3].message.contains("`{{ site.title }}` is another"));
        assert!(found[4].message.contains("WordPress shortcode `[gallery]`"));
        assert_eq!(at[0], 4);
    }

    #[test]
    fn plugin_shortcodes_filters_and_video_lines() {
        let md = "[contact-form-7 id=\"42\" title=\"Kontakt\"]\n\n[su_button url=\"/k/\"]Kontakt[/su_button]\n\n[mc4wp_form id=\"1\"]\n\n{{ \"/impressum/\" | relative_url }} {{ gruss }}\n\n[siehe unten] [x]: https://e.org [a][b] [text](@/a.md)\n\nhttps://youtu.be/abcdefghijk\n";
        let (_, found) = convert(md);
        let msgs: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(found.len(), 6, "{msgs:#?}");
        assert!(msgs[0].contains("`[contact-form-7]`") && msgs[0].contains("form needs a server"));
        assert!(msgs[1].contains("`[su_button]`"));
        assert!(msgs[2].contains("`[mc4wp_form]`"));
        assert!(msgs[3].contains("relative_url"));
        assert!(msgs[4].contains("{{ gruss }}"));
        assert!(msgs[5].contains("video(url=\"https://youtu.be/abcdefghijk\")"));
    }

    #[test]
    fn comments_escapes_and_kramdown() {
        let md = "A {% comment %}weg{% endcomment %} B\n{% comment %}\nGEHEIM\n{% endcomment %}\nC\n\nZeig `{{</* notice */>}}` und {{</* notice */>}} und {{/* figure(src=\"a\") */}}\n\n## Teil eins\n{: #teil-1 .wichtig}\n\n* TOC\n{:toc}\n\nAbsatz\n{: .hinweis}\n\n*[HTML]: Hypertext Markup Language\n";
        let (out, found) = convert(md);
        assert_eq!(out.lines().count(), md.lines().count());
        assert!(!out.contains("GEHEIM") && !out.contains("weg"), "{out}");
        assert!(out.contains("A  B\n"), "{out}");
        assert!(
            out.contains(
                "Zeig `{{< notice >}}` und &#123;{< notice >}} und &#123;{ figure(src=\"a\") }}"
            ),
            "{out}"
        );
        assert!(out.contains("## Teil eins {#teil-1 .wichtig}\n\n"), "{out}");
        assert!(
            !out.contains("TOC") && !out.contains("{:") && !out.contains("*[HTML]"),
            "{out}"
        );
        let msgs: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(msgs.len(), 5, "{msgs:#?}");
        assert!(msgs[0].contains("comment"));
        assert!(msgs[2].contains("{:toc}"));
        assert!(msgs[3].contains("`{: .hinweis}`"));
        assert!(msgs[4].contains("abbreviation"));
    }

    #[test]
    fn escapes_in_code_blocks_are_plain() {
        let (out, found) = convert("```\n{{</* x */>}}\n```\n");
        assert_eq!(out, "```\n{{< x >}}\n```\n");
        assert!(found.is_empty());
    }
}
