//! The HTTP side of `serve` (axum): files from memory, the live-reload event stream, the error
//! overlay, and the checks that keep the server safe on a shared network: one Host that names
//! this server (and agrees with an absolute request target), GET and HEAD only, no bodies, a
//! bounded number of live-reload streams that end after a while (browsers reconnect).

use super::paths::{resolve, Refused};
use super::security::Allowed;
use super::workspace::Snapshot;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State as AxState};
use axum::http::header::{
    ACCEPT, ALLOW, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, HOST, LOCATION, ORIGIN,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};

/// What live-reload clients are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Counts up with every change.
    pub version: u64,
    /// `reload` or `css`.
    pub kind: &'static str,
}

/// Most live-reload streams open at once (a tab holds one); more get 503.
pub const MAX_STREAMS: usize = 64;
/// A live-reload stream ends after this long; the browser reconnects at once.
const STREAM_LIFETIME: Duration = Duration::from_secs(300);

/// Shared server state.
pub struct State {
    /// The current files.
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Live-reload messages.
    pub events: watch::Sender<Message>,
    /// Which Hosts and Origins are this server.
    pub allowed: Allowed,
    /// The overlay's headings, in the site's language: with a last good version, and without.
    pub overlay_title: (String, String),
    /// The base URL pages are built with (the address the server listens on).
    pub base_url: String,
    /// Places for live-reload streams.
    pub streams: Arc<Semaphore>,
}

const LIVE_JS: &str = r#"(() => {
  const es = new EventSource("/__kiosk/events");
  es.addEventListener("reload", () => location.reload());
  es.addEventListener("css", () => {
    for (const l of document.querySelectorAll('link[rel="stylesheet"]')) {
      const u = new URL(l.href);
      u.searchParams.set("kiosk", Date.now());
      l.href = u.toString();
    }
  });
})();
"#;

/// The routes, behind the request checks.
pub fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/__kiosk/events", axum::routing::get(events))
        .route("/__kiosk/live.js", axum::routing::get(live_js))
        .fallback(file)
        .layer(axum::middleware::from_fn_with_state(state.clone(), checks))
        .with_state(state)
}

fn text(status: StatusCode, msg: &'static str) -> Response {
    (status, [(CONTENT_TYPE, "text/plain; charset=utf-8")], msg).into_response()
}

/// The refusal of a request this server does not answer, if it is one.
fn refusal(req: &Request, allowed: &Allowed) -> Option<Response> {
    let hosts: Vec<&HeaderValue> = req.headers().get_all(HOST).iter().collect();
    let host = match hosts.as_slice() {
        [one] => one.to_str().ok(),
        [] => None,
        _ => {
            return Some(text(
                StatusCode::BAD_REQUEST,
                "400: more than one Host header\n",
            ))
        }
    };
    if !host.is_some_and(|h| allowed.host(h)) {
        return Some(text(
            StatusCode::FORBIDDEN,
            "403: this server only answers requests for localhost\n",
        ));
    }
    // An absolute request target must name the same host as the Host header.
    if let (Some(authority), Some(h)) = (req.uri().authority(), host) {
        if !authority.as_str().eq_ignore_ascii_case(h.trim()) {
            return Some(text(
                StatusCode::BAD_REQUEST,
                "400: the target names another host\n",
            ));
        }
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "405: only GET and HEAD\n");
        r.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return Some(r);
    }
    let declared = req
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    (declared > 0 || req.headers().contains_key("transfer-encoding")).then(|| {
        text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "413: requests here carry no body\n",
        )
    })
}

/// Every request passes here: refused, or answered with the headers every answer carries.
async fn checks(AxState(state): AxState<Arc<State>>, req: Request, next: Next) -> Response {
    let head = req.method() == Method::HEAD;
    let mut r = match refusal(&req, &state.allowed) {
        Some(r) => r,
        None => next.run(req).await,
    };
    let h = r.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    if head {
        *r.body_mut() = Body::empty();
    }
    r
}

async fn live_js() -> Response {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS).into_response()
}

/// The live-reload event stream, for this server's own pages only (browsers' `EventSource`
/// asks for `text/event-stream`; an `<img>` pointed here does not).
async fn events(AxState(state): AxState<Arc<State>>, req: Request) -> Response {
    let origin = req.headers().get(ORIGIN).and_then(|h| h.to_str().ok());
    if !state.allowed.origin(origin) {
        return text(StatusCode::FORBIDDEN, "403: foreign origin\n");
    }
    let wants = req
        .headers()
        .get(ACCEPT)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|a| a.contains("text/event-stream"));
    if !wants {
        return text(StatusCode::NOT_ACCEPTABLE, "406: this is an event stream\n");
    }
    let Ok(permit) = state.streams.clone().try_acquire_owned() else {
        return text(
            StatusCode::SERVICE_UNAVAILABLE,
            "503: too many live-reload streams\n",
        );
    };
    let mut rx = state.events.subscribe();
    rx.mark_unchanged();
    let hello = futures_util::stream::once(async {
        Ok::<Event, Infallible>(
            Event::default()
                .retry(Duration::from_millis(500))
                .comment("kiosk live reload"),
        )
    });
    let updates = futures_util::stream::unfold((rx, permit), next_message);
    let stream = futures_util::StreamExt::take_until(
        futures_util::StreamExt::chain(hello, updates),
        tokio::time::sleep(STREAM_LIFETIME),
    );
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

async fn next_message(
    (mut rx, permit): (watch::Receiver<Message>, OwnedSemaphorePermit),
) -> Option<(
    Result<Event, Infallible>,
    (watch::Receiver<Message>, OwnedSemaphorePermit),
)> {
    rx.changed().await.ok()?;
    let m = rx.borrow_and_update().clone();
    let ev = Event::default().event(m.kind).data(m.version.to_string());
    Some((Ok(ev), (rx, permit)))
}

/// The error overlay: messages with relative paths only, escaped, in its own colours.
fn overlay(snap: &Snapshot, title: &str) -> String {
    let items: String = snap
        .problems
        .iter()
        .filter(|d| d.is_error())
        .map(|d| crate::text::escape_html(&d.to_string()) + "\n")
        .collect();
    format!(
        "<div id=\"kiosk-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0a0a;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;border-top:4px solid #ff5c5c\"><strong>{}</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{items}</pre></div>",
        crate::text::escape_html(title)
    )
}

/// Adds the live-reload script (and the overlay while the build is broken) before the last
/// `</body>`, byte for byte: pages in other encodings stay as they are.
fn inject(html: &[u8], snap: &Snapshot, titles: &(String, String)) -> Bytes {
    let mut extra = String::from("<script src=\"/__kiosk/live.js\"></script>");
    if snap.failed() {
        let title = if snap.files.is_empty() {
            &titles.1
        } else {
            &titles.0
        };
        extra.push_str(&overlay(snap, title));
    }
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    Bytes::from(out)
}

/// The content type of a file: a maintained table (mime_guess), with `charset=utf-8` for text
/// that is UTF-8.
fn content_type(key: &str, body: &[u8]) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    // The HTML standard names JavaScript `text/javascript`.
    let essence = match mime.essence_str() {
        "application/javascript" => "text/javascript",
        e => e,
    };
    let textual = essence.starts_with("text/")
        || matches!(
            essence,
            "application/json" | "image/svg+xml" | "application/xml"
        );
    if textual && std::str::from_utf8(body).is_ok() {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

/// A file of the site; a folder's path without its slash is redirected (308) to it with the
/// slash, as static hosts do; anything else is the site's 404 page.
async fn file(AxState(state): AxState<Arc<State>>, req: Request) -> Response {
    let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let key = match resolve(target) {
        Ok(k) => k,
        Err(Refused::TooLong) => return text(StatusCode::URI_TOO_LONG, "414\n"),
        Err(Refused::BadRequest) => return text(StatusCode::BAD_REQUEST, "400: bad path\n"),
    };
    let snap = state.snapshot.read().map(|s| s.clone()).unwrap_or_default();
    let (status, key, body) = match snap.files.get(&key) {
        Some(b) => (StatusCode::OK, key, b.clone()),
        None if snap.files.contains_key(&format!("{key}/index.html")) => {
            let path = req.uri().path();
            let query = req
                .uri()
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default();
            // One leading slash: `//host` in a Location would send the browser to another host.
            let to = format!("/{}/{query}", path.trim_start_matches('/'));
            return match HeaderValue::from_str(&to) {
                Ok(loc) => (StatusCode::PERMANENT_REDIRECT, [(LOCATION, loc)]).into_response(),
                Err(_) => text(StatusCode::BAD_REQUEST, "400: bad path\n"),
            };
        }
        None => match snap.files.get("404.html") {
            Some(b) => (StatusCode::NOT_FOUND, "404.html".to_string(), b.clone()),
            None => (
                StatusCode::NOT_FOUND,
                "404.html".to_string(),
                Bytes::from_static(b"<!DOCTYPE html><title>404</title><body><h1>404</h1></body>"),
            ),
        },
    };
    let ctype = content_type(&key, &body);
    let body = if ctype.starts_with("text/html") || key.ends_with(".html") {
        inject(&body, &snap, &state.overlay_title)
    } else {
        body
    };
    let body = match forwarded_base(&req, &state.base_url) {
        Some(base) if is_text(&ctype) => {
            replace_bytes(&body, state.base_url.as_bytes(), base.as_bytes())
        }
        _ => body,
    };
    (status, [(CONTENT_TYPE, ctype)], body).into_response()
}

/// The base URL as the browser reached the server, when that is another address than the one
/// pages are built for (a forwarded port: `ssh -L 8080:…`, `docker -p 8080:1111`).
fn forwarded_base(req: &Request, base: &str) -> Option<String> {
    let host = req.headers().get(HOST)?.to_str().ok()?.trim();
    let built = base.strip_prefix("http://")?.trim_end_matches('/');
    (!host.eq_ignore_ascii_case(built)).then(|| format!("http://{host}/"))
}

fn is_text(ctype: &str) -> bool {
    ctype.starts_with("text/") || ctype.contains("json") || ctype.contains("xml")
}

/// `body` with every `from` replaced by `to`.
fn replace_bytes(body: &[u8], from: &[u8], to: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        if body[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(body[i]);
            i += 1;
        }
    }
    Bytes::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    #[test]
    fn injection_and_overlay() {
        let mut snap = Snapshot::default();
        let page = b"<html><body><p>x</p></body></html>";
        let titles = ("Build failed".to_string(), "Nothing yet".to_string());
        let ok = inject(page, &snap, &titles);
        assert!(String::from_utf8_lossy(&ok)
            .contains("<script src=\"/__kiosk/live.js\"></script></body>"));
        assert!(!String::from_utf8_lossy(&ok).contains("kiosk-overlay"));
        snap.problems.push(Diagnostic::error(
            "content/a.md",
            3,
            1,
            "front matter not closed <b>",
        ));
        let bad =
            String::from_utf8_lossy(&inject(page, &snap, &("Build <failed>".into(), "x".into())))
                .into_owned();
        assert!(bad.contains("<strong>x</strong>"), "nothing was built yet");
        snap.files = std::sync::Arc::new([("a".to_string(), Bytes::new())].into_iter().collect());
        let bad =
            String::from_utf8_lossy(&inject(page, &snap, &("Build <failed>".into(), "x".into())))
                .into_owned();
        assert!(bad.contains("<strong>Build &lt;failed&gt;</strong>"));
        assert!(bad.contains("kiosk-overlay"));
        assert!(bad.contains("content/a.md:3:1: error: front matter not closed &lt;b&gt;"));
    }

    #[test]
    fn other_encodings_are_kept_byte_for_byte() {
        let latin1 = b"<html><body>Gr\xfc\xdfe</body></html>";
        let out = inject(latin1, &Snapshot::default(), &("x".into(), "y".into()));
        assert!(out.starts_with(b"<html><body>Gr\xfc\xdfe<script"));
        assert_eq!(content_type("a.html", latin1), "text/html");
    }

    #[test]
    fn content_types_from_the_table() {
        for (key, ct) in [
            ("a.mjs", "text/javascript; charset=utf-8"),
            ("a.wasm", "application/wasm"),
            ("a.webmanifest", "application/manifest+json"),
            ("a.woff", "application/font-woff"),
            ("a.ttf", "font/ttf"),
            ("a.mp3", "audio/mpeg"),
            ("a.webm", "video/webm"),
            ("BILD.PNG", "image/png"),
            ("a.css", "text/css; charset=utf-8"),
            ("x.unknownext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(key, b"abc"), ct, "{key}");
        }
    }
}
