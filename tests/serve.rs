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
    start_with(root, extra, Stdio::null())
}

/// Starts `kiosk serve` on a free port with its stderr going to `stderr`.
fn start_with(root: &std::path::Path, extra: &[&str], stderr: Stdio) -> Server {
    let mut child = Command::new(bin())
        .args(["serve", "--port", "0", "--root", root.to_str().unwrap()])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(stderr)
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
        let (s, _) = raw(p, &format!("GET /__kiosk/events HTTP/1.1\r\nHost: localhost:{p}\r\nOrigin: {origin}\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n"));
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
    es.write_all(format!("GET /__kiosk/events HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nOrigin: http://127.0.0.1:{p}\r\nAccept: text/event-stream\r\n\r\n").as_bytes()).unwrap();
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
    let out = Command::new(bin())
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

/// Starts `kiosk serve` with its stderr kept in `log`, for tests that read it.
fn start_logged(root: &std::path::Path, extra: &[&str], log: &std::path::Path) -> Server {
    start_with(root, extra, std::fs::File::create(log).unwrap().into())
}

fn event_stream(p: u16) -> (TcpStream, u16) {
    let mut s = TcpStream::connect(("127.0.0.1", p)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(format!("GET /__kiosk/events HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nAccept: text/event-stream\r\n\r\n").as_bytes()).unwrap();
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap_or(0);
    let status = String::from_utf8_lossy(&buf[..n])
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (s, status)
}

#[cfg(unix)]
#[test]
fn held_connections_and_streams_never_lock_the_server_and_ctrl_c_stops_it() {
    let dir = site_dir();
    let srv = start(&dir.path().join("site"), &[]);
    let p = srv.port;
    // Event streams have their own limit: the 65th is refused, pages are still served.
    let streams: Vec<(TcpStream, u16)> = (0..70).map(|_| event_stream(p)).collect();
    let ok = streams.iter().filter(|s| s.1 == 200).count();
    assert_eq!(
        ok,
        64,
        "open streams: {:?}",
        streams.iter().map(|s| s.1).collect::<Vec<_>>()
    );
    assert!(streams.iter().all(|s| s.1 == 200 || s.1 == 503));
    assert_eq!(get(p, "/").0, 200);
    // An <img> pointed at the stream (no Origin, Accept: image/*) gets no stream.
    let (s, _) = raw(p, &format!("GET /__kiosk/events HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nAccept: image/avif,image/*\r\nConnection: close\r\n\r\n"));
    assert_eq!(s, 406);
    drop(streams);
    // Connections held open beyond the limit are closed; once the idle ones time out, new
    // connections are served again.
    let held: Vec<TcpStream> = (0..600)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", p)).ok())
        .collect();
    wait_for("new connections to be served again", || {
        TcpStream::connect(("127.0.0.1", p)).is_ok_and(|mut s| {
            s.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
            let _ = s.write_all(
                format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
            let mut b = [0u8; 12];
            s.read(&mut b)
                .is_ok_and(|n| n > 0 && b.starts_with(b"HTTP/1.1 200"))
        })
    });
    // Ctrl-C stops it within a second, connections held or not.
    let held2: Vec<TcpStream> = (0..600)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", p)).ok())
        .collect();
    let mut srv = srv;
    let _ = Command::new("kill")
        .args(["-INT", &srv.child.id().to_string()])
        .status();
    let start = Instant::now();
    let exited = loop {
        if srv.child.try_wait().unwrap().is_some() {
            break true;
        }
        if start.elapsed() > Duration::from_secs(1) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exited, "kiosk serve did not stop within a second of Ctrl-C");
    drop((held, held2));
}

#[cfg(unix)]
#[test]
fn ctrl_c_is_heard_while_connections_come_and_go() {
    let dir = site_dir();
    for round in 0..16 {
        let mut srv = start(&dir.path().join("site"), &[]);
        let p = srv.port;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let churn: Vec<_> = (0..6)
            .map(|_| {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        drop(TcpStream::connect(("127.0.0.1", p)));
                    }
                })
            })
            .collect();
        std::thread::sleep(Duration::from_millis(100));
        let pid = srv.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let start = Instant::now();
        while srv.child.try_wait().unwrap().is_none() && start.elapsed() < Duration::from_secs(1) {
            std::thread::sleep(Duration::from_millis(10));
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        churn.into_iter().for_each(|t| t.join().unwrap());
        let stopped = srv.child.try_wait().unwrap().is_some();
        assert!(stopped, "round {round}: Ctrl-C was lost");
    }
}

#[test]
fn behaves_like_a_static_host() {
    let dir = site_dir();
    let site = dir.path().join("site");
    let st = site.join("static");
    for (name, bytes) in [
        ("app.mjs", &b"export {}"[..]),
        ("x.wasm", b"\0asm"),
        ("site.webmanifest", b"{}"),
        ("f.woff", b"wOFF"),
        ("BILD.PNG", b"\x89PNG"),
        ("100%.txt", b"hundert"),
        ("alt.html", b"<html><body>Gr\xfc\xdfe</body></html>"),
    ] {
        std::fs::write(st.join(name), bytes).unwrap();
    }
    let srv = start(&site, &[]);
    let p = srv.port;
    let ctype = |path: &str| {
        let (s, t) = get(p, path);
        assert_eq!(s, 200, "{path}");
        t.lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-type:"))
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    assert!(ctype("/app.mjs").contains("text/javascript"));
    assert!(ctype("/x.wasm").contains("application/wasm"));
    assert!(ctype("/site.webmanifest").contains("application/manifest+json"));
    assert!(ctype("/f.woff").contains("font-woff"));
    assert!(ctype("/BILD.PNG").contains("image/png"));
    let (s, body) = get(p, "/100%25.txt");
    assert_eq!(s, 200);
    assert!(body.ends_with("hundert"));
    // Non-UTF-8 HTML is served byte for byte (the live-reload script is added, nothing replaced).
    let mut c = TcpStream::connect(("127.0.0.1", p)).unwrap();
    c.write_all(
        format!("GET /alt.html HTTP/1.1\r\nHost: 127.0.0.1:{p}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let mut bytes = Vec::new();
    c.read_to_end(&mut bytes).unwrap();
    assert!(
        bytes.windows(7).any(|w| w == b"Gr\xfc\xdfe<s"),
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    // A folder's URL without its slash is redirected, query kept.
    let (s, t) = get(p, "/blog/a?x=1");
    assert_eq!(s, 308);
    assert!(
        t.to_ascii_lowercase().contains("location: /blog/a/?x=1"),
        "{t}"
    );
    // Never to another host: `//blog` is not `http://blog/`.
    for path in ["//blog", "///blog"] {
        let (s, t) = get(p, path);
        assert_eq!(s, 308, "{path}");
        assert!(
            t.to_ascii_lowercase().contains("location: /blog/\r\n"),
            "{path}: {t}"
        );
    }
}

#[test]
fn port_forwarding_other_binds_and_ambiguous_requests() {
    let dir = site_dir();
    let site = dir.path().join("site");
    let srv = start(
        &site,
        &["--allowed-host", "localhost:8080", "--bind", "127.0.0.2"],
    );
    let p = srv.port;
    let req = |host: &str| {
        let mut s = TcpStream::connect(("127.0.0.2", p)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(
            format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .unwrap();
        let mut b = Vec::new();
        let _ = s.read_to_end(&mut b);
        String::from_utf8_lossy(&b)
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse::<u16>().ok())
            .unwrap_or(0)
    };
    assert_eq!(
        req("localhost:8080"),
        200,
        "a forwarded port named with --allowed-host"
    );
    // Through the forwarded port, the page's links point where the browser is.
    let mut s = TcpStream::connect(("127.0.0.2", p)).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut page = String::new();
    let _ = s.read_to_string(&mut page);
    assert!(
        page.contains("href=\"http://localhost:8080/style.css\""),
        "{page}"
    );
    assert!(!page.contains(&format!("127.0.0.2:{p}")), "{page}");
    assert_eq!(req("localhost:8081"), 403);
    assert_eq!(
        req(&format!("127.0.0.2:{p}")),
        200,
        "the address it listens on"
    );
    assert_eq!(req(&format!("[::1]x:{p}")), 403);
    let send = |text: String| {
        let mut s = TcpStream::connect(("127.0.0.2", p)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        s.write_all(text.as_bytes()).unwrap();
        let mut b = Vec::new();
        let _ = s.read_to_end(&mut b);
        String::from_utf8_lossy(&b)
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse::<u16>().ok())
            .unwrap_or(0)
    };
    assert_eq!(send(format!("GET / HTTP/1.1\r\nHost: 127.0.0.2:{p}\r\nHost: attacker.example\r\nConnection: close\r\n\r\n")), 400);
    assert_eq!(send(format!("GET http://attacker.example/ HTTP/1.1\r\nHost: 127.0.0.2:{p}\r\nConnection: close\r\n\r\n")), 400);
    assert_eq!(send(format!("GET http://127.0.0.2:{p}/ HTTP/1.1\r\nHost: 127.0.0.2:{p}\r\nConnection: close\r\n\r\n")), 200);
}

#[test]
fn a_site_that_cannot_build_at_first_recovers_without_a_restart() {
    // A newsletter without content/ once panicked and killed the rebuild thread for good.
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    write_spec(&site, "-- kiosk.yaml --\ntitle: T\nbase_url: https://e.org/\nnewsletter:\n  action: https://x.example/subscribe\n");
    let log = dir.path().join("serve.log");
    let srv = start_logged(&site, &[], &log);
    let p = srv.port;
    wait_for("the overlay", || get(p, "/").1.contains("kiosk-overlay"));
    let body = get(p, "/").1;
    assert!(body.contains("no content/ directory"), "{body}");
    assert!(
        body.contains("noch gibt es nichts anzuzeigen"),
        "no last good version: {body}"
    );
    let err = std::fs::read_to_string(&log).unwrap();
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("nothing to serve yet"),
        "no last good version exists: {err}"
    );
    assert!(
        !err.contains("still serving the last good version"),
        "{err}"
    );
    write_spec(&site, "-- content/datenschutz.md --\n---\ntitle: Datenschutz\n---\nText.\n-- content/_index.md --\n---\ntitle: Start\n---\nWillkommen.\n");
    wait_for("recovery", || {
        let b = get(p, "/").1;
        b.contains("Willkommen.") && !b.contains("kiosk-overlay")
    });
    // A message about the site itself names no absolute path in the browser.
    std::fs::rename(site.join("kiosk.yaml"), site.join("kiosk.yaml.weg")).unwrap();
    wait_for("the overlay", || get(p, "/").1.contains("kiosk-overlay"));
    let body = get(p, "/").1;
    assert!(body.contains("no kiosk.yaml"), "{body}");
    assert!(
        body.contains("Willkommen."),
        "the last good version is still served"
    );
    let abs = dir.path().to_string_lossy().into_owned();
    assert!(!body.contains(&abs), "{body}");
}
