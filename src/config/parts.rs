//! The nested blocks of `kiosk.yaml`: `author`, `newsletter` (with provider presets),
//! `highlighting` and `permalinks`.

use super::{Author, Highlighting, Link, Newsletter};
use crate::error::did_you_mean;
use crate::yaml;
use serde_json::{Map, Value};

pub(super) fn str_field(m: &Map<String, Value>, key: &str, ctx: &str) -> Result<String, String> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!(
            "`{ctx}.{key}` must be text, found {}",
            yaml::type_name(other)
        )),
    }
}

pub(super) fn check_keys(
    m: &Map<String, Value>,
    allowed: &[&str],
    ctx: &str,
) -> Result<(), String> {
    for k in m.keys() {
        if !allowed.contains(&k.as_str()) {
            return Err(format!(
                "unknown key `{k}` in `{ctx}`{}",
                did_you_mean(k, allowed.iter().copied())
            ));
        }
    }
    Ok(())
}

pub(super) fn parse_author(v: &Value) -> Result<Author, String> {
    let m = match v {
        Value::String(name) => {
            return Ok(Author {
                name: name.clone(),
                ..Author::default()
            })
        }
        Value::Object(m) => m,
        other => {
            return Err(format!(
                "`author` must be a mapping, found {}",
                yaml::type_name(other)
            ))
        }
    };
    check_keys(m, &["name", "email", "bio", "links"], "author")?;
    let mut links = Vec::new();
    match m.get("links") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let Value::Object(l) = item else {
                    return Err(
                        "each of `author.links` must be a mapping with `name` and `url`".into(),
                    );
                };
                check_keys(l, &["name", "url"], "author.links")?;
                links.push(Link {
                    name: str_field(l, "name", "author.links")?,
                    url: str_field(l, "url", "author.links")?,
                });
            }
        }
        Some(other) => {
            return Err(format!(
                "`author.links` must be a list, found {}",
                yaml::type_name(other)
            ))
        }
    }
    Ok(Author {
        name: str_field(m, "name", "author")?,
        email: str_field(m, "email", "author")?,
        bio: str_field(m, "bio", "author")?,
        links,
    })
}

/// Field names of common newsletter providers' embed forms.
/// A provider: (name, e-mail field, first-name field).
type Preset = (&'static str, &'static str, Option<&'static str>);

const NEWSLETTER_PRESETS: &[Preset] = &[
    ("buttondown", "email", None),
    ("mailchimp", "EMAIL", Some("FNAME")),
    ("brevo", "EMAIL", Some("VORNAME")),
    ("mailerlite", "fields[email]", Some("fields[name]")),
    ("kit", "email_address", Some("fields[first_name]")),
    ("cleverreach", "email", None),
];

/// The provider preset named by `provider:` (none when it is not set).
fn newsletter_preset(m: &Map<String, Value>) -> Result<Option<&'static Preset>, String> {
    let provider = str_field(m, "provider", "newsletter")?;
    if provider.is_empty() {
        return Ok(None);
    }
    NEWSLETTER_PRESETS
        .iter()
        .find(|p| p.0 == provider.to_lowercase())
        .map(Some)
        .ok_or_else(|| {
            format!(
                "unknown newsletter provider `{provider}`{}; known: {} (or leave it out and set `email_field`)",
                did_you_mean(&provider, NEWSLETTER_PRESETS.iter().map(|p| p.0)),
                NEWSLETTER_PRESETS.iter().map(|p| p.0).collect::<Vec<_>>().join(", ")
            )
        })
}

/// `newsletter.hidden`: field names and values the provider wants.
fn hidden_fields(m: &Map<String, Value>) -> Result<Vec<(String, String)>, String> {
    match m.get("hidden") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(h)) => h
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                Value::Number(n) => Ok((k.clone(), n.to_string())),
                other => Err(format!(
                    "`newsletter.hidden.{k}` must be text, found {}",
                    yaml::type_name(other)
                )),
            })
            .collect(),
        Some(other) => Err(format!(
            "`newsletter.hidden` must be a mapping, found {}",
            yaml::type_name(other)
        )),
    }
}

const NEWSLETTER_KEYS: &[&str] = &[
    "provider",
    "action",
    "email_field",
    "name_field",
    "hidden",
    "title",
    "text",
    "button",
    "privacy_page",
];

pub(super) fn parse_newsletter(v: &Value) -> Result<Newsletter, String> {
    let Value::Object(m) = v else {
        return Err(format!(
            "`newsletter` must be a mapping, found {}",
            yaml::type_name(v)
        ));
    };
    check_keys(m, NEWSLETTER_KEYS, "newsletter")?;
    let preset = newsletter_preset(m)?;
    let action = str_field(m, "action", "newsletter")?;
    let parsed = url::Url::parse(&action)
        .map_err(|e| format!("`newsletter.action` `{action}` is not a URL: {e}"))?;
    if parsed.scheme() != "https" {
        return Err(format!(
            "`newsletter.action` must be an https:// address, found `{action}`"
        ));
    }
    let given = |key: &str| -> Result<Option<String>, String> {
        Ok(Some(str_field(m, key, "newsletter")?).filter(|s| !s.is_empty()))
    };
    Ok(Newsletter {
        action,
        email_field: given("email_field")?
            .unwrap_or_else(|| preset.map_or("email", |p| p.1).to_string()),
        name_field: given("name_field")?.or_else(|| preset.and_then(|p| p.2).map(str::to_string)),
        hidden: hidden_fields(m)?,
        title: given("title")?,
        text: str_field(m, "text", "newsletter")?,
        button: given("button")?,
        privacy_page: given("privacy_page")?,
    })
}

pub(super) fn parse_highlighting(v: &Value, h: &mut Highlighting) -> Result<(), String> {
    let Value::Object(m) = v else {
        return Err(format!(
            "`highlighting` must be a mapping, found {}",
            yaml::type_name(v)
        ));
    };
    check_keys(m, &["theme", "light", "dark"], "highlighting")?;
    let theme = str_field(m, "theme", "highlighting")?;
    if !theme.is_empty() {
        h.light = theme.clone();
        h.dark = theme;
    }
    let light = str_field(m, "light", "highlighting")?;
    if !light.is_empty() {
        h.light = light;
    }
    let dark = str_field(m, "dark", "highlighting")?;
    if !dark.is_empty() {
        h.dark = dark;
    }
    Ok(())
}

/// The tokens a permalink pattern may use (see `content::permalink`).
pub const PERMALINK_TOKENS: &[&str] = &[
    ":year",
    ":month",
    ":day",
    ":slug",
    ":title",
    ":section",
    ":filename",
    ":categories",
    ":output_ext",
];

/// `permalinks:` — a pattern per section directory (`/` for the top level). Each pattern starts
/// with `/` and uses only the known tokens.
pub(super) fn parse_permalinks(
    v: &Value,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let Value::Object(m) = v else {
        return Err(format!(
            "`permalinks` must be a mapping of section folders to patterns, found {}",
            yaml::type_name(v)
        ));
    };
    let mut out = std::collections::BTreeMap::new();
    for (section, pattern) in m {
        // Hugo's newer form: `permalinks: {page: {posts: …}}`.
        if let (Value::Object(_), "page") = (pattern, section.as_str()) {
            out.extend(parse_permalinks(pattern)?);
            continue;
        }
        if let (Value::Object(_), "section" | "term" | "taxonomy") = (pattern, section.as_str()) {
            return Err(format!(
                "`permalinks.{section}`: kiosk sets the URLs of pages only (under `permalinks:` or `permalinks.page:`); sections and taxonomy terms keep the URLs their folder and name give"
            ));
        }
        let Value::String(p) = pattern else {
            return Err(format!(
                "`permalinks.{section}` must be a pattern like /:year/:month/:slug/"
            ));
        };
        if !p.starts_with('/') {
            return Err(format!(
                "`permalinks.{section}` must start with `/`, found `{p}`"
            ));
        }
        for piece in crate::text::pattern_pieces(p) {
            let crate::text::Piece::Token(name) = piece else {
                continue;
            };
            let token = format!(":{name}");
            if !PERMALINK_TOKENS.contains(&token.as_str()) {
                return Err(format!(
                    "`permalinks.{section}`: unknown token `{token}`{}; known: {}",
                    did_you_mean(&token, PERMALINK_TOKENS.iter().copied()),
                    PERMALINK_TOKENS.join(" ")
                ));
            }
        }
        let dir = section.trim_matches('/').to_string();
        out.insert(dir, p.clone());
    }
    Ok(out)
}

/// `currency:` as an ISO 4217 code kiosk knows.
pub(super) fn parse_currency(c: &str) -> Result<String, String> {
    let cur = crate::money::currency(c).ok_or_else(|| {
        format!(
            "unknown currency `{c}`{}: use an ISO 4217 code like EUR",
            did_you_mean(
                &c.to_uppercase(),
                crate::money::CURRENCIES.iter().map(|c| c.code)
            )
        )
    })?;
    Ok(cur.code.to_string())
}

/// `vat:` included, small_business or none.
pub(super) fn parse_vat(v: &str) -> Result<super::Vat, String> {
    Ok(match v {
        "included" => super::Vat::Included,
        "small_business" => super::Vat::SmallBusiness,
        "none" => super::Vat::None,
        other => {
            return Err(format!(
                "`vat` must be included, small_business or none, found `{other}`"
            ))
        }
    })
}
