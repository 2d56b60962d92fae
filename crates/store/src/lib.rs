//! # marsad-store — where the observatory keeps what it reads
//!
//! An embedded SQLite database (WAL mode, versioned migrations) holding documents, their story
//! clusters, canonical entities and their mentions, de-duplicated events and their mentions, and
//! an Arabic full-text index. Everything the analysis code and the dashboard need goes through
//! the [`Store`] trait, so a PostgreSQL backend can be added beside [`SqliteStore`] without
//! touching them.
//!
//! ```no_run
//! use marsad_store::{Store, SqliteStore, SearchQuery, DocFilter, Page};
//! let store = SqliteStore::open("marsad.db")?;
//! let hits = store.search(&SearchQuery::new("إيران"))?;
//! for h in &hits.items {
//!     println!("{} {} {:?}", h.id, h.score, h.title);
//! }
//! let page = store.list_documents(&DocFilter::default(), Page::new(20, 0))?;
//! println!("{} documents", page.total);
//! # Ok::<(), marsad_store::StoreError>(())
//! ```
//!
//! **Threads**: a [`SqliteStore`] is one connection: `Send`, not `Sync`. Open one per thread
//! (opening is cheap, WAL lets readers run beside the one writer), or share one behind a mutex.
//! Readers never block the writer and see whole batches only.
//!
//! **Offsets** in everything returned are code-point offsets into the original text, end
//! exclusive.

pub mod dedup;
pub mod export;
pub mod model;
pub mod schema;
pub mod search;
mod sqlite;

pub use model::*;
pub use sqlite::SqliteStore;

use marsad_coder::DocAnalysis;
use marsad_text::{Analyzer, Document};

/// Errors of the store. SQL errors carry SQLite's message; nothing is retried silently.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database schema: {0}")]
    Schema(String),
    #[error("{path}: {message}")]
    Open { path: String, message: String },
    #[error("bad request: {0}")]
    BadRequest(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How the ingest pipeline and the dashboard see storage. Reads take `&self`; writes `&mut self`.
pub trait Store: Send {
    // ---- writing ----------------------------------------------------------------------------

    /// Write a batch of documents in **one transaction** (all or nothing on a crash; a document
    /// that fails on its own is reported as [`WriteOutcome::Failed`] and the others are
    /// written). For each document, in order: already stored under its id or URL → `Present`;
    /// same text already stored → `Duplicate` (recorded as a copy); otherwise stored → `New`,
    /// joining the story cluster of its most similar earlier document when it is a near
    /// duplicate. Entities, mentions, events and counters are written with it.
    fn write_batch(&mut self, docs: Vec<NewDocument>) -> Result<Vec<WriteOutcome>>;

    /// The `num` of the stored document with this id, URL or content hash (copies included),
    /// if any: a cheap check before analysing a document again.
    fn lookup(
        &self,
        id: Option<&str>,
        url: Option<&str>,
        hash: Option<&[u8; 16]>,
    ) -> Result<Option<i64>>;

    // ---- reading ----------------------------------------------------------------------------

    /// Totals.
    fn stats(&self) -> Result<Stats>;
    /// Documents, newest first, filtered and paged.
    fn list_documents(&self, f: &DocFilter, page: Page) -> Result<Paged<DocSummary>>;
    /// A document with its text, entity and event spans, copies and story.
    fn document(&self, num: i64) -> Result<Option<DocDetail>>;
    /// The `num` of a document from its public id (or URL).
    fn document_num(&self, id: &str) -> Result<Option<i64>>;
    /// Full-text search in the search form, ranked (BM25), with snippets and highlights at
    /// original offsets. `total` is the number of matching documents (before folding stories).
    fn search(&self, q: &SearchQuery) -> Result<Paged<SearchHit>>;
    /// Events, by date then id.
    fn events(&self, f: &EventFilter, page: Page) -> Result<Paged<EventRecord>>;
    /// One event with all its mentions.
    fn event(&self, id: i64) -> Result<Option<EventDetail>>;
    /// Entities, by number of documents (most first).
    fn entities(&self, f: &EntityFilter, page: Page) -> Result<Paged<EntityRecord>>;
    /// One entity with its timeline, partners and outlets.
    fn entity(&self, id: &str) -> Result<Option<EntityDetail>>;
    /// Outlets and their numbers of documents, most first.
    fn sources(&self) -> Result<Vec<SourceCount>>;
}

/// Everything a backend needs from one analysed document: computes the content hash, the
/// near-duplicate fingerprint and the search forms of the title and text. Runs on the
/// ingest worker threads (pure CPU), so the writer only writes.
///
/// `doc.meta.id` is the public id if set; else the URL; else `sha:` and the content hash.
/// `doc.meta.date` must be `YYYY-MM-DD` to count as the publication date (anything else is
/// kept as `published_at` only).
pub fn prepare(
    doc: &Document,
    analysis: DocAnalysis,
    published_at: Option<String>,
    origin: String,
    an: &mut Analyzer,
) -> NewDocument {
    let text = doc.text().to_string();
    let content_hash = dedup::content_hash(&text);
    let a = an.analyze(doc);
    let index_body = search::index_form(&a);
    let fingerprint = dedup::minhash(&dedup::word_hashes(&a));
    let index_title = match &doc.meta.title {
        Some(t) if !t.trim().is_empty() => {
            let ta = an.analyze(&Document::new(t.as_str()));
            search::index_form(&ta)
        }
        _ => String::new(),
    };
    let meta = &doc.meta;
    let id = meta
        .id
        .clone()
        .filter(|s| !s.trim().is_empty())
        .or_else(|| meta.url.clone().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| format!("sha:{}", hex(&content_hash)));
    let (published, published_at) = match &meta.date {
        Some(d) if is_ymd(d) => (Some(d.clone()), published_at),
        Some(d) => (None, published_at.or_else(|| Some(d.clone()))),
        None => (None, published_at),
    };
    NewDocument {
        id,
        url: meta.url.clone().filter(|s| !s.trim().is_empty()),
        source: meta.source.clone().filter(|s| !s.trim().is_empty()),
        dateline: meta.dateline.clone().filter(|s| !s.trim().is_empty()),
        published,
        published_at,
        title: meta.title.clone().filter(|s| !s.trim().is_empty()),
        text,
        origin,
        content_hash,
        fingerprint,
        index_title,
        index_body,
        analysis,
    }
}

/// Lower-case hex.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `YYYY-MM-DD` with plausible numbers.
pub fn is_ymd(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u32>().unwrap_or(0))
}

/// The database path: `explicit` if given, else `$MARSAD_DB`, else `./marsad.db`.
pub fn db_path(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_string)
        .or_else(|| std::env::var("MARSAD_DB").ok().filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "marsad.db".to_string())
}
