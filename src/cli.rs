//! The command line: parses flags, calls the library, prints diagnostics and maps the result to an
//! exit code (0 ok, 1 problems in the site, 2 usage, 3 internal error).

use crate::error::{Diagnostic, Severity};
use crate::site::{self, BuildOptions, Progress};
use clap::{Parser, Subcommand};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// kiosk: turn a folder of markdown into a fast, private static website.
#[derive(Debug, Parser)]
#[command(name = "kiosk", version, about, long_about = None)]
pub struct Cli {
    /// Print nothing but errors and warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output directory (default: public/).
    Build {
        /// Site root, the folder with kiosk.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output directory (default: output_dir from kiosk.yaml, or public/).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Use this base URL instead of the one in kiosk.yaml (preview deploys).
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Include pages dated in the future.
        #[arg(long)]
        future: bool,
        /// Highlight cache folder (default: .kiosk-cache in the site root).
        #[arg(long)]
        cache_dir: Option<PathBuf>,
        /// Do not read or write the highlight cache.
        #[arg(long)]
        no_cache: bool,
        /// Replace the output directory even if kiosk did not make it.
        #[arg(long)]
        force: bool,
    },
    /// Build the site into memory and serve it with live reload (never writes public/).
    Serve {
        /// Site root, the folder with kiosk.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port; 0 picks a free one.
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on. Anything but 127.0.0.1 exposes drafts to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Show drafts.
        #[arg(long)]
        drafts: bool,
        /// Show pages dated in the future.
        #[arg(long)]
        future: bool,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Also answer requests for this host name (e.g. a name on your network).
        #[arg(long = "allowed-host")]
        allowed_hosts: Vec<String>,
    },
    /// Check the whole site without writing anything: links, anchors, images, ids, privacy, legal pages.
    Check {
        /// Site root, the folder with kiosk.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Treat warnings as errors (exit 1).
        #[arg(long)]
        deny_warnings: bool,
        /// Also check links to other sites over the network.
        #[arg(long)]
        external: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Include pages dated in the future.
        #[arg(long)]
        future: bool,
    },
    /// Create a new site with example content in DIR.
    New {
        /// Folder to create.
        dir: PathBuf,
    },
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `path:line:col: severity: message` lines and a summary.
    Text,
    /// One JSON document (for CI annotations).
    Json,
}

/// How to print.
struct Out {
    quiet: bool,
    verbose: bool,
    color: bool,
}

impl Out {
    fn diag(&self, d: &Diagnostic) {
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

    fn progress(&self, p: Progress) {
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
}

/// Runs the command line; returns the process exit code.
pub fn run(args: impl IntoIterator<Item = std::ffi::OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let out = Out {
        quiet: cli.quiet,
        verbose: cli.verbose,
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            future,
            cache_dir,
            no_cache,
            force,
        } => {
            let mut opts = BuildOptions::new(root);
            opts.output = output;
            opts.base_url = base_url;
            opts.drafts = drafts;
            opts.future = future;
            if let Some(c) = cache_dir {
                opts.cache_dir = Some(c);
            }
            if no_cache {
                opts.cache_dir = None;
            }
            opts.force = force;
            build(&opts, &out)
        }
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            future,
            open,
            allowed_hosts,
        } => {
            let opts = crate::serve::ServeOptions {
                root,
                port,
                bind,
                drafts,
                future,
                open,
                allowed_hosts,
                quiet: out.quiet,
            };
            match crate::serve::run(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => {
                    eprintln!("error: {msg}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check {
            root,
            format,
            deny_warnings,
            external,
            drafts,
            future,
        } => {
            let mut build = BuildOptions::new(root);
            build.drafts = drafts;
            build.future = future;
            let report = crate::check::check(&crate::check::CheckOptions { build, external });
            let errors = report.errors();
            let warnings = report.warnings();
            let fail = errors > 0 || (deny_warnings && warnings > 0);
            match format {
                Format::Json => {
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
                        "errors": errors,
                        "warnings": warnings,
                        "pages": report.pages,
                        "links": report.links,
                        "external_links": report.external,
                        "diagnostics": items,
                    });
                    println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
                }
                Format::Text => {
                    for d in &report.diagnostics {
                        if deny_warnings && !d.is_error() {
                            out.diag(&Diagnostic {
                                severity: Severity::Error,
                                ..d.clone()
                            });
                        } else {
                            out.diag(d);
                        }
                    }
                    eprintln!(
                        "kiosk check: {errors} error{}, {warnings} warning{} in {} pages ({} links{})",
                        if errors == 1 { "" } else { "s" },
                        if warnings == 1 { "" } else { "s" },
                        report.pages,
                        report.links,
                        if external { format!(", {} external checked", report.external) } else { String::new() },
                    );
                }
            }
            ExitCode::from(u8::from(fail))
        }
        Command::New { dir } => match crate::scaffold::create(&dir) {
            Ok(()) => {
                if !out.quiet {
                    eprintln!("kiosk: created a new site in {}", dir.display());
                    eprintln!("  next: kiosk build --root {}", dir.display());
                }
                ExitCode::SUCCESS
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                ExitCode::from(1)
            }
        },
    }
}

fn build(opts: &BuildOptions, out: &Out) -> ExitCode {
    let start = std::time::Instant::now();
    if !out.quiet {
        eprintln!("kiosk: building {}", opts.root.display());
    }
    match site::build(opts, &mut |p| out.progress(p)) {
        Ok(report) => {
            for w in &report.warnings {
                out.diag(w);
            }
            if !out.quiet {
                eprintln!(
                    "kiosk: built {} pages and {} sections into {} ({} files, {} warnings) in {:.2} s",
                    report.pages,
                    report.sections,
                    report.output.display(),
                    report.files,
                    report.warnings.len(),
                    start.elapsed().as_secs_f64()
                );
            }
            ExitCode::SUCCESS
        }
        Err(failed) => {
            for d in &failed.diagnostics {
                out.diag(d);
            }
            let errors = failed.error_count();
            let warnings = failed.diagnostics.len() - errors;
            eprintln!(
                "kiosk: build failed with {errors} error{} and {warnings} warning{}; the previous output was left as it was",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
            );
            ExitCode::from(1)
        }
    }
}
