//! Products: the `product:` block of a page (prices as exact cents, currency, sale, availability,
//! files in the bundle, checkout link) and the ordered `blocks:` of a landing page, both checked
//! with errors at file:line:col.

mod blocks;
mod checker;
mod parse;
pub mod price;

use crate::money::Currency;
use serde::{Serialize, Serializer};

pub use blocks::parse_blocks;
pub use checker::{valid_isbn, Checker};
pub use parse::parse;
pub use price::{Price, PriceView};

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

pub(crate) const KINDS: [(&str, Kind); 7] = [
    ("ebook", Kind::Ebook),
    ("template", Kind::Template),
    ("course", Kind::Course),
    ("plugin", Kind::Plugin),
    ("newsletter", Kind::Newsletter),
    ("coaching", Kind::Coaching),
    ("bundle", Kind::Bundle),
];

impl Kind {
    /// Name for readers ("E-Book", "Kurs").
    pub fn label(self, locale: &crate::locale::Locale) -> &str {
        locale.text(self.key("kind"))
    }

    /// Plural name for readers (catalogue filters).
    pub fn plural(self, locale: &crate::locale::Locale) -> &str {
        locale.text(self.key("kinds"))
    }

    /// URL segment of the catalogue page for this kind.
    pub fn slug(self, locale: &crate::locale::Locale) -> String {
        crate::text::slug::slugify(self.plural(locale))
    }

    /// Heading of the product card under a post that names the product.
    pub fn card_heading(self, locale: &crate::locale::Locale) -> &str {
        locale.text(self.key("kind_heading"))
    }

    /// The translation key `group.<name>`.
    fn key(self, group: &str) -> &'static str {
        match (group, self) {
            ("kind", Kind::Ebook) => "kind.ebook",
            ("kind", Kind::Template) => "kind.template",
            ("kind", Kind::Course) => "kind.course",
            ("kind", Kind::Plugin) => "kind.plugin",
            ("kind", Kind::Newsletter) => "kind.newsletter",
            ("kind", Kind::Coaching) => "kind.coaching",
            ("kind", Kind::Bundle) => "kind.bundle",
            ("kinds", Kind::Ebook) => "kinds.ebook",
            ("kinds", Kind::Template) => "kinds.template",
            ("kinds", Kind::Course) => "kinds.course",
            ("kinds", Kind::Plugin) => "kinds.plugin",
            ("kinds", Kind::Newsletter) => "kinds.newsletter",
            ("kinds", Kind::Coaching) => "kinds.coaching",
            ("kinds", Kind::Bundle) => "kinds.bundle",
            (_, Kind::Ebook) => "kind_heading.ebook",
            (_, Kind::Template) => "kind_heading.template",
            (_, Kind::Course) => "kind_heading.course",
            (_, Kind::Plugin) => "kind_heading.plugin",
            (_, Kind::Newsletter) => "kind_heading.newsletter",
            (_, Kind::Coaching) => "kind_heading.coaching",
            (_, Kind::Bundle) => "kind_heading.bundle",
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

    /// For readers ("sofort verfügbar"; for a coaching "Termine frei").
    pub fn label(self, kind: Kind, locale: &crate::locale::Locale) -> &str {
        locale.text(match (self, kind) {
            (Availability::Available, Kind::Coaching) => "availability.service",
            (Availability::Available, _) => "availability.available",
            (Availability::Preorder, _) => "availability.preorder",
            (Availability::SoldOut, _) => "availability.sold_out",
        })
    }

    /// The badge cards and buy blocks show ("Ausverkauft", "Vorbestellung"); none when it can
    /// simply be bought.
    pub fn badge(self, locale: &crate::locale::Locale) -> Option<&str> {
        match self {
            Availability::Available => None,
            Availability::Preorder => Some(locale.text("badge.preorder")),
            Availability::SoldOut => Some(locale.text("badge.sold_out")),
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
    /// The price, with its sale and billing interval.
    pub price: Price,
    /// Currency.
    pub currency: &'static Currency,
    /// Availability on the build's date (a preorder whose release date has come is available).
    pub availability: Availability,
    /// When a preordered product comes out.
    pub release: Option<crate::date::PageDate>,
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
    /// The price to pay on the build's date (the sale price while a sale runs).
    pub fn current_price(&self) -> i64 {
        self.price.current()
    }

    /// Applies the build's date: a sale past its last day ends, a preorder whose release date
    /// has come is available. Each is a warning, so the author tidies the front matter.
    pub fn settle(&mut self, now: jiff::Timestamp, file: &str) -> Vec<crate::error::Diagnostic> {
        let mut out: Vec<_> = self.price.settle(now, file).into_iter().collect();
        if let (Availability::Preorder, Some(r)) = (self.availability, self.release) {
            if r.timestamp() <= now {
                self.availability = Availability::Available;
                out.push(crate::error::Diagnostic::warning(
                    file,
                    0,
                    0,
                    format!("the preorder's release date {} has come: the product is shown as available; change `availability`", r.iso()),
                ));
            }
        }
        out
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
    /// The price, with its own sale and interval.
    #[serde(skip)]
    pub price: Price,
    /// Currency.
    #[serde(skip)]
    pub currency: &'static Currency,
    /// The price as shown on the build's date (set by [`Offer::settle`]).
    #[serde(flatten)]
    pub view: PriceView,
    /// Checkout.
    pub checkout: Checkout,
    /// Description.
    pub description: Option<Md>,
    /// File formats.
    pub formats: Vec<String>,
    /// Its own availability (else the product's).
    #[serde(skip)]
    pub own_availability: Option<Availability>,
    /// Availability on the build's date.
    pub availability: Availability,
    /// "Ausverkauft", "Vorbestellung".
    pub badge: Option<String>,
    /// Can it be bought?
    pub buyable: bool,
    /// Highlighted as the recommended one.
    pub recommended: bool,
}

impl Offer {
    /// Applies the build's date and the product's availability; fills what templates show.
    pub fn settle(
        &mut self,
        now: jiff::Timestamp,
        file: &str,
        product: Option<Availability>,
        locale: &crate::locale::Locale,
    ) -> Option<crate::error::Diagnostic> {
        let w = self.price.settle(now, file);
        self.view = self.price.view(self.currency, locale);
        // A sold-out product sells no package; otherwise the offer's own word counts.
        self.availability = match (product, self.own_availability) {
            (Some(Availability::SoldOut), _) => Availability::SoldOut,
            (_, Some(a)) => a,
            (Some(a), None) => a,
            (None, None) => Availability::Available,
        };
        self.badge = self.availability.badge(locale).map(str::to_string);
        self.buyable = self.availability != Availability::SoldOut;
        w
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;
    use crate::yaml::Node;
    use checker::known_provider;

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
            (
                p.price.amount,
                p.price.sale.as_ref().map(|s| s.price),
                p.current_price()
            ),
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
        let b = parse_blocks(&n, &mut c, None, &[], "EUR");
        assert_eq!(b.len(), 1);
        assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
        assert_eq!(c.errors[0].line, 6);
        assert!(c.errors[0].message.contains("did you mean `hero`"));
        assert_eq!(c.errors[1].line, 7);
        assert!(c.errors[1].message.contains("needs `text`"));
    }
}
