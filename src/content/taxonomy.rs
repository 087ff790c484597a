//! Taxonomies: terms collected from the pages' front matter (`tags`, `categories`, …), each term
//! with its slug and the pages that name it, newest first.

use super::Library;
use crate::config::Config;
use crate::error::Diagnostic;
use crate::text::slug::slugify;
use std::collections::BTreeMap;

/// One taxonomy (e.g. `tags`).
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The taxonomy's name, which is also its URL segment.
    pub name: String,
    /// Terms, sorted by slug.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy.
#[derive(Debug, Clone)]
pub struct Term {
    /// Display name (as first written, in page order).
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// Pages naming the term, in the library's date order (newest first).
    pub pages: Vec<usize>,
}

/// Site path of a term page.
pub fn term_path(taxonomy: &str, slug: &str) -> String {
    format!("/{taxonomy}/{slug}/")
}

/// A term name as compared with others: case, Unicode form and spacing do not count.
fn same_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfc()
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Collects every configured taxonomy from the library.
pub fn collect(lib: &Library, config: &Config) -> (Vec<Taxonomy>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let order = lib.dated_pages();
    let undated =
        (0..lib.pages.len()).filter(|i| lib.pages[*i].date.is_none() && lib.pages[*i].published());
    let order: Vec<usize> = order.into_iter().chain(undated).collect();
    let mut out = Vec::new();
    for name in &config.taxonomies {
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        // Where each slug was first named, and how: names that differ in more than case and
        // spacing but give the same slug would silently share one term page.
        let mut first: BTreeMap<String, (String, String)> = BTreeMap::new();
        for &pi in &order {
            let page = &lib.pages[pi];
            let Some(values) = page.meta.taxonomies.get(name) else {
                continue;
            };
            for v in &values.value {
                let slug = slugify(v);
                if slug.is_empty() {
                    diags.push(Diagnostic::error(
                        &page.file,
                        values.line,
                        values.col,
                        format!("{name} term `{v}` has no letters or digits"),
                    ));
                    continue;
                }
                let key = same_name(v);
                let here = format!("{}:{}", page.file, values.line);
                match first.get(&slug) {
                    Some((k, at)) if *k != key => {
                        diags.push(Diagnostic::error(
                            &page.file,
                            values.line,
                            values.col,
                            format!(
                                "{name} `{v}` and `{}` ({at}) both become {}: they would share one page; rename one",
                                terms.get(&slug).map_or("", |t| t.name.as_str()),
                                term_path(name, &slug)
                            ),
                        ));
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        first.insert(slug.clone(), (key, here));
                    }
                }
                let t = terms.entry(slug.clone()).or_insert_with(|| Term {
                    name: v.clone(),
                    slug,
                    pages: Vec::new(),
                });
                if t.pages.last() != Some(&pi) {
                    t.pages.push(pi);
                }
            }
        }
        out.push(Taxonomy {
            name: name.clone(),
            terms: terms.into_values().collect(),
        });
    }
    (out, diags)
}
