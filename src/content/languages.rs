//! Content per language, by file name as in Hugo and Zola: `post.md` is in the default language,
//! `post.en.md` its English translation, `_index.en.md` a section's English page. The site in
//! one language reads its own files under the plain name (`post.en.md` is `post.md` there, so
//! `@/blog/post.md` links, URLs and translations line up); a page without a translation is
//! absent in that language. Other files of a page bundle belong to every language that has the
//! bundle's page.

use super::scan::{file_name, is_markdown, parent_dir, Scanned};
use crate::error::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The default language's `product:` blocks by `content/`-relative path, with the file each is
/// written in: a translation without its own sells the same product.
pub type SharedProducts = Arc<HashMap<String, (crate::yaml::Node, String)>>;

/// Which language's content to read.
#[derive(Debug, Clone)]
pub struct LanguageFilter {
    /// The language built.
    pub code: String,
    /// The site's default language.
    pub default: String,
    /// Every language of the site.
    pub codes: Vec<String>,
    /// The default language's products (empty when building the default language).
    pub products: SharedProducts,
}

/// `post.md` and `Some("en")` for `post.en.md` when `en` is one of `codes`; the name itself and
/// `None` otherwise.
pub fn split_language<'a>(name: &str, codes: &'a [String]) -> (String, Option<&'a str>) {
    let Some(dot) = name.rfind('.') else {
        return (name.to_string(), None);
    };
    let (stem, ext) = name.split_at(dot);
    if let Some(i) = stem.rfind('.') {
        if let Some(code) = codes.iter().find(|c| stem[i + 1..].eq_ignore_ascii_case(c)) {
            return (format!("{}{ext}", &stem[..i]), Some(code.as_str()));
        }
    }
    (name.to_string(), None)
}

/// A warning for each page whose name says it is a translation (`post.en.md` beside `post.md`)
/// in a language the site does not have (`codes`, empty without `languages:`): it is published
/// as a page of its own (`/post-en/`), which the author rarely means.
pub(super) fn unknown_translations(scanned: &Scanned, codes: &[String]) -> Vec<Diagnostic> {
    let files: HashSet<&str> = scanned.files.iter().map(|(r, _)| r.as_str()).collect();
    let mut out = Vec::new();
    for (rel, _) in &scanned.files {
        let name = file_name(rel);
        let Some((stem, ext)) = name.rsplit_once('.') else {
            continue;
        };
        let Some((plain, code)) = stem.rsplit_once('.') else {
            continue;
        };
        if !is_markdown(name)
            || !crate::config::is_language_code(code)
            || codes.iter().any(|c| c == code)
        {
            continue;
        }
        let twin = renamed(rel, &format!("{plain}.{ext}"));
        if files.contains(twin.as_str()) {
            out.push(Diagnostic::warning(
                format!("content/{rel}"),
                0,
                0,
                format!("looks like the `{code}` translation of content/{twin}, but `{code}` is not a language of the site, so it is published as a page of its own; add `languages: {{{code}: {{}}}}` to kiosk.yaml to make it the translation"),
            ));
        }
    }
    out
}

/// `blog/post.md` for `blog/post.en.md`.
fn renamed(rel: &str, name: &str) -> String {
    match parent_dir(rel) {
        "" => name.to_string(),
        dir => format!("{dir}/{name}"),
    }
}

fn is_index(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "index.md" || lower == "index.markdown"
}

/// The files and folders of `content/` the site in `f.code` reads, markdown under its plain
/// name (the file's own name is kept in `shown` for messages).
pub(super) fn select(scanned: Scanned, f: &LanguageFilter, diags: &mut Vec<Diagnostic>) -> Scanned {
    let is_default = f.code == f.default;
    let mut out = Scanned {
        dirs: Vec::new(),
        files: Vec::new(),
        shown: HashMap::new(),
    };
    let mut all_bundles: HashSet<String> = HashSet::new();
    let mut own_bundles: HashSet<String> = HashSet::new();
    let mut own_dirs: HashSet<String> = HashSet::from([String::new()]);
    let mut others = Vec::new();
    for (rel, abs) in scanned.files {
        let name = file_name(&rel);
        if !is_markdown(name) {
            others.push((rel, abs));
            continue;
        }
        let (plain, code) = split_language(name, &f.codes);
        let code = code.unwrap_or(&f.default);
        let dir = parent_dir(&rel).to_string();
        if is_index(&plain) && !dir.is_empty() {
            all_bundles.insert(dir.clone());
        }
        if code != f.code {
            continue;
        }
        let new = renamed(&rel, &plain);
        if let Some(first) = out.shown.get(&new) {
            diags.push(Diagnostic::file(
                format!("content/{rel}"),
                format!("`content/{first}` is this page in `{code}` already: keep one of the two"),
            ));
            continue;
        }
        if is_index(&plain) {
            own_bundles.insert(dir.clone());
        }
        let mut d = dir.as_str();
        while own_dirs.insert(d.to_string()) && !d.is_empty() {
            d = parent_dir(d);
        }
        out.shown.insert(new.clone(), rel);
        out.files.push((new, abs));
    }
    let bundle_of = |rel: &str| {
        rel.match_indices('/')
            .map(|(i, _)| &rel[..i])
            .find(|d| all_bundles.contains(*d))
            .map(str::to_string)
    };
    for (rel, abs) in others {
        let keep = match bundle_of(&rel) {
            Some(b) => own_bundles.contains(&b),
            None => is_default || own_dirs.contains(parent_dir(&rel)),
        };
        if keep {
            out.files.push((rel, abs));
        }
    }
    out.files.sort();
    out.dirs = scanned
        .dirs
        .into_iter()
        .filter(|d| is_default || own_dirs.contains(d))
        .collect();
    out
}

/// The key of a page's translation group: `key\0…` for a `translation_key`, else its
/// `content/`-relative path (translations share products and `hreflang` links by it).
pub fn translation_tie(
    key: Option<&super::frontmatter::Located<String>>,
    content_path: &str,
) -> String {
    match key {
        Some(k) => format!("key\0{}", k.value),
        None => content_path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn names_split_by_language() {
        let codes = vec!["de".to_string(), "en".to_string()];
        assert_eq!(
            split_language("post.en.md", &codes),
            ("post.md".into(), Some("en"))
        );
        assert_eq!(
            split_language("_index.EN.md", &codes),
            ("_index.md".into(), Some("en"))
        );
        assert_eq!(split_language("v1.2.md", &codes), ("v1.2.md".into(), None));
        assert_eq!(split_language("post.md", &codes), ("post.md".into(), None));
    }

    #[test]
    fn each_language_reads_its_own_files() {
        let f = |r: &str| (r.to_string(), PathBuf::from(r));
        let scanned = || Scanned {
            dirs: ["", "blog", "blog/b", "produkte", "produkte/e"]
                .map(String::from)
                .to_vec(),
            files: vec![
                f("_index.md"),
                f("_index.en.md"),
                f("blog/a.md"),
                f("blog/a.en.md"),
                f("blog/b/index.md"),
                f("blog/b/bild.png"),
                f("blog/plan.pdf"),
                f("produkte/e/index.md"),
                f("produkte/e/index.en.md"),
                f("produkte/e/cover.png"),
            ],
            shown: HashMap::new(),
        };
        let filter = |code: &str| LanguageFilter {
            code: code.into(),
            default: "de".into(),
            codes: vec!["de".into(), "en".into()],
            products: SharedProducts::default(),
        };
        let mut diags = Vec::new();
        let en = select(scanned(), &filter("en"), &mut diags);
        let files: Vec<&str> = en.files.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(
            files,
            vec![
                "_index.md",
                "blog/a.md",
                "blog/plan.pdf",
                "produkte/e/cover.png",
                "produkte/e/index.md"
            ]
        );
        assert_eq!(en.shown["blog/a.md"], "blog/a.en.md");
        assert_eq!(en.dirs, vec!["", "blog", "produkte", "produkte/e"]);
        let de = select(scanned(), &filter("de"), &mut diags);
        assert_eq!(de.files.len(), 7);
        assert!(de.files.iter().all(|(r, _)| !r.contains(".en.")));
        assert!(diags.is_empty());
    }
}
