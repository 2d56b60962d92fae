//! A bounded load test of the API (`marsad bench-api`): N concurrent clients on kept-alive
//! connections, a fixed number of requests per class of endpoint and a time limit. Loopback only.

use crate::client::Conn;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Latencies of one class of requests.
#[derive(Debug, Clone)]
pub struct ClassReport {
    pub name: String,
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub per_sec: f64,
    /// the slowest of the untimed first requests (one per client, all at once, on cold caches)
    pub warmup_max_ms: f64,
}

impl std::fmt::Display for ClassReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:<10} {:>6} req {:>4} err  p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  max {:>7.2} ms  {:>7.0} req/s  (untimed first request per client: at most {:.1} ms)",
            self.name,
            self.requests,
            self.errors,
            self.p50_ms,
            self.p95_ms,
            self.p99_ms,
            self.max_ms,
            self.per_sec,
            self.warmup_max_ms
        )
    }
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Refuse anything but loopback: the load test never leaves the machine.
pub fn check_loopback(addr: &SocketAddr) -> Result<(), String> {
    if addr.ip().is_loopback() {
        Ok(())
    } else {
        Err(format!(
            "{addr} is not a loopback address: the load test only targets 127.0.0.1"
        ))
    }
}

/// Send `total` GETs of `paths` (round robin) from `clients` threads; stop early at `max_time`.
/// Each client first sends one untimed request (all clients at once: the server's caches and
/// each client's connection are cold then; its worst time is reported apart), and the timed
/// requests start when every client has had its answer.
pub fn run_class(
    addr: SocketAddr,
    name: &str,
    paths: &[String],
    clients: usize,
    total: usize,
    max_time: Duration,
) -> Result<ClassReport, String> {
    check_loopback(&addr)?;
    if paths.is_empty() {
        return Err("no paths".into());
    }
    let clients = clients.clamp(1, 256);
    let per = total.div_ceil(clients);
    let ready = std::sync::Barrier::new(clients);
    let start_at: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let results: Vec<(Vec<f64>, usize, f64, Instant)> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..clients)
            .map(|c| {
                let (ready, start_at) = (&ready, &start_at);
                s.spawn(move || {
                    let mut conn = Conn::new(addr);
                    let t = Instant::now();
                    let mut errors = usize::from(
                        !matches!(conn.get(&paths[c % paths.len()]), Ok(r) if r.status < 400),
                    );
                    let warm = t.elapsed().as_secs_f64() * 1000.0;
                    ready.wait();
                    let started = *start_at.get_or_init(Instant::now);
                    let deadline = started + max_time;
                    let mut lat = Vec::with_capacity(per);
                    for k in 0..per {
                        if Instant::now() > deadline {
                            break;
                        }
                        let p = &paths[(c + k * clients) % paths.len()];
                        let t = Instant::now();
                        match conn.get(p) {
                            Ok(r) if r.status < 400 => {}
                            _ => errors += 1,
                        }
                        lat.push(t.elapsed().as_secs_f64() * 1000.0);
                    }
                    (lat, errors, warm, Instant::now())
                })
            })
            .collect();
        hs.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let wall = match (start_at.get(), results.iter().map(|r| r.3).max()) {
        (Some(s), Some(e)) => e.duration_since(*s).as_secs_f64(),
        _ => 0.0,
    };
    let warmup_max_ms = results.iter().map(|r| r.2).fold(0.0, f64::max);
    let mut all: Vec<f64> = results.iter().flat_map(|r| r.0.iter().copied()).collect();
    let errors = results.iter().map(|r| r.1).sum();
    all.sort_by(|a, b| a.total_cmp(b));
    Ok(ClassReport {
        name: name.to_string(),
        requests: all.len(),
        errors,
        p50_ms: pct(&all, 0.50),
        p95_ms: pct(&all, 0.95),
        p99_ms: pct(&all, 0.99),
        max_ms: all.last().copied().unwrap_or(0.0),
        per_sec: all.len() as f64 / wall.max(1e-9),
        warmup_max_ms,
    })
}

/// Time to fetch everything the first page needs, one connection, in order (the page, its CSS
/// and scripts, then the overview's API call), in milliseconds.
pub fn first_page_ms(addr: SocketAddr) -> Result<f64, String> {
    check_loopback(&addr)?;
    let t = Instant::now();
    let mut conn = Conn::new(addr);
    for p in [
        "/",
        "/assets/app.css",
        "/assets/app.js",
        "/assets/map.js",
        "/api/stats",
    ] {
        let r = conn.get(p).map_err(|e| format!("{p}: {e}"))?;
        if r.status != 200 {
            return Err(format!("{p}: HTTP {}", r.status));
        }
    }
    Ok(t.elapsed().as_secs_f64() * 1000.0)
}

/// Search queries and event filters for the load test: Arabic words of the news (spelling and
/// clitic variants on purpose), plus event filters by code, QuadClass, date range and actor.
pub fn default_paths(actors: &[String]) -> (Vec<String>, Vec<String>) {
    use crate::client::encode;
    let words = [
        "ترمب",
        "ترامب",
        "إيران",
        "لإيران",
        "السعودية",
        "الرياض",
        "مجلس الوزراء",
        "وزير الخارجية",
        "اتفاق",
        "الحوثيين",
        "غزة",
        "انتخابات",
        "النفط",
        "الأمم المتحدة",
        "مظاهرات",
        "بغداد",
        "هجوم",
        "الملك سلمان",
        "اليمن",
        "المملكة",
    ];
    let search: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, w)| match i % 4 {
            0 => format!("/api/search?q={}", encode(w)),
            1 => format!("/api/search?q={}&limit=10", encode(w)),
            2 => format!("/api/search?q={}&offset=20", encode(w)),
            _ => format!("/api/search?q={}&from=2015&to=2025-12-31", encode(w)),
        })
        .collect();
    let mut events: Vec<String> = vec![
        "/api/events".into(),
        "/api/events?quad=4".into(),
        "/api/events?quad=1&limit=100".into(),
        "/api/events?code=04".into(),
        "/api/events?code=19".into(),
        "/api/events?from=2020-01-01&to=2021-12-31".into(),
        "/api/events?offset=100".into(),
        "/api/events?code=1".into(),
    ];
    for a in actors.iter().take(8) {
        events.push(format!("/api/events?actor={}", encode(a)));
    }
    (search, events)
}
