//! Functions templates call: `get_url`, `get_page`, `get_section`, `get_product`,
//! `get_taxonomy`. They read the site from [`SiteData`], filled in as the build proceeds, and note
//! which pages each output read in full (for `serve`).

use super::err;
use std::collections::BTreeMap;
use std::sync::Arc;
use tera::{Kwargs, State, Tera, Value};

/// Data the lookup functions read, filled in as the build proceeds.
#[derive(Default)]
pub struct SiteData {
    /// `content/`-relative path → site path.
    pub urls: std::sync::OnceLock<UrlMap>,
    /// The base URL.
    pub base_url: std::sync::OnceLock<String>,
    /// Where the site-wide files are (static files, styles): the default language's address,
    /// or a language's own.
    pub root_url: std::sync::OnceLock<String>,
    /// The base URL of each language of the site, for `get_url(path=…, lang=…)`.
    pub language_urls: std::sync::OnceLock<BTreeMap<String, String>>,
    /// The default language's full URLs by `content/`-relative path, for `@/` links to pages
    /// a language does not have (empty in the default language).
    pub fallback_urls: std::sync::OnceLock<Arc<BTreeMap<String, String>>>,
    /// On a site in several languages: the URL in a language (second argument) of the page or
    /// section at a `content/`-relative path (first), for `get_url(path="@/…", lang=…)`.
    pub translated_url: std::sync::OnceLock<TranslatedUrl>,
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

/// Registers the lookup functions; they answer from `data` once it is filled.
pub(super) fn register(tera: &mut Tera, data: &Arc<SiteData>) {
    let d = data.clone();
    tera.register_function("get_url", move |kwargs: Kwargs, st: &State| {
        get_url(&d, kwargs, st)
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

/// The URL of a page in another language: (`content/`-relative path, language) → full URL.
pub type TranslatedUrl = Arc<dyn Fn(&str, &str) -> Option<String> + Send + Sync>;

/// Shared, read-only data behind `get_url`: site paths by `content/`-relative path.
pub type UrlMap = Arc<BTreeMap<String, String>>;

/// The full URL of the page or section at `content/`-relative `path`: this language's, else
/// the default language's.
pub fn content_url(d: &SiteData, path: &str) -> Option<String> {
    let p = path.trim_start_matches('/');
    if let (Some(urls), Some(base)) = (d.urls.get(), d.base_url.get()) {
        if let Some(u) = urls.get(p) {
            return Some(format!("{base}{}", u.trim_start_matches('/')));
        }
    }
    d.fallback_urls.get()?.get(p).cloned()
}

/// `get_url(path="@/blog/a.md")` (with `lang="en"`: its English translation),
/// `get_url(path="css/site.css")` (a site-wide file) or `get_url(path="atom.xml", lang="en")`
/// (below a language's address).
fn get_url(d: &SiteData, kwargs: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let path: &str = kwargs.must_get("path")?;
    let lang: Option<&str> = kwargs.get("lang")?;
    let base_url = match lang {
        Some(code) => d
            .language_urls
            .get()
            .and_then(|l| l.get(code))
            .ok_or_else(|| err(format!("get_url: `{code}` is not a language of the site")))?,
        None => d.root_url.get().ok_or_else(|| not_ready("get_url"))?,
    };
    if let Some(rel) = path.strip_prefix("@/") {
        let (p, anchor) = rel
            .split_once('#')
            .map_or((rel, None), |(p, a)| (p, Some(a)));
        let full = match (lang, d.translated_url.get()) {
            (Some(code), Some(translated)) => translated(p, code).ok_or_else(|| {
                err(format!(
                    "get_url: no page or section `@/{p}` in the language `{code}`"
                ))
            })?,
            _ => content_url(d, p)
                .ok_or_else(|| err(format!("get_url: no page or section `@/{p}` in content/")))?,
        };
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
