//! The one place kiosk reads TOML: front matter between `+++` lines, as Zola and Hugo write it.
//! The toml crate parses it with byte spans; each value becomes the same located [`Field`] and
//! [`Node`] YAML gives, so every check after it is the same. Dates stay text as written, numbers
//! keep their literal (`19.90` stays `19.90`).

use crate::text::LineIndex;
use crate::yaml::{Field, Key, Node, NodeKind, YamlError};
use serde_json::Value;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// Parses `text` as a TOML table of front matter fields.
pub fn parse_mapping(text: &str) -> Result<Vec<Field>, YamlError> {
    let lines = LineIndex::new(text);
    let at = |offset: usize| {
        let (l, c) = lines.locate(offset);
        (l + 1, c)
    };
    let table = DeTable::parse(text).map_err(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| at(s.start));
        YamlError {
            line,
            col,
            message: e.message().trim().to_string(),
            duplicate: None,
        }
    })?;
    Ok(table
        .into_inner()
        .into_iter()
        .map(|(k, v)| {
            let (key_line, key_col) = at(k.span().start);
            let node = node(&v, &at);
            Field {
                key: k.into_inner().to_string(),
                key_line,
                key_col,
                value: node.to_value(),
                line: node.line,
                col: node.col,
                node,
            }
        })
        .collect())
}

fn node(v: &Spanned<DeValue>, at: &dyn Fn(usize) -> (usize, usize)) -> Node {
    let (line, col) = at(v.span().start);
    let scalar =
        |value: Value, raw: String| Node::new(line, col, Some(raw), NodeKind::Scalar(value));
    match v.get_ref() {
        DeValue::String(s) => scalar(Value::String(s.to_string()), s.to_string()),
        DeValue::Integer(i) => {
            let raw = i.as_str().replace('_', "");
            let value = i64::from_str_radix(&raw, i.radix())
                .map_or_else(|_| Value::String(raw.clone()), Value::from);
            scalar(value, raw)
        }
        DeValue::Float(f) => {
            let raw = f.as_str().replace('_', "");
            let value = raw
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number);
            scalar(value, raw)
        }
        DeValue::Boolean(b) => scalar(Value::Bool(*b), b.to_string()),
        // Dates are text, read by kiosk's own date parser like YAML's.
        DeValue::Datetime(d) => scalar(Value::String(d.to_string()), d.to_string()),
        DeValue::Array(items) => Node::new(
            line,
            col,
            None,
            NodeKind::Seq(items.iter().map(|i| node(i, at)).collect()),
        ),
        DeValue::Table(t) => Node::new(
            line,
            col,
            None,
            NodeKind::Map(
                t.iter()
                    .map(|(k, v)| {
                        let (kl, kc) = at(k.span().start);
                        let key = Key {
                            name: k.get_ref().to_string(),
                            line: kl,
                            col: kc,
                        };
                        (key, node(v, at))
                    })
                    .collect(),
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_locations_and_zola_shapes() {
        let f = parse_mapping(
            "title = \"Hallo\"\ndate = 2024-05-01\nprice = 19.90\n\n[taxonomies]\ntags = [\"rust\", \"zola\"]\n\n[extra]\nhero = \"x.png\"\n",
        )
        .unwrap();
        let by = |k: &str| f.iter().find(|x| x.key == k).unwrap();
        assert_eq!(by("title").value, serde_json::json!("Hallo"));
        assert_eq!((by("title").key_line, by("title").col), (1, 9));
        assert_eq!(by("date").value, serde_json::json!("2024-05-01"));
        assert_eq!(by("price").node.raw.as_deref(), Some("19.90"));
        let tax = &by("taxonomies").node;
        assert_eq!(tax.get("tags").unwrap().line, 6);
        assert_eq!(by("extra").value["hero"], "x.png");
    }

    #[test]
    fn errors_have_a_place() {
        let e = parse_mapping("title = \"A\"\ndate = \n").unwrap_err();
        assert_eq!(e.line, 2, "{e:?}");
        assert!(!e.message.is_empty());
        let dup = parse_mapping("title = \"A\"\ntitle = \"B\"\n").unwrap_err();
        assert_eq!(dup.line, 2, "{dup:?}");
    }
}
