//! Reading a page's `product:` block into a checked [`Product`].

use super::{Availability, Checker, Kind, Product, Sample, KINDS};
use crate::content::Asset;
use crate::error::did_you_mean;
use crate::money::{self, Currency};
use crate::yaml::{Node, NodeKind};

const PRODUCT_KEYS: &[&str] = &[
    "kind",
    "price",
    "currency",
    "sale_price",
    "sale_until",
    "availability",
    "cover",
    "sample",
    "formats",
    "isbn",
    "sku",
    "pages",
    "duration",
    "checkout",
    "featured",
    "interval",
    "trial_days",
    "release_date",
];

/// Reads a `product:` block; every problem goes to the checker.
pub fn parse(
    n: &Node,
    c: &mut Checker,
    assets: &[Asset],
    default_currency: &str,
) -> Option<Product> {
    c.map(n, PRODUCT_KEYS, "product")?;
    let kind = kind(n, c);
    let cur = currency(n, c, default_currency).or(money::currency("EUR"))?;
    let price = super::price::parse(n, c, cur, "product");
    let availability = availability(n, c);
    let release = release(n, c, availability);
    let cover = if n.get("cover").is_some() {
        c.bundle_file(n, "cover", "product", assets)
    } else {
        None
    };
    let sample = sample(n, c, assets);
    let formats = c.list(n, "formats", "product");
    let isbn = isbn(n, c);
    let sku = c.text(n, "sku", "product").map(|s| {
        let v = n.get("sku").unwrap_or(n);
        (s, v.line, v.col)
    });
    let pages = pages(n, c);
    let duration = c.text(n, "duration", "product");
    let featured = featured(n, c);
    let checkout = c.checkout(n, "product");
    let kind = kind?;
    if let (Kind::Newsletter, Some(p)) = (kind, &price) {
        if p.interval.is_none() && p.amount > 0 {
            c.errors.push(crate::error::Diagnostic::warning(
                c.file,
                n.line,
                n.col,
                "a paid newsletter is billed per week, month or year: add `interval: month` so the price says so",
            ));
        }
    }
    Some(Product {
        kind,
        price: price?,
        currency: cur,
        availability,
        release,
        cover,
        sample,
        formats,
        isbn,
        sku,
        pages,
        duration,
        checkout: checkout?,
        featured,
    })
}

fn kind(n: &Node, c: &mut Checker) -> Option<Kind> {
    let Some(k) = c.text(n, "kind", "product") else {
        c.err(
            n,
            "product needs `kind` (ebook, template, course, plugin, newsletter, coaching or bundle)",
        );
        return None;
    };
    match KINDS.iter().find(|(name, _)| *name == k) {
        Some((_, kind)) => Some(*kind),
        None => {
            let v = n.get("kind").unwrap_or(n);
            c.err(
                v,
                format!(
                    "unknown product kind `{k}`{}; use one of {}",
                    did_you_mean(&k, KINDS.iter().map(|k| k.0)),
                    KINDS.map(|k| k.0).join(", ")
                ),
            );
            None
        }
    }
}

fn currency(n: &Node, c: &mut Checker, default: &str) -> Option<&'static Currency> {
    let Some(code) = c.text(n, "currency", "product") else {
        return money::currency(default);
    };
    let found = money::currency(&code);
    if found.is_none() {
        let v = n.get("currency").unwrap_or(n);
        c.err(
            v,
            format!(
                "unknown currency `{code}`{}: use an ISO 4217 code like EUR",
                did_you_mean(
                    &code.to_uppercase(),
                    money::CURRENCIES.iter().map(|c| c.code)
                )
            ),
        );
    }
    found
}

/// `release_date`: when a preordered product comes out.
fn release(n: &Node, c: &mut Checker, availability: Availability) -> Option<crate::date::PageDate> {
    let v = n.get("release_date")?;
    let text = c.text(n, "release_date", "product")?;
    if availability != Availability::Preorder {
        c.err(v, "`release_date` is for `availability: preorder`");
    }
    match crate::date::PageDate::parse(&text) {
        Ok(d) => Some(d),
        Err(e) => {
            c.err(v, format!("`release_date`: {e}"));
            None
        }
    }
}

pub(super) fn availability(n: &Node, c: &mut Checker) -> Availability {
    match c.text(n, "availability", "product").as_deref() {
        None | Some("available") => Availability::Available,
        Some("preorder") => Availability::Preorder,
        Some("sold_out") => Availability::SoldOut,
        Some(other) => {
            let v = n.get("availability").unwrap_or(n);
            c.err(
                v,
                format!(
                    "unknown availability `{other}`{}; use available, preorder or sold_out",
                    did_you_mean(other, ["available", "preorder", "sold_out"])
                ),
            );
            Availability::Available
        }
    }
}

fn sample(n: &Node, c: &mut Checker, assets: &[Asset]) -> Option<Sample> {
    n.get("sample")?;
    let file = c.bundle_file(n, "sample", "product", assets)?;
    let size = assets
        .iter()
        .find(|a| a.rel == file)
        .and_then(|a| std::fs::metadata(&a.src).ok())
        .map_or(0, |m| m.len());
    let format = file
        .rsplit_once('.')
        .map_or(String::new(), |(_, e)| e.to_uppercase());
    Some(Sample { file, size, format })
}

fn isbn(n: &Node, c: &mut Checker) -> Option<String> {
    let isbn = c.text(n, "isbn", "product")?;
    if !super::valid_isbn(&isbn) {
        let v = n.get("isbn").unwrap_or(n);
        c.err(
            v,
            format!("`{isbn}` is not a valid ISBN-10 or ISBN-13 (check digit)"),
        );
    }
    Some(isbn)
}

fn pages(n: &Node, c: &mut Checker) -> Option<u64> {
    let v = n.get("pages")?;
    match &v.kind {
        NodeKind::Scalar(serde_json::Value::Number(num)) if num.as_u64().is_some_and(|p| p > 0) => {
            num.as_u64()
        }
        _ => {
            c.err(v, "`pages` must be a whole number above 0");
            None
        }
    }
}

fn featured(n: &Node, c: &mut Checker) -> bool {
    match n.get("featured").map(|v| (v, &v.kind)) {
        None => false,
        Some((_, NodeKind::Scalar(serde_json::Value::Bool(b)))) => *b,
        Some((v, _)) => {
            c.err(v, "`featured` must be true or false");
            false
        }
    }
}
