//! Liquid in a Jekyll page body as kiosk markdown: `{% post_url %}` and `{% link %}` → `@/`
//! links, `{{ site.baseurl }}`/`{{ site.url }}` and the `relative_url`/`absolute_url` filters →
//! site paths, `{% include youtube.html id=… %}`, `{% youtube %}`, `{% vimeo %}` → `video`,
//! `{% include image.html … %}`/`figure.html` → `figure`, `{% gist %}` → a link. Any other
//! Liquid stays and is named by the last pass. Code is never touched.

use crate::import::html::{call, Arg};
use crate::text::Positions;

/// What converting needs from the site.
pub trait Context {
    /// The new `content/`-relative path of a post named by `{% post_url name %}`.
    fn post(&self, name: &str) -> Option<String>;
    /// The new `content/`-relative path of a source file named by `{% link path %}`.
    fn file(&self, rel: &str) -> Option<String>;
}

/// `key="value"`/`key=value` arguments of an include.
fn args(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq]
            .trim()
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .to_string();
        let after = rest[eq + 1..].trim_start();
        let (value, len) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(e) => (after[1..1 + e].to_string(), e + 2),
                None => (after[1..].to_string(), after.len()),
            },
            _ => {
                let e = after.find(char::is_whitespace).unwrap_or(after.len());
                (after[..e].to_string(), e)
            }
        };
        out.push((key, value));
        rest = &after[len..];
    }
    out
}

fn get<'a>(args: &'a [(String, String)], keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| args.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str()))
        .filter(|v| !v.is_empty())
}

/// The replacement of one `{% … %}` tag's inside, if kiosk has one.
fn tag(inside: &str, ctx: &dyn Context) -> Option<String> {
    let inside = inside.trim().trim_matches('-').trim();
    let (name, rest) = inside
        .split_once(char::is_whitespace)
        .unwrap_or((inside, ""));
    let rest = rest.trim();
    match name {
        "post_url" => ctx.post(rest).map(|p| format!("@/{p}")),
        "link" => ctx
            .file(rest.trim_start_matches('/'))
            .map(|p| format!("@/{p}")),
        "youtube" | "vimeo" => video(name, rest.trim_matches(['"', '\''])),
        "gist" => Some(format!(
            "<https://gist.github.com/{}>",
            rest.split_whitespace().next().unwrap_or("")
        )),
        "include" => include(rest),
        _ => None,
    }
}

fn video(provider: &str, id: &str) -> Option<String> {
    let video = if id.starts_with("http") {
        crate::text::video::Video::from_url(id)?
    } else {
        crate::text::video::Video::from_id(provider, id)?
    };
    Some(call(
        "video",
        &[
            (
                "provider",
                Arg::Text(video.provider_name().to_ascii_lowercase()),
            ),
            ("id", Arg::Text(video.id)),
        ],
    ))
}

/// `{% include youtube.html id="…" %}`, `{% include image.html url="…" description="…" %}`.
fn include(rest: &str) -> Option<String> {
    let (file, params) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let a = args(params);
    let name = file.trim_end_matches(".html").to_ascii_lowercase();
    if name.contains("youtube") || name.contains("vimeo") {
        let provider = if name.contains("vimeo") {
            "vimeo"
        } else {
            "youtube"
        };
        return video(provider, get(&a, &["id", "video", "url", "src"])?);
    }
    if matches!(name.as_str(), "image" | "figure" | "img" | "picture") {
        let src = get(&a, &["url", "src", "image_path", "image", "file"])?;
        let mut args = vec![
            ("src", Arg::Text(src.to_string())),
            (
                "alt",
                Arg::Text(
                    get(&a, &["alt", "description", "title"])
                        .unwrap_or("")
                        .to_string(),
                ),
            ),
        ];
        if let Some(c) = get(&a, &["caption", "description"]) {
            args.push(("caption", Arg::Text(c.to_string())));
        }
        return Some(call("figure", &args));
    }
    None
}

/// The replacement of one `{{ … }}` output, if it only names the site's address.
fn output(inside: &str) -> Option<String> {
    let inside = inside.trim().trim_matches('-').trim();
    let compact: String = inside.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(
        compact.as_str(),
        "site.baseurl" | "site.url" | "site.url|append:site.baseurl"
    ) {
        return Some(String::new());
    }
    for filter in [
        "|relative_url",
        "|absolute_url",
        "|prepend:site.baseurl",
        "|prepend:site.url",
    ] {
        if let Some(path) = compact.strip_suffix(filter) {
            let path = path.trim_matches(['"', '\'']);
            if path.starts_with('/') || path.is_empty() {
                return Some(path.to_string());
            }
        }
    }
    None
}

/// Converts the Liquid kiosk has a way for.
pub fn convert(body: &str, ctx: &dyn Context) -> String {
    if !body.contains("{%") && !body.contains("{{") {
        return body.to_string();
    }
    let code = crate::markdown::foreign::code_ranges(body);
    let [tags, outputs, tag_ends, output_ends] =
        ["{%", "{{", "%}", "}}"].map(|n| Positions::of(body, n));
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while let Some(start) = [tags.next(i), outputs.next(i)].into_iter().flatten().min() {
        out.push_str(&body[i..start]);
        let is_tag = body[start..].starts_with("{%");
        let close = if is_tag { &tag_ends } else { &output_ends };
        let Some(end) = close.next(start + 2).map(|e| e + 2) else {
            out.push_str(&body[start..]);
            return out;
        };
        let inside = &body[start + 2..end - 2];
        let replaced = if crate::markdown::foreign::in_ranges(&code, start) {
            None
        } else if is_tag {
            tag(inside, ctx)
        } else {
            output(inside)
        };
        match replaced {
            Some(r) => out.push_str(&r),
            None => out.push_str(&body[start..end]),
        }
        i = end;
    }
    out.push_str(&body[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Site;
    impl Context for Site {
        fn post(&self, name: &str) -> Option<String> {
            (name == "2021-03-04-willkommen").then(|| "blog/2021-03-04-willkommen.md".into())
        }
        fn file(&self, rel: &str) -> Option<String> {
            (rel == "_posts/2021-03-04-willkommen.md")
                .then(|| "blog/2021-03-04-willkommen.md".into())
        }
    }

    #[test]
    fn liquid_kiosk_has_a_way_for() {
        let body = "[W]({% post_url 2021-03-04-willkommen %}) [L]({% link _posts/2021-03-04-willkommen.md %}) [I]({{ site.baseurl }}/impressum/) [R]({{ \"/about/\" | relative_url }}) [A]({{ site.url }}{{ site.baseurl }}/x/)\n\n{% include youtube.html id=\"dQw4w9WgXcQ\" %}\n\n{% include image.html url=\"/assets/img/a.png\" description=\"Ein Bild\" %}\n\n{% youtube 76979871 %}\n\n{% include newsletter.html %} {{ page.title }}\n\n`{% post_url 2021-03-04-willkommen %}`\n";
        let out = convert(body, &Site);
        assert!(out.contains("[W](@/blog/2021-03-04-willkommen.md) [L](@/blog/2021-03-04-willkommen.md) [I](/impressum/) [R](/about/) [A](/x/)"), "{out}");
        assert!(
            out.contains("{{ video(provider=\"youtube\", id=\"dQw4w9WgXcQ\") }}"),
            "{out}"
        );
        assert!(
            out.contains(
                "{{ figure(src=\"/assets/img/a.png\", alt=\"Ein Bild\", caption=\"Ein Bild\") }}"
            ),
            "{out}"
        );
        assert!(
            out.contains("{% youtube 76979871 %}"),
            "a YouTube id must have 11 characters: {out}"
        );
        assert!(out.contains("{% include newsletter.html %} {{ page.title }}"));
        assert!(out.contains("`{% post_url 2021-03-04-willkommen %}`"));
    }
}
