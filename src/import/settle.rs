//! The last pass before anything is written, the same for every source: each page gets a
//! file name any system can hold (no `: ? *`, no `con` or `aux`, not too long) and no two
//! pages a name that differs only in case or Unicode form; a page with the address of an
//! imported section becomes that section's page; terms kiosk cannot give a page (`#`, `..`)
//! and addresses no static site can have are left out; `"true"`/`"false"` become yes and no.
//! Every change is in the report.

use super::model::{PageOut, Site};
use super::report::Kind;
use crate::content::permalink;
use crate::text::slug;
use serde_json::Value;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Longest file name stem kiosk writes (in bytes): well below the 255 bytes file systems
/// allow, with room for a date and a suffix.
const MAX_STEM: usize = 100;

/// Makes the imported site one kiosk can build; see the module text.
pub fn settle(site: &mut Site, taxonomies: &[String]) {
    merge_sections(site);
    for i in 0..site.pages.len() {
        safe_name(site, i);
    }
    distinct_names(site);
    for p in site.pages.iter_mut() {
        booleans(p);
    }
    for i in 0..site.pages.len() {
        terms(site, i, taxonomies);
        addresses(site, i);
    }
}

/// The identity of a page file for collisions: without `.md`, `/index` and `/_index`, in
/// one case and Unicode form (`about.md`, `About/index.md` and `about/_index.md` collide).
fn identity(path: &str) -> String {
    let p = path.strip_suffix(".md").unwrap_or(path);
    let p = p
        .strip_suffix("/_index")
        .or_else(|| p.strip_suffix("/index"))
        .unwrap_or(p);
    p.nfc().collect::<String>().to_lowercase()
}

/// A page the old site had at a section's address (WordPress's “Blog” page at `/blog/`, a
/// Jekyll `blog.md` next to the posts) becomes the text of that section's page, which the
/// import made and which has that address.
fn merge_sections(site: &mut Site) {
    let mut i = 0;
    while i < site.pages.len() {
        let p = &site.pages[i];
        let plain = !p.path.ends_with("/_index.md") && !p.path.ends_with("/index.md");
        let id = identity(&p.path);
        let section = site.pages.iter().position(|s| {
            s.path.ends_with("/_index.md") && s.origin == "kiosk import" && identity(&s.path) == id
        });
        let Some(si) = section.filter(|_| plain) else {
            i += 1;
            continue;
        };
        let page = site.pages.remove(i);
        let si = if si > i { si - 1 } else { si };
        let s = &mut site.pages[si];
        for key in ["title", "description", "draft", "extra"] {
            if let Some(v) = page.get(key) {
                s.set(key, v.clone());
            }
        }
        s.body = page.body;
        s.old_url = page.old_url;
        s.origin = page.origin.clone();
        let section_path = s.path.clone();
        site.report.note(
            Kind::Changed,
            page.origin,
            format!("its address is the section {section_path}'s: it became that section's page (its text above the list of posts)"),
        );
    }
}

/// One file or folder name made safe: characters Windows and hosts refuse become `-`, no
/// dot or space at the end, reserved device names get `-page`, long ones are shortened.
fn safe_component(c: &str, last: bool) -> String {
    let (stem, ext) = match c.rsplit_once('.') {
        Some((s, e)) if last && !s.is_empty() => (s, Some(e)),
        _ => (c, None),
    };
    let mut s: String = stem
        .chars()
        .map(|ch| {
            if slug::forbidden_char(&ch.to_string()).is_some() {
                '-'
            } else {
                ch
            }
        })
        .collect();
    if s.len() > MAX_STEM {
        let mut end = MAX_STEM;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    let trimmed = s.trim_end_matches(['.', ' ', '-']).to_string();
    let mut s = if trimmed.is_empty() {
        "page".to_string()
    } else {
        trimmed
    };
    if crate::text::slug::windows_reserved(&s) {
        s.push_str("-page");
    }
    match ext {
        Some(e) => format!("{s}.{e}"),
        None => s,
    }
}

/// Renames a page whose path has a name no system could hold; bundle files move with it.
fn safe_name(site: &mut Site, i: usize) {
    let path = site.pages[i].path.clone();
    let parts: Vec<&str> = path.split('/').collect();
    let n = parts.len();
    let safe: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(k, c)| {
            if k == 0 || *c == "_index.md" || *c == "index.md" {
                c.to_string()
            } else {
                safe_component(c, k + 1 == n)
            }
        })
        .collect();
    let new = safe.join("/");
    if new != path {
        rename(
            site,
            i,
            &new,
            "its name has characters, a length or a device name (con, aux…) some systems refuse",
        );
    }
}

/// Renames page `i` to `new` (and, for a bundle's `index.md`, moves its files), noting why.
fn rename(site: &mut Site, i: usize, new: &str, why: &str) {
    let old = std::mem::replace(&mut site.pages[i].path, new.to_string());
    let bundle = |p: &str| {
        p.strip_suffix("/index.md")
            .or_else(|| p.strip_suffix("/_index.md"))
            .map(|d| format!("{d}/"))
    };
    if let (Some(from), Some(to)) = (bundle(&old), bundle(new)) {
        for (_, rel) in site.files.iter_mut() {
            if let Some(rest) = rel.strip_prefix(&from) {
                *rel = format!("{to}{rest}");
            }
        }
    }
    let origin = site.pages[i].origin.clone();
    site.report.note(
        Kind::Changed,
        origin,
        format!("written as {new}, not {old}: {why}"),
    );
}

/// Two pages whose files would differ only in case or Unicode form (or as `about.md` and
/// `about/index.md`): the later one gets a number.
fn distinct_names(site: &mut Site) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for i in 0..site.pages.len() {
        let id = identity(&site.pages[i].path);
        let Some(&first) = seen.get(&id) else {
            seen.insert(id, i);
            continue;
        };
        // A bundle keeps its folder; a plain file is the one renamed when there is one.
        let (who, other) = if is_index(&site.pages[i].path) && !is_index(&site.pages[first].path) {
            (first, i)
        } else {
            (i, first)
        };
        let path = site.pages[who].path.clone();
        let mut k = 2;
        let new = loop {
            let candidate = numbered(&path, k);
            if !seen.contains_key(&identity(&candidate)) {
                break candidate;
            }
            k += 1;
        };
        let why = format!(
            "{} has a name that differs only in case, accents' form or as file and folder; kiosk would give both one address",
            site.pages[other].path
        );
        rename(site, who, &new, &why);
        seen.insert(identity(&new), who);
        seen.insert(id, other);
    }
}

fn is_index(path: &str) -> bool {
    path.ends_with("/index.md") || path.ends_with("/_index.md")
}

/// `blog/a.md` → `blog/a-2.md`; `about/index.md` → `about-2/index.md`.
fn numbered(path: &str, k: usize) -> String {
    if let Some((dir, file)) = path.rsplit_once('/').filter(|_| is_index(path)) {
        return format!("{dir}-{k}/{file}");
    }
    match path.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}-{k}.{ext}"),
        None => format!("{path}-{k}"),
    }
}

/// `draft: "true"` (Hugo reads the text as yes) as a real yes or no.
fn booleans(p: &mut PageOut) {
    for key in ["draft", "hidden", "in_search_index"] {
        let b = match p.get(key).and_then(Value::as_str).map(str::trim) {
            Some(t) if t.eq_ignore_ascii_case("true") => true,
            Some(t) if t.eq_ignore_ascii_case("false") => false,
            _ => continue,
        };
        p.set(key, b);
    }
}

/// Terms without a letter or digit (`#`, `..`) have no possible page: left out, noted.
fn terms(site: &mut Site, i: usize, taxonomies: &[String]) {
    let mut dropped = Vec::new();
    let p = &mut site.pages[i];
    for tax in taxonomies {
        let Some(Value::Array(list)) = p.front.iter_mut().find(|(k, _)| k == tax).map(|(_, v)| v)
        else {
            continue;
        };
        list.retain(|t| {
            let text = match t {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let keep = !slug::slugify(&text).is_empty();
            if !keep {
                dropped.push(format!("{tax} “{text}”"));
            }
            keep
        });
    }
    let origin = p.origin.clone();
    for d in dropped {
        site.report.note(
            Kind::Changed,
            origin.clone(),
            format!("{d} left out: it has no letter or digit, so kiosk cannot give it a page"),
        );
    }
}

/// Old addresses and aliases that no static site can have (`/../x/`, a backslash, a
/// control character) are dropped; the report names each as lost.
fn addresses(site: &mut Site, i: usize) {
    let mut lost = Vec::new();
    let p = &mut site.pages[i];
    let home = p.path == "content/_index.md";
    if let Some(old) = p.old_url.clone() {
        if !home && old != "/" && permalink::normalize(&old).is_err() {
            lost.push(old);
            p.old_url = None;
        }
    }
    if let Some(Value::Array(list)) = p
        .front
        .iter_mut()
        .find(|(k, _)| k == "aliases")
        .map(|(_, v)| v)
    {
        list.retain(|a| {
            let text = a.as_str().unwrap_or_default();
            let ok = permalink::normalize(text).is_ok();
            if !ok {
                lost.push(text.to_string());
            }
            ok
        });
    }
    if p.get("aliases")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty)
    {
        p.front.retain(|(k, _)| k != "aliases");
    }
    let origin = p.origin.clone();
    for old in lost {
        site.report.lost(
            origin.clone(),
            format!("the address {old} cannot be a page of a static site (it leaves the site's folder or has characters no file can)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str) -> PageOut {
        PageOut {
            path: path.into(),
            origin: path.into(),
            ..PageOut::default()
        }
    }

    fn paths(site: &Site) -> Vec<&str> {
        site.pages.iter().map(|p| p.path.as_str()).collect()
    }

    #[test]
    fn names_any_system_can_hold() {
        let mut site = Site::default();
        let long = "ä".repeat(120);
        for p in [
            "content/aux.md".to_string(),
            "content/blog/a:b?.md".into(),
            format!("content/blog/{long}.md"),
            "content/con/index.md".into(),
            "content/dots....md".into(),
        ] {
            site.pages.push(page(&p));
        }
        site.files
            .push(("x.png".into(), "content/con/x.png".into()));
        settle(&mut site, &[]);
        let p = paths(&site);
        assert_eq!(p[0], "content/aux-page.md");
        assert_eq!(p[1], "content/blog/a-b.md");
        assert!(
            p[2].len() < 120 && p[2].starts_with("content/blog/ää"),
            "{}",
            p[2]
        );
        assert_eq!(p[3], "content/con-page/index.md");
        assert_eq!(site.files[0].1, "content/con-page/x.png");
        assert_eq!(p[4], "content/dots.md");
        assert_eq!(site.report.notes(Kind::Changed).len(), 5);
    }

    #[test]
    fn names_that_differ_only_in_case_or_form_get_numbers() {
        let mut site = Site::default();
        for p in [
            "content/Abc.md",
            "content/abc.md",
            "content/caf\u{e9}.md",
            "content/cafe\u{301}.md",
            "content/about.md",
            "content/about/index.md",
        ] {
            site.pages.push(page(p));
        }
        settle(&mut site, &[]);
        assert_eq!(
            paths(&site),
            [
                "content/Abc.md",
                "content/abc-2.md",
                "content/caf\u{e9}.md",
                "content/cafe\u{301}-2.md",
                "content/about-2.md",
                "content/about/index.md",
            ]
        );
    }

    #[test]
    fn a_page_at_a_section_address_becomes_the_section_page() {
        let mut site = Site::default();
        let mut blog = page("content/blog.md");
        blog.set("title", "Mein Blog");
        blog.body = "Hier schreibe ich.".into();
        blog.old_url = Some("/blog/".into());
        let mut section = page("content/blog/_index.md");
        section.origin = "kiosk import".into();
        section.set("title", "Blog");
        site.pages.push(blog);
        site.pages.push(page("content/blog/2020-a.md"));
        site.pages.push(section);
        settle(&mut site, &[]);
        assert_eq!(
            paths(&site),
            ["content/blog/2020-a.md", "content/blog/_index.md"]
        );
        let s = &site.pages[1];
        assert_eq!(s.get("title"), Some(&Value::from("Mein Blog")));
        assert_eq!(s.body, "Hier schreibe ich.");
        assert_eq!(s.old_url.as_deref(), Some("/blog/"));
    }

    #[test]
    fn terms_without_letters_and_impossible_addresses_are_left_out() {
        let mut site = Site::default();
        let mut p = page("content/blog/a.md");
        p.set("tags", serde_json::json!(["#", "Rust", "../..", "ü"]));
        p.set("draft", "true");
        p.set("aliases", serde_json::json!(["/alt/", "/a\\b/"]));
        p.old_url = Some("/../x/".into());
        site.pages.push(p);
        settle(&mut site, &["tags".into()]);
        let p = &site.pages[0];
        assert_eq!(p.get("tags"), Some(&serde_json::json!(["Rust", "ü"])));
        assert_eq!(p.get("draft"), Some(&Value::Bool(true)));
        assert_eq!(p.get("aliases"), Some(&serde_json::json!(["/alt/"])));
        assert_eq!(p.old_url, None);
        assert_eq!(site.report.get("Old addresses lost"), 2);
    }
}
