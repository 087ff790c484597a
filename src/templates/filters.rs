//! Filters templates use: `date` and `money` in the site's language, `markdown`, `slugify`,
//! `reading_time`, `json` (safe inside `<script>`) and `xml_escape`; and the functions `t` (a
//! text of the site's language) and `video_source` (what the `video` shortcode embeds).

use super::err;
use crate::date::PageDate;
use crate::locale::Locale;
use crate::text::slug::slugify;
use tera::{Kwargs, State, Tera, Value};

/// The locale of a filter call: the site's, or the one named by `lang=`.
fn locale_of(site: &Locale, kwargs: &Kwargs) -> tera::TeraResult<Locale> {
    let lang: Option<&str> = kwargs.get("lang")?;
    Ok(match lang {
        Some(code) => site.in_language(code),
        None => site.clone(),
    })
}

/// Localized date: `{{ page.date | date }}` → "22. November 2026" (de); `format` is `long`,
/// `short`, `iso` or a strftime pattern.
fn date(site: &Locale, v: &Value, kwargs: &Kwargs) -> tera::TeraResult<Value> {
    let s = v.as_str().ok_or_else(|| {
        err(format!(
            "the `date` filter needs a date, found {}",
            v.name()
        ))
    })?;
    let d = PageDate::parse(s).map_err(err)?;
    let format: Option<&str> = kwargs.get("format")?;
    let locale = locale_of(site, kwargs)?;
    Ok(Value::from(
        locale.format_date(&d, format.unwrap_or("long")),
    ))
}

/// An amount in cents for readers: `{{ 1990 | money }}` → "19,90 €".
fn money(site: &Locale, currency: &str, v: &Value, kwargs: &Kwargs) -> tera::TeraResult<Value> {
    let units = v.as_i64().ok_or_else(|| {
        err(format!(
            "the `money` filter needs an amount in cents, found {}",
            v.name()
        ))
    })?;
    let code: Option<&str> = kwargs.get("currency")?;
    let code = code.unwrap_or(currency);
    let cur = crate::money::currency(code)
        .ok_or_else(|| err(format!("money: unknown currency `{code}`")))?;
    Ok(Value::from(
        locale_of(site, kwargs)?.format_money(units, cur),
    ))
}

/// `t(key="video.note", provider="YouTube")`: the site language's text for `key`, with
/// `{provider}` filled in from the other arguments.
fn text(site: &Locale, kwargs: &Kwargs) -> tera::TeraResult<Value> {
    let key: &str = kwargs.must_get("key")?;
    let locale = locale_of(site, kwargs)?;
    let count: Option<i64> = kwargs.get("count")?;
    let found = match count {
        Some(n) => locale.plural(key, n),
        None => locale.lookup(key).map(str::to_string),
    };
    let Some(mut out) = found else {
        return Err(err(format!(
            "t: no text `{key}` in i18n/{}.yaml (the theme's or the site's)",
            locale.code()
        )));
    };
    for (k, v) in kwargs.iter() {
        let name = k.to_string();
        if name != "key" && name != "lang" && name != "count" {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            out = out.replace(&format!("{{{name}}}"), &v);
        }
    }
    Ok(Value::from(out))
}

/// `video_source(url="https://youtu.be/…")` or `video_source(provider="vimeo", id="…")`: the
/// provider's name, the player address (loaded only after a click) and the video's own page.
fn video_source(kwargs: &Kwargs) -> tera::TeraResult<Value> {
    use crate::text::video::Video;
    let url: Option<&str> = kwargs.get("url")?;
    let video = match url {
        Some(u) => Video::from_url(u).ok_or_else(|| {
            err(format!(
                "video: `{u}` is not a YouTube or Vimeo address kiosk knows"
            ))
        })?,
        None => {
            let provider: &str = kwargs.must_get("provider")?;
            let id: &str = kwargs.must_get("id")?;
            Video::from_id(provider, id).ok_or_else(|| {
                err(format!(
                    "video: `{id}` is not a {provider} video id (providers: youtube, vimeo)"
                ))
            })?
        }
    };
    Ok(Value::from(std::collections::BTreeMap::from([
        ("provider", video.provider_name().to_string()),
        ("embed", video.embed_url()),
        ("watch", video.watch_url()),
    ])))
}

/// Registers the filters for a site in `locale` whose prices are in `currency` by default.
pub(super) fn register(tera: &mut Tera, locale: &Locale, currency: &str) {
    let (l, cur) = (locale.clone(), currency.to_string());
    tera.register_filter("money", move |v: &Value, kw: Kwargs, _: &State| {
        money(&l, &cur, v, &kw)
    });
    let l = locale.clone();
    tera.register_filter("date", move |v: &Value, kw: Kwargs, _: &State| {
        date(&l, v, &kw)
    });
    tera.register_filter("slugify", |s: &str, _: Kwargs, _: &State| slugify(s));
    tera.register_filter("reading_time", |s: &str, _: Kwargs, _: &State| {
        let words = s.split_whitespace().count();
        words.div_ceil(200).max(1) as i64
    });
    let l = locale.clone();
    tera.register_filter(
        "markdown",
        move |s: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
            let inline: Option<bool> = kwargs.get("inline")?;
            let html = crate::markdown::snippet(s, &l);
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
            Ok(Value::safe_string(&crate::text::script_safe_json(v)))
        },
    );
    tera.register_filter("xml_escape", |s: &str, _: Kwargs, _: &State| -> Value {
        Value::safe_string(&crate::text::escape_xml(s))
    });
    let l = locale.clone();
    tera.register_function("t", move |kw: Kwargs, _: &State| text(&l, &kw));
    tera.register_function("video_source", |kw: Kwargs, _: &State| video_source(&kw));
}
