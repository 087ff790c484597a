//! Shortcodes: `{{ name(key=value, …) }}` in markdown, where `name` is a known shortcode
//! template. Calls are cut out before markdown parsing (replaced by placeholders) and their
//! rendered output is put back afterwards. Any other `{{ … }}` or `{% … %}`, and anything in
//! code, stays text exactly as written.

use serde_json::{Map, Number, Value};

/// One shortcode call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// Shortcode name (`shortcodes/<name>.html`).
    pub name: String,
    /// Keyword arguments.
    pub args: Map<String, Value>,
    /// Byte offset of the call in the original markdown.
    pub offset: usize,
}

/// The markdown with calls replaced by placeholders.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    /// Markdown to parse.
    pub text: String,
    /// The calls, in order; call `i` is at [`placeholder`]`(i)`.
    pub calls: Vec<Call>,
    /// Calls of shortcodes kiosk does not have (a Zola site's own): (byte offset, name). They
    /// stay text.
    pub unknown: Vec<(usize, String)>,
}

/// The placeholder for call `i`: plain letters and digits, which markdown leaves alone.
pub fn placeholder(i: usize) -> String {
    format!("kioskshortcode{i}x")
}

/// Finds the calls of known shortcodes in `md`. Errors are (byte offset, message).
pub fn extract(md: &str, is_known: &dyn Fn(&str) -> bool) -> (Extracted, Vec<(usize, String)>) {
    let mut out = Extracted {
        text: String::with_capacity(md.len()),
        calls: Vec::new(),
        unknown: Vec::new(),
    };
    let mut errors = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut line_start = 0;
    // Code blocks only a markdown parser knows (indented, in quotes, deep in lists).
    let code = if md.contains("{{") {
        super::foreign::code_ranges(md)
    } else {
        Vec::new()
    };
    for line in md.split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        match fence {
            Some((m, n)) => {
                if marker == Some(m) && run >= n && trimmed[run..].trim().is_empty() {
                    fence = None;
                }
                out.text.push_str(line);
            }
            None if indent < 4 && run >= 3 => {
                fence = marker.map(|m| (m, run));
                out.text.push_str(line);
            }
            None => scan_line(line, line_start, &code, is_known, &mut out, &mut errors),
        }
        line_start += line.len();
    }
    (out, errors)
}

fn scan_line(
    line: &str,
    base: usize,
    code: &[std::ops::Range<usize>],
    is_known: &dyn Fn(&str) -> bool,
    out: &mut Extracted,
    errors: &mut Vec<(usize, String)>,
) {
    let Extracted {
        text,
        calls,
        unknown,
    } = out;
    let b = line.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        if b[i] == b'`' {
            // Skip an inline code span: a run of backticks up to the same run.
            let run = b[i..].iter().take_while(|&&c| c == b'`').count();
            let closing = "`".repeat(run);
            match line[i + run..].find(&closing) {
                Some(end) => i += run + end + run,
                None => i += run,
            }
            continue;
        }
        if b[i] == b'{' && b.get(i + 1) == Some(&b'{') && !super::foreign::in_ranges(code, base + i)
        {
            if let Some(name) = call_name(&line[i + 2..]) {
                if !is_known(name) && parse_call(&line[i..]).is_ok() {
                    unknown.push((base + i, name.to_string()));
                }
                if is_known(name) {
                    match parse_call(&line[i..]) {
                        Ok((args, len)) => {
                            text.push_str(&line[copied..i]);
                            text.push_str(&placeholder(calls.len()));
                            calls.push(Call {
                                name: name.to_string(),
                                args,
                                offset: base + i,
                            });
                            i += len;
                            copied = i;
                            continue;
                        }
                        Err(msg) => errors.push((base + i, format!("shortcode `{name}`: {msg}"))),
                    }
                }
            }
        }
        i += 1;
    }
    text.push_str(&line[copied..]);
}

/// The name in `  name(` at the start of `s`, if it looks like a call.
fn call_name(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map(|(i, _)| i)?;
    let (name, rest) = s.split_at(end);
    let starts_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    (starts_ok && rest.trim_start().starts_with('(')).then_some(name)
}

/// Parses `{{ name(k=v, …) }}` at the start of `s`; returns the arguments and the call's length.
fn parse_call(s: &str) -> Result<(Map<String, Value>, usize), String> {
    let open = s.find('(').ok_or("missing `(`")?;
    let mut p = Parser { s, i: open + 1 };
    let mut args = Map::new();
    loop {
        p.ws();
        if p.eat(')') {
            break;
        }
        let key = p.ident().ok_or("expected an argument name like `src=`")?;
        p.ws();
        if !p.eat('=') {
            return Err(format!("expected `=` after `{key}`"));
        }
        p.ws();
        let v = p.value()?;
        if args.insert(key.clone(), v).is_some() {
            return Err(format!("argument `{key}` is given twice"));
        }
        p.ws();
        if p.eat(',') {
            continue;
        }
        p.ws();
        if p.eat(')') {
            break;
        }
        return Err("expected `,` or `)` between arguments".into());
    }
    p.ws();
    if !s[p.i..].starts_with("}}") {
        return Err("expected `}}` after the arguments".into());
    }
    Ok((args, p.i + 2))
}

struct Parser<'a> {
    s: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.s[self.i..].starts_with([' ', '\t']) {
            self.i += 1;
        }
    }
    fn eat(&mut self, c: char) -> bool {
        if self.s[self.i..].starts_with(c) {
            self.i += c.len_utf8();
            true
        } else {
            false
        }
    }
    fn ident(&mut self) -> Option<String> {
        let rest = &self.s[self.i..];
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            return None;
        }
        self.i += len;
        Some(rest[..len].to_string())
    }
    /// A value: `"text"`, `'text'`, a number, `true`/`false`, or a list of them in `[…]`.
    fn value(&mut self) -> Result<Value, String> {
        if self.eat('[') {
            let mut items = Vec::new();
            loop {
                self.ws();
                if self.eat(']') {
                    return Ok(Value::Array(items));
                }
                if self.s[self.i..].starts_with('[') {
                    return Err("a list inside a list is not supported".into());
                }
                items.push(self.value()?);
                self.ws();
                if self.eat(']') {
                    return Ok(Value::Array(items));
                }
                if !self.eat(',') {
                    return Err("expected `,` or `]` in a list".into());
                }
            }
        }
        let rest = &self.s[self.i..];
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let mut out = String::new();
            let mut chars = rest[1..].char_indices();
            while let Some((j, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            out.push(n);
                        }
                    }
                    c if c == q => {
                        self.i += 1 + j + 1;
                        return Ok(Value::String(out));
                    }
                    c => out.push(c),
                }
            }
            return Err("a text argument is not closed with its quote".into());
        }
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_')))
            .map_or(rest.len(), |(i, _)| i);
        let word = &rest[..len];
        self.i += len;
        match word {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            w => {
                if let Ok(n) = w.parse::<i64>() {
                    Ok(Value::Number(n.into()))
                } else if let Some(n) = w.parse::<f64>().ok().and_then(Number::from_f64) {
                    Ok(Value::Number(n))
                } else {
                    Err(format!(
                        "`{w}` is not a value: use \"text\", a number, true, false or a list [\"a\", \"b\"]"
                    ))
                }
            }
        }
    }
}

/// Puts rendered shortcode output back into the HTML: a call alone in a paragraph replaces the
/// paragraph, any other call is replaced inline.
///
/// One pass over `html` (a page of twenty thousand calls costs no more per call than a page of
/// one); each placeholder is replaced once, and text a shortcode put out is never read again.
pub fn substitute(html: &str, outputs: &[String]) -> String {
    const MARK: &str = "kioskshortcode";
    let extra: usize = outputs.iter().map(String::len).sum();
    let mut out = String::with_capacity(html.len() + extra);
    let mut used = vec![false; outputs.len()];
    let mut i = 0;
    while let Some(at) = html[i..].find(MARK).map(|p| p + i) {
        let digits = at + MARK.len();
        let end = digits
            + html[digits..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
        let index = html[end..]
            .starts_with('x')
            .then(|| html[digits..end].parse::<usize>().ok())
            .flatten()
            .filter(|&n| n < outputs.len() && !used[n]);
        let Some(n) = index else {
            out.push_str(&html[i..digits]);
            i = digits;
            continue;
        };
        used[n] = true;
        let end = end + 1;
        let output = outputs[n].trim_end();
        // A call alone in its paragraph replaces the paragraph.
        if at >= i + 3 && html[..at].ends_with("<p>") && html[end..].starts_with("</p>\n") {
            out.push_str(&html[i..at - 3]);
            out.push_str(output);
            out.push('\n');
            i = end + "</p>\n".len();
        } else {
            out.push_str(&html[i..at]);
            out.push_str(output);
            i = end;
        }
    }
    out.push_str(&html[i..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(n: &str) -> bool {
        n == "figure"
    }

    #[test]
    fn known_call_is_extracted() {
        let (e, errs) = extract(
            "Text\n\n{{ figure(src=\"a.png\", alt='Ein Bild', width=300, round=true) }}\n",
            &known,
        );
        assert!(errs.is_empty());
        assert_eq!(e.text, "Text\n\nkioskshortcode0x\n");
        assert_eq!(e.calls[0].args["src"], "a.png");
        assert_eq!(e.calls[0].args["alt"], "Ein Bild");
        assert_eq!(e.calls[0].args["width"], 300);
        assert_eq!(e.calls[0].args["round"], true);
        assert_eq!(e.calls[0].offset, 6);
    }

    #[test]
    fn unknown_and_template_syntax_stay_text() {
        let md = "{{ site.title }} {% if x %} {{ other(a=1) }} {{ figure }}\n";
        let (e, errs) = extract(md, &known);
        assert!(errs.is_empty());
        assert_eq!(e.text, md);
        assert!(e.calls.is_empty());
        assert_eq!(e.unknown, vec![(28, "other".to_string())]);
    }

    #[test]
    fn code_is_never_touched() {
        let md = "```\n{{ figure(src=\"a\") }}\n```\n`{{ figure(src=\"b\") }}`\n~~~~\n{{ figure(src=\"c\") }}\n~~~~\n";
        let (e, _) = extract(md, &known);
        assert_eq!(e.text, md);
        // Indented code, a fence in a quote, a fence deep in a list.
        let md = "Text\n\n    {{ figure(src=\"d\") }}\n\n> ```\n> {{ figure(src=\"e\") }}\n> ```\n\n- a\n  - b\n\n        ```\n        {{ figure(src=\"f\") }}\n        ```\n";
        let (e, _) = extract(md, &known);
        assert_eq!(e.text, md);
        assert!(e.calls.is_empty());
    }

    #[test]
    fn lists_are_values() {
        let (e, errs) = extract(
            "{{ figure(src=[\"a.png\", 'b, c.png' ,3], alt=[]) }}\n",
            &known,
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            e.calls[0].args["src"],
            serde_json::json!(["a.png", "b, c.png", 3])
        );
        assert_eq!(e.calls[0].args["alt"], serde_json::json!([]));
        for bad in ["[\"a\"", "[[\"a\"]]", "[\"a\" \"b\"]"] {
            let (_, errs) = extract(&format!("{{{{ figure(src={bad}) }}}}\n"), &known);
            assert_eq!(errs.len(), 1, "{bad}");
        }
    }

    #[test]
    fn bad_arguments_are_errors() {
        let (_, errs) = extract("{{ figure(src=a b) }}\n", &known);
        assert_eq!(errs.len(), 1);
        let (_, errs) = extract("{{ figure(src=\"a\") \n", &known);
        assert_eq!(errs.len(), 1);
    }

    #[test]
    fn substitution() {
        let html = "<p>kioskshortcode0x</p>\n<p>a kioskshortcode1x b</p>\n";
        let out = substitute(html, &["<figure>x</figure>".into(), "<em>y</em>".into()]);
        assert_eq!(out, "<figure>x</figure>\n<p>a <em>y</em> b</p>\n");
    }
}
