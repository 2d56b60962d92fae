//! The JSON contract of the API (what `/api/openapi.json` documents) and the [`Backend`] trait
//! the server reads its data through. Offsets are code points into the original text, end
//! exclusive, as everywhere in marsad.

use serde::{Deserialize, Serialize};

/// Largest page for JSON lists.
pub const MAX_LIMIT: u32 = 500;
/// Largest page for CSV/JSONL exports of events.
pub const MAX_EXPORT_LIMIT: u32 = 10_000;

/// A page of a list.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Page<T> {
    pub total: u64,
    pub offset: u32,
    pub limit: u32,
    pub items: Vec<T>,
}

/// A document in lists.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DocSummary {
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub dateline: Option<String>,
    /// publication date `YYYY-MM-DD`
    pub date: Option<String>,
    pub url: Option<String>,
    /// number of distinct entities and of events found in it (when the backend counts them)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<u32>,
}

/// A span of the original text.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct TextSpan {
    pub start: u32,
    pub end: u32,
    pub text: String,
}

/// A reference to an entity (actor, place …).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// CAMEO actor code
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

/// A place of an event.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PlaceRef {
    pub id: String,
    pub name: String,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// One coded event.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct EventRow {
    pub id: String,
    pub doc_id: String,
    pub doc_title: Option<String>,
    /// date of the event itself, `YYYY-MM-DD`
    pub date: Option<String>,
    /// CAMEO event code
    pub code: String,
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict
    pub quad_class: u8,
    pub goldstein: f32,
    pub plover: Option<String>,
    pub mood: String,
    pub source: Option<EntityRef>,
    pub target: Option<EntityRef>,
    pub place: Option<PlaceRef>,
    pub trigger: TextSpan,
    /// how many articles report this event (1 unless de-duplicated across articles)
    pub num_articles: u32,
    pub confidence: Option<f32>,
}

/// An entity of one document with its mentions.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DocEntity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub name_en: Option<String>,
    pub actor: Option<String>,
    pub country: Option<String>,
    pub mentions: Vec<TextSpan>,
}

/// A whole document: text, entities with their mentions, events with their triggers.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DocDetail {
    #[serde(flatten)]
    pub doc: DocSummary,
    pub text: String,
    pub entities: Vec<DocEntity>,
    pub events: Vec<EventRow>,
    /// with `?q=`: code-point spans of the words that match the query (its variants included)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matches: Vec<[u32; 2]>,
}

/// An entity across the collection.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct EntitySummary {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub name_en: Option<String>,
    pub actor: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub documents: u32,
    pub mentions: u32,
    pub events: u32,
}

/// A month of activity.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct TimePoint {
    /// `YYYY-MM`
    pub period: String,
    pub documents: u32,
    pub events: u32,
}

/// Another actor an entity has events with.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Partner {
    pub entity: EntityRef,
    pub events: u32,
    /// events where the entity was the source and the partner the target, and the reverse
    pub as_source: u32,
    pub as_target: u32,
    /// documents that mention both
    #[serde(default)]
    pub documents: u32,
    /// events per QuadClass (index 0 = QuadClass 1)
    pub quads: [u32; 4],
}

/// An entity with its timeline, partners, latest events and documents.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct EntityDetail {
    #[serde(flatten)]
    pub entity: EntitySummary,
    pub timeline: Vec<TimePoint>,
    pub partners: Vec<Partner>,
    /// its latest events, newest first (at most 200)
    pub latest_events: Vec<EventRow>,
    /// the latest documents that mention it, newest first (at most 50)
    pub latest_documents: Vec<DocSummary>,
}

/// A search hit.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SearchHit {
    pub id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub dateline: Option<String>,
    pub score: f32,
    /// an excerpt of the text around the best match
    pub snippet: String,
    /// code-point spans `[start, end)` of the matches in `snippet`
    pub highlights: Vec<[u32; 2]>,
    /// code-point spans of the matches in `title`
    pub title_highlights: Vec<[u32; 2]>,
}

/// Search results.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct SearchResult {
    pub query: String,
    /// the query and its spelling variants / aliases that were searched
    pub terms: Vec<String>,
    pub total: u64,
    pub offset: u32,
    pub limit: u32,
    pub hits: Vec<SearchHit>,
}

/// Events per QuadClass in a month.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct QuadMonth {
    pub period: String,
    /// index 0 = QuadClass 1 (verbal cooperation) … index 3 = QuadClass 4 (material conflict)
    pub quads: [u32; 4],
}

/// An actor with its number of events.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ActorCount {
    pub entity: EntityRef,
    pub events: u32,
}

/// A source → target pair with its number of events.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct DyadCount {
    pub source: EntityRef,
    pub target: EntityRef,
    pub events: u32,
    pub quads: [u32; 4],
}

/// A name with a count.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct NameCount {
    pub name: String,
    pub count: u32,
}

/// Collection overview.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Stats {
    pub documents: u64,
    pub entities: u64,
    pub events: u64,
    pub sources: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub quad_totals: [u32; 4],
    pub events_by_month: Vec<QuadMonth>,
    pub documents_by_month: Vec<TimePoint>,
    pub top_actors: Vec<ActorCount>,
    pub top_dyads: Vec<DyadCount>,
    pub top_codes: Vec<NameCount>,
    pub top_sources: Vec<NameCount>,
}

/// A place on the map with its events.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct PlacePoint {
    pub place: PlaceRef,
    pub events: u32,
    pub quads: [u32; 4],
}

/// A document sent to `POST /api/documents`.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NewDocument {
    pub id: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub dateline: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub text: String,
}

/// What an ingestion did.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct IngestReport {
    pub added: u32,
    pub duplicates: u32,
    /// ids of the documents added, in order
    pub ids: Vec<String>,
    /// documents that could not be written, with the reason
    #[serde(default)]
    pub failed: Vec<String>,
}

/// Filters of `/api/documents`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DocQuery {
    pub source: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// documents that mention this entity id
    pub entity: Option<String>,
    #[serde(default)]
    pub offset: u32,
    pub limit: Option<u32>,
}

/// Filters of `/api/events` (and `/api/places`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    /// an entity id (source or target), or a CAMEO actor-code prefix such as `IRQGOV` or `USA`
    pub actor: Option<String>,
    /// CAMEO event-code prefix: `04`, `173`
    pub code: Option<String>,
    /// QuadClass 1–4
    pub quad: Option<u8>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// place entity id, or a place name
    pub place: Option<String>,
    /// events of one document
    pub doc: Option<String>,
    /// `json` (default), `csv` or `jsonl`
    pub format: Option<String>,
    #[serde(default)]
    pub offset: u32,
    pub limit: Option<u32>,
}

/// The parts of an event that the filters of [`EventQuery`] look at, whichever backend holds it.
pub(crate) struct EventFacts<'a> {
    /// entity id and CAMEO actor code of the source and of the target
    pub sides: [(Option<&'a str>, Option<&'a str>); 2],
    pub code: &'a str,
    pub quad_class: u8,
    /// entity id and name of the place
    pub place: Option<(&'a str, Option<&'a str>)>,
    pub date: Option<&'a str>,
}

impl EventQuery {
    /// Does an event pass the actor, code, QuadClass, place and date filters? `place_mf` is
    /// the match form of `self.place`; the `doc` filter is each backend's own.
    pub(crate) fn admits(&self, e: &EventFacts, place_mf: Option<&str>) -> bool {
        if let Some(a) = &self.actor {
            let hit = |(entity, actor): (Option<&str>, Option<&str>)| {
                entity == Some(a.as_str()) || actor.is_some_and(|c| c.starts_with(a.as_str()))
            };
            if !hit(e.sides[0]) && !hit(e.sides[1]) {
                return false;
            }
        }
        if self
            .code
            .as_ref()
            .is_some_and(|c| !e.code.starts_with(c.as_str()))
        {
            return false;
        }
        if self.quad.is_some_and(|q| e.quad_class != q) {
            return false;
        }
        if let Some(p) = &self.place {
            let ok = e.place.is_some_and(|(id, name)| {
                id == p || name.map(marsad_text::match_form).as_deref() == place_mf
            });
            if !ok {
                return false;
            }
        }
        date_in_range(e.date, self.from.as_deref(), self.to.as_deref())
    }
}

/// Filters of `/api/entities`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EntityQuery {
    /// PER, ORG, LOC or MISC
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// part of the name (any spelling: compared in match form)
    pub q: Option<String>,
    #[serde(default)]
    pub offset: u32,
    pub limit: Option<u32>,
}

/// Parameters of `/api/search`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SearchQuery {
    pub q: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub source: Option<String>,
    pub entity: Option<String>,
    #[serde(default)]
    pub offset: u32,
    pub limit: Option<u32>,
}

/// Why a backend call failed.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// the request cannot be answered as asked (→ 400)
    #[error("{0}")]
    BadRequest(String),
    /// the backend refuses a write (→ 409), e.g. a read-only database
    #[error("{0}")]
    Conflict(String),
    /// something broke (→ 500, logged)
    #[error("{0}")]
    Internal(String),
}

/// Where the server reads its data. Implementations are synchronous (they are called from a
/// blocking thread) and must be safe to call from many threads at once.
pub trait Backend: Send + Sync + 'static {
    fn stats(&self) -> Result<Stats, BackendError>;
    fn documents(&self, q: &DocQuery) -> Result<Page<DocSummary>, BackendError>;
    fn document(&self, id: &str) -> Result<Option<DocDetail>, BackendError>;
    fn events(&self, q: &EventQuery) -> Result<Page<EventRow>, BackendError>;
    fn places(&self, q: &EventQuery) -> Result<Vec<PlacePoint>, BackendError>;
    fn entities(&self, q: &EntityQuery) -> Result<Page<EntitySummary>, BackendError>;
    fn entity(&self, id: &str) -> Result<Option<EntityDetail>, BackendError>;
    fn search(&self, q: &SearchQuery) -> Result<SearchResult, BackendError>;
    fn ingest(&self, docs: Vec<NewDocument>) -> Result<IngestReport, BackendError>;
}

/// Effective page size: `limit` or `default`, at most `max`.
pub fn page_limit(limit: Option<u32>, default: u32, max: u32) -> u32 {
    limit.unwrap_or(default).clamp(1, max)
}

/// Is `s` a `YYYY-MM-DD` date (or a `YYYY-MM` / `YYYY` prefix of one)?
pub fn valid_date_filter(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// Does `date` fall in `[from, to]`, where both bounds may be date prefixes (`2020`, `2020-05`)?
pub fn date_in_range(date: Option<&str>, from: Option<&str>, to: Option<&str>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    let Some(d) = date else { return false };
    if let Some(f) = from {
        if d < f {
            return false;
        }
    }
    if let Some(t) = to {
        // a prefix bound includes everything that starts with it
        if d > t && !d.starts_with(t) {
            return false;
        }
    }
    true
}
