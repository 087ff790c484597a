//! `legal:` in `kiosk.yaml`: the provider's details a German site must show (§ 5 DDG), kept in
//! one place and rendered by the `impressum` shortcode as a structured address.

use crate::error::did_you_mean;
use crate::yaml;
use serde::Serialize;
use serde_json::Value;

/// The provider's details.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Legal {
    /// Full name of the person (or the company's name).
    pub name: String,
    /// Business name, when it differs.
    pub business: Option<String>,
    /// Legal form and representative of a company (`GmbH, vertreten durch …`).
    pub representative: Option<String>,
    /// Street and number.
    pub street: String,
    /// Postcode (text: `04109`).
    pub postcode: String,
    /// City.
    pub city: String,
    /// Country.
    pub country: Option<String>,
    /// E-mail address.
    pub email: String,
    /// Telephone number as written.
    pub phone: Option<String>,
    /// It for a `tel:` link (`+493411234567`).
    pub phone_link: Option<String>,
    /// VAT identification number (§ 27a UStG).
    pub vat_id: Option<String>,
    /// Kleinunternehmer: no VAT charged (§ 19 UStG).
    pub small_business: bool,
    /// Responsible for the content (§ 18 Abs. 2 MStV).
    pub responsible: Option<String>,
    /// Register court and number (`Amtsgericht Leipzig, HRB 12345`).
    pub register: Option<String>,
    /// Supervisory authority.
    pub authority: Option<String>,
    /// Chamber, professional title and rules of regulated professions.
    pub chamber: Option<String>,
}

const KEYS: &[&str] = &[
    "name",
    "business",
    "representative",
    "street",
    "postcode",
    "city",
    "country",
    "email",
    "phone",
    "vat_id",
    "small_business",
    "responsible",
    "register",
    "authority",
    "chamber",
];

/// What § 5 DDG requires in every case: a name, a postal address and an e-mail address.
pub const REQUIRED: &[&str] = &["name", "street", "postcode", "city", "email"];

/// Reads `legal:`.
pub(super) fn parse(v: &Value) -> Result<Legal, String> {
    let Value::Object(m) = v else {
        return Err(format!(
            "`legal` must be a mapping (name, street, postcode, city, email, …), found {}",
            yaml::type_name(v)
        ));
    };
    for k in m.keys() {
        if !KEYS.contains(&k.as_str()) {
            return Err(format!(
                "unknown key `{k}` in `legal`{}; known: {}",
                did_you_mean(k, KEYS.iter().copied()),
                KEYS.join(", ")
            ));
        }
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(other) => Err(format!(
                "`legal.{key}` must be text, found {}",
                yaml::type_name(other)
            )),
        }
    };
    let small_business = match m.get("small_business") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(format!(
                "`legal.small_business` must be true or false, found {}",
                yaml::type_name(other)
            ))
        }
    };
    let phone = text("phone")?;
    Ok(Legal {
        name: text("name")?.unwrap_or_default(),
        business: text("business")?,
        representative: text("representative")?,
        street: text("street")?.unwrap_or_default(),
        postcode: text("postcode")?.unwrap_or_default(),
        city: text("city")?.unwrap_or_default(),
        country: text("country")?,
        email: text("email")?.unwrap_or_default(),
        phone_link: phone.as_deref().map(tel),
        phone,
        vat_id: text("vat_id")?,
        small_business,
        responsible: text("responsible")?,
        register: text("register")?,
        authority: text("authority")?,
        chamber: text("chamber")?,
    })
}

/// `+49 (0)341 123-4567` → `+493411234567` for a `tel:` link.
fn tel(phone: &str) -> String {
    let without_trunk = phone.replace("(0)", "");
    let mut out: String = without_trunk
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    if let Some(rest) = out.strip_prefix("00") {
        out = format!("+{rest}");
    }
    out
}

impl Legal {
    /// The keys of [`REQUIRED`] that are empty.
    pub fn missing(&self) -> Vec<&'static str> {
        REQUIRED
            .iter()
            .copied()
            .filter(|k| match *k {
                "name" => self.name.is_empty(),
                "street" => self.street.is_empty(),
                "postcode" => self.postcode.is_empty(),
                "city" => self.city.is_empty(),
                _ => self.email.is_empty(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn legal_details() {
        let l = parse(&json!({"name": "Lena Hoffmann", "street": "Musterstraße 12", "postcode": "04109", "city": "Leipzig", "email": "hallo@lena.example", "phone": "+49 (0)341 123-4567", "small_business": true})).unwrap();
        assert_eq!(l.phone_link.as_deref(), Some("+493411234567"));
        assert!(l.missing().is_empty());
        let partial = parse(&json!({"name": "X"})).unwrap();
        assert_eq!(
            partial.missing(),
            vec!["street", "postcode", "city", "email"]
        );
        assert!(parse(&json!({"nmae": "X"}))
            .unwrap_err()
            .contains("did you mean `name`"));
        assert!(parse(&json!({"small_business": "ja"})).is_err());
        assert_eq!(tel("0049 341 12"), "+4934112");
    }
}
