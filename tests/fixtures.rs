//! One fixture directory per edge case under `tests/fixtures/`: `site.txt` holds the site's files
//! as `-- path --` sections and an `-- expect --` section with the exit code and lines stderr
//! must contain. Every case also checks that a failed build leaves the previous output
//! byte-identical and writes nothing into the site.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;
use std::path::Path;

const DEFAULT_CONFIG: &str = "title: \"Fixture\"\nbase_url: \"https://example.org/\"\n";

struct Expect {
    exit: i32,
    stderr: Vec<String>,
    /// (output file, text it must contain)
    output: Vec<(String, String)>,
}

fn parse_expect(spec: &str) -> Expect {
    let section = spec
        .split("-- expect --\n")
        .nth(1)
        .and_then(|rest| rest.split("\n-- ").next())
        .expect("fixture has an -- expect -- section");
    let mut e = Expect {
        exit: 0,
        stderr: Vec::new(),
        output: Vec::new(),
    };
    for line in section.lines() {
        if let Some(v) = line.strip_prefix("exit: ") {
            e.exit = v.trim().parse().unwrap();
        } else if let Some(v) = line.strip_prefix("stderr: ") {
            e.stderr.push(v.to_string());
        } else if let Some(v) = line.strip_prefix("output: ") {
            let (file, text) = v
                .split_once(" contains ")
                .expect("output: FILE contains TEXT");
            e.output.push((file.to_string(), text.to_string()));
        }
    }
    e
}

fn run_case(dir: &Path) -> Result<(), String> {
    let spec = std::fs::read_to_string(dir.join("site.txt")).unwrap();
    let expect = parse_expect(&spec);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir(&root).unwrap();
    if !spec.contains("-- kiosk.yaml --") && !spec.contains("no-default-config") {
        std::fs::write(root.join("kiosk.yaml"), DEFAULT_CONFIG).unwrap();
    }
    write_spec(&root, &spec);
    std::fs::remove_file(root.join("expect")).ok();
    std::fs::create_dir_all(root.join("content")).unwrap();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(target) = name.strip_suffix(".bin") {
            std::fs::copy(&p, root.join("content").join(target)).unwrap();
        }
    }
    // A previous build's output that a failing build must leave alone.
    let out = tmp.path().join("public");
    std::fs::create_dir_all(out.join("alt")).unwrap();
    std::fs::write(out.join("index.html"), "vorheriger Stand").unwrap();
    std::fs::write(out.join("alt/datei.txt"), "bleibt").unwrap();
    let before_out = tree(&out);
    let before_site = tree(&root);

    // The simulated previous output was not made by kiosk: --force lets successful cases replace it.
    let r = build(&root, &out, &["--force"]);
    let mut problems = Vec::new();
    if r.code != expect.exit {
        problems.push(format!("exit code {} instead of {}", r.code, expect.exit));
    }
    for line in &expect.stderr {
        if !r.stderr.contains(line.as_str()) {
            problems.push(format!("stderr lacks `{line}`"));
        }
    }
    for (file, text) in &expect.output {
        match std::fs::read_to_string(out.join(file)) {
            Ok(content) if content.contains(text.as_str()) => {}
            Ok(_) => problems.push(format!("{file} lacks `{text}`")),
            Err(e) => problems.push(format!("{file}: {e}")),
        }
    }
    if r.stderr.contains("panicked") || r.stderr.contains("internal error") {
        problems.push("kiosk panicked".into());
    }
    if r.code != 0 && tree(&out) != before_out {
        problems.push("the failed build changed the previous output".into());
    }
    if tree(&root) != before_site {
        problems.push("the build wrote into the site directory".into());
    }
    let allowed = ["site", "public", ".public.kiosk-work"];
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
        Err(format!(
            "{}\n  stderr was:\n{}",
            problems.join("\n"),
            r.stderr
        ))
    }
}

#[test]
fn every_fixture_behaves_as_expected() {
    let base = repo().join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("site.txt").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 15, "only {} fixtures", dirs.len());
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|d| {
            run_case(d)
                .err()
                .map(|e| format!("## {}\n{e}", d.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}
