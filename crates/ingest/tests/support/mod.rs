//! A tiny HTTP/1.1 server on 127.0.0.1:0 for the tests (no network beyond this machine).
//! Each connection gets a thread; routes are a closure from path to [`Reply`].

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

pub enum Reply {
    /// 200 with a content type and a body
    Ok(&'static str, Vec<u8>),
    /// an error status
    Status(u16),
    /// wait, then 200 with this HTML
    Slow(Duration, String),
    /// 200 with `n` bytes of HTML, streamed; with or without a Content-Length
    Big(usize, bool),
}

pub struct Server {
    pub base: String,
}

impl Server {
    pub fn start(route: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let base = format!("http://{}", l.local_addr().unwrap());
        let route = Arc::new(route);
        std::thread::spawn(move || {
            for conn in l.incoming().take(10_000) {
                let Ok(conn) = conn else { continue };
                let route = route.clone();
                std::thread::spawn(move || {
                    let _ = serve(conn, &*route);
                });
            }
        });
        Server { base }
    }
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

fn serve(mut c: TcpStream, route: &dyn Fn(&str) -> Reply) -> std::io::Result<()> {
    c.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut r = BufReader::new(c.try_clone()?);
    let mut line = String::new();
    r.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    match route(&path) {
        Reply::Ok(ct, body) => {
            write!(c, "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len())?;
            c.write_all(&body)?;
        }
        Reply::Status(s) => {
            write!(
                c,
                "HTTP/1.1 {s} Oops\r\nContent-Length: 5\r\nConnection: close\r\n\r\noops!"
            )?;
        }
        Reply::Slow(d, html) => {
            std::thread::sleep(d);
            write!(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}", html.len())?;
        }
        Reply::Big(n, with_len) => {
            if with_len {
                write!(c, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {n}\r\nConnection: close\r\n\r\n")?;
            } else {
                write!(
                    c,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n"
                )?;
            }
            let chunk = "<p>كلام كثير جدا في صفحة كبيرة جدا</p>\n".repeat(200);
            let mut sent = 0;
            while sent < n {
                let k = chunk.len().min(n - sent);
                c.write_all(&chunk.as_bytes()[..k])?;
                sent += k;
            }
        }
    }
    c.flush()
}

/// An article page.
pub fn page(title: &str, date: &str, paragraphs: &[&str]) -> String {
    let ps: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="صدى الاختبار">
<meta property="article:published_time" content="{date}"></head>
<body><nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/s">رياضة</a></li></ul></nav>
<article><h1>{title}</h1>
{ps}</article><footer>جميع الحقوق محفوظة</footer></body></html>"#
    )
}

/// An RSS 2.0 feed of (title, link, pubDate) items.
pub fn rss(items: &[(String, String, String)]) -> String {
    let it: String = items
        .iter()
        .map(|(t, l, d)| {
            format!("<item><title>{t}</title><link>{l}</link><pubDate>{d}</pubDate></item>\n")
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>صدى الاختبار</title><link>http://example.invalid/</link><description>x</description>
{it}</channel></rss>"#
    )
}
