//! Host and Origin checks: the dev server answers only requests addressed to it (against DNS
//! rebinding) and accepts live-reload connections only from its own pages.
//!
//! Allowed: the local names (`localhost`, `127.0.0.1`, `[::1]`) and the address it listens on,
//! with its port or none; and each `--allowed-host`, written `host` (with our port or none) or
//! `host:port` (exactly that, for port forwarding: SSH `-L 8080:…`, Docker `-p 8080:1111`).

/// The hosts a request may name.
#[derive(Debug, Clone)]
pub struct Allowed {
    port: u16,
    /// Host names allowed with our port or without a port.
    names: Vec<String>,
    /// `host:port` pairs allowed exactly.
    pairs: Vec<(String, u16)>,
}

/// A Host header split into a lowercase name and an optional port; `None` when it is malformed
/// (garbage after `]`, a port that is not a number, spaces, an empty name).
fn split_host(h: &str) -> Option<(String, Option<u16>)> {
    let h = h.trim().to_ascii_lowercase();
    let (name, port) = if let Some(rest) = h.strip_prefix('[') {
        let (inside, tail) = rest.split_once(']')?;
        let port = match tail {
            "" => None,
            t => Some(t.strip_prefix(':')?),
        };
        (format!("[{inside}]"), port)
    } else {
        match h.split_once(':') {
            Some((n, p)) => (n.to_string(), Some(p)),
            None => (h.clone(), None),
        }
    };
    let valid =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']');
    if name.is_empty() || !name.chars().all(valid) {
        return None;
    }
    let port = match port {
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    Some((name, port))
}

impl Allowed {
    /// The local names, the listening address `bind`, and the `--allowed-host` entries.
    /// An entry that is not `host` or `host:port` is an error naming it.
    pub fn new(port: u16, bind: std::net::IpAddr, extra: &[String]) -> Result<Allowed, String> {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .map(String::from)
            .to_vec();
        names.push(match bind {
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
            v4 => v4.to_string(),
        });
        let mut pairs = Vec::new();
        for e in extra {
            match split_host(e) {
                Some((n, Some(p))) => pairs.push((n, p)),
                Some((n, None)) => names.push(n),
                None => {
                    return Err(format!(
                        "--allowed-host `{e}` is not a host name or host:port (e.g. laptop.local or localhost:8080)"
                    ))
                }
            }
        }
        Ok(Allowed { port, names, pairs })
    }

    /// Is `host` (a Host header) this server?
    pub fn host(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        let ours = port.is_none_or(|p| p == self.port) && self.names.contains(&name);
        ours || port.is_some_and(|p| self.pairs.contains(&(name, p)))
    }

    /// Is `origin` (an Origin header) one of this server's own pages? No Origin (a same-origin
    /// GET) is fine; `null` and every other origin are refused.
    pub fn origin(&self, origin: Option<&str>) -> bool {
        let Some(o) = origin else { return true };
        let Some(rest) = o.trim().strip_prefix("http://") else {
            return false;
        };
        if rest.contains('/') {
            return false;
        }
        // An origin always names its port unless it is 80: require it, as browsers send it.
        split_host(rest).is_some_and(|(_, p)| p.is_some()) && self.host(rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(extra: &[&str]) -> Allowed {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        Allowed::new(1111, "127.0.0.1".parse().unwrap(), &extra).unwrap()
    }

    #[test]
    fn hosts() {
        let a = allowed(&[]);
        for ok in [
            "localhost:1111",
            "127.0.0.1:1111",
            "[::1]:1111",
            "localhost",
            "LOCALHOST:1111",
        ] {
            assert!(a.host(ok), "{ok}");
        }
        for bad in [
            "attacker.example",
            "attacker.example:1111",
            "localhost:2222",
            "127.0.0.1.nip.io:1111",
            "192.168.1.5:1111",
            "",
            "localhost.attacker.example",
            "[::1]x",
            "[::1]:1111x",
            "[::1]evil.example",
            "localhost:",
            "localhost:11a1",
            "local host",
        ] {
            assert!(!a.host(bad), "{bad}");
        }
    }

    #[test]
    fn allowed_hosts_with_and_without_port() {
        let a = allowed(&["laptop.local", "localhost:8080"]);
        assert!(a.host("laptop.local:1111") && a.host("laptop.local"));
        assert!(a.host("localhost:8080"), "port forwarding");
        assert!(!a.host("localhost:8081"));
        assert!(!a.host("laptop.local:8080"));
        assert!(a.origin(Some("http://localhost:8080")));
        assert!(Allowed::new(1, "127.0.0.1".parse().unwrap(), &["a b".into()]).is_err());
        let v6 = Allowed::new(1111, "::1".parse().unwrap(), &[]).unwrap();
        assert!(v6.host("[::1]:1111"));
        let other = Allowed::new(1111, "127.0.0.2".parse().unwrap(), &[]).unwrap();
        assert!(other.host("127.0.0.2:1111"));
    }

    #[test]
    fn origins() {
        let a = allowed(&[]);
        assert!(a.origin(None));
        assert!(a.origin(Some("http://127.0.0.1:1111")));
        assert!(a.origin(Some("http://localhost:1111")));
        for bad in [
            "http://attacker.example",
            "http://192.168.1.5:1111",
            "null",
            "http://localhost:2222",
            "https://localhost:1111",
            "http://localhost:1111/x",
            "http://localhost",
        ] {
            assert!(!a.origin(Some(bad)), "{bad}");
        }
    }
}
