//! Old addresses the new site cannot give back: two pages of the old site whose addresses
//! differ only in case (`/Abc/`, `/abc/`; one folder on macOS and Windows), an address that is
//! one of kiosk's own files (`/sitemap.xml`, `/tags/`, `/404.html`), a name Windows reserves
//! (`/aux/`). `kiosk check` names each such clash; the page the import gave the old address
//! (`url:` or an alias) lets it go and keeps the address kiosk gives it, and the report lists
//! the address as lost. Also: links to drafts become their text.

use super::model::{page_text, PageOut, Site};
use crate::check::CheckReport;
use crate::content::permalink;
use crate::error::Diagnostic;
use serde_json::Value;
use std::path::Path;

/// Lets go of the old addresses `check` found clashing; returns whether any page changed.
pub fn release(site: &mut Site, into: &Path, check: &CheckReport) -> Result<bool, String> {
    let mut changed = false;
    for d in check.diagnostics.iter().filter(|d| d.is_error()) {
        if !is_clash(&d.message) {
            continue;
        }
        // The later claimant (where the check reports it) lets go first; when that is kiosk's
        // own file, the imported pages the message names do.
        let own = site.pages.iter().position(|p| p.path == d.path);
        let mut candidates: Vec<usize> = own.into_iter().collect();
        candidates.extend(
            d.message
                .split('`')
                .skip(1)
                .step_by(2)
                .filter_map(|m| site.pages.iter().position(|p| p.path == m)),
        );
        for i in candidates {
            if let Some(what) = let_go(&mut site.pages[i], d) {
                let p = &site.pages[i];
                site.report.lost(p.origin.clone(), what);
                super::writer::write_text(into, &p.path, &page_text(p))?;
                changed = true;
                break;
            }
        }
    }
    Ok(changed)
}

/// Whether a check error is a clash of output paths.
fn is_clash(message: &str) -> bool {
    message.contains("both produce")
        || message.contains("needs a folder of that name")
        || message.contains("a name Windows reserves")
}

/// Drops the alias or `url:` of `p` that the clash `d` is about; says what was lost.
fn let_go(p: &mut PageOut, d: &Diagnostic) -> Option<String> {
    let why = "it clashes with another page or a file kiosk makes (the same address, one differing only in case, or a name Windows reserves)";
    let names = |a: &str| {
        permalink::normalize(a)
            .map(|w| {
                let file = crate::site::index_of(&w);
                d.message.contains(&format!("`/{file}`"))
                    || d.message.contains(&format!("`{file}`"))
            })
            .unwrap_or(false)
    };
    if let Some(Value::Array(list)) = p
        .front
        .iter_mut()
        .find(|(k, _)| k == "aliases")
        .map(|(_, v)| v)
    {
        if let Some(at) = list.iter().position(|a| a.as_str().is_some_and(names)) {
            let gone = list.remove(at);
            if list.is_empty() {
                p.front.retain(|(k, _)| k != "aliases");
            }
            return Some(format!(
                "the old address {} is not kept: {why}",
                gone.as_str().unwrap_or_default()
            ));
        }
    }
    let Some(url) = p.get("url").and_then(Value::as_str).map(str::to_string) else {
        return reserved_slug(p, d);
    };
    if p.old_url.as_deref() != Some(url.as_str()) {
        return None;
    }
    p.front.retain(|(k, _)| k != "url");
    p.old_url = None;
    Some(format!(
        "{url} is not kept: {why}; the page is at the address kiosk gives it"
    ))
}

/// `body` with every markdown link to `target` (`[text](@/b.md)`, also with a title)
/// replaced by its text.
/// A page whose own slug is a name Windows reserves (`con`, `aux`, …) gets the slug
/// `con-page`; its old address is lost.
fn reserved_slug(p: &mut PageOut, d: &Diagnostic) -> Option<String> {
    let (before, _) = d.message.split_once("`, a name Windows reserves")?;
    let name = before.rsplit('`').next()?.to_string();
    let own = p.get("slug").and_then(Value::as_str).map(str::to_string);
    let stem = p
        .path
        .rsplit('/')
        .next()?
        .trim_end_matches(".md")
        .to_ascii_lowercase();
    let is_own = own.as_deref().map_or_else(
        || stem == name || stem.ends_with(&format!("-{name}")),
        |s| s.eq_ignore_ascii_case(&name),
    );
    if !is_own {
        return None;
    }
    let slug = format!("{name}-page");
    p.front.retain(|(k, _)| k != "slug");
    p.front.push(("slug".into(), Value::from(slug.clone())));
    let old = p.old_url.take().unwrap_or_else(|| format!("/{name}/"));
    Some(format!(
        "{old} is not kept: `{name}` is a name Windows reserves, so no checkout on Windows could hold it; the page is at `{slug}`"
    ))
}

pub fn unlink(body: &str, target: &str) -> String {
    let needle = format!("]({target}");
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(&needle) {
        let after = &rest[at + needle.len()..];
        let close = after
            .find(')')
            .filter(|&c| c == 0 || after.starts_with(' '));
        let open = opening_bracket(&rest[..at]);
        match (open, close) {
            (Some(o), Some(c)) => {
                let text = &rest[o + 1..at];
                // An image's `!` stays out of it: `![a](@/x)` is not a link to unlink.
                if rest[..o].ends_with('!') {
                    out.push_str(&rest[..at + needle.len()]);
                    rest = after;
                    continue;
                }
                out.push_str(&rest[..o]);
                out.push_str(text);
                rest = &after[c + 1..];
            }
            _ => {
                out.push_str(&rest[..at + needle.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `[` that opens the link text ending at the end of `before` (nested brackets and
/// escaped ones counted right).
fn opening_bracket(before: &str) -> Option<usize> {
    let bytes = before.as_bytes();
    let mut depth = 0usize;
    for i in (0..bytes.len()).rev() {
        let escaped = i > 0 && bytes[i - 1] == b'\\';
        match bytes[i] {
            b']' if !escaped => depth += 1,
            b'[' if !escaped => {
                if depth == 0 {
                    return Some(i);
                }
                depth -= 1;
            }
            b'\n' if i > 0 && bytes[i - 1] == b'\n' => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_a_draft_become_their_text() {
        assert_eq!(
            unlink(
                "Siehe [den **neuen** Text](@/blog/b.md) und [ihn](@/blog/b.md \"t\"), ![Bild](@/blog/b.md).",
                "@/blog/b.md"
            ),
            "Siehe den **neuen** Text und ihn, ![Bild](@/blog/b.md)."
        );
        assert_eq!(
            unlink("[a [b] c](@/x.md#h) [y](@/x.mdz)", "@/x.md#h"),
            "a [b] c [y](@/x.mdz)"
        );
        assert_eq!(
            unlink("kein ](@/x.md) Link", "@/x.md"),
            "kein ](@/x.md) Link"
        );
    }
}
