//! Site configuration: `kiosk.yaml` at the site root, read into [`Config`] with defaults filled in.

mod languages;
mod legal;
mod parts;

pub use languages::{is_code as is_language_code, Language};
pub use legal::Legal;

use crate::error::{did_you_mean, Diagnostic};
use crate::locale::Locale;
use crate::yaml::{self, Field};
use parts::{parse_author, parse_highlighting, parse_newsletter, parse_permalinks};
use serde::Serialize;
use serde_json::{Map, Value};
use std::path::Path;

/// The config file's name.
pub const CONFIG_FILE: &str = "kiosk.yaml";

/// The site's author.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Author {
    /// Full name.
    pub name: String,
    /// Contact address.
    pub email: String,
    /// A short biography (markdown).
    pub bio: String,
    /// Profiles elsewhere.
    pub links: Vec<Link>,
}

/// A named link.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Link {
    /// Visible name.
    pub name: String,
    /// Target URL.
    pub url: String,
}

/// Code highlighting themes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Highlighting {
    /// Theme for light mode.
    pub light: String,
    /// Theme for dark mode (`prefers-color-scheme: dark`).
    pub dark: String,
}

/// How prices are labelled for VAT.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Vat {
    /// Prices include VAT ("inkl. MwSt.").
    Included,
    /// Kleinunternehmer: no VAT charged (§ 19 UStG).
    SmallBusiness,
    /// No note.
    None,
}

/// A newsletter signup form: a plain HTML form posting to the provider.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Newsletter {
    /// The provider's form address (https).
    pub action: String,
    /// Name of the e-mail field.
    pub email_field: String,
    /// Name of an optional first-name field.
    pub name_field: Option<String>,
    /// Hidden fields the provider wants.
    pub hidden: Vec<(String, String)>,
    /// Heading (default: the locale's).
    pub title: Option<String>,
    /// Text above the form (markdown).
    pub text: String,
    /// Button label (default: the locale's).
    pub button: Option<String>,
    /// `@/` path of the privacy page the consent sentence links to.
    pub privacy_page: Option<String>,
}

/// The resolved configuration.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Config {
    /// Site title.
    pub title: String,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// Language code (`de`, `en`, …).
    pub language: String,
    /// What the language decides: texts, dates, money, quotes.
    #[serde(skip)]
    pub locale: Locale,
    /// The author.
    pub author: Author,
    /// Site description for feeds and the home page.
    pub description: String,
    /// Names of the taxonomies (default: tags, categories).
    pub taxonomies: Vec<String>,
    /// Items per list page; 0 turns pagination off.
    pub paginate_by: usize,
    /// Number of entries in feeds.
    pub feed_limit: usize,
    /// Highlighting themes.
    pub highlighting: Highlighting,
    /// Output directory relative to the root.
    pub output_dir: String,
    /// Free data for templates.
    pub extra: Map<String, Value>,
    /// Default currency of product prices (ISO 4217).
    pub currency: String,
    /// VAT note under prices.
    pub vat: Vat,
    /// Own wording of the VAT note.
    pub vat_note: Option<String>,
    /// Newsletter signup form.
    pub newsletter: Option<Newsletter>,
    /// URL patterns by section directory (`blog` → `/:year/:month/:slug/`).
    pub permalinks: std::collections::BTreeMap<String, String>,
    /// Paths in the output no build removes (`CNAME`, `.well-known`); `.git` always.
    pub keep: Vec<String>,
    /// The provider's details (Impressum).
    pub legal: Option<Legal>,
    /// The site's other languages (`languages:`).
    pub languages: Vec<Language>,
    /// The default language (`language:`), served at the root; `language` is the one this
    /// config builds.
    pub default_language: String,
    /// The default language's base URL (the others' addresses derive from it).
    pub default_url: String,
    /// Keys of the site's own texts each other language lacks (`i18n/de.yaml` has them,
    /// `i18n/en.yaml` does not), with the file read: the default language's text is shown,
    /// and the build warns.
    #[serde(skip)]
    pub missing_texts: std::collections::BTreeMap<String, (String, Vec<String>)>,
}

impl Config {
    /// The note shown under every price.
    pub fn vat_text(&self) -> Option<String> {
        if let Some(t) = &self.vat_note {
            return Some(t.clone());
        }
        let key = match self.vat {
            Vat::None => return None,
            Vat::Included => "vat.included",
            Vat::SmallBusiness => "vat.small_business",
        };
        Some(self.locale.text(key).to_string())
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            base_url: "http://localhost/".into(),
            language: "de".into(),
            locale: Locale::new("de"),
            author: Author::default(),
            description: String::new(),
            taxonomies: vec!["tags".into(), "categories".into()],
            paginate_by: 10,
            feed_limit: 20,
            highlighting: Highlighting {
                light: "Coldark-Cold".into(),
                dark: "Coldark-Dark".into(),
            },
            output_dir: "public".into(),
            extra: Map::new(),
            currency: "EUR".into(),
            vat: Vat::None,
            vat_note: None,
            newsletter: None,
            permalinks: std::collections::BTreeMap::new(),
            keep: Vec::new(),
            legal: None,
            languages: Vec::new(),
            default_language: "de".into(),
            default_url: "http://localhost/".into(),
            missing_texts: std::collections::BTreeMap::new(),
        }
    }
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "author",
    "description",
    "taxonomies",
    "paginate_by",
    "feed_limit",
    "highlighting",
    "output_dir",
    "extra",
    "currency",
    "vat",
    "vat_note",
    "newsletter",
    "permalinks",
    "keep",
    "legal",
    "languages",
];

impl Config {
    /// Reads `kiosk.yaml` from `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    return Err(vec![Diagnostic::file(
                        CONFIG_FILE,
                        format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
                    )])
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(vec![Diagnostic::file(
                    CONFIG_FILE,
                    format!(
                        "no {CONFIG_FILE} in {}: is this a kiosk site? (`kiosk new DIR` makes one)",
                        root.display()
                    ),
                )])
            }
            Err(e) => return Err(vec![Diagnostic::file(CONFIG_FILE, e.to_string())]),
        };
        let mut cfg = Config::parse(&text)?;
        cfg.locale = site_texts(root, &cfg.language, &cfg.locale)?.0;
        if !cfg.languages.is_empty() {
            let mut all = vec![cfg.locale.clone()];
            for l in &cfg.languages {
                let (own, file) = site_texts(root, &l.code, &Locale::new(&l.code))?;
                let (own, missing) = own.fill_from(&cfg.locale);
                if !missing.is_empty() {
                    cfg.missing_texts.insert(l.code.clone(), (file, missing));
                }
                all.push(own);
            }
            cfg.locale = cfg.locale.with_others(&all);
        }
        Ok(cfg)
    }

    /// Parses the text of `kiosk.yaml` (without the site's `i18n/` texts).
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = crate::text::normalize_newlines(text);
        let fields = yaml::parse_mapping(&text).map_err(|e| {
            vec![Diagnostic::error(
                CONFIG_FILE,
                e.line,
                e.col,
                e.message_at(0),
            )]
        })?;
        let mut cfg = Config::default();
        let mut errors = Vec::new();
        for f in &fields {
            if let Err(msg) = cfg.set(f) {
                errors.push(Diagnostic::error(CONFIG_FILE, f.line, f.col, msg));
            }
        }
        if !fields.iter().any(|f| f.key == "base_url") {
            errors.push(Diagnostic::file(
                CONFIG_FILE,
                "`base_url` is missing (the address the site is published at, e.g. https://example.org/)",
            ));
        }
        cfg.default_language = cfg.language.clone();
        cfg.default_url = cfg.base_url.clone();
        if let Some(f) = fields.iter().find(|f| f.key == "languages") {
            if cfg.languages.iter().any(|l| l.code == cfg.language) {
                errors.push(Diagnostic::error(
                    CONFIG_FILE,
                    f.key_line,
                    f.key_col,
                    format!(
                        "`{}` is the default language (`language:`); `languages` lists the others",
                        cfg.language
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(cfg)
        } else {
            Err(errors)
        }
    }

    fn set(&mut self, f: &Field) -> Result<(), String> {
        match f.key.as_str() {
            "title" => self.title = f.as_string()?,
            "base_url" => self.base_url = normalize_base_url(&f.as_string()?)?,
            "language" => {
                self.language = f.as_string()?.to_lowercase();
                self.locale = Locale::new(&self.language);
            }
            "description" => self.description = f.as_string()?,
            "taxonomies" => {
                let list = f.as_string_list()?;
                for t in &list {
                    if crate::text::slug::slugify(t) != *t {
                        return Err(format!(
                            "taxonomy name `{t}` must be lowercase letters, digits and `-`"
                        ));
                    }
                }
                self.taxonomies = list;
            }
            "paginate_by" => self.paginate_by = f.as_usize()?,
            "feed_limit" => self.feed_limit = f.as_usize()?,
            "output_dir" => self.output_dir = f.as_string()?,
            "extra" => match &f.value {
                Value::Object(m) => self.extra = m.clone(),
                Value::Null => {}
                other => {
                    return Err(format!(
                        "`extra` must be a mapping, found {}",
                        yaml::type_name(other)
                    ))
                }
            },
            "author" => self.author = parse_author(&f.value)?,
            "currency" => self.currency = parts::parse_currency(&f.as_string()?)?,
            "vat" => self.vat = parts::parse_vat(&f.as_string()?)?,
            "vat_note" => self.vat_note = Some(f.as_string()?),
            "newsletter" => self.newsletter = Some(parse_newsletter(&f.value)?),
            "highlighting" => parse_highlighting(&f.value, &mut self.highlighting)?,
            "permalinks" => self.permalinks = parse_permalinks(&f.value)?,
            "legal" => self.legal = Some(legal::parse(&f.value)?),
            "languages" => self.languages = languages::parse(&f.value)?,
            "keep" => {
                self.keep = f.as_string_list()?;
                if let Some(bad) = self
                    .keep
                    .iter()
                    .find(|k| crate::text::slug::safe_components(k).map_or(true, |c| c.is_empty()))
                {
                    return Err(format!("`keep` names paths inside the output, like CNAME or .well-known; `{bad}` is not one"));
                }
            }
            other => {
                return Err(format!(
                    "unknown key `{other}` in {CONFIG_FILE}{}",
                    did_you_mean(other, KEYS.iter().copied())
                ))
            }
        }
        Ok(())
    }

    /// Overrides the base URL (`--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let url = normalize_base_url(url)?;
        if self.is_default_language() {
            self.default_url = url.clone();
        }
        self.base_url = url;
        Ok(())
    }

    /// Makes an absolute URL from a site path like `/blog/x/`.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`base_url` must start with https:// or http://, found `{url}`"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || url.contains(char::is_whitespace) {
        return Err(format!("`base_url` `{url}` has no host name"));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// The locale with the site's own texts: `i18n/<language>.yaml` (`i18n/de-at.yaml`), else
/// `i18n/<primary language>.yaml` (`i18n/de.yaml`), over the theme's; and the file read (the
/// first name when there is none). Errors are located.
fn site_texts(
    root: &Path,
    language: &str,
    locale: &Locale,
) -> Result<(Locale, String), Vec<Diagnostic>> {
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    for code in [language, primary] {
        let rel = format!("i18n/{code}.yaml");
        let Ok(bytes) = std::fs::read(root.join(&rel)) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let text = crate::text::normalize_newlines(&text);
        return match locale.with_site_texts(&text) {
            Ok(l) => Ok((l, rel)),
            Err(e) => Err(vec![Diagnostic::error(
                &rel,
                e.line,
                e.col,
                e.message_at(0),
            )]),
        };
    }
    Ok((locale.clone(), format!("i18n/{language}.yaml")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c = Config::parse("title: Test\nbase_url: https://example.org\n").unwrap();
        assert_eq!(c.base_url, "https://example.org/");
        assert_eq!(c.language, "de");
        assert_eq!(c.taxonomies, vec!["tags", "categories"]);
        assert_eq!(c.absolute("/blog/x/"), "https://example.org/blog/x/");
    }

    #[test]
    fn unknown_key_has_line_and_hint() {
        let e = Config::parse("title: T\nbase_url: https://e.org/\nbse_url: x\n").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 3);
        assert!(
            e[0].message.contains("did you mean `base_url`"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn shop_settings() {
        let c = Config::parse("base_url: https://e.org/\ncurrency: chf\nvat: small_business\nnewsletter:\n  provider: mailchimp\n  action: https://x.us1.list-manage.com/subscribe/post?u=1\n").unwrap();
        assert_eq!(c.currency, "CHF");
        assert_eq!(
            c.vat_text().unwrap(),
            "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."
        );
        let n = c.newsletter.unwrap();
        assert_eq!(
            (n.email_field.as_str(), n.name_field.as_deref()),
            ("EMAIL", Some("FNAME"))
        );
        let e = Config::parse("base_url: https://e.org/\ncurrency: EURO\n").unwrap_err();
        assert!(
            e[0].message.contains("did you mean `EUR`"),
            "{}",
            e[0].message
        );
        let e =
            Config::parse("base_url: https://e.org/\nnewsletter:\n  action: http://x.example/\n")
                .unwrap_err();
        assert!(e[0].message.contains("https"));
        let v = Config::parse("base_url: https://e.org/\nvat: included\nvat_note: zzgl. Versand\n")
            .unwrap();
        assert_eq!(v.vat_text().unwrap(), "zzgl. Versand");
    }

    #[test]
    fn bad_base_url() {
        let e = Config::parse("base_url: example.org\n").unwrap_err();
        assert!(e[0].message.contains("https://"));
    }

    #[test]
    fn author_and_highlighting() {
        let c = Config::parse(
            "base_url: https://e.org/\nauthor:\n  name: Anna\n  links:\n    - {name: Mastodon, url: https://m.example/@a}\nhighlighting:\n  theme: Nord\n",
        )
        .unwrap();
        assert_eq!(c.author.name, "Anna");
        assert_eq!(c.author.links[0].name, "Mastodon");
        assert_eq!(c.highlighting.dark, "Nord");
    }
}
