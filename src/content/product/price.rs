//! A price as a page shows it on the day of the build: the regular amount, a sale that ends by
//! itself after its last day, and for subscriptions the billing interval and a free trial. The
//! product and every offer of a `buy` block use the same rules, so the page, its cards and its
//! JSON-LD always agree.

use super::Checker;
use crate::date::PageDate;
use crate::error::Diagnostic;
use crate::locale::Locale;
use crate::money::{self, Currency};
use crate::yaml::Node;
use jiff::Timestamp;
use serde::Serialize;

/// How often a subscription is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    /// Every week.
    Week,
    /// Every month.
    Month,
    /// Every year.
    Year,
}

impl Interval {
    /// The UN/CEFACT unit code schema.org uses (`MON`).
    pub fn unit_code(self) -> &'static str {
        match self {
            Interval::Week => "WEE",
            Interval::Month => "MON",
            Interval::Year => "ANN",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Interval::Week => "interval.week",
            Interval::Month => "interval.month",
            Interval::Year => "interval.year",
        }
    }
}

/// A reduced price, until the end of `until` (or as long as it is written).
#[derive(Debug, Clone, PartialEq)]
pub struct Sale {
    /// The reduced amount in minor units.
    pub price: i64,
    /// Its last day (or, with a time, its last moment).
    pub until: Option<PageDate>,
    /// Where `sale_until` is written.
    pub at: (usize, usize),
}

impl Sale {
    /// The moment the sale is over: the end of its last day (UTC) for a date, the instant for
    /// a date with a time.
    pub fn end(&self) -> Option<Timestamp> {
        let d = self.until?;
        if d.date_only {
            let next = d.datetime.date().tomorrow().ok()?;
            jiff::tz::Offset::UTC
                .to_timestamp(next.to_datetime(jiff::civil::Time::midnight()))
                .ok()
        } else {
            Some(d.timestamp())
        }
    }
}

/// A price with its sale and billing interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// The regular amount in minor units.
    pub amount: i64,
    /// A sale, as written.
    pub sale: Option<Sale>,
    /// Billing interval of a subscription.
    pub interval: Option<Interval>,
    /// Days of a free trial.
    pub trial_days: Option<u32>,
    /// Has the sale ended by the build's date? (Set by [`Price::settle`].)
    pub sale_over: bool,
}

impl Price {
    /// The sale running on the build's date.
    pub fn running_sale(&self) -> Option<&Sale> {
        self.sale.as_ref().filter(|_| !self.sale_over)
    }

    /// The amount to pay on the build's date.
    pub fn current(&self) -> i64 {
        self.running_sale().map_or(self.amount, |s| s.price)
    }

    /// Ends the sale when its last day is over by `now`; the warning names where it is written.
    pub fn settle(&mut self, now: Timestamp, file: &str) -> Option<Diagnostic> {
        let sale = self.sale.as_ref()?;
        let end = sale.end()?;
        if now < end {
            return None;
        }
        self.sale_over = true;
        let until = sale.until.map(|d| d.iso()).unwrap_or_default();
        Some(Diagnostic::warning(
            file,
            sale.at.0,
            sale.at.1,
            format!("the sale ended with {until}: the regular price is shown everywhere; remove `sale_price` and `sale_until`"),
        ))
    }

    /// How the page shows the price.
    pub fn view(&self, cur: &Currency, locale: &Locale) -> PriceView {
        let per = self.interval.map(|i| locale.text(i.key()).to_string());
        let shown = |amount: i64| {
            let m = locale.format_money(amount, cur);
            match &per {
                Some(p) => format!("{m} / {p}"),
                None => m,
            }
        };
        let sale = self.running_sale();
        PriceView {
            price: self.current(),
            price_display: shown(self.current()),
            price_decimal: money::decimal(self.current(), cur),
            regular_display: sale.map(|_| shown(self.amount)),
            sale_until: sale
                .and_then(|s| s.until)
                .map(|d| d.datetime.date().to_string()),
            per,
            trial: self
                .trial_days
                .map(|d| locale.text_with("trial", &[("days", &d.to_string())])),
        }
    }
}

/// A price as templates see it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PriceView {
    /// The amount to pay now, in minor units.
    pub price: i64,
    /// It, formatted, with the billing interval ("5,00 € / Monat").
    pub price_display: String,
    /// It as a dot decimal for structured data ("5.00").
    pub price_decimal: String,
    /// The regular price while a sale runs (shown struck through).
    pub regular_display: Option<String>,
    /// The sale's last day (ISO date) while it runs.
    pub sale_until: Option<String>,
    /// The billing interval for readers ("Monat").
    pub per: Option<String>,
    /// The free trial for readers ("14 Tage kostenlos testen").
    pub trial: Option<String>,
}

/// Reads `price`, `sale_price`, `sale_until`, `interval` and `trial_days` of `n`.
pub fn parse(n: &Node, c: &mut Checker, cur: &Currency, what: &str) -> Option<Price> {
    let amount = if n.get("price").is_none_or(Node::is_null) {
        c.err(n, format!("{what} needs `price` (e.g. price: 19.99)"));
        None
    } else {
        c.amount(n, "price", cur, what)
    };
    let sale_price = c.amount(n, "sale_price", cur, what);
    if let (Some(p), Some(s)) = (amount, sale_price) {
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
    let until_node = n.get("sale_until");
    let until = c
        .text(n, "sale_until", what)
        .and_then(|s| match PageDate::parse(&s) {
            Ok(d) => Some(d),
            Err(e) => {
                c.err(until_node.unwrap_or(n), format!("`sale_until`: {e}"));
                None
            }
        });
    if until.is_some() && sale_price.is_none() {
        c.err(until_node.unwrap_or(n), "`sale_until` without `sale_price`");
    }
    let at = until_node.map_or((n.line, n.col), |u| (u.line, u.col));
    Some(Price {
        amount: amount?,
        sale: sale_price.map(|price| Sale { price, until, at }),
        interval: interval(n, c, what),
        trial_days: trial_days(n, c, what),
        sale_over: false,
    })
}

fn interval(n: &Node, c: &mut Checker, what: &str) -> Option<Interval> {
    let v = c.text(n, "interval", what)?;
    let found = match v.as_str() {
        "week" | "weekly" => Some(Interval::Week),
        "month" | "monthly" => Some(Interval::Month),
        "year" | "yearly" | "annual" => Some(Interval::Year),
        _ => None,
    };
    if found.is_none() {
        c.err(
            n.get("interval").unwrap_or(n),
            format!("unknown `interval` `{v}`; use week, month or year"),
        );
    }
    found
}

fn trial_days(n: &Node, c: &mut Checker, what: &str) -> Option<u32> {
    let v = n.get("trial_days")?;
    let days = v
        .to_value()
        .as_u64()
        .and_then(|d| u32::try_from(d).ok())
        .filter(|d| *d > 0 && *d <= 366);
    if days.is_none() {
        c.err(
            v,
            format!("`trial_days` in {what} must be a number of days from 1 to 366"),
        );
    }
    if n.get("interval").is_none() {
        c.err(
            v,
            "`trial_days` is for subscriptions: add `interval: month` (or week, year)",
        );
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(sale_until: Option<&str>) -> Price {
        Price {
            amount: 7900,
            sale: Some(Sale {
                price: 5900,
                until: sale_until.map(|d| PageDate::parse(d).unwrap()),
                at: (9, 15),
            }),
            interval: None,
            trial_days: None,
            sale_over: false,
        }
    }

    fn at(s: &str) -> Timestamp {
        PageDate::parse(s).unwrap().timestamp()
    }

    #[test]
    fn a_sale_ends_after_its_last_day() {
        let eur = money::currency("EUR").unwrap();
        let de = Locale::new("de");
        let mut on = price(Some("2026-12-31"));
        assert!(on.settle(at("2026-12-31T23:59:59Z"), "f.md").is_none());
        assert_eq!(on.current(), 5900);
        let v = on.view(eur, &de);
        assert_eq!(v.regular_display.as_deref(), Some("79,00\u{a0}€"));
        assert_eq!(v.sale_until.as_deref(), Some("2026-12-31"));
        let mut after = price(Some("2026-12-31"));
        let w = after.settle(at("2027-01-01T00:00:00Z"), "f.md").unwrap();
        assert_eq!((w.line, w.col), (9, 15));
        assert!(w.message.contains("ended with 2026-12-31"));
        assert_eq!(after.current(), 7900);
        let v = after.view(eur, &de);
        assert_eq!((v.regular_display, v.sale_until), (None, None));
        assert_eq!(v.price_decimal, "79.00");
        // With a time, to the second; without an end, for good.
        let mut exact = price(Some("2026-12-31T18:00:00+01:00"));
        assert!(exact.settle(at("2026-12-31T17:00:00Z"), "f.md").is_some());
        let mut open = price(None);
        assert!(open.settle(at("2099-01-01"), "f.md").is_none());
        assert_eq!(open.current(), 5900);
    }

    #[test]
    fn subscriptions_show_their_interval() {
        let eur = money::currency("EUR").unwrap();
        let p = Price {
            amount: 500,
            sale: None,
            interval: Some(Interval::Month),
            trial_days: Some(14),
            sale_over: false,
        };
        let de = p.view(eur, &Locale::new("de"));
        assert_eq!(de.price_display, "5,00\u{a0}€ / Monat");
        assert_eq!(de.trial.as_deref(), Some("14 Tage kostenlos testen"));
        let en = p.view(eur, &Locale::new("en"));
        assert_eq!(en.price_display, "€5.00 / month");
        assert_eq!(en.trial.as_deref(), Some("14-day free trial"));
    }
}
