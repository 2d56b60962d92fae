//! Readers: turn inputs (files, directories, stdin, URLs) into a stream of [`Item`]s, lazily
//! (a JSONL file of any size is read line by line).

use crate::dates::parse_date;
use crate::fetch::{check_url, resolve, Fetcher};
use crate::{html, Format};
use marsad_text::{DocMeta, Document};
use serde_json::Value;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// A document read from an input, not analysed yet.
#[derive(Clone, Debug)]
pub struct RawDoc {
    pub doc: Document,
    /// the publication time as given
    pub published_at: Option<String>,
    /// `FILE:LINE`, a path or a URL
    pub origin: String,
}

/// A feed item whose page is still to be fetched.
#[derive(Clone, Debug, Default)]
pub struct FetchItem {
    pub url: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    /// the item's own text (content or summary), used when pages are not fetched
    pub summary: Option<String>,
    /// the feed it came from
    pub origin: String,
}

/// One thing read.
#[derive(Clone, Debug)]
pub enum Item {
    Doc(RawDoc),
    Fetch(FetchItem),
    /// an input that could not be read: `origin: message`
    Error(String),
}

/// Which JSON fields hold what. Each list is tried in order; `--field KEY=NAME` replaces a
/// list by one name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldMap {
    pub id: Vec<String>,
    pub url: Vec<String>,
    pub source: Vec<String>,
    pub date: Vec<String>,
    pub title: Vec<String>,
    pub text: Vec<String>,
    pub dateline: Vec<String>,
}

impl Default for FieldMap {
    fn default() -> Self {
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect();
        FieldMap {
            id: v(&["id", "guid"]),
            url: v(&["url", "link"]),
            source: v(&["source", "site", "outlet"]),
            date: v(&[
                "date",
                "published",
                "date_published",
                "published_at",
                "pubDate",
                "date_extracted",
            ]),
            title: v(&["title", "headline"]),
            text: v(&["content", "text", "body", "article"]),
            dateline: v(&["dateline"]),
        }
    }
}

impl FieldMap {
    /// Apply `KEY=NAME` (KEY one of id, url, source, date, title, text, dateline).
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let (k, v) = spec
            .split_once('=')
            .ok_or_else(|| format!("--field wants KEY=NAME, got {spec:?}"))?;
        let v = vec![v.trim().to_string()];
        match k.trim() {
            "id" => self.id = v,
            "url" => self.url = v,
            "source" => self.source = v,
            "date" => self.date = v,
            "title" => self.title = v,
            "text" | "content" => self.text = v,
            "dateline" => self.dateline = v,
            other => {
                return Err(format!(
                    "--field: unknown key {other:?} (id, url, source, date, title, text, dateline)"
                ))
            }
        }
        Ok(())
    }
}

/// How to read.
#[derive(Clone)]
pub struct ReadOptions {
    pub format: Format,
    pub fields: FieldMap,
    /// largest file (other than JSONL) or JSONL line accepted, bytes
    pub max_bytes: u64,
}

enum Source {
    Stdin,
    Path(
        PathBuf,
        bool, /* named explicitly (not found in a directory) */
    ),
    Url(String),
}

/// A lazy stream of items over all inputs.
pub struct Reader<'a> {
    pending: VecDeque<Source>,
    current: Option<Box<dyn Iterator<Item = Item> + 'a>>,
    opts: ReadOptions,
    fetcher: &'a Fetcher,
}

impl<'a> Reader<'a> {
    /// `inputs`: paths, directories (recursively), `-` for stdin, http(s) URLs.
    pub fn new(inputs: &[String], opts: ReadOptions, fetcher: &'a Fetcher) -> Self {
        let pending = inputs
            .iter()
            .map(|i| {
                if i == "-" {
                    Source::Stdin
                } else if i.contains("://")
                    || i.starts_with("javascript:")
                    || i.starts_with("data:")
                {
                    Source::Url(i.clone())
                } else {
                    Source::Path(PathBuf::from(i), true)
                }
            })
            .collect();
        Reader {
            pending,
            current: None,
            opts,
            fetcher,
        }
    }

    fn open(&mut self, src: Source) -> Box<dyn Iterator<Item = Item> + 'a> {
        match src {
            Source::Stdin => {
                let stdin = BufReader::with_capacity(1 << 16, std::io::stdin());
                self.open_stream(Box::new(stdin), "<stdin>".into(), None)
            }
            Source::Url(u) => Box::new(self.open_url(&u).into_iter()),
            Source::Path(p, explicit) => {
                if p.is_dir() {
                    match list_dir(&p, self.opts.format) {
                        Ok(files) => {
                            for f in files.into_iter().rev() {
                                self.pending.push_front(Source::Path(f, false));
                            }
                            Box::new(std::iter::empty())
                        }
                        Err(e) => one_error(format!("{}: {e}", p.display())),
                    }
                } else {
                    let _ = explicit;
                    match std::fs::File::open(&p) {
                        Ok(f) => {
                            let name = p.display().to_string();
                            let ext = ext_format(&p);
                            self.open_stream(
                                Box::new(BufReader::with_capacity(1 << 16, f)),
                                name,
                                ext,
                            )
                        }
                        Err(e) => one_error(format!("{}: cannot read: {e}", p.display())),
                    }
                }
            }
        }
    }

    /// A file or stdin: the format from `--format`, else the extension, else the content.
    fn open_stream(
        &mut self,
        mut r: Box<dyn BufRead + 'a>,
        name: String,
        ext: Option<Format>,
    ) -> Box<dyn Iterator<Item = Item> + 'a> {
        let format = match (self.opts.format, ext) {
            (Format::Auto, Some(f)) => f,
            (Format::Auto, None) => match r.fill_buf() {
                Ok(head) => sniff(head),
                Err(e) => return one_error(format!("{name}: cannot read: {e}")),
            },
            (f, _) => f,
        };
        if format == Format::Jsonl {
            return Box::new(JsonlIter {
                r,
                name,
                line: 0,
                fields: self.opts.fields.clone(),
                max_bytes: self.opts.max_bytes,
                buf: Vec::new(),
                array: None,
            });
        }
        let mut bytes = Vec::new();
        let limit = self.opts.max_bytes;
        if let Err(e) = r.by_ref().take(limit + 1).read_to_end(&mut bytes) {
            return one_error(format!("{name}: cannot read: {e}"));
        }
        if bytes.len() as u64 > limit {
            return one_error(format!(
                "{name}: larger than the limit of {limit} bytes (--max-bytes)"
            ));
        }
        let text = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) if format == Format::Html || format == Format::Rss => {
                crate::fetch::decode(e.as_bytes(), None)
            }
            Err(e) => {
                return one_error(format!(
                    "{name}: invalid UTF-8 at byte offset {}",
                    e.utf8_error().valid_up_to()
                ))
            }
        };
        let items = match format {
            Format::Txt => vec![txt_item(&text, &name)],
            Format::Html => vec![html_item(&text, &name, None)],
            Format::Rss => feed_items(text.as_bytes(), &name, None),
            Format::Jsonl | Format::Auto => unreachable!(),
        };
        Box::new(items.into_iter())
    }

    fn open_url(&self, url: &str) -> Vec<Item> {
        if let Err(e) = check_url(url) {
            return vec![Item::Error(e)];
        }
        let f = match self.fetcher.get(url) {
            Ok(f) => f,
            Err(e) => return vec![Item::Error(e)],
        };
        let ct = f
            .content_type
            .clone()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let format = match self.opts.format {
            Format::Auto => {
                if ct.contains("rss") || ct.contains("atom") {
                    Format::Rss
                } else {
                    sniff(&f.body)
                }
            }
            x => x,
        };
        match format {
            Format::Rss => feed_items(&f.body, url, Some(url)),
            Format::Jsonl => {
                let it = JsonlIter {
                    r: Box::new(std::io::Cursor::new(f.body)),
                    name: url.to_string(),
                    line: 0,
                    fields: self.opts.fields.clone(),
                    max_bytes: self.opts.max_bytes,
                    buf: Vec::new(),
                    array: None,
                };
                it.collect()
            }
            Format::Txt => vec![txt_item(&f.text(), url)],
            _ => vec![html_item(&f.text(), url, Some(url))],
        }
    }
}

impl Iterator for Reader<'_> {
    type Item = Item;
    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(it) = self.current.as_mut() {
                if let Some(x) = it.next() {
                    return Some(x);
                }
                self.current = None;
            }
            let src = self.pending.pop_front()?;
            self.current = Some(self.open(src));
        }
    }
}

fn one_error<'a>(msg: String) -> Box<dyn Iterator<Item = Item> + 'a> {
    Box::new(std::iter::once(Item::Error(msg)))
}

/// Format from a file's extension.
pub fn ext_format(p: &Path) -> Option<Format> {
    let ext = p.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" => Format::Txt,
        "jsonl" | "ndjson" | "json" => Format::Jsonl,
        "html" | "htm" | "xhtml" => Format::Html,
        "xml" | "rss" | "atom" | "rdf" => Format::Rss,
        _ => return None,
    })
}

/// Format from the first bytes.
pub fn sniff(head: &[u8]) -> Format {
    let head = &head[..head.len().min(2048)];
    let s = String::from_utf8_lossy(head);
    let t = s.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        return Format::Jsonl;
    }
    if t.starts_with('<') {
        let l = t.to_ascii_lowercase();
        if l.contains("<rss") || l.contains("<feed") || l.contains("<rdf:rdf") {
            return Format::Rss;
        }
        return Format::Html;
    }
    Format::Txt
}

/// Files under `dir`, recursively, sorted, with an extension of `format` (any known one for
/// auto). Hidden files and directories are skipped; symbolic links to directories are not
/// followed.
fn list_dir(dir: &Path, format: Format) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let ft = e.file_type()?;
            let p = e.path();
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() || (ft.is_symlink() && p.is_file()) {
                match (ext_format(&p), format) {
                    (Some(_), Format::Auto) => out.push(p),
                    (Some(f), want) if f == want => out.push(p),
                    _ => {}
                }
            }
        }
    }
    out.sort();
    Ok(out)
}

/// A `.txt` article: header line `SOURCE – DATELINE`, then paragraphs.
fn txt_item(text: &str, name: &str) -> Item {
    if text.trim().is_empty() {
        return Item::Error(format!("{name}: empty file"));
    }
    let mut doc = Document::from_article(text.to_string());
    if name != "<stdin>" {
        doc.meta.id = Some(name.to_string());
    }
    Item::Doc(RawDoc {
        doc,
        published_at: None,
        origin: name.to_string(),
    })
}

fn html_item(html: &str, name: &str, url: Option<&str>) -> Item {
    match html::extract(html, url) {
        Ok(p) => Item::Doc(page_doc(p, name, url, None)),
        Err(e) => Item::Error(format!("{name}: {e}")),
    }
}

/// A document from an extracted page; `item` (a feed item) fills what the page lacks.
pub(crate) fn page_doc(
    p: html::Page,
    name: &str,
    url: Option<&str>,
    item: Option<&FetchItem>,
) -> RawDoc {
    let raw_date = item.and_then(|i| i.date.clone()).or(p.date.clone());
    let (date, published_at) = match raw_date.as_deref().and_then(parse_date) {
        Some((d, raw)) => (Some(d), Some(raw)),
        None => (None, raw_date),
    };
    let url = url.map(str::to_string).or_else(|| p.canonical.clone());
    let source = item
        .and_then(|i| i.source.clone())
        .or(p.site_name.clone())
        .or_else(|| url.as_deref().and_then(host));
    let meta = DocMeta {
        id: Some(url.clone().unwrap_or_else(|| name.to_string())),
        url,
        title: item.and_then(|i| i.title.clone()).or(p.title),
        source,
        dateline: None,
        date,
    };
    RawDoc {
        doc: Document::with_meta(p.text, meta),
        published_at,
        origin: name.to_string(),
    }
}

/// The host of a URL.
pub fn host(url: &str) -> Option<String> {
    let rest = &url[url.find("://")? + 3..];
    let h = rest.split(['/', '?', '#']).next()?;
    let h = h.rsplit('@').next()?.split(':').next()?;
    (!h.is_empty()).then(|| h.trim_start_matches("www.").to_string())
}

/// Items of an RSS/Atom feed: one [`FetchItem`] per entry with a link.
pub(crate) fn feed_items(bytes: &[u8], name: &str, base: Option<&str>) -> Vec<Item> {
    let feed = match feed_rs::parser::parse(bytes) {
        Ok(f) => f,
        Err(e) => {
            return vec![Item::Error(format!(
                "{name}: not a readable RSS/Atom feed: {e}"
            ))]
        }
    };
    let source = feed
        .title
        .as_ref()
        .map(|t| t.content.trim().to_string())
        .filter(|s| !s.is_empty());
    let mut out = Vec::new();
    for (i, e) in feed.entries.iter().enumerate() {
        let link = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(e.links.first())
            .map(|l| l.href.clone())
            .or_else(|| (e.id.starts_with("http")).then(|| e.id.clone()));
        let Some(link) = link else {
            out.push(Item::Error(format!("{name}: item {} has no link", i + 1)));
            continue;
        };
        let url = resolve(base.unwrap_or(""), &link);
        let summary = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .or_else(|| e.summary.as_ref().map(|s| s.content.clone()));
        out.push(Item::Fetch(FetchItem {
            url,
            title: e.title.as_ref().map(|t| t.content.trim().to_string()),
            date: e.published.or(e.updated).map(|d| d.to_rfc3339()),
            source: source.clone(),
            summary,
            origin: name.to_string(),
        }));
    }
    out
}

/// JSON lines, or one JSON array of objects.
struct JsonlIter<'a> {
    r: Box<dyn BufRead + 'a>,
    name: String,
    line: usize,
    fields: FieldMap,
    max_bytes: u64,
    buf: Vec<u8>,
    /// items of a JSON array file, when the file is one
    array: Option<std::vec::IntoIter<Item>>,
}

impl Iterator for JsonlIter<'_> {
    type Item = Item;
    fn next(&mut self) -> Option<Item> {
        if let Some(a) = self.array.as_mut() {
            return a.next();
        }
        loop {
            self.buf.clear();
            let n = match (&mut self.r)
                .take(self.max_bytes + 1)
                .read_until(b'\n', &mut self.buf)
            {
                Ok(n) => n,
                Err(e) => {
                    // stop after a read error
                    self.r = Box::new(std::io::empty());
                    return Some(Item::Error(format!(
                        "{}:{}: read error: {e}",
                        self.name,
                        self.line + 1
                    )));
                }
            };
            if n == 0 {
                return None;
            }
            self.line += 1;
            let at = format!("{}:{}", self.name, self.line);
            if self.buf.len() as u64 > self.max_bytes && !self.buf.ends_with(b"\n") {
                // skip the rest of the over-long line
                let mut sink = Vec::new();
                let _ = self.r.read_until(b'\n', &mut sink);
                return Some(Item::Error(format!(
                    "{at}: line longer than the limit of {} bytes",
                    self.max_bytes
                )));
            }
            let text = match std::str::from_utf8(&self.buf) {
                Ok(s) => s,
                Err(e) => {
                    return Some(Item::Error(format!(
                        "{at}: invalid UTF-8 at byte offset {} of the line",
                        e.valid_up_to()
                    )))
                }
            };
            let t = text.trim_start_matches('\u{feff}').trim();
            if t.is_empty() {
                continue;
            }
            if self.line == 1 && t.starts_with('[') {
                // a whole JSON array: read the rest of the file
                let mut all = self.buf.clone();
                if let Err(e) = self.r.read_to_end(&mut all) {
                    return Some(Item::Error(format!("{}: read error: {e}", self.name)));
                }
                let items = match serde_json::from_slice::<Vec<Value>>(&all) {
                    Ok(v) => v
                        .iter()
                        .enumerate()
                        .map(|(i, v)| {
                            json_item(v, &self.fields, &format!("{}#{}", self.name, i + 1))
                        })
                        .collect::<Vec<_>>(),
                    Err(e) => vec![Item::Error(format!(
                        "{}: invalid JSON array: {e}",
                        self.name
                    ))],
                };
                self.array = Some(items.into_iter());
                return self.array.as_mut().and_then(|a| a.next());
            }
            return Some(match serde_json::from_str::<Value>(t) {
                Ok(v) => json_item(&v, &self.fields, &at),
                Err(e) => Item::Error(format!(
                    "{at}: invalid JSON ({e}){}",
                    if e.is_eof() {
                        " — truncated line?"
                    } else {
                        ""
                    }
                )),
            });
        }
    }
}

fn field(v: &Value, names: &[String]) -> Option<String> {
    for n in names {
        let s = match v.get(n) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(x)) => x.to_string(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            _ => continue,
        };
        if !s.trim().is_empty() {
            return Some(s);
        }
    }
    None
}

fn json_item(v: &Value, f: &FieldMap, at: &str) -> Item {
    if !v.is_object() {
        return Item::Error(format!("{at}: not a JSON object"));
    }
    let Some(text) = field(v, &f.text) else {
        return Item::Error(format!(
            "{at}: no text (looked for the fields {}; map another with --field text=NAME)",
            f.text.join(", ")
        ));
    };
    let raw_date = field(v, &f.date);
    let (date, published_at) = match raw_date.as_deref().and_then(parse_date) {
        Some((d, raw)) => (Some(d), Some(raw)),
        None => (None, raw_date),
    };
    let meta = DocMeta {
        id: field(v, &f.id),
        url: field(v, &f.url),
        title: field(v, &f.title),
        source: field(v, &f.source),
        dateline: field(v, &f.dateline),
        date,
    };
    Item::Doc(RawDoc {
        doc: Document::with_meta(text, meta),
        published_at,
        origin: at.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs() {
        assert_eq!(sniff(b"  {\"a\":1}"), Format::Jsonl);
        assert_eq!(sniff(b"<?xml version='1.0'?><rss>"), Format::Rss);
        assert_eq!(sniff(b"<!doctype html><html>"), Format::Html);
        assert_eq!(sniff("مرصد – بغداد".as_bytes()), Format::Txt);
    }

    #[test]
    fn hosts() {
        assert_eq!(host("https://www.a.b:8080/x?y").as_deref(), Some("a.b"));
        assert_eq!(host("http://u@c.d/").as_deref(), Some("c.d"));
        assert_eq!(host("nourl"), None);
    }

    #[test]
    fn field_map() {
        let mut f = FieldMap::default();
        f.set("text=body_ar").unwrap();
        assert_eq!(f.text, vec!["body_ar".to_string()]);
        assert!(f.set("nope=x").is_err());
        assert!(f.set("novalue").is_err());
    }
}
