//! `check --external`: links to other sites, over the network. One request at a time per host,
//! a few hosts at once; a HEAD that a server refuses (403, 405, 501) is tried again as GET; a
//! 429 waits as long as the host's `Retry-After` says; redirects are followed by hand, up to
//! five, and one to a scheme other than http(s) is an error. Everything shares one time budget:
//! what is not checked when it runs out is reported as unchecked, never as fine.

use crate::error::{Diagnostic, Severity};
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Links and every place that links them.
pub(super) type Links = BTreeMap<String, Vec<(String, usize, usize)>>;

/// What checking one URL found: nothing to report, a problem, or no time left to check.
enum Outcome {
    Fine,
    Problem(Severity, String),
    Unchecked,
}

/// Checks the links within `budget`; one diagnostic per problem and place.
pub(super) fn check(links: &Links, budget: Duration) -> (Vec<Diagnostic>, usize) {
    // A budget past what the clock can count is no budget at all.
    let deadline = Instant::now()
        .checked_add(budget)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 24 * 3600));
    let mut by_host: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for u in links.keys() {
        let host = url::Url::parse(u)
            .ok()
            .and_then(|x| x.host_str().map(str::to_string))
            .unwrap_or_default();
        by_host.entry(host).or_default().push(u);
    }
    let queue = Mutex::new(by_host.into_values());
    let results = Mutex::new(Vec::new());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(0)
        .user_agent("kiosk-check (+https://kiosk.invalid/)")
        .build()
        .into();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let next = queue.lock().ok().and_then(|mut q| q.next());
                let Some(urls) = next else { break };
                for u in urls {
                    let outcome = probe(&agent, u, deadline);
                    if let Ok(mut r) = results.lock() {
                        r.push((u.clone(), outcome));
                    }
                }
            });
        }
    });
    let mut out = Vec::new();
    let results = results.into_inner().unwrap_or_default();
    let checked = results
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Unchecked))
        .count();
    for (u, outcome) in results {
        let (severity, msg) = match outcome {
            Outcome::Fine => continue,
            Outcome::Problem(s, m) => (s, m),
            Outcome::Unchecked => (
                Severity::Warning,
                format!(
                    "unchecked: the time for external links ({} s, --external-timeout) ran out",
                    budget.as_secs()
                ),
            ),
        };
        for (src, l, c) in links.get(&u).into_iter().flatten() {
            out.push(Diagnostic {
                path: src.clone(),
                line: *l,
                col: *c,
                severity,
                message: format!("`{u}`: {msg}"),
            });
        }
    }
    (out, checked)
}

/// One response, reduced to what the checker needs.
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
}

/// One request, given at most `time` (never more than 10 s).
fn request(agent: &ureq::Agent, url: &str, get: bool, time: Duration) -> Result<Answer, String> {
    let time = Some(time.min(Duration::from_secs(10)));
    let r = if get {
        agent.get(url).config().timeout_global(time).build().call()
    } else {
        agent.head(url).config().timeout_global(time).build().call()
    };
    let r = r.map_err(|e| e.to_string())?;
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    Ok(Answer {
        status: r.status().as_u16(),
        location: header("location"),
        retry_after: header("retry-after").and_then(|v| retry_after(&v)),
    })
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(v: &str) -> Option<Duration> {
    if let Ok(secs) = v.trim().parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = jiff::fmt::rfc2822::parse(v.trim()).ok()?.timestamp();
    let wait = when.as_second() - jiff::Timestamp::now().as_second();
    Some(Duration::from_secs(u64::try_from(wait).unwrap_or(0)))
}

/// One URL: HEAD (GET where refused), redirects by hand, retries with waits, within `deadline`.
fn probe(agent: &ureq::Agent, start: &str, deadline: Instant) -> Outcome {
    let mut url = start.to_string();
    let mut last = String::new();
    let mut redirects = 0;
    let mut attempt = 0u32;
    while attempt < 3 {
        let left = || deadline.saturating_duration_since(Instant::now());
        if left().is_zero() {
            return Outcome::Unchecked;
        }
        let answer = match request(agent, &url, false, left()) {
            Ok(a) if matches!(a.status, 403 | 405 | 501) && !left().is_zero() => {
                request(agent, &url, true, left())
            }
            other => other,
        };
        let a = match answer {
            Ok(a) => a,
            Err(_) if left().is_zero() => return Outcome::Unchecked,
            Err(e) => {
                last = format!("unreachable ({e})");
                attempt += 1;
                wait(Duration::from_millis(300 << attempt), deadline);
                continue;
            }
        };
        match a.status {
            200..=299 => return Outcome::Fine,
            300..=399 => match follow(&url, a.location.as_deref(), &mut redirects) {
                Ok(next) => url = next,
                Err(msg) => return Outcome::Problem(Severity::Error, msg),
            },
            404 | 410 => {
                return Outcome::Problem(Severity::Error, format!("broken link ({})", a.status))
            }
            429 | 500..=599 => {
                last = format!("unreachable (status {})", a.status);
                attempt += 1;
                let pause = a
                    .retry_after
                    .unwrap_or(Duration::from_millis(300 << attempt));
                if !wait(pause, deadline) {
                    return Outcome::Unchecked;
                }
            }
            code => {
                return Outcome::Problem(
                    Severity::Warning,
                    format!("unverified (status {code}, the site may block checkers)"),
                )
            }
        }
    }
    Outcome::Problem(Severity::Warning, last)
}

/// Sleeps `d` unless that passes the deadline; false when there was no time for it.
fn wait(d: Duration, deadline: Instant) -> bool {
    if Instant::now()
        .checked_add(d)
        .is_none_or(|end| end > deadline)
    {
        return false;
    }
    std::thread::sleep(d);
    true
}

/// The next URL of a redirect, or why it is not followed.
fn follow(from: &str, location: Option<&str>, redirects: &mut u32) -> Result<String, String> {
    *redirects += 1;
    if *redirects > 5 {
        return Err("redirects more than five times".into());
    }
    let loc = location.ok_or("redirects without saying where")?;
    let base = url::Url::parse(from).map_err(|e| e.to_string())?;
    let next = base
        .join(loc)
        .map_err(|e| format!("redirects to `{loc}`, which is not a URL: {e}"))?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(format!(
            "redirects to `{next}`, which is not a web address; link the final address instead"
        ));
    }
    Ok(next.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_and_waits() {
        let mut n = 0;
        assert_eq!(
            follow("https://a.example/x", Some("/y"), &mut n).unwrap(),
            "https://a.example/y"
        );
        assert!(
            follow("https://a.example/", Some("ftp://b.example/f"), &mut n)
                .unwrap_err()
                .contains("not a web address")
        );
        assert!(follow("https://a.example/", Some("javascript:alert(1)"), &mut n).is_err());
        let mut many = 5;
        assert!(follow("https://a.example/", Some("/z"), &mut many).is_err());
        assert_eq!(retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("bald"), None);
        let huge = retry_after("18446744073709551615").unwrap();
        assert!(
            !wait(huge, Instant::now() + Duration::from_secs(1)),
            "no overflow, no wait"
        );
    }
}
