//! Main-content extraction from news pages: the article's title, body and date, not the menus.
//!
//! The body comes from `dom_smoothie` (a port of Mozilla's Readability) in formatted-text mode;
//! the date from the page's metadata (`article:published_time`, JSON-LD `datePublished`,
//! Dublin Core, `itemprop=datePublished`, `<time datetime>` …).

use dom_smoothie::{Config, Readability, TextMode};

/// What a page says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub title: Option<String>,
    /// paragraphs, one per line
    pub text: String,
    /// the publication date as the page writes it
    pub date: Option<String>,
    pub site_name: Option<String>,
    /// `<link rel=canonical>`
    pub canonical: Option<String>,
}

/// Fewer letters than this in the extracted body: the page has no article text.
pub const MIN_TEXT_CHARS: usize = 40;

/// Extract the article of an HTML page. `url` (absolute) helps resolve links; optional.
pub fn extract(html: &str, url: Option<&str>) -> Result<Page, String> {
    let cfg = Config {
        text_mode: TextMode::Formatted,
        max_elements_to_parse: 200_000,
        ..Default::default()
    };
    let url = url.filter(|u| u.contains("://"));
    let mut r = Readability::new(html, url, Some(cfg)).map_err(|e| e.to_string())?;
    let extra_date = meta_date(&r);
    let canonical = r
        .doc
        .select("link[rel=canonical]")
        .attr("href")
        .map(|s| s.to_string())
        .filter(|s| !s.trim().is_empty());
    let article = r
        .parse()
        .map_err(|e| format!("no article text found ({e})"))?;
    let text = clean_text(&article.text_content);
    if text.chars().filter(|c| c.is_alphabetic()).count() < MIN_TEXT_CHARS {
        return Err("no article text found in the page".into());
    }
    let title = Some(article.title.trim().to_string()).filter(|t| !t.is_empty());
    Ok(Page {
        title,
        text,
        date: article.published_time.or(extra_date),
        site_name: article.site_name.filter(|s| !s.trim().is_empty()),
        canonical,
    })
}

/// Dates Readability does not look at.
fn meta_date(r: &Readability) -> Option<String> {
    const SELECTORS: [(&str, &str); 9] = [
        ("meta[property='article:published_time']", "content"),
        ("meta[property='og:published_time']", "content"),
        ("meta[itemprop='datePublished']", "content"),
        ("meta[name='pubdate']", "content"),
        ("meta[name='publishdate']", "content"),
        ("meta[name='date']", "content"),
        ("meta[name='DC.date.issued']", "content"),
        ("time[itemprop='datePublished']", "datetime"),
        ("time[datetime]", "datetime"),
    ];
    for (sel, attr) in SELECTORS {
        if let Some(v) = r.doc.select(sel).attr(attr) {
            let v = v.trim().to_string();
            if !v.is_empty() {
                return Some(v);
            }
        }
    }
    None
}

/// Trim lines, drop empty ones: one paragraph per line.
fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let l = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if l.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="ar" dir="rtl"><head>
<meta charset="utf-8"><title>مرصد الخليج | قمة في الرياض</title>
<meta property="og:site_name" content="مرصد الخليج">
<meta property="article:published_time" content="2023-03-10T09:00:00+03:00">
<link rel="canonical" href="https://gulf.example/2023/03/10/summit.html">
</head><body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/sport">رياضة</a></li><li><a href="/eco">اقتصاد</a></li></ul></nav>
<article><h1>قمة في الرياض</h1>
<p>أعلنت المملكة العربية السعودية وإيران اليوم الجمعة استئناف العلاقات الدبلوماسية بينهما بعد محادثات استضافتها بكين، وفق بيان ثلاثي مشترك صدر في العاصمة الصينية.</p>
<p>وقال البيان إن البلدين اتفقا على إعادة فتح سفارتيهما خلال شهرين، وعلى احترام سيادة الدول وعدم التدخل في شؤونها الداخلية، وتفعيل اتفاقية التعاون الأمني الموقعة بينهما.</p>
<p>ورحبت دول عربية عدة بالاتفاق، معتبرة أنه خطوة نحو تعزيز الأمن والاستقرار في المنطقة.</p>
</article>
<footer>جميع الحقوق محفوظة © مرصد الخليج</footer></body></html>"#;

    #[test]
    fn extracts_article() {
        let p = extract(PAGE, Some("https://gulf.example/2023/03/10/summit.html")).unwrap();
        assert!(p.text.contains("استئناف العلاقات"), "{}", p.text);
        assert!(!p.text.contains("رياضة"), "menu leaked: {}", p.text);
        assert!(
            !p.text.contains("الحقوق محفوظة"),
            "footer leaked: {}",
            p.text
        );
        assert_eq!(p.date.as_deref(), Some("2023-03-10T09:00:00+03:00"));
        assert_eq!(p.site_name.as_deref(), Some("مرصد الخليج"));
        assert!(p.title.unwrap().contains("قمة في الرياض"));
        assert_eq!(
            p.canonical.as_deref(),
            Some("https://gulf.example/2023/03/10/summit.html")
        );
    }

    #[test]
    fn page_without_text_is_an_error() {
        let e = extract(
            "<html><head><title>x</title></head><body><nav><a href='/'>home</a></nav></body></html>",
            None,
        );
        assert!(e.is_err());
    }
}
