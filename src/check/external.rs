//! `check --external`: links to other sites, over the network.

use crate::error::{Diagnostic, Severity};
use std::collections::BTreeMap;
use std::time::Duration;

/// Checks links to other sites: one request at a time per host, a few hosts in parallel,
/// timeouts, retries with back-off. 404/410 are errors ("broken"); anything else that fails is a
/// warning ("unreachable" or "unverified").
pub(super) fn check(links: &BTreeMap<String, Vec<(String, usize, usize)>>) -> Vec<Diagnostic> {
    let mut by_host: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for u in links.keys() {
        let host = url::Url::parse(u)
            .ok()
            .and_then(|x| x.host_str().map(str::to_string))
            .unwrap_or_default();
        by_host.entry(host).or_default().push(u);
    }
    let hosts: Vec<Vec<&String>> = by_host.into_values().collect();
    let queue = std::sync::Mutex::new(hosts.into_iter());
    let results = std::sync::Mutex::new(Vec::new());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .user_agent("kiosk-check (+https://kiosk.invalid/)")
        .build()
        .into();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let next = queue.lock().ok().and_then(|mut q| q.next());
                let Some(urls) = next else { break };
                for u in urls {
                    let outcome = probe(&agent, u);
                    if let Ok(mut r) = results.lock() {
                        r.push((u.clone(), outcome));
                    }
                }
            });
        }
    });
    let mut out = Vec::new();
    for (u, outcome) in results.into_inner().unwrap_or_default() {
        let Some((sev, msg)) = outcome else { continue };
        for (src, l, c) in links.get(&u).into_iter().flatten() {
            let d = Diagnostic {
                path: src.clone(),
                line: *l,
                col: *c,
                severity: sev,
                message: format!("`{u}`: {msg}"),
            };
            out.push(d);
        }
    }
    out
}

fn probe(agent: &ureq::Agent, url: &str) -> Option<(Severity, String)> {
    let mut last = String::new();
    for attempt in 0..3u32 {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(300 * 2u64.pow(attempt - 1)));
        }
        let resp = match agent.head(url).call() {
            Ok(r) if matches!(r.status().as_u16(), 405 | 501) => agent.get(url).call(),
            other => other,
        };
        match resp {
            Ok(r) => {
                let code = r.status().as_u16();
                match code {
                    200..=399 => return None,
                    404 | 410 => return Some((Severity::Error, format!("broken link ({code})"))),
                    429 | 500..=599 => last = format!("unreachable (status {code})"),
                    _ => {
                        return Some((
                            Severity::Warning,
                            format!("unverified (status {code}, the site may block checkers)"),
                        ))
                    }
                }
            }
            Err(e) => last = format!("unreachable ({e})"),
        }
    }
    Some((Severity::Warning, last))
}
