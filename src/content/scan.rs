//! Walking `content/`: a sorted list of directories and files (symbolic links skipped with a
//! warning, editors' temp files ignored), then each file classified as a section index, a page,
//! a file of a page bundle, or a file of a section.

use super::frontmatter::Kind;
use crate::error::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// True for names that are never looked at: hidden files and folders, and the temporary files
/// editors write while saving (vim's `4913` and swap files, emacs' `#a#` and `.#a`, JetBrains'
/// `___jb_tmp___`, Kate's `.kate-swp`). They come and go while an author types, so they are
/// skipped without a word.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".kate-swp")
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

/// Copies an author or a tool left behind: `a.md~`, `a.md.orig`, `.bak`, `.old`, `.save`, `.rej`,
/// `.tmp`, `.bck`. They often hold an old version of a page, drafts and front matter included, so
/// they are never published; each is a warning, so the author can tidy up.
pub fn is_backup_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with('~')
        || [".bak", ".orig", ".old", ".save", ".rej", ".tmp", ".bck"]
            .iter()
            .any(|e| lower.ends_with(e))
        // Anything made from a page's file name (`a.md.1`, `a.md.backup`, `a.md.crswap`).
        || lower.contains(".md.")
        || lower.contains(".markdown.")
}

/// Markdown kiosk reads: `.md` and `.markdown`, in any case.
pub fn is_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Text in a markdown dialect kiosk does not read (`.mdx`, `.mdown`, `.mkd`, …): never copied as
/// a file (it would publish its front matter), a warning each.
fn is_other_markdown(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        ".mdx",
        ".mdown",
        ".mkd",
        ".mkdn",
        ".mdwn",
        ".markdn",
        ".mdtext",
        ".mdtxt",
        ".rmd",
        ".qmd",
        ".mdoc",
        ".rst",
        ".adoc",
        ".asciidoc",
        ".org",
        ".textile",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
}

fn is_bundle_index(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "index.md" || lower == "index.markdown"
}

fn is_section_index(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "_index.md" || lower == "_index.markdown"
}

/// The warning for a file in `content/` that is never published, or `None` for other files.
pub(super) fn unpublished(rel: &str) -> Option<Diagnostic> {
    let name = file_name(rel);
    let why = if is_backup_name(name) {
        "looks like a backup or leftover copy; it is not published (delete it, or rename it to .md to make it a page)"
    } else if is_other_markdown(name) {
        "is not a format kiosk reads (it reads .md and .markdown); it is not published"
    } else {
        return None;
    };
    Some(Diagnostic::warning(display("content", rel), 0, 0, why))
}

/// A relative path with `/` between its parts (Windows writes `\\`; elsewhere a `\\` is part
/// of a name, refused with the other characters hosts cannot hold).
pub fn portable(rel: &Path) -> String {
    let s = rel.to_string_lossy();
    if cfg!(windows) {
        s.replace('\\', "/")
    } else {
        s.into_owned()
    }
}

/// `content/a/b.md` from `content` and `a/b.md`.
pub(super) fn display(root_rel: &str, rel: &str) -> String {
    if rel.is_empty() {
        root_rel.to_string()
    } else {
        format!("{root_rel}/{rel}")
    }
}

/// The directory part of a `/`-separated path (`` for a top-level name).
pub(super) fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// The last component of a `/`-separated path.
pub(super) fn file_name(rel: &str) -> &str {
    rel.rfind('/').map_or(rel, |i| &rel[i + 1..])
}

/// Directories (the root as ``) and files below `content/`, relative and sorted.
pub(super) struct Scanned {
    pub dirs: Vec<String>,
    pub files: Vec<(String, PathBuf)>,
    /// The file's own path, where a language's file is read under its plain name
    /// (`blog/a.en.md` for `blog/a.md`; see [`super::languages`]).
    pub shown: HashMap<String, String>,
}

/// Walks `content` in sorted order; unreadable entries and symbolic links are reported.
pub(super) fn scan(content: &Path, diags: &mut Vec<Diagnostic>) -> Scanned {
    let mut out = Scanned {
        dirs: vec![String::new()],
        files: Vec::new(),
        shown: HashMap::new(),
    };
    let mut walker = walkdir::WalkDir::new(content)
        .min_depth(1)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !is_ignored_name(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e
                    .path()
                    .and_then(|p| p.strip_prefix(content).ok())
                    .map(|p| display("content", &p.to_string_lossy()))
                    .unwrap_or_else(|| "content".into());
                diags.push(Diagnostic::file(p, format!("cannot read: {e}")));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let rel = portable(rel);
        if let Some(msg) = crate::text::slug::unpublishable_name(entry.file_name()) {
            diags.push(Diagnostic::file(display("content", &rel), msg));
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink() {
            diags.push(Diagnostic::warning(
                display("content", &rel),
                0,
                0,
                "symbolic links are not followed; this entry is skipped",
            ));
            continue;
        }
        if entry.file_type().is_dir() {
            out.dirs.push(rel);
        } else if entry.file_type().is_file() {
            out.files.push((rel, entry.path().to_path_buf()));
        }
    }
    out
}

/// A file to parse as markdown.
pub(super) struct MarkdownFile {
    /// In Jekyll's `_drafts/`: a draft whatever its front matter says.
    pub draft_folder: bool,
    /// Path relative to `content/` (a translation's plain name: `a.md` for `a.en.md`).
    pub rel: String,
    /// The file, for messages: `content/a.en.md`.
    pub file: String,
    /// Path on disk.
    pub abs: PathBuf,
    /// Page or section index.
    pub kind: Kind,
    /// The bundle directory when the file is a bundle's `index.md`.
    pub bundle: Option<String>,
}

/// What each file of `content/` is.
pub(super) struct Classified {
    /// Directories that are sections, sorted; the root is ``. A section is the root, a folder
    /// at the top of `content/`, or a deeper folder with an `_index.md` (not inside a bundle).
    /// Pages in other folders belong to the nearest section above them (as in Hugo and Zola).
    pub section_dirs: Vec<String>,
    /// Section indexes and pages, in walk order.
    pub markdown: Vec<MarkdownFile>,
    /// Files of each bundle (by bundle directory), as (path below the bundle, path on disk,
    /// path relative to `content/`).
    pub bundle_files: HashMap<String, Vec<(String, PathBuf, String)>>,
    /// Other files, copied next to their section: (path relative to `content/`, path on disk).
    pub section_files: Vec<(String, PathBuf)>,
    /// Warnings for files that are never published (backups, other markdown dialects).
    pub skipped: Vec<Diagnostic>,
}

/// The bundle a path is in: the outermost directory above it that holds an `index.md`.
fn bundle_of<'b>(rel: &str, bundles: &'b HashSet<String>) -> Option<&'b String> {
    rel.match_indices('/')
        .find_map(|(i, _)| bundles.get(&rel[..i]))
}

/// An error for a second index file in one folder (`_index.md` and `_index.MD`, `index.md` and
/// `index.markdown`): which one counts would be a guess.
fn second_index(rel: &str, indexes: &mut HashMap<String, String>) -> Option<Diagnostic> {
    let name = file_name(rel);
    if !(is_bundle_index(name) || is_section_index(name)) {
        return None;
    }
    let first = indexes.insert(parent_dir(rel).to_string(), rel.to_string())?;
    Some(Diagnostic::file(
        display("content", rel),
        format!(
            "the folder has two index files, this one and `{}`: keep one",
            display("content", &first)
        ),
    ))
}

/// Folders whose names start with `_` hold what Jekyll builds pages from (`_layouts`,
/// `_includes`, `_data`, `_sass`, `_site`): never published. Two are content: `_posts` (a
/// section like any other) and `_drafts` (its pages are drafts).
/// Returns the outermost such folder a file is in.
fn underscore_folder(rel: &str) -> Option<String> {
    let parts: Vec<&str> = rel.split('/').collect();
    let folders = &parts[..parts.len().saturating_sub(1)];
    let i = folders
        .iter()
        .position(|c| c.starts_with('_') && !matches!(*c, "_posts" | "_drafts"))?;
    Some(folders[..=i].join("/"))
}

/// Is the file in a `_drafts` folder?
fn in_drafts_folder(rel: &str) -> bool {
    rel.split('/').rev().skip(1).any(|c| c == "_drafts")
}

/// The one warning for a folder of templates and data (`_includes`), the first time it is seen.
fn hidden_folder(top: String, seen: &mut HashSet<String>) -> Option<Diagnostic> {
    let file = display("content", &top);
    seen.insert(top).then(|| {
        Diagnostic::warning(
            file,
            0,
            0,
            "folders whose names start with `_` hold templates and data (Jekyll's `_layouts`, `_includes`, `_data`); nothing in it is published. For a Jekyll site, `kiosk import jekyll` converts them",
        )
    })
}

/// The folders that are sections, sorted (see [`Classified::section_dirs`]).
fn sections_of(scanned: &Scanned, bundles: &HashSet<String>) -> Vec<String> {
    let indexed: HashSet<&str> = scanned
        .files
        .iter()
        .filter(|(rel, _)| is_section_index(file_name(rel)))
        .map(|(rel, _)| parent_dir(rel))
        .collect();
    let mut dirs: Vec<String> = scanned
        .dirs
        .iter()
        .filter(|d| {
            d.is_empty()
                || (bundle_of(d, bundles).is_none()
                    && !bundles.contains(d.as_str())
                    && underscore_folder(&format!("{d}/x")).is_none()
                    && (!d.contains('/') || indexed.contains(d.as_str())))
        })
        .cloned()
        .collect();
    dirs.sort();
    dirs
}

/// Sorts the scanned files into sections, pages, bundle files and section files.
pub(super) fn classify(scanned: Scanned) -> Classified {
    let bundles: HashSet<String> = scanned
        .files
        .iter()
        .filter(|(rel, _)| is_bundle_index(file_name(rel)))
        .map(|(rel, _)| parent_dir(rel).to_string())
        .filter(|d| !d.is_empty())
        .collect();
    let section_dirs = sections_of(&scanned, &bundles);
    let mut out = Classified {
        section_dirs,
        markdown: Vec::new(),
        bundle_files: HashMap::new(),
        section_files: Vec::new(),
        skipped: Vec::new(),
    };
    let mut indexes: HashMap<String, String> = HashMap::new();
    let mut hidden: HashSet<String> = HashSet::new();
    let shown = scanned.shown;
    for (rel, abs) in scanned.files {
        let name = file_name(&rel);
        let file = display("content", shown.get(&rel).unwrap_or(&rel));
        if let Some(top) = underscore_folder(&rel) {
            out.skipped.extend(hidden_folder(top, &mut hidden));
            continue;
        }
        if let Some(w) = unpublished(&rel) {
            out.skipped.push(w);
            continue;
        }
        let draft_folder = in_drafts_folder(&rel);
        if let Some(e) = second_index(&rel, &mut indexes) {
            out.skipped.push(e);
            continue;
        }
        if let Some(b) = bundle_of(&rel, &bundles) {
            if parent_dir(&rel) == b && is_bundle_index(name) {
                out.markdown.push(MarkdownFile {
                    file: file.clone(),
                    draft_folder,
                    bundle: Some(b.clone()),
                    rel,
                    abs,
                    kind: Kind::Page,
                });
            } else if is_markdown(name) {
                out.skipped.push(Diagnostic::warning(
                    display("content", &rel),
                    0,
                    0,
                    "markdown inside a page bundle is not a page and is not published; move it next to the bundle's folder to make it one",
                ));
            } else {
                let below = rel[b.len() + 1..].to_string();
                out.bundle_files
                    .entry(b.clone())
                    .or_default()
                    .push((below, abs, rel));
            }
        } else if is_markdown(name) {
            out.markdown.push(MarkdownFile {
                file: file.clone(),
                draft_folder,
                kind: if is_section_index(name) {
                    Kind::Section
                } else {
                    Kind::Page
                },
                rel,
                abs,
                bundle: None,
            });
        } else {
            out.section_files.push((rel, abs));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_names() {
        for n in [
            ".hidden",
            "#a.md#",
            ".#a.md",
            "a.md.swp",
            "a.md___jb_tmp___",
            "4913",
            "a.kate-swp",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("a.md"));
        for n in [
            "a.md~",
            "a.md.orig",
            "a.md.BAK",
            "a.md.old",
            "a.md.save",
            "x.rej",
            "y.tmp",
        ] {
            assert!(is_backup_name(n) && unpublished(n).is_some(), "{n}");
        }
        for n in ["a.MD", "b.Markdown", "c.md"] {
            assert!(is_markdown(n) && unpublished(n).is_none(), "{n}");
        }
        for n in ["a.mdx", "b.MDOWN", "c.mkd"] {
            assert!(!is_markdown(n) && unpublished(n).is_some(), "{n}");
        }
        assert!(unpublished("bild.png").is_none());
    }

    #[test]
    fn classification() {
        let f = |r: &str| (r.to_string(), PathBuf::from(r));
        let scanned = Scanned {
            dirs: ["", "blog", "blog/b", "blog/b/img", "blog/b/inner", "docs"]
                .map(String::from)
                .to_vec(),
            files: vec![
                f("_index.md"),
                f("blog/_index.md"),
                f("blog/a.md"),
                f("blog/b/index.md"),
                f("blog/b/img/x.png"),
                f("blog/b/inner/index.md"),
                f("docs/handbuch.pdf"),
            ],
            shown: HashMap::new(),
        };
        let c = classify(scanned);
        assert_eq!(c.section_dirs, vec!["", "blog", "docs"]);
        let md: Vec<(&str, Kind)> = c
            .markdown
            .iter()
            .map(|m| (m.rel.as_str(), m.kind))
            .collect();
        assert_eq!(
            md,
            vec![
                ("_index.md", Kind::Section),
                ("blog/_index.md", Kind::Section),
                ("blog/a.md", Kind::Page),
                ("blog/b/index.md", Kind::Page)
            ]
        );
        let files: Vec<&str> = c.bundle_files["blog/b"]
            .iter()
            .map(|x| x.0.as_str())
            .collect();
        assert_eq!(
            files,
            vec!["img/x.png"],
            "markdown in a bundle is never copied"
        );
        assert!(c.skipped[0].path.ends_with("blog/b/inner/index.md"));
        assert_eq!(c.section_files[0].0, "docs/handbuch.pdf");
    }
}
