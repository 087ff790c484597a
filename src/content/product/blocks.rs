//! Reading the `blocks:` of a landing page: one function per block type, each checking its keys
//! and reporting problems at their place.

use super::{Block, Chapter, Checker, Md, Offer, Product, Qa, Testimonial};
use crate::content::Asset;
use crate::error::did_you_mean;
use crate::money;
use crate::yaml::{Node, NodeKind};

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

/// What a block may refer to: the page's product and bundle files, the site's currency.
struct Page<'a> {
    product: Option<&'a Product>,
    assets: &'a [Asset],
    currency: &'a str,
}

/// Reads the `blocks:` of a landing page.
pub fn parse_blocks(
    n: &Node,
    c: &mut Checker,
    product: Option<&Product>,
    assets: &[Asset],
    currency: &str,
) -> Vec<Block> {
    if !matches!(n.kind, NodeKind::Seq(_)) {
        c.err(n, "`blocks` must be a list of blocks, each with a `type`");
        return Vec::new();
    }
    let page = Page {
        product,
        assets,
        currency,
    };
    n.items()
        .iter()
        .filter_map(|b| parse_block(b, c, &page))
        .collect()
}

fn parse_block(b: &Node, c: &mut Checker, page: &Page) -> Option<Block> {
    let Some(ty) = c.text(b, "type", "a block") else {
        c.err(
            b,
            format!("a block needs `type` ({})", BLOCK_TYPES.join(", ")),
        );
        return None;
    };
    let what = format!("block `{ty}`");
    match ty.as_str() {
        "hero" => hero(b, c, page, &what),
        "benefits" => benefits(b, c, &what),
        "toc" => toc(b, c, &what),
        "sample" => sample(b, c, page, &what),
        "testimonials" => testimonials(b, c, page, &what),
        "faq" => faq(b, c, &what),
        "author" => author(b, c, page, &what),
        "guarantee" => guarantee(b, c, &what),
        "buy" => buy(b, c, page, &what),
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
            None
        }
    }
}

fn needs_product(b: &Node, c: &mut Checker, page: &Page, what: &str) {
    if page.product.is_none() {
        c.err(
            b,
            format!("{what} needs a `product:` in this page's front matter"),
        );
    }
}

/// A required markdown text.
fn required_md(n: &Node, c: &mut Checker, key: &str, what: &str) -> Option<Md> {
    if n.get(key).is_some() {
        c.md(n, key, what)
    } else {
        c.err(n, format!("{what} needs `{key}`"));
        None
    }
}

fn hero(b: &Node, c: &mut Checker, page: &Page, what: &str) -> Option<Block> {
    c.map(b, &["type", "title", "subtitle"], what)?;
    needs_product(b, c, page, what);
    Some(Block::Hero {
        title: c.text(b, "title", what),
        subtitle: c.md(b, "subtitle", what),
    })
}

fn benefits(b: &Node, c: &mut Checker, what: &str) -> Option<Block> {
    c.map(b, &["type", "title", "items"], what)?;
    let items = c
        .items(b, "items", what)
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
    Some(Block::Benefits {
        title: c.text(b, "title", what),
        items,
    })
}

fn toc(b: &Node, c: &mut Checker, what: &str) -> Option<Block> {
    c.map(b, &["type", "title", "chapters"], what)?;
    let mut chapters = Vec::new();
    for ch in c.items(b, "chapters", what) {
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
    Some(Block::Toc {
        title: c.text(b, "title", what),
        chapters,
    })
}

fn sample(b: &Node, c: &mut Checker, page: &Page, what: &str) -> Option<Block> {
    c.map(b, &["type", "title", "text"], what)?;
    if page.product.is_some_and(|p| p.sample.is_none()) {
        c.err(
            b,
            "block `sample` needs `sample:` (a file in the bundle) in the product",
        );
    }
    needs_product(b, c, page, what);
    Some(Block::Sample {
        title: c.text(b, "title", what),
        text: c.md(b, "text", what),
    })
}

fn testimonials(b: &Node, c: &mut Checker, page: &Page, what: &str) -> Option<Block> {
    c.map(b, &["type", "title", "items"], what)?;
    let mut items = Vec::new();
    for t in c.items(b, "items", what) {
        if c.map(t, &["name", "role", "text", "photo"], "a testimonial")
            .is_none()
        {
            continue;
        }
        let name = c.required(t, "name", "a testimonial");
        let text = required_md(t, c, "text", "a testimonial");
        let photo = if t.get("photo").is_some() {
            c.bundle_file(t, "photo", "a testimonial", page.assets)
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
    Some(Block::Testimonials {
        title: c.text(b, "title", what),
        items,
    })
}

fn faq(b: &Node, c: &mut Checker, what: &str) -> Option<Block> {
    c.map(b, &["type", "title", "items"], what)?;
    let mut items = Vec::new();
    for q in c.items(b, "items", what) {
        if c.map(q, &["question", "answer"], "a question").is_none() {
            continue;
        }
        let question = c.required(q, "question", "a question");
        let answer = required_md(q, c, "answer", "a question");
        if let (Some(question), Some(answer)) = (question, answer) {
            items.push(Qa { question, answer });
        }
    }
    Some(Block::Faq {
        title: c.text(b, "title", what),
        items,
    })
}

fn author(b: &Node, c: &mut Checker, page: &Page, what: &str) -> Option<Block> {
    c.map(b, &["type", "title", "name", "bio", "photo"], what)?;
    let photo = if b.get("photo").is_some() {
        c.bundle_file(b, "photo", what, page.assets)
    } else {
        None
    };
    Some(Block::Author {
        title: c.text(b, "title", what),
        name: c.text(b, "name", what),
        bio: c.md(b, "bio", what),
        photo,
    })
}

fn guarantee(b: &Node, c: &mut Checker, what: &str) -> Option<Block> {
    c.map(b, &["type", "title", "text"], what)?;
    let text = required_md(b, c, "text", what);
    Some(Block::Guarantee {
        title: c.text(b, "title", what),
        text: text?,
    })
}

fn buy(b: &Node, c: &mut Checker, page: &Page, what: &str) -> Option<Block> {
    c.map(b, &["type", "title", "offers"], what)?;
    let mut offers = Vec::new();
    if b.get("offers").is_some() {
        // The product's currency, else the site's.
        let cur = page
            .product
            .map(|p| p.currency)
            .or_else(|| money::currency(page.currency))?;
        for o in c.items(b, "offers", what) {
            if let Some(offer) = offer(o, c, cur) {
                offers.push(offer);
            }
        }
        if offers.iter().filter(|o| o.recommended).count() > 1 {
            c.err(b, "only one offer can be `recommended: true`");
        }
    } else {
        needs_product(b, c, page, what);
    }
    Some(Block::Buy {
        title: c.text(b, "title", what),
        offers,
    })
}

const OFFER_KEYS: &[&str] = &[
    "label",
    "price",
    "sale_price",
    "sale_until",
    "interval",
    "trial_days",
    "checkout",
    "description",
    "formats",
    "availability",
    "recommended",
];

fn offer(o: &Node, c: &mut Checker, cur: &'static money::Currency) -> Option<Offer> {
    c.map(o, OFFER_KEYS, "an offer")?;
    let label = c.required(o, "label", "an offer");
    let price = super::price::parse(o, c, cur, "an offer");
    let checkout = c.checkout(o, "an offer");
    let description = c.md(o, "description", "an offer");
    let formats = c.list(o, "formats", "an offer");
    let own_availability = o
        .get("availability")
        .map(|_| super::parse::availability(o, c));
    let recommended = match o.get("recommended").map(|v| (v, v.to_value())) {
        None => false,
        Some((_, serde_json::Value::Bool(b))) => b,
        Some((v, _)) => {
            c.err(v, "`recommended` must be true or false");
            false
        }
    };
    let (label, price, checkout) = (label?, price?, checkout?);
    Some(Offer {
        label,
        view: super::PriceView {
            price: price.current(),
            price_display: String::new(),
            price_decimal: money::decimal(price.current(), cur),
            regular_display: None,
            sale_until: None,
            per: None,
            trial: None,
        },
        price,
        currency: cur,
        checkout,
        description,
        formats,
        own_availability,
        availability: own_availability.unwrap_or(super::Availability::Available),
        badge: None,
        buyable: true,
        recommended,
    })
}
