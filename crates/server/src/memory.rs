//! An in-memory [`Backend`]: every document analysed with `marsad_coder::Pipeline` and kept in
//! RAM with a small inverted index over search-form stems. It serves the test fixtures, and
//! `marsad serve --memory` / `marsad demo --memory` for a database-free look at a corpus.

use crate::api::*;
use crate::overview::{month, quad_ix, top_names, DocMonths, EventTally};
use marsad_coder::{DocAnalysis, Pipeline};
use marsad_text::{match_form, Analyzer, DocMeta, Document, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet};
use std::hash::{Hash, Hasher};
use std::sync::RwLock;

/// Title matches weigh this much more than body matches.
const TITLE_BOOST: f32 = 3.0;

struct MDoc {
    summary: DocSummary,
    text: String,
    entities: Vec<DocEntity>,
    /// indices into `Inner::events`
    events: Vec<usize>,
    /// global entity keys mentioned
    entity_keys: FxHashSet<String>,
    /// word tokens: (field 0 = title / 1 = text, start, end) in code points of that field
    terms: Vec<(u8, u32, u32)>,
    /// number of text terms (for length normalisation)
    text_terms: u32,
}

#[derive(Default)]
struct EntAgg {
    summary: EntitySummary,
    docs: Vec<usize>,
}

#[derive(Default)]
struct Inner {
    docs: Vec<MDoc>,
    by_id: FxHashMap<String, usize>,
    hashes: FxHashSet<u64>,
    entities: FxHashMap<String, EntAgg>,
    events: Vec<EventRow>,
    /// stem → (doc, term index)
    index: FxHashMap<String, Vec<(u32, u32)>>,
    stats: Option<Stats>,
}

/// The in-memory backend.
#[derive(Default)]
pub struct MemoryBackend {
    inner: RwLock<Inner>,
}

/// Global key of an entity: its canonical id, or for a document-local entity its type and
/// match-form name (so the same unresolved name meets across documents).
fn entity_key(e: &marsad_coder::Entity) -> String {
    if e.id.starts_with("local:") || e.id.is_empty() {
        format!("~{}:{}", e.kind.as_str(), match_form(&e.name))
    } else {
        e.id.clone()
    }
}

fn content_hash(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match_form(text).hash(&mut h);
    h.finish()
}

/// Search-form stems of the word tokens of `text`, with their code-point spans.
pub(crate) fn word_stems(an: &mut Analyzer, text: &str) -> Vec<(u32, u32, String)> {
    let doc = Document::new(text.to_string());
    let a = an.analyze(&doc);
    a.tokens
        .iter()
        .filter(|t| {
            matches!(
                t.kind,
                TokenKind::Arabic | TokenKind::Latin | TokenKind::Number
            )
        })
        .map(|t| {
            let s = a.search_stem(t);
            let s = if t.kind == TokenKind::Latin {
                s.to_lowercase()
            } else {
                s
            };
            (t.start, t.end, s)
        })
        .filter(|(_, _, s)| !s.is_empty())
        .collect()
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

impl MemoryBackend {
    pub fn new() -> Self {
        Self::default()
    }

    /// Analyse and add documents; returns what was added.
    pub fn add(&self, docs: Vec<NewDocument>) -> Result<IngestReport, BackendError> {
        let mut pipe = Pipeline::new();
        let analysed: Vec<(NewDocument, DocAnalysis)> = docs
            .into_iter()
            .map(|d| {
                let doc = Document::with_meta(
                    d.text.clone(),
                    DocMeta {
                        id: d.id.clone(),
                        url: d.url.clone(),
                        title: d.title.clone(),
                        source: d.source.clone(),
                        dateline: d.dateline.clone(),
                        date: d.date.clone(),
                    },
                );
                let a = pipe.analyze(&doc);
                (d, a)
            })
            .collect();
        self.add_analysed(analysed)
    }

    /// Add documents with a given analysis (test fixtures with hand-made entities and events).
    pub fn add_analysed(
        &self,
        docs: Vec<(NewDocument, DocAnalysis)>,
    ) -> Result<IngestReport, BackendError> {
        for (d, _) in &docs {
            if d.text.trim().is_empty() {
                return Err(BackendError::BadRequest(
                    "a document has an empty text".into(),
                ));
            }
            if let Some(date) = &d.date {
                if date.len() != 10 || !valid_date_filter(date) {
                    return Err(BackendError::BadRequest(format!(
                        "bad date {date:?}: use YYYY-MM-DD"
                    )));
                }
            }
        }
        let mut an = Analyzer::new();
        let mut inner = self.inner.write().map_err(|_| poisoned())?;
        let mut report = IngestReport::default();
        for (d, a) in docs {
            let h = content_hash(&d.text);
            if inner.hashes.contains(&h)
                || d.id.as_ref().is_some_and(|id| inner.by_id.contains_key(id))
            {
                report.duplicates += 1;
                continue;
            }
            let id = d.id.clone().unwrap_or_else(|| format!("doc-{h:016x}"));
            inner.add_one(&mut an, id.clone(), d, a, h);
            report.added += 1;
            report.ids.push(id);
        }
        inner.stats = None;
        Ok(report)
    }

    /// Load a JSONL corpus (`id url source dateline date title text|content` per line).
    pub fn from_jsonl(jsonl: &str) -> Result<Self, String> {
        let docs = parse_jsonl(jsonl)?;
        let m = MemoryBackend::new();
        m.add(docs).map_err(|e| e.to_string())?;
        Ok(m)
    }
}

/// Parse a JSONL corpus into documents (`text` or `content` holds the body).
pub fn parse_jsonl(jsonl: &str) -> Result<Vec<NewDocument>, String> {
    let mut out = Vec::new();
    for (i, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let text = s("text")
            .or_else(|| s("content"))
            .ok_or_else(|| format!("line {}: no text", i + 1))?;
        out.push(NewDocument {
            id: s("id"),
            url: s("url"),
            source: s("source"),
            dateline: s("dateline"),
            date: s("date")
                .or_else(|| s("date_extracted"))
                .map(|d| d.chars().take(10).collect()),
            title: s("title"),
            text,
        });
    }
    Ok(out)
}

fn poisoned() -> BackendError {
    BackendError::Internal("lock poisoned".into())
}

impl Inner {
    fn add_one(&mut self, an: &mut Analyzer, id: String, d: NewDocument, a: DocAnalysis, h: u64) {
        let di = self.docs.len();
        let title = d.title.clone().unwrap_or_default();
        // search terms
        let mut terms = Vec::new();
        let mut text_terms = 0;
        for (field, s) in [(0u8, title.as_str()), (1u8, d.text.as_str())] {
            for (start, end, stem) in word_stems(an, s) {
                let ti = terms.len() as u32;
                terms.push((field, start, end));
                if field == 1 {
                    text_terms += 1;
                }
                self.index.entry(stem).or_default().push((di as u32, ti));
            }
        }
        // entities
        let mut ents = Vec::new();
        let mut keys: FxHashMap<String, String> = FxHashMap::default();
        let mut entity_keys = FxHashSet::default();
        for e in &a.entities {
            let key = entity_key(e);
            keys.insert(e.id.clone(), key.clone());
            ents.push(DocEntity {
                id: key.clone(),
                kind: e.kind.as_str().to_string(),
                name: e.name.clone(),
                name_en: e.name_en.clone(),
                actor: e.actor.clone(),
                country: e.country.clone(),
                mentions: e
                    .mentions
                    .iter()
                    .map(|m| TextSpan {
                        start: m.start,
                        end: m.end,
                        text: m.text.clone(),
                    })
                    .collect(),
            });
            let agg = self.entities.entry(key.clone()).or_insert_with(|| EntAgg {
                summary: EntitySummary {
                    id: key.clone(),
                    kind: e.kind.as_str().to_string(),
                    name: e.name.clone(),
                    name_en: e.name_en.clone(),
                    actor: e.actor.clone(),
                    country: e.country.clone(),
                    lat: e.lat,
                    lon: e.lon,
                    ..Default::default()
                },
                docs: Vec::new(),
            });
            agg.summary.mentions += e.mentions.len() as u32;
            if entity_keys.insert(key.clone()) {
                agg.summary.documents += 1;
                agg.docs.push(di);
            }
        }
        let by_local: FxHashMap<&str, &marsad_coder::Entity> =
            a.entities.iter().map(|e| (e.id.as_str(), e)).collect();
        let part = |p: &Option<marsad_coder::Participant>| -> Option<EntityRef> {
            let p = p.as_ref()?;
            if let Some(e) = p.entity.as_deref().and_then(|id| by_local.get(id)) {
                return Some(EntityRef {
                    id: keys.get(&e.id).cloned().unwrap_or_default(),
                    name: e.name.clone(),
                    kind: Some(e.kind.as_str().to_string()),
                    actor: p.actor.clone().or_else(|| e.actor.clone()),
                });
            }
            let name = p.text.clone().or_else(|| p.actor.clone())?;
            Some(EntityRef {
                id: String::new(),
                name,
                kind: None,
                actor: p.actor.clone(),
            })
        };
        let mut evs = Vec::new();
        for (i, ev) in a.events.iter().enumerate() {
            let place = ev
                .location
                .as_deref()
                .and_then(|id| by_local.get(id))
                .map(|e| PlaceRef {
                    id: keys.get(&e.id).cloned().unwrap_or_default(),
                    name: e.name.clone(),
                    country: e.country.clone(),
                    lat: e.lat,
                    lon: e.lon,
                });
            let row = EventRow {
                id: format!("{id}:{i}"),
                doc_id: id.clone(),
                doc_title: d.title.clone(),
                date: ev.date.clone().or_else(|| d.date.clone()),
                code: ev.code.clone(),
                quad_class: ev.quad_class,
                goldstein: ev.goldstein,
                plover: ev.plover.clone(),
                mood: ev.mood.as_str().to_string(),
                source: part(&ev.source),
                target: part(&ev.target),
                place,
                trigger: TextSpan {
                    start: ev.trigger.start,
                    end: ev.trigger.end,
                    text: ev.trigger.text.clone(),
                },
                num_articles: 1,
                confidence: ev.confidence,
            };
            for r in [&row.source, &row.target].into_iter().flatten() {
                if let Some(agg) = self.entities.get_mut(&r.id) {
                    agg.summary.events += 1;
                }
            }
            evs.push(self.events.len());
            self.events.push(row);
        }
        self.by_id.insert(id.clone(), di);
        self.hashes.insert(h);
        self.docs.push(MDoc {
            summary: DocSummary {
                id,
                title: d.title,
                source: d.source,
                dateline: d.dateline,
                date: d.date,
                url: d.url,
                entities: Some(ents.len() as u32),
                events: Some(evs.len() as u32),
            },
            text: d.text,
            entities: ents,
            events: evs,
            entity_keys,
            terms,
            text_terms,
        });
    }

    fn doc_matches(
        &self,
        d: &MDoc,
        source: &Option<String>,
        from: &Option<String>,
        to: &Option<String>,
        entity: &Option<String>,
    ) -> bool {
        source
            .as_ref()
            .is_none_or(|s| d.summary.source.as_deref() == Some(s.as_str()))
            && date_in_range(d.summary.date.as_deref(), from.as_deref(), to.as_deref())
            && entity.as_ref().is_none_or(|e| d.entity_keys.contains(e))
    }

    fn event_matches(&self, e: &EventRow, q: &EventQuery, place_mf: Option<&str>) -> bool {
        fn side(r: &Option<EntityRef>) -> (Option<&str>, Option<&str>) {
            r.as_ref()
                .map_or((None, None), |r| (Some(r.id.as_str()), r.actor.as_deref()))
        }
        let facts = EventFacts {
            sides: [side(&e.source), side(&e.target)],
            code: &e.code,
            quad_class: e.quad_class,
            place: e
                .place
                .as_ref()
                .map(|p| (p.id.as_str(), Some(p.name.as_str()))),
            date: e.date.as_deref(),
        };
        q.doc.as_ref().is_none_or(|d| e.doc_id == *d) && q.admits(&facts, place_mf)
    }

    fn filtered_events(&self, q: &EventQuery) -> Result<Vec<&EventRow>, BackendError> {
        check_dates(&q.from, &q.to)?;
        if let Some(qc) = q.quad {
            if quad_ix(qc).is_none() {
                return Err(BackendError::BadRequest("quad must be 1, 2, 3 or 4".into()));
            }
        }
        let place_mf = q.place.as_deref().map(match_form);
        let mut v: Vec<&EventRow> = self
            .events
            .iter()
            .filter(|e| self.event_matches(e, q, place_mf.as_deref()))
            .collect();
        v.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        Ok(v)
    }

    fn compute_stats(&self) -> Stats {
        let mut st = Stats {
            documents: self.docs.len() as u64,
            entities: self.entities.len() as u64,
            events: self.events.len() as u64,
            ..Default::default()
        };
        let mut sources: FxHashMap<&str, u32> = FxHashMap::default();
        let mut doc_months = DocMonths::default();
        for d in &self.docs {
            if let Some(s) = &d.summary.source {
                *sources.entry(s).or_default() += 1;
            }
            if let Some(date) = d.summary.date.as_deref() {
                if st.first_date.as_deref().is_none_or(|f| date < f) {
                    st.first_date = Some(date.to_string());
                }
                if st.last_date.as_deref().is_none_or(|l| date > l) {
                    st.last_date = Some(date.to_string());
                }
            }
            doc_months.add(d.summary.date.as_deref());
        }
        st.sources = sources.len() as u64;
        st.documents_by_month = doc_months.finish();
        let mut tally = EventTally::default();
        for e in &self.events {
            tally.add(
                e.quad_class,
                e.date.as_deref(),
                &e.code,
                e.source.as_ref(),
                e.target.as_ref(),
            );
        }
        tally.finish(&mut st);
        st.top_sources = top_names(sources);
        st
    }
}

/// Cut a snippet of about `width` code points around `hits` (sorted spans into `text`) and
/// return it with the hits inside it, relative to the snippet.
pub fn make_snippet(text: &str, hits: &[(u32, u32)], width: u32) -> (String, Vec<[u32; 2]>) {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len() as u32;
    let first = hits.first().map(|h| h.0).unwrap_or(0);
    let mut start = first.saturating_sub(width / 3);
    // snap to a word start
    while start > 0 && start < first && !chars[start as usize - 1].is_whitespace() {
        start += 1;
    }
    let mut end = (start + width).min(n);
    while end < n && end > start && !chars[end as usize].is_whitespace() {
        end -= 1;
    }
    if end <= start {
        end = (start + width).min(n);
    }
    let mut s = String::new();
    let mut off = 0u32;
    if start > 0 {
        s.push('…');
        off = 1;
    }
    s.extend(&chars[start as usize..end as usize]);
    if end < n {
        s.push('…');
    }
    let hl = hits
        .iter()
        .filter(|h| h.0 >= start && h.1 <= end)
        .map(|h| [h.0 - start + off, h.1 - start + off])
        .collect();
    (s, hl)
}

impl Backend for MemoryBackend {
    fn stats(&self) -> Result<Stats, BackendError> {
        {
            let inner = self.inner.read().map_err(|_| poisoned())?;
            if let Some(s) = &inner.stats {
                return Ok(s.clone());
            }
        }
        let mut inner = self.inner.write().map_err(|_| poisoned())?;
        let s = inner.compute_stats();
        inner.stats = Some(s.clone());
        Ok(s)
    }

    fn documents(&self, q: &DocQuery) -> Result<Page<DocSummary>, BackendError> {
        check_dates(&q.from, &q.to)?;
        let inner = self.inner.read().map_err(|_| poisoned())?;
        let limit = page_limit(q.limit, 20, MAX_LIMIT);
        let mut v: Vec<&MDoc> = inner
            .docs
            .iter()
            .filter(|d| inner.doc_matches(d, &q.source, &q.from, &q.to, &q.entity))
            .collect();
        v.sort_by(|a, b| {
            b.summary
                .date
                .cmp(&a.summary.date)
                .then_with(|| b.summary.id.cmp(&a.summary.id))
        });
        Ok(Page {
            total: v.len() as u64,
            offset: q.offset,
            limit,
            items: v
                .into_iter()
                .skip(q.offset as usize)
                .take(limit as usize)
                .map(|d| d.summary.clone())
                .collect(),
        })
    }

    fn document(&self, id: &str) -> Result<Option<DocDetail>, BackendError> {
        let inner = self.inner.read().map_err(|_| poisoned())?;
        let Some(&di) = inner.by_id.get(id) else {
            return Ok(None);
        };
        let d = &inner.docs[di];
        Ok(Some(DocDetail {
            doc: d.summary.clone(),
            text: d.text.clone(),
            entities: d.entities.clone(),
            events: d.events.iter().map(|&i| inner.events[i].clone()).collect(),
            matches: Vec::new(),
        }))
    }

    fn events(&self, q: &EventQuery) -> Result<Page<EventRow>, BackendError> {
        let inner = self.inner.read().map_err(|_| poisoned())?;
        let exporting = matches!(q.format.as_deref(), Some("csv" | "jsonl"));
        let limit = if exporting {
            page_limit(q.limit, MAX_EXPORT_LIMIT, MAX_EXPORT_LIMIT)
        } else {
            page_limit(q.limit, 50, MAX_LIMIT)
        };
        let v = inner.filtered_events(q)?;
        Ok(Page {
            total: v.len() as u64,
            offset: q.offset,
            limit,
            items: v
                .into_iter()
                .skip(q.offset as usize)
                .take(limit as usize)
                .cloned()
                .collect(),
        })
    }

    fn places(&self, q: &EventQuery) -> Result<Vec<PlacePoint>, BackendError> {
        let inner = self.inner.read().map_err(|_| poisoned())?;
        let mut m: FxHashMap<&str, PlacePoint> = FxHashMap::default();
        for e in inner.filtered_events(q)? {
            let Some(p) = &e.place else { continue };
            if p.lat.is_none() || p.lon.is_none() {
                continue;
            }
            let pp = m.entry(&p.id).or_insert_with(|| PlacePoint {
                place: p.clone(),
                ..Default::default()
            });
            pp.events += 1;
            if let Some(qi) = quad_ix(e.quad_class) {
                pp.quads[qi] += 1;
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
        let inner = self.inner.read().map_err(|_| poisoned())?;
        let limit = page_limit(q.limit, 50, MAX_LIMIT);
        if let Some(k) = &q.kind {
            if marsad_coder::EntityType::parse(k).is_none() {
                return Err(BackendError::BadRequest(
                    "type must be PER, ORG, LOC or MISC".into(),
                ));
            }
        }
        let kind = q
            .kind
            .as_deref()
            .and_then(marsad_coder::EntityType::parse)
            .map(|k| k.as_str());
        let needle = q.q.as_deref().map(match_form).filter(|s| !s.is_empty());
        let mut v: Vec<&EntitySummary> = inner
            .entities
            .values()
            .map(|a| &a.summary)
            .filter(|e| kind.is_none_or(|k| e.kind == k))
            .filter(|e| {
                needle.as_ref().is_none_or(|n| {
                    match_form(&e.name).contains(n.as_str())
                        || e.name_en
                            .as_ref()
                            .is_some_and(|en| en.to_lowercase().contains(&n.to_lowercase()))
                })
            })
            .collect();
        v.sort_by(|a, b| {
            (b.events, b.documents)
                .cmp(&(a.events, a.documents))
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(Page {
            total: v.len() as u64,
            offset: q.offset,
            limit,
            items: v
                .into_iter()
                .skip(q.offset as usize)
                .take(limit as usize)
                .cloned()
                .collect(),
        })
    }

    fn entity(&self, id: &str) -> Result<Option<EntityDetail>, BackendError> {
        let inner = self.inner.read().map_err(|_| poisoned())?;
        let Some(agg) = inner.entities.get(id) else {
            return Ok(None);
        };
        let q = EventQuery {
            actor: Some(id.to_string()),
            ..Default::default()
        };
        let evs: Vec<&EventRow> = inner
            .filtered_events(&q)?
            .into_iter()
            .filter(|e| {
                e.source.as_ref().is_some_and(|r| r.id == id)
                    || e.target.as_ref().is_some_and(|r| r.id == id)
            })
            .collect();
        let mut timeline: std::collections::BTreeMap<String, TimePoint> = Default::default();
        let mut partners: FxHashMap<&str, Partner> = FxHashMap::default();
        for e in &evs {
            if let Some(m) = month(e.date.as_deref()) {
                timeline
                    .entry(m.clone())
                    .or_insert_with(|| TimePoint {
                        period: m,
                        ..Default::default()
                    })
                    .events += 1;
            }
            let (me_source, other) = match (&e.source, &e.target) {
                (Some(s), t) if s.id == id => (true, t),
                (s, _) => (false, s),
            };
            let Some(o) = other.as_ref().filter(|o| !o.id.is_empty() && o.id != id) else {
                continue;
            };
            let p = partners.entry(&o.id).or_insert_with(|| Partner {
                entity: o.clone(),
                ..Default::default()
            });
            p.events += 1;
            if me_source {
                p.as_source += 1;
            } else {
                p.as_target += 1;
            }
            if let Some(qi) = quad_ix(e.quad_class) {
                p.quads[qi] += 1;
            }
        }
        let mut docs: Vec<&MDoc> = agg.docs.iter().map(|&i| &inner.docs[i]).collect();
        docs.sort_by(|a, b| b.summary.date.cmp(&a.summary.date));
        for d in &docs {
            if let Some(m) = month(d.summary.date.as_deref()) {
                timeline
                    .entry(m.clone())
                    .or_insert_with(|| TimePoint {
                        period: m,
                        ..Default::default()
                    })
                    .documents += 1;
            }
        }
        let mut partners: Vec<Partner> = partners.into_values().collect();
        partners.sort_by(|a, b| {
            b.events
                .cmp(&a.events)
                .then_with(|| a.entity.id.cmp(&b.entity.id))
        });
        partners.truncate(30);
        Ok(Some(EntityDetail {
            entity: agg.summary.clone(),
            timeline: timeline.into_values().collect(),
            partners,
            latest_events: evs.into_iter().take(200).cloned().collect(),
            latest_documents: docs
                .into_iter()
                .take(50)
                .map(|d| d.summary.clone())
                .collect(),
        }))
    }

    fn search(&self, q: &SearchQuery) -> Result<SearchResult, BackendError> {
        check_dates(&q.from, &q.to)?;
        let limit = page_limit(q.limit, 20, 100);
        let mut terms: Vec<String> = Vec::new();
        for t in marsad_coder::expand_query(q.q.trim()) {
            if !t.trim().is_empty() && !terms.contains(&t) {
                terms.push(t);
            }
        }
        let mut an = Analyzer::new();
        let inner = self.inner.read().map_err(|_| poisoned())?;
        let n_docs = inner.docs.len().max(1) as f32;
        // doc → (score, matched term indices)
        let mut found: FxHashMap<u32, (f32, Vec<u32>)> = FxHashMap::default();
        for t in &terms {
            let stems: Vec<String> = word_stems(&mut an, t).into_iter().map(|s| s.2).collect();
            if stems.is_empty() {
                continue;
            }
            // every stem of a variant must occur (AND); variants are alternatives (OR)
            let mut per_doc: Option<FxHashMap<u32, (f32, Vec<u32>)>> = None;
            for s in &stems {
                let post = inner.index.get(s).map(Vec::as_slice).unwrap_or(&[]);
                let df = {
                    let mut ds: Vec<u32> = post.iter().map(|p| p.0).collect();
                    ds.dedup();
                    ds.len().max(1) as f32
                };
                let idf = (1.0 + n_docs / df).ln();
                let mut this: FxHashMap<u32, (f32, Vec<u32>)> = FxHashMap::default();
                for &(d, ti) in post {
                    let field = inner.docs[d as usize].terms[ti as usize].0;
                    let e = this.entry(d).or_default();
                    e.0 += idf * if field == 0 { TITLE_BOOST } else { 1.0 };
                    e.1.push(ti);
                }
                per_doc = Some(match per_doc {
                    None => this,
                    Some(prev) => prev
                        .into_iter()
                        .filter_map(|(d, (s0, mut v0))| {
                            let (s1, v1) = this.get(&d)?;
                            v0.extend_from_slice(v1);
                            Some((d, (s0 + s1, v0)))
                        })
                        .collect(),
                });
            }
            for (d, (s, v)) in per_doc.unwrap_or_default() {
                let e = found.entry(d).or_default();
                e.0 = e.0.max(s);
                e.1.extend(v);
            }
        }
        let mut hits: Vec<(u32, f32, Vec<u32>)> = found
            .into_iter()
            .filter(|(d, _)| {
                inner.doc_matches(
                    &inner.docs[*d as usize],
                    &q.source,
                    &q.from,
                    &q.to,
                    &q.entity,
                )
            })
            .map(|(d, (s, v))| {
                let len = inner.docs[d as usize].text_terms.max(1) as f32;
                (d, s / (1.0 + (len / 100.0).ln().max(0.0)), v)
            })
            .collect();
        hits.sort_by(|a, b| {
            b.1.total_cmp(&a.1).then_with(|| {
                let (da, db) = (&inner.docs[a.0 as usize], &inner.docs[b.0 as usize]);
                db.summary.date.cmp(&da.summary.date)
            })
        });
        let total = hits.len() as u64;
        let hits = hits
            .into_iter()
            .skip(q.offset as usize)
            .take(limit as usize)
            .map(|(d, score, mut tis)| {
                let doc = &inner.docs[d as usize];
                tis.sort_unstable();
                tis.dedup();
                let spans = |field: u8| -> Vec<(u32, u32)> {
                    tis.iter()
                        .map(|&ti| doc.terms[ti as usize])
                        .filter(|t| t.0 == field)
                        .map(|t| (t.1, t.2))
                        .collect()
                };
                let (snippet, highlights) = make_snippet(&doc.text, &spans(1), 220);
                SearchHit {
                    id: doc.summary.id.clone(),
                    title: doc.summary.title.clone(),
                    date: doc.summary.date.clone(),
                    source: doc.summary.source.clone(),
                    dateline: doc.summary.dateline.clone(),
                    score,
                    snippet,
                    highlights,
                    title_highlights: spans(0).into_iter().map(|(a, b)| [a, b]).collect(),
                }
            })
            .collect();
        Ok(SearchResult {
            query: q.q.clone(),
            terms,
            total,
            offset: q.offset,
            limit,
            hits,
        })
    }

    fn ingest(&self, docs: Vec<NewDocument>) -> Result<IngestReport, BackendError> {
        self.add(docs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_keeps_hits_inside() {
        let text = "كلمة ".repeat(100) + "ترامب " + &"كلمة ".repeat(100);
        let start = 500u32;
        let (s, hl) = make_snippet(&text, &[(start, start + 5)], 100);
        assert_eq!(hl.len(), 1);
        let chars: Vec<char> = s.chars().collect();
        let got: String = chars[hl[0][0] as usize..hl[0][1] as usize].iter().collect();
        assert_eq!(got, "ترامب");
        assert!(s.starts_with('…') && s.ends_with('…'));
    }

    #[test]
    fn search_finds_clitic_and_hamza_variants() {
        let m = MemoryBackend::new();
        m.add(vec![
            NewDocument {
                id: Some("a".into()),
                title: Some("زيارة".into()),
                text: "وصل الوفد لإيران أمس.".into(),
                date: Some("2020-01-01".into()),
                ..Default::default()
            },
            NewDocument {
                id: Some("b".into()),
                text: "لا شيء هنا.".into(),
                ..Default::default()
            },
        ])
        .unwrap();
        let r = m
            .search(&SearchQuery {
                q: "ايران".into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(r.total, 1);
        assert_eq!(r.hits[0].id, "a");
        assert_eq!(r.hits[0].highlights.len(), 1);
    }
}
