#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of N posts shaped like a real freelancer's blog: classic
and block-editor posts, captions, galleries, embeds, code, internal links, categories, tags,
featured images, comments (some spam), drafts, pages and attachments. Deterministic (seeded).
Usage: bench/wxr.py N OUT.xml"""
import random
import sys
from xml.sax.saxutils import escape

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out = sys.argv[2] if len(sys.argv) > 2 else "export.xml"
rnd = random.Random(7)
words = ("Angebot Kundin Website Logo Farbe Schrift Preis Projekt Entwurf Idee Rechnung Steuer "
         "Kaffee Werkstatt Zeit Plan Text Bild Layout Kunde Termin Rückfrage Übersicht Größe").split()
cats = ["Design & Branding", "Allgemein", "Selbstständigkeit", "Technik", "Über mich"]
tags = ["Logo", "WordPress", "Preise", "Kunden", "Werkzeuge", "Fotos", "Schriften", "SEO"]
site = "https://bench.example"

def sentence(k=12):
    s = " ".join(rnd.choice(words) for _ in range(k))
    return s[0].upper() + s[1:] + "."

def cdata(s):
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"

def url(i):
    """The address of post i (the one before a draft, which has none, for links)."""
    i = max(1, i - 1 if i % 50 == 0 else i)
    return f"{site}/{2019 + i % 5}/{1 + i % 9:02d}/beitrag-{i}/"

def post_body(i):
    parts = []
    if i % 2:  # block editor
        for _ in range(rnd.randint(4, 9)):
            parts.append(f"<!-- wp:paragraph -->\n<p>{sentence(rnd.randint(10, 30))} <a href=\"{url(i - 1)}\">Mehr</a></p>\n<!-- /wp:paragraph -->")
        parts.append(f"<!-- wp:image {{\"id\":{100000 + i}}} -->\n<figure class=\"wp-block-image\"><img src=\"{site}/wp-content/uploads/2020/01/bild-{i}-1024x768.jpg\" alt=\"{sentence(4)}\"/><figcaption>{sentence(5)}</figcaption></figure>\n<!-- /wp:image -->")
        parts.insert(2, "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->")
        if i % 7 == 0:
            parts.append("<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\",\"type\":\"video\"} -->\n<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n</div></figure>\n<!-- /wp:embed -->")
        if i % 5 == 0:
            parts.append("<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>echo &quot;hallo&quot;;\nexit 0;</code></pre>\n<!-- /wp:code -->")
        return "\n\n".join(parts)
    for _ in range(rnd.randint(4, 9)):
        parts.append(sentence(rnd.randint(10, 30)) + "\n" + sentence(8))
    parts.insert(1, "<!--more-->")
    parts.append(f"[caption id=\"attachment_{100000 + i}\" align=\"aligncenter\" width=\"640\"]<img src=\"{site}/wp-content/uploads/2020/01/bild-{i}-640x480.jpg\" alt=\"{sentence(3)}\" width=\"640\" height=\"480\" /> {sentence(4)}[/caption]")
    if i % 6 == 0:
        parts.append(f"[gallery ids=\"{100000 + i}\"]")
    if i % 9 == 0:
        parts.append("https://vimeo.com/76979871")
    parts.append("<ul>\n<li>" + sentence(4) + "</li>\n<li>" + sentence(5) + "</li>\n</ul>")
    return "\n\n".join(parts)

items = []
for i in range(1, n + 1):
    year, month, day = 2019 + i % 5, 1 + i % 9, 1 + i % 27
    slug = f"beitrag-{i}"
    status = "draft" if i % 50 == 0 else "publish"
    comments = "".join(
        f"<wp:comment><wp:comment_id>{i * 10 + c}</wp:comment_id><wp:comment_author>{cdata('Leserin ' + str(c))}</wp:comment_author>"
        f"<wp:comment_author_email>{cdata('l@example.org')}</wp:comment_author_email><wp:comment_date>{cdata(f'{year}-0{month}-{day:02d} 12:00:00')}</wp:comment_date>"
        f"<wp:comment_date_gmt>{cdata(f'{year}-0{month}-{day:02d} 11:00:00')}</wp:comment_date_gmt><wp:comment_content>{cdata(sentence(9))}</wp:comment_content>"
        f"<wp:comment_approved>{cdata('spam' if c == 2 else '1')}</wp:comment_approved><wp:comment_type>{cdata('comment')}</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>"
        for c in range(i % 4))
    items.append(f"""
	<item>
		<title>{cdata(sentence(5)[:-1])}</title>
		<link>{site}/{year}/{month:02d}/{slug}/</link>
		<dc:creator>{cdata('anna')}</dc:creator>
		<content:encoded>{cdata(post_body(i))}</content:encoded>
		<excerpt:encoded>{cdata(sentence(10) if i % 3 == 0 else '')}</excerpt:encoded>
		<wp:post_id>{i}</wp:post_id>
		<wp:post_date>{cdata(f'{year}-{month:02d}-{day:02d} 10:00:00')}</wp:post_date>
		<wp:post_date_gmt>{cdata(f'{year}-{month:02d}-{day:02d} 09:00:00')}</wp:post_date_gmt>
		<wp:post_name>{cdata(slug)}</wp:post_name>
		<wp:status>{cdata(status)}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type>{cdata('post')}</wp:post_type>
		<wp:post_password>{cdata('')}</wp:post_password>
		<category domain="category" nicename="c{i % 5}">{cdata(escape(cats[i % 5]))}</category>
		<category domain="post_tag" nicename="t{i % 8}">{cdata(tags[i % 8])}</category>
		<wp:postmeta><wp:meta_key>{cdata('_thumbnail_id')}</wp:meta_key><wp:meta_value>{cdata(str(100000 + i))}</wp:meta_value></wp:postmeta>{comments}
	</item>
	<item>
		<title>{cdata('bild-' + str(i))}</title>
		<wp:post_id>{100000 + i}</wp:post_id>
		<wp:post_parent>{i}</wp:post_parent>
		<wp:status>{cdata('inherit')}</wp:status>
		<wp:post_type>{cdata('attachment')}</wp:post_type>
		<wp:attachment_url>{cdata(f'{site}/wp-content/uploads/2020/01/bild-{i}.jpg')}</wp:attachment_url>
		<wp:postmeta><wp:meta_key>{cdata('_wp_attachment_image_alt')}</wp:meta_key><wp:meta_value>{cdata(sentence(3))}</wp:meta_value></wp:postmeta>
	</item>""")
for p in ["impressum", "datenschutz", "ueber-mich", "leistungen"]:
    items.append(f"""
	<item><title>{cdata(p.title())}</title><link>{site}/{p}/</link><dc:creator>{cdata('anna')}</dc:creator>
	<content:encoded>{cdata(sentence(40))}</content:encoded><wp:post_id>{p}</wp:post_id><wp:post_date>{cdata('2019-01-01 10:00:00')}</wp:post_date>
	<wp:post_date_gmt>{cdata('2019-01-01 09:00:00')}</wp:post_date_gmt><wp:post_name>{cdata(p)}</wp:post_name><wp:status>{cdata('publish')}</wp:status>
	<wp:post_type>{cdata('page')}</wp:post_type><wp:post_password>{cdata('')}</wp:post_password></item>""")

with open(out, "w", encoding="utf-8") as f:
    f.write(f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
	<title>Bench &amp; Blog</title>
	<link>{site}</link>
	<description>Ein Blog mit {n} Beiträgen</description>
	<language>de-DE</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>{site}</wp:base_site_url>
	<wp:base_blog_url>{site}</wp:base_blog_url>
	<wp:author><wp:author_login>{cdata('anna')}</wp:author_login><wp:author_display_name>{cdata('Anna Bench')}</wp:author_display_name></wp:author>
{''.join(items)}
</channel>
</rss>
""")
