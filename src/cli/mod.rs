//! The command line: parses flags, calls the library, prints diagnostics and maps the result to an
//! exit code (0 ok, 1 problems in the site, 2 usage, 3 internal error).

mod print;

use crate::date::{Clock, PageDate};
use crate::site::{self, BuildOptions};
use clap::{Parser, Subcommand};
use print::Out;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// kiosk: turn a folder of markdown into a fast, private static website.
#[derive(Debug, Parser)]
#[command(name = "kiosk", version, about, long_about = None)]
pub(crate) struct Cli {
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
pub(crate) enum Command {
    /// Build the site into its output directory (default: public/).
    Build(BuildArgs),
    /// Build the site into memory and serve it with live reload (never writes public/).
    Serve(ServeArgs),
    /// Check the whole site without writing anything: links, anchors, images, ids, privacy, legal pages.
    Check(CheckArgs),
    /// Create a new site in DIR: a blog with an ebook sales page, legal details and a daily
    /// GitHub Pages build (`--minimal`: only a small blog).
    New {
        /// Folder to create.
        dir: PathBuf,
        /// Only a small blog, without product, legal block and CI workflow.
        #[arg(long)]
        minimal: bool,
    },
    /// Make a kiosk site of a WordPress export or a Jekyll, Hugo or Zola site.
    Import(ImportArgs),
}

/// `kiosk import`.
#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// What the source is.
    #[arg(value_enum)]
    kind: ImportKind,
    /// The WordPress export file (Tools → Export), or the site's folder.
    source: PathBuf,
    /// The new site's folder (new or empty).
    #[arg(long, value_name = "DIR")]
    into: PathBuf,
    /// WordPress: a copy of the site's wp-content/uploads folder; images and files are copied
    /// and linked locally (without it, they stay on the old site).
    #[arg(long, value_name = "DIR")]
    uploads: Option<PathBuf>,
    /// Write into a folder that is not empty (files of the same name are replaced).
    #[arg(long)]
    force: bool,
}

/// Sources `kiosk import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ImportKind {
    /// A WordPress export (WXR) file.
    Wordpress,
    /// A Jekyll site folder.
    Jekyll,
    /// A Hugo site folder.
    Hugo,
    /// A Zola site folder.
    Zola,
}

/// Which site, and which of its pages.
#[derive(Debug, clap::Args)]
pub(crate) struct SiteArgs {
    /// Site root, the folder with kiosk.yaml.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include drafts.
    #[arg(long)]
    drafts: bool,
    /// Include pages dated in the future.
    #[arg(long)]
    future: bool,
    /// Build as if it were this date or time (2026-12-01, 2026-12-01T09:00:00+01:00); default:
    /// SOURCE_DATE_EPOCH when set, else the current time.
    #[arg(long, value_name = "DATE", value_parser = parse_now)]
    now: Option<jiff::Timestamp>,
}

/// `kiosk build`.
#[derive(Debug, clap::Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Output directory (default: output_dir from kiosk.yaml, or public/).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Use this base URL instead of the one in kiosk.yaml (preview deploys).
    #[arg(long)]
    base_url: Option<String>,
    /// Highlight cache folder (default: .kiosk-cache in the site root).
    #[arg(long)]
    cache_dir: Option<PathBuf>,
    /// Do not read or write the highlight cache.
    #[arg(long)]
    no_cache: bool,
    /// Replace the output directory even if kiosk did not make it.
    #[arg(long)]
    force: bool,
}

/// `kiosk serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Port; 0 picks a free one.
    #[arg(long, short, default_value_t = 1111)]
    port: u16,
    /// Address to listen on. Anything but 127.0.0.1 exposes the preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the site in a browser.
    #[arg(long)]
    open: bool,
    /// Also answer requests for this host name (e.g. a name on your network).
    #[arg(long = "allowed-host")]
    allowed_hosts: Vec<String>,
}

/// `kiosk check`.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Treat warnings as errors (exit 1).
    #[arg(long)]
    deny_warnings: bool,
    /// Also check links to other sites over the network.
    #[arg(long)]
    external: bool,
    /// Seconds all external checks together may take; links left then are reported as unchecked.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    external_timeout: u64,
    /// Also warn about every page of the default language another language lacks.
    #[arg(long)]
    translations: bool,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// `path:line:col: severity: message` lines and a summary.
    Text,
    /// One JSON document (for CI annotations).
    Json,
}

fn parse_now(s: &str) -> Result<jiff::Timestamp, String> {
    PageDate::parse(s).map(|d| d.timestamp())
}

impl SiteArgs {
    /// The one clock of this run: `--now`, else `SOURCE_DATE_EPOCH`, else the system time.
    fn clock(&self) -> Result<Clock, String> {
        if let Some(t) = self.now {
            return Ok(Clock::pinned(t));
        }
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(v) => v
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|s| jiff::Timestamp::from_second(s).ok())
                .map(Clock::pinned)
                .ok_or_else(|| {
                    format!("SOURCE_DATE_EPOCH must be seconds since 1970, found `{v}`")
                }),
            Err(_) => Ok(Clock::system(jiff::Timestamp::now())),
        }
    }

    /// Build options for this site, with paths made absolute.
    fn options(&self) -> Result<BuildOptions, String> {
        let mut opts = BuildOptions::new(absolute(&self.root), self.clock()?);
        opts.drafts = self.drafts;
        opts.future = self.future;
        Ok(opts)
    }
}

impl BuildArgs {
    fn run(self, out: &Out) -> Result<ExitCode, String> {
        let mut opts = self.site.options()?;
        opts.output = self.output.as_deref().map(absolute);
        opts.base_url = self.base_url;
        if let Some(c) = self.cache_dir {
            opts.cache_dir = Some(absolute(&c));
        }
        if self.no_cache {
            opts.cache_dir = None;
        }
        opts.force = self.force;
        Ok(build(&opts, out))
    }
}

impl ServeArgs {
    fn run(self, out: &Out) -> Result<ExitCode, String> {
        crate::serve::run(crate::serve::ServeOptions {
            clock: self.site.clock()?,
            root: absolute(&self.site.root),
            port: self.port,
            bind: self.bind,
            drafts: self.site.drafts,
            future: self.site.future,
            open: self.open,
            allowed_hosts: self.allowed_hosts,
            quiet: out.quiet,
        })?;
        Ok(ExitCode::SUCCESS)
    }
}

impl CheckArgs {
    fn run(self, out: &Out) -> Result<ExitCode, String> {
        let build = self.site.options()?;
        let report = crate::check::check(&crate::check::CheckOptions {
            build,
            external: self.external,
            external_budget: std::time::Duration::from_secs(self.external_timeout),
            translations: self.translations,
        });
        Ok(out.check_report(&report, self.format, self.deny_warnings, self.external))
    }
}

impl ImportArgs {
    fn run(self, out: &Out) -> Result<ExitCode, String> {
        use crate::import::{ImportOptions, Source};
        let clock = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(_) => SiteArgs {
                root: PathBuf::new(),
                drafts: false,
                future: false,
                now: None,
            }
            .clock()?,
            Err(_) => Clock::system(jiff::Timestamp::now()),
        };
        let opts = ImportOptions {
            source: match self.kind {
                ImportKind::Wordpress => Source::WordPress,
                ImportKind::Jekyll => Source::Jekyll,
                ImportKind::Hugo => Source::Hugo,
                ImportKind::Zola => Source::Zola,
            },
            input: absolute(&self.source),
            into: absolute(&self.into),
            uploads: self.uploads.as_deref().map(absolute),
            force: self.force,
            clock,
        };
        let summary = print::import(out, &opts)?;
        Ok(out.import_summary(&summary, &opts.into))
    }
}

fn new_site(dir: &Path, minimal: bool, out: &Out) -> Result<ExitCode, String> {
    crate::scaffold::create(dir, minimal)?;
    if !out.quiet {
        eprintln!("kiosk: created a new site in {}", dir.display());
        eprintln!("  next: kiosk build --root {}", dir.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `path` made absolute against the current directory (the library never reads it).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
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
    let result = match cli.command {
        Command::Build(args) => args.run(&out),
        Command::Serve(args) => args.run(&out),
        Command::Check(args) => args.run(&out),
        Command::New { dir, minimal } => new_site(&dir, minimal, &out),
        Command::Import(args) => args.run(&out),
    };
    result.unwrap_or_else(|msg| {
        eprintln!("error: {msg}");
        ExitCode::from(1)
    })
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
                    "kiosk: built {} pages and {} sections into {} ({} files, {} warning{}) in {:.2} s",
                    report.pages,
                    report.sections,
                    report.output.display(),
                    report.files,
                    report.warnings.len(),
                    if report.warnings.len() == 1 { "" } else { "s" },
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
                "kiosk: build failed with {errors} error{} and {warnings} warning{}; {}",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
                if failed.output_changed {
                    "the output was changed halfway: build again once the problem is solved"
                } else {
                    "the previous output was left as it was"
                }
            );
            ExitCode::from(1)
        }
    }
}
