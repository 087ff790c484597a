//! Shared test helpers: sites from text, running the real binary, reading output trees.
#![allow(dead_code)] // each test binary uses a different subset
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Writes a site described as `-- path --` sections (a txtar-like format) into a new temp dir.
pub fn site(spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_spec(dir.path(), spec);
    dir
}

/// Writes `-- path --` sections below `root`.
pub fn write_spec(root: &Path, spec: &str) {
    let mut current: Option<(String, String)> = None;
    let flush = |c: &mut Option<(String, String)>| {
        if let Some((path, text)) = c.take() {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
    };
    for line in spec.split_inclusive('\n') {
        let t = line.trim_end();
        if let Some(name) = t.strip_prefix("-- ").and_then(|r| r.strip_suffix(" --")) {
            flush(&mut current);
            current = Some((name.to_string(), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
        }
    }
    flush(&mut current);
}

/// Result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// How long any one run of the binary may take before the test fails: generous, so it only
/// catches hangs (a debug build of a pathological site takes a few seconds).
pub const RUN_LIMIT: Duration = Duration::from_secs(120);

/// The kiosk binary under test: this build's, or `KIOSK_BIN` (to see a new test fail on an
/// older binary).
pub fn bin() -> std::ffi::OsString {
    std::env::var_os("KIOSK_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_kiosk").into())
}

/// Runs `kiosk` with `args` in `cwd`; fails the test when it runs longer than `RUN_LIMIT`.
pub fn kiosk(cwd: &Path, args: &[&str]) -> Run {
    kiosk_within(cwd, args, RUN_LIMIT)
}

/// Runs `kiosk` with `args` in `cwd`; kills it and fails the test when it runs longer than
/// `limit` (a hang is a failure, never a stuck test run).
pub fn kiosk_within(cwd: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out_pipe.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err_pipe.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kiosk {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    }
}

/// Builds the site at `root` into `out` (cache off); returns the run.
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Run {
    build_within(root, out, extra, RUN_LIMIT)
}

/// Like [`build`], failing when the build takes longer than `limit`.
pub fn build_within(root: &Path, out: &Path, extra: &[&str], limit: Duration) -> Run {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "--no-cache",
    ];
    args.extend_from_slice(extra);
    kiosk_within(root, &args, limit)
}

/// Every file below `dir`, by `/`-separated relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    out
}

/// Names of the entries directly in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads a text file of the output.
pub fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The example site copied to `to`, without a local build's output or highlight cache.
pub fn copy_example(to: &Path) {
    for (rel, bytes) in tree(&repo().join("example-site")) {
        if rel.starts_with(".kiosk-cache/") || rel.starts_with("public/") {
            continue;
        }
        let dest = to.join(&rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(dest, bytes).unwrap();
    }
}

/// The example site in one language: without its English pages and without `languages:`
/// (the last key of its kiosk.yaml) and the comment above it.
pub fn copy_example_in_one_language(to: &Path) {
    copy_example(to);
    let config = to.join("kiosk.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let at = text
        .find("\nlanguages:")
        .expect("the example site has languages:");
    assert!(
        text[at + 1..].lines().skip(1).all(|l| l.starts_with(' ')),
        "languages: is the last key of the example's kiosk.yaml"
    );
    let mut lines: Vec<&str> = text[..at].lines().collect();
    while lines.last().is_some_and(|l| l.starts_with('#')) {
        lines.pop();
    }
    std::fs::write(&config, lines.join("\n") + "\n").unwrap();
    for (rel, _) in tree(to) {
        if rel.ends_with(".en.md") {
            std::fs::remove_file(to.join(rel)).unwrap();
        }
    }
}
