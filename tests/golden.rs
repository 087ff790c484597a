//! Golden output: the example site, built with a fixed base URL, must match `tests/golden/` file
//! for file. `KIOSK_BLESS=1 cargo test --test golden` rewrites the expected files.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use std::path::Path;

const BASE: &str = "https://lena-hoffmann.example/";

fn build_example(out: &Path, extra: &[&str]) -> Run {
    let root = repo().join("example-site");
    let mut args = vec!["--base-url", BASE];
    args.extend_from_slice(extra);
    let r = build(&root, out, &args);
    assert_eq!(r.code, 0, "example site failed to build:\n{}", r.stderr);
    r
}

#[test]
fn example_site_matches_golden_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_example(&out, &[]);
    let actual = tree(&out);
    let golden_dir = std::env::var_os("KIOSK_GOLDEN_DIR")
        .map_or_else(|| repo().join("tests/golden"), std::path::PathBuf::from);
    if std::env::var_os("KIOSK_BLESS").is_some() {
        assert!(
            std::env::var_os("CI").is_none(),
            "KIOSK_BLESS is refused when CI is set: golden files are blessed by a person, never by CI"
        );
        let _ = std::fs::remove_dir_all(&golden_dir);
        for (rel, bytes) in &actual {
            let p = golden_dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        return;
    }
    let expected = tree(&golden_dir);
    assert!(
        !expected.is_empty(),
        "tests/golden is empty: run with KIOSK_BLESS=1 once"
    );
    let mut problems = Vec::new();
    for (rel, bytes) in &expected {
        match actual.get(rel) {
            None => problems.push(format!("missing in output: {rel}")),
            Some(a) if a != bytes => {
                let (e, a) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(a));
                let line = e
                    .lines()
                    .zip(a.lines())
                    .position(|(x, y)| x != y)
                    .map(|i| i + 1)
                    .unwrap_or(0);
                problems.push(format!("differs: {rel} (first difference at line {line})"));
            }
            _ => {}
        }
    }
    for rel in actual.keys().filter(|k| !expected.contains_key(*k)) {
        problems.push(format!("not in tests/golden: {rel}"));
    }
    assert!(
        problems.is_empty(),
        "output differs from tests/golden (KIOSK_BLESS=1 to accept):\n{}",
        problems.join("\n")
    );
}

#[test]
fn blessing_is_refused_when_ci_is_set() {
    let tmp = tempfile::tempdir().unwrap();
    let golden = tmp.path().join("golden");
    std::fs::create_dir(&golden).unwrap();
    std::fs::write(golden.join("marker"), "untouched").unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["example_site_matches_golden_output", "--exact"])
        .env("KIOSK_BLESS", "1")
        .env("CI", "true")
        .env("KIOSK_GOLDEN_DIR", &golden)
        .output()
        .unwrap();
    assert!(!out.status.success(), "blessing ran under CI");
    assert!(String::from_utf8_lossy(&out.stdout).contains("KIOSK_BLESS is refused when CI is set"));
    assert_eq!(tree(&golden).len(), 1, "the golden folder was rewritten");
}

#[test]
fn two_builds_are_byte_identical_whatever_the_threads_or_time_zone() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    build_example(&a, &[]);
    let root = repo().join("example-site");
    let out = std::process::Command::new(bin())
        .args([
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            b.to_str().unwrap(),
            "--no-cache",
            "--base-url",
            BASE,
        ])
        .env("RAYON_NUM_THREADS", "1")
        .env("TZ", "Pacific/Auckland")
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(tree(&a) == tree(&b), "outputs differ between builds");
}

#[test]
fn example_site_has_what_the_issue_asks_for() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_example(&out, &[]);
    let t = tree(&out);
    let posts = t
        .keys()
        .filter(|k| {
            k.starts_with("blog/")
                && k.ends_with("/index.html")
                && !k.contains("page/")
                && *k != "blog/index.html"
        })
        .count();
    assert!(posts >= 12, "{posts} posts");
    assert!(
        t.contains_key("blog/vom-workshop-zum-e-book/zeitplan.png"),
        "bundle image copied next to its page"
    );
    assert!(
        !t.keys().any(|k| k.contains("werkzeugkiste")),
        "draft left out"
    );
    assert!(
        !t.keys().any(|k| k.contains("zweites-e-book")),
        "future post left out"
    );
    for page in [
        "ueber-mich/index.html",
        "impressum/index.html",
        "datenschutz/index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "atom.xml",
        "rss.xml",
        "blog/atom.xml",
        "blog/page/2/index.html",
        "2025/09/stundenfalle/index.html",
    ] {
        assert!(t.contains_key(page), "{page} missing");
    }
    let langs: std::collections::BTreeSet<String> = t
        .values()
        .flat_map(|v| {
            let s = String::from_utf8_lossy(v).into_owned();
            s.match_indices("data-lang=\"")
                .map(|(i, _)| s[i + 11..].split('"').next().unwrap_or("").to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(langs.len() >= 4, "code languages: {langs:?}");
    let cats = t
        .keys()
        .filter(|k| k.starts_with("categories/") && k.matches('/').count() == 2)
        .count();
    assert!(cats >= 3, "{cats} categories");
    // No request to another host: every src/href in the HTML stays on the site or is a plain link.
    for (rel, bytes) in &t {
        if rel.ends_with(".html") {
            let s = String::from_utf8_lossy(bytes);
            for attr in ["src=\"http", "<script", "@import", "fonts.googleapis"] {
                // Allowed: the site's own files, and structured data (not executed).
                let bad = s.match_indices(attr).any(|(i, _)| {
                    !s[i..].starts_with(&format!("src=\"{BASE}"))
                        && !s[i..].starts_with("<script type=\"application/ld+json\">")
                });
                assert!(!bad, "{rel} loads something with {attr}");
            }
        }
    }
}

#[test]
fn drafts_and_future_posts_with_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_example(&out, &["--drafts", "--future"]);
    let t = tree(&out);
    assert!(t.keys().any(|k| k.contains("werkzeugkiste")));
    assert!(t.keys().any(|k| k.contains("zweites-e-book")));
}
