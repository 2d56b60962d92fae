//! The SQLite backend.

use crate::dedup::{MinHash, NEAR_DUP_THRESHOLD};
use crate::model::*;
use crate::search::{ParsedQuery, Snippets};
use crate::{schema, Result, Store, StoreError};
use marsad_coder::{Entity, Participant};
use marsad_text::{match_form, Analyzer};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, Connection, OpenFlags, OptionalExtension, Row};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// The SQLite store: one connection (see the crate docs on threads).
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    analyzer: RefCell<Analyzer>,
    /// stems known to occur in the index or not, valid while `PRAGMA data_version` (first
    /// field) stays the same
    indexed_cache: RefCell<(i64, FxHashMap<String, bool>)>,
}

/// Changes to the running totals made by one document or one batch.
#[derive(Clone, Copy, Default)]
struct Delta {
    documents: i64,
    copies: i64,
    near_duplicates: i64,
    sources: i64,
    entities: i64,
    mentions: i64,
    events: i64,
    event_mentions: i64,
}

impl Delta {
    fn add(&mut self, o: &Delta) {
        self.documents += o.documents;
        self.copies += o.copies;
        self.near_duplicates += o.near_duplicates;
        self.sources += o.sources;
        self.entities += o.entities;
        self.mentions += o.mentions;
        self.events += o.events;
        self.event_mentions += o.event_mentions;
    }
    fn apply(&self, tx: &Connection) -> Result<()> {
        let mut st = tx.prepare_cached("UPDATE totals SET n = n + ?2 WHERE name = ?1")?;
        for (name, n) in [
            ("documents", self.documents),
            ("copies", self.copies),
            ("near_duplicates", self.near_duplicates),
            ("sources", self.sources),
            ("entities", self.entities),
            ("mentions", self.mentions),
            ("events", self.events),
            ("event_mentions", self.event_mentions),
        ] {
            if n != 0 {
                st.execute(params![name, n])?;
            }
        }
        Ok(())
    }
}

/// Snippet width in code points.
const SNIPPET_CHARS: u32 = 220;

impl SqliteStore {
    /// Open (creating if needed) the database at `path`, in WAL mode, migrated to the latest
    /// schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() && !dir.exists() {
                return Err(StoreError::Open {
                    path: path.display().to_string(),
                    message: format!("directory {} does not exist", dir.display()),
                });
            }
        }
        let mut conn = Connection::open(path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::configure(&conn)?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Open {
                path: path.display().to_string(),
                message: format!("cannot switch to WAL mode (journal_mode is {mode})"),
            });
        }
        schema::migrate(&mut conn)?;
        Ok(Self::wrap(conn, path))
    }

    /// Open an existing database for reading only (the dashboard, reports). Fails if the file
    /// does not exist or was made by a newer marsad; one made by an older marsad is migrated
    /// first (which needs write access once).
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if !path.exists() {
            return Err(StoreError::Open {
                path: path.display().to_string(),
                message: "no such database (run `marsad ingest` first)".into(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::configure(&conn)?;
        let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if v < schema::latest() {
            // made by an older marsad: migrate once through a read-write connection
            drop(conn);
            drop(Self::open(path)?);
            return Self::open_read_only(path);
        }
        if v != schema::latest() {
            return Err(StoreError::Schema(format!(
                "{}: schema version {v}, this marsad reads {} (open it once read-write to migrate)",
                path.display(),
                schema::latest()
            )));
        }
        Ok(Self::wrap(conn, path))
    }

    fn configure(conn: &Connection) -> Result<()> {
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.set_prepared_statement_cache_capacity(64);
        // NORMAL is durable against process crashes in WAL mode (a power cut may lose the last
        // transactions, never consistency)
        conn.execute_batch(
            "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32000; PRAGMA wal_autocheckpoint=4000;",
        )?;
        Ok(())
    }

    fn wrap(conn: Connection, path: &Path) -> Self {
        SqliteStore {
            conn,
            path: path.to_path_buf(),
            analyzer: RefCell::new(Analyzer::new()),
            indexed_cache: RefCell::new((-1, FxHashMap::default())),
        }
    }

    /// The underlying connection, for tools and tests (read it; write through [`Store`]).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Path of the database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Write the WAL back into the main file and truncate it (after a large ingest).
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Check the database: SQLite's integrity check, the full-text index, and that the stored
    /// counters agree with the rows they count. Returns the problems found (empty: all good).
    pub fn verify(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let ic: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if ic != "ok" {
            problems.push(format!("integrity_check: {ic}"));
        }
        let fts_docs: i64 =
            self.conn
                .query_row("SELECT count(*) FROM doc_fts_docsize", [], |r| r.get(0))?;
        let docs: i64 = self
            .conn
            .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
        if fts_docs != docs {
            problems.push(format!(
                "full-text index has {fts_docs} documents, store {docs}"
            ));
        }
        let checks = [
            ("documents without their own cluster root", "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM documents r WHERE r.id = d.cluster)"),
            ("entities whose num_docs disagrees", "SELECT count(*) FROM entities e WHERE num_docs <> (SELECT count(*) FROM doc_entities WHERE entity_id = e.id)"),
            ("entities whose num_mentions disagrees", "SELECT count(*) FROM entities e WHERE num_mentions <> (SELECT coalesce(sum(n),0) FROM doc_entities WHERE entity_id = e.id)"),
            ("events whose num_mentions disagrees", "SELECT count(*) FROM events e WHERE num_mentions <> (SELECT count(*) FROM event_mentions WHERE event_id = e.id)"),
            ("events whose num_articles disagrees", "SELECT count(*) FROM events e WHERE num_articles <> (SELECT count(DISTINCT doc_id) FROM event_mentions WHERE event_id = e.id)"),
            ("events whose num_sources disagrees", "SELECT count(*) FROM events e WHERE num_sources <> (SELECT count(DISTINCT coalesce(doc_source, '')) FROM event_mentions WHERE event_id = e.id)"),
            ("events whose num_stories disagrees", "SELECT count(*) FROM events e WHERE num_stories <> (SELECT count(DISTINCT doc_cluster) FROM event_mentions WHERE event_id = e.id)"),
            ("copies of missing documents", "SELECT count(*) FROM doc_copies c WHERE NOT EXISTS (SELECT 1 FROM documents WHERE id = c.doc_id)"),
            ("entity rows whose spans disagree with n", "SELECT count(*) FROM doc_entities WHERE n <> (length(spans) - length(replace(spans, ',', '')) + (spans <> ''))"),
            ("wrong total: documents", "SELECT (SELECT n FROM totals WHERE name = 'documents') - (SELECT count(*) FROM documents)"),
            ("wrong total: copies", "SELECT (SELECT n FROM totals WHERE name = 'copies') - (SELECT count(*) FROM doc_copies)"),
            ("wrong total: near_duplicates", "SELECT (SELECT n FROM totals WHERE name = 'near_duplicates') - (SELECT count(*) FROM documents WHERE near_dup_of IS NOT NULL)"),
            ("wrong total: sources", "SELECT (SELECT n FROM totals WHERE name = 'sources') - (SELECT count(DISTINCT source) FROM documents)"),
            ("wrong total: entities", "SELECT (SELECT n FROM totals WHERE name = 'entities') - (SELECT count(*) FROM entities)"),
            ("wrong total: mentions", "SELECT (SELECT n FROM totals WHERE name = 'mentions') - (SELECT coalesce(sum(n), 0) FROM doc_entities)"),
            ("wrong total: events", "SELECT (SELECT n FROM totals WHERE name = 'events') - (SELECT count(*) FROM events)"),
            ("wrong total: event_mentions", "SELECT (SELECT n FROM totals WHERE name = 'event_mentions') - (SELECT count(*) FROM event_mentions)"),
        ];
        for (what, sql) in checks {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            if n != 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        Ok(problems)
    }

    /// Write one document; `next_id` is the id the next new document takes (the writer holds
    /// the write lock, so ids are known before inserting).
    fn write_one(
        tx: &Connection,
        d: &NewDocument,
        next_id: &mut i64,
        delta: &mut Delta,
    ) -> Result<WriteOutcome> {
        // 1. already stored (same id or URL, as a document or as a copy)?
        if let Some(num) = lookup(tx, Some(&d.id), d.url.as_deref(), None)? {
            return Ok(WriteOutcome::Present { num });
        }
        // 2. the same text under another id: record the copy
        if let Some(num) = tx
            .prepare_cached("SELECT id FROM documents WHERE content_hash = ?1")?
            .query_row([&d.content_hash[..]], |r| r.get::<_, i64>(0))
            .optional()?
        {
            tx.prepare_cached(
                "INSERT INTO doc_copies (doc_id, ext_id, url, source, published, origin) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![num, d.id, d.url, d.source, d.published, d.origin])?;
            delta.copies += 1;
            return Ok(WriteOutcome::Duplicate { num });
        }
        // 3. near duplicate of an earlier document?
        let keys = d.fingerprint.band_keys();
        let mut near: Option<(i64, i64, f32)> = None; // (doc, cluster, similarity)
        if !keys.is_empty() {
            let cands: Vec<i64> = tx
                .prepare_cached(lsh_query())?
                .query_map(params_from_iter(keys.iter()), |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut fp =
                tx.prepare_cached("SELECT fingerprint, cluster FROM documents WHERE id = ?1")?;
            for c in cands {
                let (blob, cluster): (Option<Vec<u8>>, i64) =
                    fp.query_row([c], |r| Ok((r.get(0)?, r.get(1)?)))?;
                let Some(blob) = blob else { continue };
                let sim = d.fingerprint.similarity(&MinHash::from_bytes(&blob));
                if sim >= NEAR_DUP_THRESHOLD && near.is_none_or(|n| sim > n.2) {
                    near = Some((c, cluster, sim));
                }
            }
        }
        // 4. the document
        let fingerprint = (!d.fingerprint.is_empty()).then(|| d.fingerprint.to_bytes());
        let num = *next_id;
        let cluster = near.map(|n| n.1).unwrap_or(num);
        if let Some(src) = &d.source {
            let known: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM documents WHERE source = ?1)")?
                .query_row([src], |r| r.get(0))?;
            if !known {
                delta.sources += 1;
            }
        }
        delta.documents += 1;
        if near.is_some() {
            delta.near_duplicates += 1;
        }
        tx.prepare_cached(
            "INSERT INTO documents (id, ext_id, url, source, dateline, published, published_at, title, text, content_hash, fingerprint, cluster, near_dup_of, near_dup_sim, origin)
             VALUES (?15, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            d.id,
            d.url,
            d.source,
            d.dateline,
            d.published,
            d.published_at,
            d.title,
            d.text,
            &d.content_hash[..],
            fingerprint,
            cluster,
            near.map(|n| n.0),
            near.map(|n| n.2 as f64),
            d.origin,
            num,
        ])?;
        *next_id += 1;
        tx.prepare_cached("INSERT INTO doc_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
            .execute(params![num, d.index_title, d.index_body])?;
        {
            let mut st =
                tx.prepare_cached("INSERT OR IGNORE INTO doc_lsh (key, doc_id) VALUES (?1, ?2)")?;
            for k in &keys {
                st.execute(params![k, num])?;
            }
        }
        // 5. entities and their mentions
        let ids = write_entities(tx, num, d, delta)?;
        // 6. events
        write_events(tx, num, cluster, d, &ids, delta)?;
        Ok(WriteOutcome::New {
            num,
            cluster,
            near_dup_of: near.map(|n| (n.0, n.2)),
        })
    }

    fn doc_summary_sql() -> &'static str {
        "SELECT d.id, d.ext_id, d.url, d.source, d.dateline, d.published, d.title, d.cluster, d.near_dup_of, d.near_dup_sim, d.ingested_at, length(d.text) FROM documents d"
    }

    /// One page of `select` (a `SELECT … FROM table` without WHERE) under `w`, ordered by
    /// `order`, with the count of all rows `w` lets through `table`.
    fn paged<T>(
        &self,
        table: &str,
        select: &str,
        order: &str,
        w: &Where,
        page: Page,
        row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Paged<T>> {
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM {table}{}", w.sql()),
            params_from_iter(w.params.iter()),
            |r| r.get(0),
        )?;
        let n = w.next();
        let sql = format!(
            "{select}{} ORDER BY {order} LIMIT ?{n} OFFSET ?{}",
            w.sql(),
            n + 1
        );
        let mut p = w.params.clone();
        p.push(Value::Integer(page.lim()));
        p.push(Value::Integer(page.offset as i64));
        let items = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(p.iter()), row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Paged {
            total: total as u64,
            items,
        })
    }

    /// Drop the stems of `pq` that occur nowhere in the full-text index (see
    /// [`ParsedQuery::prune`]): each is looked up by a one-row FTS5 query and remembered on this
    /// connection until the database changes (`PRAGMA data_version`).
    fn prune(&self, pq: &mut ParsedQuery) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let mut cache = self.indexed_cache.borrow_mut();
        if cache.0 != version || cache.1.len() > 50_000 {
            *cache = (version, FxHashMap::default());
        }
        let mut st = self
            .conn
            .prepare_cached("SELECT 1 FROM doc_fts WHERE doc_fts MATCH ?1 LIMIT 1")?;
        let mut failed = None;
        pq.prune(|t| {
            if let Some(&b) = cache.1.get(t) {
                return b;
            }
            match st.exists([format!("\"{}\"", t.replace('"', "\"\""))]) {
                Ok(b) => {
                    cache.1.insert(t.to_string(), b);
                    b
                }
                Err(e) => {
                    failed.get_or_insert(e);
                    true
                }
            }
        });
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }

    /// `f` without date bounds that every document meets (a range from before the first to
    /// after the last publication date, no document without a date), so that a search need
    /// not read the documents of all its matches to check them.
    fn drop_idle_dates(&self, f: &mut DocFilter) -> Result<()> {
        if f.from.is_none() && f.to.is_none() {
            return Ok(());
        }
        let (lo, hi, undated): (Option<String>, Option<String>, i64) = self.conn.query_row(
            "SELECT (SELECT min(published) FROM documents), (SELECT max(published) FROM documents), \
             (SELECT count(*) FROM documents WHERE published IS NULL)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if undated > 0 {
            return Ok(());
        }
        if matches!((&f.from, &lo), (Some(from), Some(lo)) if from <= lo) {
            f.from = None;
        }
        if matches!((&f.to, &hi), (Some(to), Some(hi)) if to >= hi) {
            f.to = None;
        }
        Ok(())
    }

    fn analyzer(&self) -> std::cell::RefMut<'_, Analyzer> {
        self.analyzer.borrow_mut()
    }
}

/// Canonical id of an entity: its dictionary id, or for a document-local id (`local:N`) one
/// made of its type and the match form of its name, so that unknown entities with the same
/// name meet across documents.
pub fn canonical_entity_id(e: &Entity) -> String {
    if e.id.is_empty() || e.id.starts_with("local:") {
        format!("~{}:{}", e.kind.as_str(), match_form(e.name.trim()))
    } else {
        e.id.clone()
    }
}

/// `SELECT DISTINCT doc_id FROM doc_lsh WHERE key IN (?1, …, ?32)` (newest 200).
fn lsh_query() -> &'static str {
    static Q: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    Q.get_or_init(|| {
        let qs: Vec<String> = (1..=crate::dedup::LSH_BANDS)
            .map(|i| format!("?{i}"))
            .collect();
        // most recent first, at most 200: syndicated copies are recent, and a bucket swollen
        // by boilerplate must not make one write slow
        format!(
            "SELECT DISTINCT doc_id FROM doc_lsh WHERE key IN ({}) ORDER BY doc_id DESC LIMIT 200",
            qs.join(", ")
        )
    })
}

fn lookup(
    c: &Connection,
    id: Option<&str>,
    url: Option<&str>,
    hash: Option<&[u8; 16]>,
) -> Result<Option<i64>> {
    if id.is_some() || url.is_some() {
        // ext_id and url are unique in both tables: SQLite answers the ORs from their indexes
        if let Some(n) = c
            .prepare_cached(
                "SELECT id FROM documents WHERE ext_id = ?1 OR url = ?2
                 UNION ALL SELECT doc_id FROM doc_copies WHERE ext_id = ?1 OR url = ?2 LIMIT 1",
            )?
            .query_row(params![id, url], |r| r.get(0))
            .optional()?
        {
            return Ok(Some(n));
        }
    }
    if let Some(h) = hash {
        if let Some(n) = c
            .prepare_cached("SELECT id FROM documents WHERE content_hash = ?1")?
            .query_row([&h[..]], |r| r.get(0))
            .optional()?
        {
            return Ok(Some(n));
        }
    }
    Ok(None)
}

/// Entity info of one document, by canonical id.
struct DocEntity<'a> {
    e: &'a Entity,
    mentions: Vec<(u32, u32)>,
}

fn write_entities(
    tx: &Connection,
    num: i64,
    d: &NewDocument,
    delta: &mut Delta,
) -> Result<FxHashMap<String, String>> {
    // local id → canonical id (events refer to entities by the ids of the analysis)
    let mut ids: FxHashMap<String, String> = FxHashMap::default();
    let mut by_id: Vec<(String, DocEntity)> = Vec::new();
    for e in &d.analysis.entities {
        let cid = canonical_entity_id(e);
        ids.insert(e.id.clone(), cid.clone());
        let spans = e.mentions.iter().map(|m| (m.start, m.end));
        if let Some((_, de)) = by_id.iter_mut().find(|(k, _)| *k == cid) {
            de.mentions.extend(spans);
        } else {
            by_id.push((
                cid,
                DocEntity {
                    e,
                    mentions: spans.collect(),
                },
            ));
        }
    }
    let mut up = tx.prepare_cached(
        "INSERT INTO entities (id, type, name, name_en, actor, country, lat, lon, num_mentions, num_docs, first_seen, last_seen)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10)
         ON CONFLICT (id) DO UPDATE SET
           num_mentions = num_mentions + excluded.num_mentions,
           num_docs = num_docs + 1,
           name_en = coalesce(name_en, excluded.name_en),
           actor = coalesce(actor, excluded.actor),
           country = coalesce(country, excluded.country),
           lat = coalesce(lat, excluded.lat),
           lon = coalesce(lon, excluded.lon),
           first_seen = CASE WHEN first_seen IS NULL OR excluded.first_seen < first_seen THEN coalesce(excluded.first_seen, first_seen) ELSE first_seen END,
           last_seen = CASE WHEN last_seen IS NULL OR excluded.last_seen > last_seen THEN coalesce(excluded.last_seen, last_seen) ELSE last_seen END
         RETURNING num_docs",
    )?;
    let mut de_st = tx.prepare_cached(
        "INSERT INTO doc_entities (entity_id, doc_id, n, published, spans) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (cid, de) in &by_id {
        let mut spans = de.mentions.clone();
        spans.sort_unstable();
        spans.dedup();
        let e = de.e;
        let docs: i64 = up.query_row(
            params![
                cid,
                e.kind.as_str(),
                e.name,
                e.name_en,
                e.actor,
                e.country,
                e.lat,
                e.lon,
                spans.len() as i64,
                d.published,
            ],
            |r| r.get(0),
        )?;
        if docs == 1 {
            delta.entities += 1;
        }
        delta.mentions += spans.len() as i64;
        let text: Vec<String> = spans.iter().map(|(a, b)| format!("{a}-{b}")).collect();
        de_st.execute(params![
            cid,
            num,
            spans.len() as i64,
            d.published,
            text.join(",")
        ])?;
    }
    Ok(ids)
}

/// The key of one side of an event and its fields (entity, actor code, name).
fn side(
    p: &Option<Participant>,
    ids: &FxHashMap<String, String>,
    d: &NewDocument,
) -> (String, Option<String>, Option<String>, Option<String>) {
    let Some(p) = p else {
        return (String::new(), None, None, None);
    };
    let entity = p
        .entity
        .as_ref()
        .map(|e| ids.get(e).cloned().unwrap_or_else(|| e.clone()));
    let name = p
        .entity
        .as_ref()
        .and_then(|id| d.analysis.entities.iter().find(|e| &e.id == id))
        .map(|e| e.name.clone())
        .or_else(|| p.text.clone());
    let key = if let Some(e) = &entity {
        format!("e:{e}")
    } else if let Some(a) = &p.actor {
        format!("a:{a}")
    } else if let Some(t) = &p.text {
        format!("t:{}", match_form(t.trim()))
    } else {
        String::new()
    };
    (key, entity, p.actor.clone(), name)
}

fn write_events(
    tx: &Connection,
    num: i64,
    cluster: i64,
    d: &NewDocument,
    ids: &FxHashMap<String, String>,
    delta: &mut Delta,
) -> Result<()> {
    if d.analysis.events.is_empty() {
        return Ok(());
    }
    let first_sentence_end = d
        .analysis
        .sentences
        .first()
        .map(|s| s.end)
        .unwrap_or(u32::MAX);
    let mut in_doc: FxHashSet<i64> = FxHashSet::default();
    for ev in &d.analysis.events {
        let (sk, se, sa, sn) = side(&ev.source, ids, d);
        let (tk, te, ta, tn) = side(&ev.target, ids, d);
        let date = ev
            .date
            .clone()
            .filter(|s| crate::is_ymd(s))
            .or_else(|| d.published.clone());
        let mood = ev.mood.as_str();
        let key = format!(
            "{}|{}|{}|{}|{}",
            date.as_deref().unwrap_or(""),
            sk,
            tk,
            ev.code,
            mood
        );
        let key = xxhash_rust::xxh3::xxh3_64(key.as_bytes()) as i64;
        let location = ev
            .location
            .as_ref()
            .map(|l| ids.get(l).cloned().unwrap_or_else(|| l.clone()));
        let is_root = ev.trigger.start < first_sentence_end;
        let existing: Option<i64> = tx
            .prepare_cached("SELECT id FROM events WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?;
        let eid = match existing {
            Some(eid) => {
                let new_source: bool = !tx
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM event_mentions WHERE event_id = ?1 AND doc_source IS ?2)")?
                    .query_row(params![eid, d.source], |r| r.get::<_, bool>(0))?;
                let new_story: bool = !tx
                    .prepare_cached("SELECT EXISTS (SELECT 1 FROM event_mentions WHERE event_id = ?1 AND doc_cluster = ?2)")?
                    .query_row(params![eid, cluster], |r| r.get::<_, bool>(0))?;
                let new_article = in_doc.insert(eid);
                tx.prepare_cached(
                    "UPDATE events SET num_mentions = num_mentions + 1, num_articles = num_articles + ?2,
                       num_sources = num_sources + ?3, num_stories = num_stories + ?4, is_root = max(is_root, ?5)
                     WHERE id = ?1",
                )?
                .execute(params![eid, new_article as i64, new_source as i64, new_story as i64, is_root as i64])?;
                eid
            }
            None => {
                tx.prepare_cached(
                    "INSERT INTO events (key, date, code, quad_class, goldstein, plover, mood, source_entity, source_actor, source_name, target_entity, target_actor, target_name, location, first_doc, source_url, is_root, num_mentions, num_articles, num_sources, num_stories)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, 1, 1, 1, 1)",
                )?
                .execute(params![
                    key,
                    date,
                    ev.code,
                    ev.quad_class,
                    ev.goldstein as f64,
                    ev.plover,
                    mood,
                    se,
                    sa,
                    sn,
                    te,
                    ta,
                    tn,
                    location,
                    num,
                    d.url,
                    is_root as i64,
                ])?;
                let eid = tx.last_insert_rowid();
                in_doc.insert(eid);
                delta.events += 1;
                eid
            }
        };
        tx.prepare_cached(
            "INSERT INTO event_mentions (event_id, doc_id, start, end, text, mood, confidence, is_root, doc_source, doc_cluster)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            eid,
            num,
            ev.trigger.start,
            ev.trigger.end,
            ev.trigger.text,
            mood,
            ev.confidence.map(|c| c as f64),
            is_root,
            d.source,
            cluster,
        ])?;
        delta.event_mentions += 1;
    }
    Ok(())
}

/// `start-end,start-end…` → spans.
fn parse_spans(s: &str) -> impl Iterator<Item = (u32, u32)> + '_ {
    s.split(',').filter_map(|p| {
        let (a, b) = p.split_once('-')?;
        Some((a.parse().ok()?, b.parse().ok()?))
    })
}

fn doc_summary(r: &Row) -> rusqlite::Result<DocSummary> {
    Ok(DocSummary {
        num: r.get(0)?,
        id: r.get(1)?,
        url: r.get(2)?,
        source: r.get(3)?,
        dateline: r.get(4)?,
        published: r.get(5)?,
        title: r.get(6)?,
        cluster: r.get(7)?,
        near_dup_of: r.get(8)?,
        near_dup_sim: r.get::<_, Option<f64>>(9)?.map(|x| x as f32),
        ingested_at: r.get(10)?,
        chars: r.get::<_, i64>(11)? as u32,
    })
}

const EVENT_SELECT: &str = "SELECT e.id, e.date, e.code, e.quad_class, e.goldstein, e.plover, e.mood,
    e.source_entity, e.source_actor, e.source_name, se.country,
    e.target_entity, e.target_actor, e.target_name, te.country,
    e.location, le.name, le.country, le.lat, le.lon,
    e.is_root, e.num_mentions, e.num_articles, e.num_sources, e.num_stories, e.first_doc, e.source_url, e.date_added,
    se.name_en, se.type, se.lat, se.lon, te.name_en, te.type, te.lat, te.lon, le.name_en
  FROM events e
  LEFT JOIN entities se ON se.id = e.source_entity
  LEFT JOIN entities te ON te.id = e.target_entity
  LEFT JOIN entities le ON le.id = e.location";

fn event_record(r: &Row) -> rusqlite::Result<EventRecord> {
    let code: String = r.get(2)?;
    let location: Option<String> = r.get(15)?;
    Ok(EventRecord {
        id: r.get(0)?,
        date: r.get(1)?,
        base_code: code.chars().take(3).collect(),
        root_code: code.chars().take(2).collect(),
        code,
        quad_class: r.get::<_, i64>(3)? as u8,
        goldstein: r.get::<_, f64>(4)? as f32,
        plover: r.get(5)?,
        mood: r.get(6)?,
        source: EventActor {
            entity: r.get(7)?,
            actor: r.get(8)?,
            name: r.get(9)?,
            country: r.get(10)?,
            name_en: r.get(28)?,
            kind: r.get(29)?,
            lat: r.get(30)?,
            lon: r.get(31)?,
        },
        target: EventActor {
            entity: r.get(11)?,
            actor: r.get(12)?,
            name: r.get(13)?,
            country: r.get(14)?,
            name_en: r.get(32)?,
            kind: r.get(33)?,
            lat: r.get(34)?,
            lon: r.get(35)?,
        },
        location: match location {
            Some(entity) => Some(Place {
                entity,
                name: r.get(16)?,
                name_en: r.get(36)?,
                country: r.get(17)?,
                lat: r.get(18)?,
                lon: r.get(19)?,
            }),
            None => None,
        },
        is_root: r.get(20)?,
        num_mentions: r.get::<_, i64>(21)? as u32,
        num_articles: r.get::<_, i64>(22)? as u32,
        num_sources: r.get::<_, i64>(23)? as u32,
        num_stories: r.get::<_, i64>(24)? as u32,
        first_doc: r.get(25)?,
        source_url: r.get(26)?,
        date_added: r.get(27)?,
    })
}

const ENTITY_SELECT: &str = "SELECT id, type, name, name_en, actor, country, lat, lon, num_mentions, num_docs, first_seen, last_seen FROM entities";

fn entity_record(r: &Row) -> rusqlite::Result<EntityRecord> {
    Ok(EntityRecord {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        name_en: r.get(3)?,
        actor: r.get(4)?,
        country: r.get(5)?,
        lat: r.get(6)?,
        lon: r.get(7)?,
        num_mentions: r.get::<_, i64>(8)? as u32,
        num_docs: r.get::<_, i64>(9)? as u32,
        first_seen: r.get(10)?,
        last_seen: r.get(11)?,
    })
}

/// WHERE clauses and their parameters, numbered in order.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Where {
    fn add(&mut self, clause: &str, vals: Vec<Value>) {
        // `?` placeholders become numbered ones
        let mut out = String::new();
        let mut k = self.params.len();
        for ch in clause.chars() {
            if ch == '?' {
                k += 1;
                out.push_str(&format!("?{k}"));
            } else {
                out.push(ch);
            }
        }
        self.clauses.push(out);
        self.params.extend(vals);
    }
    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
    fn next(&self) -> usize {
        self.params.len() + 1
    }
}

fn text(v: &str) -> Value {
    Value::Text(v.to_string())
}

fn check_date(what: &str, d: &Option<String>) -> Result<()> {
    match d {
        Some(s) if !crate::is_ymd(s) => Err(StoreError::BadRequest(format!(
            "{what} must be a date YYYY-MM-DD, got {s:?}"
        ))),
        _ => Ok(()),
    }
}

fn doc_where(f: &DocFilter) -> Result<Where> {
    let mut w = Where::default();
    doc_where_into(f, &mut w)?;
    Ok(w)
}

fn doc_where_into(f: &DocFilter, w: &mut Where) -> Result<()> {
    check_date("from", &f.from)?;
    check_date("to", &f.to)?;
    if let Some(v) = &f.from {
        w.add("d.published >= ?", vec![text(v)]);
    }
    if let Some(v) = &f.to {
        w.add("d.published <= ?", vec![text(v)]);
    }
    if let Some(v) = &f.source {
        w.add("d.source = ?", vec![text(v)]);
    }
    if let Some(v) = &f.entity {
        w.add(
            "d.id IN (SELECT doc_id FROM doc_entities WHERE entity_id = ?)",
            vec![text(v)],
        );
    }
    if let Some(v) = f.cluster {
        w.add("d.cluster = ?", vec![Value::Integer(v)]);
    }
    Ok(())
}

impl Store for SqliteStore {
    fn write_batch(&mut self, docs: Vec<NewDocument>) -> Result<Vec<WriteOutcome>> {
        let mut tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut out = Vec::with_capacity(docs.len());
        let mut next_id: i64 =
            tx.query_row("SELECT coalesce(max(id), 0) + 1 FROM documents", [], |r| {
                r.get(0)
            })?;
        let mut total = Delta::default();
        for d in &docs {
            let mut sp = tx.savepoint()?;
            let mut delta = Delta::default();
            match Self::write_one(&sp, d, &mut next_id, &mut delta) {
                Ok(o) => {
                    sp.commit()?;
                    total.add(&delta);
                    out.push(o);
                }
                Err(e) => {
                    sp.rollback()?;
                    drop(sp);
                    out.push(WriteOutcome::Failed {
                        message: format!("{}: {e}", d.origin),
                    });
                }
            }
        }
        total.apply(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    fn lookup(
        &self,
        id: Option<&str>,
        url: Option<&str>,
        hash: Option<&[u8; 16]>,
    ) -> Result<Option<i64>> {
        lookup(&self.conn, id, url, hash)
    }

    fn stats(&self) -> Result<Stats> {
        let c = &self.conn;
        let (first_date, last_date): (Option<String>, Option<String>) = c.query_row(
            "SELECT min(published), max(published) FROM documents",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let mut bytes = 0;
        for suffix in ["", "-wal"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            bytes += std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        }
        let mut t: FxHashMap<String, i64> = FxHashMap::default();
        {
            let mut st = c.prepare_cached("SELECT name, n FROM totals")?;
            let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (k, v) = row?;
                t.insert(k, v);
            }
        }
        let g = |k: &str| t.get(k).copied().unwrap_or(0).max(0) as u64;
        Ok(Stats {
            documents: g("documents"),
            copies: g("copies"),
            stories: g("documents") - g("near_duplicates").min(g("documents")),
            near_duplicates: g("near_duplicates"),
            sources: g("sources"),
            entities: g("entities"),
            mentions: g("mentions"),
            events: g("events"),
            event_mentions: g("event_mentions"),
            first_date,
            last_date,
            schema_version: c.query_row("PRAGMA user_version", [], |r| r.get(0))?,
            bytes,
        })
    }

    fn list_documents(&self, f: &DocFilter, page: Page) -> Result<Paged<DocSummary>> {
        let w = doc_where(f)?;
        self.paged(
            "documents d",
            Self::doc_summary_sql(),
            "d.published IS NULL, d.published DESC, d.id DESC",
            &w,
            page,
            doc_summary,
        )
    }

    fn document(&self, num: i64) -> Result<Option<DocDetail>> {
        let c = &self.conn;
        let row = c
            .prepare_cached(&format!(
                "{} WHERE d.id = ?1",
                "SELECT d.id, d.ext_id, d.url, d.source, d.dateline, d.published, d.title, d.cluster, d.near_dup_of, d.near_dup_sim, d.ingested_at, length(d.text), d.text FROM documents d"
            ))?
            .query_row([num], |r| Ok((doc_summary(r)?, r.get::<_, String>(12)?)))
            .optional()?;
        let Some((doc, text)) = row else {
            return Ok(None);
        };
        let entities = c
            .prepare_cached(
                "SELECT de.spans, de.entity_id, e.type, e.name, e.actor FROM doc_entities de JOIN entities e ON e.id = de.entity_id WHERE de.doc_id = ?1",
            )?
            .query_map([num], |r| {
                let spans: String = r.get(0)?;
                let span = EntitySpan {
                    start: 0,
                    end: 0,
                    entity: r.get(1)?,
                    kind: r.get(2)?,
                    name: r.get(3)?,
                    actor: r.get(4)?,
                };
                Ok(parse_spans(&spans)
                    .map(|(a, b)| EntitySpan {
                        start: a,
                        end: b,
                        ..span.clone()
                    })
                    .collect::<Vec<_>>())
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut entities: Vec<EntitySpan> = entities.into_iter().flatten().collect();
        entities.sort_by(|a, b| (a.start, a.end, &a.entity).cmp(&(b.start, b.end, &b.entity)));
        let events = c
            .prepare_cached(
                "SELECT m.start, m.end, m.event_id, e.code, e.quad_class, m.mood, coalesce(e.source_name, e.source_actor), coalesce(e.target_name, e.target_actor)
                 FROM event_mentions m JOIN events e ON e.id = m.event_id WHERE m.doc_id = ?1 ORDER BY m.start",
            )?
            .query_map([num], |r| {
                Ok(EventSpan {
                    start: r.get(0)?,
                    end: r.get(1)?,
                    event: r.get(2)?,
                    code: r.get(3)?,
                    quad_class: r.get::<_, i64>(4)? as u8,
                    mood: r.get(5)?,
                    source: r.get(6)?,
                    target: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let copies = c
            .prepare_cached(
                "SELECT ext_id, url, source, published FROM doc_copies WHERE doc_id = ?1 ORDER BY id",
            )?
            .query_map([num], |r| {
                Ok(DocCopy {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    source: r.get(2)?,
                    published: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let story = c
            .prepare_cached(&format!(
                "{} WHERE d.cluster = ?1 AND d.id <> ?2 ORDER BY d.id LIMIT 200",
                Self::doc_summary_sql()
            ))?
            .query_map(params![doc.cluster, num], doc_summary)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(DocDetail {
            doc,
            text,
            entities,
            events,
            copies,
            story,
        }))
    }

    fn document_num(&self, id: &str) -> Result<Option<i64>> {
        lookup(&self.conn, Some(id), Some(id), None)
    }

    fn search(&self, q: &SearchQuery) -> Result<Paged<SearchHit>> {
        check_date("from", &q.from)?;
        check_date("to", &q.to)?;
        let pq = {
            let mut an = self.analyzer();
            ParsedQuery::parse(&q.q, &q.variants, &mut an)
        };
        let mut pq = pq;
        self.prune(&mut pq)?;
        if pq.is_empty() {
            return Ok(Paged {
                total: 0,
                items: Vec::new(),
            });
        }
        if pq.is_empty() {
            return Ok(Paged {
                total: 0,
                items: Vec::new(),
            });
        }
        let f = DocFilter {
            from: q.from.clone(),
            to: q.to.clone(),
            source: q.source.clone(),
            entity: q.entity.clone(),
            cluster: None,
        };
        let mut f = f;
        self.drop_idle_dates(&mut f)?;
        // the documents the filters allow, through their indexes (published, source, entity)
        let mut docs = Where::default();
        doc_where_into(&f, &mut docs)?;
        let allowed: Option<FxHashSet<i64>> = if docs.clauses.is_empty() {
            None
        } else {
            let sql = format!("SELECT d.id FROM documents d{}", docs.sql());
            let ids = self
                .conn
                .prepare_cached(&sql)?
                .query_map(params_from_iter(docs.params.iter()), |r| r.get(0))?
                .collect::<rusqlite::Result<FxHashSet<i64>>>()?;
            Some(ids)
        };
        let want = (q.offset + q.limit.clamp(1, 1000)) as usize;
        let fetch = if q.collapse { want * 3 + 20 } else { want };
        // one pass over the matches: bm25 of each (the title weighs 3× the text, configured in
        // the schema; lower is better), counted and cut to the best `fetch` here, which costs
        // less than FTS5's ORDER BY rank plus a separate count(*), or a join with the documents
        let mut ranked: Vec<(i64, f64)> = Vec::new();
        {
            let mut st = self
                .conn
                .prepare_cached("SELECT rowid, rank FROM doc_fts WHERE doc_fts MATCH ?1")?;
            // matched without the alternatives another one implies (highlights keep them)
            let mut matching = pq.clone();
            matching.drop_subsumed();
            let mut rows = st.query([matching.fts5()])?;
            while let Some(r) = rows.next()? {
                let num: i64 = r.get(0)?;
                if allowed.as_ref().is_none_or(|a| a.contains(&num)) {
                    ranked.push((num, r.get(1)?));
                }
            }
        }
        let total = ranked.len();
        let by_rank = |a: &(i64, f64), b: &(i64, f64)| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0));
        if ranked.len() > fetch {
            ranked.select_nth_unstable_by(fetch, by_rank);
            ranked.truncate(fetch);
        }
        ranked.sort_unstable_by(by_rank);
        // ids and story clusters of the ranked rows, in one statement
        let mut meta: FxHashMap<i64, (String, i64)> = FxHashMap::default();
        {
            let ids = serde_json::to_string(&ranked.iter().map(|r| r.0).collect::<Vec<_>>())
                .unwrap_or_else(|_| "[]".into());
            let mut st = self.conn.prepare_cached(
                "SELECT id, ext_id, cluster FROM documents WHERE id IN (SELECT value FROM json_each(?1))",
            )?;
            let it = st.query_map([ids], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
            for row in it {
                let (num, m) = row?;
                meta.insert(num, m);
            }
        }
        let rows: Vec<(i64, String, i64, f64)> = ranked
            .into_iter()
            .filter_map(|(num, s)| meta.remove(&num).map(|(ext, cl)| (num, ext, cl, s)))
            .collect();
        // fold story clusters
        let mut picked: Vec<(i64, i64, f64, Vec<String>)> = Vec::new();
        let mut by_cluster: FxHashMap<i64, usize> = FxHashMap::default();
        for (num, ext, cluster, s) in rows {
            if q.collapse {
                if let Some(&i) = by_cluster.get(&cluster) {
                    picked[i].3.push(ext);
                    continue;
                }
                by_cluster.insert(cluster, picked.len());
            }
            picked.push((num, cluster, -s, Vec::new()));
        }
        let mut items = Vec::new();
        let snip = Snippets::new(&pq);
        let mut st = self.conn.prepare_cached(
            "SELECT ext_id, title, published, source, url, text FROM documents WHERE id = ?1",
        )?;
        for (num, cluster, score, copies) in picked
            .into_iter()
            .skip(q.offset as usize)
            .take(q.limit.clamp(1, 1000) as usize)
        {
            let (id, title, date, source, url, body): (
                String,
                Option<String>,
                Option<String>,
                Option<String>,
                Option<String>,
                String,
            ) = st.query_row([num], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })?;
            let mut an = self.analyzer();
            let (s, e, highlights) = snip.snippet(&body, SNIPPET_CHARS, &mut an);
            let title_highlights = title
                .as_deref()
                .map(|t| snip.highlights(t, &mut an))
                .unwrap_or_default();
            let snippet: String = body
                .chars()
                .skip(s as usize)
                .take((e - s) as usize)
                .collect();
            items.push(SearchHit {
                num,
                id,
                title,
                date,
                source,
                url,
                score,
                snippet,
                snippet_start: s,
                snippet_end: e,
                highlights,
                title_highlights,
                cluster,
                copies,
            });
        }
        Ok(Paged {
            total: total as u64,
            items,
        })
    }

    fn events(&self, f: &EventFilter, page: Page) -> Result<Paged<EventRecord>> {
        check_date("from", &f.from)?;
        check_date("to", &f.to)?;
        let mut w = Where::default();
        if let Some(a) = &f.actor {
            w.add(
                "(e.source_entity = ? OR e.target_entity = ? OR substr(e.source_actor, 1, length(?)) = ? OR substr(e.target_actor, 1, length(?)) = ?)",
                vec![text(a), text(a), text(a), text(a), text(a), text(a)],
            );
        }
        if let Some(c) = &f.code {
            w.add("substr(e.code, 1, length(?)) = ?", vec![text(c), text(c)]);
        }
        if let Some(v) = &f.from {
            w.add("e.date >= ?", vec![text(v)]);
        }
        if let Some(v) = &f.to {
            w.add("e.date <= ?", vec![text(v)]);
        }
        if !f.moods.is_empty() {
            let qs = vec!["?"; f.moods.len()].join(", ");
            w.add(
                &format!("e.mood IN ({qs})"),
                f.moods.iter().map(|m| text(m)).collect(),
            );
        }
        if let Some(d) = f.doc {
            w.add(
                "e.id IN (SELECT event_id FROM event_mentions WHERE doc_id = ?)",
                vec![Value::Integer(d)],
            );
        }
        self.paged(
            "events e",
            EVENT_SELECT,
            "e.date IS NULL, e.date, e.id",
            &w,
            page,
            event_record,
        )
    }

    fn event(&self, id: i64) -> Result<Option<EventDetail>> {
        let ev = self
            .conn
            .prepare_cached(&format!("{EVENT_SELECT} WHERE e.id = ?1"))?
            .query_row([id], event_record)
            .optional()?;
        let Some(event) = ev else { return Ok(None) };
        let mentions = self
            .conn
            .prepare_cached(
                "SELECT m.doc_id, d.ext_id, d.title, d.source, d.published, d.url, m.start, m.end, m.text, m.mood, m.confidence
                 FROM event_mentions m JOIN documents d ON d.id = m.doc_id WHERE m.event_id = ?1 ORDER BY m.doc_id, m.start",
            )?
            .query_map([id], |r| {
                Ok(EventMentionRecord {
                    doc: r.get(0)?,
                    doc_id: r.get(1)?,
                    title: r.get(2)?,
                    source: r.get(3)?,
                    published: r.get(4)?,
                    url: r.get(5)?,
                    start: r.get(6)?,
                    end: r.get(7)?,
                    text: r.get(8)?,
                    mood: r.get(9)?,
                    confidence: r.get::<_, Option<f64>>(10)?.map(|x| x as f32),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(EventDetail { event, mentions }))
    }

    fn entities(&self, f: &EntityFilter, page: Page) -> Result<Paged<EntityRecord>> {
        let mut w = Where::default();
        if let Some(k) = &f.kind {
            w.add("type = ?", vec![text(k)]);
        }
        if let Some(a) = &f.actor {
            w.add("substr(actor, 1, length(?)) = ?", vec![text(a), text(a)]);
        }
        if let Some(n) = &f.name {
            w.add("instr(name, ?) > 0", vec![text(n)]);
        }
        self.paged(
            "entities",
            ENTITY_SELECT,
            "num_docs DESC, num_mentions DESC, id",
            &w,
            page,
            entity_record,
        )
    }

    fn entity(&self, id: &str) -> Result<Option<EntityDetail>> {
        let c = &self.conn;
        let e = c
            .prepare_cached(&format!("{ENTITY_SELECT} WHERE id = ?1"))?
            .query_row([id], entity_record)
            .optional()?;
        let Some(entity) = e else { return Ok(None) };
        let timeline = c
            .prepare_cached(
                "SELECT published, count(*), sum(n) FROM doc_entities WHERE entity_id = ?1 AND published IS NOT NULL GROUP BY published ORDER BY published",
            )?
            .query_map([id], |r| {
                Ok(TimelinePoint {
                    date: r.get(0)?,
                    docs: r.get::<_, i64>(1)? as u32,
                    mentions: r.get::<_, i64>(2)? as u32,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut partners: Vec<Partner> = c
            .prepare_cached(
                "SELECT b.entity_id, e.type, e.name, count(*) AS n FROM doc_entities a
                 JOIN doc_entities b ON b.doc_id = a.doc_id AND b.entity_id <> a.entity_id
                 JOIN entities e ON e.id = b.entity_id
                 WHERE a.entity_id = ?1 GROUP BY b.entity_id ORDER BY n DESC, b.entity_id LIMIT 30",
            )?
            .query_map([id], |r| {
                Ok(Partner {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    name: r.get(2)?,
                    docs: r.get::<_, i64>(3)? as u32,
                    events: 0,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let ev: Vec<(String, String, String, u32)> = c
            .prepare_cached(
                "SELECT o.other, e.type, e.name, count(*) FROM (
                   SELECT target_entity AS other FROM events WHERE source_entity = ?1
                   UNION ALL SELECT source_entity FROM events WHERE target_entity = ?1) o
                 JOIN entities e ON e.id = o.other GROUP BY o.other ORDER BY 4 DESC LIMIT 30",
            )?
            .query_map([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? as u32))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (oid, kind, name, n) in ev {
            if let Some(p) = partners.iter_mut().find(|p| p.id == oid) {
                p.events = n;
            } else {
                partners.push(Partner {
                    id: oid,
                    kind,
                    name,
                    docs: 0,
                    events: n,
                });
            }
        }
        let sources = c
            .prepare_cached(
                "SELECT coalesce(d.source, ''), count(*) FROM doc_entities de JOIN documents d ON d.id = de.doc_id
                 WHERE de.entity_id = ?1 GROUP BY d.source ORDER BY 2 DESC LIMIT 30",
            )?
            .query_map([id], |r| {
                Ok(SourceCount {
                    source: r.get(0)?,
                    docs: r.get::<_, i64>(1)? as u32,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(EntityDetail {
            entity,
            timeline,
            partners,
            sources,
        }))
    }

    fn sources(&self) -> Result<Vec<SourceCount>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT coalesce(source, ''), count(*) FROM documents GROUP BY source ORDER BY 2 DESC, 1",
            )?
            .query_map([], |r| {
                Ok(SourceCount {
                    source: r.get(0)?,
                    docs: r.get::<_, i64>(1)? as u32,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
