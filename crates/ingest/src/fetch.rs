//! HTTP fetching with timeouts, a size cap, http(s) only, and charset decoding.

use std::time::Duration;

/// Limits for fetching.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// whole request, connection to last byte
    pub timeout: Duration,
    /// connect timeout
    pub connect_timeout: Duration,
    /// largest body accepted, bytes
    pub max_bytes: u64,
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: 10 * 1024 * 1024,
            user_agent: concat!(
                "marsad/",
                env!("CARGO_PKG_VERSION"),
                " (Arabic news observatory)"
            )
            .to_string(),
        }
    }
}

/// A fetched resource.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// the URL asked for
    pub url: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Fetched {
    /// The body as text: charset from the Content-Type header, else from an HTML/XML
    /// declaration, else UTF-8 when valid, else detected (Arabic sites may serve undeclared
    /// windows-1256).
    pub fn text(&self) -> String {
        decode(&self.body, self.content_type.as_deref())
    }
}

/// Is this an http(s) URL? Other schemes (file:, ftp:, data:, javascript:) are refused.
pub fn check_url(url: &str) -> Result<(), String> {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        let rest = &lower[lower.find("://").unwrap_or(0) + 3..];
        if rest.is_empty() || rest.starts_with('/') {
            return Err(format!("{url}: no host in URL"));
        }
        Ok(())
    } else {
        Err(format!(
            "{url}: only http:// and https:// URLs are fetched (refusing this scheme)"
        ))
    }
}

/// An HTTP client with the limits of [`FetchOptions`].
#[derive(Clone)]
pub struct Fetcher {
    agent: ureq::Agent,
    opts: FetchOptions,
}

impl Fetcher {
    pub fn new(opts: FetchOptions) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .timeout_connect(Some(opts.connect_timeout))
            .http_status_as_error(false)
            .max_redirects(5)
            .user_agent(opts.user_agent.as_str())
            .build()
            .into();
        Fetcher { agent, opts }
    }

    /// GET `url`: the body if the status is 2xx and the body fits under the cap.
    pub fn get(&self, url: &str) -> Result<Fetched, String> {
        check_url(url)?;
        let mut resp = self
            .agent
            .get(url)
            .header("Accept", "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5")
            .call()
            .map_err(|e| format!("{url}: {}", describe(&e)))?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(format!("{url}: HTTP status {status}"));
        }
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if let Some(len) = resp
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok())
        {
            if len > self.opts.max_bytes {
                return Err(format!(
                    "{url}: response of {len} bytes is over the limit of {} bytes",
                    self.opts.max_bytes
                ));
            }
        }
        let body = resp
            .body_mut()
            .with_config()
            .limit(self.opts.max_bytes)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => format!(
                    "{url}: response is over the limit of {} bytes",
                    self.opts.max_bytes
                ),
                e => format!("{url}: {}", describe(&e)),
            })?;
        Ok(Fetched {
            url: url.to_string(),
            content_type,
            body,
        })
    }
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::Io(io) => format!("connection failed: {io}"),
        ureq::Error::BodyExceedsLimit(n) => format!("response over the limit of {n} bytes"),
        e => e.to_string(),
    }
}

/// Decode bytes to text (see [`Fetched::text`]).
pub fn decode(body: &[u8], content_type: Option<&str>) -> String {
    let label = content_type
        .and_then(charset_param)
        .or_else(|| declared_charset(body));
    if let Some(enc) = label.and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes())) {
        return enc.decode_with_bom_removal(body).0.into_owned();
    }
    if let Ok(s) = std::str::from_utf8(body) {
        return s.trim_start_matches('\u{feff}').to_string();
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(body, true);
    let enc = det.guess(None, true);
    enc.decode_with_bom_removal(body).0.into_owned()
}

fn charset_param(ct: &str) -> Option<String> {
    ct.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// `<meta charset=…>`, `<meta http-equiv … content="…charset=…">` or `<?xml encoding="…"?>`
/// in the first 2 KB.
fn declared_charset(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(2048)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        if let Some(i) = head.find(key) {
            let rest = head[i + key.len()..].trim_start_matches(['"', '\'', ' ']);
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .unwrap_or(rest.len());
            if end > 0 {
                return Some(rest[..end].to_string());
            }
        }
    }
    None
}

/// Resolve a link found in a page or feed against the URL it came from.
pub fn resolve(base: &str, link: &str) -> String {
    let link = link.trim();
    if link.contains("://") || base.is_empty() {
        return link.to_string();
    }
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    if let Some(rest) = link.strip_prefix("//") {
        return format!("{}{rest}", &base[..scheme_end]);
    }
    if link.starts_with('/') {
        return format!("{}{link}", &base[..host_end]);
    }
    let dir_end = base
        .rfind('/')
        .filter(|&i| i >= host_end)
        .unwrap_or(host_end);
    format!("{}/{link}", &base[..dir_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert!(check_url("https://example.org/a").is_ok());
        assert!(check_url("HTTP://example.org").is_ok());
        assert!(check_url("file:///etc/passwd").is_err());
        assert!(check_url("ftp://x/y").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("http:///x").is_err());
    }

    #[test]
    fn resolves_links() {
        assert_eq!(
            resolve("http://a.b/c/feed.xml", "/x/1.html"),
            "http://a.b/x/1.html"
        );
        assert_eq!(
            resolve("http://a.b/c/feed.xml", "1.html"),
            "http://a.b/c/1.html"
        );
        assert_eq!(resolve("http://a.b", "1.html"), "http://a.b/1.html");
        assert_eq!(resolve("https://a.b/c", "//d.e/f"), "https://d.e/f");
        assert_eq!(resolve("http://a.b/c", "https://z/y"), "https://z/y");
    }

    #[test]
    fn decodes_windows_1256() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode("مرحبا بالعالم في بغداد");
        assert_eq!(
            decode(&bytes, Some("text/html; charset=windows-1256")),
            "مرحبا بالعالم في بغداد"
        );
        let html = [b"<meta charset=\"windows-1256\">".as_slice(), &bytes].concat();
        assert!(decode(&html, None).contains("بغداد"));
    }
}
