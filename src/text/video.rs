//! Which video an address names: YouTube and Vimeo links in every form people paste them
//! (`watch?v=`, `youtu.be/`, `/embed/`, `/shorts/`, `player.vimeo.com/video/`, unlisted Vimeo
//! links with their hash). The `video` shortcode and `kiosk import` use it; nothing is loaded.

use url::Url;

/// A video host kiosk can embed after a click.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provider {
    /// youtube.com, embedded from youtube-nocookie.com.
    YouTube,
    /// vimeo.com, embedded with `dnt=1`.
    Vimeo,
}

/// One video on a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Video {
    /// The host.
    pub provider: Provider,
    /// Its id there (11 characters on YouTube, digits on Vimeo).
    pub id: String,
    /// Start at this second.
    pub start: Option<u32>,
    /// Vimeo's hash of an unlisted video.
    pub hash: Option<String>,
}

impl Video {
    /// A video from `provider` ("youtube", "vimeo") and `id`, if the id is one that host uses.
    pub fn from_id(provider: &str, id: &str) -> Option<Video> {
        let provider = match provider.to_ascii_lowercase().as_str() {
            "youtube" => Provider::YouTube,
            "vimeo" => Provider::Vimeo,
            _ => return None,
        };
        let ok = match provider {
            Provider::YouTube => is_youtube_id(id),
            Provider::Vimeo => is_vimeo_id(id),
        };
        ok.then(|| Video {
            provider,
            id: id.to_string(),
            start: None,
            hash: None,
        })
    }

    /// The video an address names, if it names one.
    pub fn from_url(address: &str) -> Option<Video> {
        let url = Url::parse(address.trim()).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let host = url.host_str()?.to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host);
        let host = host.strip_prefix("m.").unwrap_or(host);
        let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
        let query = |k: &str| {
            url.query_pairs()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.into_owned())
        };
        let mut video = match host {
            "youtube.com" | "youtube-nocookie.com" | "music.youtube.com" => {
                let id = match segments.as_slice() {
                    ["watch"] => query("v")?,
                    // Old Flash players wrote options after `&` without a `?`: `/v/ID&hl=de`.
                    ["embed" | "shorts" | "live" | "v", id, ..] => {
                        id.split('&').next().unwrap_or(id).to_string()
                    }
                    _ => return None,
                };
                Video::from_id("youtube", &id)?
            }
            "youtu.be" => Video::from_id("youtube", segments.first()?)?,
            "vimeo.com" | "player.vimeo.com" => {
                let (id, hash) = match segments.as_slice() {
                    ["video", id, ..] => (*id, query("h")),
                    [id] => (*id, None),
                    [id, hash] if is_vimeo_id(id) => (*id, Some((*hash).to_string())),
                    ["channels", _, id] | ["groups", _, "videos", id] => (*id, None),
                    _ => return None,
                };
                let mut v = Video::from_id("vimeo", id)?;
                v.hash = hash.filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric()));
                v
            }
            _ => return None,
        };
        video.start = query("t")
            .or_else(|| query("start"))
            .and_then(|t| seconds(&t));
        Some(video)
    }

    /// The host's name as readers know it.
    pub fn provider_name(&self) -> &'static str {
        match self.provider {
            Provider::YouTube => "YouTube",
            Provider::Vimeo => "Vimeo",
        }
    }

    /// The player address, loaded only after the reader clicks: YouTube's no-cookie domain,
    /// Vimeo with "do not track".
    pub fn embed_url(&self) -> String {
        let mut url = match self.provider {
            Provider::YouTube => format!(
                "https://www.youtube-nocookie.com/embed/{}?autoplay=1",
                self.id
            ),
            Provider::Vimeo => format!(
                "https://player.vimeo.com/video/{}?dnt=1&autoplay=1",
                self.id
            ),
        };
        if let Some(h) = &self.hash {
            url.push_str(&format!("&h={h}"));
        }
        if let Some(s) = self.start {
            match self.provider {
                Provider::YouTube => url.push_str(&format!("&start={s}")),
                Provider::Vimeo => url.push_str(&format!("#t={s}s")),
            }
        }
        url
    }

    /// The video's own page on the host (the link readers without JavaScript follow).
    pub fn watch_url(&self) -> String {
        match (self.provider, &self.hash) {
            (Provider::YouTube, _) => format!("https://www.youtube.com/watch?v={}", self.id),
            (Provider::Vimeo, Some(h)) => format!("https://vimeo.com/{}/{h}", self.id),
            (Provider::Vimeo, None) => format!("https://vimeo.com/{}", self.id),
        }
    }
}

fn is_youtube_id(id: &str) -> bool {
    id.len() == 11
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_vimeo_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 12 && id.chars().all(|c| c.is_ascii_digit())
}

/// `90`, `90s`, `1m30s`, `1h2m3s` as seconds.
fn seconds(t: &str) -> Option<u32> {
    if let Ok(n) = t.parse::<u32>() {
        return Some(n);
    }
    let mut total: u32 = 0;
    let mut n: u32 = 0;
    let mut any = false;
    for c in t.chars() {
        if let Some(d) = c.to_digit(10) {
            n = n.checked_mul(10)?.checked_add(d)?;
            any = true;
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        n = 0;
    }
    (any && n == 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn youtube_forms() {
        for u in [
            "https://www.youtube.com/watch?v=abcdefghijk",
            "http://youtube.com/watch?feature=share&v=abcdefghijk",
            "https://m.youtube.com/watch?v=abcdefghijk",
            "https://youtu.be/abcdefghijk",
            "https://www.youtube.com/embed/abcdefghijk?rel=0",
            "https://www.youtube-nocookie.com/embed/abcdefghijk",
            "https://youtube.com/shorts/abcdefghijk",
            "http://www.youtube.com/v/abcdefghijk&hl=de&fs=1",
        ] {
            let v = Video::from_url(u).unwrap_or_else(|| panic!("{u}"));
            assert_eq!(
                (v.provider, v.id.as_str()),
                (Provider::YouTube, "abcdefghijk"),
                "{u}"
            );
        }
        let v = Video::from_url("https://youtu.be/abcdefghijk?t=1m30s").unwrap();
        assert_eq!(v.start, Some(90));
        assert_eq!(
            v.embed_url(),
            "https://www.youtube-nocookie.com/embed/abcdefghijk?autoplay=1&start=90"
        );
        assert_eq!(v.watch_url(), "https://www.youtube.com/watch?v=abcdefghijk");
    }

    #[test]
    fn vimeo_forms() {
        let v = Video::from_url("https://vimeo.com/123456789").unwrap();
        assert_eq!((v.provider, v.id.as_str()), (Provider::Vimeo, "123456789"));
        let v = Video::from_url("https://player.vimeo.com/video/123456789?h=abc123").unwrap();
        assert_eq!(v.hash.as_deref(), Some("abc123"));
        assert_eq!(v.watch_url(), "https://vimeo.com/123456789/abc123");
        let v = Video::from_url("https://vimeo.com/123456789/abc123").unwrap();
        assert_eq!(
            v.embed_url(),
            "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1&h=abc123"
        );
        assert!(Video::from_url("https://vimeo.com/channels/staffpicks/987").is_some());
    }

    #[test]
    fn anything_else_is_no_video() {
        for u in [
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/channel/abc",
            "https://vimeo.com/about",
            "https://example.com/watch?v=abcdefghijk",
            "javascript:alert(1)",
            "ftp://youtu.be/abcdefghijk",
            "",
            "https://youtu.be/abc\"><script>",
        ] {
            assert_eq!(Video::from_url(u), None, "{u}");
        }
        assert_eq!(Video::from_id("dailymotion", "x"), None);
        assert_eq!(Video::from_id("youtube", "../../etc"), None);
    }

    #[test]
    fn start_times() {
        assert_eq!(seconds("90"), Some(90));
        assert_eq!(seconds("1h2m3s"), Some(3723));
        assert_eq!(seconds("2m"), Some(120));
        assert_eq!(seconds("x"), None);
        assert_eq!(seconds("5"), Some(5));
        assert_eq!(seconds("99999999999h"), None);
    }
}
