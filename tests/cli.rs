//! The command line as a user meets it: exit codes, stderr, `kiosk new`, and what the output
//! directory looks like after good and bad builds.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;

const CONFIG: &str = "-- kiosk.yaml --\ntitle: \"Test\"\nbase_url: \"https://example.org/\"\n";

#[test]
fn help_and_version_exit_zero_usage_errors_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let help = kiosk(dir.path(), &["--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("build"));
    assert!(help.stdout.contains("new"));
    assert_eq!(kiosk(dir.path(), &["--version"]).code, 0);
    let bad = kiosk(dir.path(), &["build", "--no-such-flag"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--no-such-flag"));
    assert_eq!(kiosk(dir.path(), &["frobnicate"]).code, 2);
}

#[test]
fn missing_config_is_a_site_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = kiosk(dir.path(), &["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("kiosk.yaml: error: no kiosk.yaml"),
        "{}",
        r.stderr
    );
}

#[test]
fn new_site_is_a_storefront_that_builds_and_names_its_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("meine-seite");
    let r = kiosk(dir.path(), &["new", site.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in [
        "kiosk.yaml",
        "README.md",
        ".github/workflows/deploy.yml",
        "content/ueber-mich.md",
        "content/impressum.md",
        "content/datenschutz.md",
        "content/produkte/mein-e-book/index.md",
        "content/produkte/mein-e-book/cover.svg",
        "content/produkte/mein-e-book/leseprobe.pdf",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    let workflow = std::fs::read_to_string(site.join(".github/workflows/deploy.yml")).unwrap();
    assert!(
        workflow.contains("schedule:") && workflow.contains("cron:"),
        "a daily build ends sales"
    );
    assert!(workflow.contains(".kiosk-cache") && workflow.contains("deploy-pages"));
    let r = kiosk(&site, &["build", "--no-cache"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = site.join("public");
    assert!(read(&out, "index.html").contains("Meine Website"));
    let landing = read(&out, "produkte/mein-e-book/index.html");
    for block in [
        "hero-block",
        "benefits",
        "toc-block",
        "sample",
        "testimonials",
        "faq",
        "author",
        "guarantee",
        "buy",
        "offer recommended",
    ] {
        assert!(
            landing.contains(block),
            "the starter's sales page shows every block: {block}"
        );
    }
    let impressum = read(&out, "impressum/index.html");
    assert!(
        impressum.contains("<address>") && impressum.contains("[Straße und Hausnummer]"),
        "{impressum}"
    );
    // `check`: no error, and every placeholder named at its place.
    let r = kiosk(&site, &["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("kiosk check: 0 errors"), "{}", r.stderr);
    for expected in [
        "kiosk.yaml:5:1: warning: `base_url` is still example.org",
        "kiosk.yaml:18:12: warning: placeholder `[Straße und Hausnummer]` is still in kiosk.yaml",
        "kiosk.yaml:20:10: warning: placeholder `[Ort]` is still in kiosk.yaml",
        "content/produkte/mein-e-book/index.md:19:14: warning: the buy button goes to https://checkout.example/mein-e-book, an example address",
        "placeholder `[Name einer Leserin]` is still in the sales page",
        "content/datenschutz.md:8:17: warning: placeholder `[Dein Name]` is still in the Datenschutz page",
    ] {
        assert!(r.stderr.contains(expected), "missing {expected:?} in\n{}", r.stderr);
    }
    // A second `new` into the same folder refuses.
    let again = kiosk(dir.path(), &["new", site.to_str().unwrap()]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("not empty"));
}

#[test]
fn new_minimal_is_the_small_blog() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("blog");
    let r = kiosk(dir.path(), &["new", "--minimal", site.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!site.join("content/produkte").exists() && !site.join(".github").exists());
    let posts = std::fs::read_dir(site.join("content/blog"))
        .unwrap()
        .count();
    assert!(posts >= 3, "two posts and the section index");
    let r = kiosk(&site, &["build", "--no-cache"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(read(&site.join("public"), "impressum/index.html").contains("[Dein Name]"));
}

#[test]
fn progress_one_line_per_stage_and_quiet() {
    let s = site(&format!(
        "{CONFIG}-- content/a.md --\n---\ntitle: A\n---\nHallo\n"
    ));
    let out = s.path().join("out");
    let r = build(s.path(), &out, &[]);
    assert_eq!(r.code, 0);
    for stage in ["config", "content", "markdown", "render", "write"] {
        assert!(
            r.stderr
                .lines()
                .any(|l| l.trim_start().starts_with(stage) && l.contains(" ms")),
            "{stage}: {}",
            r.stderr
        );
    }
    assert!(
        !r.stderr.contains('\x1b'),
        "no colour when stderr is not a terminal"
    );
    let q = build(s.path(), &out, &["-q"]);
    assert_eq!(q.code, 0);
    assert_eq!(q.stderr, "");
}

#[test]
fn failed_build_keeps_previous_output_and_deleted_pages_disappear() {
    let s = site(&format!(
        "{CONFIG}-- content/a.md --\n---\ntitle: A\n---\nErster Stand\n-- content/b.md --\n---\ntitle: B\n---\nB\n"
    ));
    let out = s.path().join("public");
    assert_eq!(build(s.path(), &out, &[]).code, 0);
    let good = tree(&out);
    assert!(good.contains_key("b/index.html"));

    // Break a page: the build fails and the output stays byte-identical.
    std::fs::write(s.path().join("content/a.md"), "---\ntitle: [kaputt\n---\n").unwrap();
    let r = build(s.path(), &out, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("content/a.md:2:"), "{}", r.stderr);
    assert!(tree(&out) == good, "failed build changed the output");

    // Fix it and delete b.md: b's output is gone, a's is new.
    std::fs::write(
        s.path().join("content/a.md"),
        "---\ntitle: A\n---\nZweiter Stand\n",
    )
    .unwrap();
    std::fs::remove_file(s.path().join("content/b.md")).unwrap();
    assert_eq!(build(s.path(), &out, &[]).code, 0);
    let after = tree(&out);
    assert!(!after.contains_key("b/index.html"), "stale page survived");
    assert!(!after.keys().any(|k| k.starts_with("b/")));
    assert!(String::from_utf8_lossy(&after["a/index.html"]).contains("Zweiter Stand"));
    assert!(!String::from_utf8_lossy(&after["sitemap.xml"]).contains("/b/"));
}

#[test]
fn bom_and_crlf_build_like_plain_files() {
    let plain = site(&format!("{CONFIG}-- content/a.md --\n---\ntitle: \"Zitat\"\ntags: [eins]\n---\nSie sagte \"ja\".\n\n## Teil\n"));
    let crlf = site(CONFIG);
    std::fs::create_dir_all(crlf.path().join("content")).unwrap();
    std::fs::write(
        crlf.path().join("content/a.md"),
        "\u{feff}---\r\ntitle: \"Zitat\"\r\ntags: [eins]\r\n---\r\nSie sagte \"ja\".\r\n\r\n## Teil\r\n",
    )
    .unwrap();
    let (o1, o2) = (plain.path().join("o"), crlf.path().join("o"));
    assert_eq!(build(plain.path(), &o1, &[]).code, 0);
    assert_eq!(build(crlf.path(), &o2, &[]).code, 0);
    assert!(tree(&o1) == tree(&o2));
    assert!(read(&o1, "a/index.html").contains("„ja“"));
}

#[test]
fn base_url_flag_overrides_config() {
    let s = site(&format!("{CONFIG}-- content/a.md --\n---\ntitle: A\n---\n"));
    let out = s.path().join("o");
    assert_eq!(
        build(
            s.path(),
            &out,
            &["--base-url", "https://preview.example/pr-7"]
        )
        .code,
        0
    );
    assert!(read(&out, "a/index.html").contains("https://preview.example/pr-7/a/"));
    assert!(read(&out, "robots.txt").contains("Sitemap: https://preview.example/pr-7/sitemap.xml"));
}

#[test]
fn output_dir_may_not_be_the_site_or_its_inputs() {
    let s = site(&format!("{CONFIG}-- content/a.md --\n---\ntitle: A\n---\n"));
    for bad in [".", "content", "..", "static/x"] {
        let out = s.path().join(bad);
        let r = build(s.path(), &out, &[]);
        assert_eq!(r.code, 1, "{bad}: {}", r.stderr);
        assert!(r.stderr.contains("refusing"), "{bad}: {}", r.stderr);
    }
    assert!(s.path().join("content/a.md").is_file());
}

#[test]
fn typo_in_front_matter_warns_but_builds() {
    let s = site(&format!("{CONFIG}-- content/a.md --\n---\ntilte: A\n---\n"));
    let r = build(s.path(), &s.path().join("o"), &[]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("content/a.md:2:1: warning: unknown key `tilte` (did you mean `title`?)"),
        "{}",
        r.stderr
    );
}

#[test]
fn taxonomy_as_one_string_dates_from_file_names_and_pagination() {
    let mut spec =
        format!("{CONFIG}paginate_by: 2\n-- content/blog/_index.md --\n---\ntitle: Blog\n---\n");
    for i in 1..=5 {
        spec.push_str(&format!("-- content/blog/2026-01-0{i}-post-{i}.md --\n---\ntitle: Post {i}\ntags: Einzeln\n---\nText {i}\n"));
    }
    let s = site(&spec);
    let out = s.path().join("o");
    let r = build(s.path(), &out, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let t = tree(&out);
    assert!(
        t.contains_key("blog/post-3/index.html"),
        "date prefix dropped from slug"
    );
    assert!(t.contains_key("blog/page/3/index.html"));
    assert!(!t.contains_key("blog/page/4/index.html"));
    let first = read(&out, "blog/index.html");
    assert!(
        first.find("Post 5").unwrap() < first.find("Post 4").unwrap(),
        "newest first"
    );
    assert!(read(&out, "blog/post-1/index.html").contains("datetime=\"2026-01-01\""));
    assert!(t.contains_key("tags/einzeln/page/3/index.html"));
    assert!(read(&out, "blog/atom.xml").contains("<published>2026-01-05T00:00:00Z</published>"));
}

#[test]
fn a_folder_kiosk_did_not_make_is_not_replaced_without_force() {
    let s = site(&format!("{CONFIG}-- content/a.md --\n---\ntitle: A\n---\n"));
    let mine = s.path().join("meine-dokumente");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("steuer.pdf"), "wichtig").unwrap();
    let r = build(s.path(), &mine, &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not made by kiosk"), "{}", r.stderr);
    assert_eq!(std::fs::read(mine.join("steuer.pdf")).unwrap(), b"wichtig");
    let forced = build(s.path(), &mine, &["--force"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(mine.join("a/index.html").exists());
    // From now on it is kiosk's output: no --force needed.
    assert_eq!(build(s.path(), &mine, &[]).code, 0);
}

#[test]
fn one_clock_now_flag_and_source_date_epoch_decide_what_is_scheduled() {
    let s = site(&format!(
        "{CONFIG}-- content/blog/2030-05-01-geplant.md --\n---\ntitle: Geplant\n---\nBald.\n-- content/blog/2020-01-01-alt.md --\n---\ntitle: Alt\n---\nAlt.\n"
    ));
    let out = s.path().join("public");
    let root = s.path().to_str().unwrap();
    let o = out.to_str().unwrap();
    let run = |extra: &[&str], epoch: Option<&str>| {
        let mut cmd = std::process::Command::new(bin());
        cmd.args(["-q", "build", "--no-cache", "--root", root, "--output", o])
            .args(extra)
            .env_remove("SOURCE_DATE_EPOCH");
        if let Some(e) = epoch {
            cmd.env("SOURCE_DATE_EPOCH", e);
        }
        let r = cmd.output().unwrap();
        (
            r.status.code(),
            String::from_utf8_lossy(&r.stderr).into_owned(),
        )
    };
    // Today (2026) the 2030 post is scheduled.
    assert_eq!(run(&[], None).0, Some(0));
    assert!(!out.join("blog/geplant/index.html").exists());
    // --now after its date publishes it; the empty-feed date is never the machine's clock.
    assert_eq!(run(&["--now", "2030-05-02"], None).0, Some(0));
    assert!(out.join("blog/geplant/index.html").exists());
    // SOURCE_DATE_EPOCH is the same clock (2030-06-01) …
    assert_eq!(run(&[], Some("1906502400")).0, Some(0));
    assert!(out.join("blog/geplant/index.html").exists());
    // … and --now wins over it.
    assert_eq!(run(&["--now", "2026-01-01"], Some("1906502400")).0, Some(0));
    assert!(!out.join("blog/geplant/index.html").exists());
    // A --now that is not a date is a usage error; a bad SOURCE_DATE_EPOCH names the variable.
    let (code, err) = run(&["--now", "morgen"], None);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("morgen"), "{err}");
    let (code, err) = run(&[], Some("gestern"));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("SOURCE_DATE_EPOCH"), "{err}");
}
