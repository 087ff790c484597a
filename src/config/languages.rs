//! `languages:` in kiosk.yaml: the site's other languages, each with its own title, description
//! and (optionally) its own domain. The default language is `language:` and is served at `/`;
//! every other language is a site of its own under `/<code>/` (or at its own `base_url`).

use super::{normalize_base_url, parts, Config};
use crate::yaml;
use serde::Serialize;
use serde_json::Value;

/// One more language of the site.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Language {
    /// Language code (`en`, `fr`, `de-ch`).
    pub code: String,
    /// The site's title in this language (default: the site's title).
    pub title: Option<String>,
    /// The site's description in this language.
    pub description: Option<String>,
    /// Its own address (one domain per language); default: `<base_url><code>/`.
    pub base_url: Option<String>,
    /// The author's `bio` in this language.
    pub bio: Option<String>,
    /// The newsletter form's own wording in this language: title, text, button. Without it
    /// the form uses the theme's texts (the default language's wording is not shown).
    pub newsletter: Option<[Option<String>; 3]>,
}

/// Is `code` a language code kiosk accepts (`en`, `pt-br`)?
pub fn is_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Parses `languages:`: a mapping from code to settings (`en: {title: …}`; `en:` alone is
/// enough).
pub(super) fn parse(v: &Value) -> Result<Vec<Language>, String> {
    let Value::Object(m) = v else {
        return Err(format!(
            "`languages` must be a mapping from language code to its settings (`en: {{title: …}}`), found {}",
            yaml::type_name(v)
        ));
    };
    let mut out = Vec::new();
    for (code, settings) in m {
        if !is_code(code) {
            return Err(format!(
                "`{code}` in `languages` is not a language code like `en`, `fr` or `pt-br` (lowercase)"
            ));
        }
        let ctx = format!("languages.{code}");
        let mut lang = Language {
            code: code.clone(),
            title: None,
            description: None,
            base_url: None,
            bio: None,
            newsletter: None,
        };
        match settings {
            Value::Null => {}
            Value::Object(s) => {
                parts::check_keys(
                    s,
                    &["title", "description", "base_url", "bio", "newsletter"],
                    &ctx,
                )?;
                let text = |k: &str| -> Result<Option<String>, String> {
                    parts::str_field(s, k, &ctx).map(|t| (!t.is_empty()).then_some(t))
                };
                lang.title = text("title")?;
                lang.description = text("description")?;
                lang.base_url = text("base_url")?
                    .map(|u| normalize_base_url(&u))
                    .transpose()?;
                lang.bio = text("bio")?;
                lang.newsletter = match s.get("newsletter") {
                    None | Some(Value::Null) => None,
                    Some(Value::Object(n)) => {
                        let ctx = format!("{ctx}.newsletter");
                        parts::check_keys(n, &["title", "text", "button"], &ctx)?;
                        let t = |k: &str| -> Result<Option<String>, String> {
                            parts::str_field(n, k, &ctx).map(|t| (!t.is_empty()).then_some(t))
                        };
                        Some([t("title")?, t("text")?, t("button")?])
                    }
                    Some(other) => {
                        return Err(format!(
                            "`{ctx}.newsletter` must be a mapping with title, text and button, found {}",
                            yaml::type_name(other)
                        ))
                    }
                };
            }
            other => {
                return Err(format!(
                    "`{ctx}` must be a mapping with title, description and base_url, found {}",
                    yaml::type_name(other)
                ))
            }
        }
        out.push(lang);
    }
    Ok(out)
}

/// The site in one of its languages.
impl Config {
    /// Every language of the site, the default first.
    pub fn language_codes(&self) -> Vec<String> {
        std::iter::once(self.default_language.clone())
            .chain(self.languages.iter().map(|l| l.code.clone()))
            .collect()
    }

    /// Is this the site in its default language?
    pub fn is_default_language(&self) -> bool {
        self.language == self.default_language
    }

    /// The base URL of the site in `code` (the default language's is `base_url`).
    pub fn language_url(&self, code: &str) -> Option<String> {
        if code == self.default_language {
            return Some(self.default_url.clone());
        }
        let l = self.languages.iter().find(|l| l.code == code)?;
        Some(
            l.base_url
                .clone()
                .unwrap_or_else(|| format!("{}{}/", self.default_url, l.code)),
        )
    }

    /// This config for the site in `code`, one of `languages:`: its texts (with the site's
    /// `i18n/<code>.yaml`), title, description and address. Files go below `<code>/` in the
    /// output; a language at its own address gets the site-wide files (static files, styles)
    /// there too.
    pub fn for_language(&self, code: &str) -> Config {
        let Some(l) = self.languages.iter().find(|l| l.code == code) else {
            return self.clone();
        };
        let mut c = self.clone();
        c.language = code.to_string();
        // Its texts (the site's own, read with kiosk.yaml) and what they lack.
        c.locale = self.locale.in_language(code);
        if let Some(t) = &l.title {
            c.title = t.clone();
        }
        if let Some(d) = &l.description {
            c.description = d.clone();
        }
        // Wording written in the default language is not shown in another one.
        c.author.bio = l.bio.clone().unwrap_or_default();
        c.vat_note = None;
        if let Some(n) = &mut c.newsletter {
            let [title, text, button] = l.newsletter.clone().unwrap_or_default();
            n.title = title;
            n.text = text.unwrap_or_default();
            n.button = button;
        }
        c.base_url = l
            .base_url
            .clone()
            .unwrap_or_else(|| format!("{}{code}/", self.default_url));
        c
    }

    /// Does this language share the default language's address (and with it the site-wide
    /// files: static files, styles, robots.txt)?
    pub fn shares_root(&self) -> bool {
        !self.is_default_language()
            && self
                .languages
                .iter()
                .any(|l| l.code == self.language && l.base_url.is_none())
    }

    /// Where the site-wide files are (static files, styles): the default language's address,
    /// or a language's own.
    pub fn root_url(&self) -> &str {
        if self.shares_root() {
            &self.default_url
        } else {
            &self.base_url
        }
    }

    /// Where this language's files go below the output directory: `` or `en/`.
    pub fn out_prefix(&self) -> String {
        if self.is_default_language() {
            String::new()
        } else {
            format!("{}/", self.language)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse_and_make_configs() {
        let c = Config::parse(
            "base_url: https://e.org/\nlanguage: de\nlanguages:\n  en:\n    title: Lena (EN)\n  fr:\n    base_url: https://fr.e.org\n",
        )
        .unwrap();
        assert_eq!(c.language_codes(), vec!["de", "en", "fr"]);
        let en = c.for_language("en");
        assert_eq!(
            (
                en.title.as_str(),
                en.base_url.as_str(),
                en.out_prefix().as_str()
            ),
            ("Lena (EN)", "https://e.org/en/", "en/")
        );
        assert!(en.shares_root() && !en.is_default_language());
        assert_eq!(en.locale.code(), "en");
        let fr = c.for_language("fr");
        assert_eq!(fr.base_url, "https://fr.e.org/");
        assert!(!fr.shares_root());
        assert_eq!(c.language_url("fr").unwrap(), "https://fr.e.org/");
        assert_eq!(en.language_url("de").unwrap(), "https://e.org/");
    }

    #[test]
    fn bad_languages_are_located_errors() {
        for (yaml, says) in [
            ("languages: [en]\n", "mapping"),
            ("languages:\n  English: {}\n", "language code"),
            ("languages:\n  en: {titel: x}\n", "titel"),
            ("languages:\n  de: {}\n", "default language"),
            ("languages:\n  en: {base_url: en.e.org}\n", "https://"),
        ] {
            let e = Config::parse(&format!("base_url: https://e.org/\nlanguage: de\n{yaml}"))
                .unwrap_err();
            assert!(e[0].message.contains(says), "{yaml}: {}", e[0].message);
            assert!((3..=4).contains(&e[0].line), "{yaml}: line {}", e[0].line);
        }
    }
}
