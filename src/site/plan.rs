//! The plan: every output file of the site with what produces it, checked before anything is
//! written: no two sources may claim the same path (also when the paths differ only in case or
//! Unicode normalisation), every path stays inside the output, and no name is one Windows refuses.

use super::{generated, static_files, Site};
use crate::content::product::Kind;
use crate::content::taxonomy::term_path;
use crate::error::{BuildFailed, Diagnostic, Diagnostics};
use crate::text::slug;
use crate::views::{pager_count, pager_path};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// One output file and how to make it.
#[derive(Clone)]
pub struct Job {
    /// Path below the output root.
    pub rel: String,
    /// What produced it, for collision and error messages.
    pub source: String,
    /// How to make it.
    pub kind: JobKind,
}

/// How an output file is made.
#[derive(Clone)]
pub enum JobKind {
    /// Render a page.
    Page(usize),
    /// Render one list page of a section.
    Section {
        /// Section.
        si: usize,
        /// 0-based list page.
        pager: usize,
    },
    /// Render a taxonomy's index.
    TaxonomyList(usize),
    /// Render one list page of a term.
    Term {
        /// Taxonomy.
        ti: usize,
        /// Term.
        term: usize,
        /// 0-based list page.
        pager: usize,
    },
    /// Render the catalogue filtered to one product kind.
    Kind {
        /// Section.
        si: usize,
        /// Kind.
        kind: Kind,
    },
    /// Render `404.html`.
    NotFound,
    /// Copy a file.
    Copy(PathBuf),
    /// Write these bytes.
    Bytes(Vec<u8>),
}

/// `blog/a/index.html` for the site path `/blog/a/`; `2026/a.html` for `/2026/a.html`.
pub(crate) fn index_of(path: &str) -> String {
    let p = path.trim_matches('/');
    let lower = p.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        p.to_string()
    } else if p.is_empty() {
        "index.html".into()
    } else {
        format!("{p}/index.html")
    }
}

/// What produced the output of a section without an `_index.md`: its directory.
pub(crate) fn section_source(s: &crate::content::Section) -> String {
    s.file.clone().unwrap_or_else(|| {
        format!("content/{}", s.dir)
            .trim_end_matches('/')
            .to_string()
    })
}

impl Site {
    /// Lists every output file of the site, or every collision and unsafe path found.
    pub fn plan(&self) -> Result<Vec<Job>, BuildFailed> {
        let mut jobs = Vec::new();
        let mut aliases = Vec::new();
        let mut diags = Diagnostics::default();
        self.page_and_alias_jobs(&mut jobs, &mut aliases, &mut diags);
        self.section_jobs(&mut jobs);
        self.taxonomy_jobs(&mut jobs);
        generated::jobs(self, &mut jobs);
        // A language below the default's address (`en/`) shares its static files, and its
        // aliases are addresses on that shared domain, written as they are; a language at its
        // own address has both below its folder.
        let own_address = !self.config.shares_root();
        if own_address {
            static_files::jobs(&self.root, &mut jobs, &mut diags);
            jobs.append(&mut aliases);
        }
        let prefix = self.config.out_prefix();
        for j in &mut jobs {
            j.rel.insert_str(0, &prefix);
        }
        jobs.extend(aliases);
        check_paths(&jobs, &mut diags);
        diags.check()?;
        Ok(jobs)
    }

    /// Pages, their bundle files and their aliases.
    fn page_and_alias_jobs(
        &self,
        jobs: &mut Vec<Job>,
        aliases: &mut Vec<Job>,
        diags: &mut Diagnostics,
    ) {
        for (i, p) in self
            .lib
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.published())
        {
            jobs.push(Job {
                rel: index_of(&p.path),
                source: p.file.clone(),
                kind: JobKind::Page(i),
            });
            for a in &p.assets {
                jobs.push(Job {
                    rel: format!("{}{}", p.folder().trim_start_matches('/'), a.rel),
                    source: a.file.clone(),
                    kind: JobKind::Copy(a.src.clone()),
                });
            }
            for alias in &p.meta.aliases {
                match alias_file(&alias.value) {
                    Ok(rel) => aliases.push(Job {
                        rel,
                        source: p.file.clone(),
                        kind: JobKind::Bytes(generated::redirect_page(self, &p.path)),
                    }),
                    Err(msg) => diags.push(Diagnostic::error(&p.file, alias.line, alias.col, msg)),
                }
            }
        }
    }

    /// Section list pages (paginated), section files and catalogue pages per product kind.
    fn section_jobs(&self, jobs: &mut Vec<Job>) {
        let lib = &self.lib;
        for (i, s) in lib.sections.iter().enumerate() {
            let source = section_source(s);
            let per = s.meta.paginate_by.unwrap_or(self.config.paginate_by);
            let pagers = if s.published() {
                pager_count(s.pages.len(), per)
            } else {
                0
            };
            for pager in 0..pagers {
                jobs.push(Job {
                    rel: index_of(&pager_path(&s.path, pager + 1)),
                    source: source.clone(),
                    kind: JobKind::Section { si: i, pager },
                });
            }
            for a in &s.assets {
                jobs.push(Job {
                    rel: format!("{}{}", s.path.trim_start_matches('/'), a.rel),
                    source: a.file.clone(),
                    kind: JobKind::Copy(a.src.clone()),
                });
            }
            if !s.published() {
                continue;
            }
            for kind in kinds_in(lib, i) {
                let path = format!("{}{}/", s.path, kind.slug(&self.config.locale));
                jobs.push(Job {
                    rel: index_of(&path),
                    source: format!("{source} (catalogue page {path})"),
                    kind: JobKind::Kind { si: i, kind },
                });
            }
            if i > 0 {
                generated::section_feeds(self, i, &source, jobs);
            }
        }
    }

    /// Taxonomy indexes and term list pages (paginated).
    fn taxonomy_jobs(&self, jobs: &mut Vec<Job>) {
        for (ti, t) in self.taxonomies.iter().enumerate() {
            if t.terms.is_empty() {
                continue;
            }
            jobs.push(Job {
                rel: format!("{}/index.html", t.name),
                source: format!("taxonomy `{}` (kiosk.yaml)", t.name),
                kind: JobKind::TaxonomyList(ti),
            });
            for (term, tm) in t.terms.iter().enumerate() {
                let base = term_path(&t.name, &tm.slug);
                for pager in 0..pager_count(tm.pages.len(), self.config.paginate_by) {
                    jobs.push(Job {
                        rel: index_of(&pager_path(&base, pager + 1)),
                        source: format!("{} term `{}`", t.name, tm.name),
                        kind: JobKind::Term { ti, term, pager },
                    });
                }
            }
        }
    }
}

/// The product kinds of a section's pages, sorted.
pub(crate) fn kinds_in(lib: &crate::content::Library, si: usize) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = lib.sections[si]
        .pages
        .iter()
        .filter_map(|&p| lib.pages[p].product.as_ref().map(|x| x.kind))
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The output file of an alias: `alt.html` as is, `/alt/seite/` as `alt/seite/index.html`.
fn alias_file(alias: &str) -> Result<String, String> {
    match slug::safe_components(alias) {
        Ok(c) if !c.is_empty() => {
            let joined = c.join("/");
            Ok(if joined.ends_with(".html") || joined.ends_with(".htm") {
                joined
            } else {
                format!("{joined}/index.html")
            })
        }
        Ok(_) => Err("alias `/` would replace the home page".into()),
        Err(e) => Err(format!("alias {}", e.0)),
    }
}

/// Collisions (exact, and after case folding and Unicode normalisation), escapes and names
/// Windows reserves.
pub(super) fn check_paths(jobs: &[Job], diags: &mut Diagnostics) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, j) in jobs.iter().enumerate() {
        if crate::output::join_inside(Path::new("/"), &j.rel).is_err() {
            diags.push(Diagnostic::file(
                j.source.clone(),
                format!("output path `{}` escapes the output directory", j.rel),
            ));
            continue;
        }
        if let Some(bad) = j
            .rel
            .split('/')
            .find(|c| crate::text::slug::windows_reserved(c))
        {
            diags.push(Diagnostic::file(
                j.source.clone(),
                format!("output path `{}` uses `{bad}`, a name Windows reserves (the site could not be checked out there); change the slug", j.rel),
            ));
        }
        let folded: String = j.rel.nfc().collect::<String>().to_lowercase();
        if let Some(&other) = seen.get(&folded) {
            let o = &jobs[other];
            let how = if o.rel == j.rel {
                String::new()
            } else {
                format!(
                    " (`{}` and `{}` differ only in case or Unicode form)",
                    o.rel, j.rel
                )
            };
            diags.push(Diagnostic::file(
                j.source.clone(),
                format!(
                    "`{}` and `{}` both produce `/{}`{how}; change a slug, file name or alias",
                    o.source, j.source, j.rel
                ),
            ));
        } else {
            seen.insert(folded, i);
        }
    }
    file_and_folder(jobs, &seen, diags);
}

/// A path that one source writes as a file and another needs as a folder (an alias
/// `/sitemap.xml/` and the generated `sitemap.xml`): one of them would silently replace the other.
fn file_and_folder(jobs: &[Job], seen: &HashMap<String, usize>, diags: &mut Diagnostics) {
    for j in jobs {
        let folded: String = j.rel.nfc().collect::<String>().to_lowercase();
        for (i, _) in folded.match_indices('/') {
            if let Some(&f) = seen.get(&folded[..i]) {
                let file = &jobs[f];
                diags.push(Diagnostic::file(
                    j.source.clone(),
                    format!(
                        "`{}` writes the file `/{}` and `{}` needs a folder of that name for `/{}`; change a slug, file name or alias",
                        file.source, file.rel, j.source, j.rel
                    ),
                ));
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names() {
        for n in ["con", "CON.html", "aux.png", "com1", "lpt9.txt", "nul"] {
            assert!(crate::text::slug::windows_reserved(n), "{n}");
        }
        for n in ["console", "com0", "com", "comx", "index.html", "auxiliary"] {
            assert!(!crate::text::slug::windows_reserved(n), "{n}");
        }
    }

    #[test]
    fn alias_files() {
        assert_eq!(alias_file("/alt/seite/").unwrap(), "alt/seite/index.html");
        assert_eq!(alias_file("alt.html").unwrap(), "alt.html");
        assert!(alias_file("/").unwrap_err().contains("home page"));
        assert!(alias_file("../x").is_err());
    }

    #[test]
    fn collisions_are_found_in_any_case_or_form() {
        let job = |rel: &str, source: &str| Job {
            rel: rel.into(),
            source: source.into(),
            kind: JobKind::Bytes(Vec::new()),
        };
        let mut d = Diagnostics::default();
        check_paths(
            &[
                job("a/index.html", "content/a.md"),
                job("A/index.html", "content/A.md"),
                job("caf\u{e9}/index.html", "content/nfc.md"),
                job("cafe\u{301}/index.html", "content/nfd.md"),
                job("b/index.html", "content/b.md"),
            ],
            &mut d,
        );
        let msgs: Vec<String> = d.take_sorted().into_iter().map(|x| x.message).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs
            .iter()
            .all(|m| m.contains("differ only in case or Unicode form")));
    }
}
