//! Versioned migrations. The database's `PRAGMA user_version` is the number of migrations
//! applied; each migration runs in its own transaction, so a crash never leaves half of one.
//! Append new migrations to [`MIGRATIONS`]; never edit a released one.

use crate::{Result, StoreError};
use rusqlite::Connection;

/// Migration `i` (1-based: `MIGRATIONS[0]` brings version 0 to 1).
pub const MIGRATIONS: &[&str] = &[
    // 1: documents, copies, near-duplicate buckets, full-text index, entities, mentions, events
    r#"
CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    ext_id        TEXT NOT NULL UNIQUE,        -- public id: input id, URL, path or sha:…
    url           TEXT UNIQUE,
    source        TEXT,                        -- outlet
    dateline      TEXT,
    published     TEXT,                        -- YYYY-MM-DD
    published_at  TEXT,                        -- as given, RFC 3339 when parsed
    title         TEXT,
    text          TEXT NOT NULL,
    content_hash  BLOB NOT NULL UNIQUE,        -- xxh3-128, whitespace-collapsed text
    fingerprint   BLOB,                        -- MinHash, 128 × u16 LE (NULL: too short)
    cluster       INTEGER NOT NULL,            -- story: id of its first document
    near_dup_of   INTEGER,
    near_dup_sim  REAL,
    origin        TEXT,                        -- FILE:LINE, path or URL read
    ingested_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_source ON documents(source, published);
CREATE INDEX documents_cluster ON documents(cluster);

-- exact copies: the same text under another id or URL (syndication, re-posts)
CREATE TABLE doc_copies (
    id           INTEGER PRIMARY KEY,
    doc_id       INTEGER NOT NULL REFERENCES documents(id),
    ext_id       TEXT NOT NULL UNIQUE,
    url          TEXT UNIQUE,
    source       TEXT,
    published    TEXT,
    origin       TEXT,
    ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX doc_copies_doc ON doc_copies(doc_id);

-- MinHash LSH buckets: (band << 32 | two 16-bit minima) → document
CREATE TABLE doc_lsh (
    key     INTEGER NOT NULL,
    doc_id  INTEGER NOT NULL,
    PRIMARY KEY (key, doc_id)
) WITHOUT ROWID;

-- full-text index over the search forms (see search.rs); rowid = documents.id
CREATE VIRTUAL TABLE doc_fts USING fts5(
    title, body,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);
INSERT INTO doc_fts (doc_fts, rank) VALUES ('rank', 'bm25(3.0, 1.0)');

CREATE TABLE entities (
    id            TEXT PRIMARY KEY,
    type          TEXT NOT NULL,
    name          TEXT NOT NULL,
    name_en       TEXT,
    actor         TEXT,
    country       TEXT,                        -- ISO 3166 alpha-3
    lat           REAL,
    lon           REAL,
    num_mentions  INTEGER NOT NULL DEFAULT 0,
    num_docs      INTEGER NOT NULL DEFAULT 0,
    first_seen    TEXT,
    last_seen     TEXT
);
CREATE INDEX entities_docs ON entities(num_docs DESC);
CREATE INDEX entities_type ON entities(type, num_docs DESC);
CREATE INDEX entities_actor ON entities(actor);

CREATE TABLE mentions (
    doc_id     INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    end        INTEGER NOT NULL,
    entity_id  TEXT NOT NULL,
    PRIMARY KEY (doc_id, start, end, entity_id)
) WITHOUT ROWID;

-- one row per (entity, document): counts, timelines and co-occurrence
CREATE TABLE doc_entities (
    entity_id  TEXT NOT NULL,
    doc_id     INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    published  TEXT,
    PRIMARY KEY (entity_id, doc_id)
) WITHOUT ROWID;
CREATE INDEX doc_entities_doc ON doc_entities(doc_id);

-- de-duplicated events: one row per (date, source, target, code, mood); key = xxh3-64 of
-- "date|source|target|code|mood" (sides: e:entity, a:actor code or t:match-form text)
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    key            INTEGER NOT NULL UNIQUE,
    date           TEXT,
    code           TEXT NOT NULL,
    quad_class     INTEGER NOT NULL,
    goldstein      REAL NOT NULL,
    plover         TEXT,
    mood           TEXT NOT NULL,
    source_entity  TEXT,
    source_actor   TEXT,
    source_name    TEXT,
    target_entity  TEXT,
    target_actor   TEXT,
    target_name    TEXT,
    location       TEXT,                       -- entity id of the place
    is_root        INTEGER NOT NULL DEFAULT 0,
    num_mentions   INTEGER NOT NULL DEFAULT 0,
    num_articles   INTEGER NOT NULL DEFAULT 0,
    num_sources    INTEGER NOT NULL DEFAULT 0,
    num_stories    INTEGER NOT NULL DEFAULT 0,
    first_doc      INTEGER NOT NULL,
    source_url     TEXT,
    date_added     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_code ON events(code);
CREATE INDEX events_source_actor ON events(source_actor);
CREATE INDEX events_target_actor ON events(target_actor);
CREATE INDEX events_source_entity ON events(source_entity);
CREATE INDEX events_target_entity ON events(target_entity);

CREATE TABLE event_mentions (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id),
    doc_id       INTEGER NOT NULL REFERENCES documents(id),
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    text         TEXT NOT NULL,
    mood         TEXT NOT NULL,
    confidence   REAL,
    is_root      INTEGER NOT NULL,
    doc_source   TEXT,                         -- denormalised for NumSources
    doc_cluster  INTEGER NOT NULL              -- denormalised for num_stories
);
CREATE INDEX event_mentions_event_source ON event_mentions(event_id, doc_source);
CREATE INDEX event_mentions_event_cluster ON event_mentions(event_id, doc_cluster);
CREATE INDEX event_mentions_doc ON event_mentions(doc_id);
"#,
    // 2: entity mentions as spans on their (entity, document) row instead of one row each (a
    // third fewer rows written per document); running totals, so stats never scan
    r#"
ALTER TABLE doc_entities ADD COLUMN spans TEXT NOT NULL DEFAULT '';
UPDATE doc_entities SET spans = coalesce((
    SELECT group_concat(start || '-' || end, ',') FROM (
        SELECT start, end FROM mentions m
        WHERE m.doc_id = doc_entities.doc_id AND m.entity_id = doc_entities.entity_id
        ORDER BY start, end)), '');
DROP TABLE mentions;

CREATE TABLE totals (
    name  TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO totals (name, n) VALUES
    ('documents', (SELECT count(*) FROM documents)),
    ('copies', (SELECT count(*) FROM doc_copies)),
    ('near_duplicates', (SELECT count(*) FROM documents WHERE near_dup_of IS NOT NULL)),
    ('sources', (SELECT count(DISTINCT source) FROM documents)),
    ('entities', (SELECT count(*) FROM entities)),
    ('mentions', (SELECT coalesce(sum(n), 0) FROM doc_entities)),
    ('events', (SELECT count(*) FROM events)),
    ('event_mentions', (SELECT count(*) FROM event_mentions));
"#,
];

/// The schema version this build writes.
pub fn latest() -> u32 {
    MIGRATIONS.len() as u32
}

/// Bring the database up to [`latest`], one transaction per migration.
pub fn migrate(conn: &mut Connection) -> Result<u32> {
    let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if v > latest() {
        return Err(StoreError::Schema(format!(
            "the database has schema version {v}, newer than this marsad ({}): use a newer marsad",
            latest()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(v as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // another process may have migrated while we waited for the lock
        let now: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if now > i as u32 {
            tx.commit()?;
            continue;
        }
        tx.execute_batch(sql)
            .map_err(|e| StoreError::Schema(format!("migration {}: {e}", i + 1)))?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
    }
    Ok(latest())
}
