//! The kiosk site an import makes, before it is written: config, pages with front matter in
//! a fixed order, files to copy, data files, and the report.

use super::report::Report;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// The site to write.
#[derive(Debug, Default)]
pub struct Site {
    /// `kiosk.yaml`, in key order.
    pub config: Vec<(String, Value)>,
    /// Pages and section indexes.
    pub pages: Vec<PageOut>,
    /// Files to copy: (path on disk, path in the new site).
    pub files: Vec<(PathBuf, String)>,
    /// Text files to write as they are: (path in the new site, text).
    pub data: Vec<(String, String)>,
    /// What happened.
    pub report: Report,
}

/// A markdown file of the new site.
#[derive(Debug, Clone, Default)]
pub struct PageOut {
    /// Path in the new site (`content/blog/2019-03-04-hallo.md`).
    pub path: String,
    /// Front matter fields, in this order.
    pub front: Vec<(String, Value)>,
    /// The markdown body.
    pub body: String,
    /// The address the page had (`/2019/03/hallo/`), to be kept.
    pub old_url: Option<String>,
    /// Where it came from, for the report (`post 12 (export.xml:40)`, `_posts/a.md`).
    pub origin: String,
}

impl PageOut {
    /// Sets a front matter field (replacing one of the same name, else at the end).
    pub fn set(&mut self, key: &str, value: impl Into<Value>) {
        let value = value.into();
        match self.front.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v = value,
            None => self.front.push((key.to_string(), value)),
        }
    }

    /// A front matter field.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.front.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Keeps only what a section's `_index.md` has (title, description, draft, extra).
    pub fn as_section(&mut self) {
        self.front
            .retain(|(k, _)| matches!(k.as_str(), "title" | "description" | "draft" | "extra"));
    }

    /// The path relative to `content/` (`blog/a.md`), as `@/` links name it.
    pub fn content_path(&self) -> &str {
        self.path.strip_prefix("content/").unwrap_or(&self.path)
    }
}

/// A YAML mapping of `fields`, in their order (`key: value` lines).
pub fn yaml_lines(fields: &[(String, Value)]) -> String {
    let mut out = String::new();
    for (k, v) in fields {
        let mut one = Map::new();
        one.insert(k.clone(), v.clone());
        out.push_str(&crate::yaml::to_string(&Value::Object(one)));
    }
    out
}

/// The text of a markdown file: front matter between `---` lines, then the body.
pub fn page_text(p: &PageOut) -> String {
    let body = p.body.trim_matches('\n');
    let mut s = format!("---\n{}---\n", yaml_lines(&p.front));
    if !body.is_empty() {
        s.push('\n');
        s.push_str(body);
        s.push('\n');
    }
    s
}
