//! Host and Origin checks: the dev server answers only requests addressed to it on this machine
//! (against DNS rebinding) and accepts live-reload connections only from its own pages.

/// Host names always allowed.
const LOCAL: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

fn split_host(h: &str) -> (&str, Option<&str>) {
    if let Some(rest) = h.strip_prefix('[') {
        // [::1]:1111
        return match rest.split_once(']') {
            Some((_, tail)) => {
                let host = &h[..rest.find(']').map_or(h.len(), |i| i + 2)];
                (host, tail.strip_prefix(':'))
            }
            None => (h, None),
        };
    }
    match h.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (h, None),
    }
}

/// Is `host` (a Host header) this server? Local names with our port (or none), or an
/// explicitly allowed host.
pub fn host_ok(host: Option<&str>, port: u16, allowed: &[String]) -> bool {
    let Some(h) = host else { return false };
    let h = h.trim().to_ascii_lowercase();
    let (name, p) = split_host(&h);
    let port_ok = p.is_none_or(|p| p == port.to_string());
    port_ok
        && (LOCAL.contains(&name)
            || allowed
                .iter()
                .any(|a| a.eq_ignore_ascii_case(name) || a.eq_ignore_ascii_case(&h)))
}

/// Is `origin` (an Origin header) one of this server's own pages? No Origin (same-origin GET)
/// is fine; `null` and every other origin are refused.
pub fn origin_ok(origin: Option<&str>, port: u16, allowed: &[String]) -> bool {
    let Some(o) = origin else { return true };
    let Some(rest) = o.trim().strip_prefix("http://") else {
        return false;
    };
    if rest.contains('/') {
        return false;
    }
    host_ok(Some(rest), port, allowed) && split_host(rest).1.is_some_and(|p| p == port.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let none: Vec<String> = Vec::new();
        for ok in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "localhost",
            "LOCALHOST:1111",
        ] {
            assert!(host_ok(Some(ok), 1111, &none), "{ok}");
        }
        for bad in [
            "attacker.example",
            "attacker.example:1111",
            "localhost:2222",
            "127.0.0.1.nip.io:1111",
            "192.168.1.5:1111",
            "",
            "localhost.attacker.example",
        ] {
            assert!(!host_ok(Some(bad), 1111, &none), "{bad}");
        }
        assert!(!host_ok(None, 1111, &none));
        let allowed = vec!["laptop.local".to_string()];
        assert!(host_ok(Some("laptop.local:1111"), 1111, &allowed));
    }

    #[test]
    fn origins() {
        let none: Vec<String> = Vec::new();
        assert!(origin_ok(None, 1111, &none));
        assert!(origin_ok(Some("http://127.0.0.1:1111"), 1111, &none));
        assert!(origin_ok(Some("http://localhost:1111"), 1111, &none));
        for bad in [
            "http://attacker.example",
            "http://192.168.1.5:1111",
            "null",
            "http://localhost:2222",
            "https://localhost:1111",
            "http://localhost:1111/x",
            "http://localhost",
        ] {
            assert!(!origin_ok(Some(bad), 1111, &none), "{bad}");
        }
    }
}
