//! `marsad serve`, `marsad demo` and `marsad bench-api`: argument parsing and start-up only; the
//! server lives in `marsad-server`.

use anyhow::{bail, Context, Result};
use marsad_server::{
    bench, memory::parse_jsonl, AppState, Backend, MemoryBackend, NewDocument, StoreBackend,
};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct ServeArgs {
    /// the database (default: $MARSAD_DB, else ./marsad.db); fill it with `marsad ingest`
    #[arg(long)]
    db: Option<String>,
    /// address to listen on; keep it on 127.0.0.1 unless the machine's network is trusted
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// allow `POST /api/documents` with `Authorization: Bearer TOKEN` (also $MARSAD_TOKEN);
    /// without it the server is read-only
    #[arg(long)]
    token: Option<String>,
    /// serve a JSONL corpus analysed in memory instead of a database
    #[arg(long, conflicts_with = "db", value_name = "FILE.jsonl")]
    memory: Option<String>,
    /// read connections to the database
    #[arg(long, default_value_t = 4)]
    readers: usize,
}

#[derive(clap::Args)]
pub struct DemoArgs {
    /// the demo database (default: marsad-demo-<build>.db in the system's temporary directory, one per build); an
    /// existing one is reused, documents already in it are not analysed again
    #[arg(long)]
    db: Option<String>,
    /// address to listen on (when the default port is taken, a free one is chosen)
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// start from an empty database
    #[arg(long)]
    fresh: bool,
    /// another JSONL corpus instead of the bundled one (fields id url source dateline
    /// date|date_extracted title text|content)
    #[arg(long, value_name = "FILE.jsonl")]
    corpus: Option<String>,
    /// keep everything in memory, no database
    #[arg(long)]
    memory: bool,
    /// allow `POST /api/documents` with this token (also $MARSAD_TOKEN)
    #[arg(long)]
    token: Option<String>,
    /// load the corpus, print what was loaded and exit without serving
    #[arg(long)]
    no_serve: bool,
}

#[derive(clap::Args)]
pub struct BenchApiArgs {
    /// the database to serve (default: the demo database, built if missing)
    #[arg(long)]
    db: Option<String>,
    /// measure a server that is already running on this loopback address instead
    #[arg(long, conflicts_with = "db")]
    addr: Option<String>,
    /// concurrent clients
    #[arg(long, default_value_t = 20)]
    clients: usize,
    /// requests per class of endpoint (events, search)
    #[arg(long, default_value_t = 2000)]
    requests: usize,
    /// stop each class after this many seconds, whatever the count
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// serve with the search-result cache on (repeated queries are then answered from it);
    /// by default it is off, so every search runs in the store
    #[arg(long)]
    cache: bool,
}

fn token(t: Option<String>) -> Option<Arc<str>> {
    t.or_else(|| std::env::var("MARSAD_TOKEN").ok())
        .filter(|t| !t.is_empty())
        .map(Arc::from)
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads())
        .max_blocking_threads(64)
        .enable_all()
        .build()
        .context("starting the async runtime")
}

/// Bind `addr`; if it is taken and `fallback` is set, bind a free port on the same host.
async fn bind(addr: &str, fallback: bool) -> Result<tokio::net::TcpListener> {
    match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => Ok(l),
        Err(e) if fallback && e.kind() == std::io::ErrorKind::AddrInUse => {
            let host = addr.rsplit_once(':').map(|h| h.0).unwrap_or("127.0.0.1");
            eprintln!("marsad: {addr} is taken, choosing a free port");
            Ok(tokio::net::TcpListener::bind(format!("{host}:0")).await?)
        }
        Err(e) => Err(e).with_context(|| format!("cannot listen on {addr}")),
    }
}

fn run_server(state: AppState, addr: &str, fallback: bool, what: &str) -> Result<()> {
    let rt = runtime()?;
    rt.block_on(async move {
        let listener = bind(addr, fallback).await?;
        let local = listener.local_addr()?;
        if !local.ip().is_loopback() {
            eprintln!(
                "marsad: warning: listening on {local}, reachable from other machines{}",
                if state.token.is_some() {
                    " (with the ingestion token enabled)"
                } else {
                    ""
                }
            );
        }
        let host = if local.ip().is_unspecified() {
            format!("127.0.0.1:{}", local.port())
        } else {
            local.to_string()
        };
        println!("marsad: {what}");
        println!("marsad: open http://{host}/ in a browser (Ctrl-C stops the server)");
        println!(
            "marsad: JSON API at http://{host}/api/ — described by http://{host}/api/openapi.json"
        );
        marsad_server::serve(listener, state, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("server")
    })
}

fn open_store(path: &Path, readers: usize, writable: bool) -> Result<StoreBackend> {
    StoreBackend::open(path, readers, writable).map_err(|e| anyhow::anyhow!(e))
}

pub fn serve(a: ServeArgs) -> Result<()> {
    let token = token(a.token);
    let (backend, what): (Arc<dyn Backend>, String) = if let Some(file) = &a.memory {
        let docs = read_corpus(file)?;
        let n = docs.len();
        let m = MemoryBackend::new();
        m.add(docs).map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
        (
            Arc::new(m),
            format!("serving {n} documents of {file} from memory"),
        )
    } else {
        let path = marsad_store::db_path(a.db.as_deref());
        let b = open_store(Path::new(&path), a.readers, token.is_some())?;
        let n = b.stats().map(|s| s.documents).unwrap_or(0);
        (Arc::new(b), format!("serving {n} documents from {path}"))
    };
    run_server(
        AppState::new(backend, token, a.readers.max(1)),
        &a.addr,
        false,
        &what,
    )
}

fn read_corpus(file: &str) -> Result<Vec<NewDocument>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
    parse_jsonl(&text).map_err(|e| anyhow::anyhow!("{file}: {e}"))
}

/// The default demo database is named after this very binary (its size and modification time),
/// so a rebuilt marsad — new dictionaries, a new model, a changed coder — analyses the demo
/// corpus afresh instead of showing a database made by an older build.
fn default_demo_db() -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    if let Ok(m) = std::env::current_exe().and_then(std::fs::metadata) {
        m.len().hash(&mut h);
        if let Ok(t) = m.modified() {
            t.hash(&mut h);
        }
    }
    std::env::temp_dir().join(format!(
        "marsad-demo-{:012x}.db",
        h.finish() & 0xffff_ffff_ffff
    ))
}

fn remove_db(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("removing {}", Path::new(&p).display()))
            }
        }
    }
    Ok(())
}

/// Load the demo (or another) corpus into `path`; returns the number of documents stored.
fn load_demo(path: &Path, corpus: Option<&str>, fresh: bool) -> Result<()> {
    let (docs, name) = match corpus {
        Some(f) => (read_corpus(f)?, f.to_string()),
        None => (
            parse_jsonl(marsad_server::DEMO_CORPUS)
                .map_err(|e| anyhow::anyhow!("demo corpus: {e}"))?,
            "the bundled demo corpus".to_string(),
        ),
    };
    if fresh {
        remove_db(path)?;
    }
    let t = Instant::now();
    let total = docs.len();
    let mut last = Instant::now();
    let rep = marsad_server::store::load_into_store(path, docs, "demo", threads(), |done, n| {
        if last.elapsed() > Duration::from_millis(500) || done == n {
            eprint!("\rmarsad: analysing and storing {name}: {done}/{n}   ");
            last = Instant::now();
        }
    })
    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    eprintln!();
    println!(
        "marsad: {total} documents from {name} → {}: {} new, {} already there, {} duplicates, {} failed ({:.1} s)",
        path.display(),
        rep.added,
        rep.present,
        rep.duplicates,
        rep.failed.len(),
        t.elapsed().as_secs_f64()
    );
    for f in rep.failed.iter().take(10) {
        eprintln!("marsad: failed: {f}");
    }
    Ok(())
}

pub fn demo(a: DemoArgs) -> Result<()> {
    let token = token(a.token);
    let fallback = a.addr == "127.0.0.1:8080";
    let (backend, what): (Arc<dyn Backend>, String) = if a.memory {
        let docs = match &a.corpus {
            Some(f) => read_corpus(f)?,
            None => parse_jsonl(marsad_server::DEMO_CORPUS).map_err(|e| anyhow::anyhow!(e))?,
        };
        let n = docs.len();
        let m = MemoryBackend::new();
        m.add(docs).map_err(|e| anyhow::anyhow!(e))?;
        (
            Arc::new(m),
            format!("demo: {n} documents analysed in memory"),
        )
    } else {
        let path = a.db.map(PathBuf::from).unwrap_or_else(default_demo_db);
        if path.exists() && !a.fresh {
            println!(
                "marsad: reusing {} (add --fresh to rebuild it)",
                path.display()
            );
        }
        load_demo(&path, a.corpus.as_deref(), a.fresh)?;
        let b = open_store(&path, 4, token.is_some())?;
        let s = b.stats().map_err(|e| anyhow::anyhow!(e))?;
        (
            Arc::new(b),
            format!(
                "demo: {} documents, {} entities, {} events in {}",
                s.documents,
                s.entities,
                s.events,
                path.display()
            ),
        )
    };
    if a.no_serve {
        println!("marsad: {what}");
        return Ok(());
    }
    run_server(AppState::new(backend, token, 4), &a.addr, fallback, &what)
}

pub fn bench_api(a: BenchApiArgs) -> Result<()> {
    let max = Duration::from_secs(a.seconds.clamp(1, 600));
    let requests = a.requests.clamp(1, 100_000);
    // the server: one already running on loopback, or one started here over the database
    let (_server, addr): (Option<marsad_server::RunningServer>, SocketAddr) = match &a.addr {
        Some(s) => {
            let addr: SocketAddr = s.parse().with_context(|| format!("bad address {s}"))?;
            bench::check_loopback(&addr).map_err(|e| anyhow::anyhow!(e))?;
            (None, addr)
        }
        None => {
            let path = match &a.db {
                Some(p) => PathBuf::from(p),
                None => {
                    let p = default_demo_db();
                    load_demo(&p, None, false)?;
                    p
                }
            };
            if !path.exists() {
                bail!("{}: no such database", path.display());
            }
            let b = open_store(&path, 4, false)?.with_search_cache(a.cache);
            let srv = marsad_server::spawn_server(
                AppState::new(Arc::new(b), None, 4),
                "127.0.0.1:0",
                threads(),
            )?;
            let addr = srv.addr;
            println!("marsad: serving {} on {addr}", path.display());
            (Some(srv), addr)
        }
    };
    // warm up (builds the overview snapshot) and measure the first page
    let first = bench::first_page_ms(addr).map_err(|e| anyhow::anyhow!(e))?;
    let warm = bench::first_page_ms(addr).map_err(|e| anyhow::anyhow!(e))?;
    let stats = marsad_server::client::get(addr, "/api/stats")?.json();
    let actors: Vec<String> = stats["top_actors"]
        .as_array()
        .map(|v| {
            v.iter()
                .filter_map(|a| a["entity"]["id"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    println!(
        "documents {}  events {}  entities {}",
        stats["documents"], stats["events"], stats["entities"]
    );
    println!(
        "first page (HTML, CSS, JS, /api/stats; one connection): {first:.1} ms cold, {warm:.1} ms warm"
    );
    let (search, events) = bench::default_paths(&actors);
    println!(
        "{} clients, {requests} requests per class, at most {}s each:",
        a.clients,
        max.as_secs()
    );
    let mut worst: f64 = 0.0;
    for (name, paths) in [("events", &events), ("search", &search)] {
        let r = bench::run_class(addr, name, paths, a.clients, requests, max)
            .map_err(|e| anyhow::anyhow!(e))?;
        println!("{r}");
        worst = worst.max(r.p99_ms);
        if r.errors > 0 {
            eprintln!("marsad: {} requests of {name} failed", r.errors);
        }
    }
    println!(
        "worst p99 {worst:.1} ms ({} the 50 ms target)",
        if worst < 50.0 { "under" } else { "OVER" }
    );
    Ok(())
}
