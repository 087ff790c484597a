//! What each front matter key means, kiosk's own and those of other generators:
//!
//! | other generators write | kiosk reads it as |
//! |---|---|
//! | `lastmod`, `last_modified_at`, `modified` | `updated` |
//! | `publishDate` (Hugo) | not published before that date; the date where `date` is missing |
//! | `expiryDate` (Hugo) | not published after that date |
//! | `published: false` (Jekyll) | `draft: true` |
//! | `headless: true`, `build: {render: never}` (Hugo), `render = false` (Zola) | used by other pages, never published on its own |
//! | `excerpt` (Jekyll, WordPress) | the description where `description` is empty |
//! | `author`, `authors` | the page's authors |
//! | `image`, `images`, `cover`, `featured_image` | the header image |
//! | `url`, `permalink`, `path` (Zola) | the page's own URL |
//! | `category` (Jekyll) | `categories` |
//! | `redirect_from` (Jekyll) | `aliases` |
//! | `[taxonomies]` (Zola) | each taxonomy as its own key |
//!
//! An empty value (`description:` with nothing after it, `slug: ""`) means "not set". Keys other
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
    "cascade",
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

/// Zola's `[taxonomies]` table and Hugo's `[build]` become top-level keys (`tags`, `render`).
pub(super) fn flatten(fields: Vec<Field>) -> Vec<Field> {
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        let nested = matches!(f.key.as_str(), "taxonomies" | "build")
            && matches!(f.node.kind, NodeKind::Map(_));
        if !nested {
            out.push(f);
            continue;
        }
        for (k, node) in f.node.entries() {
            out.push(Field {
                key: k.name.clone(),
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

/// kiosk's name for a key other generators write.
fn canonical(key: &str) -> &str {
    match key {
        "lastmod" | "last_modified_at" | "modified" => "updated",
        "publishDate" | "publishdate" | "pubDate" => "publish_date",
        "expiryDate" | "expirydate" | "unpublishdate" => "expiry_date",
        "permalink" | "path" => "url",
        "images" | "cover" | "featured_image" | "featuredImage" => "image",
        "authors" => "author",
        "category" => "categories",
        "redirect_from" => "aliases",
        k => k,
    }
}

/// A text value; `None` for an empty one (nothing, `~`, `""`).
fn text(f: &Field) -> Result<Option<String>, String> {
    match &f.value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        _ => f.as_string().map(Some),
    }
}

/// The first text of an image value: a text, a list of texts, or a map with `image`/`src`/`url`.
fn image(f: &Field) -> Option<String> {
    match &f.value {
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
        return Ok(Handled::Ignored);
    }
    let key = canonical(raw);
    let allowed = match kind {
        Kind::Page => {
            PAGE_KEYS.contains(&key)
                || taxonomies.iter().any(|t| t == key)
                || matches!(
                    key,
                    "publish_date" | "expiry_date" | "published" | "headless" | "render"
                )
        }
        Kind::Section => SECTION_KEYS.contains(&key),
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
        "draft" => fm.draft = f.as_bool()?,
        "published" => fm.draft = !f.as_bool()?,
        "headless" => fm.headless = f.as_bool()?,
        "render" => {
            fm.headless = match &f.value {
                Value::Bool(b) => !b,
                Value::String(s) => matches!(s.as_str(), "never" | "false"),
                other => {
                    return Err(format!(
                        "`render` must be true, false or never, found {}",
                        yaml::type_name(other)
                    ))
                }
            }
        }
        "weight" => fm.weight = Some(f.as_i64()?),
        "paginate_by" => fm.paginate_by = Some(f.as_usize()?),
        "template" => fm.template = text(f)?.map(|v| at(v, here)),
        "slug" => fm.slug = text(f)?.map(|v| at(v, here)),
        "url" => fm.url = text(f)?.map(|v| at(v, here)),
        "image" => fm.image = image(f).map(|v| at(v, here)),
        "author" => fm.authors = authors(&f.value),
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
            fm.taxonomies
                .insert(taxonomy.to_string(), at(f.as_string_list()?, here));
        }
        // `tags`/`categories` on a site whose config does not list them: kept for templates.
        _ => return Ok(Handled::Unknown),
    }
    Ok(Handled::Yes)
}

/// Author names from a text, a list, or maps with `name` (Hugo's and Jekyll's shapes).
fn authors(v: &Value) -> Vec<String> {
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
