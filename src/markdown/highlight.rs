//! Code highlighting with syntect (onig engine) and two-face's extra grammars, as CSS classes.
//! Highlighted blocks are cached on disk, keyed by a hash of (code, language, grammar set), so
//! only the first build pays for highlighting.

use crate::text::escape_html as escape;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "z-" };
const CACHE_MAGIC: &[u8; 8] = b"KIOSKHL1";
/// Changes whenever the grammars or the HTML shape may change.
const CACHE_SALT: &str = concat!(
    "kiosk ",
    env!("CARGO_PKG_VERSION"),
    " two-face 0.5 syntect 5.3"
);

type Key = [u8; 16];

/// Highlights code blocks; shared by all threads of a build.
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
    cache_file: Option<PathBuf>,
    old: HashMap<Key, String>,
    fresh: Mutex<HashMap<Key, String>>,
    used: Mutex<HashSet<Key>>,
}

/// Numbers about one build's highlighting.
#[derive(Debug, Clone, Copy, Default)]
pub struct CacheStats {
    /// Blocks found in the cache.
    pub hits: usize,
    /// Blocks highlighted anew.
    pub misses: usize,
}

impl Highlighter {
    /// A highlighter whose cache lives in `cache_dir` (none: no cache).
    pub fn new(cache_dir: Option<PathBuf>) -> Highlighter {
        let cache_file = cache_dir.map(|d| d.join("highlight.bin"));
        let old = cache_file
            .as_ref()
            .and_then(|f| std::fs::read(f).ok())
            .map(|b| decode(&b))
            .unwrap_or_default();
        Highlighter {
            syntaxes: OnceLock::new(),
            cache_file,
            old,
            fresh: Mutex::new(HashMap::new()),
            used: Mutex::new(HashSet::new()),
        }
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }

    /// A whole `<pre>` block for `code` in `lang` (plain and escaped when the language is unknown
    /// or missing).
    pub fn block(&self, code: &str, lang: Option<&str>) -> String {
        let lang = lang.map(str::trim).filter(|l| !l.is_empty());
        let Some(lang) = lang else {
            return format!(
                "<pre class=\"z-code\" tabindex=\"0\"><code>{}</code></pre>\n",
                escape(code)
            );
        };
        let lang_attr = escape(lang);
        let key = cache_key(code, lang);
        if let Some(hit) = self.old.get(&key) {
            if let Ok(mut u) = self.used.lock() {
                u.insert(key);
            }
            return hit.clone();
        }
        if let Some(hit) = self.fresh.lock().ok().and_then(|f| f.get(&key).cloned()) {
            return hit;
        }
        let html = match self.highlight(code, lang) {
            Some(inner) => format!(
                "<pre class=\"z-code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{inner}</code></pre>\n"
            ),
            None => format!(
                "<pre class=\"z-code\" tabindex=\"0\" data-lang=\"{lang_attr}\"><code class=\"language-{lang_attr}\">{}</code></pre>\n",
                escape(code)
            ),
        };
        if let Ok(mut f) = self.fresh.lock() {
            f.insert(key, html.clone());
        }
        html
    }

    fn highlight(&self, code: &str, lang: &str) -> Option<String> {
        if matches!(lang, "text" | "plain" | "txt" | "plaintext") {
            return None;
        }
        let ss = self.syntaxes();
        let token = match lang {
            "shell" | "console" | "zsh" => "bash",
            "jsx" => "js",
            "tsx" => "tsx",
            other => other,
        };
        let syntax = ss
            .find_syntax_by_token(token)
            .or_else(|| ss.find_syntax_by_name(lang))?;
        let mut gen = ClassedHTMLGenerator::new_with_class_style(syntax, ss, STYLE);
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(gen.finalize())
    }

    /// Writes the blocks used by this build back to the cache (only when something changed).
    pub fn save(&self) -> std::io::Result<CacheStats> {
        let fresh = self
            .fresh
            .lock()
            .map(|mut f| std::mem::take(&mut *f))
            .unwrap_or_default();
        let used = self
            .used
            .lock()
            .map(|mut u| std::mem::take(&mut *u))
            .unwrap_or_default();
        let stats = CacheStats {
            hits: used.len(),
            misses: fresh.len(),
        };
        let Some(file) = &self.cache_file else {
            return Ok(stats);
        };
        if fresh.is_empty() && used.len() == self.old.len() {
            return Ok(stats);
        }
        let mut entries: Vec<(&Key, &String)> = fresh
            .iter()
            .chain(self.old.iter().filter(|(k, _)| used.contains(*k)))
            .collect();
        entries.sort_by_key(|(k, _)| **k);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = file.with_extension(format!("tmp-{}", std::process::id()));
        {
            use std::io::Write;
            let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            w.write_all(CACHE_MAGIC)?;
            for (k, v) in entries {
                w.write_all(k)?;
                w.write_all(&(v.len() as u32).to_le_bytes())?;
                w.write_all(v.as_bytes())?;
            }
            w.flush()?;
        }
        std::fs::rename(&tmp, file)?;
        Ok(stats)
    }
}

fn cache_key(code: &str, lang: &str) -> Key {
    let mut h = blake3::Hasher::new();
    h.update(CACHE_SALT.as_bytes());
    h.update(&[0]);
    h.update(lang.as_bytes());
    h.update(&[0]);
    h.update(code.as_bytes());
    let mut k = [0u8; 16];
    k.copy_from_slice(&h.finalize().as_bytes()[..16]);
    k
}

/// Reads a cache file; anything damaged is ignored from that point on.
fn decode(b: &[u8]) -> HashMap<Key, String> {
    let mut out = HashMap::new();
    let Some(mut rest) = b.strip_prefix(CACHE_MAGIC.as_slice()) else {
        return out;
    };
    while rest.len() >= 20 {
        let mut key = [0u8; 16];
        key.copy_from_slice(&rest[..16]);
        let len = u32::from_le_bytes([rest[16], rest[17], rest[18], rest[19]]) as usize;
        rest = &rest[20..];
        if rest.len() < len {
            break;
        }
        match std::str::from_utf8(&rest[..len]) {
            Ok(s) => {
                out.insert(key, s.to_string());
            }
            Err(_) => break,
        }
        rest = &rest[len..];
    }
    out
}

/// The stylesheet for highlighted code: the light theme, and the dark theme under
/// `prefers-color-scheme: dark`.
pub fn stylesheet(light: &str, dark: &str) -> Result<String, String> {
    let themes = two_face::theme::extra();
    let find = |name: &str| {
        two_face::theme::EmbeddedLazyThemeSet::theme_names()
            .iter()
            .find(|n| n.as_name() == name)
            .map(|n| themes.get(*n))
            .ok_or_else(|| {
                let names: Vec<&str> = two_face::theme::EmbeddedLazyThemeSet::theme_names()
                    .iter()
                    .map(|n| n.as_name())
                    .collect();
                format!(
                    "unknown highlighting theme `{name}`{}; known themes: {}",
                    crate::error::did_you_mean(name, names.iter().copied()),
                    names.join(", ")
                )
            })
    };
    let light_css = syntect::html::css_for_theme_with_class_style(find(light)?, STYLE)
        .map_err(|e| e.to_string())?;
    let dark_css = syntect::html::css_for_theme_with_class_style(find(dark)?, STYLE)
        .map_err(|e| e.to_string())?;
    // Each theme only in its own mode, so no rule of one leaks into the other.
    let indent = |css: &str| -> String { css.lines().map(|l| format!("  {l}\n")).collect() };
    Ok(format!(
        "/* Code highlighting: {light} (light), {dark} (dark). Generated by kiosk. */\n@media not all and (prefers-color-scheme: dark) {{\n{}}}\n@media (prefers-color-scheme: dark) {{\n{}}}\n",
        indent(&light_css),
        indent(&dark_css)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_language_gets_classes() {
        let h = Highlighter::new(None);
        let html = h.block("fn main() {}\n", Some("rust"));
        assert!(html.contains("class=\"z-"), "{html}");
        assert!(!html.contains("style="));
        for lang in [
            "toml",
            "typescript",
            "dockerfile",
            "python",
            "bash",
            "yaml",
            "js",
        ] {
            let html = h.block("x = 1\n", Some(lang));
            assert!(html.contains("<span class=\"z-"), "{lang}: {html}");
        }
    }

    #[test]
    fn unknown_language_is_plain_and_escaped() {
        let h = Highlighter::new(None);
        let html = h.block("<script>\n", Some("nosuchlang"));
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("<span"));
        let none = h.block("a < b\n", None);
        assert_eq!(
            none,
            "<pre class=\"z-code\" tabindex=\"0\"><code>a &lt; b\n</code></pre>\n"
        );
    }

    #[test]
    fn cache_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let h = Highlighter::new(Some(dir.path().to_path_buf()));
        let a = h.block("let x = 1;\n", Some("rust"));
        assert_eq!(h.save().unwrap().misses, 1);
        let h2 = Highlighter::new(Some(dir.path().to_path_buf()));
        assert_eq!(h2.block("let x = 1;\n", Some("rust")), a);
        let s = h2.save().unwrap();
        assert_eq!((s.hits, s.misses), (1, 0));
    }

    #[test]
    fn stylesheet_has_both_modes() {
        let css = stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains("@media not all and (prefers-color-scheme: dark)"));
        assert!(css.contains(".z-code"));
        assert!(stylesheet("nope", "Nord").unwrap_err().contains("unknown"));
    }
}
