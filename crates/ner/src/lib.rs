//! # marsad-ner — named entities in Arabic news
//!
//! A linear-chain sequence tagger over the text core's tokens: averaged structured perceptrons
//! with first-order Viterbi decoding over BILOU labels, and hashed features (match form,
//! clitic-free stem, search stem, clitic pattern, affixes and character 3-grams, word shape, a
//! ±2 window, gazetteers and our actor/agent/nationality dictionaries, the training entity lexicon built
//! out-of-fold, word clusters learned by our own exchange clustering from unlabelled news and
//! Wikipedia text, k-means classes of our own word embeddings of the same text ([`embed`]), and
//! each word's label priors over unlabelled news). Two stages: the first tags the whole document; its tags give
//! the second stage *document features* (how the same word is tagged elsewhere in the document,
//! the topic of the passage) and its own labels (stacking). See [`train`] for how training keeps all of this honest
//! (out-of-fold lexicon, priors and first-stage tags). After decoding, [`discourse`] copies a
//! name found twice nearby to its untagged recurrences (one sense per discourse). The shipped
//! model (`models/ner.bin`) is embedded in the binary.
//!
//! ```
//! use marsad_ner::{NerLabel, Tagger};
//! use marsad_text::{Analyzer, Document};
//! let text = "التقى الرئيس اللبناني ميشال عون في بيروت بوزير الخارجية الإيراني.";
//! let a = Analyzer::new().analyze(&Document::new(text));
//! for e in Tagger::builtin().tag(text, &a) {
//!     let name: String = text.chars().skip(e.start as usize).take((e.end - e.start) as usize).collect();
//!     println!("{:?} {}", e.label, name);
//! }
//! ```
//!
//! Offsets are Unicode code points into the original text, end exclusive. A span excludes the
//! first token's proclitics (و ف ب ك ل س); the article ال stays with the name when it is
//! written out (والعراق → العراق, الكاظمي stays whole), and is dropped only where it is
//! contracted after ل (للعراق → عراق). The last token is whole: a name takes no pronoun
//! suffix, so what the segmenter reads as one is part of the name (كوباني, سيدني, حقاني, عبده
//! end in letters that can be pronouns).

pub mod clusters;
pub mod conll;
pub mod dict;
pub mod discourse;
pub mod embed;
pub mod features;
pub mod hash;
pub mod model;
pub mod score;
pub mod standoff;
pub mod train;

pub use conll::{Sentence, TagMap};
pub use features::Resources;
pub use model::{ModelError, Tagger};
pub use score::Score;

/// The four entity types of ANERcorp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NerLabel {
    Pers = 0,
    Loc = 1,
    Org = 2,
    Misc = 3,
}

impl NerLabel {
    pub const ALL: [NerLabel; 4] = [NerLabel::Pers, NerLabel::Loc, NerLabel::Org, NerLabel::Misc];
    /// `PERS`, `LOC`, `ORG` or `MISC`.
    pub fn as_str(self) -> &'static str {
        match self {
            NerLabel::Pers => "PERS",
            NerLabel::Loc => "LOC",
            NerLabel::Org => "ORG",
            NerLabel::Misc => "MISC",
        }
    }
    /// Inverse of [`NerLabel::as_str`].
    pub fn parse(s: &str) -> Option<NerLabel> {
        Some(match s {
            "PERS" => NerLabel::Pers,
            "LOC" => NerLabel::Loc,
            "ORG" => NerLabel::Org,
            "MISC" => NerLabel::Misc,
            _ => return None,
        })
    }
    fn from_index(i: usize) -> NerLabel {
        NerLabel::ALL[i & 3]
    }
}

/// An IOB2 tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    O,
    B(NerLabel),
    I(NerLabel),
}

/// Number of internal labels: O, and B-, I-, L- (last), U- (unit) of each type (BILOU; the
/// tagger decodes BILOU, which models where names end, and reports IOB2 [`Tag`]s).
pub const N_TAGS: usize = 17;

/// Type of an internal label (`None` for O).
#[inline]
pub(crate) fn lab_type(k: usize) -> Option<NerLabel> {
    (k != 0).then(|| NerLabel::ALL[((k - 1) / 4) & 3])
}

/// Position of an internal label in its span: 0 B, 1 I, 2 L, 3 U (O: 4).
#[inline]
pub(crate) fn lab_pos(k: usize) -> usize {
    if k == 0 {
        4
    } else {
        (k - 1) % 4
    }
}

/// The IOB2 tag of an internal label.
pub(crate) fn lab_to_tag(k: usize) -> Tag {
    match (lab_type(k), lab_pos(k)) {
        (Some(t), 0 | 3) => Tag::B(t),
        (Some(t), _) => Tag::I(t),
        (None, _) => Tag::O,
    }
}

/// Internal labels of an IOB2 tag sequence (spans by conlleval's rule).
pub(crate) fn tags_to_labs(tags: &[Tag]) -> Vec<u8> {
    let mut out = vec![0u8; tags.len()];
    for (s, e, l) in score::spans(tags) {
        put_span(&mut out[s..e], l);
    }
    out
}

/// Write the internal labels of one span of type `l` over `out` (U- for one token, else B- I- … L-).
pub(crate) fn put_span(out: &mut [u8], l: NerLabel) {
    let base = 1 + 4 * l as u8;
    match out {
        [] => {}
        [one] => *one = base + 3,
        [first, mid @ .., last] => {
            *first = base;
            mid.fill(base + 1);
            *last = base + 2;
        }
    }
}

impl Tag {
    /// Index 0 = O, 1..=4 = B-PERS..B-MISC, 5..=8 = I-PERS..I-MISC.
    pub fn index(self) -> usize {
        match self {
            Tag::O => 0,
            Tag::B(l) => 1 + l as usize,
            Tag::I(l) => 5 + l as usize,
        }
    }
    pub fn from_index(i: usize) -> Tag {
        match i {
            1..=4 => Tag::B(NerLabel::from_index(i - 1)),
            5..=8 => Tag::I(NerLabel::from_index(i - 5)),
            _ => Tag::O,
        }
    }
    pub fn label(self) -> Option<NerLabel> {
        match self {
            Tag::O => None,
            Tag::B(l) | Tag::I(l) => Some(l),
        }
    }
    /// `O`, `B-PERS`, …
    pub fn as_string(self) -> String {
        match self {
            Tag::O => "O".into(),
            Tag::B(l) => format!("B-{}", l.as_str()),
            Tag::I(l) => format!("I-{}", l.as_str()),
        }
    }
}

/// An entity mention found by the tagger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EntitySpan {
    /// code-point offsets into the original text, end exclusive; the first token's proclitics
    /// are excluded, the last token is whole (see the crate documentation)
    pub start: u32,
    pub end: u32,
    pub label: NerLabel,
    /// first and last (inclusive) token of the mention, indices into `analysis.tokens`
    pub first_token: usize,
    pub last_token: usize,
}
