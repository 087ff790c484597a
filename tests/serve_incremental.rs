//! Incremental rebuilds in `serve` are proven against full builds: after every step of a scripted
//! sequence of edits, the served files are byte-identical to a fresh build of the same tree.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use kiosk::date::Clock;
use kiosk::serve::{classify, Change, Event, Workspace};
use kiosk::site::BuildOptions;
use std::path::Path;

fn opts(root: &Path) -> BuildOptions {
    let mut o = BuildOptions::new(root, Clock::system(jiff::Timestamp::now()));
    o.base_url = Some("http://127.0.0.1:1111/".into());
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

fn assert_same_as_fresh(ws: &Workspace, root: &Path, step: &str) {
    let (fresh, u) = Workspace::new(opts(root));
    assert!(
        !u.failed,
        "{step}: fresh build failed: {:?}",
        fresh.snapshot().problems
    );
    let a = &ws.snapshot().files;
    let b = &fresh.snapshot().files;
    let mut diffs: Vec<&String> = a.keys().filter(|k| b.get(*k) != a.get(*k)).collect();
    diffs.extend(b.keys().filter(|k| !a.contains_key(*k)));
    assert!(
        diffs.is_empty(),
        "{step}: incremental output differs from a full build in {diffs:?}"
    );
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let s = std::fs::read_to_string(&p).unwrap();
    let new = f(s.clone());
    assert_ne!(s, new, "edit of {rel} changed nothing");
    std::fs::write(p, new).unwrap();
}

#[test]
fn every_edit_gives_the_same_files_as_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("example-site"), &root);
    let (mut ws, first) = Workspace::new(opts(&root));
    assert!(!first.failed);
    let post = "content/blog/2025-09-01-raus-aus-der-stundenfalle.md";

    // 1. A typo fixed in the body (after the summary): only that page and its feeds.
    edit(&root, post, |s| {
        s.replace("die eine heißt Erschöpfung", "die eine heißt Ermüdung")
    });
    let u = ws.apply(&change_for(&root, &[post]));
    assert_eq!(u.how, "page", "a body edit takes the fast path");
    assert!(u
        .changed
        .contains(&"blog/raus-aus-der-stundenfalle/index.html".to_string()));
    assert!(u.changed.len() <= 5, "{:?}", u.changed);
    assert_same_as_fresh(&ws, &root, "body typo");

    // 2. A date change: lists, feeds and neighbours move.
    edit(&root, post, |s| {
        s.replacen("title:", "date: 2026-07-01\ntitle:", 1)
    });
    ws.apply(&change_for(&root, &[post]));
    assert_same_as_fresh(&ws, &root, "date change");

    // 3. A tag change.
    edit(&root, post, |s| {
        s.replace(
            "tags: [produkte, stundensatz, 1-zu-n]",
            "tags: [produkte, neu]",
        )
    });
    ws.apply(&change_for(&root, &[post]));
    assert_same_as_fresh(&ws, &root, "tag change");

    // 4. A template override appears (render again from loaded content).
    std::fs::create_dir_all(root.join("templates/partials")).unwrap();
    let theme_card =
        std::fs::read_to_string(repo().join("themes/default/templates/partials/card.html"))
            .unwrap();
    std::fs::write(
        root.join("templates/partials/card.html"),
        theme_card.replace("Weiterlesen", "Mehr lesen"),
    )
    .unwrap();
    let u = ws.apply(&change_for(&root, &["templates/partials/card.html"]));
    assert_eq!(u.how, "render");
    assert_same_as_fresh(&ws, &root, "template change");

    // 5. A static file.
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/notiz.txt"), "hallo").unwrap();
    ws.apply(&change_for(&root, &["static/notiz.txt"]));
    assert_same_as_fresh(&ws, &root, "static file");

    // 6. A rename.
    let (old_name, renamed) = (
        "content/blog/2026-03-02-barrierearme-buttons.md",
        "content/blog/2026-03-02-buttons.md",
    );
    std::fs::rename(root.join(old_name), root.join(renamed)).unwrap();
    ws.apply(&change_for(&root, &[old_name, renamed]));
    assert_same_as_fresh(&ws, &root, "rename");
    assert!(!ws
        .snapshot()
        .files
        .contains_key("blog/barrierearme-buttons/index.html"));
    assert!(ws.snapshot().files.contains_key("blog/buttons/index.html"));

    // 7. A delete.
    std::fs::remove_file(root.join("content/blog/2026-05-04-newsletter-ohne-tracking.md")).unwrap();
    ws.apply(&change_for(
        &root,
        &["content/blog/2026-05-04-newsletter-ohne-tracking.md"],
    ));
    assert_same_as_fresh(&ws, &root, "delete");
    assert!(!ws
        .snapshot()
        .files
        .keys()
        .any(|k| k.contains("newsletter-ohne-tracking")));

    // 8. A new page.
    std::fs::write(
        root.join("content/blog/2026-06-10-neu.md"),
        "---\ntitle: Neu\ntags: [neu]\n---\nGanz neu.\n",
    )
    .unwrap();
    ws.apply(&change_for(&root, &["content/blog/2026-06-10-neu.md"]));
    assert_same_as_fresh(&ws, &root, "new page");

    // 9. Broken front matter keeps the last good files; the fix recovers.
    let before = ws.snapshot().files.clone();
    let neu = "content/blog/2026-06-10-neu.md";
    edit(&root, neu, |s| {
        s.replace("title: Neu", "title: Neu\ndate: 2024-02-30")
    });
    let u = ws.apply(&change_for(&root, &[neu]));
    assert!(u.failed);
    assert!(
        ws.snapshot()
            .problems
            .iter()
            .any(|d| d.path == neu && d.line == 3),
        "{:?}",
        ws.snapshot().problems
    );
    assert!(ws.snapshot().files == before, "the last good site is kept");
    edit(&root, neu, |s| s.replace("\ndate: 2024-02-30", ""));
    let u = ws.apply(&change_for(&root, &[neu]));
    assert!(!u.failed);
    assert!(!ws.snapshot().failed());
    assert_same_as_fresh(&ws, &root, "recovery");

    // 10. A body edit of a page that another output reads with get_page.
    std::fs::write(root.join("templates/index.html"), "{% set p = get_page(path=\"blog/2026-06-10-neu.md\") %}<!DOCTYPE html><html lang=\"de\"><head><title>x</title></head><body>{{ p.content | safe }}</body></html>\n").unwrap();
    ws.apply(&change_for(&root, &["templates/index.html"]));
    edit(&root, neu, |s| s.replace("Ganz neu.", "Völlig neu."));
    let u = ws.apply(&change_for(&root, &[neu]));
    assert_eq!(u.how, "page");
    assert!(
        u.changed.contains(&"index.html".to_string()),
        "the reader of get_page is rendered again: {:?}",
        u.changed
    );
    assert_same_as_fresh(&ws, &root, "get_page reader");
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        if rel
            .components()
            .any(|c| c.as_os_str() == "public" || c.as_os_str() == ".kiosk-cache")
        {
            continue;
        }
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}
