//! The analysis of one document, as `marsad analyze --format json` prints it
//! (`../shared/contract/analysis.schema.json`). Offsets are code points into the original text.

use serde::{Deserialize, Serialize};

/// Entity types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum EntityType {
    PER,
    ORG,
    LOC,
    MISC,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::PER => "PER",
            EntityType::ORG => "ORG",
            EntityType::LOC => "LOC",
            EntityType::MISC => "MISC",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "PER" | "PERS" => EntityType::PER,
            "ORG" => EntityType::ORG,
            "LOC" | "GPE" => EntityType::LOC,
            "MISC" => EntityType::MISC,
            _ => return None,
        })
    }
}

/// A span of the original text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub start: u32,
    pub end: u32,
    /// the original text of the span (clitics excluded)
    pub text: String,
}

/// One real-world entity of the document with all its mentions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// canonical id from the dictionaries, or a document-local id (`local:N`)
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// canonical Arabic name
    pub name: String,
    pub name_en: Option<String>,
    /// CAMEO actor code valid on the document date
    pub actor: Option<String>,
    pub mentions: Vec<Mention>,
    /// ISO 3166 alpha-3 country of the entity, when known
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// coordinates (places)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// A source or target of an event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub entity: Option<String>,
    pub actor: Option<String>,
    pub text: Option<String>,
}

/// Grammatical mood of an event mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mood {
    Asserted,
    Future,
    Negated,
    Reported,
    Conditional,
}

impl Mood {
    pub fn as_str(self) -> &'static str {
        match self {
            Mood::Asserted => "asserted",
            Mood::Future => "future",
            Mood::Negated => "negated",
            Mood::Reported => "reported",
            Mood::Conditional => "conditional",
        }
    }
}

/// One coded event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// CAMEO event code, e.g. `040`, `173`
    pub code: String,
    pub quad_class: u8,
    pub goldstein: f32,
    pub plover: Option<String>,
    pub trigger: Mention,
    pub source: Option<Participant>,
    pub target: Option<Participant>,
    /// entity id of the place
    pub location: Option<String>,
    /// `YYYY-MM-DD` of the event itself
    pub date: Option<String>,
    pub mood: Mood,
    pub confidence: Option<f32>,
}

/// Document metadata as printed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: Option<String>,
    pub title: Option<String>,
    pub source: Option<String>,
    pub dateline: Option<String>,
    pub date: Option<String>,
}

/// A sentence span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceSpan {
    pub start: u32,
    pub end: u32,
}

/// The whole analysis of a document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DocAnalysis {
    pub document: DocumentInfo,
    pub sentences: Vec<SentenceSpan>,
    pub entities: Vec<Entity>,
    pub events: Vec<Event>,
}
