//! Money: amounts as whole minor units (cents), never floats, over the whole range of `i64`;
//! ISO 4217 currencies. Formatting for readers is the locale's ([`crate::locale::Locale`]).

/// A currency kiosk knows.
#[derive(Debug, PartialEq, Eq)]
pub struct Currency {
    /// ISO 4217 code.
    pub code: &'static str,
    /// Symbol, or the code itself when there is no common symbol.
    pub symbol: &'static str,
    /// Digits after the decimal point.
    pub minor: u32,
}

macro_rules! currencies {
    ($( $code:literal $sym:literal $minor:literal ),* $(,)?) => {
        &[ $( Currency { code: $code, symbol: $sym, minor: $minor } ),* ]
    };
}

/// Active ISO 4217 currencies.
pub const CURRENCIES: &[Currency] = currencies![
    "AED" "AED" 2, "ARS" "ARS" 2, "AUD" "A$" 2, "BGN" "BGN" 2, "BRL" "R$" 2, "CAD" "CA$" 2,
    "CHF" "CHF" 2, "CLP" "CLP" 0, "CNY" "CN¥" 2, "COP" "COP" 2, "CZK" "Kč" 2, "DKK" "kr." 2,
    "EGP" "EGP" 2, "EUR" "€" 2, "GBP" "£" 2, "HKD" "HK$" 2, "HUF" "Ft" 2, "IDR" "IDR" 2,
    "ILS" "₪" 2, "INR" "₹" 2, "ISK" "kr" 0, "JPY" "¥" 0, "KRW" "₩" 0, "MXN" "MX$" 2,
    "MYR" "RM" 2, "NOK" "kr" 2, "NZD" "NZ$" 2, "PHP" "₱" 2, "PLN" "zł" 2, "RON" "lei" 2,
    "RSD" "RSD" 2, "SAR" "SAR" 2, "SEK" "kr" 2, "SGD" "S$" 2, "THB" "฿" 2, "TRY" "₺" 2,
    "TWD" "NT$" 2, "UAH" "₴" 2, "USD" "$" 2, "VND" "₫" 0, "ZAR" "R" 2,
];

/// Looks up a currency by its ISO code (case-insensitive).
pub fn currency(code: &str) -> Option<&'static Currency> {
    let code = code.trim().to_ascii_uppercase();
    CURRENCIES.iter().find(|c| c.code == code)
}

/// Parses an amount as written (`19`, `19.9`, `19.99`) into minor units, exactly.
pub fn parse_amount(raw: &str, cur: &Currency) -> Result<i64, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("the amount is empty".into());
    }
    if s.contains(',') {
        return Err(format!(
            "`{s}`: write amounts with a dot and no thousands separator, e.g. 1234.50"
        ));
    }
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (digits.contains('.') && frac.is_empty())
    {
        return Err(format!("`{s}` is not an amount like 19.99"));
    }
    if frac.len() > cur.minor as usize {
        return Err(if cur.minor == 0 {
            format!("`{s}`: {} amounts have no decimals", cur.code)
        } else {
            format!("`{s}` has more than {} decimals", cur.minor)
        });
    }
    let scale = 10i128.pow(cur.minor);
    let too_large = || format!("`{s}` is too large");
    let significant = whole.trim_start_matches('0');
    if significant.len() > 20 {
        return Err(too_large());
    }
    let whole: i128 = if significant.is_empty() {
        0
    } else {
        significant.parse().map_err(|_| too_large())?
    };
    let mut frac_units: i128 = 0;
    for (i, b) in frac.bytes().enumerate() {
        frac_units += i128::from(b - b'0') * 10i128.pow(cur.minor - 1 - i as u32);
    }
    let v = whole * scale + frac_units;
    i64::try_from(if neg { -v } else { v }).map_err(|_| too_large())
}

/// The amount as a plain decimal with a dot (`1234.50`), for structured data.
pub fn decimal(units: i64, cur: &Currency) -> String {
    let (sign, whole, frac) = parts(units, cur);
    if frac.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac}")
    }
}

/// Sign, whole units and the zero-padded fraction of an amount: `-1234.5 €` is
/// (`-`, `1234`, `50`).
pub fn parts(units: i64, cur: &Currency) -> (&'static str, String, String) {
    let scale = 10u64.pow(cur.minor);
    let a = units.unsigned_abs();
    let sign = if units < 0 { "-" } else { "" };
    let frac = if cur.minor == 0 {
        String::new()
    } else {
        format!("{:0width$}", a % scale, width = cur.minor as usize)
    };
    (sign, (a / scale).to_string(), frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> &'static Currency {
        currency("EUR").unwrap()
    }

    #[test]
    fn parsing_is_exact() {
        let cases = [
            ("19.99", 1999),
            ("19.9", 1990),
            ("19", 1900),
            ("0.01", 1),
            ("0.10", 10),
            ("1234.50", 123_450),
            ("999999999.99", 99_999_999_999),
            ("-5", -500),
        ];
        for (raw, cents) in cases {
            assert_eq!(parse_amount(raw, eur()), Ok(cents), "{raw}");
        }
        for bad in [
            "19,99",
            "1.234",
            "abc",
            "",
            "1e3",
            "19.",
            ".5",
            "1.2.3",
            "99999999999999999999",
        ] {
            assert!(parse_amount(bad, eur()).is_err(), "{bad}");
        }
        assert!(parse_amount("100.5", currency("JPY").unwrap()).is_err());
        assert_eq!(parse_amount("1500", currency("JPY").unwrap()), Ok(1500));
    }

    fn format(units: i64, cur: &Currency, lang: &str) -> String {
        crate::locale::Locale::new(lang).format_money(units, cur)
    }

    #[test]
    fn extremes_are_exact_or_located_errors() {
        for cents in [i64::MAX, i64::MIN, i64::MAX - 1, i64::MIN + 1, 0, -1] {
            for cur in [eur(), currency("JPY").unwrap()] {
                let d = decimal(cents, cur);
                assert_eq!(parse_amount(&d, cur), Ok(cents), "{d}");
            }
        }
        for big in [
            "92233720368547758.08",
            "-92233720368547758.09",
            "99999999999999999999999",
        ] {
            assert!(
                parse_amount(big, eur()).unwrap_err().contains("too large"),
                "{big}"
            );
        }
        assert_eq!(
            parse_amount("0000000000000000000000019.99", eur()),
            Ok(1999)
        );
        assert_eq!(
            format(i64::MIN, eur(), "de"),
            "-92.233.720.368.547.758,08\u{a0}€"
        );
    }

    #[test]
    fn german_formatting() {
        let nb = '\u{a0}';
        let cases = [
            (1999, format!("19,99{nb}€")),
            (123_450, format!("1.234,50{nb}€")),
            (5, format!("0,05{nb}€")),
            (100_000_000, format!("1.000.000,00{nb}€")),
            (99_999_999_999, format!("999.999.999,99{nb}€")),
            (0, format!("0,00{nb}€")),
        ];
        for (cents, s) in cases {
            assert_eq!(format(cents, eur(), "de"), s);
        }
        assert_eq!(
            format(1999, currency("CHF").unwrap(), "de"),
            format!("19,99{nb}CHF")
        );
    }

    #[test]
    fn english_formatting() {
        let cases = [
            (1999, "€19.99"),
            (123_450, "€1,234.50"),
            (100_000_000, "€1,000,000.00"),
        ];
        for (cents, s) in cases {
            assert_eq!(format(cents, eur(), "en"), s);
        }
        assert_eq!(format(4900, currency("usd").unwrap(), "en"), "$49.00");
        assert_eq!(format(1500, currency("JPY").unwrap(), "en"), "¥1,500");
        assert_eq!(
            format(1999, currency("CHF").unwrap(), "en"),
            "CHF\u{a0}19.99"
        );
    }

    #[test]
    fn decimals_for_structured_data() {
        assert_eq!(decimal(1999, eur()), "19.99");
        assert_eq!(decimal(123_450, eur()), "1234.50");
        assert_eq!(decimal(5, eur()), "0.05");
        assert_eq!(decimal(1500, currency("JPY").unwrap()), "1500");
    }

    #[test]
    fn round_trip_never_drifts() {
        for cents in (0..200_000).step_by(7) {
            let d = decimal(cents, eur());
            assert_eq!(parse_amount(&d, eur()), Ok(cents));
        }
    }
}
