//! Templates: tera 2 with the default theme's templates embedded in the binary; a site's own
//! `templates/` overrides any of them by name. Filters and functions for templates live here too.

mod filters;
mod functions;

use crate::error::Diagnostic;
use crate::locale::Locale;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use tera::{Tera, Value};

pub use functions::{content_url, take_reads, Lookup, SiteData, UrlMap};

/// The default theme, embedded at compile time.
#[derive(rust_embed::Embed)]
#[folder = "themes/default/"]
pub struct DefaultTheme;

/// Where the default theme's files appear in messages.
pub const THEME_PREFIX: &str = "themes/default";

/// Loaded templates and where each came from.
pub struct Templates {
    tera: Tera,
    origin: BTreeMap<String, String>,
    /// Site data for `get_url`, `get_page`, …, set once the content is loaded. Tera checks that
    /// every function a template calls exists when the template is added, so the functions are
    /// registered first and read their data from here.
    pub data: Arc<SiteData>,
}

/// Template sources: name → (display path, text).
pub type Sources = BTreeMap<String, (String, String)>;

/// The shortcodes of the default theme (`figure`, `video`, …).
pub fn theme_shortcodes() -> Vec<String> {
    DefaultTheme::iter()
        .filter_map(|n| {
            n.strip_prefix("templates/shortcodes/")
                .and_then(|r| r.strip_suffix(".html"))
                .map(str::to_string)
        })
        .collect()
}

/// Reads the theme's templates and the site's `templates/` (which win by name).
pub fn sources(root: &Path) -> Result<Sources, Vec<Diagnostic>> {
    let mut out = Sources::new();
    for name in DefaultTheme::iter() {
        let Some(rel) = name.strip_prefix("templates/") else {
            continue;
        };
        if let Some(file) = DefaultTheme::get(&name) {
            let text = String::from_utf8_lossy(&file.data).into_owned();
            out.insert(rel.to_string(), (format!("{THEME_PREFIX}/{name}"), text));
        }
    }
    let dir = root.join("templates");
    if !dir.is_dir() {
        return Ok(out);
    }
    let mut errors = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .follow_links(false)
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(Diagnostic::file("templates", format!("cannot read: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.split('/').any(crate::content::is_ignored_name) {
            continue;
        }
        let display = format!("templates/{rel}");
        match std::fs::read(entry.path()).map(String::from_utf8) {
            Ok(Ok(text)) => {
                out.insert(rel, (display, text));
            }
            Ok(Err(e)) => errors.push(Diagnostic::file(
                display,
                format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            )),
            Err(e) => errors.push(Diagnostic::file(display, format!("cannot read: {e}"))),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl Templates {
    /// Compiles the templates; syntax errors name the template file, line and column.
    pub fn new(
        sources: &Sources,
        locale: &Locale,
        currency: &str,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let origin: BTreeMap<String, String> = sources
            .iter()
            .map(|(name, (display, _))| (name.clone(), display.clone()))
            .collect();
        // Autoescaping drops what no HTML may hold (see text::clean), then escapes.
        tera.set_escape_fn(crate::text::escape_html_to);
        filters::register(&mut tera, locale, currency);
        let data = Arc::new(SiteData::default());
        functions::register(&mut tera, &data);
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
        {
            return Err(vec![error_to_diagnostic(&e, &origin, None)]);
        }
        Ok(Templates { tera, origin, data })
    }

    /// Is there a template of this name?
    pub fn has(&self, name: &str) -> bool {
        self.origin.contains_key(name)
    }

    /// Renders `name`; errors name the template, its line, and `rendering` (the file whose
    /// output this is).
    pub fn render(
        &self,
        name: &str,
        ctx: &tera::Context,
        rendering: &str,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| error_to_diagnostic(&e, &self.origin, Some(rendering)))
    }

    /// Sets a variable every template sees.
    pub fn set_global(&mut self, key: &'static str, value: Value) {
        self.tera.global_context().insert_value(key, value);
    }
}

/// A tera error as a message.
pub(crate) fn err(msg: impl ToString) -> tera::Error {
    tera::Error::message(msg)
}

/// The first problem of a report tera writes as text (`error: Unknown filter `x``, then
/// ` --> page.html:3:14`): template name, line, column and message, with how many more follow.
fn report_location(report: &str) -> Option<(&str, usize, usize, String)> {
    let mut lines = report.lines();
    let text = lines.next()?.strip_prefix("error: ")?;
    let at = lines.next()?.trim_start().strip_prefix("--> ")?;
    let mut parts = at.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let name = parts.next()?;
    let more = report.lines().filter(|l| l.starts_with("error: ")).count() - 1;
    let text = match more {
        0 => text.to_string(),
        n => format!(
            "{text} (and {n} more problem{} in templates)",
            if n == 1 { "" } else { "s" }
        ),
    };
    Some((name, line, col, text))
}

fn error_to_diagnostic(
    e: &tera::Error,
    origin: &BTreeMap<String, String>,
    rendering: Option<&str>,
) -> Diagnostic {
    let suffix = rendering
        .map(|r| format!(" (while rendering {r})"))
        .unwrap_or_default();
    let path_of = |name: &str| {
        origin
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    let mut message = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            let mut msg = r.message().to_string();
            let mut src = std::error::Error::source(e);
            while let Some(s) = src {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                src = s.source();
            }
            return Diagnostic::error(
                path_of(r.filename()),
                span.start_line.max(1),
                span.start_col + 1,
                format!("{msg}{suffix}"),
            );
        }
        tera::ErrorKind::TemplateNotFound(name) => {
            return Diagnostic::file(
                rendering.unwrap_or("templates"),
                format!("template `{name}` not found in templates/ or the theme"),
            )
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            return Diagnostic::file(
                path_of(current),
                format!("extends `{parent}`, which does not exist{suffix}"),
            )
        }
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            return Diagnostic::file(
                path_of(tpl),
                format!(
                    "templates extend each other in a cycle: {}{suffix}",
                    inheritance_chain.join(" → ")
                ),
            )
        }
        tera::ErrorKind::CircularInclude { tpl, include_chain } => {
            return Diagnostic::file(
                path_of(tpl),
                format!(
                    "templates include each other in a cycle: {}{suffix}",
                    include_chain.join(" → ")
                ),
            )
        }
        tera::ErrorKind::Msg(m) => {
            if let Some((name, line, col, text)) = report_location(m) {
                return Diagnostic::error(path_of(name), line, col, format!("{text}{suffix}"));
            }
            m.clone()
        }
        other => other.to_string(),
    };
    message.push_str(&suffix);
    Diagnostic::file(rendering.unwrap_or("templates"), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(name: &str, text: &str) -> Sources {
        let mut s = Sources::new();
        s.insert(name.into(), (format!("templates/{name}"), text.into()));
        s
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let e = Templates::new(
            &one("x.html", "a\nb {{ oops( }}\n"),
            &Locale::new("de"),
            "EUR",
        )
        .err()
        .unwrap();
        assert_eq!(e[0].path, "templates/x.html");
        assert_eq!(e[0].line, 2);
    }

    #[test]
    fn runtime_error_names_template_line_and_page() {
        let t = Templates::new(
            &one("x.html", "line1\n{{ page.date | date }}\n"),
            &Locale::new("de"),
            "EUR",
        )
        .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("page", &serde_json::json!({"date": null}));
        let e = t.render("x.html", &ctx, "content/a.md").unwrap_err();
        assert_eq!(e.path, "templates/x.html");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("content/a.md"), "{}", e.message);
    }

    #[test]
    fn filters() {
        let t = Templates::new(
            &one("x.html", "{{ d | date }}|{{ d | date(format=\"short\") }}|{{ 'Über uns' | slugify }}|{{ '*a*' | markdown(inline=true) }}|{{ t }}"),
            &Locale::new("de"),
            "EUR",
        )
        .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("d", "2026-11-22");
        ctx.insert("t", "<script>");
        assert_eq!(
            t.render("x.html", &ctx, "-").unwrap(),
            "22. November 2026|22.11.2026|ueber-uns|<em>a</em>|&lt;script&gt;"
        );
    }

    #[test]
    fn site_template_overrides_theme() {
        let mut s = Sources::new();
        s.insert(
            "page.html".into(),
            ("themes/default/templates/page.html".into(), "theme".into()),
        );
        s.insert(
            "page.html".into(),
            ("templates/page.html".into(), "site".into()),
        );
        let t = Templates::new(&s, &Locale::new("de"), "EUR").unwrap();
        assert_eq!(
            t.render("page.html", &tera::Context::new(), "-").unwrap(),
            "site"
        );
    }
}
