//! The shape of the code base stays as the README describes it: no source file over about 700
//! lines unless its first comment says why (`Long file:`), and every module of `src/` appears in
//! the README's layout table.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::repo;

#[test]
fn no_source_file_is_over_700_lines_without_a_reason() {
    let mut long = Vec::new();
    for e in walkdir::WalkDir::new(repo().join("src")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let head: String = text.lines().take_while(|l| l.starts_with("//")).collect();
            if text.lines().count() > 700 && !head.contains("Long file:") {
                long.push(e.path().display().to_string());
            }
        }
    }
    assert!(long.is_empty(), "over 700 lines without a reason: {long:?}");
}

#[test]
fn every_module_is_in_the_readme_layout_table() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut missing = Vec::new();
    for e in std::fs::read_dir(repo().join("src")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let module = name.trim_end_matches(".rs");
        if matches!(module, "lib" | "main" | "proptests" | "starter")
            || name.ends_with(".proptest-regressions")
        {
            continue;
        }
        let as_file = format!("`src/{module}.rs`");
        let as_dir = format!("`src/{module}/`");
        if !readme.contains(&as_file) && !readme.contains(&as_dir) {
            missing.push(module.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "modules missing from the README's layout table: {missing:?}"
    );
}
