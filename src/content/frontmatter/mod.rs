//! Front matter: YAML between `---` lines or TOML between `+++` lines at the top of a markdown
//! file, split off ([`split`]) and read into typed fields ([`FrontMatter::parse`], with the keys
//! of other generators in `keys`). Lines and columns are always counted from the top of the file.

mod keys;

use crate::date::PageDate;
use crate::error::{closest, Diagnostic};
use crate::yaml::{self, Field};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A value and where it was written (file line and column).
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based file line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

/// The language of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// YAML between `---` lines.
    #[default]
    Yaml,
    /// TOML between `+++` lines (Zola, Hugo).
    Toml,
}

/// A file split into its front matter and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The front matter text (empty when the file has none).
    pub yaml: &'a str,
    /// Its language.
    pub format: Format,
    /// File line on which the front matter text starts.
    pub yaml_line: usize,
    /// The markdown body.
    pub body: &'a str,
    /// File line on which the body starts.
    pub body_line: usize,
}

/// Splits a (normalized) file into front matter and body. Front matter is YAML between `---`
/// lines or TOML between `+++` lines; blank lines before the opening line are allowed (many Zola
/// and Hugo files start with one). A file whose first text is anything else has no front
/// matter. An opening line without a closing one is an error at the opening line.
pub fn split(text: &str) -> Result<Split<'_>, (usize, usize, String)> {
    let mut start = 0;
    let mut line = 1;
    while let Some(end) = text[start..].find('\n').map(|i| start + i) {
        if !text[start..end].trim().is_empty() {
            break;
        }
        start = end + 1;
        line += 1;
    }
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let (fence, format) = match text[start..first_end].trim_end() {
        "---" => ("---", Format::Yaml),
        "+++" => ("+++", Format::Toml),
        _ => {
            return Ok(Split {
                yaml: "",
                format: Format::Yaml,
                yaml_line: 1,
                body: text,
                body_line: 1,
            })
        }
    };
    let open_line = line;
    let yaml_start = (first_end + 1).min(text.len());
    let mut pos = yaml_start;
    line += 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let l = text[pos..end].trim_end();
        if l == fence || (format == Format::Yaml && l == "...") {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                format,
                yaml_line: open_line + 1,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err((
        open_line,
        1,
        format!("front matter not closed: the `{fence}` on line {open_line} has no closing `{fence}` line"),
    ))
}

/// kiosk's name for a front matter key other generators write (`lastmod` → `updated`).
pub fn canonical_key(key: &str) -> &str {
    keys::canonical(key)
}

/// Is `key` one of another generator's settings that kiosk ignores (`layout`, `menu`, …)?
pub fn is_ignored_key(key: &str) -> bool {
    keys::is_ignored(key)
}

/// Whether the file is a page or a section's `_index.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A page.
    Page,
    /// A section's `_index.md`.
    Section,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Newest first.
    #[default]
    Date,
    /// Lowest weight first.
    Weight,
    /// Alphabetical.
    Title,
}

/// What a section's `cascade` (Hugo) says about everything below it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cascade {
    /// Every page and section below is a draft.
    pub draft: bool,
    /// Every page and section below is used by other pages but not published on its own.
    pub headless: bool,
}

/// Typed front matter of a page or section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Title.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<Located<PageDate>>,
    /// Last update (`updated`, `lastmod`, `last_modified_at`).
    pub updated: Option<Located<PageDate>>,
    /// Not published before this date (Hugo's `publishDate`).
    pub publish_date: Option<Located<PageDate>>,
    /// Not published after this date (Hugo's `expiryDate`).
    pub expiry_date: Option<Located<PageDate>>,
    /// Left out of builds unless `--drafts` (`draft: true`, Jekyll's `published: false`).
    pub draft: bool,
    /// Used by other pages (`get_page`) but never published on its own (`headless: true`,
    /// `build: {render: never}`, Zola's `render = false`).
    pub headless: bool,
    /// On a section: what applies to everything below it.
    pub cascade: Cascade,
    /// Short description (meta description, lists).
    pub description: Option<String>,
    /// Jekyll's and WordPress's excerpt: the description where none is given.
    pub excerpt: Option<String>,
    /// Explicit slug.
    pub slug: Option<Located<String>>,
    /// Explicit site path of this page (`url`, `permalink`, Zola's `path`).
    pub url: Option<Located<String>>,
    /// Authors of this page (the site's author when empty).
    pub authors: Vec<String>,
    /// Header image: a bundle file, a site path or a URL (`image`, `images`, `cover`,
    /// `featured_image`).
    pub image: Option<Located<String>>,
    /// Taxonomy terms by taxonomy name.
    pub taxonomies: BTreeMap<String, Located<Vec<String>>>,
    /// Ties translations whose paths differ (`translation_key`, Hugo's `translationKey`):
    /// pages with the same key in different languages are translations of each other.
    pub translation_key: Option<Located<String>>,
    /// Old URLs that redirect here (`aliases`, Jekyll's `redirect_from`).
    pub aliases: Vec<Located<String>>,
    /// Template name.
    pub template: Option<Located<String>>,
    /// Sort weight.
    pub weight: Option<i64>,
    /// Summary (markdown) instead of the text before `<!-- more -->`.
    pub summary: Option<String>,
    /// Section: how pages are sorted.
    pub sort_by: SortBy,
    /// Section: items per page.
    pub paginate_by: Option<usize>,
    /// Everything else, for templates.
    pub extra: Map<String, Value>,
    /// Keys other generators use that kiosk ignores: (key, line, column), reported per site.
    pub ignored: Vec<Located<String>>,
    /// `product:` block (checked by the product stage), with file lines.
    pub product: Option<crate::yaml::Node>,
    /// The file `product` was written in when it is not this one: a translation without its
    /// own `product:` shares the default language's (price, SKU, checkout).
    pub product_file: Option<String>,
    /// Landing page `blocks:`, with file lines.
    pub blocks: Option<crate::yaml::Node>,
    /// Products this page points to (`@/` paths).
    pub products: Option<Located<Vec<String>>>,
}

impl FrontMatter {
    /// Reads the fields of a front matter block in `format` whose text starts on file line
    /// `first_line`. Errors and warnings go to the returned list; the front matter is usable when
    /// it holds no error.
    pub fn parse(
        text: &str,
        first_line: usize,
        format: Format,
        kind: Kind,
        taxonomies: &[String],
        file: &str,
    ) -> (FrontMatter, Vec<Diagnostic>) {
        let mut fm = FrontMatter::default();
        let mut diags = Vec::new();
        let offset = first_line - 1;
        let at = |line: usize| if line == 0 { 0 } else { line + offset };
        let parsed = match format {
            Format::Yaml => yaml::parse_mapping(text),
            Format::Toml => crate::toml_data::parse_mapping(text),
        };
        let fields = match parsed {
            Ok(f) => keys::flatten(f),
            Err(e) => {
                let msg = e.message_at(offset).replace(
                    "invalid YAML:",
                    match format {
                        Format::Yaml => "invalid YAML in front matter:",
                        Format::Toml => "invalid TOML in front matter:",
                    },
                );
                diags.push(Diagnostic::error(file, at(e.line), e.col, msg));
                return (fm, diags);
            }
        };
        let mut explicit_extra = Map::new();
        let mut extra_at = (0, 0);
        for f in &fields {
            if matches!(f.key.as_str(), "extra" | "params") {
                extra_at = (at(f.line), f.col);
            }
            if kind == Kind::Page && matches!(f.key.as_str(), "product" | "blocks") {
                let mut node = f.node.clone();
                node.shift(offset);
                if f.key == "product" {
                    fm.product = Some(node);
                } else {
                    fm.blocks = Some(node);
                }
                continue;
            }
            let here = (at(f.line), f.col);
            match keys::set(&mut fm, f, kind, taxonomies, here, &mut explicit_extra) {
                Ok(keys::Handled::Yes) => {
                    diags.extend(comma_terms(f, taxonomies, file, here));
                }
                Ok(keys::Handled::Ignored) => fm.ignored.push(Located {
                    value: f.key.clone(),
                    line: at(f.key_line),
                    col: f.key_col,
                }),
                Ok(keys::Handled::Unknown) => {
                    if kind == Kind::Section
                        && matches!(keys::canonical(&f.key), "slug" | "url" | "translation_key")
                    {
                        diags.push(Diagnostic::warning(
                            file,
                            at(f.key_line),
                            f.key_col,
                            format!(
                                "`{}` does nothing on a section: its address is its folder's name; it is kept in `extra` for templates",
                                f.key
                            ),
                        ));
                    } else if let Some(best) = closest(&f.key, keys::known(kind, taxonomies)) {
                        diags.push(Diagnostic::warning(
                            file,
                            at(f.key_line),
                            f.key_col,
                            format!(
                                "unknown key `{}` (did you mean `{best}`?); it is kept in `extra` for templates",
                                f.key
                            ),
                        ));
                    }
                    fm.extra.insert(f.key.clone(), f.value.clone());
                }
                Err(msg) => diags.push(Diagnostic::error(file, here.0, here.1, msg)),
            }
        }
        fm.extra.extend(explicit_extra);
        fm.fill_from_extra(extra_at);
        (fm, diags)
    }
}

impl FrontMatter {
    /// The author and header image where Zola and Hugo themes keep them: inside `[extra]` or
    /// `params`, when the front matter has none of its own.
    fn fill_from_extra(&mut self, here: (usize, usize)) {
        if self.authors.is_empty() {
            if let Some(v) = self
                .extra
                .get("author")
                .or_else(|| self.extra.get("authors"))
            {
                self.authors = keys::authors(v);
            }
        }
        if self.image.is_none() {
            self.image = ["image", "images", "cover", "featured_image", "cover_image"]
                .iter()
                .find_map(|k| keys::image_value(self.extra.get(*k)?))
                .map(|v| Located {
                    value: v,
                    line: here.0,
                    col: here.1,
                });
        }
    }
}

/// A warning for terms written as one text with commas (`tags: "Homeoffice, Tipps"`).
fn comma_terms(
    f: &Field,
    taxonomies: &[String],
    file: &str,
    here: (usize, usize),
) -> Option<Diagnostic> {
    let Value::String(s) = &f.value else {
        return None;
    };
    let is_terms = taxonomies.iter().any(|t| t == keys::canonical(&f.key));
    (is_terms && s.contains(',')).then(|| {
        Diagnostic::warning(
            file,
            here.0,
            here.1,
            format!(
                "`{}` is one text, so “{s}” is one term; write a list like [{}] for several",
                f.key,
                s.split(',').map(str::trim).collect::<Vec<_>>().join(", ")
            ),
        )
    })
}

/// A date field; anything but a valid date is an error naming the field.
fn parse_date(f: &Field) -> Result<PageDate, String> {
    match &f.value {
        Value::String(s) => PageDate::parse(s).map_err(|e| format!("`{}`: {e}", f.key)),
        other => Err(format!(
            "`{}` must be a date like 2026-11-22, found {}",
            f.key,
            yaml::type_name(other)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tax() -> Vec<String> {
        vec!["tags".into(), "categories".into()]
    }

    #[test]
    fn split_basic() {
        let s = split("---\ntitle: A\n---\nHallo\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Hallo\n");
        assert_eq!(s.body_line, 4);
        let none = split("# Nur Text\n").unwrap();
        assert_eq!(none.body, "# Nur Text\n");
        let eof = split("---\ntitle: A\n---").unwrap();
        assert_eq!(eof.body, "");
    }

    #[test]
    fn split_unclosed() {
        let e = split("---\ntitle: A\nHallo\n").unwrap_err();
        assert_eq!((e.0, e.1), (1, 1));
        assert!(e.2.contains("not closed"));
    }

    #[test]
    fn typed_fields_and_extra() {
        let (fm, d) = FrontMatter::parse(
            "title: Hallo\ndate: 2026-11-22\ntags: rust\nprice: 3\ndraft: true\nextra:\n  hero: x.png\n",
            2,
            Format::Yaml,
            Kind::Page,
            &tax(),
            "content/a.md",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.title.as_deref(), Some("Hallo"));
        assert_eq!(fm.date.as_ref().map(|d| d.line), Some(3));
        assert_eq!(fm.taxonomies["tags"].value, vec!["rust"]);
        assert!(fm.draft);
        assert_eq!(fm.extra["price"], serde_json::json!(3));
        assert_eq!(fm.extra["hero"], serde_json::json!("x.png"));
    }

    #[test]
    fn typo_warns() {
        let (fm, d) = FrontMatter::parse(
            "tilte: Hallo\n",
            2,
            Format::Yaml,
            Kind::Page,
            &tax(),
            "a.md",
        );
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert_eq!(d[0].line, 2);
        assert!(d[0].message.contains("did you mean `title`"));
        assert_eq!(fm.extra["tilte"], serde_json::json!("Hallo"));
    }

    #[test]
    fn bad_date_has_file_line() {
        let (_, d) = FrontMatter::parse(
            "title: A\ndate: 2024-02-30\n",
            2,
            Format::Yaml,
            Kind::Page,
            &tax(),
            "a.md",
        );
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (3, 7));
        assert!(d[0].message.contains("2024-02-30"));
    }

    #[test]
    fn yaml_error_counts_from_file_top() {
        // YAML starts on file line 2; the error is on its 3rd line → file line 4.
        let (_, d) = FrontMatter::parse(
            "title: A\nx: 1\ny: [1, 2\n",
            2,
            Format::Yaml,
            Kind::Page,
            &tax(),
            "a.md",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].line >= 4, "{:?}", d[0]);
    }
}
