//! One fixture directory per edge case under `tests/fixtures/`, each its own named test.
//!
//! `site.txt` holds the site's files as `-- path --` sections and an `-- expect --` section:
//!
//! ```text
//! exit: 1                                   the exit code (default 0)
//! args: --drafts --now 2026-12-01           extra arguments for `kiosk build`
//! stderr: text                              stderr contains the text
//! stderr lacks: text                        stderr does not contain the text
//! output: FILE contains TEXT                the output file contains the text
//! output: FILE lacks TEXT                   the output file exists and does not contain the text
//! absent: FILE                              the output has no such file
//! within: 20                                the build must finish within 20 seconds (default 120)
//! ```
//!
//! Any other key is an error. Every case also checks that a failed build leaves the previous
//! output byte-identical, writes nothing into the site, leaves nothing beside the output, and
//! never panics.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::Path;

const DEFAULT_CONFIG: &str = "title: \"Fixture\"\nbase_url: \"https://example.org/\"\n";

#[derive(Default)]
struct Expect {
    exit: i32,
    args: Vec<String>,
    stderr: Vec<String>,
    stderr_lacks: Vec<String>,
    /// (output file, text, must contain?)
    output: Vec<(String, String, bool)>,
    absent: Vec<String>,
    within: Option<u64>,
}

fn parse_expect(spec: &str) -> Result<Expect, String> {
    let section = spec
        .split("-- expect --\n")
        .nth(1)
        .and_then(|rest| rest.split("\n-- ").next())
        .ok_or("the fixture has no -- expect -- section")?;
    let mut e = Expect::default();
    for (n, line) in section.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(": ")
            .ok_or_else(|| format!("expect line {}: `{line}` is not `key: value`", n + 1))?;
        match key {
            "exit" => {
                e.exit = value
                    .trim()
                    .parse()
                    .map_err(|_| format!("exit: `{value}`"))?
            }
            "args" => e.args.extend(value.split_whitespace().map(String::from)),
            "stderr" => e.stderr.push(value.to_string()),
            "stderr lacks" => e.stderr_lacks.push(value.to_string()),
            "absent" => e.absent.push(value.trim().to_string()),
            "within" => {
                e.within = Some(
                    value
                        .trim()
                        .parse()
                        .map_err(|_| format!("within: `{value}`"))?,
                )
            }
            "output" => {
                let (file, text, contains) = match value.split_once(" contains ") {
                    Some((f, t)) => (f, t, true),
                    None => {
                        let (f, t) = value.split_once(" lacks ").ok_or_else(|| {
                            format!("output: `{value}` is not `FILE contains TEXT` or `FILE lacks TEXT`")
                        })?;
                        (f, t, false)
                    }
                };
                e.output
                    .push((file.to_string(), text.to_string(), contains));
            }
            other => return Err(format!("expect line {}: unknown key `{other}`", n + 1)),
        }
    }
    Ok(e)
}

/// Writes the fixture's site below `root`, with a default config unless it brings its own.
fn write_site(dir: &Path, spec: &str, root: &Path) {
    std::fs::create_dir(root).unwrap();
    if !spec.contains("-- kiosk.yaml --") && !spec.contains("no-default-config") {
        std::fs::write(root.join("kiosk.yaml"), DEFAULT_CONFIG).unwrap();
    }
    write_spec(root, spec);
    std::fs::remove_file(root.join("expect")).ok();
    std::fs::create_dir_all(root.join("content")).unwrap();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(target) = name.strip_suffix(".bin") {
            std::fs::copy(&p, root.join("content").join(target)).unwrap();
        }
    }
}

/// What the output must and must not hold.
fn check_output(expect: &Expect, out: &Path, problems: &mut Vec<String>) {
    for (file, text, contains) in &expect.output {
        match std::fs::read_to_string(out.join(file)) {
            Ok(content) if content.contains(text.as_str()) == *contains => {}
            Ok(_) if *contains => problems.push(format!("{file} lacks `{text}`")),
            Ok(_) => problems.push(format!("{file} contains `{text}`")),
            Err(e) => problems.push(format!("{file}: {e}")),
        }
    }
    for file in &expect.absent {
        if out.join(file).exists() {
            problems.push(format!("{file} exists"));
        }
    }
}

fn run_case(dir: &Path) -> Result<(), Failed> {
    let spec = std::fs::read_to_string(dir.join("site.txt")).unwrap();
    let expect = parse_expect(&spec)?;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    write_site(dir, &spec, &root);
    // A previous build's output that a failing build must leave alone.
    let out = tmp.path().join("public");
    std::fs::create_dir_all(out.join("alt")).unwrap();
    std::fs::write(out.join("index.html"), "vorheriger Stand").unwrap();
    std::fs::write(out.join("alt/datei.txt"), "bleibt").unwrap();
    let before_out = tree(&out);
    let before_site = tree(&root);

    // The simulated previous output was not made by kiosk: --force lets successful cases replace it.
    let mut args = vec!["--force"];
    args.extend(expect.args.iter().map(String::as_str));
    let limit = expect
        .within
        .map_or(RUN_LIMIT, std::time::Duration::from_secs);
    let r = build_within(&root, &out, &args, limit);
    let mut problems = Vec::new();
    if r.code != expect.exit {
        problems.push(format!("exit code {} instead of {}", r.code, expect.exit));
    }
    for line in &expect.stderr {
        if !r.stderr.contains(line.as_str()) {
            problems.push(format!("stderr lacks `{line}`"));
        }
    }
    for line in &expect.stderr_lacks {
        if r.stderr.contains(line.as_str()) {
            problems.push(format!("stderr contains `{line}`"));
        }
    }
    check_output(&expect, &out, &mut problems);
    if r.stderr.contains("panicked") || r.stderr.contains("internal error") {
        problems.push("kiosk panicked".into());
    }
    if r.code != 0 && tree(&out) != before_out {
        problems.push("the failed build changed the previous output".into());
    }
    if tree(&root) != before_site {
        problems.push("the build wrote into the site directory".into());
    }
    let allowed = ["site", "public", ".public.kiosk-work", ".public.kiosk-lock"];
    let stray: Vec<String> = entries(tmp.path())
        .into_iter()
        .filter(|e| !allowed.contains(&e.as_str()))
        .collect();
    if !stray.is_empty() {
        problems.push(format!("left behind beside the output: {stray:?}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n  stderr was:\n{}", problems.join("\n"), r.stderr).into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let base = repo().join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("site.txt").is_file())
        .collect();
    dirs.sort();
    let mut trials: Vec<Trial> = dirs
        .into_iter()
        .map(|d| {
            let name = d.file_name().unwrap().to_string_lossy().into_owned();
            Trial::test(name, move || run_case(&d))
        })
        .collect();
    trials.push(Trial::test(
        "harness: unknown expectation keys are errors",
        || {
            let bad = parse_expect("-- expect --\nexit: 0\nstdout: x\n");
            let no_section = parse_expect("-- content/a.md --\n");
            let lacks = parse_expect("-- expect --\noutput: a.html lacks <b>\n")?;
            if bad.is_ok()
                || no_section.is_ok()
                || lacks.output[0] != ("a.html".into(), "<b>".into(), false)
            {
                return Err("the expectation parser accepts what it must refuse".into());
            }
            Ok(())
        },
    ));
    libtest_mimic::run(&args, trials).exit();
}
