//! What templates look up while rendering: `get_url` (content paths to URLs), `get_product`
//! (product cards, also for shortcodes), and `get_page`, `get_section`, `get_taxonomy` (views of
//! the loaded site).

use crate::config::Config;
use crate::content::taxonomy::Taxonomy;
use crate::content::{Library, Target};
use crate::templates::{self, Templates, UrlMap};
use crate::views::Views;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Gives the templates what the markdown stage's shortcodes need: URLs and product cards.
pub(super) fn prepare(templates: &Templates, lib: &Library, config: &Config) {
    let _ = templates.data.urls.set(url_map(lib));
    let _ = templates.data.base_url.set(config.base_url.clone());
    let _ = templates.data.root_url.set(config.root_url().to_string());
    let _ = templates.data.language_urls.set(
        config
            .language_codes()
            .into_iter()
            .filter_map(|c| Some((c.clone(), config.language_url(&c)?)))
            .collect(),
    );
    let _ = templates.data.products.set(product_cards(lib, config));
}

/// Installs the lookup for `get_page`, `get_section` and `get_taxonomy`.
pub(super) fn install(
    templates: &Templates,
    lib: &Arc<Library>,
    taxonomies: &Arc<Vec<Taxonomy>>,
    config: &Config,
) {
    if let Ok(mut l) = templates.data.lookup.write() {
        *l = Some(Box::new(SiteLookup {
            lib: lib.clone(),
            taxonomies: taxonomies.clone(),
            config: config.clone(),
        }));
    }
}

/// Product cards for `get_product`, by `content/`-relative path (before markdown, so shortcodes
/// can use them).
fn product_cards(lib: &Library, config: &Config) -> BTreeMap<String, tera::Value> {
    let views = Views::new(lib, config, &[]);
    lib.pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.product.is_some())
        .map(|(i, p)| {
            (
                p.content_path.clone(),
                tera::Value::from_serializable(&views.card(i)),
            )
        })
        .collect()
}

/// `content/`-relative path → site path, for `@/` links and `get_url`. A translation answers
/// to its plain path (`blog/a.md`) and its own (`blog/a.en.md`).
fn url_map(lib: &Library) -> UrlMap {
    let mut m = BTreeMap::new();
    let own = |file: &str| file.strip_prefix("content/").map(str::to_string);
    for p in lib.pages.iter().filter(|p| p.published()) {
        m.insert(p.content_path.clone(), p.path.clone());
        if let Some(f) = own(&p.file).filter(|f| *f != p.content_path) {
            m.insert(f, p.path.clone());
        }
    }
    for s in lib.sections.iter().filter(|s| s.published()) {
        m.insert(s.content_path.clone(), s.path.clone());
        if let Some(f) = s
            .file
            .as_deref()
            .and_then(own)
            .filter(|f| *f != s.content_path)
        {
            m.insert(f, s.path.clone());
        }
        if !s.dir.is_empty() {
            m.insert(s.dir.clone(), s.path.clone());
            m.insert(format!("{}/", s.dir), s.path.clone());
        }
    }
    Arc::new(m)
}

/// Pages, sections and taxonomies for `get_page` and friends.
struct SiteLookup {
    lib: Arc<Library>,
    taxonomies: Arc<Vec<Taxonomy>>,
    config: Config,
}

impl SiteLookup {
    fn views(&self) -> Views<'_> {
        Views::new(&self.lib, &self.config, &self.taxonomies)
    }
}

impl templates::Lookup for SiteLookup {
    fn page(&self, path: &str) -> Option<tera::Value> {
        match self.lib.find(path) {
            Some(Target::Page(i)) => Some(tera::Value::from_serializable(&self.views().page(i))),
            _ => None,
        }
    }
    fn section(&self, path: &str) -> Option<tera::Value> {
        match self.lib.find(path) {
            Some(Target::Section(i)) => {
                let views = self.views();
                let cards = views.cards(&self.lib.sections[i].pages);
                Some(tera::Value::from_serializable(&views.section(i, cards)))
            }
            _ => None,
        }
    }
    fn taxonomy(&self, name: &str) -> Option<tera::Value> {
        let i = self.taxonomies.iter().position(|t| t.name == name)?;
        Some(tera::Value::from_serializable(
            &self.views().taxonomy(i, true),
        ))
    }
}
