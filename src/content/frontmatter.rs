//! Front matter: the YAML between the `---` lines at the top of a markdown file, split off
//! ([`split`]) and read into typed fields ([`FrontMatter::parse`]). Lines and columns are always
//! counted from the top of the file.

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

/// A file split into its front matter and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text (empty when the file has no front matter).
    pub yaml: &'a str,
    /// File line on which the YAML text starts.
    pub yaml_line: usize,
    /// The markdown body.
    pub body: &'a str,
    /// File line on which the body starts.
    pub body_line: usize,
}

/// Splits a (normalized) file into front matter and body. A file that does not start with `---`
/// has no front matter. An opening `---` without a closing one is an error at line 1.
pub fn split(text: &str) -> Result<Split<'_>, (usize, usize, String)> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() == "+++" {
        return Err((
            1,
            1,
            "TOML front matter (`+++`) is not supported: write YAML between `---` lines".into(),
        ));
    }
    if first.trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let yaml_start = first.len() + 1;
    let mut pos = yaml_start.min(text.len());
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..pos],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err((
        1,
        1,
        "front matter not closed: the `---` on line 1 has no closing `---` line".into(),
    ))
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

/// Typed front matter of a page or section.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FrontMatter {
    /// Title.
    pub title: Option<String>,
    /// Publication date.
    pub date: Option<Located<PageDate>>,
    /// Last update.
    pub updated: Option<Located<PageDate>>,
    /// Left out of builds unless `--drafts`.
    pub draft: bool,
    /// Short description (meta description, lists).
    pub description: Option<String>,
    /// Explicit slug.
    pub slug: Option<Located<String>>,
    /// Taxonomy terms by taxonomy name.
    pub taxonomies: BTreeMap<String, Located<Vec<String>>>,
    /// Old URLs that redirect here.
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
    /// `product:` block (checked by the product stage), with file lines.
    pub product: Option<crate::yaml::Node>,
    /// Landing page `blocks:`, with file lines.
    pub blocks: Option<crate::yaml::Node>,
    /// Products this page points to (`@/` paths).
    pub products: Option<Located<Vec<String>>>,
}

const PAGE_KEYS: &[&str] = &[
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
];

const SECTION_KEYS: &[&str] = &[
    "title",
    "description",
    "sort_by",
    "paginate_by",
    "template",
    "weight",
    "draft",
    "extra",
];

impl FrontMatter {
    /// Reads the fields of a front matter block whose YAML starts on file line `yaml_line`.
    /// Errors and warnings go to the returned list; the front matter is usable when it holds no
    /// error.
    pub fn parse(
        yaml_text: &str,
        yaml_line: usize,
        kind: Kind,
        taxonomies: &[String],
        file: &str,
    ) -> (FrontMatter, Vec<Diagnostic>) {
        let mut fm = FrontMatter::default();
        let mut diags = Vec::new();
        let at = |line: usize| if line == 0 { 0 } else { line + yaml_line - 1 };
        let fields = match yaml::parse_mapping(yaml_text) {
            Ok(f) => f,
            Err(e) => {
                diags.push(Diagnostic::error(
                    file,
                    at(e.line),
                    e.col,
                    e.message_at(yaml_line - 1)
                        .replace("invalid YAML:", "invalid YAML in front matter:"),
                ));
                return (fm, diags);
            }
        };
        let mut explicit_extra = Map::new();
        for f in &fields {
            if kind == Kind::Page && matches!(f.key.as_str(), "product" | "blocks") {
                let mut node = f.node.clone();
                node.shift(yaml_line - 1);
                if f.key == "product" {
                    fm.product = Some(node);
                } else {
                    fm.blocks = Some(node);
                }
                continue;
            }
            let res = fm.set(
                f,
                kind,
                taxonomies,
                (at(f.line), f.col),
                &mut explicit_extra,
            );
            match res {
                Ok(Handled::Yes) => {}
                Ok(Handled::Unknown) => {
                    let known: Vec<&str> = match kind {
                        Kind::Page => PAGE_KEYS
                            .iter()
                            .copied()
                            .chain(taxonomies.iter().map(String::as_str))
                            .collect(),
                        Kind::Section => SECTION_KEYS.to_vec(),
                    };
                    if let Some(best) = closest(&f.key, known.iter().copied()) {
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
                Err(msg) => diags.push(Diagnostic::error(file, at(f.line), f.col, msg)),
            }
        }
        fm.extra.extend(explicit_extra);
        (fm, diags)
    }

    fn set(
        &mut self,
        f: &Field,
        kind: Kind,
        taxonomies: &[String],
        (line, col): (usize, usize),
        explicit_extra: &mut Map<String, Value>,
    ) -> Result<Handled, String> {
        let here = (line, col);
        let key = f.key.as_str();
        let allowed = match kind {
            Kind::Page => PAGE_KEYS.contains(&key) || taxonomies.iter().any(|t| t == key),
            Kind::Section => SECTION_KEYS.contains(&key),
        };
        if !allowed {
            return Ok(Handled::Unknown);
        }
        match key {
            "title" => self.title = Some(f.as_string()?),
            "description" => self.description = Some(f.as_string()?),
            "summary" => self.summary = Some(f.as_string()?),
            "draft" => self.draft = f.as_bool()?,
            "weight" => self.weight = Some(f.as_i64()?),
            "paginate_by" => self.paginate_by = Some(f.as_usize()?),
            "template" => self.template = Some(loc(f.as_string()?, here)),
            "slug" => self.slug = Some(loc(f.as_string()?, here)),
            "date" => self.date = Some(loc(parse_date(f)?, here)),
            "updated" => self.updated = Some(loc(parse_date(f)?, here)),
            "products" => self.products = Some(loc(f.as_string_list()?, here)),
            "aliases" => {
                self.aliases = f
                    .as_string_list()?
                    .into_iter()
                    .map(|a| loc(a, here))
                    .collect();
            }
            "sort_by" => {
                self.sort_by = match f.as_string()?.as_str() {
                    "date" => SortBy::Date,
                    "weight" => SortBy::Weight,
                    "title" => SortBy::Title,
                    other => {
                        return Err(format!(
                            "`sort_by` must be date, weight or title, found `{other}`"
                        ))
                    }
                }
            }
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
                self.taxonomies
                    .insert(taxonomy.to_string(), loc(f.as_string_list()?, here));
            }
            // `tags`/`categories` on a site whose config does not list them: kept for templates.
            _ => return Ok(Handled::Unknown),
        }
        Ok(Handled::Yes)
    }
}

enum Handled {
    Yes,
    Unknown,
}

fn loc<T>(value: T, (line, col): (usize, usize)) -> Located<T> {
    Located { value, line, col }
}

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
        let (fm, d) = FrontMatter::parse("tilte: Hallo\n", 2, Kind::Page, &tax(), "a.md");
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
        let (_, d) =
            FrontMatter::parse("title: A\nx: 1\ny: [1, 2\n", 2, Kind::Page, &tax(), "a.md");
        assert_eq!(d.len(), 1);
        assert!(d[0].line >= 4, "{:?}", d[0]);
    }
}
