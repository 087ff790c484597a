//! A site in several languages (`languages:` in kiosk.yaml): one [`Site`] per language, the
//! default first, each with its own content, sections, taxonomies, feeds, sitemap and 404 page
//! below its own address (`/en/`, or its own domain). What ties them together is made here,
//! after all are loaded: which pages are translations of each other (the same path below
//! `content/`: `blog/post.md` and `blog/post.en.md`, or the same `translation_key`), for
//! `hreflang` links, the sitemap, the language switcher and `get_url(…, lang=…)`.

use super::{plan, timed, BuildOptions, Job, Progress, Site};
use crate::config::Config;
use crate::content::translation_tie as tie;
use crate::error::{BuildFailed, Diagnostic, Diagnostics};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// What every language of a site knows about the others.
#[derive(Debug, Default)]
pub(crate) struct Translations {
    /// Every language: code, name (in its own language), home page URL; the default first.
    pub languages: Vec<(String, String, String)>,
    /// Pages and sections that are translations of each other: each language that publishes
    /// one, with its URL there.
    groups: Vec<Vec<(String, String)>>,
    /// The group of each page and section, by language, then `content/`-relative path.
    group_of: HashMap<String, HashMap<String, usize>>,
}

/// One language in the switcher: `languages` in templates.
#[derive(Serialize)]
pub(crate) struct LanguageLink<'a> {
    /// Code (`en`).
    pub code: &'a str,
    /// Name in its own language (`English`).
    pub name: &'a str,
    /// The translation of the current page, else the language's home page.
    pub url: &'a str,
    /// Is it the language of the current page?
    pub current: bool,
    /// Is `url` the translation of the current page (not the home page)?
    pub translated: bool,
}

/// One `<link rel="alternate" hreflang>`: `alternates` in templates.
#[derive(Serialize)]
pub(crate) struct Alternate<'a> {
    /// Language code, or `x-default`.
    pub hreflang: &'a str,
    /// The page in that language.
    pub url: &'a str,
}

impl Translations {
    /// The group of the page or section at `content_path` in `lang`.
    fn group(&self, lang: &str, content_path: &str) -> Option<&[(String, String)]> {
        let i = self.group_of.get(lang)?.get(content_path)?;
        self.groups.get(*i).map(Vec::as_slice)
    }

    /// The languages that publish the page or section at `content_path` of language `lang`,
    /// with its URL in each (empty on a site in one language, or for a page nobody
    /// translated).
    pub fn of(&self, lang: &str, content_path: Option<&str>) -> &[(String, String)] {
        match content_path.and_then(|p| self.group(lang, p)) {
            Some(v) if v.len() > 1 => v,
            _ => &[],
        }
    }

    /// The URL in language `to` of the page or section at `content_path`: the translation of
    /// `from`'s page there, else of the default language's page, else `to`'s own page at that
    /// path.
    pub fn url_in(&self, from: &str, content_path: &str, to: &str) -> Option<&str> {
        let default = self.languages.first().map_or(from, |l| l.0.as_str());
        [from, default, to]
            .iter()
            .filter_map(|l| self.group(l, content_path))
            .find_map(|g| g.iter().find(|(c, _)| c == to))
            .map(|(_, u)| u.as_str())
    }

    /// The switcher's links for a page in `current`.
    pub fn links<'a>(&'a self, current: &str, content_path: Option<&str>) -> Vec<LanguageLink<'a>> {
        let there = self.of(current, content_path);
        self.languages
            .iter()
            .map(|(code, name, home)| {
                let own = there.iter().find(|(c, _)| c == code).map(|(_, u)| u);
                LanguageLink {
                    code,
                    name,
                    url: own.unwrap_or(home),
                    current: code == current,
                    translated: own.is_some(),
                }
            })
            .collect()
    }

    /// The `hreflang` alternates of a page: every language that has it and `x-default` (the
    /// default language's); none for a page without translations.
    pub fn alternates(&self, lang: &str, content_path: Option<&str>) -> Vec<Alternate<'_>> {
        let there = self.of(lang, content_path);
        let mut out: Vec<Alternate> = there
            .iter()
            .map(|(c, u)| Alternate {
                hreflang: c,
                url: u,
            })
            .collect();
        let default = self.languages.first().map(|l| l.0.as_str());
        if let Some((_, u)) = there.iter().find(|(c, _)| Some(c.as_str()) == default) {
            out.push(Alternate {
                hreflang: "x-default",
                url: u,
            });
        }
        out
    }
}

/// What the other languages take from the default language's loaded site.
pub(crate) struct FromDefault {
    /// Full URLs by `content/`-relative path, for `@/` links to pages a language lacks.
    pub urls: Arc<BTreeMap<String, String>>,
    /// Products by translation tie ([`crate::content::translation_tie`]), for translations to
    /// take the keys they do not write.
    pub products: crate::content::SharedProducts,
}

impl FromDefault {
    fn of(site: &Site) -> FromDefault {
        let products = site
            .lib
            .pages
            .iter()
            .filter_map(|p| {
                let n = p.meta.product.clone()?;
                Some((share_key(p), (n, p.file.clone())))
            })
            .collect();
        FromDefault {
            urls: site.absolute_urls(),
            products: Arc::new(products),
        }
    }
}

/// What ties a page to its translations: its `translation_key`, else its `content/` path.
fn share_key(p: &crate::content::Page) -> String {
    tie(p.meta.translation_key.as_ref(), &p.content_path)
}

/// The site in each of its languages, the default first.
pub struct Sites {
    /// One site per language.
    pub sites: Vec<Site>,
}

impl Sites {
    /// Loads the site in every language of `languages:` (just the one without it).
    pub fn load(
        opts: &BuildOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Sites, BuildFailed> {
        let codes = Config::load(&opts.root)
            .map(|c| c.language_codes())
            .unwrap_or_default();
        if codes.len() <= 1 {
            return Site::load(opts, progress).map(|s| Sites { sites: vec![s] });
        }
        let highlighter = super::load::SharedHighlighter::spawn(opts);
        let mut sites: Vec<Site> = Vec::new();
        let mut from_default: Option<FromDefault> = None;
        let mut failed: Option<BuildFailed> = None;
        for (i, code) in codes.iter().enumerate() {
            let mut o = opts.clone();
            o.language = (i > 0).then(|| code.clone());
            match Site::load_with(&o, progress, &highlighter, from_default.as_ref()) {
                Ok(s) => {
                    if i == 0 {
                        from_default = Some(FromDefault::of(&s));
                    }
                    sites.push(s);
                }
                // The other languages take URLs and products from the default one: without it,
                // they would report problems that are not theirs.
                Err(e) if i == 0 => {
                    failed = Some(e);
                    break;
                }
                Err(e) => match &mut failed {
                    Some(f) => f.diagnostics.extend(e.diagnostics),
                    None => failed = Some(e),
                },
            }
        }
        let mut warnings = Vec::new();
        highlighter.save(opts, &mut warnings, progress);
        if let Some(mut f) = failed {
            f.diagnostics
                .extend(sites.iter().flat_map(|s| s.warnings.iter().cloned()));
            f.diagnostics.sort();
            f.diagnostics.dedup();
            return Err(f);
        }
        let (translations, untied) = translations(&sites)?;
        let translations = Arc::new(translations);
        for s in &mut sites {
            s.translations = translations.clone();
            let (t, from) = (translations.clone(), s.config.language.clone());
            let _ = s
                .templates
                .data
                .translated_url
                .set(Arc::new(move |path, to| {
                    t.url_in(&from, path, to).map(str::to_string)
                }));
        }
        if let Some(first) = sites.first_mut() {
            first.warnings.extend(warnings);
            first.warnings.extend(untied);
        }
        Ok(Sites { sites })
    }

    /// The site in its default language.
    pub fn default_site(&self) -> &Site {
        &self.sites[0]
    }

    /// Every warning of every language, once.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self
            .sites
            .iter()
            .flat_map(|s| s.warnings.iter().cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// Every output file of every language, checked together for collisions.
    pub fn plan(&self) -> Result<Vec<Vec<Job>>, BuildFailed> {
        let mut plans = Vec::new();
        let mut diags = Diagnostics::default();
        for s in &self.sites {
            match s.plan() {
                Ok(j) => plans.push(j),
                Err(e) => diags.extend(e.diagnostics),
            }
        }
        diags.check()?;
        if plans.len() > 1 {
            let all: Vec<Job> = plans.iter().flatten().cloned().collect();
            plan::check_paths(&all, &mut diags);
            diags.check()?;
        }
        Ok(plans)
    }

    /// Renders every language into `sink`; returns the paths written.
    pub fn render(
        &self,
        sink: &dyn crate::output::Sink,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<HashSet<String>, BuildFailed> {
        let plans = timed(progress, "plan", || {
            let p = self.plan();
            let n: usize = p
                .as_ref()
                .map(|p| p.iter().map(Vec::len).sum())
                .unwrap_or(0);
            (p, format!("{n} output files"))
        })?;
        timed(progress, "render", || {
            let mut r = Ok(());
            for (site, jobs) in self.sites.iter().zip(&plans) {
                if let Err(e) = site.render_jobs(jobs, sink) {
                    r = Err(e);
                    break;
                }
            }
            (r, format!("{} languages", self.sites.len()))
        })?;
        Ok(plans.into_iter().flatten().map(|j| j.rel).collect())
    }
}

/// Which page is published in which language: pages and sections by `content/`-relative path,
/// pages with a `translation_key` by their key. Two pages of one language with the same key are
/// an error at the second.
fn translations(sites: &[Site]) -> Result<(Translations, Vec<Diagnostic>), BuildFailed> {
    let mut t = Translations::default();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut diags = Diagnostics::default();
    let mut tied = Vec::new();
    for s in sites {
        let c = &s.config;
        let lang = &c.language;
        let name = c.locale.text("language.name").to_string();
        t.languages.push((lang.clone(), name, c.absolute("/")));
        let mut keyed: HashMap<&str, &str> = HashMap::new();
        let pages = s.lib.pages.iter().filter(|p| p.published()).map(|p| {
            let key = p.meta.translation_key.as_ref();
            (&p.content_path, &p.path, key, p.file.as_str())
        });
        let sections = s.lib.sections.iter().filter(|s| s.published());
        let sections = sections.map(|s| (&s.content_path, &s.path, None, ""));
        for (content_path, path, key, file) in pages.chain(sections) {
            let id = match key {
                Some(k) => {
                    if let Some(other) = keyed.insert(&k.value, file) {
                        diags.push(Diagnostic::error(
                            file,
                            k.line,
                            k.col,
                            format!(
                                "translation_key `{}` is also the key of {other}: a language has \
                                 one page per key",
                                k.value
                            ),
                        ));
                    }
                    tied.push((file, k, content_path, lang));
                    tie(Some(k), content_path)
                }
                None => content_path.clone(),
            };
            let next = t.groups.len();
            let g = *by_id.entry(id).or_insert(next);
            if g == next {
                t.groups.push(Vec::new());
            }
            t.groups[g].push((lang.clone(), c.absolute(path)));
            t.group_of
                .entry(lang.clone())
                .or_default()
                .insert(content_path.clone(), g);
        }
    }
    diags.check()?;
    let warnings = untied(&t, &tied);
    Ok((t, warnings))
}

/// A warning for each page whose `translation_key` parts it from a page of the same name in
/// another language (`a.en.md` with a key, `a.md` without): they are no longer translations.
fn untied(
    t: &Translations,
    tied: &[(
        &str,
        &crate::content::frontmatter::Located<String>,
        &String,
        &String,
    )],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (file, k, content_path, lang) in tied {
        let group = |l: &str| t.group_of.get(l).and_then(|m| m.get(*content_path));
        let own = group(lang);
        for (code, ..) in t.languages.iter().filter(|l| &l.0 != *lang) {
            let twin = group(code);
            if twin.is_some() && twin != own {
                out.push(Diagnostic::warning(
                    *file,
                    k.line,
                    k.col,
                    format!(
                        "translation_key `{}` parts this page from its namesake in `{code}`, \
                         which is then not its translation: give both the same key",
                        k.value
                    ),
                ));
            }
        }
    }
    out
}
