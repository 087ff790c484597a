//! A Zola site as a kiosk site. kiosk's `content/` is Zola's (sections with `_index.md`,
//! colocated assets, `@/` links), so files keep their paths and links keep working; front
//! matter gets kiosk's keys, Zola's block shortcodes for notes and quotes become kiosk's, and
//! every page's old address is worked out by Zola's rules (`path`, else section and slug, made
//! with Zola's slugs: `Über` → `uber`) so the import keeps it.

use super::files::{self, Terms};
use super::html::{call, Arg};
use super::model::Site;
use super::report::{Kind, Report};
use crate::text::Positions;
use serde_json::{json, Map, Value};
use std::path::Path;

/// Folders of a Zola site kiosk has no place for, and why.
const NOT_CONVERTED: &[(&str, &str)] = &[
    ("templates", "Zola templates (Tera 1): kiosk's come from its theme or templates/ (tera 2); shortcodes of templates/shortcodes/ need a look before they work"),
    ("themes", "a Zola theme: kiosk has its own default theme"),
    ("sass", "Sass: put the finished CSS in static/"),
];

/// Reads the Zola site at `root`.
pub fn import(root: &Path) -> Result<Site, String> {
    let config_path = root.join("config.toml");
    if !config_path.is_file() {
        return Err(format!(
            "{} is not a Zola site: it has no config.toml",
            root.display()
        ));
    }
    let config = files::read_config(&config_path)?;
    let content = root.join("content");
    if !content.is_dir() {
        return Err(format!(
            "{}: a Zola site has a content/ folder; this one has none",
            root.display()
        ));
    }
    let mut site = Site::default();
    let taxonomies = taxonomies(&config);
    let ignore = files::Ignore::globs(
        &files::strings(&config, "ignored_content"),
        "config.toml ignored_content",
        &mut site.report,
    );
    let skip = |rel: &str, hidden: bool| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        hidden || ignore.matches(rel, "") || ignore.matches(name, "")
    };
    for (rel, abs) in files::walk(&content, &skip, &mut site.report) {
        page(&rel, &abs, &taxonomies, &mut site);
    }
    files::copy_folder(root, "static", "static", &mut site);
    for (dir, why) in NOT_CONVERTED {
        if root.join(dir).is_dir() {
            site.report.note(
                Kind::Settings,
                format!("{dir}/"),
                format!("not imported: {why}"),
            );
        }
    }
    site.config = kiosk_config(&config, &taxonomies, &mut site.report);
    // Term pages whose slug kiosk writes another way (`/tags/mobel/` → `/tags/moebel/`).
    for p in &site.pages {
        for tax in &taxonomies {
            for term in p
                .get(tax)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                let (old, new) = (zola_slug(term), crate::text::slug::slugify(term));
                if old != new {
                    site.report
                        .redirects
                        .push((format!("/{tax}/{old}/"), format!("/{tax}/{new}/")));
                }
            }
        }
    }
    Ok(site)
}

/// One file of `content/`: a page, or a file copied where it was.
fn page(rel: &str, abs: &Path, taxonomies: &[String], site: &mut Site) {
    let shown = format!("content/{rel}");
    if !rel.to_ascii_lowercase().ends_with(".md") {
        files::copy(abs, shown, site);
        return;
    }
    let Some(src) = files::read_or_note(rel, abs, &shown, &mut site.report) else {
        return;
    };
    let front = files::front_matter(
        &src.fields,
        taxonomies,
        Terms::AsWritten,
        &shown,
        &mut site.report,
    );
    let body = block_shortcodes(&src.body);
    let body = files::finish_body(&body, &shown, src.body_line, &mut site.report);
    let old = old_url(rel, &front);
    let page = files::page(shown.clone(), front, body, old, &shown);
    files::count(&page, "Pages", &mut site.report);
    site.pages.push(page);
}

/// The taxonomy names of `taxonomies = [{name = "tags"}, …]`.
fn taxonomies(config: &Map<String, Value>) -> Vec<String> {
    match files::get(config, "taxonomies") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// A slug as Zola makes it: any letter to ASCII (`ü` → `u`), lowercase, words joined by `-`.
fn zola_slug(s: &str) -> String {
    crate::text::slug::slugify_plain(s)
}

/// A file name without Zola's date prefix (`2023-01-05-name`, `2023-01-05_name`).
fn without_date(stem: &str) -> &str {
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && matches!(b[10], b'-' | b'_');
    if dated {
        &stem[11..]
    } else {
        stem
    }
}

/// The address Zola gave a page or section; `None` for a draft.
fn old_url(rel: &str, front: &[(String, Value)]) -> Option<String> {
    let get = |k: &str| front.iter().find(|(x, _)| x == k).map(|(_, v)| v);
    if get("draft") == Some(&Value::Bool(true)) {
        return None;
    }
    if let Some(p) = get("url").and_then(Value::as_str) {
        let p = p.trim_matches('/');
        return Some(if p.to_ascii_lowercase().ends_with(".html") {
            format!("/{p}")
        } else {
            format!("/{p}/")
        });
    }
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = name.trim_end_matches(".md");
    let section_path = |d: &str| {
        d.split('/')
            .filter(|c| !c.is_empty())
            .map(zola_slug)
            .collect::<Vec<_>>()
            .join("/")
    };
    if stem == "_index" {
        let p = section_path(dir);
        return Some(if p.is_empty() {
            "/".into()
        } else {
            format!("/{p}/")
        });
    }
    let (dir, stem) = if stem == "index" {
        dir.rsplit_once('/').unwrap_or(("", dir))
    } else {
        (dir, stem)
    };
    let slug = match get("slug").and_then(Value::as_str) {
        Some(s) => zola_slug(s),
        None => zola_slug(without_date(stem)),
    };
    let p = section_path(dir);
    Some(if p.is_empty() {
        format!("/{slug}/")
    } else {
        format!("/{p}/{slug}/")
    })
}

/// Zola's block shortcodes kiosk has a way for: `{% note() %}…{% end %}` (and `tip`,
/// `warning`, …) → `hinweis`, `{% quote(author=…) %}…{% end %}` → a quotation.
pub(super) fn block_shortcodes(body: &str) -> String {
    if !body.contains("{%") {
        return body.to_string();
    }
    let code = crate::markdown::foreign::code_ranges(body);
    let found = Found {
        opens: Positions::of(body, "{%"),
        closes: Positions::of(body, "%}"),
        ends: Positions::of(body, "{% end %}"),
    };
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while let Some(start) = found.opens.next(i) {
        out.push_str(&body[i..start]);
        let converted = (!crate::markdown::foreign::in_ranges(&code, start))
            .then(|| block_at(body, start, &found))
            .flatten();
        match converted {
            Some((text, end)) => {
                files::push_keeping_lines(&mut out, &body[start..end], &text);
                i = end;
            }
            None => {
                out.push_str("{%");
                i = start + 2;
            }
        }
    }
    out.push_str(&body[i..]);
    out
}

/// Where the openers, closers and `{% end %}` of one body are, found once.
struct Found {
    opens: Positions,
    closes: Positions,
    ends: Positions,
}

/// The block shortcode at `start`, converted, and where it ends. An opener inside it
/// (`{% a {% b %}`) makes it no shortcode.
fn block_at(body: &str, start: usize, found: &Found) -> Option<(String, usize)> {
    let open_end = found.closes.next(start + 2)? + 2;
    if found.opens.next(start + 2).is_some_and(|o| o < open_end) {
        return None;
    }
    let inside = body[start + 2..open_end - 2].trim();
    let name: String = inside
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !inside[name.len()..].trim_start().starts_with('(') {
        return None;
    }
    let close = found.ends.next(open_end)?;
    let inner = body[open_end..close].trim();
    let end = close + "{% end %}".len();
    let args = &inside[name.len()..];
    let arg = |key: &str| {
        let i = args.find(&format!("{key}="))? + key.len() + 1;
        let rest = &args[i..];
        let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let v = &rest[1..];
        Some(v[..v.find(q)?].to_string())
    };
    let text = match name.as_str() {
        "note" | "tip" | "warning" | "info" | "important" | "caution" | "danger" | "admonition"
        | "alert" | "callout" => {
            let kind = arg("type").unwrap_or_else(|| name.clone());
            let mut a = vec![(
                "text",
                Arg::Text(inner.split_whitespace().collect::<Vec<_>>().join(" ")),
            )];
            match kind.as_str() {
                "warning" | "danger" | "caution" | "important" => {
                    a.push(("typ", Arg::Text("warnung".into())))
                }
                "tip" => a.push(("typ", Arg::Text("tipp".into()))),
                _ => {}
            }
            call("hinweis", &a)
        }
        "quote" => {
            let mut q: String = inner.lines().map(|l| format!("> {l}\n")).collect();
            if let Some(author) = arg("author").or_else(|| arg("cite")) {
                q.push_str(&format!(">\n> — {author}\n"));
            }
            q.trim_end_matches('\n').to_string()
        }
        _ => return None,
    };
    Some((text, end))
}

/// `kiosk.yaml` from Zola's `config.toml`.
fn kiosk_config(
    c: &Map<String, Value>,
    taxonomies: &[String],
    report: &mut Report,
) -> Vec<(String, Value)> {
    let extra = match files::get(c, "extra") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let mut out: Vec<(String, Value)> = vec![(
        "title".into(),
        Value::from(files::text(c, "title").unwrap_or_default()),
    )];
    if let Some(d) = files::text(c, "description") {
        out.push(("description".into(), Value::from(d)));
    }
    out.push((
        "base_url".into(),
        Value::from(files::base_url(
            files::text(c, "base_url"),
            report,
            "config.toml",
        )),
    ));
    out.push((
        "language".into(),
        Value::from(files::language(files::text(c, "default_language"))),
    ));
    if let Some(a) = files::text(c, "author").or_else(|| files::text(&extra, "author")) {
        out.push(("author".into(), json!({ "name": a })));
    }
    if !taxonomies.is_empty() {
        out.push(("taxonomies".into(), Value::from(taxonomies.to_vec())));
    }
    if !extra.is_empty() {
        out.push(("extra".into(), Value::Object(extra)));
    }
    files::note_settings(
        c,
        &[
            "theme",
            "build_search_index",
            "compile_sass",
            "languages",
            "markdown",
            "link_checker",
            "search",
            "slugify",
        ],
        "config.toml",
        report,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zola_addresses() {
        let f = |pairs: &[(&str, Value)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            old_url("blog/2023-01-05-Über Möbel.md", &f(&[])),
            Some("/blog/uber-mobel/".into())
        );
        assert_eq!(
            old_url("blog/eiche/index.md", &f(&[])),
            Some("/blog/eiche/".into())
        );
        assert_eq!(
            old_url("Docs Neu/_index.md", &f(&[])),
            Some("/docs-neu/".into())
        );
        assert_eq!(old_url("_index.md", &f(&[])), Some("/".into()));
        assert_eq!(
            old_url("a.md", &f(&[("url", json!("alt/pfad"))])),
            Some("/alt/pfad/".into())
        );
        assert_eq!(
            old_url("a.md", &f(&[("slug", json!("Grüße"))])),
            Some("/grusse/".into())
        );
        assert_eq!(old_url("a.md", &f(&[("draft", json!(true))])), None);
    }

    #[test]
    fn block_shortcodes_for_notes_and_quotes() {
        let out = block_shortcodes("A\n\n{% note(type=\"warning\") %}\nHeiß **hier**.\n{% end %}\n\n{% quote(author=\"Ada\") %}\nZeile eins\nZeile zwei\n{% end %}\n\n{% other() %}x{% end %}\n\n```\n{% note() %}x{% end %}\n```\n");
        assert!(
            out.contains("{{ hinweis(text=\"Heiß **hier**.\", typ=\"warnung\") }}"),
            "{out}"
        );
        assert!(
            out.contains("> Zeile eins\n> Zeile zwei\n>\n> — Ada\n"),
            "{out}"
        );
        assert_eq!(out.lines().count(), 16, "lines keep their numbers: {out}");
        assert!(out.contains("{% other() %}x{% end %}"));
        assert!(out.contains("```\n{% note() %}x{% end %}\n```"));
    }
}
