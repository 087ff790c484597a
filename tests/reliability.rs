//! Faults and bad inputs from shared/RELIABILITY.md that need more than a fixture: symbolic
//! links, huge files, interrupted builds, and the output directory's life across builds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use std::process::{Command, Stdio};
use std::time::Duration;

const CONFIG: &str = "-- kiosk.yaml --\ntitle: \"T\"\nbase_url: \"https://example.org/\"\n";

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_not_followed_and_loops_do_not_hang() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: GEHEIM\n---\nGEHEIMNIS\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("passwd"), "GEHEIMNIS").unwrap();
    let s = site(&format!("{CONFIG}-- content/a.md --\n---\ntitle: A\n---\n"));
    let c = s.path().join("content");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), c.join("secret.md")).unwrap();
    std::os::unix::fs::symlink(outside.path(), c.join("parent-link")).unwrap();
    std::os::unix::fs::symlink(".", c.join("loop")).unwrap();
    std::fs::create_dir_all(s.path().join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("passwd"),
        s.path().join("static/passwd"),
    )
    .unwrap();
    let out = s.path().join("public");
    let r = build(s.path(), &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for link in [
        "content/secret.md",
        "content/parent-link",
        "content/loop",
        "static/passwd",
    ] {
        assert!(
            r.stderr
                .contains(&format!("{link}: warning: symbolic links are not followed")),
            "{link}: {}",
            r.stderr
        );
    }
    for (rel, bytes) in tree(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("GEHEIM"),
            "{rel} contains data from outside the site"
        );
    }
}

#[test]
fn a_50_mb_file_and_a_5_mb_line_finish() {
    let s = site(&format!(
        "{CONFIG}-- content/klein.md --\n---\ntitle: klein\n---\n"
    ));
    let mut big = String::from("---\ntitle: Riesig\n---\n");
    let para = "Ein ganz normaler Absatz mit *Betonung*, `Code` und einem [Link](https://example.org/).\n\n";
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(para);
    }
    std::fs::write(s.path().join("content/riesig.md"), big).unwrap();
    let line = format!(
        "---\ntitle: Zeile\n---\n```\n{}\n```\n",
        "x".repeat(5 * 1024 * 1024)
    );
    std::fs::write(s.path().join("content/zeile.md"), line).unwrap();
    let out = s.path().join("public");
    // Linear work: a few seconds in a debug build; a quadratic pass would take minutes.
    let r = build_within(s.path(), &out, &["-q"], Duration::from_secs(60));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::metadata(out.join("riesig/index.html"))
            .unwrap()
            .len()
            > 40 * 1024 * 1024
    );
    assert!(
        std::fs::metadata(out.join("zeile/index.html"))
            .unwrap()
            .len()
            > 5 * 1024 * 1024
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_build_leaves_the_old_or_the_new_output_never_a_mix() {
    // A site big enough that the build takes a while.
    let s = site(CONFIG);
    let c = s.path().join("content/blog");
    std::fs::create_dir_all(&c).unwrap();
    for i in 0..3000 {
        std::fs::write(c.join(format!("p{i}.md")), format!("---\ntitle: Beitrag {i}\ndate: 2026-01-01\ntags: [t{}]\n---\nText {i}\n\n```rust\nfn f{i}() {{}}\n```\n", i % 50)).unwrap();
    }
    let out = s.path().join("public");
    assert_eq!(build(s.path(), &out, &["-q"]).code, 0);
    let old = tree(&out);
    // Change every page, then interrupt builds at several moments.
    for i in 0..3000 {
        std::fs::write(
            c.join(format!("p{i}.md")),
            format!("---\ntitle: Neu {i}\ndate: 2026-01-01\n---\nNeu {i}\n"),
        )
        .unwrap();
    }
    for delay in [50u64, 150, 300, 600] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kiosk"))
            .args([
                "-q",
                "build",
                "--no-cache",
                "--root",
                s.path().to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
            ])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        unsafe_free_kill(child.id());
        let _ = child.wait();
        let now = tree(&out);
        let all_old = now == old;
        let all_new = now
            .get("blog/p1/index.html")
            .is_some_and(|b| String::from_utf8_lossy(b).contains("Neu 1"))
            && !now
                .values()
                .any(|b| String::from_utf8_lossy(b).contains("Beitrag 2999"));
        assert!(
            all_old || all_new,
            "after SIGTERM at {delay} ms the output is a mix of two builds"
        );
    }
    // The next build succeeds and leaves nothing but the output and its work folder beside it.
    assert_eq!(build(s.path(), &out, &["-q"]).code, 0);
    let beside: Vec<String> = entries(s.path())
        .into_iter()
        .filter(|e| e.starts_with('.'))
        .collect();
    assert_eq!(beside, vec![".public.kiosk-work".to_string()], "{beside:?}");
}

fn unsafe_free_kill(pid: u32) {
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
}

#[test]
fn deleting_and_renaming_pages_equals_a_clean_build() {
    let mut spec = CONFIG.to_string();
    for i in 0..6 {
        spec.push_str(&format!("-- content/blog/p{i}.md --\n---\ntitle: P{i}\ndate: 2026-01-0{}\ntags: [t{i}]\n---\nText\n", i + 1));
    }
    let s = site(&spec);
    let out = s.path().join("public");
    assert_eq!(build(s.path(), &out, &[]).code, 0);
    for i in 0..3 {
        std::fs::remove_file(s.path().join(format!("content/blog/p{i}.md"))).unwrap();
    }
    std::fs::rename(
        s.path().join("content/blog/p5.md"),
        s.path().join("content/blog/umbenannt.md"),
    )
    .unwrap();
    // A file the user put into the output by hand is not ours: it is removed too (put it in static/).
    std::fs::write(out.join("CNAME"), "example.org").unwrap();
    assert_eq!(build(s.path(), &out, &[]).code, 0);
    let fresh = s.path().join("fresh");
    assert_eq!(build(s.path(), &fresh, &[]).code, 0);
    assert!(
        tree(&out) == tree(&fresh),
        "incremental output differs from a clean build"
    );
    assert!(!out.join("CNAME").exists());
}

#[cfg(unix)]
#[test]
fn umask_and_locale_do_not_change_the_output() {
    let s = site(&format!(
        "{CONFIG}-- content/a.md --\n---\ntitle: Ä\ndate: 2026-03-01\n---\n„Text“\n"
    ));
    let a = s.path().join("a");
    let b = s.path().join("b");
    assert_eq!(build(s.path(), &a, &[]).code, 0);
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 077; LC_ALL=C LANG=C TZ=America/Los_Angeles RAYON_NUM_THREADS=1 '{}' -q build --no-cache --root '{}' --output '{}'",
            env!("CARGO_BIN_EXE_kiosk"),
            s.path().display(),
            b.display()
        ))
        .status()
        .unwrap();
    assert!(status.success());
    assert!(tree(&a) == tree(&b));
}
