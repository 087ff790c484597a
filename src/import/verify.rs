//! Keeping every old address: the written site is loaded by kiosk's own pipeline; a page whose
//! address differs from the one it had gets `url:` with the old one; then the whole site is
//! checked in memory, and every old address is looked up among the files the build made.

use super::model::{page_text, Site};
use super::report::Kind;
use crate::check::{CheckOptions, CheckReport};
use crate::config::Config;
use crate::content::{permalink, LoadOptions};
use crate::date::Clock;
use crate::site::BuildOptions;
use std::collections::HashMap;
use std::path::Path;

/// Old addresses kept (those lost are counted in the report), and the check of the new site.
pub struct Outcome {
    pub kept: usize,
    pub check: CheckReport,
}

/// Sets `url:` where kiosk would give a page another address than it had, rewrites those
/// pages, checks the site and counts the addresses kept.
pub fn keep_urls(site: &mut Site, into: &Path, clock: Clock) -> Result<Outcome, String> {
    let mut paths = page_paths(into, clock);
    for p in site.pages.iter_mut() {
        let Some(old) = p.old_url.clone() else {
            continue;
        };
        let cp = p.content_path().to_string();
        // The home page keeps `/`; a draft has no address yet. A published page kiosk could
        // not load (a post without the date its section's addresses need) gets its old one.
        let draft = p.get("draft") == Some(&serde_json::Value::Bool(true));
        if cp == "_index.md" || draft {
            continue;
        }
        let Ok(wanted) = permalink::normalize(&old) else {
            site.report.lost(
                p.origin.clone(),
                format!("the address {old} cannot be a page of a static site"),
            );
            p.old_url = None;
            continue;
        };
        if paths.get(&cp) != Some(&wanted) {
            p.set("url", old);
            super::writer::write_text(into, &p.path, &page_text(p))?;
            paths.insert(cp, wanted);
        }
    }
    let mut check = check(into, clock);
    // Each round takes back at least one address or link, so this ends; a few rounds are
    // enough for any real site.
    for _ in 0..8 {
        let released = super::claims::release(site, into, &check)?;
        let repaired = repair_links(site, into, &check)?;
        if !released && !repaired {
            break;
        }
        check = self::check(into, clock);
    }
    let kept = count_kept(site, &check, &paths);
    Ok(Outcome { kept, check })
}

/// `kiosk check` of the new site, in memory.
fn check(into: &Path, clock: Clock) -> CheckReport {
    let mut opts = BuildOptions::new(into, clock);
    opts.cache_dir = None;
    crate::check::check(&CheckOptions {
        build: opts,
        external: false,
        external_budget: std::time::Duration::from_secs(0),
        translations: false,
    })
}

/// Links that fail a kiosk build, repaired: an `@/page.md#anchor` link whose anchor the page
/// does not have (a heading WordPress's theme made, a plugin's table of contents) becomes a
/// link to the page; a link to a draft (not published, so not built) becomes its text. The
/// report says so. Returns whether anything was changed.
fn repair_links(site: &mut Site, into: &Path, check: &CheckReport) -> Result<bool, String> {
    let mut changed = false;
    for d in check.diagnostics.iter().filter(|d| d.is_error()) {
        if d.message.contains("no such page or section") {
            changed |= unlink_draft(site, into, d)?;
            continue;
        }
        if !d.message.contains("has no heading with id") {
            continue;
        }
        let Some(link) = d.message.split('`').nth(1).filter(|l| l.starts_with("@/")) else {
            continue;
        };
        let Some((target, _)) = link.split_once('#') else {
            continue;
        };
        let Some(p) = site.pages.iter_mut().find(|p| p.path == d.path) else {
            continue;
        };
        let before = p.body.clone();
        p.body = p.body.replace(&format!("({link})"), &format!("({target})"));
        if p.body != before {
            site.report.note(
                Kind::Changed,
                p.origin.clone(),
                format!(
                    "the link to {link} now goes to the page: it has no heading with that anchor"
                ),
            );
            super::writer::write_text(into, &p.path, &page_text(p))?;
            changed = true;
        }
    }
    Ok(changed)
}

/// A link to an imported draft (`internal link to `@/blog/b.md`: no such page…`) becomes
/// the link's text until the draft is published.
fn unlink_draft(
    site: &mut Site,
    into: &Path,
    d: &crate::error::Diagnostic,
) -> Result<bool, String> {
    let Some(link) = d.message.split('`').nth(1).filter(|l| l.starts_with("@/")) else {
        return Ok(false);
    };
    let target = link.split('#').next().unwrap_or(link);
    let target_path = format!("content/{}", &target[2..]);
    let is_draft = site
        .pages
        .iter()
        .any(|p| p.path == target_path && p.get("draft") == Some(&serde_json::Value::Bool(true)));
    let Some(p) = site
        .pages
        .iter_mut()
        .find(|p| p.path == d.path)
        .filter(|_| is_draft)
    else {
        return Ok(false);
    };
    let body = super::claims::unlink(&p.body, link);
    if body == p.body {
        return Ok(false);
    }
    p.body = body;
    site.report.note(
        Kind::Changed,
        p.origin.clone(),
        format!("the link to the draft {target} is plain text now (a draft is not published); link it again when you publish it"),
    );
    super::writer::write_text(into, &p.path, &page_text(p))?;
    Ok(true)
}

/// `content/`-relative path → site path of every page kiosk loads (drafts left out, scheduled
/// ones in).
fn page_paths(root: &Path, clock: Clock) -> HashMap<String, String> {
    let Ok(config) = Config::load(root) else {
        return HashMap::new();
    };
    let opts = LoadOptions {
        drafts: false,
        future: true,
        now: clock.now,
        language: None,
    };
    let (lib, _) = crate::content::load(root, &config, &opts);
    lib.pages
        .iter()
        .map(|p| (p.content_path.clone(), p.path.clone()))
        .collect()
}

/// How many old addresses the built site answers; the others are noted.
fn count_kept(site: &mut Site, check: &CheckReport, paths: &HashMap<String, String>) -> usize {
    let mut kept = 0;
    let mut notes = Vec::new();
    for p in &site.pages {
        let Some(old) = &p.old_url else {
            continue;
        };
        let Ok(wanted) = permalink::normalize(old) else {
            continue;
        };
        let file = crate::site::index_of(&wanted);
        let built = check.outputs.contains(&file);
        // A scheduled page is not built yet; its address is kept when kiosk gives it that one.
        let scheduled = !built && paths.get(p.content_path()) == Some(&wanted);
        if built || scheduled || p.content_path() == "_index.md" {
            kept += 1;
        } else {
            notes.push((
                p.origin.clone(),
                format!("{old} is not answered by the new site"),
            ));
        }
        let aliases = p
            .get("aliases")
            .and_then(|a| a.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        for a in aliases {
            match permalink::normalize(&a) {
                Ok(w) if check.outputs.contains(&crate::site::index_of(&w)) || scheduled => {
                    kept += 1
                }
                _ => {
                    notes.push((
                        p.origin.clone(),
                        format!("the old address {a} is not answered by the new site"),
                    ));
                }
            }
        }
    }
    for (place, text) in notes {
        site.report.lost(place, text);
    }
    kept
}
