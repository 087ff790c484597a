//! Reading a WordPress export (WXR 1.x: RSS 2.0 with the `wp:`, `content:`, `excerpt:` and
//! `dc:` namespaces) into plain records, streaming with quick-xml. A broken or cut-off file
//! keeps every item read before the break; the break is a problem at its line and column.

use crate::text::LineIndex;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// What the export holds.
#[derive(Debug, Default)]
pub struct Export {
    /// The site.
    pub channel: Channel,
    /// Posts, pages, attachments, menu items, …, in file order.
    pub items: Vec<Item>,
    /// Where the file is broken: (line, column, message).
    pub problems: Vec<(usize, usize, String)>,
    /// Was a `wp:wxr_version` or a `wp:post_type` seen (is it a WordPress export at all)?
    pub is_wxr: bool,
}

/// The site's own fields.
#[derive(Debug, Default)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub description: String,
    pub language: String,
    pub base_site_url: String,
    pub base_blog_url: String,
    pub authors: Vec<Author>,
    pub categories: Vec<Term>,
    pub tags: Vec<Term>,
}

/// A `wp:author`.
#[derive(Debug, Default, Clone)]
pub struct Author {
    pub login: String,
    pub display_name: String,
}

/// A `wp:category` or `wp:tag` of the channel.
#[derive(Debug, Default, Clone)]
pub struct Term {
    pub slug: String,
    pub name: String,
}

/// One `<item>`.
#[derive(Debug, Default, Clone)]
pub struct Item {
    /// Line of `<item>` in the file.
    pub line: usize,
    pub title: String,
    pub link: String,
    pub creator: String,
    pub content: String,
    /// Line of `<content:encoded>` (the content's first line, for places in the report).
    pub content_line: usize,
    pub excerpt: String,
    pub post_id: String,
    pub post_date: String,
    pub post_date_gmt: String,
    pub post_modified: String,
    pub post_modified_gmt: String,
    pub post_name: String,
    pub status: String,
    pub post_parent: String,
    pub menu_order: String,
    pub post_type: String,
    pub post_password: String,
    pub is_sticky: String,
    pub attachment_url: String,
    /// `<category domain=… nicename=…>name</category>`.
    pub terms: Vec<ItemTerm>,
    /// `wp:postmeta` pairs.
    pub meta: Vec<(String, String)>,
    pub comments: Vec<Comment>,
}

impl Item {
    /// The first value of a `wp:postmeta` key.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A category or tag of an item.
#[derive(Debug, Default, Clone)]
pub struct ItemTerm {
    /// `category`, `post_tag`, or a custom taxonomy.
    pub domain: String,
    pub nicename: String,
    pub name: String,
}

/// A `wp:comment`.
#[derive(Debug, Default, Clone)]
pub struct Comment {
    pub id: String,
    pub author: String,
    pub author_url: String,
    pub date: String,
    pub date_gmt: String,
    pub content: String,
    /// `1` approved, `0` waiting, `spam`, `trash`.
    pub approved: String,
    /// ``/`comment`, `pingback`, `trackback`.
    pub kind: String,
    pub parent: String,
}

/// Where the reader is.
#[derive(Default)]
struct State {
    export: Export,
    stack: Vec<String>,
    text: String,
    item: Option<Item>,
    comment: Option<Comment>,
    meta: Option<(String, String)>,
    author: Option<Author>,
    term: Option<Term>,
    item_term: Option<ItemTerm>,
}

/// Reads the export. Never fails: a file that is no XML at all gives no items and a problem.
pub fn read(xml: &str) -> Export {
    let lines = LineIndex::new(xml);
    let mut reader = Reader::from_str(xml);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.allow_dangling_amp = true;
    let mut st = State::default();
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        match reader.read_event() {
            Ok(Event::Start(e)) => st.start(&e, lines.locate(at.min(xml.len())).0 + 1),
            Ok(Event::End(_)) => st.end(),
            Ok(Event::Text(t)) => st.text.push_str(&t.xml10_content()),
            Ok(Event::CData(t)) => st.text.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                let name = r.into_inner();
                st.text.push_str(&reference(&name));
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                let pos = usize::try_from(reader.error_position()).unwrap_or(0);
                let (l, c) = lines.locate(pos.min(xml.len()));
                st.export
                    .problems
                    .push((l + 1, c, format!("the XML is broken here: {e}")));
                break;
            }
        }
    }
    if let Some(item) = st.item.take() {
        st.export.problems.push((
            item.line,
            1,
            format!(
                "the file ends inside the item “{}” that starts here: it is cut off and not imported",
                item.title
            ),
        ));
    }
    st.export
}

/// The text an entity or character reference stands for (`&amp;`, `&#8222;`, `&nbsp;`).
fn reference(name: &str) -> String {
    let whole = format!("&{name};");
    crate::text::decode_entities(&whole).into_owned()
}

/// The value of an attribute.
fn attr(e: &BytesStart, name: &str) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
        .unwrap_or_default()
}

impl State {
    fn start(&mut self, e: &BytesStart, line: usize) {
        let name = e.name().as_ref().to_string();
        self.text.clear();
        let in_item = self.item.is_some();
        match name.as_str() {
            "item" => {
                self.item = Some(Item {
                    line,
                    ..Item::default()
                })
            }
            "wp:comment" if in_item => self.comment = Some(Comment::default()),
            "wp:postmeta" if in_item => self.meta = Some((String::new(), String::new())),
            "category" if in_item => {
                self.item_term = Some(ItemTerm {
                    domain: attr(e, "domain"),
                    nicename: attr(e, "nicename"),
                    name: String::new(),
                })
            }
            "content:encoded" => {
                if let Some(i) = self.item.as_mut() {
                    i.content_line = line;
                }
            }
            "wp:author" if !in_item => self.author = Some(Author::default()),
            "wp:category" | "wp:tag" if !in_item => self.term = Some(Term::default()),
            _ => {}
        }
        self.stack.push(name);
    }

    fn end(&mut self) {
        let Some(name) = self.stack.pop() else {
            return;
        };
        let text = std::mem::take(&mut self.text);
        if name == "wp:wxr_version" || name == "wp:post_type" {
            self.export.is_wxr = true;
        }
        if self.comment.is_some() {
            self.comment_field(&name, text);
        } else if self.meta.is_some() {
            self.meta_field(&name, text);
        } else if self.item.is_some() {
            self.item_field(&name, text);
        } else if self.author.is_some() {
            self.author_field(&name, text);
        } else if self.term.is_some() {
            self.term_field(&name, text);
        } else {
            self.channel_field(&name, text);
        }
    }

    fn channel_field(&mut self, name: &str, text: String) {
        // Only the channel's own fields, not those of an <image> inside it.
        if self.stack.last().map(String::as_str) != Some("channel") {
            return;
        }
        let c = &mut self.export.channel;
        match name {
            "title" => c.title = text,
            "link" => c.link = text,
            "description" => c.description = text,
            "language" => c.language = text,
            "wp:base_site_url" => c.base_site_url = text,
            "wp:base_blog_url" => c.base_blog_url = text,
            _ => {}
        }
    }

    fn author_field(&mut self, name: &str, text: String) {
        let Some(a) = self.author.as_mut() else {
            return;
        };
        match name {
            "wp:author_login" => a.login = text,
            "wp:author_display_name" => a.display_name = text,
            "wp:author" => {
                if let Some(a) = self.author.take() {
                    self.export.channel.authors.push(a);
                }
            }
            _ => {}
        }
    }

    fn term_field(&mut self, name: &str, text: String) {
        let Some(t) = self.term.as_mut() else {
            return;
        };
        match name {
            "wp:category_nicename" | "wp:tag_slug" => t.slug = text,
            "wp:cat_name" | "wp:tag_name" => t.name = text,
            "wp:category" => {
                if let Some(t) = self.term.take() {
                    self.export.channel.categories.push(t);
                }
            }
            "wp:tag" => {
                if let Some(t) = self.term.take() {
                    self.export.channel.tags.push(t);
                }
            }
            _ => {}
        }
    }

    fn meta_field(&mut self, name: &str, text: String) {
        let Some(m) = self.meta.as_mut() else {
            return;
        };
        match name {
            "wp:meta_key" => m.0 = text,
            "wp:meta_value" => m.1 = text,
            "wp:postmeta" => {
                if let (Some(m), Some(i)) = (self.meta.take(), self.item.as_mut()) {
                    i.meta.push(m);
                }
            }
            _ => {}
        }
    }

    fn comment_field(&mut self, name: &str, text: String) {
        let Some(c) = self.comment.as_mut() else {
            return;
        };
        match name {
            "wp:comment_id" => c.id = text,
            "wp:comment_author" => c.author = text,
            "wp:comment_author_url" => c.author_url = text,
            "wp:comment_date" => c.date = text,
            "wp:comment_date_gmt" => c.date_gmt = text,
            "wp:comment_content" => c.content = text,
            "wp:comment_approved" => c.approved = text,
            "wp:comment_type" => c.kind = text,
            "wp:comment_parent" => c.parent = text,
            "wp:comment" => {
                if let (Some(c), Some(i)) = (self.comment.take(), self.item.as_mut()) {
                    i.comments.push(c);
                }
            }
            _ => {}
        }
    }

    fn item_field(&mut self, name: &str, text: String) {
        if name == "item" {
            if let Some(i) = self.item.take() {
                self.export.items.push(i);
            }
            return;
        }
        if name == "category" {
            if let (Some(mut t), Some(i)) = (self.item_term.take(), self.item.as_mut()) {
                t.name = text;
                i.terms.push(t);
            }
            return;
        }
        let Some(i) = self.item.as_mut() else {
            return;
        };
        let field = match name {
            "title" => &mut i.title,
            "link" => &mut i.link,
            "dc:creator" => &mut i.creator,
            "content:encoded" => &mut i.content,
            "excerpt:encoded" => &mut i.excerpt,
            "wp:post_id" => &mut i.post_id,
            "wp:post_date" => &mut i.post_date,
            "wp:post_date_gmt" => &mut i.post_date_gmt,
            "wp:post_modified" => &mut i.post_modified,
            "wp:post_modified_gmt" => &mut i.post_modified_gmt,
            "wp:post_name" => &mut i.post_name,
            "wp:status" => &mut i.status,
            "wp:post_parent" => &mut i.post_parent,
            "wp:menu_order" => &mut i.menu_order,
            "wp:post_type" => &mut i.post_type,
            "wp:post_password" => &mut i.post_password,
            "wp:is_sticky" => &mut i.is_sticky,
            "wp:attachment_url" => &mut i.attachment_url,
            _ => return,
        };
        *field = text;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WXR: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Atelier &amp; Co</title>
  <link>https://atelier.example</link>
  <language>de-DE</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://atelier.example</wp:base_site_url>
  <wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[anna]]></wp:author_login><wp:author_display_name><![CDATA[Anna Beispiel]]></wp:author_display_name></wp:author>
  <wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[design-branding]]></wp:category_nicename><wp:cat_name><![CDATA[Design &amp; Branding]]></wp:cat_name></wp:category>
  <item>
    <title><![CDATA[Hallo &#8222;Welt&#8220;]]></title>
    <link>https://atelier.example/2019/03/hallo-welt/</link>
    <dc:creator><![CDATA[anna]]></dc:creator>
    <content:encoded><![CDATA[Erster Absatz.

Zweiter & letzter.]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>12</wp:post_id>
    <wp:post_date><![CDATA[2019-03-04 10:22:11]]></wp:post_date>
    <wp:post_type><![CDATA[post]]></wp:post_type>
    <wp:post_password><![CDATA[]]></wp:post_password>
    <category domain="category" nicename="design-branding"><![CDATA[Design &amp; Branding]]></category>
    <wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[40]]></wp:meta_value></wp:postmeta>
    <wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_author><![CDATA[Ben]]></wp:comment_author><wp:comment_content><![CDATA[Schön!]]></wp:comment_content><wp:comment_approved><![CDATA[1]]></wp:comment_approved></wp:comment>
  </item>
</channel>
</rss>
"#;

    #[test]
    fn reads_channel_items_terms_meta_and_comments() {
        let e = read(WXR);
        assert!(e.is_wxr);
        assert!(e.problems.is_empty(), "{:?}", e.problems);
        assert_eq!(e.channel.title, "Atelier & Co");
        assert_eq!(e.channel.authors[0].display_name, "Anna Beispiel");
        assert_eq!(e.channel.categories[0].name, "Design &amp; Branding");
        let i = &e.items[0];
        assert_eq!(i.line, 11);
        assert_eq!(i.content_line, 15);
        assert_eq!(i.title, "Hallo &#8222;Welt&#8220;");
        assert_eq!(i.content, "Erster Absatz.\n\nZweiter & letzter.");
        assert_eq!(i.terms[0].nicename, "design-branding");
        assert_eq!(i.meta("_thumbnail_id"), Some("40"));
        assert_eq!(i.comments[0].content, "Schön!");
        assert_eq!(i.post_password, "");
    }

    #[test]
    fn a_cut_off_file_keeps_what_came_before() {
        let cut = &WXR[..WXR.find("<wp:post_type>").unwrap()];
        let e = read(cut);
        assert!(e.items.is_empty());
        assert_eq!(e.problems.len(), 1, "{:?}", e.problems);
        assert!(e.problems[0].2.contains("cut off"));
        let broken = WXR.replace("</wp:post_date>", "</wp:post_dat>");
        let e = read(&broken);
        assert!(e.problems[0].2.contains("broken"), "{:?}", e.problems);
        assert!(read("not xml at all").items.is_empty());
        assert!(!read("<html><body>x</body></html>").is_wxr);
    }
}
