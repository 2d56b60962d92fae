//! Publication dates from the many ways inputs write them.

use marsad_store::is_ymd;

/// Normalise a date as found in an input: `(YYYY-MM-DD, as given)`. Understands ISO 8601 and
/// RFC 3339 (`2021-10-26`, `2015-07-21 02:16:13`, `2021-10-26T10:00:00+03:00`: the date as
/// written, in the writer's own offset), `2021/10/26`, and RFC 2822 (`Tue, 26 Oct 2021 10:00:00
/// +0300`, RSS). `None` when it cannot be read.
pub fn parse_date(s: &str) -> Option<(String, String)> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = leading_ymd(s) {
        return Some((d, s.to_string()));
    }
    if let Ok(z) = jiff::fmt::rfc2822::parse(s) {
        let d = z.date();
        return Some((
            format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            s.to_string(),
        ));
    }
    None
}

/// `YYYY-MM-DD`, `YYYY/M/D` or `YYYY.MM.DD` at the start of the string.
fn leading_ymd(s: &str) -> Option<String> {
    let mut parts = s
        .split(|c: char| !c.is_ascii_digit())
        .take(3)
        .map(|p| p.parse::<u32>().ok());
    let head: Vec<char> = s.chars().take(11).collect();
    if head.len() < 8 || !head[..4].iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !matches!(head[4], '-' | '/' | '.') {
        return None;
    }
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let out = format!("{y:04}-{m:02}-{d:02}");
    is_ymd(&out).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = |s: &str| parse_date(s).map(|x| x.0);
        assert_eq!(d("2015-07-21 02:16:13").as_deref(), Some("2015-07-21"));
        assert_eq!(d("2019-02-05").as_deref(), Some("2019-02-05"));
        assert_eq!(
            d("2021-10-26T01:00:00+03:00").as_deref(),
            Some("2021-10-26")
        );
        assert_eq!(d("2021/1/6").as_deref(), Some("2021-01-06"));
        assert_eq!(
            d("Tue, 26 Oct 2021 10:00:00 +0300").as_deref(),
            Some("2021-10-26")
        );
        assert_eq!(d("yesterday"), None);
        assert_eq!(d("2021-13-40"), None);
        assert_eq!(d(""), None);
    }
}
