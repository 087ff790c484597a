//! What Jekyll, Hugo and Zola imports share: walking the source folder, reading a file's front
//! matter (YAML, TOML or Hugo's JSON) with lines, turning other generators' keys into kiosk's
//! (unknown ones into `extra`, those that change how the old generator built a page listed in
//! the report), and the last pass over every body (`markdown::foreign`: highlight blocks,
//! comments, escapes, kramdown), whose remaining findings go to the report at their line.

use super::model::PageOut;
use super::report::{Kind, Report};
use crate::yaml::Field;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Every file below `root` (sorted, `/`-separated paths), those `skip` names left out
/// (it is told whether the file or folder is hidden, a name starting with `.`); symbolic
/// links are listed in the report, never followed.
pub fn walk(
    root: &Path,
    skip: &dyn Fn(&str, bool) -> bool,
    report: &mut Report,
) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let mut it = walkdir::WalkDir::new(root)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = it.next() {
        let Ok(e) = entry else {
            continue;
        };
        let Ok(rel) = e.path().strip_prefix(root) else {
            continue;
        };
        let rel = crate::content::portable(rel);
        let name = e.file_name().to_string_lossy();
        if skip(&rel, name.starts_with('.')) {
            if e.file_type().is_dir() {
                it.skip_current_dir();
            }
            continue;
        }
        if e.path_is_symlink() {
            report.note(
                Kind::Files,
                rel,
                "a symbolic link: not followed, not imported",
            );
            continue;
        }
        if e.file_type().is_file() {
            out.push((rel, e.path().to_path_buf()));
        }
    }
    out
}

/// The patterns a site's settings leave out of the build (Jekyll's `exclude`, Zola's
/// `ignored_content` as globs, Hugo's `ignoreFiles` as regular expressions), matched against
/// a file's path below the folder that was walked.
#[derive(Default)]
pub struct Ignore {
    globs: Vec<(String, Option<globset::GlobMatcher>)>,
    regexes: Vec<regex::Regex>,
}

impl Ignore {
    /// Globs (`*` also crosses folders, as in Jekyll and Zola); one that cannot be read is
    /// named in the report and matched as a plain path.
    pub fn globs(patterns: &[String], setting: &str, report: &mut Report) -> Ignore {
        let mut out = Ignore::default();
        for p in patterns {
            let p = p.trim().trim_start_matches("./").trim_matches('/');
            if p.is_empty() {
                continue;
            }
            let glob = match globset::Glob::new(p) {
                Ok(g) => Some(g.compile_matcher()),
                Err(e) => {
                    report.note(
                        Kind::Settings,
                        setting.to_string(),
                        format!(
                            "“{p}” is not a pattern kiosk can read ({e}); matched as a plain path"
                        ),
                    );
                    None
                }
            };
            out.globs.push((p.to_string(), glob));
        }
        out
    }

    /// Regular expressions (Hugo's `ignoreFiles`); one that cannot be read is named in the
    /// report and left out.
    pub fn regexes(patterns: &[String], setting: &str, report: &mut Report) -> Ignore {
        let mut out = Ignore::default();
        for p in patterns {
            match regex::Regex::new(p) {
                Ok(r) => out.regexes.push(r),
                Err(e) => report.note(
                    Kind::Settings,
                    setting.to_string(),
                    format!("“{p}” is not a regular expression kiosk can read ({e}); files it names are imported"),
                ),
            }
        }
        out
    }

    /// Whether `rel` (or a folder it lies in, for globs) is left out; `prefix` is the walked
    /// folder's own path, which Hugo's expressions may include (`content/drafts/`).
    pub fn matches(&self, rel: &str, prefix: &str) -> bool {
        let globbed = self.globs.iter().any(|(plain, m)| {
            m.as_ref().is_some_and(|m| m.is_match(rel))
                || rel == plain
                || rel.starts_with(&format!("{plain}/"))
        });
        globbed
            || self.regexes.iter().any(|r| {
                r.is_match(rel) || (!prefix.is_empty() && r.is_match(&format!("{prefix}/{rel}")))
            })
    }
}

/// The strings of a list setting (a single string counts as a list of one).
pub fn strings(m: &Map<String, Value>, key: &str) -> Vec<String> {
    match get(m, key) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// A text file of the source split into front matter and body.
#[derive(Debug)]
pub struct SourceFile {
    /// Path below the source root.
    pub rel: String,
    /// Front matter fields (lines from the top of the file).
    pub fields: Vec<Field>,
    /// The body.
    pub body: String,
    /// File line on which the body starts.
    pub body_line: usize,
}

/// Reads `abs`: `Ok(None)` when it has no front matter; an unreadable file or broken front
/// matter is an error naming its line.
pub fn read(rel: &str, abs: &Path) -> Result<Option<SourceFile>, String> {
    let bytes = std::fs::read(abs).map_err(|e| format!("cannot read: {e}"))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 at byte {}", e.utf8_error().valid_up_to()))?;
    let text = crate::text::normalize_newlines(&text);
    if text.trim_start().starts_with('{') && rel_is_content(rel) {
        return json_front_matter(rel, &text).map(Some);
    }
    let split =
        crate::content::frontmatter::split(&text).map_err(|(l, c, m)| format!("{l}:{c}: {m}"))?;
    if split.yaml.is_empty() && split.body.len() == text.len() {
        return Ok(None);
    }
    let fields = match split.format {
        crate::content::frontmatter::Format::Yaml => crate::yaml::parse_mapping(split.yaml),
        crate::content::frontmatter::Format::Toml => crate::toml_data::parse_mapping(split.yaml),
    }
    .map_err(|e| {
        let offset = split.yaml_line - 1;
        format!("{}:{}: {}", e.line + offset, e.col, e.message_at(offset))
    })?;
    let fields = fields
        .into_iter()
        .map(|mut f| {
            f.line += split.yaml_line - 1;
            f.key_line += split.yaml_line - 1;
            f
        })
        .collect();
    Ok(Some(SourceFile {
        rel: rel.to_string(),
        fields,
        body: split.body.to_string(),
        body_line: split.body_line,
    }))
}

/// [`read`], with a file without front matter as a page of only a body.
pub fn read_page(rel: &str, abs: &Path) -> Result<SourceFile, String> {
    Ok(match read(rel, abs)? {
        Some(s) => s,
        None => SourceFile {
            rel: rel.to_string(),
            fields: Vec::new(),
            body: crate::text::normalize_newlines(
                &std::fs::read_to_string(abs).map_err(|e| format!("cannot read: {e}"))?,
            )
            .into_owned(),
            body_line: 1,
        },
    })
}

/// [`read_page`]; a file that cannot be read is noted (at `shown`) and left out.
pub fn read_or_note(rel: &str, abs: &Path, shown: &str, report: &mut Report) -> Option<SourceFile> {
    match read_page(rel, abs) {
        Ok(s) => Some(s),
        Err(e) => {
            report.note(
                Kind::Broken,
                shown.to_string(),
                format!("{e}; the file is not imported"),
            );
            None
        }
    }
}

/// A file copied as it is to `to` in the new site, counted.
pub fn copy(abs: &Path, to: String, site: &mut super::model::Site) {
    site.files.push((abs.to_path_buf(), to));
    site.report.count("Files copied", 1);
}

/// A folder a site's settings name (`contentDir`, `staticDir`), which must lie inside the
/// site: an import reads nothing outside the folder it was given.
pub fn inside(root: &Path, dir: &str, setting: &str) -> Result<PathBuf, String> {
    let rel = Path::new(dir);
    let outside = rel.is_absolute()
        || rel.components().any(|c| {
            !matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        });
    if outside {
        return Err(format!(
            "{}: {setting} = \"{dir}\" is outside the site's folder; kiosk import reads only inside it",
            root.display()
        ));
    }
    Ok(root.join(rel))
}

/// Every file below `root/dir` to be copied to `into/` in the new site, counted.
pub fn copy_folder(root: &Path, dir: &str, into: &str, site: &mut super::model::Site) {
    let from = root.join(dir);
    if !from.is_dir() {
        return;
    }
    for (rel, abs) in walk(&from, &|_, hidden| hidden, &mut site.report) {
        site.files.push((abs, format!("{into}/{rel}")));
        site.report.count("Files copied", 1);
    }
}

/// Counts a page (or a section index) and whether it is a draft.
pub fn count(page: &PageOut, kind: &str, report: &mut Report) {
    let section = page.path.ends_with("/_index.md") || page.path == "content/_index.md";
    report.count(if section { "Sections" } else { kind }, 1);
    if page.get("draft") == Some(&Value::Bool(true)) {
        report.count("Drafts (draft: true)", 1);
    }
}

fn rel_is_content(rel: &str) -> bool {
    let l = rel.to_ascii_lowercase();
    l.ends_with(".md") || l.ends_with(".markdown")
}

/// Hugo's JSON front matter: a JSON object at the top of the file, the body after it.
fn json_front_matter(rel: &str, text: &str) -> Result<SourceFile, String> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let value = stream
        .next()
        .ok_or("empty JSON front matter")?
        .map_err(|e| {
            format!(
                "{}:{}: invalid JSON front matter: {e}",
                e.line(),
                e.column()
            )
        })?;
    let end = stream.byte_offset();
    let Value::Object(map) = value else {
        return Err("JSON front matter must be an object".into());
    };
    let fields = map.into_iter().map(|(k, v)| field(&k, v, 1)).collect();
    let body = text[end..].trim_start_matches([' ', '\t', '\r']);
    let body = body.strip_prefix('\n').unwrap_or(body);
    Ok(SourceFile {
        rel: rel.to_string(),
        fields,
        body_line: text[..text.len() - body.len()].matches('\n').count() + 1,
        body: body.to_string(),
    })
}

/// A located field made from a plain value (config defaults, JSON front matter).
pub fn field(key: &str, value: Value, line: usize) -> Field {
    Field {
        key: key.to_string(),
        key_line: line,
        key_col: 1,
        node: node_of(&value, line),
        value,
        line,
        col: 1,
    }
}

/// A plain value as a located node (every part on `line`).
fn node_of(v: &Value, line: usize) -> crate::yaml::Node {
    use crate::yaml::{Key, Node, NodeKind};
    let kind = match v {
        Value::Array(items) => NodeKind::Seq(items.iter().map(|i| node_of(i, line)).collect()),
        Value::Object(m) => NodeKind::Map(
            m.iter()
                .map(|(k, v)| {
                    (
                        Key {
                            name: k.clone(),
                            line,
                            col: 1,
                        },
                        node_of(v, line),
                    )
                })
                .collect(),
        ),
        other => NodeKind::Scalar(other.clone()),
    };
    Node::new(line, 1, v.as_str().map(str::to_string), kind)
}

/// How terms written as one text are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terms {
    /// Jekyll: `categories: jekyll update` is two categories.
    SplitOnSpaces,
    /// Hugo and Zola: one text is one term.
    AsWritten,
}

/// kiosk's order of front matter keys; other kiosk keys come after them, `extra` last.
const ORDER: &[&str] = &[
    "title",
    "date",
    "updated",
    "publishDate",
    "expiryDate",
    "draft",
    "headless",
    "slug",
    "url",
    "description",
    "summary",
    "author",
    "categories",
    "tags",
    "image",
    "aliases",
    "weight",
    "sort_by",
    "paginate_by",
];

/// Front matter of another generator as kiosk front matter. Keys kiosk reads keep (or get)
/// kiosk's names; keys that change how the old generator built the page are dropped and noted
/// once per key; any other key goes into `extra`.
pub fn front_matter(
    fields: &[Field],
    taxonomies: &[String],
    terms: Terms,
    place: &str,
    report: &mut Report,
) -> Vec<(String, Value)> {
    use crate::content::frontmatter::{canonical_key, is_ignored_key};
    let mut out: Vec<(String, Value)> = Vec::new();
    let mut extra = Map::new();
    for f in flatten(fields) {
        let key = canonical_key(&f.key);
        if is_ignored_key(&f.key) {
            report.dropped_key(&f.key, at(place, f.key_line));
            continue;
        }
        if f.value.is_null() || f.value.as_str().is_some_and(|s| s.trim().is_empty()) {
            continue;
        }
        let value = match key {
            "extra" => {
                if let Value::Object(m) = &f.value {
                    extra.extend(m.clone());
                }
                continue;
            }
            "draft" if f.value == Value::Bool(false) => continue,
            "published" => {
                if f.value == Value::Bool(false) {
                    out.push(("draft".into(), Value::Bool(true)));
                }
                continue;
            }
            "publish_date" => ("publishDate", f.value.clone()),
            "expiry_date" => ("expiryDate", f.value.clone()),
            "render" => {
                let never = matches!(&f.value, Value::Bool(false))
                    || f.value
                        .as_str()
                        .is_some_and(|s| matches!(s, "never" | "false" | "link"));
                if never {
                    out.push(("headless".into(), Value::Bool(true)));
                }
                continue;
            }
            "template" | "page_template" => {
                report.note(
                    Kind::Settings,
                    at(place, f.key_line),
                    format!("`{}: {}`: the old site's template is not imported; kiosk's theme shows the page", f.key, f.value.as_str().unwrap_or("…")),
                );
                continue;
            }
            k if taxonomies.iter().any(|t| t == k) => (k, term_list(&f.value, terms)),
            k if is_kiosk_key(k) => (k, f.value.clone()),
            _ => {
                extra.insert(f.key.clone(), f.value.clone());
                continue;
            }
        };
        let (k, v) = value;
        if !out.iter().any(|(x, _)| x == k) {
            out.push((k.to_string(), v));
        }
    }
    out.sort_by_key(|(k, _)| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    if !extra.is_empty() {
        out.push(("extra".into(), Value::Object(extra)));
    }
    out
}

/// `file:line`, or the file alone when the line is not known (a value from the config's
/// defaults).
fn at(place: &str, line: usize) -> String {
    if line == 0 {
        place.to_string()
    } else {
        format!("{place}:{line}")
    }
}

/// Keys kiosk reads as they are.
fn is_kiosk_key(k: &str) -> bool {
    matches!(
        k,
        "title"
            | "date"
            | "updated"
            | "draft"
            | "description"
            | "slug"
            | "aliases"
            | "weight"
            | "summary"
            | "author"
            | "image"
            | "url"
            | "excerpt"
            | "headless"
            | "status"
            | "sort_by"
            | "paginate_by"
            | "cascade"
    )
}

/// Zola's `[taxonomies]` and Hugo's `build`/`_build` tables as their keys.
fn flatten(fields: &[Field]) -> Vec<Field> {
    let mut out = Vec::new();
    for f in fields {
        match (&f.value, f.key.as_str()) {
            (Value::Object(m), "taxonomies") => {
                out.extend(m.iter().map(|(k, v)| field(k, v.clone(), f.line)));
            }
            (Value::Object(m), "build" | "_build") => {
                if let Some(r) = m.get("render") {
                    out.push(field("render", r.clone(), f.line));
                }
            }
            _ => out.push(f.clone()),
        }
    }
    out
}

/// A taxonomy value as a list of names.
fn term_list(v: &Value, terms: Terms) -> Value {
    match (v, terms) {
        (Value::String(s), Terms::SplitOnSpaces) => {
            Value::from(s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        }
        (Value::String(s), Terms::AsWritten) => Value::from(vec![s.clone()]),
        (other, _) => other.clone(),
    }
}

/// The last pass over a body: what `markdown::foreign` converts is converted; what it finds
/// is noted with the file's line.
pub fn finish_body(body: &str, place: &str, body_line: usize, report: &mut Report) -> String {
    let (converted, found) = crate::markdown::foreign::convert(body);
    let (body_lines, converted_lines) = (
        crate::text::LineIndex::new(body),
        crate::text::LineIndex::new(&converted),
    );
    let line_of = |lines: &crate::text::LineIndex, text: &str, offset: usize| {
        body_line + lines.locate(offset.min(text.len())).0
    };
    for f in found {
        report.note(
            Kind::NotConverted,
            format!("{place}:{}", line_of(&body_lines, body, f.offset)),
            f.message,
        );
    }
    // Calls are found in the source in order; a call text not found from one place on is not
    // found from any later place.
    let mut from = 0;
    let mut missing: std::collections::HashMap<&str, usize> = Default::default();
    // Calls of the old site's own shortcodes, which kiosk's theme does not have.
    let theme = crate::templates::theme_shortcodes();
    let (calls, _) =
        crate::markdown::shortcodes::extract(&converted, &|n| theme.iter().any(|t| t == n));
    for (offset, name) in calls.unknown {
        // The place in the source, where the call is written the same way.
        let call = &converted[offset..];
        let call = &call[..call.find("}}").map_or(call.len(), |e| e + 2)];
        let known_missing = missing.get(call).is_some_and(|&m| m <= from);
        let at = (!known_missing)
            .then(|| body.get(from..)?.find(call).map(|i| from + i))
            .flatten();
        let line = match at {
            Some(i) => {
                from = i + 1;
                line_of(&body_lines, body, i)
            }
            None => {
                missing.insert(call, from);
                line_of(&converted_lines, &converted, offset)
            }
        };
        report.note(
            Kind::NotConverted,
            format!("{place}:{line}"),
            format!("`{{{{ {name}(…) }}}}` is the old site's own shortcode: kiosk shows it as text until templates/shortcodes/{name}.html exists (tera 2)"),
        );
    }
    converted.into_owned()
}

/// A page of the new site from a converted source file.
pub fn page(
    path: String,
    front: Vec<(String, Value)>,
    body: String,
    old_url: Option<String>,
    origin: &str,
) -> PageOut {
    PageOut {
        path,
        front,
        body,
        old_url,
        origin: origin.to_string(),
    }
}

/// A config file (`.toml`, `.yaml`/`.yml` or `.json`) as a mapping; errors name the file and
/// line.
pub fn read_config(path: &Path) -> Result<Map<String, Value>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let fields = match ext.as_str() {
        "json" => {
            return match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => Ok(m),
                Ok(_) => Err(format!("{}: not a JSON object", path.display())),
                Err(e) => Err(format!(
                    "{}:{}:{}: {e}",
                    path.display(),
                    e.line(),
                    e.column()
                )),
            }
        }
        "toml" => crate::toml_data::parse_mapping(&text),
        _ => crate::yaml::parse_mapping(&text),
    }
    .map_err(|e| {
        format!(
            "{}:{}:{}: {}",
            path.display(),
            e.line,
            e.col,
            e.message_at(0)
        )
    })?;
    Ok(fields.into_iter().map(|f| (f.key, f.value)).collect())
}

/// A value from a config mapping by key, ignoring case (Hugo's `baseURL` and `baseurl`).
pub fn get<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// A text value from a config mapping (ignoring case), trimmed, when not empty.
pub fn text(m: &Map<String, Value>, key: &str) -> Option<String> {
    get(m, key)
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `https://example.org` → `https://example.org/`; an empty one → a placeholder the report
/// names.
pub fn base_url(url: Option<String>, report: &mut Report, config: &str) -> String {
    match url.filter(|u| u.starts_with("http://") || u.starts_with("https://")) {
        Some(mut u) => {
            if !u.ends_with('/') {
                u.push('/');
            }
            u
        }
        None => {
            report.note(
                Kind::Settings,
                config.to_string(),
                "the site has no address (base URL): kiosk.yaml says https://example.org/; put the real one there",
            );
            "https://example.org/".into()
        }
    }
}

/// The two-letter language of `de-DE`, `de_de`, `de`.
pub fn language(code: Option<String>) -> String {
    code.and_then(|c| {
        c.split(['-', '_'])
            .next()
            .map(str::to_ascii_lowercase)
            .filter(|l| l.len() == 2)
    })
    .unwrap_or_else(|| "de".into())
}

/// Appends `replacement` for `original`, with line ends added when it has fewer, so every
/// later line keeps its number (the report names lines of the source file).
pub fn push_keeping_lines(out: &mut String, original: &str, replacement: &str) {
    out.push_str(replacement);
    let lost = original
        .matches('\n')
        .count()
        .saturating_sub(replacement.matches('\n').count());
    out.push_str(&"\n".repeat(lost));
}

/// One note for each of `keys` the config sets (settings kiosk has no place for).
pub fn note_settings(config: &Map<String, Value>, keys: &[&str], file: &str, report: &mut Report) {
    for key in keys {
        if get(config, key).is_some() {
            report.note(
                Kind::Settings,
                file.to_string(),
                format!("`{key}` is not converted (kiosk has no setting for it)"),
            );
        }
    }
}
