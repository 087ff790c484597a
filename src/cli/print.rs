//! Printing: diagnostics (coloured on a terminal), stage progress, and the check report.

use super::Format;
use crate::check::CheckReport;
use crate::error::{Diagnostic, Severity};
use crate::site::Progress;
use std::process::ExitCode;

/// How to print.
pub(super) struct Out {
    pub quiet: bool,
    pub verbose: bool,
    pub color: bool,
}

impl Out {
    pub fn diag(&self, d: &Diagnostic) {
        let text = d.to_string();
        if self.color {
            let (code, word) = match d.severity {
                Severity::Error => ("31", "error"),
                Severity::Warning => ("33", "warning"),
            };
            eprintln!(
                "{}",
                text.replacen(
                    &format!(": {word}: "),
                    &format!(": \x1b[1;{code}m{word}\x1b[0m: "),
                    1
                )
            );
        } else {
            eprintln!("{text}");
        }
    }

    pub fn progress(&self, p: Progress) {
        if self.quiet {
            return;
        }
        if self.verbose || !p.detail.is_empty() {
            eprintln!(
                "  {:<9}{:>7.1} ms  {}",
                p.stage,
                p.elapsed.as_secs_f64() * 1000.0,
                p.detail
            );
        }
    }

    /// Prints a check report as text or JSON; returns the exit code.
    pub fn check_report(
        &self,
        report: &CheckReport,
        format: Format,
        deny_warnings: bool,
        external: bool,
    ) -> ExitCode {
        let errors = report.errors();
        let warnings = report.warnings();
        let fail = errors > 0 || (deny_warnings && warnings > 0);
        match format {
            Format::Json => println!("{}", check_json(report, deny_warnings)),
            Format::Text => {
                for d in &report.diagnostics {
                    if deny_warnings && !d.is_error() {
                        self.diag(&Diagnostic {
                            severity: Severity::Error,
                            ..d.clone()
                        });
                    } else {
                        self.diag(d);
                    }
                }
                eprintln!(
                    "kiosk check: {errors} error{}, {warnings} warning{}{} in {} pages ({} links{})",
                    if errors == 1 { "" } else { "s" },
                    if warnings == 1 { "" } else { "s" },
                    if deny_warnings && warnings > 0 {
                        " (denied: shown as errors)"
                    } else {
                        ""
                    },
                    report.pages,
                    report.links,
                    if external {
                        format!(", {} external checked", report.external)
                    } else {
                        String::new()
                    },
                );
            }
        }
        ExitCode::from(u8::from(fail))
    }
}

/// The check report as one JSON document (for CI annotations).
fn check_json(report: &CheckReport, deny_warnings: bool) -> String {
    let items: Vec<serde_json::Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "path": d.path,
                "line": d.line,
                "column": d.col,
                "severity": if d.is_error() || deny_warnings { "error" } else { "warning" },
                "message": d.message,
            })
        })
        .collect();
    let doc = serde_json::json!({
        "errors": report.errors(),
        "warnings": report.warnings(),
        "pages": report.pages,
        "links": report.links,
        "external_links": report.external,
        "diagnostics": items,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// Runs an import with a spinner on stderr (on a terminal, unless `-q`).
pub(super) fn import(
    out: &Out,
    opts: &crate::import::ImportOptions,
) -> Result<crate::import::Summary, String> {
    use crate::import::Step;
    let bar = if out.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new_spinner()
    };
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let progress = |s: Step| {
        bar.set_message(match s {
            Step::Reading => "reading and converting the source".to_string(),
            Step::Writing(n) => format!("writing {n} files"),
            Step::Checking => "checking the new site".to_string(),
        });
    };
    let result = crate::import::run(opts, &progress);
    bar.finish_and_clear();
    result
}

impl Out {
    /// Prints what an import did; errors of the check are printed in full.
    pub fn import_summary(&self, s: &crate::import::Summary, into: &std::path::Path) -> ExitCode {
        const SHOWN: usize = 20;
        let errors: Vec<_> = s
            .check
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect();
        for d in errors.iter().take(SHOWN) {
            self.diag(d);
        }
        if errors.len() > SHOWN {
            eprintln!("… and {} more errors", errors.len() - SHOWN);
        }
        if !self.quiet {
            let counts: Vec<String> = s
                .counts
                .iter()
                .map(|(l, n)| format!("{n} {}", l.to_lowercase()))
                .collect();
            eprintln!(
                "kiosk: imported into {}: {}",
                into.display(),
                counts.join(", ")
            );
            eprintln!(
                "  old addresses kept: {} of {}",
                s.urls_kept,
                s.urls_kept + s.urls_lost
            );
            eprintln!(
                "  kiosk check: {} errors, {} warnings (kiosk check --root {} lists them)",
                s.check.errors(),
                s.check.warnings(),
                into.display()
            );
            if s.uploads_left > 0 {
                eprintln!(
                    "  {} of the errors are files of wp-content/uploads/ still on the old site: copy that folder and import again with --uploads DIR --force",
                    s.uploads_left
                );
            }
            eprintln!(
                "  {} things to look at are listed in {}",
                s.notes,
                s.report.display()
            );
        }
        ExitCode::SUCCESS
    }
}
