//! Products as templates see them: formatted prices with the VAT note, buy buttons, catalogue
//! filters, and the newsletter form.

use super::{Link, Views};
use crate::content::product::{Availability, Kind, PriceView, Product};
use crate::content::{Page, Target};
use crate::locale::Locale;
use serde::Serialize;

/// A product as templates see it.
#[derive(Debug, Serialize)]
pub struct ProductView<'a> {
    /// `ebook`, `course`, …
    pub kind: Kind,
    /// "E-Book", "Kurs", …
    pub kind_label: &'a str,
    /// Heading for the card under a post ("Das E-Book zum Thema").
    pub card_heading: &'a str,
    /// The price on the build's date: amount, display ("19,99 €", "5,00 € / Monat"), decimal,
    /// the regular price and last day while a sale runs, billing interval, trial.
    #[serde(flatten)]
    pub pricing: PriceView,
    /// ISO currency code.
    pub currency: &'static str,
    /// "inkl. MwSt." or the Kleinunternehmer sentence.
    pub vat_note: Option<String>,
    /// Availability on the build's date.
    pub availability: Availability,
    /// Availability for readers.
    pub availability_label: &'a str,
    /// "Ausverkauft", "Vorbestellung" (none when it can simply be bought).
    pub badge: Option<&'a str>,
    /// Can it be bought (not sold out)?
    pub buyable: bool,
    /// When a preorder comes out (ISO date).
    pub release_date: Option<String>,
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

fn button_label(p: &Product, locale: &Locale) -> String {
    if let Some(l) = &p.checkout.label {
        return l.clone();
    }
    let action = locale.text(match (p.availability, p.kind) {
        (Availability::Preorder, _) => "buy.preorder",
        (_, Kind::Coaching) => "buy.book",
        (_, Kind::Course) => "buy.enroll",
        (_, Kind::Newsletter) => "buy.subscribe",
        _ if p.price.interval.is_some() => "buy.subscribe",
        _ => "buy.now",
    });
    match &p.checkout.provider {
        Some(name) => {
            locale.text_with("buy.at_provider", &[("action", action), ("provider", name)])
        }
        None => action.to_string(),
    }
}

impl<'a> Views<'a> {
    /// The product of page `pi`, if it has one.
    pub fn product(&self, pi: usize) -> Option<ProductView<'a>> {
        let page: &'a Page = &self.lib.pages[pi];
        let p = page.product.as_ref()?;
        let locale: &'a Locale = &self.config.locale;
        let cur = p.currency;
        Some(ProductView {
            kind: p.kind,
            kind_label: p.kind.label(locale),
            card_heading: p.kind.card_heading(locale),
            pricing: p.price.view(cur, locale),
            currency: cur.code,
            vat_note: self.config.vat_text(),
            availability: p.availability,
            availability_label: p.availability.label(p.kind, locale),
            badge: p.availability.badge(locale),
            buyable: p.availability != Availability::SoldOut,
            release_date: p
                .release
                .filter(|_| p.availability == Availability::Preorder)
                .map(|d| d.datetime.date().to_string()),
            cover: p
                .cover
                .as_ref()
                .map(|c| self.url(&format!("{}{c}", page.folder()))),
            sample: p.sample.as_ref().map(|s| SampleView {
                url: self.url(&format!("{}{}", page.folder(), s.file)),
                format: s.format.clone(),
                size: locale.human_size(s.size),
            }),
            formats: &p.formats,
            isbn: p.isbn.as_deref(),
            sku: p.sku.as_ref().map(|s| s.0.as_str()),
            pages: p.pages,
            duration: p.duration.as_deref(),
            checkout: CheckoutView {
                url: &p.checkout.url,
                provider: p.checkout.provider.as_deref(),
                label: button_label(p, locale),
            },
        })
    }

    /// Product pages, by weight then title.
    pub fn featured_products(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.lib.pages.len())
            .filter(|&i| self.lib.pages[i].published())
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
    pub fn kinds(&self, si: usize, current: Option<Kind>) -> Vec<KindLink<'a>> {
        let s = &self.lib.sections[si];
        if !s.has_products {
            return Vec::new();
        }
        let locale: &'a Locale = &self.config.locale;
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
                label: k.plural(locale),
                url: self.url(&format!("{}{}/", s.path, k.slug(locale))),
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
            title: n
                .title
                .as_deref()
                .unwrap_or(self.config.locale.text("newsletter.title")),
            text: crate::markdown::snippet(&n.text, &self.config.locale),
            button: n
                .button
                .as_deref()
                .unwrap_or(self.config.locale.text("newsletter.button")),
            privacy_url: privacy_url.unwrap_or_default(),
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

/// A catalogue filter link.
#[derive(Debug, Serialize)]
pub struct KindLink<'a> {
    /// "E-Books".
    pub label: &'a str,
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
