//! `kiosk serve` against a real server on 127.0.0.1 (random port): raw-TCP traversal attempts
//! with a canary file beside the project, foreign Host and Origin, methods and sizes, live
//! reload events, and the error overlay appearing on a broken save and going away after the fix.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &std::path::Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .trim()
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    Server { child, port }
}

/// Sends raw bytes, returns (status, headers+body as text).
fn raw(port: u16, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn get(port: u16, path: &str) -> (u16, String) {
    raw(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"),
    )
}

fn site_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_spec(
        dir.path(),
        "-- site/kiosk.yaml --\ntitle: \"Test\"\nbase_url: \"https://example.org/\"\n-- site/content/blog/_index.md --\n---\ntitle: Blog\n---\n-- site/content/blog/a.md --\n---\ntitle: \"Erster Beitrag\"\ndate: 2026-01-01\n---\nDer alte Text.\n-- site/static/ok.txt --\nok\n-- canary.txt --\nGEHEIMNIS-7f3a\n-- site-evil/secret.txt --\nGEHEIMNIS-7f3a\n",
    );
    dir
}

#[test]
fn hostile_paths_never_reach_files() {
    let dir = site_dir();
    let srv = start(&dir.path().join("site"), &[]);
    assert_eq!(get(srv.port, "/").0, 200);
    assert_eq!(get(srv.port, "/ok.txt").0, 200);
    for path in [
        "/../canary.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/canary.txt",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2fcanary.txt",
        "/%252e%252e/canary.txt",
        "/a/..%5c..%5ccanary.txt",
        "/..\\canary.txt",
        "/c:/windows/win.ini",
        "/foo%00.html",
        "/.%2e/canary.txt",
        "/../site-evil/secret.txt",
        "/%2e%2e%2fsite-evil%2fsecret.txt",
        "/static/../../canary.txt",
    ] {
        let (status, body) = get(srv.port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("GEHEIMNIS"), "{path} leaked the canary");
    }
}

#[test]
fn foreign_hosts_origins_methods_and_sizes_are_refused() {
    let dir = site_dir();
    let srv = start(&dir.path().join("site"), &[]);
    let p = srv.port;
    let (s, text) = raw(
        p,
        "GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(s, 403);
    assert!(!text.contains("Erster Beitrag"));
    assert_eq!(
        raw(
            p,
            &format!("GET / HTTP/1.1\r\nHost: attacker.example:{p}\r\nConnection: close\r\n\r\n")
        )
        .0,
        403
    );
    assert_eq!(
        raw(p, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n").0,
        403,
        "no Host at all"
    );
    for origin in ["http://attacker.example", "http://192.168.1.5:1111", "null"] {
        let (s, _) = raw(p, &format!("GET /__kiosk/events HTTP/1.1\r\nHost: localhost:{p}\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"));
        assert_eq!(s, 403, "{origin}");
    }
    let (s, text) = raw(p, &format!("POST / HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"));
    assert_eq!(s, 405);
    assert!(text
        .to_ascii_lowercase()
        .contains("x-content-type-options: nosniff"));
    assert!(!text
        .to_ascii_lowercase()
        .contains("access-control-allow-origin"));
    let long = format!("/{}", "a".repeat(10_000));
    let (s, _) = get(p, &long);
    assert!(s == 414 || s == 431, "long URL: {s}");
    let big_header = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "b".repeat(100_000)
    );
    let (s, _) = raw(p, &big_header);
    assert!(s == 431 || s == 400 || s == 0, "big header: {s}");
    // Many idle connections do not stop good requests.
    let idle: Vec<TcpStream> = (0..200)
        .map(|_| TcpStream::connect(("127.0.0.1", p)).unwrap())
        .collect();
    assert_eq!(get(p, "/").0, 200);
    drop(idle);
    assert_eq!(get(p, "/ok.txt").0, 200, "still healthy");
}

fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn live_events_overlay_and_recovery() {
    let dir = site_dir();
    let root = dir.path().join("site");
    let srv = start(&root, &[]);
    let p = srv.port;
    // A same-origin event stream is accepted.
    let mut es = TcpStream::connect(("127.0.0.1", p)).unwrap();
    es.write_all(format!("GET /__kiosk/events HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://127.0.0.1:{p}\r\n\r\n").as_bytes()).unwrap();
    es.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut first = [0u8; 256];
    let n = es.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).contains("text/event-stream"));

    let page = "/blog/a/";
    assert!(get(p, page).1.contains("Der alte Text."));
    let file = root.join("content/blog/a.md");
    std::fs::write(
        &file,
        "---\ntitle: \"Erster Beitrag\"\ndate: 2026-01-01\n---\nDer neue Text.\n",
    )
    .unwrap();
    wait_for("the edit to be served", || {
        get(p, page).1.contains("Der neue Text.")
    });
    let mut events = String::new();
    let start = Instant::now();
    while !events.contains("event: reload") && start.elapsed() < Duration::from_secs(10) {
        let mut buf = [0u8; 512];
        if let Ok(n) = es.read(&mut buf) {
            events.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
    assert!(events.contains("event: reload"), "{events}");

    // Break the front matter: the last good page stays, with an overlay naming file and line.
    std::fs::write(
        &file,
        "---\ntitle: \"Erster Beitrag\ndate: 2026-01-01\n---\nKaputt.\n",
    )
    .unwrap();
    wait_for("the overlay", || get(p, page).1.contains("kiosk-overlay"));
    let body = get(p, page).1;
    assert!(
        body.contains("Der neue Text."),
        "last good version still served"
    );
    assert!(
        body.contains("content/blog/a.md:"),
        "overlay names the file"
    );
    assert!(
        !body.contains(&dir.path().to_string_lossy().into_owned()),
        "no absolute paths in the overlay"
    );
    // Fix it: the overlay goes away without a restart.
    std::fs::write(
        &file,
        "---\ntitle: \"Erster Beitrag\"\ndate: 2026-01-01\n---\nWieder gut.\n",
    )
    .unwrap();
    wait_for("recovery", || {
        let b = get(p, page).1;
        b.contains("Wieder gut.") && !b.contains("kiosk-overlay")
    });
    // serve never writes the output directory.
    assert!(!root.join("public").exists());
}

#[test]
fn taken_port_is_a_clear_error() {
    let dir = site_dir();
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = holder.local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_kiosk"))
        .args([
            "serve",
            "--port",
            &port.to_string(),
            "--root",
            dir.path().join("site").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(&format!("port {port} is already in use"))
    );
}
