//! Incremental rebuilds in `serve` are proven against full builds: after every step of a scripted
//! sequence of edits, the rebuild path taken is the expected one and the served files are
//! byte-identical to what a real `kiosk build` of the same tree writes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use kiosk::date::Clock;
use kiosk::serve::{classify, Change, Event, Workspace};
use kiosk::site::BuildOptions;
use std::path::Path;

const BASE: &str = "http://127.0.0.1:1111/";
const NOW: &str = "2026-11-23T12:00:00Z";

fn opts(root: &Path) -> BuildOptions {
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let mut o = BuildOptions::new(root, Clock::pinned(now));
    o.base_url = Some(BASE.into());
    o.cache_dir = None;
    o
}

fn change_for(root: &Path, paths: &[&str]) -> Change {
    let events: Vec<(Event, String)> = paths
        .iter()
        .map(|p| (Event::Modify, p.to_string()))
        .collect();
    classify(&events, "public", &|rel| root.join(rel).is_file())
}

/// The served files equal what `kiosk build` writes for the same tree, file for file.
fn assert_same_as_real_build(ws: &Workspace, root: &Path, step: &str) {
    let out = tempfile::tempdir().unwrap();
    let r = build(
        root,
        &out.path().join("public"),
        &["--base-url", BASE, "--now", NOW],
    );
    assert_eq!(r.code, 0, "{step}: kiosk build failed:\n{}", r.stderr);
    let mut built = tree(&out.path().join("public"));
    // The marker that says a folder is kiosk's output is not part of the site.
    assert!(built.remove(".kiosk-output").is_some());
    let served = &ws.snapshot().files;
    let mut diffs: Vec<&String> = built
        .keys()
        .filter(|k| served.get(*k).map(|b| b.as_ref()) != Some(built[*k].as_slice()))
        .collect();
    diffs.extend(served.keys().filter(|k| !built.contains_key(*k)));
    assert!(
        diffs.is_empty(),
        "{step}: served files differ from `kiosk build` in {diffs:?}"
    );
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let s = std::fs::read_to_string(&p).unwrap();
    let new = f(s.clone());
    assert_ne!(s, new, "edit of {rel} changed nothing");
    std::fs::write(p, new).unwrap();
}

/// Applies the change for `paths`; asserts the path taken and equality with a real build.
fn step(ws: &mut Workspace, root: &Path, name: &str, paths: &[&str], how: &str) -> Vec<String> {
    let u = ws.apply(&change_for(root, paths));
    assert!(!u.failed, "{name}: {:?}", ws.snapshot().problems);
    assert_eq!(u.how, how, "{name}: rebuild path");
    assert_same_as_real_build(ws, root, name);
    u.changed
}

const POST: &str = "content/blog/2025-09-01-raus-aus-der-stundenfalle.md";
const NEU: &str = "content/blog/2026-06-10-neu.md";

#[test]
fn edits_of_content_take_the_expected_path_and_equal_a_real_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_example_in_one_language(&root);
    let (mut ws, first) = Workspace::new(opts(&root));
    assert!(!first.failed);
    assert_same_as_real_build(&ws, &root, "first build");

    edit(&root, POST, |s| {
        s.replace("die eine heißt Erschöpfung", "die eine heißt Ermüdung")
    });
    let changed = step(&mut ws, &root, "body typo", &[POST], "page");
    assert!(changed.contains(&"blog/raus-aus-der-stundenfalle/index.html".to_string()));
    assert!(changed.len() <= 5, "{changed:?}");

    edit(&root, POST, |s| {
        s.replacen("title:", "date: 2026-07-01\ntitle:", 1)
    });
    step(&mut ws, &root, "date change", &[POST], "full");
    edit(&root, POST, |s| {
        s.replace(
            "tags: [produkte, stundensatz, 1-zu-n]",
            "tags: [produkte, neu]",
        )
    });
    step(&mut ws, &root, "tag change", &[POST], "full");

    let (old, renamed) = (
        "content/blog/2026-03-02-barrierearme-buttons.md",
        "content/blog/2026-03-02-buttons.md",
    );
    std::fs::rename(root.join(old), root.join(renamed)).unwrap();
    step(&mut ws, &root, "rename", &[old, renamed], "full");
    assert!(!ws
        .snapshot()
        .files
        .contains_key("blog/barrierearme-buttons/index.html"));

    let gone = "content/blog/2026-05-04-newsletter-ohne-tracking.md";
    std::fs::remove_file(root.join(gone)).unwrap();
    step(&mut ws, &root, "delete", &[gone], "full");
    assert!(!ws
        .snapshot()
        .files
        .keys()
        .any(|k| k.contains("newsletter-ohne-tracking")));

    std::fs::write(
        root.join(NEU),
        "---\ntitle: Neu\ntags: [neu]\n---\nGanz neu.\n",
    )
    .unwrap();
    step(&mut ws, &root, "new page", &[NEU], "full");

    // Broken front matter keeps the last good files; the fix recovers with a full build.
    let before = ws.snapshot().files.clone();
    edit(&root, NEU, |s| {
        s.replace("title: Neu", "title: Neu\ndate: 2024-02-30")
    });
    let u = ws.apply(&change_for(&root, &[NEU]));
    assert!(u.failed);
    let problems = &ws.snapshot().problems;
    assert!(
        problems.iter().any(|d| d.path == NEU && d.line == 3),
        "{problems:?}"
    );
    assert!(ws.snapshot().files == before, "the last good site is kept");
    edit(&root, NEU, |s| s.replace("\ndate: 2024-02-30", ""));
    step(&mut ws, &root, "recovery", &[NEU], "full");
    assert!(!ws.snapshot().failed());
}

#[test]
fn edits_of_templates_and_static_files_render_again_from_loaded_content() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_example_in_one_language(&root);
    let (mut ws, first) = Workspace::new(opts(&root));
    assert!(!first.failed);

    std::fs::create_dir_all(root.join("templates/partials")).unwrap();
    let card = repo().join("themes/default/templates/partials/card.html");
    let card = std::fs::read_to_string(card).unwrap();
    std::fs::write(
        root.join("templates/partials/card.html"),
        card.replace("Weiterlesen", "Mehr lesen"),
    )
    .unwrap();
    step(
        &mut ws,
        &root,
        "template override",
        &["templates/partials/card.html"],
        "render",
    );

    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/notiz.txt"), "hallo").unwrap();
    step(
        &mut ws,
        &root,
        "static file",
        &["static/notiz.txt"],
        "render",
    );

    // A body edit of a page that another output reads with get_page renders that output too.
    std::fs::write(root.join(NEU), "---\ntitle: Neu\n---\nGanz neu.\n").unwrap();
    step(&mut ws, &root, "new page", &[NEU], "full");
    std::fs::write(root.join("templates/index.html"), "{% set p = get_page(path=\"blog/2026-06-10-neu.md\") %}<!DOCTYPE html><html lang=\"de\"><head><title>x</title></head><body>{{ p.content | safe }}</body></html>\n").unwrap();
    step(
        &mut ws,
        &root,
        "get_page template",
        &["templates/index.html"],
        "render",
    );
    edit(&root, NEU, |s| s.replace("Ganz neu.", "Völlig neu."));
    let changed = step(&mut ws, &root, "get_page reader", &[NEU], "page");
    assert!(
        changed.contains(&"index.html".to_string()),
        "the reader of get_page is rendered again: {changed:?}"
    );
}

/// A site in two languages is rendered in full on every edit (the languages link each other),
/// and what is served equals a real build after each.
#[test]
fn a_site_in_two_languages_is_rendered_in_full_and_equals_a_real_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_example(&root);
    let (mut ws, first) = Workspace::new(opts(&root));
    assert!(!first.failed);
    assert!(ws
        .snapshot()
        .files
        .contains_key("en/blog/out-of-the-hourly-trap/index.html"));
    assert_same_as_real_build(&ws, &root, "first build");
    let en = "content/blog/2025-09-01-raus-aus-der-stundenfalle.en.md";
    edit(&root, en, |s| {
        s.replace("the other the market", "the other demand")
    });
    let changed = step(&mut ws, &root, "English body", &[en], "full");
    assert!(changed.contains(&"en/blog/out-of-the-hourly-trap/index.html".to_string()));
    assert!(
        changed.iter().all(|f| f.starts_with("en/")),
        "only English files (the page and its feeds) changed: {changed:?}"
    );
    // A new translation: the German twin gains its hreflang link.
    let new = "content/blog/2025-09-15-passives-einkommen.en.md";
    std::fs::write(
        root.join(new),
        "---\ntitle: Semi-passive income\ntags: [products]\n---\nA translation.\n",
    )
    .unwrap();
    let changed = step(&mut ws, &root, "new translation", &[new], "full");
    assert!(
        changed.contains(&"blog/passives-einkommen/index.html".to_string()),
        "{changed:?}"
    );
}
