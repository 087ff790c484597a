//! Diagnostics: every problem kiosk reports carries a path, a line and a column.

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot succeed.
    Error,
    /// The build succeeds, but the author should look.
    Warning,
}

/// One problem in one file, located by line and column (both 1-based, counted from the top of
/// the file). A line of 0 means "the whole file".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub col: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence, plus hints.
    pub message: String,
}

impl Diagnostic {
    /// An error at `path:line:col`.
    pub fn error(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning at `path:line:col`.
    pub fn warning(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    /// An error about a whole file.
    pub fn file(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::error(path, 0, 0, message)
    }

    /// True for errors, false for warnings.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line == 0 {
            write!(f, "{}: {}: {}", self.path, sev, self.message)
        } else {
            let col = self.col.max(1);
            write!(
                f,
                "{}:{}:{}: {}: {}",
                self.path, self.line, col, sev, self.message
            )
        }
    }
}

/// The build failed: these are all the problems found (errors first, sorted by file and line).
#[derive(Debug, thiserror::Error)]
#[error("{} error(s) found", self.error_count())]
pub struct BuildFailed {
    /// Everything found, errors and warnings.
    pub diagnostics: Vec<Diagnostic>,
    /// True when the output was changed before the failure (putting files in place one by one
    /// on a mount point failed halfway); false means the previous output is as it was.
    pub output_changed: bool,
}

impl From<Vec<Diagnostic>> for BuildFailed {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        BuildFailed {
            diagnostics,
            output_changed: false,
        }
    }
}

impl BuildFailed {
    /// Number of errors (not warnings).
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// A collection of diagnostics built up by the stages of a build.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Records many problems.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// True when at least one error (not warning) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Fails with everything recorded so far when an error is among it.
    pub fn check(&mut self) -> Result<(), BuildFailed> {
        if self.has_errors() {
            Err(BuildFailed::from(self.take_sorted()))
        } else {
            Ok(())
        }
    }

    /// All diagnostics, sorted by file, line and column, with duplicates removed.
    pub fn take_sorted(&mut self) -> Vec<Diagnostic> {
        let mut v = std::mem::take(&mut self.items);
        v.sort();
        v.dedup();
        v
    }
}

/// "did you mean `x`?" for the closest of `candidates`, or an empty string.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let best = candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3) && *d > 0)
        .min();
    match best {
        Some((_, c)) => format!(" (did you mean `{c}`?)"),
        None => String::new(),
    }
}

/// Finds the closest of `candidates` when `word` is probably a typo of it: one edit away (a
/// swapped pair counts as one), or two for words of six letters or more. Other generators' own
/// keys (`lat`, `layout`) are not typos of kiosk's (`date`, `template`).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, c)| *d > 0 && (*d == 1 || (*d == 2 && c.len() >= 6)))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_path_line_col() {
        let d = Diagnostic::error("content/a.md", 3, 7, "bad");
        assert_eq!(d.to_string(), "content/a.md:3:7: error: bad");
        let w = Diagnostic::warning("kiosk.yaml", 2, 1, "hm");
        assert_eq!(w.to_string(), "kiosk.yaml:2:1: warning: hm");
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest("tilte", ["title", "date", "tags"]), Some("title"));
        assert_eq!(closest("price", ["title", "date", "tags"]), None);
        assert_eq!(closest("titel", ["title", "date"]), Some("title"));
        assert_eq!(closest("lat", ["title", "date", "tags"]), None);
        assert_eq!(closest("layout", ["template", "date"]), None);
        assert_eq!(closest("descripton", ["description"]), Some("description"));
        assert!(did_you_mean("bse_url", ["base_url", "title"]).contains("base_url"));
    }
}
