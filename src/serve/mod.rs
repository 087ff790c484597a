//! `kiosk serve`: the site built into memory and served over HTTP on 127.0.0.1, rebuilt on every
//! save (only what changed), with live reload in the browser and an error overlay that keeps the
//! last good site visible. It never writes the output directory.

mod events;
mod hooks;
pub(crate) mod paths;
mod security;
mod server;
mod workspace;

use crate::date::Clock;
use crate::site::BuildOptions;
pub use events::{classify, Change, Event};
use hyper_util::rt::{TokioIo, TokioTimer};
use security::Allowed;
use server::{Message, State};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
pub use workspace::{Snapshot, Update, Workspace};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Site root.
    pub root: PathBuf,
    /// Port (0: any free one).
    pub port: u16,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Show drafts.
    pub drafts: bool,
    /// Show future posts.
    pub future: bool,
    /// Open a browser.
    pub open: bool,
    /// Extra host names to answer to.
    pub allowed_hosts: Vec<String>,
    /// Print less.
    pub quiet: bool,
    /// The one clock (for scheduled posts).
    pub clock: Clock,
}

/// Most connections served at once; a connection beyond them is closed at once.
const MAX_CONNECTIONS: usize = 512;
/// How long a connection may take to send a request's headers (or sit idle between requests).
const IDLE_LIMIT: Duration = Duration::from_secs(5);

/// Runs the server until Ctrl-C, which always stops it within a second.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    let r = rt.block_on(serve(opts));
    // Open connections and a build in progress are not waited for.
    rt.shutdown_timeout(Duration::from_millis(200));
    r
}

fn print_problems(update: &Update, ws: &Workspace) {
    for d in &ws.snapshot().problems {
        eprintln!("{d}");
    }
    if update.failed {
        if ws.snapshot().files.is_empty() {
            eprintln!("kiosk: build failed; nothing to serve yet (fix and save to retry)");
        } else {
            eprintln!(
                "kiosk: build failed; still serving the last good version (fix and save to retry)"
            );
        }
    }
}

async fn listen(opts: &ServeOptions) -> Result<tokio::net::TcpListener, String> {
    tokio::net::TcpListener::bind((opts.bind, opts.port))
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {} is already in use (another kiosk serve?); choose one with --port, or --port 0 for any free port",
                opts.port
            ),
            _ => format!("cannot listen on {}:{}: {e}", opts.bind, opts.port),
        })
}

/// The output folder (never watched) and the overlay's heading, from the config when it loads.
fn site_settings(root: &Path) -> (String, (String, String)) {
    let config = crate::config::Config::load(root).ok();
    let output = config
        .as_ref()
        .map_or_else(|| "public".into(), |c| c.output_dir.clone());
    let locale = config
        .as_ref()
        .map_or_else(crate::locale::Locale::default, |c| c.locale.clone());
    let titles = (
        locale.text("serve.overlay").to_string(),
        locale.text("serve.overlay_none").to_string(),
    );
    (output, titles)
}

async fn serve(opts: ServeOptions) -> Result<(), String> {
    let listener = listen(&opts).await?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let port = addr.port();
    let url = url_of(addr);
    let allowed = Allowed::new(port, addr.ip(), &opts.allowed_hosts)?;
    if let Some(w) = bind_warning(addr.ip()) {
        eprintln!("kiosk: warning: {w}");
    }
    let root =
        std::fs::canonicalize(&opts.root).map_err(|e| format!("{}: {e}", opts.root.display()))?;
    let mut bopts = BuildOptions::new(&root, opts.clock);
    bopts.base_url = Some(url.clone());
    bopts.drafts = opts.drafts;
    bopts.future = opts.future;
    let (output, overlay_title) = site_settings(&root);
    let start = Instant::now();
    let (ws, first) = tokio::task::spawn_blocking(move || Workspace::new(bopts))
        .await
        .map_err(|e| format!("internal error while building: {e}"))?;
    print_problems(&first, &ws);
    let (tx, _) = tokio::sync::watch::channel(Message {
        version: 0,
        kind: "reload",
    });
    let state = Arc::new(State {
        snapshot: RwLock::new(Arc::new(ws.snapshot().clone())),
        events: tx,
        allowed,
        overlay_title,
        base_url: url.clone(),
        streams: Arc::new(tokio::sync::Semaphore::new(server::MAX_STREAMS)),
    });
    if !opts.quiet {
        eprintln!(
            "kiosk: built {} files in {:.2} s",
            ws.snapshot().files.len(),
            start.elapsed().as_secs_f64()
        );
    }
    eprintln!(
        "kiosk: serving {} at {url} (Ctrl-C to stop)",
        root.display()
    );
    println!("{url}");
    watch(root, output, ws, state.clone(), opts.quiet)?;
    if opts.open {
        let opener = if cfg!(target_os = "macos") {
            "open"
        } else {
            "xdg-open"
        };
        let _ = std::process::Command::new(opener).arg(&url).spawn();
    }
    accept(listener, state).await
}

/// A warning for any address but loopback: other devices can reach the preview.
fn bind_warning(ip: IpAddr) -> Option<String> {
    (!ip.is_loopback()).then(|| {
        format!("listening on {ip} exposes this preview (with --drafts or --future, those pages too) to other devices on your network")
    })
}

/// The URL of the address the server listens on (loopback for an unspecified address).
fn url_of(addr: std::net::SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => format!("http://127.0.0.1:{}/", addr.port()),
        IpAddr::V6(v6) if v6.is_unspecified() => format!("http://[::1]:{}/", addr.port()),
        IpAddr::V6(v6) => format!("http://[{v6}]:{}/", addr.port()),
        IpAddr::V4(v4) => format!("http://{v4}:{}/", addr.port()),
    }
}

/// Answers connections until Ctrl-C. The loop never waits for a free place: a connection beyond
/// the limit is closed at once, so new ones and Ctrl-C are always heard.
async fn accept(listener: tokio::net::TcpListener, state: Arc<State>) -> Result<(), String> {
    let permits = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let app = server::router(state);
    // One signal listener for the whole loop: a new one per turn would miss a Ctrl-C that
    // arrives while the loop is busy accepting.
    let ctrl_c = tokio::signal::ctrl_c();
    tokio::pin!(ctrl_c);
    loop {
        tokio::select! {
            biased;
            _ = &mut ctrl_c => {
                eprintln!("kiosk: stopped");
                return Ok(());
            }
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let Ok(permit) = permits.clone().try_acquire_owned() else {
                    drop(stream);
                    continue;
                };
                let svc = hyper_util::service::TowerToHyperService::new(app.clone());
                tokio::spawn(async move {
                    let _permit = permit;
                    let _ = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(IDLE_LIMIT)
                        .max_buf_size(64 * 1024)
                        .max_header_size(16 * 1024)
                        .max_headers(100)
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        }
    }
}

fn convert(batch: Vec<notify::Result<notify::Event>>, root: &Path) -> Vec<(Event, String)> {
    use notify::event::{EventKind, ModifyKind};
    let mut out = Vec::new();
    for ev in batch.into_iter().flatten() {
        let kind = match ev.kind {
            EventKind::Create(_) => Event::Create,
            EventKind::Modify(ModifyKind::Name(_)) => Event::Rename,
            EventKind::Modify(_) | EventKind::Any | EventKind::Other => Event::Modify,
            EventKind::Remove(_) => Event::Remove,
            EventKind::Access(_) => continue,
        };
        for p in ev.paths {
            if let Ok(rel) = p.strip_prefix(root) {
                out.push((kind, rel.to_string_lossy().replace('\\', "/")));
            }
        }
    }
    out
}

type Events = std::sync::mpsc::Receiver<notify::Result<notify::Event>>;

/// A watcher of `root` that sends its events to the returned receiver: the platform's file
/// system events, or polling every half second where they are unavailable.
fn watcher(root: &Path) -> Result<(Box<dyn notify::Watcher + Send>, Events), String> {
    use notify::Watcher;
    let (tx, rx) = std::sync::mpsc::channel();
    let tx2 = tx.clone();
    let mut watcher: Box<dyn Watcher + Send> = match notify::recommended_watcher(move |r| {
        let _ = tx.send(r);
    }) {
        Ok(w) => Box::new(w),
        Err(e) => {
            eprintln!("kiosk: warning: file system events unavailable ({e}); checking for changes every half second instead");
            let cfg = notify::Config::default().with_poll_interval(Duration::from_millis(500));
            Box::new(
                notify::PollWatcher::new(
                    move |r| {
                        let _ = tx2.send(r);
                    },
                    cfg,
                )
                .map_err(|e| format!("cannot watch {}: {e}", root.display()))?,
            )
        }
    };
    watcher
        .watch(root, notify::RecursiveMode::Recursive)
        .map_err(|e| {
            format!(
                "cannot watch {}: {e} (on Linux, raise fs.inotify.max_user_watches)",
                root.display()
            )
        })?;
    Ok((watcher, rx))
}

/// Watches the site and rebuilds on every change, in a thread of its own.
fn watch(
    root: PathBuf,
    output: String,
    ws: Workspace,
    state: Arc<State>,
    quiet: bool,
) -> Result<(), String> {
    let (watcher, rx) = watcher(&root)?;
    let mut r = Rebuilder {
        was_failed: ws.snapshot().failed(),
        ws,
        state,
        root,
        output,
        quiet,
        version: 0,
    };
    std::thread::spawn(move || {
        let _keep = watcher;
        while let Ok(first) = rx.recv() {
            // Events of one save (and of a checkout) arrive close together: one batch.
            let mut batch = vec![first];
            let begun = Instant::now();
            while let Ok(ev) = rx.recv_timeout(Duration::from_millis(8)) {
                batch.push(ev);
                if begun.elapsed() > Duration::from_millis(300) {
                    break;
                }
            }
            r.rebuild(batch);
        }
    });
    Ok(())
}

/// The watcher thread's state: the workspace and what the browsers were last told.
struct Rebuilder {
    ws: Workspace,
    state: Arc<State>,
    root: PathBuf,
    output: String,
    quiet: bool,
    version: u64,
    was_failed: bool,
}

impl Rebuilder {
    /// Brings the site up to date after a batch of events and tells the browsers.
    fn rebuild(&mut self, batch: Vec<notify::Result<notify::Event>>) {
        let root = &self.root;
        let events = convert(batch, root);
        let change = classify(&events, &self.output, &|rel| root.join(rel).is_file());
        if change == Change::Nothing {
            return;
        }
        let t = Instant::now();
        let update = self.ws.apply_guarded(&change);
        if let Ok(mut s) = self.state.snapshot.write() {
            *s = Arc::new(self.ws.snapshot().clone());
        }
        let failed = self.ws.snapshot().failed();
        if update.changed.is_empty() && failed == self.was_failed && !failed {
            return;
        }
        let css_only =
            !failed && !self.was_failed && update.changed.iter().all(|k| k.ends_with(".css"));
        self.was_failed = failed;
        self.version += 1;
        self.state.events.send_replace(Message {
            version: self.version,
            kind: if css_only { "css" } else { "reload" },
        });
        if failed {
            print_problems(&update, &self.ws);
        } else if !self.quiet {
            eprintln!(
                "  {:<6} {:>7.1} ms  {} file{} changed",
                update.how,
                t.elapsed().as_secs_f64() * 1000.0,
                update.changed.len(),
                if update.changed.len() == 1 { "" } else { "s" }
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_but_loopback_warns() {
        for ip in ["0.0.0.0", "::", "192.168.1.5", "10.0.0.2", "fe80::1"] {
            assert!(bind_warning(ip.parse().unwrap()).is_some(), "{ip}");
        }
        for ip in ["127.0.0.1", "127.0.0.2", "::1"] {
            assert!(bind_warning(ip.parse().unwrap()).is_none(), "{ip}");
        }
    }

    #[test]
    fn the_printed_url_is_where_the_server_listens() {
        let url = |a: &str| url_of(a.parse().unwrap());
        assert_eq!(url("127.0.0.2:1111"), "http://127.0.0.2:1111/");
        assert_eq!(url("[::1]:1111"), "http://[::1]:1111/");
        assert_eq!(url("0.0.0.0:1111"), "http://127.0.0.1:1111/");
    }
}
