//! Templates: tera 2 with the default theme's templates embedded in the binary; a site's own
//! `templates/` overrides any of them by name. Filters and functions for templates live here too.

use crate::content::date::{format_localized, PageDate};
use crate::content::slug::slugify;
use crate::error::Diagnostic;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use tera::{Kwargs, State, Tera, Value};

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

/// Data the lookup functions read, filled in as the build proceeds.
#[derive(Default)]
pub struct SiteData {
    /// `content/`-relative path → site path.
    pub urls: std::sync::OnceLock<UrlMap>,
    /// The base URL.
    pub base_url: std::sync::OnceLock<String>,
    /// Looks up pages, sections and taxonomies for templates.
    pub lookup: std::sync::RwLock<Option<Box<dyn Lookup>>>,
    /// Product cards by `content/`-relative path, for `get_product` (also in shortcodes).
    pub products: std::sync::OnceLock<BTreeMap<String, Value>>,
}

/// What `get_page`, `get_section` and `get_taxonomy` need.
pub trait Lookup: Send + Sync {
    /// A page by `content/`-relative path.
    fn page(&self, path: &str) -> Option<Value>;
    /// A section by `content/`-relative path.
    fn section(&self, path: &str) -> Option<Value>;
    /// A taxonomy by name.
    fn taxonomy(&self, name: &str) -> Option<Value>;
}

thread_local! {
    static READS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Notes that the output being rendered on this thread read the full content of a page
/// (`get_page`), so `serve` knows to render it again when that page changes.
fn record_read(path: &str) {
    READS.with(|r| r.borrow_mut().push(path.to_string()));
}

/// The pages read by the output rendered on this thread since the last call.
pub fn take_reads() -> Vec<String> {
    READS.with(|r| std::mem::take(&mut *r.borrow_mut()))
}

fn not_ready(f: &str) -> tera::Error {
    err(format!(
        "{f} cannot be used here (the site is not loaded yet)"
    ))
}

fn register_lookups(tera: &mut Tera, data: &Arc<SiteData>) {
    let d = data.clone();
    tera.register_function("get_url", move |kwargs: Kwargs, st: &State| {
        let urls = d.urls.get().ok_or_else(|| not_ready("get_url"))?;
        let base = d.base_url.get().ok_or_else(|| not_ready("get_url"))?;
        get_url(urls, base, kwargs, st)
    });
    let d = data.clone();
    tera.register_function("get_page", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        record_read(path.trim_start_matches("@/"));
        let guard = d.lookup.read().map_err(|_| not_ready("get_page"))?;
        let l = guard.as_ref().ok_or_else(|| not_ready("get_page"))?;
        l.page(path.trim_start_matches("@/"))
            .ok_or_else(|| err(format!("get_page: no page `{path}` in content/")))
    });
    let d = data.clone();
    tera.register_function("get_section", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        let guard = d.lookup.read().map_err(|_| not_ready("get_section"))?;
        let l = guard.as_ref().ok_or_else(|| not_ready("get_section"))?;
        l.section(path.trim_start_matches("@/"))
            .ok_or_else(|| err(format!("get_section: no section `{path}` in content/")))
    });
    let d = data.clone();
    tera.register_function("get_product", move |kwargs: Kwargs, _: &State| {
        let path: &str = kwargs.must_get("path")?;
        let products = d.products.get().ok_or_else(|| not_ready("get_product"))?;
        let p = path.trim_start_matches("@/").trim_end_matches('/');
        products
            .get(p)
            .or_else(|| products.get(&format!("{p}/index.md")))
            .cloned()
            .ok_or_else(|| err(format!("get_product: no product page `{path}` in content/")))
    });
    let d = data.clone();
    tera.register_function("get_taxonomy", move |kwargs: Kwargs, _: &State| {
        let kind: &str = kwargs.must_get("kind")?;
        let guard = d.lookup.read().map_err(|_| not_ready("get_taxonomy"))?;
        let l = guard.as_ref().ok_or_else(|| not_ready("get_taxonomy"))?;
        l.taxonomy(kind)
            .ok_or_else(|| err(format!("get_taxonomy: no taxonomy `{kind}` in kiosk.yaml")))
    });
}

/// Template sources: name → (display path, text).
pub type Sources = BTreeMap<String, (String, String)>;

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
        lang: &str,
        currency: &str,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let origin: BTreeMap<String, String> = sources
            .iter()
            .map(|(name, (display, _))| (name.clone(), display.clone()))
            .collect();
        register_filters(&mut tera, lang, currency);
        let data = Arc::new(SiteData::default());
        register_lookups(&mut tera, &data);
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
        other => other.to_string(),
    };
    message.push_str(&suffix);
    Diagnostic::file(rendering.unwrap_or("templates"), message)
}

fn err(msg: impl ToString) -> tera::Error {
    tera::Error::message(msg)
}

/// Localized date: `{{ page.date | date }}` → "22. November 2026" (de); `format` is `long`,
/// `short`, `iso` or a strftime pattern.
fn date_filter(
    lang: String,
) -> impl Fn(&Value, Kwargs, &State) -> tera::TeraResult<Value> + Send + Sync {
    move |v: &Value, kwargs: Kwargs, _: &State| {
        let s = v.as_str().ok_or_else(|| {
            err(format!(
                "the `date` filter needs a date, found {}",
                v.name()
            ))
        })?;
        let d = PageDate::parse(s).map_err(err)?;
        let format: Option<&str> = kwargs.get("format")?;
        let lang_arg: Option<&str> = kwargs.get("lang")?;
        Ok(Value::from(format_localized(
            &d,
            format.unwrap_or("long"),
            lang_arg.unwrap_or(&lang),
        )))
    }
}

fn register_filters(tera: &mut Tera, lang: &str, currency: &str) {
    let (money_lang, money_cur) = (lang.to_string(), currency.to_string());
    tera.register_filter(
        "money",
        move |v: &Value, kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let units = v.as_i64().ok_or_else(|| {
                err(format!(
                    "the `money` filter needs an amount in cents, found {}",
                    v.name()
                ))
            })?;
            let code: Option<&str> = kwargs.get("currency")?;
            let code = code.unwrap_or(&money_cur);
            let cur = crate::money::currency(code)
                .ok_or_else(|| err(format!("money: unknown currency `{code}`")))?;
            let lang_arg: Option<&str> = kwargs.get("lang")?;
            Ok(Value::from(crate::money::format(
                units,
                cur,
                lang_arg.unwrap_or(&money_lang),
            )))
        },
    );
    tera.register_filter("date", date_filter(lang.to_string()));
    tera.register_filter("slugify", |s: &str, _: Kwargs, _: &State| slugify(s));
    tera.register_filter("reading_time", |s: &str, _: Kwargs, _: &State| {
        let words = s.split_whitespace().count();
        words.div_ceil(200).max(1) as i64
    });
    let md_lang = lang.to_string();
    tera.register_filter(
        "markdown",
        move |s: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let inline: Option<bool> = kwargs.get("inline")?;
            let html = markdown_snippet(s, &md_lang);
            let html = if inline.unwrap_or(false) {
                html.trim()
                    .strip_prefix("<p>")
                    .and_then(|h| h.strip_suffix("</p>"))
                    .unwrap_or(html.trim())
                    .to_string()
            } else {
                html
            };
            Ok(Value::safe_string(&html))
        },
    );
    tera.register_filter(
        "json",
        |v: &Value, _: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let s = serde_json::to_string(v).map_err(err)?;
            // Safe inside <script>: no "</script>" can close the element early.
            Ok(Value::safe_string(&s.replace("</", "<\\/")))
        },
    );
    tera.register_filter("xml_escape", |s: &str, _: Kwargs, _: &State| -> Value {
        Value::safe_string(&crate::feeds::xml_escape(s))
    });
}

/// Renders a small markdown text (a bio, a field from front matter) without links or shortcodes.
pub fn markdown_snippet(s: &str, lang: &str) -> String {
    static HL: std::sync::OnceLock<crate::markdown::highlight::Highlighter> =
        std::sync::OnceLock::new();
    let h = HL.get_or_init(|| crate::markdown::highlight::Highlighter::new(None));
    let resolve = |_: &str| None;
    let no = |_: &str| false;
    let none = |_: &crate::markdown::shortcodes::Call| Ok(String::new());
    let ctx = crate::markdown::Context {
        lang,
        file: "",
        first_line: 1,
        resolve: &resolve,
        highlighter: h,
        is_shortcode: &no,
        shortcode: &none,
    };
    crate::markdown::render(s, &ctx).rendered.html
}

/// Shared, read-only data behind `get_url`: site paths by `content/`-relative path.
pub type UrlMap = Arc<BTreeMap<String, String>>;

/// `get_url(path="@/blog/a.md")` or `get_url(path="css/site.css")`.
fn get_url(urls: &UrlMap, base_url: &str, kwargs: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let path: &str = kwargs.must_get("path")?;
    if let Some(rel) = path.strip_prefix("@/") {
        let (p, anchor) = rel
            .split_once('#')
            .map_or((rel, None), |(p, a)| (p, Some(a)));
        let url = urls
            .get(p.trim_start_matches('/'))
            .ok_or_else(|| err(format!("get_url: no page or section `@/{p}` in content/")))?;
        let full = format!("{base_url}{}", url.trim_start_matches('/'));
        return Ok(Value::from(match anchor {
            Some(a) => format!("{full}#{a}"),
            None => full,
        }));
    }
    if path.starts_with("http://") || path.starts_with("https://") {
        return Ok(Value::from(path));
    }
    Ok(Value::from(format!(
        "{base_url}{}",
        path.trim_start_matches('/')
    )))
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
        let e = Templates::new(&one("x.html", "a\nb {{ oops( }}\n"), "de", "EUR")
            .err()
            .unwrap();
        assert_eq!(e[0].path, "templates/x.html");
        assert_eq!(e[0].line, 2);
    }

    #[test]
    fn runtime_error_names_template_line_and_page() {
        let t = Templates::new(
            &one("x.html", "line1\n{{ page.date | date }}\n"),
            "de",
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
            "de",
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
        let t = Templates::new(&s, "de", "EUR").unwrap();
        assert_eq!(
            t.render("page.html", &tera::Context::new(), "-").unwrap(),
            "site"
        );
    }
}
