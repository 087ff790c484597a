//! A WordPress export (WXR) as a kiosk site: posts in `content/blog/`, pages at the top of
//! `content/`, other post types in their own section, the front page as the home page,
//! drafts and scheduled posts kept as such, private and trashed ones left out (and listed),
//! comments as data outside `content/`, uploads copied when `--uploads` points at them.

pub(crate) mod content;
mod items;
pub(crate) mod links;
pub(crate) mod shortcodes;
pub(crate) mod wxr;

use super::model::Site;
use super::report::Kind;
use content::{Lookup, Media};
use links::Links;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use wxr::{Export, Item};

/// Post types that are not content: menus, revisions, theme data.
const NOT_CONTENT: &[&str] = &[
    "nav_menu_item",
    "revision",
    "customize_changeset",
    "oembed_cache",
    "custom_css",
    "user_request",
    "wp_global_styles",
    "wp_navigation",
    "wp_template",
    "wp_template_part",
    "wp_font_family",
    "wp_font_face",
    "scheduled-action",
    "shop_order",
    "shop_order_refund",
    "shop_coupon",
];

/// Beginnings of plugin post types that hold form entries, settings or layouts, never
/// pages a reader saw: contact-form submissions, field groups, page-builder libraries.
const PLUGIN_DATA: &[&str] = &[
    "wp_",
    "acf-",
    "shop_",
    "flamingo_",
    "wpcf7",
    "wpforms",
    "elementor_",
    "jetpack",
    "feedback",
    "nf_sub",
    "edd_log",
    "edd_payment",
    "et_pb_layout",
    "fl-builder",
    "mc4wp",
    "popup",
    "polylang_",
];

/// Whether an item of this type is content a reader could see: posts, pages and custom
/// types with an address, but not menus, revisions, theme data or plugin records.
pub(crate) fn is_content(i: &Item) -> bool {
    let t = i.post_type.as_str();
    match t {
        "post" | "page" => true,
        "" | "attachment" => false,
        _ => {
            !NOT_CONTENT.contains(&t)
                && !PLUGIN_DATA.iter().any(|p| t.starts_with(p))
                && !i.link.trim().is_empty()
        }
    }
}

/// The import of one export.
pub(crate) struct Wp<'a> {
    pub export: &'a Export,
    /// The export's file name, for places in the report.
    pub file: String,
    pub links: Links,
    /// Attachments by post id.
    pub attachments: HashMap<&'a str, &'a Item>,
    /// Reusable blocks by post id.
    pub blocks: HashMap<&'a str, &'a Item>,
    /// Display names by login.
    pub authors: HashMap<&'a str, String>,
    /// Category and tag names, one per new slug (names that would share a term page are
    /// merged into the first).
    pub term_names: HashMap<String, String>,
    /// The uploads folder (`--uploads`).
    pub uploads: Option<PathBuf>,
    /// The items that become pages, by index in the export: their new path and old address.
    pub planned: Vec<items::Planned>,
}

impl Lookup for Wp<'_> {
    fn rewrite(&self, url: &str) -> Option<String> {
        self.links.rewrite(url)
    }

    fn attachment(&self, id: &str) -> Option<Media> {
        let a = self.attachments.get(id)?;
        Some(media(self, a))
    }

    fn attached_images(&self, post_id: &str) -> Vec<Media> {
        let mut list: Vec<&&Item> = self
            .attachments
            .values()
            .filter(|a| a.post_parent == post_id && is_image(&a.attachment_url))
            .collect();
        list.sort_by_key(|a| {
            (
                a.menu_order.parse::<i64>().unwrap_or(0),
                a.post_id.parse::<u64>().unwrap_or(0),
            )
        });
        list.into_iter().map(|a| media(self, a)).collect()
    }

    fn reusable_block(&self, id: &str) -> Option<String> {
        self.blocks.get(id).map(|b| b.content.clone())
    }
}

fn is_image(url: &str) -> bool {
    let l = url.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"]
        .iter()
        .any(|e| l.ends_with(e))
}

/// An attachment as an image of the new site.
fn media(wp: &Wp, a: &Item) -> Media {
    let url = wp
        .links
        .rewrite(&a.attachment_url)
        .unwrap_or_else(|| a.attachment_url.clone());
    Media {
        url,
        alt: a.meta("_wp_attachment_image_alt").unwrap_or("").to_string(),
        caption: crate::text::decode_entities(a.excerpt.trim()).into_owned(),
    }
}

/// The encoding of an export that is not UTF-8: a UTF-16 byte order mark, or the XML
/// declaration's `encoding` (old WordPress sites export `ISO-8859-1`, which browsers and
/// encoding_rs read as windows-1252).
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return (encoding != encoding_rs::UTF_8).then_some(encoding);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let decl = head.strip_prefix("<?xml")?.split("?>").next()?;
    let at = decl.find("encoding")? + "encoding".len();
    let rest = decl[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let label = rest[1..].split(quote).next()?;
    let encoding = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
    (encoding != encoding_rs::UTF_8).then_some(encoding)
}

/// Reads the export at `path` into a site; `Err` when it is no WordPress export at all.
pub fn import(path: &Path, uploads: Option<&Path>) -> Result<Site, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let file = path
        .file_name()
        .map_or_else(|| "export.xml".into(), |f| f.to_string_lossy().into_owned());
    let mut site = Site::default();
    let text =
        match declared_encoding(&bytes) {
            Some(encoding) => {
                let (text, _, lossy) = encoding.decode(&bytes);
                if lossy {
                    site.report.note(
                        Kind::Broken,
                        file.clone(),
                        format!(
                            "not valid {}; the bytes that are not were replaced by �",
                            encoding.name()
                        ),
                    );
                }
                text.into_owned()
            }
            None => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    site.report.note(
                Kind::Broken,
                file.clone(),
                format!("not valid UTF-8 at byte {at}; the bytes that are not were replaced by �"),
            );
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            },
        };
    let export = wxr::read(&text);
    if !export.is_wxr {
        let why = export
            .problems
            .first()
            .map(|(l, c, m)| format!(" ({file}:{l}:{c}: {m})"))
            .unwrap_or_default();
        return Err(format!(
            "{} is not a WordPress export: it has no wp:wxr_version and no wp:post_type{why}. In WordPress: Tools → Export → All content",
            path.display()
        ));
    }
    for (l, c, m) in &export.problems {
        site.report
            .note(Kind::Broken, format!("{file}:{l}:{c}"), m.clone());
    }
    let wp = prepare(&export, file, uploads);
    items::convert_all(&wp, &mut site);
    config(&wp, &mut site);
    copy_uploads(&wp, &mut site);
    Ok(site)
}

/// Lookups the conversion of every item needs.
fn prepare<'a>(export: &'a Export, file: String, uploads: Option<&Path>) -> Wp<'a> {
    let ch = &export.channel;
    let base = [&ch.base_blog_url, &ch.link, &ch.base_site_url]
        .into_iter()
        .find(|b| !b.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    let mut links = Links::new(base.trim());
    links.local_uploads = uploads.is_some();
    let by_type = |t: &str| {
        export
            .items
            .iter()
            .filter(|i| i.post_type == t)
            .map(|i| (i.post_id.as_str(), i))
            .collect::<HashMap<_, _>>()
    };
    let mut wp = Wp {
        export,
        file,
        links,
        attachments: by_type("attachment"),
        blocks: by_type("wp_block"),
        authors: ch
            .authors
            .iter()
            .map(|a| {
                let name = crate::text::decode_entities(a.display_name.trim()).into_owned();
                (
                    a.login.as_str(),
                    if name.is_empty() {
                        a.login.clone()
                    } else {
                        name
                    },
                )
            })
            .collect(),
        term_names: HashMap::new(),
        uploads: uploads.map(Path::to_path_buf),
        planned: Vec::new(),
    };
    items::plan_paths(&mut wp);
    wp
}

/// `kiosk.yaml` from the channel.
fn config(wp: &Wp, site: &mut Site) {
    let ch = &wp.export.channel;
    let decode = |s: &str| crate::text::decode_entities(s.trim()).into_owned();
    let mut base = [&ch.base_blog_url, &ch.link, &ch.base_site_url]
        .into_iter()
        .find(|b| !b.trim().is_empty())
        .map_or_else(
            || "https://example.org/".to_string(),
            |b| b.trim().to_string(),
        );
    if !base.ends_with('/') {
        base.push('/');
    }
    let language = ch
        .language
        .split(['-', '_'])
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or("de")
        .to_ascii_lowercase();
    let mut c: Vec<(String, Value)> = vec![
        ("title".into(), Value::from(decode(&ch.title))),
        ("description".into(), Value::from(decode(&ch.description))),
        ("base_url".into(), Value::from(base)),
        ("language".into(), Value::from(language)),
    ];
    // The author who wrote most posts is the site's author.
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for i in wp.export.items.iter().filter(|i| i.post_type == "post") {
        *count.entry(i.creator.as_str()).or_default() += 1;
    }
    if let Some((login, _)) = count
        .iter()
        .max_by_key(|(l, n)| (**n, std::cmp::Reverse(**l)))
    {
        let name = wp
            .authors
            .get(login)
            .cloned()
            .unwrap_or_else(|| login.to_string());
        c.push(("author".into(), serde_json::json!({ "name": name })));
    }
    c.push((
        "taxonomies".into(),
        serde_json::json!(["tags", "categories"]),
    ));
    site.config.splice(0..0, c);
}

/// Is any folder on the way from `dir` to `dir/rel` a symbolic link (which could lead out of
/// the uploads folder)?
fn through_link(dir: &Path, rel: &str) -> bool {
    let mut p = dir.to_path_buf();
    let parts: Vec<&str> = rel.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        p.push(part);
        if std::fs::symlink_metadata(&p).map_or(true, |m| m.file_type().is_symlink()) {
            return true;
        }
    }
    false
}

/// Copies every upload content links to, and every attachment, from `--uploads` into
/// `static/wp-content/uploads/` (the same addresses as before); without `--uploads`, lists them.
fn copy_uploads(wp: &Wp, site: &mut Site) {
    let mut wanted: Vec<String> = wp
        .links
        .used_uploads
        .lock()
        .map(|u| u.iter().cloned().collect())
        .unwrap_or_default();
    for a in wp.attachments.values() {
        if let Some(links::Target::Upload(rel)) = wp.links.target(&a.attachment_url) {
            wanted.push(rel);
        }
    }
    wanted.sort();
    wanted.dedup();
    let Some(dir) = &wp.uploads else {
        site.report
            .count("Files still on the old site (no --uploads)", wanted.len());
        if !wanted.is_empty() {
            site.report.note(
                Kind::Files,
                wp.file.clone(),
                format!("{} files of wp-content/uploads/ are linked on the old site; copy that folder and import again with --uploads DIR to take them along", wanted.len()),
            );
        }
        return;
    };
    let mut copied = 0;
    for rel in wanted {
        let src = dir.join(&rel);
        match std::fs::symlink_metadata(&src) {
            Ok(m) if m.is_file() && !through_link(dir, &rel) => {
                site.files
                    .push((src, format!("static/wp-content/uploads/{rel}")));
                copied += 1;
            }
            _ => site.report.note(
                Kind::Files,
                format!("wp-content/uploads/{rel}"),
                format!(
                    "not in {} (the link stays, and `kiosk check` will name it)",
                    dir.display()
                ),
            ),
        }
    }
    site.report.count("Files copied from --uploads", copied);
}
