//! The [`Backend`] over the SQLite store (`marsad-store`), through its public [`Store`] API.
//!
//! Reads go to a small pool of read-only connections (WAL: they never block the writer). The
//! overview aggregates (events per month and QuadClass, top actors, dyads, codes, places) and
//! the event filters the store does not offer (QuadClass, place) are served from an in-memory
//! *snapshot* of the event table, rebuilt when the store's counts change (checked at most once
//! a second), so a concurrent `marsad ingest` shows up without a restart.

use crate::api::*;
use crate::overview::{month, DocMonths, EventTally};
use marsad_coder::Pipeline;
use marsad_store::{self as ms, SqliteStore, Store};
use marsad_text::{match_form, Analyzer, DocMeta, Document};
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How often the snapshot's freshness is checked.
const SNAPSHOT_CHECK: Duration = Duration::from_secs(1);
/// Most events looked up for their first mention on one page (exports included).
const MAX_EVENT_LOOKUPS: usize = MAX_EXPORT_LIMIT as usize;

fn be(e: ms::StoreError) -> BackendError {
    match e {
        ms::StoreError::BadRequest(m) => BackendError::BadRequest(m),
        other => BackendError::Internal(other.to_string()),
    }
}

struct Snapshot {
    /// (documents, events, entities, mentions) when it was built
    key: SnapKey,
    stats: Stats,
    /// all events, newest first
    events: Vec<ms::EventRecord>,
    by_id: FxHashMap<i64, usize>,
    /// events per entity id (either side)
    entity_events: FxHashMap<String, u32>,
    /// first mention (document, trigger) of each event, filled as pages ask for them
    firsts: RwLock<FxHashMap<i64, Option<ms::EventMentionRecord>>>,
}

/// The store-backed backend.
pub struct StoreBackend {
    path: PathBuf,
    readers: Vec<Mutex<SqliteStore>>,
    next: AtomicUsize,
    writer: Option<Mutex<SqliteStore>>,
    snap: RwLock<Option<(Instant, Arc<Snapshot>)>>,
    rebuild: Mutex<()>,
    /// recent search results, valid while the snapshot key (the store's counts) is unchanged
    search_cache: Option<Mutex<FxHashMap<String, (SnapKey, SearchResult)>>>,
}

type SnapKey = (u64, u64, u64, u64);
/// Entries of the search cache before it is emptied.
const SEARCH_CACHE_SIZE: usize = 1024;

impl StoreBackend {
    /// Open `path` with `readers` read-only connections; `writable` also opens a writer (for
    /// `POST /api/documents`). The database must exist (run `marsad ingest` or `marsad demo`).
    pub fn open(path: &Path, readers: usize, writable: bool) -> Result<Self, String> {
        let writer = if writable {
            Some(Mutex::new(
                SqliteStore::open(path).map_err(|e| e.to_string())?,
            ))
        } else {
            None
        };
        let readers = (0..readers.max(1))
            .map(|_| SqliteStore::open_read_only(path).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| e.to_string())?;
        Ok(StoreBackend {
            path: path.to_path_buf(),
            readers,
            next: AtomicUsize::new(0),
            writer,
            snap: RwLock::new(None),
            rebuild: Mutex::new(()),
            search_cache: Some(Mutex::new(FxHashMap::default())),
        })
    }

    /// Keep (the default) or turn off the cache of search results (benchmarks of the store's
    /// own search speed turn it off).
    pub fn with_search_cache(mut self, on: bool) -> Self {
        self.search_cache = on.then(|| Mutex::new(FxHashMap::default()));
        self
    }

    /// Path of the database.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn with_reader<T>(
        &self,
        f: impl FnOnce(&SqliteStore) -> Result<T, BackendError>,
    ) -> Result<T, BackendError> {
        let n = self.readers.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            if let Ok(g) = self.readers[(start + i) % n].try_lock() {
                return f(&g);
            }
        }
        let g = self.readers[start % n]
            .lock()
            .map_err(|_| BackendError::Internal("reader lock poisoned".into()))?;
        f(&g)
    }

    fn snapshot(&self) -> Result<Arc<Snapshot>, BackendError> {
        if let Some((at, s)) = self.snap.read().map_err(|_| poisoned())?.as_ref() {
            if at.elapsed() < SNAPSHOT_CHECK {
                return Ok(s.clone());
            }
        }
        let _one = self.rebuild.lock().map_err(|_| poisoned())?;
        // another thread may have refreshed it meanwhile
        if let Some((at, s)) = self.snap.read().map_err(|_| poisoned())?.as_ref() {
            if at.elapsed() < SNAPSHOT_CHECK {
                return Ok(s.clone());
            }
        }
        let st = self.with_reader(|r| r.stats().map_err(be))?;
        let key = (st.documents, st.events, st.entities, st.mentions);
        let current = self
            .snap
            .read()
            .map_err(|_| poisoned())?
            .as_ref()
            .map(|(_, s)| s.clone());
        let s = match current {
            Some(s) if s.key == key => s,
            _ => Arc::new(self.with_reader(|r| build_snapshot(r, st, key))?),
        };
        *self.snap.write().map_err(|_| poisoned())? = Some((Instant::now(), s.clone()));
        Ok(s)
    }

    fn invalidate(&self) {
        if let Ok(mut g) = self.snap.write() {
            *g = None;
        }
    }

    /// Event rows for records, with the first mention (document, trigger) of each.
    fn rows(
        &self,
        snap: &Snapshot,
        recs: &[&ms::EventRecord],
    ) -> Result<Vec<EventRow>, BackendError> {
        let recs = &recs[..recs.len().min(MAX_EVENT_LOOKUPS)];
        let missing: Vec<i64> = {
            let f = snap.firsts.read().map_err(|_| poisoned())?;
            recs.iter()
                .map(|e| e.id)
                .filter(|id| !f.contains_key(id))
                .collect()
        };
        if !missing.is_empty() {
            let found = self.with_reader(|r| {
                missing
                    .iter()
                    .map(|&id| {
                        let d = r.event(id).map_err(be)?;
                        Ok((id, d.and_then(|d| d.mentions.into_iter().next())))
                    })
                    .collect::<Result<Vec<_>, BackendError>>()
            })?;
            snap.firsts.write().map_err(|_| poisoned())?.extend(found);
        }
        let f = snap.firsts.read().map_err(|_| poisoned())?;
        Ok(recs
            .iter()
            .map(|e| event_row(e, f.get(&e.id).and_then(|m| m.as_ref())))
            .collect())
    }
}

fn poisoned() -> BackendError {
    BackendError::Internal("lock poisoned".into())
}

fn actor_ref(a: &ms::EventActor) -> Option<EntityRef> {
    if a.entity.is_none() && a.actor.is_none() && a.name.is_none() {
        return None;
    }
    Some(EntityRef {
        id: a.entity.clone().unwrap_or_default(),
        name: a
            .name
            .clone()
            .or_else(|| a.actor.clone())
            .or_else(|| a.entity.clone())
            .unwrap_or_default(),
        kind: a.kind.clone(),
        actor: a.actor.clone(),
    })
}

fn place_ref(p: &ms::Place) -> PlaceRef {
    PlaceRef {
        id: p.entity.clone(),
        name: p.name.clone().unwrap_or_else(|| p.entity.clone()),
        country: p.country.clone(),
        lat: p.lat,
        lon: p.lon,
    }
}

fn event_row(e: &ms::EventRecord, first: Option<&ms::EventMentionRecord>) -> EventRow {
    EventRow {
        id: e.id.to_string(),
        doc_id: first.map(|m| m.doc_id.clone()).unwrap_or_default(),
        doc_title: first.and_then(|m| m.title.clone()),
        date: e.date.clone(),
        code: e.code.clone(),
        quad_class: e.quad_class,
        goldstein: e.goldstein,
        plover: e.plover.clone(),
        mood: e.mood.clone(),
        source: actor_ref(&e.source),
        target: actor_ref(&e.target),
        place: e.location.as_ref().map(place_ref),
        trigger: first
            .map(|m| TextSpan {
                start: m.start,
                end: m.end,
                text: m.text.clone(),
            })
            .unwrap_or_default(),
        num_articles: e.num_articles,
        confidence: first.and_then(|m| m.confidence),
    }
}

fn build_snapshot(r: &SqliteStore, st: ms::Stats, key: SnapKey) -> Result<Snapshot, BackendError> {
    const PAGE: u32 = 10_000;
    let mut events = Vec::new();
    loop {
        let p = r
            .events(
                &ms::EventFilter::default(),
                ms::Page::new(PAGE, events.len() as u32),
            )
            .map_err(be)?;
        let n = p.items.len();
        events.extend(p.items);
        if n < PAGE as usize {
            break;
        }
    }
    events.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
    let by_id = events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
    // documents per month
    let mut doc_months = DocMonths::default();
    let mut off = 0;
    loop {
        let p = r
            .list_documents(&ms::DocFilter::default(), ms::Page::new(PAGE, off))
            .map_err(be)?;
        for d in &p.items {
            doc_months.add(d.published.as_deref());
        }
        off += p.items.len() as u32;
        if p.items.len() < PAGE as usize {
            break;
        }
    }
    let mut stats = Stats {
        documents: st.documents,
        entities: st.entities,
        events: st.events,
        sources: st.sources,
        first_date: st.first_date,
        last_date: st.last_date,
        documents_by_month: doc_months.finish(),
        ..Default::default()
    };
    let mut tally = EventTally::default();
    let mut entity_events: FxHashMap<String, u32> = FxHashMap::default();
    for e in &events {
        let (s, t) = (actor_ref(&e.source), actor_ref(&e.target));
        for x in [&s, &t].into_iter().flatten() {
            if !x.id.is_empty() {
                *entity_events.entry(x.id.clone()).or_default() += 1;
            }
        }
        tally.add(
            e.quad_class,
            e.date.as_deref(),
            &e.code,
            s.as_ref(),
            t.as_ref(),
        );
    }
    tally.finish(&mut stats);
    stats.top_sources = r
        .sources()
        .map_err(be)?
        .into_iter()
        .filter(|s| !s.source.is_empty())
        .take(10)
        .map(|s| NameCount {
            name: s.source,
            count: s.docs,
        })
        .collect();
    Ok(Snapshot {
        key,
        stats,
        events,
        by_id,
        entity_events,
        firsts: RwLock::new(FxHashMap::default()),
    })
}

/// `2020` → `2020-01-01`, `2020-05` → `2020-05-01`.
fn from_bound(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| match s.len() {
        4 => format!("{s}-01-01"),
        7 => format!("{s}-01"),
        _ => s.clone(),
    })
}

/// `2020` → `2020-12-31`, `2020-05` → `2020-05-31` (string comparison: day 31 is an upper bound).
fn to_bound(s: &Option<String>) -> Option<String> {
    s.as_ref().map(|s| match s.len() {
        4 => format!("{s}-12-31"),
        7 => format!("{s}-31"),
        _ => s.clone(),
    })
}

fn check_dates(from: &Option<String>, to: &Option<String>) -> Result<(), BackendError> {
    for d in [from, to].into_iter().flatten() {
        if !valid_date_filter(d) {
            return Err(BackendError::BadRequest(format!(
                "bad date {d:?}: use YYYY-MM-DD, YYYY-MM or YYYY"
            )));
        }
    }
    Ok(())
}

fn event_matches(e: &ms::EventRecord, q: &EventQuery, place_mf: Option<&str>) -> bool {
    fn side(x: &ms::EventActor) -> (Option<&str>, Option<&str>) {
        (x.entity.as_deref(), x.actor.as_deref())
    }
    q.admits(
        &EventFacts {
            sides: [side(&e.source), side(&e.target)],
            code: &e.code,
            quad_class: e.quad_class,
            place: e
                .location
                .as_ref()
                .map(|l| (l.entity.as_str(), l.name.as_deref())),
            date: e.date.as_deref(),
        },
        place_mf,
    )
}

impl StoreBackend {
    fn filtered<'a>(
        &self,
        snap: &'a Snapshot,
        q: &EventQuery,
    ) -> Result<Vec<&'a ms::EventRecord>, BackendError> {
        check_dates(&q.from, &q.to)?;
        let doc_events: Option<FxHashSet<i64>> = match &q.doc {
            None => None,
            Some(id) => Some(self.with_reader(|r| {
                let Some(num) = r.document_num(id).map_err(be)? else {
                    return Ok(FxHashSet::default());
                };
                let p = r
                    .events(
                        &ms::EventFilter {
                            doc: Some(num),
                            ..Default::default()
                        },
                        ms::Page::new(10_000, 0),
                    )
                    .map_err(be)?;
                Ok(p.items.iter().map(|e| e.id).collect())
            })?),
        };
        let place_mf = q.place.as_deref().map(match_form);
        Ok(snap
            .events
            .iter()
            .filter(|e| doc_events.as_ref().is_none_or(|s| s.contains(&e.id)))
            .filter(|e| event_matches(e, q, place_mf.as_deref()))
            .collect())
    }
}

fn doc_summary(d: &ms::DocSummary) -> DocSummary {
    DocSummary {
        id: d.id.clone(),
        title: d.title.clone(),
        source: d.source.clone(),
        dateline: d.dateline.clone(),
        date: d.published.clone(),
        url: d.url.clone(),
        entities: None,
        events: None,
    }
}

fn char_slice(chars: &[char], s: u32, e: u32) -> String {
    let (s, e) = (s as usize, (e as usize).min(chars.len()));
    if s >= e {
        String::new()
    } else {
        chars[s..e].iter().collect()
    }
}

impl StoreBackend {
    fn search_uncached(&self, q: &SearchQuery) -> Result<SearchResult, BackendError> {
        check_dates(&q.from, &q.to)?;
        let limit = page_limit(q.limit, 20, 100);
        let mut sq = ms::SearchQuery::new(q.q.trim());
        sq.from = from_bound(&q.from);
        sq.to = to_bound(&q.to);
        sq.source = q.source.clone();
        sq.entity = q.entity.clone();
        sq.limit = limit;
        sq.offset = q.offset;
        let mut terms = vec![q.q.trim().to_string()];
        terms.extend(sq.variants.iter().cloned());
        let p = self.with_reader(|r| r.search(&sq).map_err(be))?;
        let hits = p
            .items
            .into_iter()
            .map(|h| {
                let lead = u32::from(h.snippet_start > 0);
                let mut snippet = String::new();
                if lead == 1 {
                    snippet.push('…');
                }
                snippet.push_str(&h.snippet);
                if h.snippet_end - h.snippet_start >= 200 {
                    snippet.push('…');
                }
                SearchHit {
                    id: h.id,
                    title: h.title,
                    date: h.date,
                    source: h.source,
                    dateline: None,
                    score: h.score as f32,
                    snippet,
                    highlights: h
                        .highlights
                        .iter()
                        .filter(|x| x[0] >= h.snippet_start && x[1] <= h.snippet_end)
                        .map(|x| [x[0] - h.snippet_start + lead, x[1] - h.snippet_start + lead])
                        .collect(),
                    title_highlights: h.title_highlights,
                }
            })
            .collect();
        Ok(SearchResult {
            query: q.q.clone(),
            terms,
            total: p.total,
            offset: q.offset,
            limit,
            hits,
        })
    }
}

impl Backend for StoreBackend {
    fn stats(&self) -> Result<Stats, BackendError> {
        Ok(self.snapshot()?.stats.clone())
    }

    fn documents(&self, q: &DocQuery) -> Result<Page<DocSummary>, BackendError> {
        check_dates(&q.from, &q.to)?;
        let limit = page_limit(q.limit, 20, MAX_LIMIT);
        let f = ms::DocFilter {
            from: from_bound(&q.from),
            to: to_bound(&q.to),
            source: q.source.clone(),
            entity: q.entity.clone(),
            cluster: None,
        };
        let p = self.with_reader(|r| {
            r.list_documents(&f, ms::Page::new(limit, q.offset))
                .map_err(be)
        })?;
        Ok(Page {
            total: p.total,
            offset: q.offset,
            limit,
            items: p.items.iter().map(doc_summary).collect(),
        })
    }

    fn document(&self, id: &str) -> Result<Option<DocDetail>, BackendError> {
        let d = self.with_reader(|r| {
            let Some(num) = r.document_num(id).map_err(be)? else {
                return Ok(None);
            };
            r.document(num).map_err(be)
        })?;
        let Some(d) = d else { return Ok(None) };
        let snap = self.snapshot()?;
        let chars: Vec<char> = d.text.chars().collect();
        let mut ents: Vec<DocEntity> = Vec::new();
        let mut at: FxHashMap<String, usize> = FxHashMap::default();
        for m in &d.entities {
            let i = *at.entry(m.entity.clone()).or_insert_with(|| {
                ents.push(DocEntity {
                    id: m.entity.clone(),
                    kind: m.kind.clone(),
                    name: m.name.clone(),
                    actor: m.actor.clone(),
                    ..Default::default()
                });
                ents.len() - 1
            });
            ents[i].mentions.push(TextSpan {
                start: m.start,
                end: m.end,
                text: char_slice(&chars, m.start, m.end),
            });
        }
        let events = d
            .events
            .iter()
            .map(|s| {
                let mut row = match snap.by_id.get(&s.event) {
                    Some(&i) => event_row(&snap.events[i], None),
                    None => EventRow {
                        id: s.event.to_string(),
                        code: s.code.clone(),
                        quad_class: s.quad_class,
                        mood: s.mood.clone(),
                        num_articles: 1,
                        ..Default::default()
                    },
                };
                row.doc_id = d.doc.id.clone();
                row.doc_title = d.doc.title.clone();
                row.mood = s.mood.clone();
                row.trigger = TextSpan {
                    start: s.start,
                    end: s.end,
                    text: char_slice(&chars, s.start, s.end),
                };
                row
            })
            .collect::<Vec<_>>();
        let mut summary = doc_summary(&d.doc);
        summary.entities = Some(ents.len() as u32);
        summary.events = Some(events.len() as u32);
        Ok(Some(DocDetail {
            doc: summary,
            text: d.text,
            entities: ents,
            events,
            matches: Vec::new(),
        }))
    }

    fn events(&self, q: &EventQuery) -> Result<Page<EventRow>, BackendError> {
        let exporting = matches!(q.format.as_deref(), Some("csv" | "jsonl"));
        let limit = if exporting {
            page_limit(q.limit, MAX_EXPORT_LIMIT, MAX_EXPORT_LIMIT)
        } else {
            page_limit(q.limit, 50, MAX_LIMIT)
        };
        let snap = self.snapshot()?;
        let v = self.filtered(&snap, q)?;
        let page: Vec<&ms::EventRecord> = v
            .iter()
            .skip(q.offset as usize)
            .take(limit as usize)
            .copied()
            .collect();
        Ok(Page {
            total: v.len() as u64,
            offset: q.offset,
            limit,
            items: self.rows(&snap, &page)?,
        })
    }

    fn places(&self, q: &EventQuery) -> Result<Vec<PlacePoint>, BackendError> {
        let snap = self.snapshot()?;
        let mut m: FxHashMap<&str, PlacePoint> = FxHashMap::default();
        for e in self.filtered(&snap, q)? {
            let Some(p) = &e.location else { continue };
            if p.lat.is_none() || p.lon.is_none() {
                continue;
            }
            let pp = m.entry(&p.entity).or_insert_with(|| PlacePoint {
                place: place_ref(p),
                ..Default::default()
            });
            pp.events += 1;
            if (1..=4).contains(&e.quad_class) {
                pp.quads[e.quad_class as usize - 1] += 1;
            }
        }
        let mut v: Vec<_> = m.into_values().collect();
        v.sort_by(|a, b| {
            b.events
                .cmp(&a.events)
                .then_with(|| a.place.id.cmp(&b.place.id))
        });
        Ok(v)
    }

    fn entities(&self, q: &EntityQuery) -> Result<Page<EntitySummary>, BackendError> {
        let limit = page_limit(q.limit, 50, MAX_LIMIT);
        let kind = match &q.kind {
            None => None,
            Some(k) => Some(
                marsad_coder::EntityType::parse(k)
                    .ok_or_else(|| {
                        BackendError::BadRequest("type must be PER, ORG, LOC or MISC".into())
                    })?
                    .as_str()
                    .to_string(),
            ),
        };
        let f = ms::EntityFilter {
            kind,
            actor: None,
            name: q.q.clone().filter(|s| !s.trim().is_empty()),
        };
        let snap = self.snapshot()?;
        let p = self.with_reader(|r| r.entities(&f, ms::Page::new(limit, q.offset)).map_err(be))?;
        Ok(Page {
            total: p.total,
            offset: q.offset,
            limit,
            items: p
                .items
                .into_iter()
                .map(|e| EntitySummary {
                    events: snap.entity_events.get(&e.id).copied().unwrap_or(0),
                    id: e.id,
                    kind: e.kind,
                    name: e.name,
                    name_en: e.name_en,
                    actor: e.actor,
                    country: e.country,
                    lat: e.lat,
                    lon: e.lon,
                    documents: e.num_docs,
                    mentions: e.num_mentions,
                })
                .collect(),
        })
    }

    fn entity(&self, id: &str) -> Result<Option<EntityDetail>, BackendError> {
        let (d, docs) = self.with_reader(|r| {
            let Some(d) = r.entity(id).map_err(be)? else {
                return Ok((None, Vec::new()));
            };
            let docs = r
                .list_documents(
                    &ms::DocFilter {
                        entity: Some(id.to_string()),
                        ..Default::default()
                    },
                    ms::Page::new(50, 0),
                )
                .map_err(be)?
                .items;
            Ok((Some(d), docs))
        })?;
        let Some(d) = d else { return Ok(None) };
        let snap = self.snapshot()?;
        let mine: Vec<&ms::EventRecord> = snap
            .events
            .iter()
            .filter(|e| {
                e.source.entity.as_deref() == Some(id) || e.target.entity.as_deref() == Some(id)
            })
            .collect();
        let mut timeline: std::collections::BTreeMap<String, TimePoint> = Default::default();
        for p in &d.timeline {
            if let Some(m) = month(Some(&p.date)) {
                let tp = timeline.entry(m.clone()).or_insert_with(|| TimePoint {
                    period: m,
                    ..Default::default()
                });
                tp.documents += p.docs;
            }
        }
        let mut partners: FxHashMap<String, Partner> = FxHashMap::default();
        for e in &mine {
            if let Some(m) = month(e.date.as_deref()) {
                timeline
                    .entry(m.clone())
                    .or_insert_with(|| TimePoint {
                        period: m,
                        ..Default::default()
                    })
                    .events += 1;
            }
            let me_source = e.source.entity.as_deref() == Some(id);
            let other = if me_source { &e.target } else { &e.source };
            let Some(o) = actor_ref(other).filter(|o| !o.id.is_empty() && o.id != id) else {
                continue;
            };
            let p = partners.entry(o.id.clone()).or_insert_with(|| Partner {
                entity: o,
                ..Default::default()
            });
            p.events += 1;
            if me_source {
                p.as_source += 1;
            } else {
                p.as_target += 1;
            }
            if (1..=4).contains(&e.quad_class) {
                p.quads[e.quad_class as usize - 1] += 1;
            }
        }
        // entities that share documents with it (co-mentions), for the network before events
        for p in &d.partners {
            let e = partners.entry(p.id.clone()).or_insert_with(|| Partner {
                entity: EntityRef {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    kind: Some(p.kind.clone()),
                    actor: None,
                },
                ..Default::default()
            });
            e.documents = p.docs;
        }
        let mut partners: Vec<Partner> = partners.into_values().collect();
        partners.sort_by(|a, b| {
            (b.events, b.documents)
                .cmp(&(a.events, a.documents))
                .then_with(|| a.entity.id.cmp(&b.entity.id))
        });
        partners.truncate(30);
        let events = self.rows(&snap, &mine.into_iter().take(100).collect::<Vec<_>>())?;
        let e = d.entity;
        Ok(Some(EntityDetail {
            entity: EntitySummary {
                events: snap.entity_events.get(&e.id).copied().unwrap_or(0),
                id: e.id,
                kind: e.kind,
                name: e.name,
                name_en: e.name_en,
                actor: e.actor,
                country: e.country,
                lat: e.lat,
                lon: e.lon,
                documents: e.num_docs,
                mentions: e.num_mentions,
            },
            timeline: timeline.into_values().collect(),
            partners,
            latest_events: events,
            latest_documents: docs.iter().map(doc_summary).collect(),
        }))
    }

    fn search(&self, q: &SearchQuery) -> Result<SearchResult, BackendError> {
        check_dates(&q.from, &q.to)?;
        let Some(cache) = &self.search_cache else {
            return self.search_uncached(q);
        };
        let key = self.snapshot()?.key;
        let ck = serde_json::to_string(q).unwrap_or_default();
        if let Some((k, r)) = cache.lock().map_err(|_| poisoned())?.get(&ck) {
            if *k == key {
                return Ok(r.clone());
            }
        }
        let r = self.search_uncached(q)?;
        let mut c = cache.lock().map_err(|_| poisoned())?;
        if c.len() >= SEARCH_CACHE_SIZE {
            c.clear();
        }
        c.insert(ck, (key, r.clone()));
        Ok(r)
    }

    fn ingest(&self, docs: Vec<NewDocument>) -> Result<IngestReport, BackendError> {
        let Some(w) = &self.writer else {
            return Err(BackendError::Conflict(
                "the database is open read-only".into(),
            ));
        };
        for d in &docs {
            if d.text.trim().is_empty() {
                return Err(BackendError::BadRequest(
                    "a document has an empty text".into(),
                ));
            }
            if let Some(date) = &d.date {
                if !ms::is_ymd(date) {
                    return Err(BackendError::BadRequest(format!(
                        "bad date {date:?}: use YYYY-MM-DD"
                    )));
                }
            }
        }
        let prepared = prepare_all(docs, "POST /api/documents", 1);
        let ids: Vec<String> = prepared.iter().map(|d| d.id.clone()).collect();
        let mut g = w.lock().map_err(|_| poisoned())?;
        let out = g.write_batch(prepared).map_err(be)?;
        drop(g);
        self.invalidate();
        let mut rep = IngestReport::default();
        for (o, id) in out.into_iter().zip(ids) {
            match o {
                ms::WriteOutcome::New { .. } => {
                    rep.added += 1;
                    rep.ids.push(id);
                }
                ms::WriteOutcome::Present { .. } | ms::WriteOutcome::Duplicate { .. } => {
                    rep.duplicates += 1
                }
                ms::WriteOutcome::Failed { message } => rep.failed.push(message),
            }
        }
        Ok(rep)
    }
}

/// Analyse documents (on `threads` threads) and prepare them for the store.
fn prepare_all(docs: Vec<NewDocument>, origin: &str, threads: usize) -> Vec<ms::NewDocument> {
    let one = |d: NewDocument, i: usize, pipe: &mut Pipeline, an: &mut Analyzer| {
        let doc = Document::with_meta(
            d.text,
            DocMeta {
                id: d.id,
                url: d.url,
                title: d.title,
                source: d.source,
                dateline: d.dateline,
                date: d.date,
            },
        );
        let a = pipe.analyze(&doc);
        ms::prepare(&doc, a, None, format!("{origin}:{}", i + 1), an)
    };
    let threads = threads.clamp(1, 16).min(docs.len().max(1));
    if threads == 1 {
        let (mut pipe, mut an) = (Pipeline::new(), Analyzer::new());
        return docs
            .into_iter()
            .enumerate()
            .map(|(i, d)| one(d, i, &mut pipe, &mut an))
            .collect();
    }
    let mut slots: Vec<Option<ms::NewDocument>> = (0..docs.len()).map(|_| None).collect();
    let mut work: Vec<Vec<(usize, NewDocument)>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, d) in docs.into_iter().enumerate() {
        work[i % threads].push((i, d));
    }
    let done: Vec<Vec<(usize, ms::NewDocument)>> = std::thread::scope(|s| {
        let hs: Vec<_> = work
            .into_iter()
            .map(|w| {
                s.spawn(move || {
                    let (mut pipe, mut an) = (Pipeline::new(), Analyzer::new());
                    w.into_iter()
                        .map(|(i, d)| (i, one(d, i, &mut pipe, &mut an)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, d) in done.into_iter().flatten() {
        slots[i] = Some(d);
    }
    slots.into_iter().flatten().collect()
}

/// What loading a corpus into the store did.
#[derive(Debug, Default, Clone)]
pub struct LoadReport {
    pub added: usize,
    pub present: usize,
    pub duplicates: usize,
    pub failed: Vec<String>,
}

/// Load documents into the database at `path` (created if needed): documents already there
/// (same id) are skipped before analysis; the rest are analysed on `threads` threads and written
/// in batches. `progress(done, total)` is called after each batch.
pub fn load_into_store(
    path: &Path,
    docs: Vec<NewDocument>,
    origin: &str,
    threads: usize,
    mut progress: impl FnMut(usize, usize),
) -> Result<LoadReport, String> {
    let mut store = SqliteStore::open(path).map_err(|e| e.to_string())?;
    let total = docs.len();
    let mut rep = LoadReport::default();
    let mut todo = Vec::new();
    for d in docs {
        let known = match &d.id {
            Some(id) => store
                .lookup(Some(id), d.url.as_deref(), None)
                .map_err(|e| e.to_string())?
                .is_some(),
            None => false,
        };
        if known {
            rep.present += 1;
        } else {
            todo.push(d);
        }
    }
    let mut done = rep.present;
    progress(done, total);
    let mut it = todo.into_iter().peekable();
    while it.peek().is_some() {
        let batch: Vec<NewDocument> = it.by_ref().take(512).collect();
        let n = batch.len();
        let prepared = prepare_all(batch, origin, threads);
        for o in store.write_batch(prepared).map_err(|e| e.to_string())? {
            match o {
                ms::WriteOutcome::New { .. } => rep.added += 1,
                ms::WriteOutcome::Present { .. } => rep.present += 1,
                ms::WriteOutcome::Duplicate { .. } => rep.duplicates += 1,
                ms::WriteOutcome::Failed { message } => rep.failed.push(message),
            }
        }
        done += n;
        progress(done, total);
    }
    store.checkpoint().map_err(|e| e.to_string())?;
    Ok(rep)
}
