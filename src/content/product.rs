//! Products: the `product:` block of a page (prices as exact cents, currency, sale, availability,
//! files in the bundle, checkout link) and the ordered `blocks:` of a landing page, both checked
//! with errors at file:line:col.

use super::Asset;
use crate::error::{did_you_mean, Diagnostic};
use crate::money::{self, Currency};
use crate::yaml::{Node, NodeKind};
use serde::{Serialize, Serializer};

/// What a product is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// An e-book.
    Ebook,
    /// A template or template pack.
    Template,
    /// A (video) course.
    Course,
    /// A plugin.
    Plugin,
    /// A paid newsletter.
    Newsletter,
    /// A coaching package.
    Coaching,
    /// Several products together.
    Bundle,
}

const KINDS: [(&str, Kind); 7] = [
    ("ebook", Kind::Ebook),
    ("template", Kind::Template),
    ("course", Kind::Course),
    ("plugin", Kind::Plugin),
    ("newsletter", Kind::Newsletter),
    ("coaching", Kind::Coaching),
    ("bundle", Kind::Bundle),
];

impl Kind {
    /// The name used in front matter.
    pub fn name(self) -> &'static str {
        KINDS
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("", |(n, _)| n)
    }

    /// Name for readers.
    pub fn label(self, lang: &str) -> &'static str {
        let de = lang.starts_with("de");
        match (self, de) {
            (Kind::Ebook, _) => "E-Book",
            (Kind::Template, true) => "Vorlage",
            (Kind::Template, false) => "Template",
            (Kind::Course, true) => "Kurs",
            (Kind::Course, false) => "Course",
            (Kind::Plugin, _) => "Plugin",
            (Kind::Newsletter, _) => "Newsletter",
            (Kind::Coaching, _) => "Coaching",
            (Kind::Bundle, true) => "Paket",
            (Kind::Bundle, false) => "Bundle",
        }
    }

    /// Plural name for readers (catalogue filters).
    pub fn plural(self, lang: &str) -> &'static str {
        let de = lang.starts_with("de");
        match (self, de) {
            (Kind::Ebook, _) => "E-Books",
            (Kind::Template, true) => "Vorlagen",
            (Kind::Template, false) => "Templates",
            (Kind::Course, true) => "Kurse",
            (Kind::Course, false) => "Courses",
            (Kind::Plugin, _) => "Plugins",
            (Kind::Newsletter, _) => "Newsletter",
            (Kind::Coaching, _) => "Coachings",
            (Kind::Bundle, true) => "Pakete",
            (Kind::Bundle, false) => "Bundles",
        }
    }

    /// URL segment of the catalogue page for this kind.
    pub fn slug(self, lang: &str) -> String {
        super::slug::slugify(self.plural(lang))
    }

    /// Heading of the product card under a post that names the product.
    pub fn card_heading(self, lang: &str) -> &'static str {
        match (self, lang.starts_with("de")) {
            (Kind::Ebook, true) => "Das E-Book zum Thema",
            (Kind::Course, true) => "Der Kurs zum Thema",
            (Kind::Template, true) => "Die Vorlage zum Thema",
            (_, true) => "Passend zum Thema",
            (Kind::Ebook, false) => "The e-book on this topic",
            (_, false) => "On this topic",
        }
    }
}

/// Can it be bought now?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    /// Yes.
    Available,
    /// Orders now, delivery later.
    Preorder,
    /// No.
    SoldOut,
}

impl Availability {
    /// schema.org URL.
    pub fn schema(self) -> &'static str {
        match self {
            Availability::Available => "https://schema.org/InStock",
            Availability::Preorder => "https://schema.org/PreOrder",
            Availability::SoldOut => "https://schema.org/SoldOut",
        }
    }
}

/// Where the buy button goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checkout {
    /// https address.
    pub url: String,
    /// The payment provider's name, given or recognised from the URL.
    pub provider: Option<String>,
    /// Button text chosen by the author.
    pub label: Option<String>,
}

/// A file in the bundle offered for download.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    /// Path in the bundle.
    pub file: String,
    /// Size in bytes.
    pub size: u64,
    /// File type for readers (`PDF`).
    pub format: String,
}

/// A checked product.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// What it is.
    pub kind: Kind,
    /// Price in minor units.
    pub price: i64,
    /// Currency.
    pub currency: &'static Currency,
    /// Sale price in minor units.
    pub sale_price: Option<i64>,
    /// Last day of the sale.
    pub sale_until: Option<jiff::civil::Date>,
    /// Availability.
    pub availability: Availability,
    /// Cover image in the bundle.
    pub cover: Option<String>,
    /// Sample download in the bundle.
    pub sample: Option<Sample>,
    /// File formats (PDF, EPUB, …).
    pub formats: Vec<String>,
    /// ISBN.
    pub isbn: Option<String>,
    /// Stock keeping unit.
    pub sku: Option<(String, usize, usize)>,
    /// Number of pages.
    pub pages: Option<u64>,
    /// Length of a course.
    pub duration: Option<String>,
    /// Buy button.
    pub checkout: Checkout,
    /// Shown on the home page.
    pub featured: bool,
}

impl Product {
    /// The price to pay now (the sale price while a sale runs).
    pub fn current_price(&self) -> i64 {
        self.sale_price.unwrap_or(self.price)
    }
}

/// Markdown text from a block, rendered by the markdown stage.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Md {
    /// The markdown.
    pub source: String,
    /// File line where it is written.
    pub line: usize,
    /// The HTML.
    pub html: String,
}

impl Serialize for Md {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.html)
    }
}

/// One chapter of a `toc` block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<Md>,
}

/// One testimonial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Testimonial {
    /// Who.
    pub name: String,
    /// Their role.
    pub role: Option<String>,
    /// What they said.
    pub text: Md,
    /// Photo in the bundle.
    pub photo: Option<String>,
}

/// One question of a `faq` block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Qa {
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: Md,
}

/// One offer of a `buy` block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    /// Name of the offer (`PDF`, `Paket`).
    pub label: String,
    /// Price in minor units.
    pub price: i64,
    /// Formatted price.
    pub price_display: String,
    /// Decimal price for structured data.
    pub price_decimal: String,
    /// Checkout.
    pub checkout: Checkout,
    /// Description.
    pub description: Option<Md>,
    /// File formats.
    pub formats: Vec<String>,
}

/// One block of a landing page, in the author's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block {
    /// Cover, title, subtitle, price, buy button.
    Hero {
        /// Title (default: the page title).
        title: Option<String>,
        /// Subtitle.
        subtitle: Option<Md>,
    },
    /// Bullet list of benefits.
    Benefits {
        /// Heading.
        title: Option<String>,
        /// Items.
        items: Vec<Md>,
    },
    /// Chapters.
    Toc {
        /// Heading.
        title: Option<String>,
        /// Chapters.
        chapters: Vec<Chapter>,
    },
    /// The sample download.
    Sample {
        /// Heading.
        title: Option<String>,
        /// Text.
        text: Option<Md>,
    },
    /// Testimonials.
    Testimonials {
        /// Heading.
        title: Option<String>,
        /// Items.
        items: Vec<Testimonial>,
    },
    /// Questions and answers.
    Faq {
        /// Heading.
        title: Option<String>,
        /// Items.
        items: Vec<Qa>,
    },
    /// About the author.
    Author {
        /// Heading.
        title: Option<String>,
        /// Name (default: the site's author).
        name: Option<String>,
        /// Bio (default: the site author's bio).
        bio: Option<Md>,
        /// Photo in the bundle.
        photo: Option<String>,
    },
    /// Money-back guarantee.
    Guarantee {
        /// Heading.
        title: Option<String>,
        /// Text.
        text: Md,
    },
    /// One or several offers.
    Buy {
        /// Heading.
        title: Option<String>,
        /// Offers (default: the product itself).
        offers: Vec<Offer>,
    },
}

impl Block {
    /// Every markdown text of the block, for the markdown stage.
    pub fn markdown_mut(&mut self) -> Vec<&mut Md> {
        match self {
            Block::Hero { subtitle, .. } => subtitle.iter_mut().collect(),
            Block::Benefits { items, .. } => items.iter_mut().collect(),
            Block::Toc { chapters, .. } => chapters
                .iter_mut()
                .filter_map(|c| c.description.as_mut())
                .collect(),
            Block::Sample { text, .. } => text.iter_mut().collect(),
            Block::Testimonials { items, .. } => items.iter_mut().map(|t| &mut t.text).collect(),
            Block::Faq { items, .. } => items.iter_mut().map(|q| &mut q.answer).collect(),
            Block::Author { bio, .. } => bio.iter_mut().collect(),
            Block::Guarantee { text, .. } => vec![text],
            Block::Buy { offers, .. } => offers
                .iter_mut()
                .filter_map(|o| o.description.as_mut())
                .collect(),
        }
    }
}

/// Collects errors for one file.
pub struct Checker<'a> {
    /// The file, for messages.
    pub file: &'a str,
    /// Errors found.
    pub errors: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn err(&mut self, n: &Node, msg: impl Into<String>) {
        self.errors
            .push(Diagnostic::error(self.file, n.line, n.col, msg));
    }

    /// A mapping whose keys are all in `allowed`.
    fn map<'n>(&mut self, n: &'n Node, allowed: &[&str], what: &str) -> Option<&'n Node> {
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

    fn text(&mut self, n: &Node, key: &str, what: &str) -> Option<String> {
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

    fn required(&mut self, n: &Node, key: &str, what: &str) -> Option<String> {
        if n.get(key).is_none_or(Node::is_null) {
            self.err(n, format!("{what} needs `{key}`"));
            return None;
        }
        self.text(n, key, what)
    }

    fn md(&mut self, n: &Node, key: &str, what: &str) -> Option<Md> {
        let line = n.get(key).map_or(n.line, |v| v.line);
        self.text(n, key, what).map(|source| Md {
            source,
            line,
            html: String::new(),
        })
    }

    fn list(&mut self, n: &Node, key: &str, what: &str) -> Vec<String> {
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

    fn items<'n>(&mut self, n: &'n Node, key: &str, what: &str) -> &'n [Node] {
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

    fn bundle_file(&mut self, n: &Node, key: &str, what: &str, assets: &[Asset]) -> Option<String> {
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

    fn amount(&mut self, n: &Node, key: &str, cur: &Currency, what: &str) -> Option<i64> {
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

    fn checkout(&mut self, n: &Node, what: &str) -> Option<Checkout> {
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
];

/// Reads a `product:` block.
pub fn parse(
    n: &Node,
    c: &mut Checker,
    assets: &[Asset],
    default_currency: &str,
) -> Option<Product> {
    c.map(n, PRODUCT_KEYS, "product")?;
    let kind = match c.text(n, "kind", "product") {
        Some(k) => match KINDS.iter().find(|(name, _)| *name == k) {
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
        },
        None => {
            c.err(n, "product needs `kind` (ebook, template, course, plugin, newsletter, coaching or bundle)");
            None
        }
    };
    let currency = match c.text(n, "currency", "product") {
        Some(code) => match money::currency(&code) {
            Some(cur) => Some(cur),
            None => {
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
                None
            }
        },
        None => money::currency(default_currency),
    };
    let cur = currency.or(money::currency("EUR"))?;
    let price = if n.get("price").is_none_or(Node::is_null) {
        c.err(n, "product needs `price` (e.g. price: 19.99)");
        None
    } else {
        c.amount(n, "price", cur, "product")
    };
    let sale_price = c.amount(n, "sale_price", cur, "product");
    if let (Some(p), Some(s)) = (price, sale_price) {
        if s >= p {
            let v = n.get("sale_price").unwrap_or(n);
            c.err(
                v,
                format!(
                    "`sale_price` ({}) must be below `price` ({})",
                    money::decimal(s, cur),
                    money::decimal(p, cur)
                ),
            );
        }
    }
    let sale_until =
        c.text(n, "sale_until", "product")
            .and_then(|s| match super::date::PageDate::parse(&s) {
                Ok(d) => Some(d.datetime.date()),
                Err(e) => {
                    let v = n.get("sale_until").unwrap_or(n);
                    c.err(v, format!("`sale_until`: {e}"));
                    None
                }
            });
    if sale_until.is_some() && sale_price.is_none() {
        let v = n.get("sale_until").unwrap_or(n);
        c.err(v, "`sale_until` without `sale_price`");
    }
    let availability = match c.text(n, "availability", "product").as_deref() {
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
    };
    let cover = if n.get("cover").is_some() {
        c.bundle_file(n, "cover", "product", assets)
    } else {
        None
    };
    let sample = if n.get("sample").is_some() {
        c.bundle_file(n, "sample", "product", assets).map(|file| {
            let size = assets
                .iter()
                .find(|a| a.rel == file)
                .and_then(|a| std::fs::metadata(&a.src).ok())
                .map_or(0, |m| m.len());
            let format = file
                .rsplit_once('.')
                .map_or(String::new(), |(_, e)| e.to_uppercase());
            Sample { file, size, format }
        })
    } else {
        None
    };
    let formats = c.list(n, "formats", "product");
    let isbn = c.text(n, "isbn", "product");
    if let Some(i) = &isbn {
        if !valid_isbn(i) {
            let v = n.get("isbn").unwrap_or(n);
            c.err(
                v,
                format!("`{i}` is not a valid ISBN-10 or ISBN-13 (check digit)"),
            );
        }
    }
    let sku = c.text(n, "sku", "product").map(|s| {
        let v = n.get("sku").unwrap_or(n);
        (s, v.line, v.col)
    });
    let pages = n.get("pages").and_then(|v| match &v.kind {
        NodeKind::Scalar(serde_json::Value::Number(num)) if num.as_u64().is_some_and(|p| p > 0) => {
            num.as_u64()
        }
        _ => {
            c.err(v, "`pages` must be a whole number above 0");
            None
        }
    });
    let duration = c.text(n, "duration", "product");
    let featured = match n.get("featured").map(|v| (v, &v.kind)) {
        None => false,
        Some((_, NodeKind::Scalar(serde_json::Value::Bool(b)))) => *b,
        Some((v, _)) => {
            c.err(v, "`featured` must be true or false");
            false
        }
    };
    let checkout = c.checkout(n, "product");
    Some(Product {
        kind: kind?,
        price: price?,
        currency: cur,
        sale_price,
        sale_until,
        availability,
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

const BLOCK_TYPES: &[&str] = &[
    "hero",
    "benefits",
    "toc",
    "sample",
    "testimonials",
    "faq",
    "author",
    "guarantee",
    "buy",
];

/// Reads the `blocks:` of a landing page.
pub fn parse_blocks(
    n: &Node,
    c: &mut Checker,
    product: Option<&Product>,
    assets: &[Asset],
    lang: &str,
) -> Vec<Block> {
    if !matches!(n.kind, NodeKind::Seq(_)) {
        c.err(n, "`blocks` must be a list of blocks, each with a `type`");
        return Vec::new();
    }
    let mut out = Vec::new();
    for b in n.items() {
        if let Some(block) = parse_block(b, c, product, assets, lang) {
            out.push(block);
        }
    }
    out
}

fn parse_block(
    b: &Node,
    c: &mut Checker,
    product: Option<&Product>,
    assets: &[Asset],
    lang: &str,
) -> Option<Block> {
    let Some(ty) = c.text(b, "type", "a block") else {
        c.err(
            b,
            format!("a block needs `type` ({})", BLOCK_TYPES.join(", ")),
        );
        return None;
    };
    let what = format!("block `{ty}`");
    let needs_product = |c: &mut Checker| {
        if product.is_none() {
            c.err(
                b,
                format!("{what} needs a `product:` in this page's front matter"),
            );
        }
    };
    let block = match ty.as_str() {
        "hero" => {
            c.map(b, &["type", "title", "subtitle"], &what)?;
            needs_product(c);
            Block::Hero {
                title: c.text(b, "title", &what),
                subtitle: c.md(b, "subtitle", &what),
            }
        }
        "benefits" => {
            c.map(b, &["type", "title", "items"], &what)?;
            let items = c
                .items(b, "items", &what)
                .iter()
                .filter_map(|i| match i.text() {
                    Some(source) => Some(Md {
                        source,
                        line: i.line,
                        html: String::new(),
                    }),
                    None => {
                        c.err(i, "each benefit must be text");
                        None
                    }
                })
                .collect();
            Block::Benefits {
                title: c.text(b, "title", &what),
                items,
            }
        }
        "toc" => {
            c.map(b, &["type", "title", "chapters"], &what)?;
            let mut chapters = Vec::new();
            for ch in c.items(b, "chapters", &what) {
                if let Some(t) = ch.text() {
                    chapters.push(Chapter {
                        title: t,
                        description: None,
                    });
                    continue;
                }
                if c.map(ch, &["title", "description"], "a chapter").is_none() {
                    continue;
                }
                if let Some(title) = c.required(ch, "title", "a chapter") {
                    chapters.push(Chapter {
                        title,
                        description: c.md(ch, "description", "a chapter"),
                    });
                }
            }
            Block::Toc {
                title: c.text(b, "title", &what),
                chapters,
            }
        }
        "sample" => {
            c.map(b, &["type", "title", "text"], &what)?;
            if product.is_some_and(|p| p.sample.is_none()) {
                c.err(
                    b,
                    "block `sample` needs `sample:` (a file in the bundle) in the product",
                );
            }
            needs_product(c);
            Block::Sample {
                title: c.text(b, "title", &what),
                text: c.md(b, "text", &what),
            }
        }
        "testimonials" => {
            c.map(b, &["type", "title", "items"], &what)?;
            let mut items = Vec::new();
            for t in c.items(b, "items", &what) {
                if c.map(t, &["name", "role", "text", "photo"], "a testimonial")
                    .is_none()
                {
                    continue;
                }
                let name = c.required(t, "name", "a testimonial");
                let text = if t.get("text").is_some() {
                    c.md(t, "text", "a testimonial")
                } else {
                    c.err(t, "a testimonial needs `text`");
                    None
                };
                let photo = if t.get("photo").is_some() {
                    c.bundle_file(t, "photo", "a testimonial", assets)
                } else {
                    None
                };
                if let (Some(name), Some(text)) = (name, text) {
                    items.push(Testimonial {
                        name,
                        role: c.text(t, "role", "a testimonial"),
                        text,
                        photo,
                    });
                }
            }
            Block::Testimonials {
                title: c.text(b, "title", &what),
                items,
            }
        }
        "faq" => {
            c.map(b, &["type", "title", "items"], &what)?;
            let mut items = Vec::new();
            for q in c.items(b, "items", &what) {
                if c.map(q, &["question", "answer"], "a question").is_none() {
                    continue;
                }
                let question = c.required(q, "question", "a question");
                let answer = if q.get("answer").is_some() {
                    c.md(q, "answer", "a question")
                } else {
                    c.err(q, "a question needs `answer`");
                    None
                };
                if let (Some(question), Some(answer)) = (question, answer) {
                    items.push(Qa { question, answer });
                }
            }
            Block::Faq {
                title: c.text(b, "title", &what),
                items,
            }
        }
        "author" => {
            c.map(b, &["type", "title", "name", "bio", "photo"], &what)?;
            let photo = if b.get("photo").is_some() {
                c.bundle_file(b, "photo", &what, assets)
            } else {
                None
            };
            Block::Author {
                title: c.text(b, "title", &what),
                name: c.text(b, "name", &what),
                bio: c.md(b, "bio", &what),
                photo,
            }
        }
        "guarantee" => {
            c.map(b, &["type", "title", "text"], &what)?;
            let text = if b.get("text").is_some() {
                c.md(b, "text", &what)
            } else {
                c.err(b, "block `guarantee` needs `text`");
                None
            };
            Block::Guarantee {
                title: c.text(b, "title", &what),
                text: text?,
            }
        }
        "buy" => {
            c.map(b, &["type", "title", "offers"], &what)?;
            let mut offers = Vec::new();
            if b.get("offers").is_some() {
                let cur = product.map_or(money::currency("EUR"), |p| Some(p.currency))?;
                for o in c.items(b, "offers", &what) {
                    if c.map(
                        o,
                        &["label", "price", "checkout", "description", "formats"],
                        "an offer",
                    )
                    .is_none()
                    {
                        continue;
                    }
                    let label = c.required(o, "label", "an offer");
                    let price = if o.get("price").is_some() {
                        c.amount(o, "price", cur, "an offer")
                    } else {
                        c.err(o, "an offer needs `price`");
                        None
                    };
                    let checkout = c.checkout(o, "an offer");
                    let description = c.md(o, "description", "an offer");
                    let formats = c.list(o, "formats", "an offer");
                    if let (Some(label), Some(price), Some(checkout)) = (label, price, checkout) {
                        offers.push(Offer {
                            label,
                            price,
                            price_display: money::format(price, cur, lang),
                            price_decimal: money::decimal(price, cur),
                            checkout,
                            description,
                            formats,
                        });
                    }
                }
            } else {
                needs_product(c);
            }
            Block::Buy {
                title: c.text(b, "title", &what),
                offers,
            }
        }
        other => {
            let v = b.get("type").unwrap_or(b);
            c.err(
                v,
                format!(
                    "unknown block type `{other}`{}; use one of {}",
                    did_you_mean(other, BLOCK_TYPES.iter().copied()),
                    BLOCK_TYPES.join(", ")
                ),
            );
            return None;
        }
    };
    Some(block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(yaml: &str) -> Node {
        crate::yaml::parse_mapping(yaml).unwrap().remove(0).node
    }

    fn check(yaml: &str) -> (Option<Product>, Vec<Diagnostic>) {
        let mut c = Checker {
            file: "content/p/index.md",
            errors: Vec::new(),
        };
        let p = parse(&node(yaml), &mut c, &[], "EUR");
        (p, c.errors)
    }

    #[test]
    fn a_good_product() {
        let (p, e) = check("product:\n  kind: ebook\n  price: 19.90\n  sale_price: \"14.90\"\n  isbn: 978-3-16-148410-0\n  checkout: https://lena.gumroad.com/l/buch\n");
        assert!(e.is_empty(), "{e:?}");
        let p = p.unwrap();
        assert_eq!(
            (p.price, p.sale_price, p.current_price()),
            (1990, Some(1490), 1490)
        );
        assert_eq!(p.checkout.provider.as_deref(), Some("Gumroad"));
    }

    #[test]
    fn every_validation_error_has_a_place() {
        let cases = [
            ("product:\n  kind: ebook\n  checkout: https://x.example/\n", 2, "needs `price`"),
            ("product:\n  kind: ebook\n  price: -5\n  checkout: https://x.example/\n", 3, "must not be negative"),
            ("product:\n  kind: ebook\n  price: 1.999\n  checkout: https://x.example/\n", 3, "more than 2 decimals"),
            ("product:\n  kind: ebook\n  price: \"19,90\"\n  checkout: https://x.example/\n", 3, "with a dot"),
            ("product:\n  kind: ebook\n  price: 9\n  currency: EURO\n  checkout: https://x.example/\n", 4, "unknown currency"),
            ("product:\n  kind: ebok\n  price: 9\n  checkout: https://x.example/\n", 2, "did you mean `ebook`"),
            ("product:\n  kind: ebook\n  price: 9\n  availability: soon\n  checkout: https://x.example/\n", 4, "unknown availability"),
            ("product:\n  kind: ebook\n  price: 9\n  sale_price: 9\n  checkout: https://x.example/\n", 4, "must be below"),
            ("product:\n  kind: ebook\n  price: 9\n  cover: cover.png\n  checkout: https://x.example/\n", 4, "not a file in this page's bundle"),
            ("product:\n  kind: ebook\n  price: 9\n  sample: probe.pdf\n  checkout: https://x.example/\n", 4, "not a file in this page's bundle"),
            ("product:\n  kind: ebook\n  price: 9\n  checkout: http://x.example/\n", 4, "must use https"),
            ("product:\n  kind: ebook\n  price: 9\n  checkout: \"https://\"\n", 4, "malformed"),
            ("product:\n  kind: ebook\n  price: 9\n  isbn: 978-3-16-148410-1\n  checkout: https://x.example/\n", 4, "not a valid ISBN"),
        ];
        for (yaml, line, msg) in cases {
            let (_, e) = check(yaml);
            assert_eq!(e.len(), 1, "{yaml}: {e:?}");
            assert_eq!(e[0].line, line, "{yaml}: {e:?}");
            assert!(e[0].message.contains(msg), "{yaml}: {}", e[0].message);
        }
    }

    #[test]
    fn providers() {
        let p = |u: &str| known_provider(&url::Url::parse(u).unwrap());
        assert_eq!(
            p("https://lena.lemonsqueezy.com/checkout/buy/1"),
            Some("Lemon Squeezy")
        );
        assert_eq!(p("https://buy.stripe.com/abc"), Some("Stripe"));
        assert_eq!(
            p("https://www.digistore24.com/product/1"),
            Some("Digistore24")
        );
        assert_eq!(p("https://www.copecart.com/products/x"), Some("CopeCart"));
        assert_eq!(p("https://lena.elopage.com/s/x"), Some("elopage"));
        assert_eq!(p("https://www.paypal.com/ncp/payment/X"), Some("PayPal"));
        assert_eq!(p("https://evil-gumroad.com/"), None);
    }

    #[test]
    fn blocks() {
        let mut c = Checker {
            file: "f.md",
            errors: Vec::new(),
        };
        let n = node("blocks:\n  - type: faq\n    items:\n      - question: Wie?\n        answer: So.\n  - type: heroo\n  - type: guarantee\n");
        let b = parse_blocks(&n, &mut c, None, &[], "de");
        assert_eq!(b.len(), 1);
        assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
        assert_eq!(c.errors[0].line, 6);
        assert!(c.errors[0].message.contains("did you mean `hero`"));
        assert_eq!(c.errors[1].line, 7);
        assert!(c.errors[1].message.contains("needs `text`"));
    }
}
