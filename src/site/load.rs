//! Loading a site: config, templates, content and taxonomies, then the markdown stage. Every
//! stage runs even when an earlier one found problems in some files, so one run reports them all.

use super::{lookup, markdown, timed, BuildOptions, Progress, Site};
use crate::config::Config;
use crate::content::taxonomy::{self, Taxonomy};
use crate::content::{self, Library, LoadOptions};
use crate::error::{BuildFailed, Diagnostic, Diagnostics};
use crate::markdown::highlight::Highlighter;
use crate::templates::{self, Templates};
use crate::views::Views;
use std::path::Path;
use std::sync::Arc;

/// The code highlighter of a build. Its cache (100+ MB on big sites) is read on a thread while
/// the content loads, and written once, after the markdown of every language is rendered.
pub(crate) struct SharedHighlighter {
    loading: std::sync::Mutex<Option<std::thread::JoinHandle<Highlighter>>>,
    ready: std::sync::OnceLock<Highlighter>,
}

impl SharedHighlighter {
    /// Starts reading the cache in `opts.cache_dir`.
    pub fn spawn(opts: &BuildOptions) -> SharedHighlighter {
        let cache_dir = opts.cache_dir.clone();
        SharedHighlighter {
            loading: std::sync::Mutex::new(Some(std::thread::spawn(move || {
                Highlighter::new(cache_dir)
            }))),
            ready: std::sync::OnceLock::new(),
        }
    }

    /// The highlighter, once its cache is read (a panicked reader is an empty cache).
    pub fn get(&self) -> &Highlighter {
        self.ready.get_or_init(|| {
            let handle = self.loading.lock().ok().and_then(|mut l| l.take());
            handle
                .and_then(|h| h.join().ok())
                .unwrap_or_else(|| Highlighter::new(None))
        })
    }

    /// Writes the cache (unless `opts` says read-only); a failure is a warning in `warnings`.
    pub fn save(
        &self,
        opts: &BuildOptions,
        warnings: &mut Vec<Diagnostic>,
        progress: &mut dyn FnMut(Progress),
    ) {
        timed(progress, "highlight", || {
            let mut diags = Diagnostics::default();
            let detail = save_cache(self.get(), opts, &mut diags);
            warnings.extend(diags.take_sorted());
            ((), detail)
        });
    }
}

impl Site {
    /// Loads config, templates and content, and renders all markdown.
    pub fn load(
        opts: &BuildOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Site, BuildFailed> {
        let highlighter = SharedHighlighter::spawn(opts);
        let site = Site::load_with(opts, progress, &highlighter, None);
        let mut warnings = Vec::new();
        highlighter.save(opts, &mut warnings, progress);
        site.map(|mut s| {
            s.warnings.extend(warnings);
            s
        })
    }

    /// [`Site::load`] with a highlighter shared by the site's languages; a language other than
    /// the default gets what it shares with the default language's site.
    pub(crate) fn load_with(
        opts: &BuildOptions,
        progress: &mut dyn FnMut(Progress),
        shared: &SharedHighlighter,
        from_default: Option<&super::languages::FromDefault>,
    ) -> Result<Site, BuildFailed> {
        let mut diags = Diagnostics::default();
        let root = opts.root.clone();
        let (config, mut templates) =
            timed(progress, "config", || config_and_templates(opts)).map_err(BuildFailed::from)?;
        let (mut lib, taxonomies) = timed(progress, "content", || {
            let products = from_default.map(|f| f.products.clone());
            let (lib, tax, d) = load_content(&root, &config, opts, products);
            diags.extend(d);
            let detail = format!(
                "{} pages in {} sections",
                lib.pages.len(),
                lib.sections.len()
            );
            ((lib, tax), detail)
        });
        check_page_templates(&lib, &templates, &mut diags);
        config_globals(&mut templates, &config);
        if let Some(f) = from_default {
            let _ = templates.data.fallback_urls.set(f.urls.clone());
        }
        if config.is_default_language() {
            diags.extend(super::static_files::scan(&root).warnings);
        }
        diags.extend(missing_texts(&config));
        markdown::render_summaries(&mut lib, &config);
        lookup::prepare(&templates, &lib, &config);
        if config.newsletter.is_some()
            && Views::new(&lib, &config, &taxonomies)
                .privacy_page()
                .is_none()
        {
            diags.push(Diagnostic::file(
                crate::config::CONFIG_FILE,
                "the newsletter form needs a privacy page to link in its consent sentence: add content/datenschutz.md or set `newsletter.privacy_page: \"@/…\"`",
            ));
        }
        let highlighter = shared.get();
        timed(progress, "markdown", || {
            diags.extend(markdown::render_all(
                &mut lib,
                &config,
                &templates,
                highlighter,
            ));
            ((), config.language.clone())
        });
        diags.check()?;
        if let Err(msg) = crate::markdown::highlight::stylesheet(
            &config.highlighting.light,
            &config.highlighting.dark,
        ) {
            diags.push(Diagnostic::file(crate::config::CONFIG_FILE, msg));
            diags.check()?;
        }
        let lib = Arc::new(lib);
        let taxonomies = Arc::new(taxonomies);
        let site_value =
            tera::Value::from_serializable(&Views::new(&lib, &config, &taxonomies).site());
        templates.set_global("site", site_value);
        lookup::install(&templates, &lib, &taxonomies, &config);
        Ok(Site {
            cards: (0..lib.pages.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            config,
            root,
            lib,
            taxonomies,
            templates,
            clock: opts.clock,
            translations: Arc::default(),
            warnings: diags.take_sorted(),
        })
    }

    /// Reads the templates again (for `serve`); the content stays as loaded.
    pub fn reload_templates(&mut self) -> Result<(), BuildFailed> {
        let sources = templates::sources(&self.root).map_err(BuildFailed::from)?;
        let mut templates = Templates::new(&sources, &self.config.locale, &self.config.currency)
            .map_err(BuildFailed::from)?;
        let mut diags = Diagnostics::default();
        check_page_templates(&self.lib, &templates, &mut diags);
        diags.check()?;
        config_globals(&mut templates, &self.config);
        lookup::prepare(&templates, &self.lib, &self.config);
        templates.set_global("site", tera::Value::from_serializable(&self.views().site()));
        lookup::install(&templates, &self.lib, &self.taxonomies, &self.config);
        self.templates = templates;
        Ok(())
    }
}

/// A warning for each of the site's own texts this language lacks, at its `i18n/` file.
fn missing_texts(config: &Config) -> Vec<Diagnostic> {
    let Some((file, keys)) = config.missing_texts.get(&config.language) else {
        return Vec::new();
    };
    keys.iter()
        .map(|key| {
            Diagnostic::warning(
                file,
                0,
                0,
                format!(
                    "the text `{key}` is missing in the language `{}`: its pages show the \
                     default language's text ({})",
                    config.language, config.default_language
                ),
            )
        })
        .collect()
}

/// What shortcodes may read of `kiosk.yaml` while the markdown is rendered (the `site`
/// variable comes later): `legal`, for the `impressum` shortcode.
fn config_globals(templates: &mut Templates, config: &Config) {
    templates.set_global("legal", tera::Value::from_serializable(&config.legal));
}

/// `kiosk.yaml` (with `--base-url` applied) and the compiled templates.
fn config_and_templates(
    opts: &BuildOptions,
) -> (Result<(Config, Templates), Vec<Diagnostic>>, String) {
    let mut config = match Config::load(&opts.root) {
        Ok(c) => c,
        Err(e) => return (Err(e), String::new()),
    };
    if let Some(url) = &opts.base_url {
        if let Err(msg) = config.set_base_url(url) {
            return (
                Err(vec![Diagnostic::file("--base-url", msg)]),
                String::new(),
            );
        }
    }
    if let Some(code) = &opts.language {
        config = config.for_language(code);
    }
    let templates = templates::sources(&opts.root)
        .and_then(|s| Templates::new(&s, &config.locale, &config.currency));
    let detail = format!("{} at {}", config.title, config.base_url);
    (templates.map(|t| (config, t)), detail)
}

/// The library and its taxonomies, with every problem found.
fn load_content(
    root: &Path,
    config: &Config,
    opts: &BuildOptions,
    products: Option<content::SharedProducts>,
) -> (Library, Vec<Taxonomy>, Vec<Diagnostic>) {
    let load_opts = LoadOptions {
        drafts: opts.drafts,
        future: opts.future,
        now: opts.clock.now,
        language: (!config.languages.is_empty()).then(|| content::LanguageFilter {
            code: config.language.clone(),
            default: config.default_language.clone(),
            codes: config.language_codes(),
            products: products.unwrap_or_default(),
        }),
    };
    let (lib, mut diags) = content::load(root, config, &load_opts);
    let (tax, d) = taxonomy::collect(&lib, config);
    diags.extend(d);
    (lib, tax, diags)
}

/// Writes the highlight cache (unless read-only); returns the stage's detail line.
fn save_cache(highlighter: &Highlighter, opts: &BuildOptions, diags: &mut Diagnostics) -> String {
    let stats = if opts.cache_read_only {
        Ok(Default::default())
    } else {
        highlighter.save()
    };
    match stats {
        Ok(s) => format!(
            "{} code blocks highlighted, {} from cache",
            s.misses, s.hits
        ),
        Err(e) => {
            diags.push(Diagnostic::warning(
                ".kiosk-cache",
                0,
                0,
                format!("cannot write the highlight cache: {e}"),
            ));
            String::new()
        }
    }
}

/// Every `template:` named in front matter must exist.
fn check_page_templates(lib: &Library, templates: &Templates, diags: &mut Diagnostics) {
    let named = lib
        .pages
        .iter()
        .filter_map(|p| p.meta.template.as_ref().map(|t| (&p.file, t)))
        .chain(
            lib.sections
                .iter()
                .filter_map(|s| Some((s.file.as_ref()?, s.meta.template.as_ref()?))),
        );
    for (file, t) in named {
        if !templates.has(&t.value) {
            diags.push(Diagnostic::error(
                file.as_str(),
                t.line,
                t.col,
                format!(
                    "template `{}` not found in templates/ or the theme",
                    t.value
                ),
            ));
        }
    }
}
