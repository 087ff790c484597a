//! Views and structured data for products: formatted prices with the VAT note, buy buttons,
//! catalogue filters, the newsletter form, and JSON-LD built from the same values as the
//! visible text.

use super::views::{Link, Views};
use crate::content::product::{Availability, Block, Kind, Product};
use crate::content::{Page, Target};
use crate::money;
use serde::Serialize;
use serde_json::{json, Value};

/// A product as templates see it.
#[derive(Debug, Serialize)]
pub struct ProductView<'a> {
    /// `ebook`, `course`, …
    pub kind: Kind,
    /// "E-Book", "Kurs", …
    pub kind_label: &'static str,
    /// Heading for the card under a post ("Das E-Book zum Thema").
    pub card_heading: &'static str,
    /// Price to pay now, in minor units.
    pub price: i64,
    /// ISO currency code.
    pub currency: &'static str,
    /// Price to pay now, formatted ("19,99 €").
    pub price_display: String,
    /// Price to pay now as a dot decimal ("19.99").
    pub price_decimal: String,
    /// The regular price, formatted, while a sale runs (shown struck through).
    pub regular_display: Option<String>,
    /// Last day of the sale.
    pub sale_until: Option<String>,
    /// "inkl. MwSt." or the Kleinunternehmer sentence.
    pub vat_note: Option<String>,
    /// Availability.
    pub availability: Availability,
    /// Availability for readers.
    pub availability_label: &'static str,
    /// Absolute URL of the cover.
    pub cover: Option<String>,
    /// The sample download.
    pub sample: Option<SampleView>,
    /// File formats.
    pub formats: &'a [String],
    /// ISBN.
    pub isbn: Option<&'a str>,
    /// SKU.
    pub sku: Option<&'a str>,
    /// Pages.
    pub pages: Option<u64>,
    /// Duration.
    pub duration: Option<&'a str>,
    /// The buy button.
    pub checkout: CheckoutView<'a>,
}

/// A sample download.
#[derive(Debug, Serialize)]
pub struct SampleView {
    /// Absolute URL.
    pub url: String,
    /// "PDF".
    pub format: String,
    /// "120 KB".
    pub size: String,
}

/// A buy button.
#[derive(Debug, Serialize)]
pub struct CheckoutView<'a> {
    /// Target.
    pub url: &'a str,
    /// Provider name.
    pub provider: Option<&'a str>,
    /// Button text.
    pub label: String,
}

/// Sizes for readers: "820 Bytes", "120 KB", "3,4 MB".
pub fn human_size(bytes: u64, lang: &str) -> String {
    let de = lang.starts_with("de");
    if bytes < 1000 {
        return format!("{bytes} Bytes");
    }
    if bytes < 1_000_000 {
        return format!("{} KB", bytes.div_ceil(1000));
    }
    let tenths = (bytes + 50_000) / 100_000;
    let s = format!(
        "{}{}{} MB",
        tenths / 10,
        if de { ',' } else { '.' },
        tenths % 10
    );
    s
}

fn button_label(p: &Product, lang: &str) -> String {
    if let Some(l) = &p.checkout.label {
        return l.clone();
    }
    let de = lang.starts_with("de");
    let base = match (p.availability, de) {
        (Availability::Preorder, true) => "Jetzt vorbestellen",
        (Availability::Preorder, false) => "Pre-order now",
        (_, true) => "Jetzt kaufen",
        (_, false) => "Buy now",
    };
    match &p.checkout.provider {
        Some(name) if de => format!("{base} bei {name}"),
        Some(name) => format!("{base} on {name}"),
        None => base.to_string(),
    }
}

impl<'a> Views<'a> {
    /// The product of page `pi`, if it has one.
    pub fn product(&self, pi: usize) -> Option<ProductView<'a>> {
        let page: &'a Page = &self.lib.pages[pi];
        let p = page.product.as_ref()?;
        let lang = self.config.language.as_str();
        let de = lang.starts_with("de");
        let cur = p.currency;
        Some(ProductView {
            kind: p.kind,
            kind_label: p.kind.label(lang),
            card_heading: p.kind.card_heading(lang),
            price: p.current_price(),
            currency: cur.code,
            price_display: money::format(p.current_price(), cur, lang),
            price_decimal: money::decimal(p.current_price(), cur),
            regular_display: p.sale_price.map(|_| money::format(p.price, cur, lang)),
            sale_until: p.sale_until.map(|d| d.to_string()),
            vat_note: self.config.vat_text(),
            availability: p.availability,
            availability_label: match (p.availability, de) {
                (Availability::Available, true) => "sofort verfügbar",
                (Availability::Available, false) => "available now",
                (Availability::Preorder, true) => "Vorbestellung",
                (Availability::Preorder, false) => "pre-order",
                (Availability::SoldOut, true) => "ausverkauft",
                (Availability::SoldOut, false) => "sold out",
            },
            cover: p
                .cover
                .as_ref()
                .map(|c| self.url(&format!("{}{c}", page.path))),
            sample: p.sample.as_ref().map(|s| SampleView {
                url: self.url(&format!("{}{}", page.path, s.file)),
                format: s.format.clone(),
                size: human_size(s.size, lang),
            }),
            formats: &p.formats,
            isbn: p.isbn.as_deref(),
            sku: p.sku.as_ref().map(|s| s.0.as_str()),
            pages: p.pages,
            duration: p.duration.as_deref(),
            checkout: CheckoutView {
                url: &p.checkout.url,
                provider: p.checkout.provider.as_deref(),
                label: button_label(p, lang),
            },
        })
    }

    /// Product pages, by weight then title.
    pub fn featured_products(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.lib.pages.len())
            .filter(|&i| {
                self.lib.pages[i]
                    .product
                    .as_ref()
                    .is_some_and(|p| p.featured)
            })
            .collect();
        v.sort_by(|&a, &b| {
            let (pa, pb) = (&self.lib.pages[a], &self.lib.pages[b]);
            pa.meta
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&pb.meta.weight.unwrap_or(i64::MAX))
                .then(pa.title.cmp(&pb.title))
        });
        v
    }

    /// Kinds present in a section, for the catalogue filter.
    pub fn kinds(&self, si: usize, current: Option<Kind>) -> Vec<KindLink> {
        let s = &self.lib.sections[si];
        if !s.has_products {
            return Vec::new();
        }
        let lang = &self.config.language;
        let mut kinds: Vec<Kind> = s
            .pages
            .iter()
            .filter_map(|&p| self.lib.pages[p].product.as_ref().map(|x| x.kind))
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
            .into_iter()
            .map(|k| KindLink {
                label: k.plural(lang),
                url: self.url(&format!("{}{}/", s.path, k.slug(lang))),
                count: s
                    .pages
                    .iter()
                    .filter(|&&p| {
                        self.lib.pages[p]
                            .product
                            .as_ref()
                            .is_some_and(|x| x.kind == k)
                    })
                    .count(),
                current: current == Some(k),
            })
            .collect()
    }

    /// Terms of the `topics` taxonomy used by a section's products.
    pub fn topics(&self, si: usize) -> Vec<Link<'a>> {
        let s = &self.lib.sections[si];
        if !s.has_products {
            return Vec::new();
        }
        let mut seen: Vec<(&'a str, &'a str)> = Vec::new();
        for &p in &s.pages {
            let page: &'a Page = &self.lib.pages[p];
            for (tax, name, path) in &page.terms {
                if tax == "topics" && !seen.iter().any(|(_, pth)| pth == path) {
                    seen.push((name.as_str(), path.as_str()));
                }
            }
        }
        seen.sort_by_key(|(n, _)| n.to_lowercase());
        seen.into_iter()
            .map(|(title, path)| Link {
                title,
                url: self.url(path),
            })
            .collect()
    }

    /// The signup form, when configured.
    pub fn newsletter(&self, privacy_url: Option<String>) -> Option<NewsletterView<'a>> {
        let n = self.config.newsletter.as_ref()?;
        Some(NewsletterView {
            action: &n.action,
            email_field: &n.email_field,
            name_field: n.name_field.as_deref(),
            hidden: n
                .hidden
                .iter()
                .map(|(k, v)| Hidden { name: k, value: v })
                .collect(),
            title: &n.title,
            text: crate::templates::markdown_snippet(&n.text, &self.config.language),
            button: &n.button,
            privacy_url: privacy_url.unwrap_or_default(),
        })
    }

    /// JSON-LD blocks for a page, from the same values the page shows.
    pub fn page_json_ld(&self, pi: usize) -> Vec<String> {
        let p = &self.lib.pages[pi];
        let url = self.url(&p.path);
        let mut out = Vec::new();
        let mut strings: Vec<String> = Vec::new();
        let author = self.author_json();
        let description = p.meta.description.clone().unwrap_or_default();
        if let (Some(pr), Some(view)) = (&p.product, self.product(pi)) {
            let mut offers = vec![offer_json(&view, &url)];
            for b in &p.blocks {
                if let Block::Buy { offers: extra, .. } = b {
                    for o in extra {
                        offers.push(json!({
                            "@type": "Offer",
                            "name": o.label,
                            "price": o.price_decimal,
                            "priceCurrency": view.currency,
                            "availability": pr.availability.schema(),
                            "url": o.checkout.url,
                        }));
                    }
                }
            }
            let mut product = json!({
                "@context": "https://schema.org",
                "@type": "Product",
                "name": p.title,
                "description": description,
                "url": url,
                "offers": if offers.len() == 1 { offers[0].clone() } else { Value::Array(offers.clone()) },
            });
            if let Some(c) = &view.cover {
                product["image"] = json!([c]);
            }
            if let Some(s) = view.sku {
                product["sku"] = json!(s);
            }
            if !self.config.author.name.is_empty() {
                product["brand"] = json!({"@type": "Brand", "name": self.config.author.name});
            }
            out.push(product);
            match pr.kind {
                Kind::Ebook => {
                    let mut book = json!({
                        "@context": "https://schema.org",
                        "@type": "Book",
                        "name": p.title,
                        "description": description,
                        "url": url,
                        "bookFormat": "https://schema.org/EBook",
                        "author": author,
                        "inLanguage": self.config.language,
                        "offers": offers[0],
                    });
                    if let Some(i) = &pr.isbn {
                        book["isbn"] = json!(i);
                    }
                    if let Some(n) = pr.pages {
                        book["numberOfPages"] = json!(n);
                    }
                    if let Some(c) = &view.cover {
                        book["image"] = json!(c);
                    }
                    out.push(book);
                }
                Kind::Course => out.push(json!({
                    "@context": "https://schema.org",
                    "@type": "Course",
                    "name": p.title,
                    "description": description,
                    "url": url,
                    "provider": author,
                    "inLanguage": self.config.language,
                    "offers": offers[0],
                })),
                _ => {}
            }
        } else if let Some(d) = p.date {
            #[derive(Serialize)]
            struct Person<'x> {
                #[serde(rename = "@type")]
                ty: &'static str,
                name: &'x str,
                url: &'x str,
            }
            #[derive(Serialize)]
            struct Posting<'x> {
                #[serde(rename = "@context")]
                context: &'static str,
                #[serde(rename = "@type")]
                ty: &'static str,
                headline: &'x str,
                description: &'x str,
                url: &'x str,
                #[serde(rename = "mainEntityOfPage")]
                main_entity: &'x str,
                #[serde(rename = "datePublished")]
                published: String,
                #[serde(rename = "dateModified")]
                modified: String,
                author: Person<'x>,
                #[serde(rename = "inLanguage")]
                language: &'x str,
                #[serde(skip_serializing_if = "Option::is_none")]
                keywords: Option<String>,
            }
            let tags: Vec<&str> = p
                .terms
                .iter()
                .filter(|t| t.0 == "tags")
                .map(|t| t.1.as_str())
                .collect();
            let a = &self.config.author;
            let post = Posting {
                context: "https://schema.org",
                ty: "BlogPosting",
                headline: &p.title,
                description: &description,
                url: &url,
                main_entity: &url,
                published: d.rfc3339(),
                modified: p.meta.updated.as_ref().map_or(d, |u| u.value).rfc3339(),
                author: Person {
                    ty: "Person",
                    name: if a.name.is_empty() {
                        &self.config.title
                    } else {
                        &a.name
                    },
                    url: &self.config.base_url,
                },
                language: &self.config.language,
                keywords: (!tags.is_empty()).then(|| tags.join(", ")),
            };
            strings.push(script_safe_ser(&post));
        }
        for b in &p.blocks {
            if let Block::Faq { items, .. } = b {
                out.push(json!({
                    "@context": "https://schema.org",
                    "@type": "FAQPage",
                    "mainEntity": items.iter().map(|q| json!({
                        "@type": "Question",
                        "name": q.question,
                        "acceptedAnswer": {"@type": "Answer", "text": q.answer.html.trim()},
                    })).collect::<Vec<_>>(),
                }));
            }
        }
        let mut all: Vec<String> = out.iter().map(script_safe).collect();
        all.extend(strings);
        all.push(self.breadcrumbs(p.section, Some((&p.title, url))));
        all
    }

    /// JSON-LD for a section page (breadcrumbs; on the home page, the person or organization).
    pub fn section_json_ld(&self, si: usize) -> Vec<String> {
        let mut out = Vec::new();
        if si == 0 {
            let links: Vec<&str> = self
                .config
                .author
                .links
                .iter()
                .map(|l| l.url.as_str())
                .collect();
            let who = if self.config.author.name.is_empty() {
                json!({"@context": "https://schema.org", "@type": "Organization", "name": self.config.title, "url": self.config.base_url, "sameAs": links})
            } else {
                let mut p = json!({"@context": "https://schema.org", "@type": "Person", "name": self.config.author.name, "url": self.config.base_url, "sameAs": links});
                if !self.config.author.bio.is_empty() {
                    p["description"] = json!(self.config.author.bio);
                }
                p
            };
            out.push(who);
        } else {
            return vec![self.breadcrumbs(si, None)];
        }
        out.iter().map(script_safe).collect()
    }

    fn author_json(&self) -> Value {
        let a = &self.config.author;
        let name = if a.name.is_empty() {
            &self.config.title
        } else {
            &a.name
        };
        json!({"@type": "Person", "name": name, "url": self.config.base_url})
    }

    fn breadcrumbs(&self, si: usize, last: Option<(&str, String)>) -> String {
        let mut chain = Vec::new();
        let mut cur = Some(si);
        while let Some(i) = cur {
            let s = &self.lib.sections[i];
            let name = if i == 0 {
                self.config.title.as_str()
            } else {
                s.title.as_str()
            };
            chain.push((name.to_string(), self.url(&s.path)));
            cur = s.parent;
        }
        chain.reverse();
        if let Some((t, u)) = last {
            chain.push((t.to_string(), u));
        }
        #[derive(Serialize)]
        struct Item<'x> {
            #[serde(rename = "@type")]
            ty: &'static str,
            position: usize,
            name: &'x str,
            item: &'x str,
        }
        #[derive(Serialize)]
        struct List<'x> {
            #[serde(rename = "@context")]
            context: &'static str,
            #[serde(rename = "@type")]
            ty: &'static str,
            #[serde(rename = "itemListElement")]
            items: Vec<Item<'x>>,
        }
        script_safe_ser(&List {
            context: "https://schema.org",
            ty: "BreadcrumbList",
            items: chain
                .iter()
                .enumerate()
                .map(|(i, (name, item))| Item {
                    ty: "ListItem",
                    position: i + 1,
                    name,
                    item,
                })
                .collect(),
        })
    }

    /// The page that holds the privacy statement: `newsletter.privacy_page`, else a top-level
    /// page with the slug `datenschutz`, `privacy` or `privacy-policy`.
    pub fn privacy_page(&self) -> Option<String> {
        let configured = self
            .config
            .newsletter
            .as_ref()
            .and_then(|n| n.privacy_page.as_deref());
        let i = match configured {
            Some(path) => match self.lib.find(path.trim_start_matches("@/")) {
                Some(Target::Page(i)) => i,
                _ => return None,
            },
            None => self.lib.sections[0].pages.iter().copied().find(|&i| {
                matches!(
                    self.lib.pages[i].slug.as_str(),
                    "datenschutz" | "privacy" | "privacy-policy"
                )
            })?,
        };
        Some(self.url(&self.lib.pages[i].path))
    }
}

fn offer_json(view: &ProductView, url: &str) -> Value {
    let mut o = json!({
        "@type": "Offer",
        "price": view.price_decimal,
        "priceCurrency": view.currency,
        "availability": view.availability_schema(),
        "url": url,
    });
    if let Some(u) = &view.sale_until {
        o["priceValidUntil"] = json!(u);
    }
    o
}

impl ProductView<'_> {
    fn availability_schema(&self) -> &'static str {
        self.availability.schema()
    }
}

/// JSON that can sit inside `<script>`: no `</` can end the element early.
fn script_safe(v: &Value) -> String {
    script_safe_ser(v)
}

fn script_safe_ser<T: Serialize>(v: &T) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    if s.contains("</") {
        s.replace("</", "<\\/")
    } else {
        s
    }
}

/// A catalogue filter link.
#[derive(Debug, Serialize)]
pub struct KindLink {
    /// "E-Books".
    pub label: &'static str,
    /// Absolute URL of the filtered page.
    pub url: String,
    /// Products of this kind.
    pub count: usize,
    /// Is this the page being rendered?
    pub current: bool,
}

/// A hidden form field.
#[derive(Debug, Serialize)]
pub struct Hidden<'a> {
    /// Name.
    pub name: &'a str,
    /// Value.
    pub value: &'a str,
}

/// The newsletter form.
#[derive(Debug, Serialize)]
pub struct NewsletterView<'a> {
    /// Form action (https).
    pub action: &'a str,
    /// E-mail field name.
    pub email_field: &'a str,
    /// First-name field name.
    pub name_field: Option<&'a str>,
    /// Hidden fields.
    pub hidden: Vec<Hidden<'a>>,
    /// Heading.
    pub title: &'a str,
    /// Text (HTML).
    pub text: String,
    /// Button label.
    pub button: &'a str,
    /// URL of the privacy page.
    pub privacy_url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(human_size(820, "de"), "820 Bytes");
        assert_eq!(human_size(120_400, "de"), "121 KB");
        assert_eq!(human_size(3_400_000, "de"), "3,4 MB");
        assert_eq!(human_size(3_400_000, "en"), "3.4 MB");
    }

    #[test]
    fn script_safe_json() {
        assert_eq!(
            script_safe(&json!({"a": "</script>"})),
            r#"{"a":"<\/script>"}"#
        );
    }
}
