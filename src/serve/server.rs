//! The HTTP side of `serve`: files from memory, the live-reload event stream, the error overlay,
//! and the checks that keep the server safe on a shared network (Host, Origin, methods, sizes,
//! timeouts, a cap on connections).

use super::paths::{resolve, Refused};
use super::security::{host_ok, origin_ok};
use super::workspace::Snapshot;
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE, HOST, ORIGIN};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::watch;

/// What live-reload clients are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Counts up with every change.
    pub version: u64,
    /// `reload` or `css`.
    pub kind: &'static str,
}

/// Shared server state.
pub struct State {
    /// The current files.
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Live-reload messages.
    pub events: watch::Sender<Message>,
    /// The port we listen on.
    pub port: u16,
    /// Host names allowed besides the local ones.
    pub allowed_hosts: Vec<String>,
    /// The overlay's heading, in the site's language.
    pub overlay_title: String,
}

/// A response body: bytes, or the endless event stream.
pub enum Body {
    /// A whole body.
    Full(Option<Bytes>),
    /// Server-sent events.
    Events(Sse),
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match &mut *self {
            Body::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(s) => s.poll(cx),
        }
    }
}

enum Tick {
    Message(Message),
    KeepAlive,
    Closed,
}

type NextTick = Pin<Box<dyn Future<Output = (watch::Receiver<Message>, Tick)> + Send>>;

/// The event stream of one browser tab.
pub struct Sse {
    hello: Option<Bytes>,
    next: NextTick,
}

fn wait(mut rx: watch::Receiver<Message>) -> NextTick {
    Box::pin(async move {
        let tick = match tokio::time::timeout(Duration::from_secs(15), rx.changed()).await {
            Ok(Ok(())) => Tick::Message(rx.borrow_and_update().clone()),
            Ok(Err(_)) => Tick::Closed,
            Err(_) => Tick::KeepAlive,
        };
        (rx, tick)
    })
}

impl Sse {
    fn new(mut rx: watch::Receiver<Message>) -> Sse {
        rx.mark_unchanged();
        Sse {
            hello: Some(Bytes::from_static(b"retry: 500\n: kiosk live reload\n\n")),
            next: wait(rx),
        }
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        if let Some(h) = self.hello.take() {
            return Poll::Ready(Some(Ok(Frame::data(h))));
        }
        match self.next.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((rx, tick)) => {
                let data = match tick {
                    Tick::Closed => return Poll::Ready(None),
                    Tick::KeepAlive => Bytes::from_static(b": keep-alive\n\n"),
                    Tick::Message(m) => {
                        Bytes::from(format!("event: {}\ndata: {}\n\n", m.kind, m.version))
                    }
                };
                self.next = wait(rx);
                Poll::Ready(Some(Ok(Frame::data(data))))
            }
        }
    }
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

fn mime(key: &str) -> &'static str {
    match key.rsplit('.').next().unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, ctype: &str, body: Bytes) -> Response<Body> {
    let mut r = Response::new(Body::Full(Some(body)));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(ctype) {
        h.insert(CONTENT_TYPE, v);
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    r
}

fn text(status: StatusCode, msg: &'static str) -> Response<Body> {
    respond(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(msg.as_bytes()),
    )
}

/// The error overlay: messages with relative paths only, escaped.
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

/// Adds the live-reload script (and the overlay while the build is broken) to an HTML page.
fn inject(html: &[u8], snap: &Snapshot, overlay_title: &str) -> Bytes {
    let mut extra = String::from("<script src=\"/__kiosk/live.js\"></script>");
    if snap.failed() {
        extra.push_str(&overlay(snap, overlay_title));
    }
    let s = String::from_utf8_lossy(html);
    let out = match s.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &s[..i], &s[i..]),
        None => format!("{s}{extra}"),
    };
    Bytes::from(out)
}

/// A refusal for requests this server does not answer: foreign Hosts, methods other than GET
/// and HEAD, requests with a body.
fn refuse(req: &Request<Incoming>, state: &State) -> Option<Response<Body>> {
    let host = req.headers().get(HOST).and_then(|h| h.to_str().ok());
    if !host_ok(host, state.port, &state.allowed_hosts) {
        return Some(text(
            StatusCode::FORBIDDEN,
            "403: this server only answers requests for localhost\n",
        ));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(StatusCode::METHOD_NOT_ALLOWED, "405: only GET and HEAD\n");
        r.headers_mut()
            .insert("allow", HeaderValue::from_static("GET, HEAD"));
        return Some(r);
    }
    let declared = req
        .headers()
        .get(hyper::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    (declared > 0).then(|| {
        text(
            StatusCode::PAYLOAD_TOO_LARGE,
            "413: requests here carry no body\n",
        )
    })
}

/// The live-reload event stream, for this server's own pages only.
fn events(req: &Request<Incoming>, state: &State) -> Response<Body> {
    let origin = req.headers().get(ORIGIN).and_then(|h| h.to_str().ok());
    if !origin_ok(origin, state.port, &state.allowed_hosts) {
        return text(StatusCode::FORBIDDEN, "403: foreign origin\n");
    }
    let mut r = Response::new(Body::Events(Sse::new(state.events.subscribe())));
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// A file of the site (a directory's `index.html` for its path), else the 404 page.
fn file(key: &str, state: &State) -> Response<Body> {
    let snap = state.snapshot.read().map(|s| s.clone()).unwrap_or_default();
    let found = snap
        .files
        .get(key)
        .map(|b| (key.to_string(), b))
        .or_else(|| {
            let dir = format!("{key}/index.html");
            snap.files.get(&dir).map(|b| (dir, b))
        });
    let (status, key, body) = match found {
        Some((k, b)) => (StatusCode::OK, k, b.clone()),
        None => match snap.files.get("404.html") {
            Some(b) => (StatusCode::NOT_FOUND, "404.html".to_string(), b.clone()),
            None => (
                StatusCode::NOT_FOUND,
                "404.html".to_string(),
                Bytes::from_static(b"<!DOCTYPE html><title>404</title><body><h1>404</h1></body>"),
            ),
        },
    };
    let ctype = mime(&key);
    let body = if ctype.starts_with("text/html") {
        inject(&body, &snap, &state.overlay_title)
    } else {
        body
    };
    respond(status, ctype, body)
}

/// Answers one request.
pub async fn handle(
    req: Request<Incoming>,
    state: Arc<State>,
) -> Result<Response<Body>, Infallible> {
    if let Some(r) = refuse(&req, &state) {
        return Ok(r);
    }
    let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let key = match resolve(target) {
        Ok(k) => k,
        Err(Refused::TooLong) => return Ok(text(StatusCode::URI_TOO_LONG, "414\n")),
        Err(Refused::BadRequest) => return Ok(text(StatusCode::BAD_REQUEST, "400: bad path\n")),
    };
    let mut r = match key.as_str() {
        "__kiosk/events" => return Ok(events(&req, &state)),
        "__kiosk/live.js" => respond(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            Bytes::from_static(LIVE_JS.as_bytes()),
        ),
        _ => file(&key, &state),
    };
    if req.method() == Method::HEAD {
        *r.body_mut() = Body::Full(None);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    #[test]
    fn injection_and_overlay() {
        let mut snap = Snapshot::default();
        let page = b"<html><body><p>x</p></body></html>";
        let ok = inject(page, &snap, "Build failed");
        assert!(String::from_utf8_lossy(&ok)
            .contains("<script src=\"/__kiosk/live.js\"></script></body>"));
        assert!(!String::from_utf8_lossy(&ok).contains("kiosk-overlay"));
        snap.problems.push(Diagnostic::error(
            "content/a.md",
            3,
            1,
            "front matter not closed <b>",
        ));
        let bad = String::from_utf8_lossy(&inject(page, &snap, "Build <failed>")).into_owned();
        assert!(bad.contains("<strong>Build &lt;failed&gt;</strong>"));
        assert!(bad.contains("kiosk-overlay"));
        assert!(bad.contains("content/a.md:3:1: error: front matter not closed &lt;b&gt;"));
    }
}
