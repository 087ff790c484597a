//! Property tests: no input makes the importer panic. WordPress exports, post contents with
//! shortcodes and block comments, HTML, and Hugo, Liquid and Zola template code of any shape
//! are converted or reported, never a crash.

use super::html::{to_markdown, Calls};
use super::wordpress::content::{autop, convert, Lookup, Media};
use super::wordpress::{shortcodes, wxr};
use proptest::prelude::*;

struct Nothing;
impl Lookup for Nothing {
    fn rewrite(&self, url: &str) -> Option<String> {
        url.strip_prefix("https://alt.example").map(str::to_string)
    }
    fn attachment(&self, id: &str) -> Option<Media> {
        (id == "1").then(Media::default)
    }
    fn attached_images(&self, _: &str) -> Vec<Media> {
        vec![Media::default()]
    }
    fn reusable_block(&self, id: &str) -> Option<String> {
        // A block that names itself: the nesting limit must hold.
        (id == "5").then(|| "<!-- wp:block {\"ref\":5} /-->".into())
    }
}

struct Site;
impl super::hugo::shortcodes::Context for Site {
    fn resolve(&self, t: &str, _: &str) -> Option<String> {
        t.len().is_multiple_of(2).then(|| format!("{t}.md"))
    }
    fn param(&self, n: &str) -> Option<String> {
        Some(n.to_string())
    }
}
impl super::jekyll::liquid::Context for Site {
    fn post(&self, n: &str) -> Option<String> {
        Some(format!("blog/{n}.md"))
    }
    fn file(&self, r: &str) -> Option<String> {
        Some(r.to_string())
    }
}

/// Text made of the characters these formats are built from.
const MARKUP: &str = "[\\[\\]<>{}%\"'/=a-z0-9 \n#:!*_`~äÜß€-]{0,160}";

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn exports_never_panic(xml in "(<rss><channel>)?(<item>|</item>|<wp:post_type>post</wp:post_type>|<title>|</title>|<!\\[CDATA\\[|\\]\\]>|&amp;|&#x1F600;|&#99999999;|<content:encoded>|</content:encoded>|<wp:comment>|[a-z <>/&;]){0,60}") {
        let e = wxr::read(&xml);
        for (l, c, _) in e.problems {
            prop_assert!(l >= 1 && c >= 1);
        }
    }

    #[test]
    fn shortcodes_never_panic(text in MARKUP) {
        for sc in shortcodes::find_all(&text) {
            prop_assert!(sc.range.end <= text.len() && text.is_char_boundary(sc.range.start));
        }
    }

    #[test]
    fn post_contents_never_panic(raw in "(<!-- wp:(embed|more|block|gallery) (\\{\"url\":\"https://youtu.be/abcdefghijk\"\\}|\\{\"ref\":5\\})? /?-->|<!-- /wp:embed -->|<!--more-->|\\[caption\\]|\\[/caption\\]|\\[gallery ids=\"1,2\"\\]|\\[embed\\]|\\[/embed\\]|<img src=\"https://alt.example/wp-content/uploads/a.png\">|<pre>|</pre>|<figure>|</figure>|<iframe src=\"x\">|https://youtu.be/abcdefghijk\n|[a-z \n<>\\[\\]\"/=]){0,40}") {
        let c = convert(&raw, "1", &Nothing);
        for (offset, _, _) in c.notes {
            prop_assert!(offset <= raw.len());
        }
        let _ = autop(&raw);
    }

    #[test]
    fn html_never_panics(html in ".{0,200}") {
        let _ = to_markdown(&html, Calls::default(), &|_| None);
    }

    #[test]
    fn template_code_never_panics(body in MARKUP) {
        let (_, notes) = super::hugo::shortcodes::convert(&body, "a.md", &Site);
        for (offset, _, _) in notes {
            prop_assert!(offset <= body.len());
        }
        let _ = super::jekyll::liquid::convert(&body, &Site);
        let _ = super::zola::block_shortcodes(&body);
        let _ = crate::markdown::foreign::convert(&body);
        let _ = autop(&body);
        let _ = convert(&body, "1", &Nothing);
    }
}
