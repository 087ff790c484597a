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
    assert_eq!(
        beside,
        vec![".public.kiosk-lock", ".public.kiosk-work"],
        "{beside:?}"
    );
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

#[test]
fn an_output_that_is_a_file_is_refused_and_left_alone() {
    let s = site(&format!("{CONFIG}-- content/a.md --\n---\ntitle: A\n---\n"));
    let config = s.path().join("kiosk.yaml");
    let before = std::fs::read(&config).unwrap();
    let note = s.path().join("notiz.txt");
    std::fs::write(&note, "meine Notiz").unwrap();
    for target in [&config, &note] {
        let r = build(s.path(), target, &[]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(r.stderr.contains("is a file, not a folder"), "{}", r.stderr);
    }
    assert_eq!(std::fs::read(&config).unwrap(), before);
    assert_eq!(std::fs::read_to_string(&note).unwrap(), "meine Notiz");
    assert!(!s.path().join(".kiosk.yaml.kiosk-work").exists());
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_built_into_its_target_and_stays_a_link() {
    let s = site(&format!(
        "{CONFIG}-- content/a.md --\n---\ntitle: A\n---\n-- content/b.md --\n---\ntitle: B\n---\n"
    ));
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("webroot");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(elsewhere.path().join("nachbar.txt"), "bleibt").unwrap();
    let link = s.path().join("public");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    for round in 0..3 {
        if round == 2 {
            std::fs::remove_file(s.path().join("content/b.md")).unwrap();
        }
        let r = build(s.path(), &link, &[]);
        assert_eq!(r.code, 0, "round {round}: {}", r.stderr);
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "round {round}"
        );
        assert!(target.join("a/index.html").is_file(), "round {round}");
    }
    assert!(
        !target.join("b/index.html").exists(),
        "a deleted page is gone from the target"
    );
    assert_eq!(
        std::fs::read_to_string(elsewhere.path().join("nachbar.txt")).unwrap(),
        "bleibt"
    );
    assert!(
        elsewhere.path().join(".webroot.kiosk-work").is_dir(),
        "the work folder lies beside the target"
    );
    assert!(!s.path().join(".public.kiosk-work").exists());
}

#[test]
fn an_output_whose_work_folder_was_deleted_is_still_kioskss_own() {
    let s = site(&format!("{CONFIG}-- content/a.md --\n---\ntitle: A\n---\n"));
    let out = s.path().join("public");
    assert_eq!(build(s.path(), &out, &[]).code, 0);
    std::fs::remove_dir_all(s.path().join(".public.kiosk-work")).unwrap();
    let r = build(s.path(), &out, &[]);
    assert_eq!(
        r.code, 0,
        "the marker inside the output says it is kiosk's: {}",
        r.stderr
    );
    assert!(out.join(".kiosk-output").is_file());
}

#[test]
fn two_builds_into_one_output_take_turns() {
    let s = site(CONFIG);
    let c = s.path().join("content/blog");
    std::fs::create_dir_all(&c).unwrap();
    for i in 0..1500 {
        std::fs::write(
            c.join(format!("p{i}.md")),
            format!("---\ntitle: Beitrag {i}\ndate: 2026-01-01\n---\nText {i}\n"),
        )
        .unwrap();
    }
    let out = s.path().join("public");
    let spawn = |base: &str| {
        Command::new(bin())
            .args([
                "build",
                "--no-cache",
                "--root",
                s.path().to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
                "--base-url",
                base,
            ])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn("https://a.example/");
    std::thread::sleep(Duration::from_millis(30));
    let b = spawn("https://b.example/");
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    assert!(said.contains("waiting for it to finish"), "{said}");
    let pages: Vec<String> = tree(&out)
        .into_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(_, v)| String::from_utf8_lossy(&v).into_owned())
        .collect();
    let from_a = pages
        .iter()
        .filter(|p| p.contains("https://a.example/"))
        .count();
    let from_b = pages
        .iter()
        .filter(|p| p.contains("https://b.example/"))
        .count();
    assert!(
        from_a == 0 || from_b == 0,
        "a mix of two builds: {from_a} pages of one, {from_b} of the other"
    );
}

/// Runs `script` (sh) in a private mount namespace (`unshare -m`): mounts made there vanish with
/// it. These tests need root; they fail, never skip, where it is missing.
#[cfg(target_os = "linux")]
fn in_mount_namespace(script: &str, env: &[(&str, &std::path::Path)]) -> std::process::Output {
    let probe = Command::new("unshare").args(["-m", "true"]).status();
    assert!(
        probe.is_ok_and(|s| s.success()),
        "this test needs `unshare -m` (root, Linux) to mount a file system"
    );
    let mut cmd = Command::new("unshare");
    cmd.args(["-m", "sh", "-ec", script]).env("KIOSK", bin());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_output_is_updated_in_place() {
    let s = site(&format!("{CONFIG}-- content/a.md --\n---\ntitle: A\n---\nAlt.\n-- content/b.md --\n---\ntitle: B\n---\n"));
    let out = s.path().join("public");
    std::fs::create_dir(&out).unwrap();
    let o = in_mount_namespace(
        r#"mount -t tmpfs -o size=16m tmpfs "$OUT"
"$KIOSK" -q build --no-cache --root "$ROOT" --output "$OUT"
printf -- '---\ntitle: A\n---\nNeu.\n' > "$ROOT/content/a.md"
rm "$ROOT/content/b.md"
"$KIOSK" -q build --no-cache --root "$ROOT" --output "$OUT"
mkdir -p "$ROOT/templates"; printf '{{ kaputt( }}\n' > "$ROOT/templates/page.html"
if "$KIOSK" -q build --no-cache --root "$ROOT" --output "$OUT"; then echo "broken template built"; fi
mountpoint -q "$OUT" && echo "still a mount point"
cd "$OUT" && find . -type f | sort
cat a/index.html"#,
        &[("OUT", &out), ("ROOT", s.path())],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("still a mount point"), "{stdout}");
    assert!(!stdout.contains("broken template built"), "{stdout}");
    assert!(
        stdout.contains("./a/index.html") && !stdout.contains("./b/index.html"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Neu.") && !stdout.contains("Alt."),
        "{stdout}"
    );
    assert!(!stdout.contains(".kiosk-incoming"), "{stdout}");
    assert!(stderr.contains("templates/page.html:"), "{stderr}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_one_clear_error_and_leaves_nothing_behind() {
    let s = site(&format!(
        "{CONFIG}-- content/a.md --\n---\ntitle: A\n---\nKlein.\n"
    ));
    let disk = tempfile::tempdir().unwrap();
    let o = in_mount_namespace(
        r#"mount -t tmpfs -o size=400k tmpfs "$DISK"
"$KIOSK" -q build --no-cache --root "$ROOT" --output "$DISK/public"
before=$(cd "$DISK/public" && find . -type f | sort | xargs cat | md5sum)
mkdir -p "$ROOT/content/viel"
i=0; while [ $i -lt 300 ]; do printf -- '---\ntitle: Seite %s\n---\n%s\n' $i "$(head -c 3000 /dev/zero | tr '\0' x)" > "$ROOT/content/viel/s$i.md"; i=$((i+1)); done
if "$KIOSK" -q build --no-cache --root "$ROOT" --output "$DISK/public" 2> "$DISK/../err"; then echo "built on a full disk"; fi
after=$(cd "$DISK/public" && find . -type f | sort | xargs cat | md5sum)
[ "$before" = "$after" ] && echo "output unchanged"
ls -A "$DISK""#,
        &[("DISK", disk.path()), ("ROOT", s.path())],
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{stdout}\n{stderr}");
    assert!(!stdout.contains("built on a full disk"), "{stdout}");
    assert!(stdout.contains("output unchanged"), "{stdout}");
    assert!(
        !stdout.contains("kiosk-work"),
        "the work folder is removed: {stdout}"
    );
    let err =
        std::fs::read_to_string(disk.path().parent().unwrap().join("err")).unwrap_or_default();
    let errors: Vec<&str> = err.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(errors.len(), 1, "one error, not one per file:\n{err}");
    assert!(errors[0].contains("No space left on device"), "{err}");
}

#[test]
fn many_equal_headings_and_many_tags_take_linear_time() {
    // Heading ids and term pages were quadratic (50,000 equal headings: minutes; 10,000 tags:
    // 23 s). bench/scaling.sh measures the growth; here a generous bound catches a relapse.
    let s = site(CONFIG);
    std::fs::create_dir_all(s.path().join("content")).unwrap();
    let headings = "## Gleich\n\nText.\n\n".repeat(20_000);
    std::fs::write(
        s.path().join("content/h.md"),
        format!("---\ntitle: H\n---\n{headings}"),
    )
    .unwrap();
    let tags: Vec<String> = (0..10_000).map(|i| format!("t{i}")).collect();
    std::fs::write(
        s.path().join("content/t.md"),
        format!(
            "---\ntitle: T\ndate: 2026-01-01\ntags: [{}]\n---\nText\n",
            tags.join(", ")
        ),
    )
    .unwrap();
    let out = s.path().join("public");
    let r = build_within(s.path(), &out, &["-q"], Duration::from_secs(20));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(read(&out, "h/index.html").contains("id=\"gleich-19999\""));
    assert!(out.join("tags/t9999/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn a_link_inside_the_output_never_reaches_files_outside() {
    let s = site(&format!(
        "{CONFIG}-- content/a.md --\n---\ntitle: A\n---\n-- static/videos/intro.mp4 --\nSITE\n"
    ));
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("intro.mp4"), "ORIGINAL").unwrap();
    let out = s.path().join("public");
    assert_eq!(build(s.path(), &out, &[]).code, 0);
    // A user links a folder of the output elsewhere; two builds later it is in the work folder.
    std::fs::remove_dir_all(out.join("videos")).unwrap();
    std::os::unix::fs::symlink(outside.path(), out.join("videos")).unwrap();
    for _ in 0..3 {
        let r = build(s.path(), &out, &[]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(outside.path().join("intro.mp4")).unwrap(),
        "ORIGINAL"
    );
    assert_eq!(
        read(&out, "videos/intro.mp4"),
        "SITE\n",
        "the site's file is in the output"
    );
}

#[test]
fn a_folder_put_in_place_of_the_output_is_not_taken_over() {
    let s = site(&format!("{CONFIG}-- content/a.md --\n---\ntitle: A\n---\n"));
    let out = s.path().join("public");
    assert_eq!(build(s.path(), &out, &[]).code, 0);
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notizen.txt"), "kostbar").unwrap();
    let r = build(s.path(), &out, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("was not made by kiosk"), "{}", r.stderr);
    assert_eq!(read(&out, "notizen.txt"), "kostbar");
}

#[test]
fn a_retracted_page_is_gone_from_the_disk_and_git_and_keep_are_kept() {
    let s = site(&format!(
        "{CONFIG}keep: [CNAME]\n-- content/a.md --\n---\ntitle: A\n---\n-- content/geheim.md --\n---\ntitle: Geheim\n---\nGEHEIMNIS\n"
    ));
    let out = s.path().join("public");
    assert_eq!(build(s.path(), &out, &[]).code, 0);
    std::fs::create_dir_all(out.join(".git/objects")).unwrap();
    std::fs::write(out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(out.join("CNAME"), "example.org\n").unwrap();
    std::fs::write(
        s.path().join("content/geheim.md"),
        "---\ntitle: Geheim\ndraft: true\n---\nGEHEIMNIS\n",
    )
    .unwrap();
    for _ in 0..2 {
        assert_eq!(build(s.path(), &out, &[]).code, 0);
    }
    for (rel, bytes) in tree(s.path()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("GEHEIMNIS") || rel.starts_with("content/"),
            "{rel} still holds the retracted page"
        );
    }
    assert_eq!(
        read(&out, ".git/HEAD"),
        "ref: refs/heads/gh-pages\n",
        ".git is never removed"
    );
    assert_eq!(read(&out, "CNAME"), "example.org\n", "keep: in kiosk.yaml");
    let ignore = s.path().join(".public.kiosk-work/.gitignore");
    assert!(
        std::fs::read_to_string(ignore).unwrap().contains('*'),
        "git ignores the old copy"
    );
    assert!(
        !out.join(".gitignore").exists(),
        "the output itself has no .gitignore"
    );
}
