//! The values the store takes and returns. All serialisable: the dashboard prints them as JSON.
//!
//! Offsets are Unicode code-point offsets into the document's original text (or title, where a
//! field says so), end exclusive — as everywhere in marsad.

use marsad_coder::DocAnalysis;
use serde::{Deserialize, Serialize};

/// A document ready to be written: metadata, text, fingerprints, index forms and its analysis.
/// Build it with [`crate::prepare`], which computes the hashes and the search forms.
#[derive(Clone, Debug)]
pub struct NewDocument {
    /// The document's public id: the input's own id (JSONL `id`), else its URL, else the file
    /// path, else `sha:<content hash>`. Unique in the store.
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub dateline: Option<String>,
    /// publication date, `YYYY-MM-DD`
    pub published: Option<String>,
    /// publication time as given by the input, RFC 3339 when it could be parsed
    pub published_at: Option<String>,
    pub title: Option<String>,
    pub text: String,
    /// where it came from: `FILE:LINE`, a path or a URL (for error messages and provenance)
    pub origin: String,
    /// exact-duplicate key: xxh3-128 of the text with whitespace runs collapsed
    pub content_hash: [u8; 16],
    /// near-duplicate fingerprint (MinHash signature over match-form word 3-grams)
    pub fingerprint: crate::dedup::MinHash,
    /// search forms of the title and the text: search stems separated by spaces
    pub index_title: String,
    pub index_body: String,
    /// what the analysis pipeline found (entities, events); stored as given
    pub analysis: DocAnalysis,
}

/// What writing one document did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum WriteOutcome {
    /// stored as a new document
    New {
        num: i64,
        /// story cluster (the `num` of the first document of the story)
        cluster: i64,
        /// the most similar earlier document and the estimated Jaccard similarity, when this
        /// one is a near duplicate (a syndicated copy, a small edit)
        near_dup_of: Option<(i64, f32)>,
    },
    /// a document with the same id or URL is already stored: nothing was added
    Present { num: i64 },
    /// the same text is already stored under another id: recorded as a copy of `num`
    /// (its id, URL and source are kept in `doc_copies`), no new document
    Duplicate { num: i64 },
    /// this document could not be written (the rest of the batch was)
    Failed { message: String },
}

/// A page request. `limit` is capped at 10,000.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            limit: 50,
            offset: 0,
        }
    }
}

impl Page {
    pub fn new(limit: u32, offset: u32) -> Self {
        Page { limit, offset }
    }
    pub(crate) fn lim(&self) -> i64 {
        self.limit.min(10_000) as i64
    }
}

/// One page of results and the total number of matches.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub total: u64,
    pub items: Vec<T>,
}

/// Filters for [`crate::Store::list_documents`]. Dates are inclusive `YYYY-MM-DD`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocFilter {
    pub from: Option<String>,
    pub to: Option<String>,
    pub source: Option<String>,
    /// documents that mention this entity id
    pub entity: Option<String>,
    /// documents of this story cluster
    pub cluster: Option<i64>,
}

/// A document without its text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    /// internal number (stable; use it in URLs)
    pub num: i64,
    /// public id (see [`NewDocument::id`])
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub dateline: Option<String>,
    pub published: Option<String>,
    pub title: Option<String>,
    pub cluster: i64,
    pub near_dup_of: Option<i64>,
    pub near_dup_sim: Option<f32>,
    pub ingested_at: String,
    /// length of the text in code points
    pub chars: u32,
}

/// An entity mention inside a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntitySpan {
    pub start: u32,
    pub end: u32,
    pub entity: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub actor: Option<String>,
}

/// An event mention (its trigger) inside a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventSpan {
    pub start: u32,
    pub end: u32,
    pub event: i64,
    pub code: String,
    pub quad_class: u8,
    pub mood: String,
    pub source: Option<String>,
    pub target: Option<String>,
}

/// An exact copy of a stored document (same text, another id/URL/outlet).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocCopy {
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
}

/// A document with its text, its entity and event spans, its copies and its story.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocDetail {
    #[serde(flatten)]
    pub doc: DocSummary,
    pub text: String,
    pub entities: Vec<EntitySpan>,
    pub events: Vec<EventSpan>,
    pub copies: Vec<DocCopy>,
    /// the other documents of its story cluster (near duplicates), oldest first
    pub story: Vec<DocSummary>,
}

/// One side of an event.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventActor {
    pub entity: Option<String>,
    /// CAMEO actor code
    pub actor: Option<String>,
    pub name: Option<String>,
    /// English name of the entity, when the dictionary has one
    pub name_en: Option<String>,
    /// entity type (`PER`, `ORG`, `LOC`, `MISC`), when the side is a known entity
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// ISO 3166 alpha-3 country of the entity
    pub country: Option<String>,
    /// coordinates, when the side is a place
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// A place.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub entity: String,
    pub name: Option<String>,
    pub name_en: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

/// One de-duplicated event: every article that reports the same actors doing the same thing
/// on the same day (with the same mood) adds a mention to one event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: i64,
    /// `YYYY-MM-DD`: the event's own date, else the publication date of its first article
    pub date: Option<String>,
    pub code: String,
    pub base_code: String,
    pub root_code: String,
    pub quad_class: u8,
    pub goldstein: f32,
    pub plover: Option<String>,
    pub mood: String,
    pub source: EventActor,
    pub target: EventActor,
    pub location: Option<Place>,
    /// 1 when some mention is in the first sentence (or the title) of its article
    pub is_root: bool,
    /// all mentions, in all articles (GDELT NumMentions)
    pub num_mentions: u32,
    /// distinct articles (GDELT NumArticles)
    pub num_articles: u32,
    /// distinct outlets (GDELT NumSources)
    pub num_sources: u32,
    /// distinct story clusters: independent reports once syndicated copies are folded
    pub num_stories: u32,
    pub first_doc: i64,
    pub source_url: Option<String>,
    /// when the event was first stored (UTC, RFC 3339)
    pub date_added: String,
}

/// Filters for [`crate::Store::events`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFilter {
    /// an entity id (exact) or a CAMEO actor code prefix, on either side
    pub actor: Option<String>,
    /// a CAMEO event code prefix (`14` = all protests)
    pub code: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `asserted`, `reported`, `future`, `negated`, `conditional`
    pub moods: Vec<String>,
    /// only events mentioned in this document
    pub doc: Option<i64>,
}

/// Where and how a document reports an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventMentionRecord {
    pub doc: i64,
    pub doc_id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub start: u32,
    pub end: u32,
    pub text: String,
    pub mood: String,
    pub confidence: Option<f32>,
}

/// An event with all its mentions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: EventRecord,
    pub mentions: Vec<EventMentionRecord>,
}

/// Filters for [`crate::Store::entities`]; ordered by number of documents, most first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityFilter {
    /// `PER`, `ORG`, `LOC`, `MISC`
    pub kind: Option<String>,
    /// a CAMEO actor code prefix
    pub actor: Option<String>,
    /// entities whose name (match form) contains this
    pub name: Option<String>,
}

/// A canonical entity with its counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub name_en: Option<String>,
    pub actor: Option<String>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub num_mentions: u32,
    pub num_docs: u32,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// Documents and mentions of an entity on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelinePoint {
    pub date: String,
    pub docs: u32,
    pub mentions: u32,
}

/// An entity that appears with another: in the same documents, or across an event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// documents that mention both
    pub docs: u32,
    /// events with one as source and the other as target
    pub events: u32,
}

/// An entity with its timeline (by publication date), partners and busiest outlets.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityDetail {
    #[serde(flatten)]
    pub entity: EntityRecord,
    pub timeline: Vec<TimelinePoint>,
    pub partners: Vec<Partner>,
    pub sources: Vec<SourceCount>,
}

/// An outlet and its number of documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceCount {
    pub source: String,
    pub docs: u32,
}

/// A search request. Dates are inclusive `YYYY-MM-DD`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchQuery {
    /// words (all must match); `"a phrase"` in double quotes; actor aliases are added by the
    /// caller through [`SearchQuery::variants`] (see `marsad_coder::expand_query`)
    pub q: String,
    /// alternative spellings or aliases of the whole query, OR-ed with it, each as a phrase
    pub variants: Vec<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub source: Option<String>,
    pub entity: Option<String>,
    pub limit: u32,
    pub offset: u32,
    /// fold near duplicates: one hit per story cluster, the others listed in `copies`
    pub collapse: bool,
}

impl SearchQuery {
    /// A query with its aliases from the actor dictionary, the defaults otherwise
    /// (10 hits, story clusters folded).
    pub fn new(q: &str) -> Self {
        let mut variants = marsad_coder::expand_query(q);
        variants.retain(|v| v.trim() != q.trim());
        SearchQuery {
            q: q.to_string(),
            variants,
            from: None,
            to: None,
            source: None,
            entity: None,
            limit: 10,
            offset: 0,
            collapse: true,
        }
    }
}

/// One search hit. `snippet` is the text from `snippet_start` to `snippet_end`; `highlights`
/// are the matched words, as offsets into the document's **original text**, and
/// `title_highlights` as offsets into its title.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub num: i64,
    pub id: String,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// BM25 (title words weigh more than text words); higher is better
    pub score: f64,
    pub snippet: String,
    pub snippet_start: u32,
    pub snippet_end: u32,
    pub highlights: Vec<[u32; 2]>,
    pub title_highlights: Vec<[u32; 2]>,
    pub cluster: i64,
    /// the public ids of the other documents of the same story that matched (when collapsed)
    pub copies: Vec<String>,
}

/// Totals of the store.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub documents: u64,
    /// exact copies folded into stored documents
    pub copies: u64,
    /// story clusters (near duplicates folded)
    pub stories: u64,
    /// documents that are near duplicates of an earlier one
    pub near_duplicates: u64,
    pub sources: u64,
    pub entities: u64,
    pub mentions: u64,
    pub events: u64,
    pub event_mentions: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub schema_version: u32,
    /// size of the database files on disk (main file + WAL), bytes
    pub bytes: u64,
}
