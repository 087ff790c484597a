//! `IMPORT-REPORT.md`: what the import did, in numbers, then every construct it could not
//! convert, grouped by kind, each with its place in the source (a file and line, or a
//! WordPress post id and the export's line).

use std::collections::BTreeMap;
use std::fmt::Write;

/// What a note is about; the report lists them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// The source is broken here (bad XML, a date that is no date).
    Broken,
    /// Content that was not imported at all (private posts, trash, menus).
    NotImported,
    /// An old address that does not lead to the same content any more.
    UrlLost,
    /// Shortcodes, template code and embeds kept as text or replaced by a link.
    NotConverted,
    /// Links to files that are still on the old site (no `--uploads`) or missing.
    Files,
    /// Settings of the old site kiosk has no place for.
    Settings,
    /// Worth knowing: what was changed on the way (drafts made of password-protected posts).
    Changed,
}

impl Kind {
    fn heading(self) -> &'static str {
        match self {
            Kind::Broken => "Problems in the source",
            Kind::NotImported => "Not imported",
            Kind::UrlLost => "Addresses that could not be kept",
            Kind::NotConverted => "Not converted (kept as text or replaced by a link)",
            Kind::Files => "Files",
            Kind::Settings => "Settings without a place in kiosk",
            Kind::Changed => "Changed on the way",
        }
    }
}

/// One thing to tell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Note {
    /// Where: `_posts/2019-01-01-a.md:12`, `post 123 (export.xml:456)`.
    pub place: String,
    /// What.
    pub text: String,
}

/// The order counts are shown in (others after them, in the order first counted).
const ORDER: &[&str] = &[
    "Posts",
    "Pages",
    "Other content (custom post types)",
    "Drafts (draft: true)",
    "Scheduled (published on their date)",
    "Left out (private, trash)",
    "Files copied from --uploads",
    "Files copied",
    "Files still on the old site (no --uploads)",
    "Comments kept as data (data/comments/, not published)",
    "Comments not approved (spam, waiting, trash): left out",
    "Old addresses kept",
];

/// The report being written.
#[derive(Debug, Default)]
pub struct Report {
    /// Counts by label, in the order first counted.
    counts: Vec<(String, usize)>,
    notes: BTreeMap<Kind, Vec<Note>>,
    /// Redirects a host should serve for addresses kiosk cannot keep: (old, new).
    pub redirects: Vec<(String, String)>,
    /// Front matter keys of the old generator that were dropped: key → (files, first place).
    dropped: BTreeMap<String, (usize, String)>,
}

impl Report {
    /// Adds `n` to the count `label`.
    pub fn count(&mut self, label: &str, n: usize) {
        match self.counts.iter_mut().find(|(l, _)| l == label) {
            Some((_, c)) => *c += n,
            None => self.counts.push((label.to_string(), n)),
        }
    }

    /// The count `label`.
    pub fn get(&self, label: &str) -> usize {
        self.counts
            .iter()
            .find(|(l, _)| l == label)
            .map_or(0, |(_, c)| *c)
    }

    /// Adds a note.
    /// Notes one old address the new site does not answer, and counts it.
    pub fn lost(&mut self, place: impl Into<String>, text: impl Into<String>) {
        self.note(Kind::UrlLost, place, text);
        self.count("Old addresses lost", 1);
    }

    pub fn note(&mut self, kind: Kind, place: impl Into<String>, text: impl Into<String>) {
        self.notes.entry(kind).or_default().push(Note {
            place: place.into(),
            text: text.into(),
        });
    }

    /// Notes a front matter key that was dropped (one note per key, however many files).
    pub fn dropped_key(&mut self, key: &str, place: String) {
        let e = self.dropped.entry(key.to_string()).or_insert((0, place));
        e.0 += 1;
    }

    /// Takes the notes of another report (one item's, converted in parallel).
    pub fn merge(&mut self, other: Report) {
        for (label, n) in other.counts {
            self.count(&label, n);
        }
        for (kind, notes) in other.notes {
            self.notes.entry(kind).or_default().extend(notes);
        }
        self.redirects.extend(other.redirects);
        for (k, (n, place)) in other.dropped {
            let e = self.dropped.entry(k).or_insert((0, place));
            e.0 += n;
        }
    }

    /// Notes of one kind.
    pub fn notes(&self, kind: Kind) -> &[Note] {
        self.notes.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// Number of notes of every kind.
    pub fn note_count(&self) -> usize {
        self.notes.values().map(Vec::len).sum::<usize>() + self.dropped.len()
    }

    /// The report as markdown. `title` names the source (`WordPress export export.xml`).
    pub fn markdown(&self, title: &str, check: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# Import from {title}\n");
        let _ = writeln!(
            s,
            "Written by `kiosk import`. Importing the same source again gives the same site, byte for byte.\n"
        );
        let _ = writeln!(s, "| | |\n|---|---:|");
        let mut counts = self.counts.clone();
        counts.sort_by_key(|(l, _)| ORDER.iter().position(|o| l == o).unwrap_or(ORDER.len()));
        for (label, n) in &counts {
            let _ = writeln!(s, "| {label} | {n} |");
        }
        let _ = writeln!(s, "\n{check}\n");
        let mut all = self.notes.clone();
        for (key, (n, place)) in &self.dropped {
            let files = if *n == 1 {
                String::new()
            } else {
                format!(" (in {n} files)")
            };
            all.entry(Kind::Settings).or_default().push(Note {
                place: place.clone(),
                text: format!(
                    "`{key}` (a setting of the old generator's templates) is dropped{files}"
                ),
            });
        }
        if all.is_empty() {
            let _ = writeln!(s, "Everything was converted.");
        }
        for (kind, notes) in &all {
            let mut notes = notes.clone();
            notes.sort();
            notes.dedup();
            let _ = writeln!(s, "## {} ({})\n", kind.heading(), notes.len());
            for n in notes {
                let _ = writeln!(s, "- `{}`: {}", n.place, n.text.replace('\n', " "));
            }
            s.push('\n');
        }
        if !self.redirects.is_empty() {
            let mut r = self.redirects.clone();
            r.sort();
            r.dedup();
            let _ = writeln!(
                s,
                "## Redirects for your host ({})\n\nkiosk cannot answer these old addresses itself (a static host needs a rule). In Netlify's or Cloudflare Pages' `_redirects` format:\n\n```",
                r.len()
            );
            for (from, to) in r {
                let _ = writeln!(s, "{from} {to} 301");
            }
            s.push_str("```\n");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_notes_and_redirects_in_order() {
        let mut r = Report::default();
        r.count("Posts", 2);
        r.count("Pages", 1);
        r.count("Posts", 1);
        r.note(
            Kind::NotConverted,
            "post 3 (export.xml:40)",
            "shortcode `[foo]` kept as text",
        );
        r.note(Kind::Broken, "export.xml:9", "bad date");
        r.redirects.push(("/feed/".into(), "/rss.xml".into()));
        let md = r.markdown("WordPress export `x.xml`", "kiosk check: 0 errors");
        assert!(md.contains("| Posts | 3 |\n| Pages | 1 |"), "{md}");
        r.count("Left out (private, trash)", 1);
        let md = r.markdown("x", "y");
        assert!(md.find("| Pages").unwrap() < md.find("| Left out").unwrap());
        let broken = md.find("## Problems in the source (1)").unwrap();
        let conv = md.find("## Not converted").unwrap();
        assert!(broken < conv);
        assert!(md.contains("- `post 3 (export.xml:40)`: shortcode `[foo]` kept as text"));
        assert!(md.contains("/feed/ /rss.xml 301"));
    }
}
