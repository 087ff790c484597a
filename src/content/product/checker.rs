//! The checker every product and block field goes through: typed reads from the YAML node tree,
//! each problem an error at the field's file line and column.

use super::{Checkout, Md};
use crate::content::Asset;
use crate::error::{did_you_mean, Diagnostic};
use crate::money::{self, Currency};
use crate::yaml::{Node, NodeKind};

pub struct Checker<'a> {
    /// The file, for messages.
    pub file: &'a str,
    /// Errors found.
    pub errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    pub(super) fn err(&mut self, n: &Node, msg: impl Into<String>) {
        self.errors
            .push(Diagnostic::error(self.file, n.line, n.col, msg));
    }

    /// A mapping whose keys are all in `allowed`.
    pub(super) fn map<'n>(
        &mut self,
        n: &'n Node,
        allowed: &[&str],
        what: &str,
    ) -> Option<&'n Node> {
        if !matches!(n.kind, NodeKind::Map(_)) {
            self.err(n, format!("{what} must be a mapping of `key: value` lines"));
            return None;
        }
        for (k, _) in n.entries() {
            if !allowed.contains(&k.name.as_str()) {
                self.errors.push(Diagnostic::error(
                    self.file,
                    k.line,
                    k.col,
                    format!(
                        "unknown key `{}` in {what}{}",
                        k.name,
                        did_you_mean(&k.name, allowed.iter().copied())
                    ),
                ));
            }
        }
        Some(n)
    }

    pub(super) fn text(&mut self, n: &Node, key: &str, what: &str) -> Option<String> {
        let v = n.get(key)?;
        if v.is_null() {
            return None;
        }
        match v.text() {
            Some(t) => Some(t),
            None => {
                self.err(v, format!("`{key}` in {what} must be text"));
                None
            }
        }
    }

    pub(super) fn required(&mut self, n: &Node, key: &str, what: &str) -> Option<String> {
        if n.get(key).is_none_or(Node::is_null) {
            self.err(n, format!("{what} needs `{key}`"));
            return None;
        }
        self.text(n, key, what)
    }

    pub(super) fn md(&mut self, n: &Node, key: &str, what: &str) -> Option<Md> {
        let line = n.get(key).map_or(n.line, |v| v.line);
        self.text(n, key, what).map(|source| Md {
            source,
            line,
            html: String::new(),
        })
    }

    pub(super) fn list(&mut self, n: &Node, key: &str, what: &str) -> Vec<String> {
        let Some(v) = n.get(key) else {
            return Vec::new();
        };
        match &v.kind {
            NodeKind::Seq(items) => items
                .iter()
                .filter_map(|i| {
                    let t = i.text();
                    if t.is_none() {
                        self.err(i, format!("`{key}` in {what} must be a list of texts"));
                    }
                    t
                })
                .collect(),
            NodeKind::Scalar(_) => v.text().into_iter().collect(),
            NodeKind::Map(_) => {
                self.err(v, format!("`{key}` in {what} must be a list"));
                Vec::new()
            }
        }
    }

    pub(super) fn items<'n>(&mut self, n: &'n Node, key: &str, what: &str) -> &'n [Node] {
        match n.get(key) {
            Some(v) if matches!(v.kind, NodeKind::Seq(_)) && !v.items().is_empty() => v.items(),
            Some(v) => {
                self.err(v, format!("`{key}` in {what} must be a non-empty list"));
                &[]
            }
            None => {
                self.err(n, format!("{what} needs `{key}`"));
                &[]
            }
        }
    }

    pub(super) fn bundle_file(
        &mut self,
        n: &Node,
        key: &str,
        what: &str,
        assets: &[Asset],
    ) -> Option<String> {
        let name = self.text(n, key, what)?;
        let rel = name.trim_start_matches("./").to_string();
        if assets.iter().any(|a| a.rel == rel) {
            Some(rel)
        } else {
            let v = n.get(key).unwrap_or(n);
            self.err(
                v,
                format!(
                    "{key} `{name}` is not a file in this page's bundle (put it next to index.md)"
                ),
            );
            None
        }
    }

    pub(super) fn amount(
        &mut self,
        n: &Node,
        key: &str,
        cur: &Currency,
        what: &str,
    ) -> Option<i64> {
        let v = n.get(key)?;
        let raw = match (&v.kind, &v.raw) {
            (NodeKind::Scalar(serde_json::Value::Number(_)), Some(r)) => r.clone(),
            (NodeKind::Scalar(serde_json::Value::String(s)), _) => s.clone(),
            _ => {
                self.err(v, format!("`{key}` in {what} must be an amount like 19.99"));
                return None;
            }
        };
        match money::parse_amount(&raw, cur) {
            Ok(a) if a < 0 => {
                self.err(v, format!("`{key}` must not be negative, found {raw}"));
                None
            }
            Ok(a) => Some(a),
            Err(e) => {
                self.err(v, format!("`{key}`: {e}"));
                None
            }
        }
    }

    pub(super) fn checkout(&mut self, n: &Node, what: &str) -> Option<Checkout> {
        let Some(c) = n.get("checkout") else {
            self.err(
                n,
                format!("{what} needs `checkout` (the https address of the buy button)"),
            );
            return None;
        };
        let (url_node, provider, label) = match &c.kind {
            NodeKind::Map(_) => {
                self.map(c, &["url", "provider", "label"], "checkout")?;
                let provider = self.text(c, "provider", "checkout");
                let label = self.text(c, "label", "checkout");
                let Some(u) = c.get("url") else {
                    self.err(c, "checkout needs `url`");
                    return None;
                };
                (u, provider, label)
            }
            _ => (c, None, None),
        };
        let Some(url) = url_node.text() else {
            self.err(url_node, "the checkout url must be text");
            return None;
        };
        match url::Url::parse(url.trim()) {
            Ok(u) if u.scheme() == "https" && u.host_str().is_some_and(|h| h.contains('.')) => {
                let provider = provider.or_else(|| known_provider(&u).map(str::to_string));
                Some(Checkout {
                    url: u.to_string(),
                    provider,
                    label,
                })
            }
            Ok(u) if u.scheme() != "https" => {
                self.err(url_node, format!("checkout url `{url}` must use https://"));
                None
            }
            Ok(_) => {
                self.err(
                    url_node,
                    format!("checkout url `{url}` has no valid host name"),
                );
                None
            }
            Err(e) => {
                self.err(url_node, format!("checkout url `{url}` is malformed: {e}"));
                None
            }
        }
    }
}

/// Names the payment provider a checkout URL belongs to.
pub fn known_provider(u: &url::Url) -> Option<&'static str> {
    let host = u.host_str()?.to_ascii_lowercase();
    let is = |d: &str| host == d || host.ends_with(&format!(".{d}"));
    Some(if is("gumroad.com") || is("gum.co") {
        "Gumroad"
    } else if is("lemonsqueezy.com") {
        "Lemon Squeezy"
    } else if host == "buy.stripe.com" {
        "Stripe"
    } else if is("digistore24.com") {
        "Digistore24"
    } else if is("copecart.com") {
        "CopeCart"
    } else if is("elopage.com") || is("myelopage.com") {
        "elopage"
    } else if is("paypal.com") || is("paypal.me") {
        "PayPal"
    } else {
        return None;
    })
}

/// Checks an ISBN-10 or ISBN-13 (hyphens and spaces allowed).
pub fn valid_isbn(isbn: &str) -> bool {
    let chars: Vec<char> = isbn.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    match chars.len() {
        13 => {
            let Some(d): Option<Vec<u32>> = chars.iter().map(|c| c.to_digit(10)).collect() else {
                return false;
            };
            d.iter()
                .enumerate()
                .map(|(i, x)| if i % 2 == 0 { *x } else { 3 * x })
                .sum::<u32>()
                % 10
                == 0
        }
        10 => {
            let mut sum = 0;
            for (i, c) in chars.iter().enumerate() {
                let v = match (i, c) {
                    (9, 'X' | 'x') => 10,
                    (_, c) => match c.to_digit(10) {
                        Some(v) => v,
                        None => return false,
                    },
                };
                sum += v * (10 - i as u32);
            }
            sum % 11 == 0
        }
        _ => false,
    }
}
