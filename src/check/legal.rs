//! Legal pages of German sites: an Impressum and a Datenschutz page, linked from every page,
//! without the starter's placeholders.

use super::scan::Scan;
use crate::content::Page;
use crate::error::Diagnostic;
use crate::site::Site;
use std::collections::BTreeMap;

/// The legal pages a German site needs: (label, slugs that count).
const LEGAL_PAGES: [(&str, &[&str]); 2] = [
    ("Impressum", &["impressum"]),
    (
        "Datenschutz",
        &["datenschutz", "datenschutzerklaerung", "privacy"],
    ),
];

/// What the starter site leaves for the author to fill in.
const PLACEHOLDERS: [&str; 10] = [
    "[Dein",
    "[dein",
    "[Ihr",
    "[ihr",
    "[Straße",
    "[PLZ",
    "[Anschrift",
    "[Ergänze",
    "[Name",
    "[Ort",
];

/// Warns about missing, unlinked or unfinished legal pages (German sites only).
pub(super) fn check(
    site: &Site,
    html: &BTreeMap<&String, Scan>,
    source_text: &mut dyn FnMut(&str) -> String,
    diags: &mut Vec<Diagnostic>,
) {
    if !site.config.locale.german_legal_pages() {
        return;
    }
    diags.extend(config_problems(
        site,
        &source_text(crate::config::CONFIG_FILE),
    ));
    // Sales pages are where a placeholder costs money: their sources are checked too.
    for page in site
        .lib
        .pages
        .iter()
        .filter(|p| p.product.is_some() && p.published())
    {
        diags.extend(placeholders(page, "sales", &source_text(&page.file)));
    }
    for (label, slugs) in LEGAL_PAGES {
        let page = site
            .lib
            .pages
            .iter()
            .find(|p| slugs.contains(&p.slug.as_str()));
        let Some(page) = page else {
            diags.push(Diagnostic::warning(
                crate::config::CONFIG_FILE,
                0,
                0,
                format!(
                    "the site has no {label} page (content/{}.md): German sites need one",
                    slugs[0]
                ),
            ));
            continue;
        };
        diags.extend(unlinked(site, page, label, html));
        diags.extend(placeholders(page, label, &source_text(&page.file)));
    }
}

/// A warning when some pages do not link the legal page.
fn unlinked(
    site: &Site,
    page: &Page,
    label: &str,
    html: &BTreeMap<&String, Scan>,
) -> Option<Diagnostic> {
    // The page in any language counts: an English page links the English legal notice.
    let mut urls = vec![site.config.absolute(&page.path), page.path.clone()];
    urls.extend(
        site.translations
            .of(&site.config.language, Some(&page.content_path))
            .iter()
            .map(|(_, u)| u.clone()),
    );
    let missing: Vec<&str> = html
        .iter()
        .filter(|(k, s)| {
            !s.redirect
                && k.as_str() != "404.html"
                && !k.ends_with("/404.html")
                && !s.links.iter().any(|(_, _, v, _)| urls.contains(v))
        })
        .map(|(k, _)| k.as_str())
        .collect();
    let first = missing.first()?;
    // The default theme's footer links the pages at the top of content/.
    let why = if site.lib.sections[page.section].dir.is_empty() {
        String::new()
    } else {
        format!(
            "; the theme's footer links pages at the top of content/ only: move {} to content/ (its URL stays with `url:`) or link it from a template",
            page.file
        )
    };
    Some(Diagnostic::warning(
        &page.file,
        0,
        0,
        format!(
            "{} of {} pages do not link the {label} page, e.g. /{first}{why}",
            missing.len(),
            html.len(),
        ),
    ))
}

/// A warning for each placeholder left in the page's source.
fn placeholders(page: &Page, label: &str, text: &str) -> Vec<Diagnostic> {
    placeholders_in(&page.file, &format!("the {label} page"), text)
}

/// A warning for each placeholder in `text` (the file `file`, named `where_` in the message).
fn placeholders_in(file: &str, where_: &str, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for marker in PLACEHOLDERS {
        for (i, _) in text.match_indices(marker) {
            let (line, col) = crate::text::line_col(text, i);
            let end = text[i..].find(']').map_or(text.len(), |e| i + e + 1);
            out.push(Diagnostic::warning(
                file,
                line,
                col,
                format!("placeholder `{}` is still in {where_}", &text[i..end]),
            ));
        }
    }
    out
}

/// `kiosk.yaml` itself: the starter's placeholders left in it, an example address as the
/// site's address, and `legal:` without what § 5 DDG requires.
fn config_problems(site: &Site, text: &str) -> Vec<Diagnostic> {
    let file = crate::config::CONFIG_FILE;
    let mut out = placeholders_in(file, file, text);
    let host = url::Url::parse(&site.config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    if matches!(
        host.as_str(),
        "example.org" | "example.com" | "example.net" | "www.example.org" | "www.example.com"
    ) {
        let (line, col) = crate::text::find_line_col(text, "base_url");
        out.push(Diagnostic::warning(
            file,
            line,
            col,
            format!("`base_url` is still {host}: put the site's real address here (feeds, the sitemap and links use it)"),
        ));
    }
    if let Some(l) = &site.config.legal {
        let missing = l.missing();
        if !missing.is_empty() {
            let (line, col) = crate::text::find_line_col(text, "legal:");
            out.push(Diagnostic::warning(
                file,
                line,
                col,
                format!(
                    "`legal` lacks what § 5 DDG requires: {} (a name, a postal address and an e-mail address)",
                    missing.join(", ")
                ),
            ));
        }
    }
    out
}
