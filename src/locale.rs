//! The site's language, decided once from the config: every language-dependent decision kiosk
//! makes in Rust code lives here (quotes, dates, money, VAT wording, the texts kiosk writes itself).
//! Texts come from the theme's translation tables (`themes/default/i18n/<lang>.yaml`, embedded);
//! formatting rules (month names, separators, quotes) are code below.

use crate::date::PageDate;
use crate::money::Currency;
use jiff::fmt::strtime;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// The languages kiosk speaks. Any other language code gets English texts and formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// German (`de`, `de-AT`, `de-CH`, …).
    De,
    /// English, and the fallback for every other code.
    En,
}

impl Lang {
    fn of(code: &str) -> Lang {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        if primary.eq_ignore_ascii_case("de") {
            Lang::De
        } else {
            Lang::En
        }
    }

    fn table_source(self) -> &'static str {
        match self {
            Lang::De => include_str!("../themes/default/i18n/de.yaml"),
            Lang::En => include_str!("../themes/default/i18n/en.yaml"),
        }
    }
}

/// Texts by dotted key (`kind.ebook`).
type Table = BTreeMap<String, String>;

fn table(lang: Lang) -> Arc<Table> {
    static DE: OnceLock<Arc<Table>> = OnceLock::new();
    static EN: OnceLock<Arc<Table>> = OnceLock::new();
    let cell = match lang {
        Lang::De => &DE,
        Lang::En => &EN,
    };
    cell.get_or_init(|| Arc::new(parse_table(lang.table_source())))
        .clone()
}

/// Flattens a YAML mapping of texts into dotted keys. The embedded tables are checked by a test,
/// so a broken one is a build-time bug, never a user's problem.
fn parse_table(yaml: &str) -> Table {
    parse_texts(yaml).unwrap_or_default()
}

/// Flattens a YAML mapping of texts into dotted keys, or the YAML error.
fn parse_texts(yaml: &str) -> Result<Table, crate::yaml::YamlError> {
    fn walk(prefix: &str, node: &crate::yaml::Node, out: &mut Table) {
        match &node.kind {
            crate::yaml::NodeKind::Map(entries) => {
                for (k, v) in entries {
                    let key = if prefix.is_empty() {
                        k.name.clone()
                    } else {
                        format!("{prefix}.{}", k.name)
                    };
                    walk(&key, v, out);
                }
            }
            _ => {
                if let Some(t) = node.text() {
                    out.insert(prefix.to_string(), t);
                }
            }
        }
    }
    let mut out = Table::new();
    for f in crate::yaml::parse_mapping(yaml)? {
        walk(&f.key, &f.node, &mut out);
    }
    Ok(out)
}

/// Which quotation marks smart punctuation produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteStyle {
    /// “English” and ‘English’ (what pulldown-cmark writes).
    English,
    /// „Deutsch“ and ‚Deutsch‘.
    German,
}

/// The site's language and what follows from it.
#[derive(Debug, Clone)]
pub struct Locale {
    code: String,
    lang: Lang,
    texts: Arc<Table>,
    /// The texts of the site's other languages (with the site's own), for `t(…, lang=…)`.
    others: Arc<BTreeMap<String, Arc<Table>>>,
}

impl PartialEq for Locale {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Default for Locale {
    fn default() -> Self {
        Locale::new("de")
    }
}

const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS_DE: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];
const DAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

impl Locale {
    /// The locale for a language code from the config (`de`, `en`, `de-AT`, …).
    pub fn new(code: &str) -> Locale {
        let lang = Lang::of(code);
        Locale {
            code: code.to_string(),
            lang,
            texts: table(lang),
            others: Arc::default(),
        }
    }

    /// This locale with a site's own texts (the text of `i18n/<lang>.yaml`) over the theme's,
    /// key by key; keys the theme does not have are added (for the site's own templates).
    pub fn with_site_texts(&self, yaml: &str) -> Result<Locale, crate::yaml::YamlError> {
        let own = parse_texts(yaml)?;
        let mut texts = (*self.texts).clone();
        texts.extend(own);
        Ok(Locale {
            texts: Arc::new(texts),
            ..self.clone()
        })
    }

    /// This locale, knowing the texts of the site's languages `others` (each the locale of
    /// that language, the site's own texts included).
    pub fn with_others(&self, others: &[Locale]) -> Locale {
        let map = others
            .iter()
            .map(|l| (l.code.clone(), l.texts.clone()))
            .collect();
        Locale {
            others: Arc::new(map),
            ..self.clone()
        }
    }

    /// The locale of another language of the site (`t(key=…, lang="en")`), with the site's own
    /// texts when the site has that language.
    pub fn in_language(&self, code: &str) -> Locale {
        match self.others.get(code) {
            Some(texts) => Locale {
                code: code.to_string(),
                lang: Lang::of(code),
                texts: texts.clone(),
                others: self.others.clone(),
            },
            None => Locale::new(code),
        }
    }

    /// This locale with the texts of `default` (the site's default language) it lacks, and
    /// the keys of those, sorted: a site's own key written only for the default language.
    pub fn fill_from(&self, default: &Locale) -> (Locale, Vec<String>) {
        // A text with plural forms in one language and without in the other is there.
        let has = |k: &str| {
            self.texts.contains_key(k)
                || k.rsplit_once('.').is_some_and(|(base, form)| {
                    matches!(form, "one" | "other") && self.texts.contains_key(base)
                })
                || ["one", "other"]
                    .iter()
                    .any(|f| self.texts.contains_key(&format!("{k}.{f}")))
        };
        let missing: Vec<(&String, &String)> =
            default.texts.iter().filter(|(k, _)| !has(k)).collect();
        if missing.is_empty() {
            return (self.clone(), Vec::new());
        }
        let mut texts = (*self.texts).clone();
        texts.extend(missing.iter().map(|(k, v)| ((*k).clone(), (*v).clone())));
        let keys = missing.into_iter().map(|(k, _)| k.clone()).collect();
        let locale = Locale {
            texts: Arc::new(texts),
            ..self.clone()
        };
        (locale, keys)
    }

    /// The text for `key` with a plural form chosen by `count` (`key.one` for 1, else
    /// `key.other`; a key without forms is used as it is), `{count}` filled in.
    pub fn plural(&self, key: &str, count: i64) -> Option<String> {
        let form = if count == 1 { "one" } else { "other" };
        let text = self
            .lookup(&format!("{key}.{form}"))
            .or_else(|| self.lookup(key))?;
        Some(text.replace("{count}", &count.to_string()))
    }

    /// The language code as configured (for `<html lang>`, feeds, structured data).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// A text kiosk writes itself, by key (the key itself when the table lacks it).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts.get(key).map_or(key, String::as_str)
    }

    /// The text for `key`, if the language has one.
    pub fn lookup(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// A text with `{name}` placeholders filled in.
    pub fn text_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.text(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// The quotation marks of the language.
    pub fn quotes(&self) -> QuoteStyle {
        match self.lang {
            Lang::De => QuoteStyle::German,
            Lang::En => QuoteStyle::English,
        }
    }

    /// The decimal separator.
    pub fn decimal_separator(&self) -> char {
        match self.lang {
            Lang::De => ',',
            Lang::En => '.',
        }
    }

    /// Month name, 1-based.
    pub fn month_name(&self, month: i8) -> &'static str {
        let i = (month as usize).saturating_sub(1) % 12;
        match self.lang {
            Lang::De => MONTHS_DE[i],
            Lang::En => MONTHS_EN[i],
        }
    }

    /// Weekday name, Monday first.
    pub fn weekday_name(&self, monday_zero: usize) -> &'static str {
        match self.lang {
            Lang::De => DAYS_DE[monday_zero % 7],
            Lang::En => DAYS_EN[monday_zero % 7],
        }
    }

    /// Formats a date for readers. `format` is `long` (22. November 2026 / November 22, 2026),
    /// `short` (22.11.2026 / 2026-11-22), `iso`, or a strftime pattern in which `%B` and `%A` are
    /// localized.
    pub fn format_date(&self, date: &PageDate, format: &str) -> String {
        let d = date.datetime;
        match (format, self.lang) {
            ("long", Lang::De) => {
                format!("{}. {} {}", d.day(), self.month_name(d.month()), d.year())
            }
            ("long", Lang::En) => {
                format!("{} {}, {}", self.month_name(d.month()), d.day(), d.year())
            }
            ("short", Lang::De) => format!("{:02}.{:02}.{}", d.day(), d.month(), d.year()),
            ("short" | "iso", _) => d.date().to_string(),
            (pattern, _) => {
                let weekday = d.date().weekday().to_monday_zero_offset() as usize;
                let localized = pattern
                    .replace("%B", self.month_name(d.month()))
                    .replace("%A", self.weekday_name(weekday));
                let mut out = String::new();
                let tm = strtime::BrokenDownTime::from(d);
                if tm.format(&localized, &mut out).is_err() {
                    return d.date().to_string();
                }
                out
            }
        }
    }

    /// Formats an amount for readers: de `1.234,50 €` (non-breaking space before the symbol),
    /// en `€1,234.50` (or `CHF 19.99` where the symbol is the code).
    pub fn format_money(&self, units: i64, cur: &Currency) -> String {
        let (sign, whole, frac) = crate::money::parts(units, cur);
        match self.lang {
            Lang::De => {
                let num = group(&whole, '.');
                let num = if frac.is_empty() {
                    num
                } else {
                    format!("{num},{frac}")
                };
                format!("{sign}{num}\u{a0}{}", cur.symbol)
            }
            Lang::En => {
                let num = group(&whole, ',');
                let num = if frac.is_empty() {
                    num
                } else {
                    format!("{num}.{frac}")
                };
                if cur.symbol == cur.code {
                    format!("{sign}{}\u{a0}{num}", cur.code)
                } else {
                    format!("{sign}{}{num}", cur.symbol)
                }
            }
        }
    }

    /// File sizes for readers: "820 Bytes", "121 KB", "3,4 MB".
    pub fn human_size(&self, bytes: u64) -> String {
        if bytes < 1000 {
            return format!("{bytes} Bytes");
        }
        if bytes < 1_000_000 {
            return format!("{} KB", bytes.div_ceil(1000));
        }
        let tenths = (bytes + 50_000) / 100_000;
        format!(
            "{}{}{} MB",
            tenths / 10,
            self.decimal_separator(),
            tenths % 10
        )
    }

    /// A display title for a taxonomy name: the table's, else the name capitalised.
    pub fn taxonomy_title(&self, name: &str) -> String {
        let key = format!("taxonomy.{name}");
        match self.texts.get(&key) {
            Some(t) => t.clone(),
            None => {
                let mut c = name.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        }
    }

    /// Does German law apply to the site's legal pages (Impressum, Datenschutz)?
    pub fn german_legal_pages(&self) -> bool {
        self.lang == Lang::De
    }
}

/// Groups digits in threes: `1234567` → `1.234.567`.
fn group(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tables_have_the_same_keys() {
        let de = table(Lang::De);
        let en = table(Lang::En);
        assert!(de.len() > 30, "{}", de.len());
        let dk: Vec<&String> = de.keys().collect();
        let ek: Vec<&String> = en.keys().collect();
        assert_eq!(dk, ek);
    }

    #[test]
    fn plural_forms_and_site_texts() {
        let de = Locale::new("de");
        assert_eq!(de.plural("reading_time", 1).unwrap(), "1 Min. Lesezeit");
        assert_eq!(de.plural("posts", 5).unwrap(), "5 Beiträge");
        assert_eq!(Locale::new("en").plural("posts", 1).unwrap(), "1 post");
        let own = de
            .with_site_texts("card:\n  more: Mehr lesen\nmein:\n  gruss: Hallo\n")
            .unwrap();
        assert_eq!(own.text("card.more"), "Mehr lesen");
        assert_eq!(own.text("mein.gruss"), "Hallo");
        assert_eq!(own.text("nav.skip"), "Zum Inhalt springen");
        let bad = de
            .with_site_texts("card:\n  more: [unclosed\n")
            .unwrap_err();
        assert_eq!(bad.line, 2);
    }

    #[test]
    fn languages() {
        assert_eq!(Locale::new("de-AT").lang, Lang::De);
        assert_eq!(Locale::new("en").lang, Lang::En);
        assert_eq!(Locale::new("fr").lang, Lang::En);
        assert_eq!(Locale::new("de").text("kind.template"), "Vorlage");
        assert_eq!(Locale::new("en").text("kind.template"), "Template");
        assert_eq!(Locale::new("de").text("no.such.key"), "no.such.key");
        assert_eq!(
            Locale::new("de").text_with(
                "buy.at_provider",
                &[("action", "Jetzt kaufen"), ("provider", "Gumroad")]
            ),
            "Jetzt kaufen bei Gumroad"
        );
    }

    #[test]
    fn dates() {
        let d = PageDate::parse("2026-11-22").unwrap();
        let de = Locale::new("de");
        let en = Locale::new("en");
        assert_eq!(de.format_date(&d, "long"), "22. November 2026");
        assert_eq!(en.format_date(&d, "long"), "November 22, 2026");
        assert_eq!(de.format_date(&d, "short"), "22.11.2026");
        assert_eq!(
            de.format_date(&PageDate::parse("2026-03-01").unwrap(), "%d. %B %Y"),
            "01. März 2026"
        );
        assert_eq!(de.format_date(&d, "%A"), "Sonntag");
    }

    #[test]
    fn sizes_and_titles() {
        let de = Locale::new("de");
        assert_eq!(de.human_size(820), "820 Bytes");
        assert_eq!(de.human_size(120_400), "121 KB");
        assert_eq!(de.human_size(3_400_000), "3,4 MB");
        assert_eq!(Locale::new("en").human_size(3_400_000), "3.4 MB");
        assert_eq!(de.taxonomy_title("tags"), "Schlagwörter");
        assert_eq!(de.taxonomy_title("serien"), "Serien");
    }
}
