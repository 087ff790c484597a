//! `kiosk check`: every problem found in one run, nothing written, exit codes and JSON for CI,
//! and `--external` against a local server that answers 200, 404, 503, or not at all.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const BROKEN: &str = r#"-- kiosk.yaml --
title: "Prüfung"
base_url: "https://example.org/"
-- templates/page.html --
<!DOCTYPE html>
<html lang="de"><head><title>{{ page.title }}</title>
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
</head><body>
<a href="/gibt-es-nicht/">kaputt aus dem Template</a>
{{ page.content | safe }}
</body></html>
-- static/extra.css --
@import url("https://fonts.example/font.css");
body { background: url(https://cdn.example/bg.png); }
-- content/impressum.md --
---
title: Impressum
description: Anbieterkennzeichnung
---
[Dein Name]
-- content/a.md --
---
title: "A"
---
Ein Bild: <img src="bild.png">

Ein Link auf [B mit Anker](/b/#kein-anker) und [B](/b/).

Ein fehlendes Bild: ![Beschreibung](fehlt.png)

<div id="doppelt"></div>
<div id="doppelt"></div>
-- content/a/bild.png --
png
-- content/b.md --
---
title: "B"
description: "B"
---
## Ein Anker
"#;

#[test]
fn finds_every_problem_and_writes_nothing() {
    let s = site(BROKEN);
    // bild.png must be a bundle asset: make `a` a bundle.
    std::fs::create_dir_all(s.path().join("content/a")).unwrap();
    std::fs::rename(
        s.path().join("content/a.md"),
        s.path().join("content/a/index.md"),
    )
    .unwrap();
    let before = tree(s.path());
    let r = kiosk(s.path(), &["check", "--root", s.path().to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let err = &r.stderr;
    for expected in [
        "content/a/index.md:6:28: error: link to `/b/#kein-anker`: /b/index.html has no element with id `kein-anker`",
        "content/a/index.md:8:37: error: link to `fehlt.png`: no file /a/fehlt.png in the built site",
        "content/a/index.md: error: id `doppelt` appears more than once on /a/index.html",
        "content/a/index.md: error: link to `/gibt-es-nicht/`: no page /gibt-es-nicht/index.html in the built site (made by a template)",
        "content/a/index.md:4:21: warning: image `bild.png` has no alt text",
        "content/a/index.md: warning: no `description`",
        "loads `https://fonts.googleapis.com/css?family=Roboto` from another host",
        "static/extra.css:1:1: warning: stylesheet loads `https://fonts.example/font.css` from another host",
        "static/extra.css:2:1: warning: stylesheet loads `https://cdn.example/bg.png` from another host",
        "kiosk.yaml: warning: the site has no Datenschutz page",
        "content/impressum.md:5:1: warning: placeholder `[Dein Name]` is still in the Impressum page",
        "do not link the Impressum page",
    ] {
        assert!(err.contains(expected), "missing: {expected}\n--- stderr:\n{err}");
    }
    assert!(err.contains("kiosk check: 6 errors, 11 warnings"), "{err}");
    assert!(tree(s.path()) == before, "check wrote into the site");
    assert!(!s.path().join("public").exists());
}

#[test]
fn json_exit_codes_and_deny_warnings() {
    let s = site("-- kiosk.yaml --\ntitle: T\nbase_url: \"https://example.org/\"\nlanguage: en\n-- content/a.md --\n---\ntitle: A\n---\nText\n");
    let root = s.path().to_str().unwrap();
    let ok = kiosk(s.path(), &["check", "--root", root]);
    assert_eq!(ok.code, 0, "warnings only: {}", ok.stderr);
    assert!(ok.stderr.contains("0 errors, 1 warning"), "{}", ok.stderr);
    let deny = kiosk(s.path(), &["check", "--root", root, "--deny-warnings"]);
    assert_eq!(deny.code, 1);
    let json = kiosk(s.path(), &["check", "--root", root, "--format", "json"]);
    assert_eq!(json.code, 0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 1);
    assert_eq!(v["diagnostics"][0]["path"], "content/a.md");
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    // A build error is a check error too.
    std::fs::write(s.path().join("content/b.md"), "---\ntitle: [\n").unwrap();
    let bad = kiosk(s.path(), &["check", "--root", root, "--format", "json"]);
    assert_eq!(bad.code, 1);
    let v: serde_json::Value = serde_json::from_str(&bad.stdout).unwrap();
    assert!(v["errors"].as_u64().unwrap() >= 1);
}

#[test]
fn problems_are_placed_where_the_link_is_written() {
    // The image's name also stands in front matter (line 5) and a heading attribute (line 8):
    // the broken figure is on line 10; the missing srcset candidate on line 12.
    let s = site(
        r#"-- kiosk.yaml --
title: T
base_url: "https://example.org/"
-- content/tisch/index.md --
+++
title = "Tisch"
description = "Ein Tisch"
[extra]
image = "eiche.jpg"
+++

## Eiche {#eiche.jpg}

{{ figure(src="eiche.jpg", alt="Tisch") }}

<img src="klein.png" alt="Klein" srcset="klein.png 1x, gross-300x200.png 2x">
-- content/tisch/klein.png --
png
"#,
    );
    let root = s.path().to_str().unwrap();
    let r = kiosk(s.path(), &["check", "--root", root]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for expected in [
        "content/tisch/index.md:10:16: error: link to `eiche.jpg`",
        "content/tisch/index.md:12:56: error: link to `gross-300x200.png`",
    ] {
        assert!(
            r.stderr.contains(expected),
            "missing: {expected}\n{}",
            r.stderr
        );
    }
}

#[test]
fn legal_details_come_from_one_place_and_are_checked() {
    let s = site(
        r#"-- kiosk.yaml --
title: T
base_url: "https://lena.example/"
legal:
  name: "Lena Hoffmann"
  email: "hallo@lena.example"
  phone: "+49 (0)341 123-4567"
  vat_id: "DE123456789"
-- content/impressum.md --
---
title: Impressum
description: Anbieterkennzeichnung
---
{{ impressum() }}
-- content/datenschutz.md --
---
title: Datenschutz
description: Daten
---
Keine Cookies.
"#,
    );
    let root = s.path().to_str().unwrap();
    let r = kiosk(s.path(), &["check", "--root", root]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "kiosk.yaml:3:1: warning: `legal` lacks what § 5 DDG requires: street, postcode, city"
        ),
        "{}",
        r.stderr
    );
    let out = s.path().join("out");
    let b = build(s.path(), &out, &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = read(&out, "impressum/index.html");
    for expected in [
        "<address>\n<strong>Lena Hoffmann</strong><br>",
        "<a href=\"mailto:hallo@lena.example\">hallo@lena.example</a>",
        "<a href=\"tel:+493411234567\">+49 (0)341 123-4567</a>",
        "Umsatzsteuer-Identifikationsnummer gemäß § 27a UStG: DE123456789",
    ] {
        assert!(page.contains(expected), "missing {expected:?} in\n{page}");
    }
    // Without `legal:`, the shortcode names what it needs.
    std::fs::write(
        s.path().join("kiosk.yaml"),
        "title: T\nbase_url: \"https://lena.example/\"\n",
    )
    .unwrap();
    let b = build(s.path(), &out, &[]);
    assert_eq!(b.code, 1);
    assert!(b.stderr.contains("content/impressum.md:5:1: error: shortcode `impressum`: impressum needs `legal:` in kiosk.yaml"), "{}", b.stderr);
}

#[test]
fn example_site_is_clean() {
    let r = kiosk(
        &repo(),
        &["check", "--root", "example-site", "--deny-warnings"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// The user guide (`docs/`, German and English) has no broken link, no missing description, and
/// every page in both languages.
#[test]
fn user_guide_is_clean_and_fully_translated() {
    let r = kiosk(
        &repo(),
        &[
            "check",
            "--root",
            "docs",
            "--deny-warnings",
            "--translations",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("0 errors, 0 warnings"), "{}", r.stderr);
}

/// Reads one request's head; returns its first line.
fn request_line(s: &std::net::TcpStream) -> String {
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    let _ = r.read_line(&mut line);
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).is_err() || h == "\r\n" || h.is_empty() {
            break;
        }
    }
    line
}

/// A tiny HTTP server: /ok 200, /gone 404, /busy 503, anything else 200.
fn local_server() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            let line = request_line(&s);
            let status = if line.contains("/gone") {
                "404 Not Found"
            } else if line.contains("/busy") {
                "503 Service Unavailable"
            } else {
                "200 OK"
            };
            let mut s = s;
            let _ = s.write_all(
                format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
    });
    port
}

#[test]
fn external_links_broken_apart_from_unreachable() {
    let port = local_server();
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port(); // dropped: nothing listens
    let s = site(&format!(
        "-- kiosk.yaml --\ntitle: T\nbase_url: \"https://example.org/\"\nlanguage: en\n-- content/a.md --\n---\ntitle: A\ndescription: a\n---\n[ok](http://127.0.0.1:{port}/ok) [weg](http://127.0.0.1:{port}/gone) [busy](http://127.0.0.1:{port}/busy) [zu](http://127.0.0.1:{closed}/x)\n"
    ));
    let root = s.path().to_str().unwrap();
    let offline = kiosk(s.path(), &["check", "--root", root]);
    assert_eq!(
        offline.code, 0,
        "without --external no network access: {}",
        offline.stderr
    );
    let r = kiosk(s.path(), &["check", "--root", root, "--external"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "error: `http://127.0.0.1:{port}/gone`: broken link (404)"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "warning: `http://127.0.0.1:{port}/busy`: unreachable (status 503)"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "warning: `http://127.0.0.1:{closed}/x`: unreachable"
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("/ok`"), "{}", r.stderr);
}

/// A server for the external checker's manners: /limited answers 429 with Retry-After once,
/// then 200; /head-refused answers 403 to HEAD and 200 to GET; /to-ftp redirects to ftp://;
/// /moved redirects to /ok; /slow takes 3 seconds.
/// Request lines the server saw, with when.
type Seen = std::sync::Arc<std::sync::Mutex<Vec<(String, Instant)>>>;

fn mannered_server() -> (u16, Seen) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        let mut limited_once = false;
        for s in l.incoming().flatten() {
            let line = request_line(&s);
            seen.lock()
                .unwrap()
                .push((line.trim().to_string(), Instant::now()));
            let head = line.starts_with("HEAD");
            let reply = if line.contains("/limited") && !limited_once {
                limited_once = true;
                "429 Too Many Requests\r\nRetry-After: 2".to_string()
            } else if line.contains("/head-refused") && head {
                "403 Forbidden".to_string()
            } else if line.contains("/huge-wait") {
                "429 Too Many Requests\r\nRetry-After: 18446744073709551615".to_string()
            } else if line.contains("/to-ftp") {
                "301 Moved\r\nLocation: ftp://files.example/x".to_string()
            } else if line.contains("/moved") {
                "302 Found\r\nLocation: /ok".to_string()
            } else if line.contains("/slow") {
                std::thread::sleep(Duration::from_secs(3));
                "200 OK".to_string()
            } else {
                "200 OK".to_string()
            };
            let mut s = s;
            let _ = s.write_all(
                format!("HTTP/1.1 {reply}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
    });
    (port, log)
}

#[test]
fn external_checks_honour_retry_after_refused_heads_redirects_and_a_budget() {
    let (port, log) = mannered_server();
    let u = |p: &str| format!("http://127.0.0.1:{port}{p}");
    let s = site(&format!(
        "-- kiosk.yaml --\ntitle: T\nbase_url: \"https://example.org/\"\nlanguage: en\n-- content/a.md --\n---\ntitle: A\ndescription: a\n---\n[l]({}) [h]({}) [f]({}) [m]({}) [w]({})\n",
        u("/limited"), u("/head-refused"), u("/to-ftp"), u("/moved"), u("/huge-wait")
    ));
    let root = s.path().to_str().unwrap();
    let r = kiosk(s.path(), &["check", "--root", root, "--external"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "`{}`: redirects to `ftp://files.example/x`",
            u("/to-ftp")
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("internal error"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("`{}`: unchecked", u("/huge-wait"))),
        "a wait beyond any budget is no wait: {}",
        r.stderr
    );
    for fine in ["/limited", "/head-refused", "/moved"] {
        assert!(
            !r.stderr.contains(&format!("{}`", u(fine))),
            "{fine}: {}",
            r.stderr
        );
    }
    let log = log.lock().unwrap().clone();
    assert!(
        log.iter().any(|(l, _)| l.starts_with("GET /head-refused")),
        "refused HEAD retried as GET: {log:?}"
    );
    assert_eq!(
        log.iter().filter(|(l, _)| l.contains("/to-ftp")).count(),
        1,
        "asked once, not retried: {log:?}"
    );
    let limited: Vec<Instant> = log
        .iter()
        .filter(|(l, _)| l.contains("/limited"))
        .map(|e| e.1)
        .collect();
    assert_eq!(limited.len(), 2, "{log:?}");
    assert!(
        limited[1] - limited[0] >= Duration::from_millis(1900),
        "Retry-After: 2 was honoured"
    );

    // One budget for all: what is left when it runs out is unchecked, and the check stops.
    let slow = site(&format!(
        "-- kiosk.yaml --\ntitle: T\nbase_url: \"https://example.org/\"\nlanguage: en\n-- content/a.md --\n---\ntitle: A\ndescription: a\n---\n[s]({}) [t]({}?2) [v]({}?3)\n",
        u("/slow"), u("/slow"), u("/slow")
    ));
    let start = Instant::now();
    let r = kiosk(
        slow.path(),
        &[
            "check",
            "--root",
            slow.path().to_str().unwrap(),
            "--external",
            "--external-timeout",
            "1",
        ],
    );
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "the budget bounds every request, not only the next one"
    );
    assert!(
        r.stderr
            .contains("unchecked: the time for external links (1 s, --external-timeout) ran out"),
        "{}",
        r.stderr
    );
}
