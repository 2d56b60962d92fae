//! `marsad ingest`, `search`, `events`, `entities`, `bench-search`: argument parsing and
//! printing; the work is in `marsad-ingest` and `marsad-store`.

use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use marsad_ingest::{Format as InFormat, Ingester, Options};
use marsad_store::{export, EntityFilter, EventFilter, Page, SearchQuery, SqliteStore, Store};
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct IngestArgs {
    /// files, directories (read recursively), `-` for standard input, http(s) URLs of pages or
    /// RSS/Atom feeds
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// database file [default: $MARSAD_DB, else ./marsad.db]
    #[arg(long)]
    pub db: Option<String>,
    #[arg(long, value_enum, default_value_t = IngestFormat::Auto)]
    pub format: IngestFormat,
    /// JSON field mapping KEY=NAME (keys: id url source date title text dateline), repeatable;
    /// by default text is read from content|text|body, date from date|published|…|date_extracted
    #[arg(long = "field", value_name = "KEY=NAME")]
    pub fields: Vec<String>,
    /// poll the inputs every INTERVAL (e.g. 30s, 5m, 1h) and ingest only new items, until
    /// interrupted
    #[arg(long, value_name = "INTERVAL")]
    pub watch: Option<String>,
    /// with --watch: stop after N rounds
    #[arg(long, value_name = "N")]
    pub rounds: Option<u64>,
    /// documents per transaction
    #[arg(long, default_value_t = 256)]
    pub batch: usize,
    /// largest page, file or JSON line accepted, in bytes
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_bytes: u64,
    /// HTTP timeout per request, seconds
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// do not fetch feed items' pages: use the text the feed itself carries
    #[arg(long)]
    pub no_fetch: bool,
    /// no progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum IngestFormat {
    Auto,
    Txt,
    Jsonl,
    Rss,
    Html,
}

#[derive(Args)]
pub struct SearchArgs {
    /// words (all must match, in any spelling: hamza, alef, ya, ta marbuta, diacritics,
    /// tatweel and clitics are folded); "double quotes" for a phrase
    pub query: String,
    #[arg(long)]
    pub db: Option<String>,
    /// from this publication date, YYYY-MM-DD
    #[arg(long)]
    pub from: Option<String>,
    /// until this publication date (inclusive)
    #[arg(long)]
    pub to: Option<String>,
    /// only this outlet
    #[arg(long)]
    pub source: Option<String>,
    /// only documents mentioning this entity id
    #[arg(long)]
    pub entity: Option<String>,
    #[arg(long, default_value_t = 10)]
    pub limit: u32,
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    /// list near-duplicate copies as separate hits (by default one hit per story)
    #[arg(long)]
    pub all_copies: bool,
    #[arg(long, value_enum, default_value_t = TableJson::Table)]
    pub format: TableJson,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TableJson {
    Table,
    Json,
}

#[derive(Args)]
pub struct EventsArgs {
    #[arg(long)]
    pub db: Option<String>,
    /// an entity id, or a CAMEO actor code prefix (IRN, IRQGOV), on either side
    #[arg(long)]
    pub actor: Option<String>,
    /// CAMEO event code prefix (14 = all protests, 190 …)
    #[arg(long)]
    pub code: Option<String>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    /// only these moods (asserted, reported, future, negated, conditional), repeatable;
    /// gdelt defaults to asserted + reported
    #[arg(long)]
    pub mood: Vec<String>,
    /// at most N events (default: all)
    #[arg(long)]
    pub limit: Option<u32>,
    #[arg(long, value_enum, default_value_t = EventFormat::Table)]
    pub format: EventFormat,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EventFormat {
    Table,
    Csv,
    Jsonl,
    /// the GDELT 2.0 event table: 61 tab-separated columns, no header (see the README)
    Gdelt,
}

#[derive(Args)]
pub struct EntitiesArgs {
    #[arg(long)]
    pub db: Option<String>,
    /// the N entities in the most documents
    #[arg(long, default_value_t = 20)]
    pub top: u32,
    /// PER, ORG, LOC or MISC
    #[arg(long = "type")]
    pub kind: Option<String>,
    #[arg(long, value_enum, default_value_t = TableJson::Table)]
    pub format: TableJson,
}

#[derive(Args)]
pub struct BenchSearchArgs {
    #[arg(long)]
    pub db: Option<String>,
    /// number of queries (drawn evenly from the titles in the database)
    #[arg(long, default_value_t = 100)]
    pub queries: usize,
    /// read the queries from FILE instead, one a line
    #[arg(long, value_name = "FILE")]
    pub queries_file: Option<String>,
    /// hits per query
    #[arg(long, default_value_t = 10)]
    pub limit: u32,
    /// print each query with its time and number of hits
    #[arg(long)]
    pub verbose: bool,
}

fn open_ro(db: Option<&str>) -> Result<SqliteStore> {
    let path = marsad_store::db_path(db);
    Ok(SqliteStore::open_read_only(&path)?)
}

/// Parse `30s`, `5m`, `1h`, `2d` or plain seconds.
pub fn parse_interval(s: &str) -> Result<Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: u64 = num
        .parse()
        .with_context(|| format!("--watch: not an interval: {s:?} (e.g. 30s, 5m, 1h)"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86400,
        _ => bail!("--watch: unknown unit in {s:?} (s, m, h, d)"),
    };
    if secs == 0 {
        bail!("--watch: the interval must be at least 1 s");
    }
    Ok(Duration::from_secs(secs))
}

pub fn ingest(a: IngestArgs) -> Result<()> {
    let path = marsad_store::db_path(a.db.as_deref());
    let interval = a.watch.as_deref().map(parse_interval).transpose()?;
    let mut store = SqliteStore::open(&path)?;
    let mut opts = Options {
        format: match a.format {
            IngestFormat::Auto => InFormat::Auto,
            IngestFormat::Txt => InFormat::Txt,
            IngestFormat::Jsonl => InFormat::Jsonl,
            IngestFormat::Rss => InFormat::Rss,
            IngestFormat::Html => InFormat::Html,
        },
        batch: a.batch.max(1),
        fetch_items: !a.no_fetch,
        progress: !a.quiet && std::io::stderr().is_terminal(),
        print_errors: true,
        ..Options::default()
    };
    opts.fetch.max_bytes = a.max_bytes;
    opts.fetch.timeout = Duration::from_secs(a.timeout.max(1));
    for f in &a.fields {
        opts.fields.set(f).map_err(anyhow::Error::msg)?;
    }
    let summary = {
        let mut ing = Ingester::new(&mut store, opts);
        match interval {
            None => ing.run(&a.inputs),
            Some(iv) => ing.watch(&a.inputs, iv, a.rounds, |round, s| {
                println!("round {round}: {s}");
            }),
        }
    };
    store.checkpoint()?;
    let st = store.stats()?;
    println!("ingest: {summary}");
    println!(
        "database: {path}, {:.1} MB — {} documents in {} stories ({} near duplicates, {} exact copies), {} sources, {} entities, {} events",
        st.bytes as f64 / 1e6,
        st.documents,
        st.stories,
        st.near_duplicates,
        st.copies,
        st.sources,
        st.entities,
        st.events
    );
    if let Some(p) = marsad_ingest::peak_rss_bytes() {
        println!("peak memory: {:.0} MB", p as f64 / 1e6);
    }
    if summary.failed > 0 {
        bail!(
            "{} input(s) failed (listed above){}",
            summary.failed,
            if summary.new > 0 {
                "; the others were stored"
            } else {
                ""
            }
        );
    }
    Ok(())
}

fn mark(text: &str, spans: &[[u32; 2]], base: u32, tty: bool) -> String {
    let (open, close) = if tty {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    let mut out = String::new();
    let mut k = 0;
    for (i, c) in text.chars().enumerate() {
        let at = base + i as u32;
        while k < spans.len() && spans[k][1] <= at {
            k += 1;
        }
        if k < spans.len() && spans[k][0] == at {
            out.push_str(open);
        }
        out.push(if c == '\n' { ' ' } else { c });
        if k < spans.len() && spans[k][1] == at + 1 {
            out.push_str(close);
        }
    }
    out
}

pub fn search(a: SearchArgs) -> Result<()> {
    let store = open_ro(a.db.as_deref())?;
    let mut q = SearchQuery::new(&a.query);
    q.from = a.from;
    q.to = a.to;
    q.source = a.source;
    q.entity = a.entity;
    q.limit = a.limit.max(1);
    q.offset = a.offset;
    q.collapse = !a.all_copies;
    let t = Instant::now();
    let res = store.search(&q)?;
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    match a.format {
        TableJson::Json => {
            serde_json::to_writer(&mut out, &res.items)?;
            writeln!(out)?;
        }
        TableJson::Table => {
            let tty = std::io::stdout().is_terminal();
            writeln!(
                out,
                "{} documents match «{}»{} ({ms:.1} ms)",
                res.total,
                a.query,
                if q.variants.is_empty() {
                    String::new()
                } else {
                    format!(" or {}", q.variants.join(" / "))
                }
            )?;
            for (i, h) in res.items.iter().enumerate() {
                writeln!(
                    out,
                    "\n{:>3}. {} · {} · {} · score {:.2}{}",
                    q.offset as usize + i + 1,
                    h.date.as_deref().unwrap_or("-"),
                    h.source.as_deref().unwrap_or("-"),
                    h.id,
                    h.score,
                    if h.copies.is_empty() {
                        String::new()
                    } else {
                        format!(" · +{} copies", h.copies.len())
                    }
                )?;
                if let Some(t) = &h.title {
                    writeln!(out, "     {}", mark(t, &h.title_highlights, 0, tty))?;
                }
                writeln!(
                    out,
                    "     {}{}…",
                    if h.snippet_start > 0 { "…" } else { "" },
                    mark(&h.snippet, &h.highlights, h.snippet_start, tty),
                )?;
            }
        }
    }
    Ok(())
}

pub fn events(a: EventsArgs) -> Result<()> {
    let store = open_ro(a.db.as_deref())?;
    let mut moods = a.mood.clone();
    if moods.is_empty() && a.format == EventFormat::Gdelt {
        moods = vec!["asserted".into(), "reported".into()];
    }
    let f = EventFilter {
        actor: a.actor,
        code: a.code,
        from: a.from,
        to: a.to,
        moods,
        doc: None,
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    if a.format == EventFormat::Csv {
        writeln!(out, "{}", export::CSV_COLUMNS.join(","))?;
    }
    let mut left = a.limit.map(|l| l as u64).unwrap_or(u64::MAX);
    let mut offset = 0u32;
    let mut total = 0;
    while left > 0 {
        let n = left.min(5000) as u32;
        let page = store.events(&f, Page::new(n, offset))?;
        total = page.total;
        if page.items.is_empty() {
            break;
        }
        for e in &page.items {
            match a.format {
                EventFormat::Jsonl => {
                    serde_json::to_writer(&mut out, e)?;
                    writeln!(out)?;
                }
                EventFormat::Csv => writeln!(out, "{}", export::csv_row(e))?,
                EventFormat::Gdelt => writeln!(out, "{}", export::gdelt_row(e).join("\t"))?,
                EventFormat::Table => {
                    let side = |s: &marsad_store::EventActor| {
                        s.name
                            .clone()
                            .or_else(|| s.actor.clone())
                            .or_else(|| s.entity.clone())
                            .unwrap_or_else(|| "—".into())
                    };
                    writeln!(
                        out,
                        "{:>6}  {}  {:<4} Q{}  {:<9} {} → {}  ({} mentions, {} articles, {} sources){}",
                        e.id,
                        e.date.as_deref().unwrap_or("----------"),
                        e.code,
                        e.quad_class,
                        e.mood,
                        side(&e.source),
                        side(&e.target),
                        e.num_mentions,
                        e.num_articles,
                        e.num_sources,
                        e.location
                            .as_ref()
                            .and_then(|p| p.name.clone())
                            .map(|n| format!(" @ {n}"))
                            .unwrap_or_default()
                    )?;
                }
            }
        }
        left = left.saturating_sub(page.items.len() as u64);
        offset += page.items.len() as u32;
    }
    if a.format == EventFormat::Table {
        writeln!(out, "{offset} of {total} events")?;
    }
    Ok(())
}

pub fn entities(a: EntitiesArgs) -> Result<()> {
    let store = open_ro(a.db.as_deref())?;
    let f = EntityFilter {
        kind: a.kind.map(|k| k.to_ascii_uppercase()),
        ..Default::default()
    };
    let page = store.entities(&f, Page::new(a.top.max(1), 0))?;
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    match a.format {
        TableJson::Json => {
            serde_json::to_writer(&mut out, &page.items)?;
            writeln!(out)?;
        }
        TableJson::Table => {
            writeln!(
                out,
                "{:>6} {:>8}  type  {:<12} name  (id)",
                "docs", "mentions", "actor"
            )?;
            for e in &page.items {
                writeln!(
                    out,
                    "{:>6} {:>8}  {:<4}  {:<12} {}  ({})",
                    e.num_docs,
                    e.num_mentions,
                    e.kind,
                    e.actor.as_deref().unwrap_or("-"),
                    e.name,
                    e.id
                )?;
            }
            writeln!(out, "{} of {} entities", page.items.len(), page.total)?;
        }
    }
    Ok(())
}

/// Queries drawn evenly from the stored titles: one or two words of four letters or more.
fn sample_queries(store: &SqliteStore, n: usize) -> Result<Vec<String>> {
    let total = store.stats()?.documents as usize;
    if total == 0 {
        bail!("the database is empty: ingest something first");
    }
    let mut out = Vec::new();
    let mut i = 0usize;
    while out.len() < n && i < n * 4 {
        let off = (i * total / n.max(1)) % total;
        i += 1;
        let page = store.list_documents(&Default::default(), Page::new(1, off as u32))?;
        let Some(d) = page.items.first() else {
            continue;
        };
        let Some(title) = &d.title else { continue };
        let words: Vec<&str> = title
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 4)
            .collect();
        if words.is_empty() {
            continue;
        }
        let k = out.len();
        let w = words[k % words.len()];
        if k % 3 == 2 && words.len() > 1 {
            out.push(format!("{w} {}", words[(k + 1) % words.len()]));
        } else {
            out.push(w.to_string());
        }
    }
    Ok(out)
}

pub fn bench_search(a: BenchSearchArgs) -> Result<()> {
    let store = open_ro(a.db.as_deref())?;
    let queries = match &a.queries_file {
        Some(f) => std::fs::read_to_string(f)
            .with_context(|| format!("cannot read {f}"))?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        None => sample_queries(&store, a.queries)?,
    };
    if queries.is_empty() {
        bail!("no queries");
    }
    // warm-up: the page cache and the analyser's cache
    for q in queries.iter().take(5) {
        let mut sq = SearchQuery::new(q);
        sq.limit = a.limit;
        store.search(&sq)?;
    }
    let mut times = Vec::with_capacity(queries.len());
    let mut hits = 0usize;
    for q in &queries {
        let mut sq = SearchQuery::new(q);
        sq.limit = a.limit;
        let t = Instant::now();
        let r = store.search(&sq)?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        times.push(ms);
        hits += r.items.len();
        if a.verbose {
            println!("{ms:8.2} ms  {:>5} matches  {q}", r.total);
        }
    }
    let mut s = times.clone();
    s.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| s[(((s.len() as f64) * p).ceil() as usize).clamp(1, s.len()) - 1];
    let st = store.stats()?;
    println!(
        "bench-search: {} queries over {} documents, {} hits each at most (with snippets): mean {:.2} ms, p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {:.1} hits per query",
        s.len(),
        st.documents,
        a.limit,
        s.iter().sum::<f64>() / s.len() as f64,
        pct(0.50),
        pct(0.95),
        pct(0.99),
        s[s.len() - 1],
        hits as f64 / s.len() as f64
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("30s").unwrap(), Duration::from_secs(30));
        assert_eq!(parse_interval("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(parse_interval("2").unwrap(), Duration::from_secs(2));
        assert!(parse_interval("0").is_err());
        assert!(parse_interval("5x").is_err());
        assert!(parse_interval("m").is_err());
    }

    #[test]
    fn marks_highlights() {
        assert_eq!(mark("ab cd ef", &[[3, 5]], 0, false), "ab **cd** ef");
        assert_eq!(mark("cd ef", &[[3, 5]], 3, false), "**cd** ef");
    }
}
