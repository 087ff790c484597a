//! The one place kiosk reads YAML (serde-saphyr): a top-level mapping becomes a list of fields,
//! each with the line and column of its key and of its value, so every later check can point at
//! the exact place in the file.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::Spanned;
use std::fmt;

/// One `key: value` of a YAML mapping (or `key = value` of TOML), with locations relative to
/// the text (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The key as written.
    pub key: String,
    /// Line of the key.
    pub key_line: usize,
    /// Column of the key.
    pub key_col: usize,
    /// The value, as plain data (strings stay strings: `NO`, `yes` and `01234` are not coerced).
    pub value: Value,
    /// Line of the value.
    pub line: usize,
    /// Column of the value.
    pub col: usize,
    /// The value with the location of every nested part.
    pub node: Node,
}

/// A YAML value with its location (relative to the YAML text) and, for scalars, the text as
/// written (so `19.90` is still `19.90`, not the float 19.9).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// Source text of a scalar (quotes removed).
    pub raw: Option<String>,
    /// What it is.
    pub kind: NodeKind,
    span: Option<(usize, usize)>,
}

/// The shape of a [`Node`].
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// Text, number, boolean or null.
    Scalar(Value),
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in source order.
    Map(Vec<(Key, Node)>),
}

/// A mapping key and its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key.
    pub name: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
}

impl Node {
    /// A node made by another reader (TOML), with its location and the scalar as written.
    pub fn new(line: usize, col: usize, raw: Option<String>, kind: NodeKind) -> Node {
        Node {
            line,
            col,
            raw,
            kind,
            span: None,
        }
    }

    /// The node as plain data.
    pub fn to_value(&self) -> Value {
        match &self.kind {
            NodeKind::Scalar(v) => v.clone(),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            NodeKind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_value()))
                    .collect(),
            ),
        }
    }

    /// The entry `key` of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A scalar as text: strings as they are, numbers and booleans as written.
    pub fn text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::Scalar(Value::String(s)) => Some(s.clone()),
            NodeKind::Scalar(Value::Number(n)) => {
                Some(self.raw.clone().unwrap_or_else(|| n.to_string()))
            }
            NodeKind::Scalar(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        }
    }

    /// True for a null (empty) value.
    pub fn is_null(&self) -> bool {
        matches!(self.kind, NodeKind::Scalar(Value::Null))
    }

    /// The items of a list (empty for anything else).
    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The entries of a mapping (empty for anything else).
    pub fn entries(&self) -> &[(Key, Node)] {
        match &self.kind {
            NodeKind::Map(e) => e,
            _ => &[],
        }
    }

    /// Adds to this mapping the entries of `from` (a mapping) whose keys it lacks, placed at
    /// this node (they were written in another file), and does the same for mappings both
    /// have under one key. Anything but two mappings stays as it is.
    pub fn inherit(&mut self, from: &Node) {
        let (line, col) = (self.line, self.col);
        let (NodeKind::Map(own), NodeKind::Map(theirs)) = (&mut self.kind, &from.kind) else {
            return;
        };
        for (k, n) in theirs {
            match own.iter_mut().find(|(o, _)| o.name == k.name) {
                // A mapping in both (`checkout:` with only its `label` translated): key by key.
                Some((_, mine)) => mine.inherit(n),
                None => {
                    let mut n = n.clone();
                    n.place(line, col);
                    let key = Key {
                        line,
                        col,
                        ..k.clone()
                    };
                    own.push((key, n));
                }
            }
        }
    }

    /// Places this node and everything in it at one line and column.
    fn place(&mut self, line: usize, col: usize) {
        (self.line, self.col) = (line, col);
        match &mut self.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Seq(items) => items.iter_mut().for_each(|n| n.place(line, col)),
            NodeKind::Map(entries) => entries.iter_mut().for_each(|(k, n)| {
                (k.line, k.col) = (line, col);
                n.place(line, col);
            }),
        }
    }

    /// Shifts all lines by `offset` (to count from the top of the file).
    pub fn shift(&mut self, offset: usize) {
        self.line += offset;
        match &mut self.kind {
            NodeKind::Scalar(_) => {}
            NodeKind::Seq(items) => items.iter_mut().for_each(|n| n.shift(offset)),
            NodeKind::Map(entries) => entries.iter_mut().for_each(|(k, n)| {
                k.line += offset;
                n.shift(offset);
            }),
        }
    }

    fn fill_raw(&mut self, src: &str) {
        match &mut self.kind {
            NodeKind::Scalar(_) => {
                if let Some((start, len)) = self.span {
                    if let Some(text) = src.get(start..start + len) {
                        let t = text.trim();
                        let unquoted = t
                            .strip_prefix('"')
                            .and_then(|t| t.strip_suffix('"'))
                            .or_else(|| t.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
                            .unwrap_or(t);
                        self.raw = Some(unquoted.to_string());
                    }
                }
            }
            NodeKind::Seq(items) => items.iter_mut().for_each(|n| n.fill_raw(src)),
            NodeKind::Map(entries) => entries.iter_mut().for_each(|(_, n)| n.fill_raw(src)),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<NodeKind>::deserialize(d)?;
        let span = s.referenced.span();
        Ok(Node {
            line: s.referenced.line() as usize,
            col: s.referenced.column() as usize,
            raw: None,
            kind: s.value,
            span: span
                .byte_offset()
                .zip(span.byte_len())
                .map(|(o, l)| (o as usize, l as usize)),
        })
    }
}

impl<'de> Deserialize<'de> for NodeKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NodeKind;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(Value::Bool(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(Value::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(Value::from(v)))
            }
            fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(Value::String(v.to_string())))
            }
            fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(Value::String(v.to_string())))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(
                    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
                ))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(Value::String(v.to_string())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(Value::String(v)))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(Value::Null))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<NodeKind, E> {
                Ok(NodeKind::Scalar(Value::Null))
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<NodeKind, D2::Error> {
                NodeKind::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeKind, A::Error> {
                let mut items = Vec::new();
                while let Some(n) = seq.next_element::<Node>()? {
                    items.push(n);
                }
                Ok(NodeKind::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeKind, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = map.next_value::<Node>()?;
                    entries.push((
                        Key {
                            name: key.value,
                            line: key.referenced.line() as usize,
                            col: key.referenced.column() as usize,
                        },
                        value,
                    ));
                }
                Ok(NodeKind::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

/// A YAML syntax or limit error at a place in the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the YAML text (0 when unknown).
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What went wrong.
    pub message: String,
    /// For a key written twice: the key and the line of its first occurrence.
    pub duplicate: Option<(String, usize)>,
}

impl YamlError {
    /// The message, with lines counted from the top of a file in which the YAML starts after
    /// `offset` lines.
    pub fn message_at(&self, offset: usize) -> String {
        match &self.duplicate {
            Some((key, first)) => format!(
                "`{key}` is set twice, on line {} and on line {}; remove one",
                first + offset,
                self.line + offset
            ),
            None => format!("invalid YAML: {}", self.message),
        }
    }
}

/// The line (1-based) of the first `key:` at the indentation of column `col` before `line`.
fn first_occurrence(text: &str, key: &str, line: usize, col: usize) -> Option<usize> {
    let indent = col.saturating_sub(1);
    text.lines()
        .take(line.saturating_sub(1))
        .position(|l| {
            let rest = l.get(indent..).unwrap_or("");
            l.len() - l.trim_start().len() == indent
                && [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
                    .iter()
                    .any(|k| {
                        rest.strip_prefix(k.as_str())
                            .is_some_and(|r| r.trim_start().starts_with(':'))
                    })
        })
        .map(|i| i + 1)
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        budget: serde_saphyr::budget! {
            max_depth: 64,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_events: 1_000_000,
            max_nodes: 1_000_000,
            max_documents: 1,
        },
    }
}

/// Writes `value` as YAML (what `kiosk import` puts in front matter and `kiosk.yaml`): strings
/// that other YAML readers would take for something else (`yes`, `01234`, `2019-03-04`) are
/// quoted, long lines are never folded, text with line ends is a literal block.
pub fn to_string(value: &Value) -> String {
    let options = serde_saphyr::ser_options! {
        folded_wrap_chars: 100_000,
    };
    serde_saphyr::to_string_with_options(value, options).unwrap_or_default()
}

/// Parses `text` as a YAML mapping. An empty text (or only comments) is an empty mapping.
pub fn parse_mapping(text: &str) -> Result<Vec<Field>, YamlError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    match serde_saphyr::from_str_with_options::<Node>(text, options()) {
        Ok(mut root) => {
            root.fill_raw(text);
            match root.kind {
                NodeKind::Map(entries) => Ok(entries
                    .into_iter()
                    .map(|(k, node)| Field {
                        key: k.name,
                        key_line: k.line,
                        key_col: k.col,
                        value: node.to_value(),
                        line: node.line,
                        col: node.col,
                        node,
                    })
                    .collect()),
                NodeKind::Scalar(Value::Null) => Ok(Vec::new()),
                _ => Err(YamlError {
                    line: root.line,
                    col: root.col,
                    message: "expected a mapping of `key: value` lines".into(),
                    duplicate: None,
                }),
            }
        }
        Err(e) => {
            let (line, col) = e
                .location()
                .map(|l| (l.line() as usize, l.column() as usize))
                .unwrap_or((0, 0));
            let message = clean_message(&e.without_snippet().to_string());
            let duplicate = message
                .strip_prefix("duplicate mapping key: ")
                .map(|k| k.split(", set ").next().unwrap_or(k).trim().to_string())
                .and_then(|k| Some((k.clone(), first_occurrence(text, &k, line, col)?)));
            Err(YamlError {
                line,
                col,
                message,
                duplicate,
            })
        }
    }
}

/// saphyr's messages end with " at line X column Y"; kiosk prints its own location.
fn clean_message(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    let cut = first
        .find(" at line ")
        .map(|i| &first[..i])
        .unwrap_or(first);
    cut.trim_end_matches(':').to_string()
}

/// The name YAML users know for a value's type.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

impl Field {
    /// Text; numbers are accepted and written as text (`weight: 3` as `"3"`).
    pub fn as_string(&self) -> Result<String, String> {
        match &self.value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            other => Err(format!(
                "`{}` must be text, found {}",
                self.key,
                type_name(other)
            )),
        }
    }

    /// A list of texts; a single text is a one-element list.
    pub fn as_string_list(&self) -> Result<Vec<String>, String> {
        let item = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match &self.value {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => items
                .iter()
                .map(|v| {
                    item(v).ok_or_else(|| {
                        format!(
                            "`{}` must be a list of texts, found {} in it",
                            self.key,
                            type_name(v)
                        )
                    })
                })
                .collect(),
            v => item(v).map(|s| vec![s]).ok_or_else(|| {
                format!(
                    "`{}` must be a list of texts, found {}",
                    self.key,
                    type_name(v)
                )
            }),
        }
    }

    /// A whole number.
    pub fn as_i64(&self) -> Result<i64, String> {
        match &self.value {
            Value::Number(n) if n.is_i64() => n.as_i64().ok_or_default(),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok_or_default(),
            other => Err(format!(
                "`{}` must be a whole number, found {}",
                self.key,
                type_name(other)
            )),
        }
    }

    /// A whole number of at least 0.
    pub fn as_usize(&self) -> Result<usize, String> {
        let n = self.as_i64()?;
        usize::try_from(n).map_err(|_| format!("`{}` must not be negative", self.key))
    }

    /// `true` or `false`.
    pub fn as_bool(&self) -> Result<bool, String> {
        match &self.value {
            Value::Bool(b) => Ok(*b),
            other => Err(format!(
                "`{}` must be true or false, found {}",
                self.key,
                type_name(other)
            )),
        }
    }
}

trait OkOrDefault<T> {
    fn ok_or_default(self) -> Result<T, String>;
}

impl<T, E> OkOrDefault<T> for Result<T, E> {
    fn ok_or_default(self) -> Result<T, String> {
        self.map_err(|_| "not a number".to_string())
    }
}

impl<T> OkOrDefault<T> for Option<T> {
    fn ok_or_default(self) -> Result<T, String> {
        self.ok_or_else(|| "not a number".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_carry_locations() {
        let f = parse_mapping("title: Hallo\ntags:\n  - a\n  - b\n").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].key.as_str(), f[0].key_line, f[0].key_col),
            ("title", 1, 1)
        );
        assert_eq!((f[0].line, f[0].col), (1, 8));
        assert_eq!(f[1].value, serde_json::json!(["a", "b"]));
        assert_eq!(f[1].key_line, 2);
    }

    #[test]
    fn norway_and_postcodes_stay_strings() {
        let f = parse_mapping("country: NO\nzip: 01234\nok: yes\nflag: true\n").unwrap();
        assert_eq!(f[0].value, Value::String("NO".into()));
        assert_eq!(f[1].value, Value::String("01234".into()));
        assert_eq!(f[2].value, Value::String("yes".into()));
        assert_eq!(f[3].value, Value::Bool(true));
    }

    #[test]
    fn syntax_error_has_line() {
        let e = parse_mapping("title: a\ndate: [1, 2\nx: y\n").unwrap_err();
        assert!(e.line >= 2, "{e:?}");
        assert!(!e.message.is_empty());
    }

    #[test]
    fn not_a_mapping_is_an_error() {
        assert!(parse_mapping("- a\n- b\n").is_err());
    }

    #[test]
    fn nested_locations_and_raw_text() {
        let f =
            parse_mapping("title: A\nproduct:\n  price: 19.90\n  sku: \"X-1\"\n  list:\n    - a\n")
                .unwrap();
        let p = &f[1].node;
        let price = p.get("price").unwrap();
        assert_eq!((price.line, price.col), (3, 10));
        assert_eq!(price.raw.as_deref(), Some("19.90"));
        assert_eq!(p.get("sku").unwrap().raw.as_deref(), Some("X-1"));
        let list = p.get("list").unwrap();
        assert!(matches!(&list.kind, NodeKind::Seq(items) if items[0].line == 6));
        assert_eq!(f[1].value["price"], serde_json::json!(19.9));
    }

    #[test]
    fn a_key_set_twice_names_both_lines() {
        let e = parse_mapping("title: A\ntags: [x]\ntitle: B\n").unwrap_err();
        assert_eq!(
            e.message_at(1),
            "`title` is set twice, on line 2 and on line 4; remove one"
        );
        let nested = parse_mapping("product:\n  price: 1\n  price: 2\n").unwrap_err();
        assert_eq!(nested.duplicate, Some(("price".into(), 2)));
    }

    #[test]
    fn empty_is_empty() {
        assert_eq!(parse_mapping("  \n# nur ein Kommentar\n").unwrap(), vec![]);
    }

    #[test]
    fn deep_nesting_and_alias_bombs_are_refused() {
        let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse_mapping(&deep).is_err());
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(parse_mapping(&bomb).is_err());
    }
}
