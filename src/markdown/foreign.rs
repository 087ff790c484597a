//! Template code of other generators in markdown: Hugo shortcodes (`{{< … >}}`, `{{% … %}}`),
//! Liquid (`{% … %}`, `{{ site.… }}`, `{{ page.… }}`) and WordPress shortcodes (`[gallery …]`,
//! `[caption …]`, `[embed]`, `[video]`). kiosk does not run them: each is a warning at its place,
//! naming it and the kiosk way to write it, and stays text. Highlighted code is the exception,
//! since its meaning is clear: `{{< highlight lang >}}`, `{{< code lang="…" >}}` and
//! `{% highlight lang %}` blocks become fenced code (never markdown), line for line, and
//! Liquid's `{% raw %}`/`{% endraw %}` tags are dropped. Code spans and blocks are never touched.

use std::borrow::Cow;

/// One construct kiosk does not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    /// Byte offset in the markdown.
    pub offset: usize,
    /// The warning.
    pub message: String,
}

const WORDPRESS: &[&str] = &[
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
        "youtube" | "vimeo" | "video" | "embed" | "audio" | "tweet" | "x" | "instagram" | "gist" => {
            "link the address instead (loading another host's player sends every reader's address there)"
        }
        "ref" | "relref" | "post_url" | "link" => "write an internal link: [Text](@/blog/beitrag.md)",
        "gallery" | "playlist" => "put the images in the page's folder and show each with {{ figure(src=…) }}",
        "include" | "partial" => "move the repeated text into a template or a shortcode of templates/shortcodes/",
        "details" | "collapse" => "write <details><summary>…</summary>…</details>",
        "highlight" | "code" => "write a fenced code block: ```lang … ```",
        _ => "kiosk runs its own shortcodes only ({{ figure(…) }}, {{ hinweis(…) }}, templates/shortcodes/)",
    }
}

/// The first word of a tag's inside (`highlight go` → `highlight`).
fn tag_name(inside: &str) -> &str {
    let t = inside.trim().trim_start_matches(['/', '-']).trim_start();
    let end = t
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(t.len());
    &t[..end]
}

/// An opening or closing highlight line: `Some((closing, lang))`.
fn highlight_tag(line: &str) -> Option<(bool, String)> {
    let t = line.trim();
    let inside = t
        .strip_prefix("{{<")
        .and_then(|r| r.strip_suffix(">}}"))
        .or_else(|| t.strip_prefix("{{%").and_then(|r| r.strip_suffix("%}}")))
        .or_else(|| t.strip_prefix("{%").and_then(|r| r.strip_suffix("%}")))?
        .trim()
        .trim_matches('-')
        .trim();
    let mut words = inside.split_whitespace();
    match words.next()? {
        "highlight" | "code" => {
            let lang = words
                .find_map(|w| {
                    let w = w.trim_matches(',');
                    match w.split_once('=') {
                        Some(("lang" | "language", v)) => Some(v.trim_matches(['"', '\''])),
                        Some(_) => None,
                        None => Some(w.trim_matches(['"', '\''])),
                    }
                })
                .unwrap_or("");
            Some((false, lang.to_string()))
        }
        "/highlight" | "/code" | "endhighlight" => Some((true, String::new())),
        _ => None,
    }
}

/// Is the line only Liquid's `{% raw %}` or `{% endraw %}`?
fn raw_tag(s: &str) -> bool {
    let t = s.trim();
    t.strip_prefix("{%")
        .and_then(|r| r.strip_suffix("%}"))
        .is_some_and(|r| matches!(r.trim().trim_matches('-').trim(), "raw" | "endraw"))
}

/// Converts highlight blocks to fenced code and finds every other foreign construct.
pub fn convert(md: &str) -> (Cow<'_, str>, Vec<Foreign>) {
    if !md.contains("{{<")
        && !md.contains("{{%")
        && !md.contains("{%")
        && !md.contains('[')
        && !md.contains("{{")
    {
        return (Cow::Borrowed(md), Vec::new());
    }
    let mut out = String::with_capacity(md.len());
    let mut found = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut highlight: Option<String> = None;
    let mut offset = 0;
    let lines: Vec<&str> = md.split_inclusive('\n').collect();
    for (n, line) in lines.iter().enumerate() {
        let line: &str = line;
        let nl = if line.ends_with('\n') { "\n" } else { "" };
        let body = line.trim_end_matches('\n');
        if let Some(f) = highlight.as_ref() {
            match highlight_tag(body) {
                Some((true, _)) => {
                    out.push_str(f);
                    out.push_str(nl);
                    highlight = None;
                }
                _ if raw_tag(body) => out.push_str(nl),
                _ => out.push_str(line),
            }
        } else if let Some((m, n)) = fence {
            let t = body.trim_start();
            if t.starts_with(&m.to_string().repeat(n)) && t.trim_start_matches(m).trim().is_empty()
            {
                fence = None;
            }
            out.push_str(line);
        } else if let Some((false, lang)) = highlight_tag(body) {
            // A fence longer than any run of backticks in the code it holds.
            let longest = lines[n + 1..]
                .iter()
                .take_while(|l| !matches!(highlight_tag(l.trim_end_matches('\n')), Some((true, _))))
                .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
                .max()
                .unwrap_or(0);
            let f = "`".repeat(longest.max(2) + 1);
            out.push_str(&format!("{f}{lang}{nl}"));
            highlight = Some(f);
        } else if raw_tag(body) {
            out.push_str(nl);
        } else {
            let t = body.trim_start();
            let marker = t.chars().next().filter(|c| *c == '`' || *c == '~');
            let run = marker.map_or(0, |m| t.chars().take_while(|c| *c == m).count());
            if body.len() - t.len() < 4 && run >= 3 {
                fence = marker.map(|m| (m, run));
            } else {
                scan_line(body, offset, &mut found);
            }
            out.push_str(line);
        }
        offset += line.len();
    }
    if let Some(f) = highlight {
        out.push_str(&format!("\n{f}\n"));
    }
    (Cow::Owned(out), found)
}

/// Finds foreign constructs in one line outside code spans.
fn scan_line(line: &str, base: usize, found: &mut Vec<Foreign>) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'`' {
            let run = b[i..].iter().take_while(|&&c| c == b'`').count();
            let closing = "`".repeat(run);
            i += run + line[i + run..].find(&closing).map_or(0, |e| e + run);
            continue;
        }
        let rest = &line[i..];
        let hit = if let Some(r) = rest
            .strip_prefix("{{<")
            .or_else(|| rest.strip_prefix("{{%"))
        {
            let end = r.find(">}}").or_else(|| r.find("%}}")).unwrap_or(r.len());
            let name = tag_name(&r[..end]);
            Some((
                format!("Hugo shortcode `{}`", &rest[..(end + 6).min(rest.len())]),
                name.to_string(),
                end + 6,
            ))
        } else if let Some(r) = rest.strip_prefix("{%") {
            let end = r.find("%}").unwrap_or(r.len());
            let name = tag_name(&r[..end]);
            Some((
                format!(
                    "template tag `{{% {} %}}`",
                    r[..end].trim().trim_matches('-').trim()
                ),
                name.to_string(),
                end + 4,
            ))
        } else if let Some(r) = rest.strip_prefix("{{") {
            let inner = r.trim_start();
            let end = r.find("}}").unwrap_or(r.len());
            [
                "site.",
                "page.",
                "include.",
                "content",
                "layout.",
                "paginator.",
            ]
            .iter()
            .any(|p| inner.starts_with(p))
            .then(|| {
                (
                    format!("Liquid `{{{{{}}}}}`", &r[..end]),
                    "include".to_string(),
                    end + 4,
                )
            })
        } else if let Some(r) = rest.strip_prefix('[') {
            let name = tag_name(r);
            let after = r[name.len()..].chars().next();
            (WORDPRESS.contains(&name) && matches!(after, Some(' ' | ']'))).then(|| {
                (
                    format!("WordPress shortcode `[{name}]`"),
                    name.to_string(),
                    1 + name.len(),
                )
            })
        } else {
            None
        };
        match hit {
            Some((what, name, len)) => {
                found.push(Foreign {
                    offset: base + i,
                    message: format!("{what} is another generator's template code; kiosk publishes it as text: {}", hint(&name)),
                });
                i += len.min(rest.len()).max(1);
            }
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_blocks_become_fenced_code_line_for_line() {
        let md = "Text\n{{< highlight go \"linenos=table\" >}}\n# kein Titel\nfunc main() {}\n{{< /highlight >}}\n{% highlight ruby %}\n{% raw %}\n{{ page.title }} \"x\"\n{% endraw %}\n{% endhighlight %}\n";
        let (out, found) = convert(md);
        assert_eq!(out, "Text\n```go\n# kein Titel\nfunc main() {}\n```\n```ruby\n\n{{ page.title }} \"x\"\n\n```\n");
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(out.lines().count(), md.lines().count());
        let (code, _) = convert("{{< code lang=\"rust\" >}}\nfn x() {}\n{{< /code >}}\n");
        assert_eq!(code, "```rust\nfn x() {}\n```\n");
        let (md_in_code, _) = convert("{{< highlight md >}}\n```\ncode\n```\n{{< /highlight >}}\n");
        assert_eq!(md_in_code, "````md\n```\ncode\n```\n````\n");
    }

    #[test]
    fn other_constructs_are_found_outside_code() {
        let md = "Ein {{< youtube abc >}} und {{% notice %}}.\n\n{% include box.html %} {{ site.title }}\n\n[gallery ids=\"1,2\"] [caption id=\"x\"]Bild[/caption] [Link](https://e.org)\n\n`{{< x >}}` ```\n```\n{{< y >}}\n```\n";
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
        assert!(found[2]
            .message
            .contains("template tag `{% include box.html %}`"));
        assert!(found[3].message.contains("Liquid `{{ site.title }}`"));
        assert!(found[4].message.contains("WordPress shortcode `[gallery]`"));
        assert_eq!(at[0], 4);
    }
}
