//! Content written for other generators builds as its author meant: TOML front matter is read
//! exactly like YAML, and `check` understands old pages' anchors and mixed content.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failure is a failed test

mod common;

use common::*;

const CONFIG: &str = "-- kiosk.yaml --\ntitle: \"T\"\nbase_url: \"https://example.org/\"\n";

/// The same pages in YAML and TOML (every kind of value: text, dates with and without time,
/// lists, taxonomies in Zola's table, extra, aliases, weight, booleans, a product with an exact
/// price).
const PAGES: [(&str, &str, &str); 3] = [
    (
        "content/blog/a.md",
        "---\ntitle: \"Erster: A\"\ndate: 2024-05-01T10:30:00+02:00\ndescription: Über A\ntags: [rust, zola]\ncategories: [Technik]\naliases: [/alt/a/]\nweight: 3\ndraft: false\nextra:\n  mood: froh\n  zahlen: [1, 2]\n---\nText A.\n",
        "+++\ntitle = \"Erster: A\"\ndate = 2024-05-01T10:30:00+02:00\ndescription = \"Über A\"\naliases = [\"/alt/a/\"]\nweight = 3\ndraft = false\n\n[taxonomies]\ntags = [\"rust\", \"zola\"]\ncategories = [\"Technik\"]\n\n[extra]\nmood = \"froh\"\nzahlen = [1, 2]\n+++\nText A.\n",
    ),
    (
        "content/blog/b.md",
        "---\ntitle: B\ndate: 2024-05-02\nupdated: 2024-06-01\ntags: [rust]\n---\nText B.\n",
        "+++\ntitle = \"B\"\ndate = 2024-05-02\nupdated = 2024-06-01\ntags = [\"rust\"]\n+++\nText B.\n",
    ),
    (
        "content/shop/buch/index.md",
        "---\ntitle: Buch\nproduct:\n  kind: ebook\n  price: 19.90\n  sale_price: 14.5\n  checkout: https://x.gumroad.com/l/buch\n---\nDas Buch.\n",
        "+++\ntitle = \"Buch\"\n\n[product]\nkind = \"ebook\"\nprice = 19.90\nsale_price = 14.5\ncheckout = \"https://x.gumroad.com/l/buch\"\n+++\nDas Buch.\n",
    ),
];

#[test]
fn a_site_mixing_yaml_and_toml_builds_like_the_same_site_in_yaml() {
    let mut yaml = CONFIG.to_string();
    let mut mixed = CONFIG.to_string();
    for (i, (path, y, t)) in PAGES.iter().enumerate() {
        yaml.push_str(&format!("-- {path} --\n{y}"));
        mixed.push_str(&format!("-- {path} --\n{}", if i == 1 { y } else { t }));
    }
    let (a, b) = (site(&yaml), site(&mixed));
    let (oa, ob) = (a.path().join("public"), b.path().join("public"));
    let (ra, rb) = (build(a.path(), &oa, &[]), build(b.path(), &ob, &[]));
    assert_eq!(ra.code, 0, "{}", ra.stderr);
    assert_eq!(rb.code, 0, "{}", rb.stderr);
    let (ta, tb) = (tree(&oa), tree(&ob));
    assert!(ta.len() > 20, "{}", ta.len());
    let differ: Vec<&String> = ta.keys().filter(|k| tb.get(*k) != ta.get(*k)).collect();
    assert!(
        differ.is_empty() && ta.len() == tb.len(),
        "differ: {differ:?}"
    );
    assert!(read(&ob, "shop/buch/index.html").contains("14,50"));
}

#[test]
fn check_knows_named_anchors_and_mixed_content() {
    let s = site(&format!(
        "{CONFIG}-- content/a.md --\n---\ntitle: A\ndescription: a\n---\n<a name=\"alt\"></a>Text\n\n[hier](#alt) [selbst](http://example.org/a/) [fehlt](http://example.org/nichts/)\n"
    ));
    let root = s.path().to_str().unwrap();
    let r = kiosk(s.path(), &["check", "--root", root]);
    assert!(
        !r.stderr.contains("no element with id `alt`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("warning: `http://example.org/a/` links the site's own host over http://"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("link to `http://example.org/nichts/`: no page /nichts/index.html"),
        "checked as an internal link: {}",
        r.stderr
    );
}
