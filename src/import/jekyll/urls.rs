//! Addresses as Jekyll makes them: its permalink styles (`date`, `pretty`, `ordinal`, …), the
//! placeholders of a pattern, and which patterns kiosk's `permalinks` can read as they are.

use crate::date::PageDate;

/// Jekyll's built-in permalink styles for posts.
pub(super) fn post_pattern(style: &str) -> String {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
        "none" => "/:categories/:title:output_ext".into(),
        custom => custom.to_string(),
    }
}

/// A Jekyll pattern in kiosk's tokens, when kiosk has every one (`:title` is the file name
/// without its date: kiosk's `:slug`).
pub(super) fn kiosk_pattern(p: &str) -> Option<String> {
    if !p.starts_with('/') {
        return None;
    }
    let mut out = String::new();
    for piece in crate::text::pattern_pieces(p) {
        out.push_str(match piece {
            crate::text::Piece::Text(t) => t,
            crate::text::Piece::Token("title" | "slug") => ":slug",
            crate::text::Piece::Token("year") => ":year",
            crate::text::Piece::Token("month") => ":month",
            crate::text::Piece::Token("day") => ":day",
            crate::text::Piece::Token("categories") => ":categories",
            crate::text::Piece::Token("output_ext") => ":output_ext",
            crate::text::Piece::Token(_) => return None,
        });
    }
    Some(out)
}

/// A Jekyll pattern for one document.
pub(super) fn expand(
    pattern: &str,
    date: Option<PageDate>,
    title: &str,
    categories: &[String],
    collection: &str,
    path: &str,
) -> String {
    let d = date.map(|d| d.datetime);
    let english = crate::locale::Locale::new("en");
    let month_name = |m: i8| english.month_name(m);
    crate::text::expand_pattern(pattern, |token| {
        Ok::<_, std::convert::Infallible>(match (token, d) {
            ("year", Some(d)) => format!("{:04}", d.year()),
            ("short_year", Some(d)) => format!("{:02}", d.year() % 100),
            ("month", Some(d)) => format!("{:02}", d.month()),
            ("i_month", Some(d)) => d.month().to_string(),
            ("short_month", Some(d)) => month_name(d.month()).chars().take(3).collect(),
            ("long_month", Some(d)) => month_name(d.month()).to_string(),
            ("day", Some(d)) => format!("{:02}", d.day()),
            ("i_day", Some(d)) => d.day().to_string(),
            ("y_day", Some(d)) => format!("{:03}", d.day_of_year()),
            ("hour", Some(d)) => format!("{:02}", d.hour()),
            ("minute", Some(d)) => format!("{:02}", d.minute()),
            ("second", Some(d)) => format!("{:02}", d.second()),
            ("title" | "name", _) => title.to_string(),
            ("slug", _) => crate::text::slug::slugify(title),
            ("categories", _) => categories.join("/"),
            ("collection", _) => collection.to_string(),
            ("path", _) => path.to_string(),
            ("output_ext", _) => ".html".into(),
            (other, _) => format!(":{other}"),
        })
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jekyll_addresses() {
        let d = PageDate::parse("2021-03-04").ok();
        assert_eq!(
            expand(
                &post_pattern("date"),
                d,
                "Willkommen",
                &["jekyll".into(), "update".into()],
                "",
                ""
            ),
            "/jekyll/update/2021/03/04/Willkommen.html"
        );
        assert_eq!(
            expand(&post_pattern("pretty"), d, "toc", &[], "", ""),
            "/2021/03/04/toc/"
        );
        assert_eq!(
            expand("/:year/:i_month/:slug/", d, "Über uns", &[], "", ""),
            "/2021/3/ueber-uns/"
        );
        assert_eq!(
            expand(
                "/:collection/:path:output_ext",
                None,
                "",
                &[],
                "projekte",
                "a/b"
            ),
            "/projekte/a/b.html"
        );
        assert_eq!(
            kiosk_pattern(&post_pattern("date")).as_deref(),
            Some("/:categories/:year/:month/:day/:slug:output_ext")
        );
        assert_eq!(kiosk_pattern(&post_pattern("ordinal")), None);
    }
}
