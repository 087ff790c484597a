//! Structured data (schema.org JSON-LD) for pages and sections, built from the same values the
//! page shows: a product's offers carry the prices printed beside them.

use super::{ProductView, Views};
use crate::content::product::{Availability, Block, Kind, Price, PriceView, Product};
use crate::content::Page;
use serde::Serialize;
use serde_json::{json, Value};

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

#[derive(Serialize)]
struct Crumb<'x> {
    #[serde(rename = "@type")]
    ty: &'static str,
    position: usize,
    name: &'x str,
    item: &'x str,
}

#[derive(Serialize)]
struct Crumbs<'x> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    ty: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<Crumb<'x>>,
}

impl Views<'_> {
    /// JSON-LD blocks for a page, from the same values the page shows.
    pub fn page_json_ld(&self, pi: usize) -> Vec<String> {
        let p = &self.lib.pages[pi];
        let url = self.url(&p.path);
        let mut all: Vec<String> = Vec::new();
        let product = p.product.as_ref().zip(self.product(pi));
        if let Some((pr, view)) = &product {
            all.extend(
                self.product_json_ld(p, pr, view, &url)
                    .iter()
                    .map(script_safe),
            );
        }
        all.extend(faq_json_ld(p).iter().map(script_safe));
        if product.is_none() && p.date.is_some() {
            all.push(self.posting_json_ld(p, &url));
        }
        all.push(self.breadcrumbs(p.section, Some((&p.title, url))));
        all
    }

    /// Product (with every offer), and Book or Course for those kinds.
    fn product_json_ld(&self, p: &Page, pr: &Product, view: &ProductView, url: &str) -> Vec<Value> {
        let description = p.meta.description.clone().unwrap_or_default();
        let mut offers = vec![offer_json(
            &pr.price,
            &view.pricing,
            view.currency,
            view.availability,
            url,
        )];
        if let (Some(r), Availability::Preorder) = (pr.release, pr.availability) {
            offers[0]["availabilityStarts"] = json!(r.datetime.date().to_string());
        }
        for b in &p.blocks {
            if let Block::Buy { offers: extra, .. } = b {
                offers.extend(extra.iter().map(|o| {
                    // The offer's address is the page that shows it (schema.org, Google), not the
                    // checkout: a sold-out package links nowhere to buy.
                    let mut j = offer_json(&o.price, &o.view, o.currency.code, o.availability, url);
                    j["name"] = json!(o.label);
                    j
                }));
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
        let mut out = vec![product];
        let language = self.config.locale.code();
        match pr.kind {
            Kind::Ebook => {
                let mut book = json!({
                    "@context": "https://schema.org",
                    "@type": "Book",
                    "name": p.title,
                    "description": description,
                    "url": url,
                    "bookFormat": "https://schema.org/EBook",
                    "author": self.author_json(),
                    "inLanguage": language,
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
                "provider": self.author_json(),
                "inLanguage": language,
                "offers": offers[0],
            })),
            _ => {}
        }
        out
    }

    /// A dated page is a BlogPosting.
    fn posting_json_ld(&self, p: &Page, url: &str) -> String {
        let Some(d) = p.date else {
            return String::new();
        };
        let tags: Vec<&str> = p
            .terms
            .iter()
            .filter(|t| t.0 == "tags")
            .map(|t| t.1.as_str())
            .collect();
        let a = &self.config.author;
        let authors = self.authors(p);
        script_safe(&Posting {
            context: "https://schema.org",
            ty: "BlogPosting",
            headline: &p.title,
            description: p.meta.description.as_deref().unwrap_or_default(),
            url,
            main_entity: url,
            published: d.rfc3339(),
            modified: p.meta.updated.as_ref().map_or(d, |u| u.value).rfc3339(),
            author: Person {
                ty: "Person",
                name: authors.first().copied().unwrap_or(if a.name.is_empty() {
                    &self.config.title
                } else {
                    &a.name
                }),
                url: &self.config.base_url,
            },
            language: self.config.locale.code(),
            keywords: (!tags.is_empty()).then(|| tags.join(", ")),
        })
    }

    /// JSON-LD for a section page (breadcrumbs; on the home page, the person or organization).
    pub fn section_json_ld(&self, si: usize) -> Vec<String> {
        if si != 0 {
            return vec![self.breadcrumbs(si, None)];
        }
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
        vec![script_safe(&who)]
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
        script_safe(&Crumbs {
            context: "https://schema.org",
            ty: "BreadcrumbList",
            items: chain
                .iter()
                .enumerate()
                .map(|(i, (name, item))| Crumb {
                    ty: "ListItem",
                    position: i + 1,
                    name,
                    item,
                })
                .collect(),
        })
    }
}

/// FAQPage for each `faq` block.
fn faq_json_ld(p: &Page) -> Vec<Value> {
    p.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Faq { items, .. } => Some(json!({
                "@context": "https://schema.org",
                "@type": "FAQPage",
                "mainEntity": items.iter().map(|q| json!({
                    "@type": "Question",
                    "name": q.question,
                    "acceptedAnswer": {"@type": "Answer", "text": q.answer.html.trim()},
                })).collect::<Vec<_>>(),
            })),
            _ => None,
        })
        .collect()
}

/// An offer: the price of the build's date, its availability, the sale's last day while it
/// runs, and for a subscription its billing interval (schema.org `UnitPriceSpecification`, as
/// Google documents it for subscriptions).
fn offer_json(
    price: &Price,
    view: &PriceView,
    currency: &str,
    availability: Availability,
    url: &str,
) -> Value {
    let mut o = json!({
        "@type": "Offer",
        "price": view.price_decimal,
        "priceCurrency": currency,
        "availability": availability.schema(),
        "url": url,
    });
    if let Some(u) = &view.sale_until {
        o["priceValidUntil"] = json!(u);
    }
    if let Some(i) = price.interval {
        let unit = json!({"@type": "QuantitativeValue", "value": 1, "unitCode": i.unit_code()});
        o["priceSpecification"] = json!({
            "@type": "UnitPriceSpecification",
            "price": view.price_decimal,
            "priceCurrency": currency,
            "billingDuration": unit,
            "referenceQuantity": unit,
        });
    }
    o
}

pub use crate::text::script_safe_json as script_safe;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json() {
        assert_eq!(
            script_safe(&json!({"a": "</script>"})),
            r#"{"a":"\u003c/script\u003e"}"#
        );
    }
}
