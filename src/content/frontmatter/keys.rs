//! What each front matter key means, kiosk's own and those of other generators:
//!
//! | other generators write | kiosk reads it as |
//! |---|---|
//! | `lastmod`, `last_modified_at`, `modified` | `updated` |
//! | `publishDate` (Hugo) | not published before that date; the date where `date` is missing |
//! | `expiryDate` (Hugo) | not published after that date |
//! | `published: false` (Jekyll) | `draft: true` |
//! | `status` (WordPress): `draft`, `pending`, `private`, `trash` | `draft: true` (`publish` and `future` are published) |
//! | `headless: true`, `build`/`_build: {render: never, false or link}` (Hugo), `render = false` (Zola) | used by other pages, never published on its own (on a section: its list page is not published, its pages are) |
//! | `cascade` with `draft`, `headless` or `build: {render: never}` (Hugo, on a section) | the same for every page and section below |
//! | `excerpt` (Jekyll, WordPress) | the description where `description` is empty |
//! | `author`, `authors` (also inside `extra`/`params`) | the page's authors |
//! | `params` (Hugo) | `extra` |
//! | `image`, `images`, `cover`, `featured_image`, `coverImage` (also inside `extra`/`params`) | the header image |
//! | `url`, `permalink`, `path` (Zola) | the page's own URL |
//! | `category` (Jekyll) | `categories` |
//! | `redirect_from` (Jekyll) | `aliases` |
//! | `translationKey` (Hugo) | `translation_key` |
//! | `[taxonomies]` (Zola) | each taxonomy as its own key |
//!
//! An empty value (`description:` with nothing after it, `slug: ""`) means "not set". HTML
//! character references in titles, descriptions, terms and author names (`&amp;`, `&#8222;`, as
//! WordPress exports write them) are read as the characters they stand for. Keys other
//! generators use for things kiosk does not do (`layout`, `type`, `menu`, …) are reported as
//! ignored, once per key and site. Any other key is kept in `extra` for templates.

use super::{parse_date, FrontMatter, Kind, Located, SortBy};
use crate::yaml::{self, Field, NodeKind};
use serde_json::{Map, Value};

/// What setting a field did.
pub(super) enum Handled {
    /// It has a meaning and was set (or was empty).
    Yes,
    /// Another generator's key for something kiosk does not do.
    Ignored,
    /// Not a key kiosk knows: kept in `extra`.
    Unknown,
}

pub(super) const PAGE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "draft",
    "description",
    "slug",
    "tags",
    "categories",
    "aliases",
    "template",
    "weight",
    "summary",
    "extra",
    "product",
    "blocks",
    "products",
    "author",
    "image",
    "url",
    "excerpt",
    "translation_key",
];

pub(super) const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "sort_by",
    "paginate_by",
    "template",
    "weight",
    "draft",
    "extra",
];

/// Keys of Hugo, Jekyll and Zola that change how those generators build a page in ways kiosk
/// does not copy; each is reported, never guessed at.
const IGNORED: &[&str] = &[
    "layout",
    "type",
    "outputs",
    "menu",
    "menus",
    "markup",
    "resources",
    "sitemap",
    "excerpt_separator",
    "transparent",
    "redirect_to",
    "page_template",
    "in_search_index",
    "insert_anchor_links",
    "generate_feeds",
    "render_tags",
    "linkTitle",
    "isCJKLanguage",
    "build.list",
    "build.publishResources",
];

/// The keys a typo could have meant.
pub(super) fn known(kind: Kind, taxonomies: &[String]) -> Vec<&str> {
    match kind {
        Kind::Page => PAGE_KEYS
            .iter()
            .copied()
            .chain(taxonomies.iter().map(String::as_str))
            .collect(),
        Kind::Section => SECTION_KEYS.to_vec(),
    }
}

/// Zola's `[taxonomies]` table becomes top-level keys (`tags`); Hugo's `build` (or `_build`)
/// gives `render`, and `build.list`, `build.publishResources`.
pub(super) fn flatten(fields: Vec<Field>) -> Vec<Field> {
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        let is_build = matches!(f.key.as_str(), "build" | "_build");
        let nested = (is_build || f.key == "taxonomies") && matches!(f.node.kind, NodeKind::Map(_));
        if !nested {
            out.push(f);
            continue;
        }
        for (k, node) in f.node.entries() {
            let key = if is_build && k.name != "render" {
                format!("build.{}", k.name)
            } else {
                k.name.clone()
            };
            out.push(Field {
                key,
                key_line: k.line,
                key_col: k.col,
                value: node.to_value(),
                line: node.line,
                col: node.col,
                node: node.clone(),
            });
        }
    }
    out
}

/// `value` located at `here`.
fn at<T>(value: T, here: (usize, usize)) -> Located<T> {
    Located {
        value,
        line: here.0,
        col: here.1,
    }
}

/// Is `key` one of the keys of [`IGNORED`]?
pub(super) fn is_ignored(key: &str) -> bool {
    IGNORED.contains(&key)
}

/// kiosk's name for a key other generators write.
pub(super) fn canonical(key: &str) -> &str {
    match key {
        "lastmod" | "last_modified_at" | "modified" => "updated",
        "publishDate" | "publishdate" | "pubDate" => "publish_date",
        "expiryDate" | "expirydate" | "unpublishdate" => "expiry_date",
        "permalink" | "path" => "url",
        "images" | "cover" | "featured_image" | "featuredImage" | "coverImage" | "cover_image" => {
            "image"
        }
        "params" => "extra",
        "authors" => "author",
        "category" => "categories",
        "redirect_from" => "aliases",
        "translationKey" => "translation_key",
        k => k,
    }
}

/// A text value, HTML character references decoded; `None` for an empty one (nothing, `~`,
/// `""`).
fn text(f: &Field) -> Result<Option<String>, String> {
    match &f.value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        _ => f.as_string().map(|s| Some(decode(s))),
    }
}

fn decode(s: String) -> String {
    match crate::text::decode_entities(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(d) => d,
    }
}

/// WordPress's `status`: only `publish` and `future` are published.
fn status(f: &Field) -> Result<bool, String> {
    let Some(s) = text(f)? else {
        return Ok(false);
    };
    match s.to_ascii_lowercase().as_str() {
        "publish" | "published" | "future" => Ok(false),
        "draft" | "pending" | "private" | "trash" | "auto-draft" | "inherit" => Ok(true),
        _ => Err(format!(
            "`status: {s}` is not a WordPress status (publish, future, draft, pending, private, trash); write `draft: true` to keep the page unpublished, or remove `status`"
        )),
    }
}

/// Does a `render` value (Zola's `render = false`, Hugo's `build.render`) keep the page from
/// being published on its own?
fn not_rendered(v: &Value) -> Result<bool, String> {
    match v {
        Value::Bool(b) => Ok(!b),
        Value::String(s) => match s.as_str() {
            "never" | "false" | "link" => Ok(true),
            "always" | "true" => Ok(false),
            other => Err(format!(
                "`render` must be true, false, always, never or link, found `{other}`"
            )),
        },
        other => Err(format!(
            "`render` must be true, false or never, found {}",
            yaml::type_name(other)
        )),
    }
}

/// Hugo's `cascade` on a section (a mapping, or a list of them): what it says about publishing
/// (`draft`, `published`, `headless`, `build: {render}`) applies to everything below; any other
/// key is reported as ignored.
fn cascade(fm: &mut FrontMatter, f: &Field, here: (usize, usize)) -> Result<(), String> {
    let entries: Vec<&Map<String, Value>> = match &f.value {
        Value::Object(m) => vec![m],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => return Err("`cascade` must be a mapping or a list of mappings".into()),
    };
    for m in entries {
        for (k, v) in m {
            match (k.as_str(), v) {
                ("draft", Value::Bool(b)) => fm.cascade.draft |= *b,
                ("published", Value::Bool(b)) => fm.cascade.draft |= !*b,
                ("headless", Value::Bool(b)) => fm.cascade.headless |= *b,
                ("render", v) => fm.cascade.headless |= not_rendered(v)?,
                ("build" | "_build", Value::Object(b)) => {
                    if let Some(r) = b.get("render") {
                        fm.cascade.headless |= not_rendered(r)?;
                    }
                }
                // Which pages a cascade targets is not checked: it applies to all below, so
                // nothing meant to stay unpublished is published.
                ("_target" | "target", _) => {}
                _ => fm.ignored.push(at(format!("cascade.{k}"), here)),
            }
        }
    }
    Ok(())
}

/// The first text of an image value: a text, a list of texts, or a map with `image`/`src`/`url`.
fn image(f: &Field) -> Option<String> {
    image_value(&f.value)
}

/// [`image`] of a plain value.
pub(super) fn image_value(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.iter().find_map(|i| match i {
            Value::String(s) => Some(s.clone()),
            Value::Object(m) => ["image", "src", "url"]
                .iter()
                .find_map(|k| m.get(*k)?.as_str().map(str::to_string)),
            _ => None,
        }),
        Value::Object(m) => ["image", "src", "url"]
            .iter()
            .find_map(|k| m.get(*k)?.as_str().map(str::to_string)),
        _ => None,
    }
    .filter(|s| !s.trim().is_empty())
}

/// Jekyll's `excerpt_separator: <!--more-->`: kiosk's own summary marker, nothing to ignore.
fn is_more_separator(f: &Field) -> bool {
    f.key == "excerpt_separator"
        && f.value.as_str().is_some_and(|s| {
            s.split_whitespace()
                .collect::<String>()
                .eq_ignore_ascii_case("<!--more-->")
        })
}

/// Sets the field `f` (at file line and column `here`) on `fm`.
pub(super) fn set(
    fm: &mut FrontMatter,
    f: &Field,
    kind: Kind,
    taxonomies: &[String],
    here: (usize, usize),
    explicit_extra: &mut Map<String, Value>,
) -> Result<Handled, String> {
    let raw = f.key.as_str();
    if IGNORED.contains(&raw) {
        return Ok(if is_more_separator(f) {
            Handled::Yes
        } else {
            Handled::Ignored
        });
    }
    let key = canonical(raw);
    let allowed = match kind {
        Kind::Page => {
            PAGE_KEYS.contains(&key)
                || taxonomies.iter().any(|t| t == key)
                || matches!(
                    key,
                    "publish_date" | "expiry_date" | "published" | "headless" | "render" | "status"
                )
        }
        Kind::Section => {
            SECTION_KEYS.contains(&key) || matches!(key, "headless" | "render" | "cascade")
        }
    };
    if !allowed {
        return Ok(Handled::Unknown);
    }
    if f.value.is_null() && !matches!(key, "extra") {
        // An empty value means "not set".
        return Ok(Handled::Yes);
    }
    match key {
        "title" => fm.title = text(f)?,
        "description" => fm.description = text(f)?,
        "excerpt" => fm.excerpt = text(f)?,
        "summary" => fm.summary = text(f)?,
        // Any key that says "not published" wins over one that does not.
        "draft" => fm.draft |= f.as_bool()?,
        "published" => fm.draft |= !f.as_bool()?,
        "status" => fm.draft |= status(f)?,
        "headless" => fm.headless |= f.as_bool()?,
        "render" => fm.headless |= not_rendered(&f.value)?,
        "cascade" => cascade(fm, f, here)?,
        "weight" => fm.weight = Some(f.as_i64()?),
        "paginate_by" => fm.paginate_by = Some(f.as_usize()?),
        "template" => fm.template = text(f)?.map(|v| at(v, here)),
        "slug" => fm.slug = text(f)?.map(|v| at(v, here)),
        "url" => fm.url = text(f)?.map(|v| at(v, here)),
        "translation_key" => fm.translation_key = text(f)?.map(|v| at(v, here)),
        "image" => fm.image = image(f).map(|v| at(v, here)),
        "author" => fm.authors = authors(&f.value).into_iter().map(decode).collect(),
        "date" => fm.date = dated(f)?.map(|v| at(v, here)),
        "updated" => fm.updated = dated(f)?.map(|v| at(v, here)),
        "publish_date" => fm.publish_date = dated(f)?.map(|v| at(v, here)),
        "expiry_date" => fm.expiry_date = dated(f)?.map(|v| at(v, here)),
        "products" => fm.products = Some(at(f.as_string_list()?, here)),
        "aliases" => {
            fm.aliases = f
                .as_string_list()?
                .into_iter()
                .map(|v| at(v, here))
                .collect()
        }
        "sort_by" => fm.sort_by = sort_by(f)?,
        "extra" => match &f.value {
            Value::Object(m) => explicit_extra.extend(m.clone()),
            Value::Null => {}
            other => {
                return Err(format!(
                    "`extra` must be a mapping, found {}",
                    yaml::type_name(other)
                ))
            }
        },
        taxonomy if taxonomies.iter().any(|t| t == taxonomy) => {
            let terms = f.as_string_list()?.into_iter().map(decode).collect();
            fm.taxonomies.insert(taxonomy.to_string(), at(terms, here));
        }
        // `tags`/`categories` on a site whose config does not list them: kept for templates.
        _ => return Ok(Handled::Unknown),
    }
    Ok(Handled::Yes)
}

/// Author names from a text, a list, or maps with `name` (Hugo's and Jekyll's shapes).
pub(super) fn authors(v: &Value) -> Vec<String> {
    let name = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Object(m) => m.get("name")?.as_str().map(|s| s.trim().to_string()),
        _ => None,
    };
    let all: Vec<String> = match v {
        Value::Array(items) => items.iter().filter_map(name).collect(),
        other => name(other).into_iter().collect(),
    };
    all.into_iter().filter(|a| !a.is_empty()).collect()
}

/// A date; an empty text is "not set".
fn dated(f: &Field) -> Result<Option<crate::date::PageDate>, String> {
    match &f.value {
        Value::String(s) if s.trim().is_empty() => Ok(None),
        _ => parse_date(f).map(Some),
    }
}

/// `sort_by`, with Zola's names for the same orders.
fn sort_by(f: &Field) -> Result<SortBy, String> {
    Ok(match f.as_string()?.as_str() {
        "date" | "update_date" => SortBy::Date,
        "weight" => SortBy::Weight,
        "title" | "title_bytes" => SortBy::Title,
        other => {
            return Err(format!(
                "`sort_by` must be date, weight or title, found `{other}`"
            ))
        }
    })
}
