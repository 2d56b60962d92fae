//! The event dictionaries of `data/events`: trigger patterns, mood markers, date words, the
//! CAMEO codebook (QuadClass, Goldstein) and the CAMEO → PLOVER crosswalk.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

static PATTERNS: &str = include_str!("../../../data/events/patterns.tsv");
static MOOD: &str = include_str!("../../../data/events/mood.tsv");
static DATES: &str = include_str!("../../../data/events/dates.tsv");
static CAMEO: &str = include_str!("../../../data/events/cameo.tsv");
static PLOVER: &str = include_str!("../../../data/events/plover.tsv");
static QUANTITIES: &str = include_str!("../../../data/events/quantities.tsv");

use crate::model::Mood;

/// How a trigger's target is introduced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pattern {
    pub code: String,
    /// match-form words after the first
    pub rest: Vec<String>,
    pub noun: bool,
    /// prepositions (match form) that introduce the target
    pub preps: Vec<String>,
    /// a direct object is a target too (`-` in the target column, alone or with prepositions)
    pub direct: bool,
    /// the match is dropped unless a listed preposition introduces a target
    pub target_required: bool,
    /// only without the article: with it the word names something already there (الاتفاق:
    /// the agreement already made), not a new event (`[indefinite]` in the note)
    pub indefinite: bool,
    /// the code when the source is a speaker rather than an armed actor (`[verbal 111]` in the
    /// note: هاجم الوزير … is criticism, not an assault)
    pub verbal: Option<String>,
    /// an event only with a crowd in the sentence: protesters or civilians, or a number right
    /// after the trigger (`[crowd-required]` in the note: تجمع also "collects", مسيرة "career")
    pub crowd_required: bool,
    /// made by the coder (protesters as the subject of a verb), not read from patterns.tsv: its
    /// "trigger" is whatever word precedes the protesters
    pub synthetic: bool,
    /// the first word starts with ال that belongs to the verb (التقى, التزم, التمس): a token
    /// matching it is that verb, not a verbal noun with the article
    pub al_initial: bool,
    /// a phrase that is no event (code `-`: حزب المؤتمر, a party, not a conference): as the
    /// longest match it keeps the shorter triggers inside it from being read
    pub none: bool,
    /// no event when one of these words (match form, without the article) follows in the
    /// clause (`[unless-object: مركز مرتبة]`: احتلت المركز الثاني "ranked second" is no
    /// occupation)
    pub unless_object: Vec<String>,
    /// a city right after the noun is where it happened, not a participant (`[venue]` in the
    /// note: معركة كوباني)
    pub venue: bool,
}

/// A kind of date word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateWord {
    Relative(i32),
    Weekday(i8),
    Month(i8),
    Hijri(i8),
}

/// Event dictionaries.
pub struct EventDicts {
    /// first trigger word (match form) → patterns
    pub patterns: FxHashMap<String, Vec<Pattern>>,
    /// first marker word → (rest words, mood)
    pub moods: FxHashMap<String, Vec<(Vec<String>, Mood)>>,
    /// first date word → (rest words, value)
    pub dates: FxHashMap<String, Vec<(Vec<String>, DateWord)>>,
    /// code → (quad class, goldstein)
    pub cameo: FxHashMap<String, (u8, f32)>,
    pub plover: FxHashMap<String, String>,
    /// number and quantity words (match form) that open a noun phrase
    pub quantities: FxHashSet<String>,
    /// first words (match form, without clitics) of the phrases that are no event
    pub none_first: FxHashSet<String>,
    pub n_patterns: usize,
}

fn data_rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    let mut header_seen = false;
    text.lines().enumerate().filter_map(move |(i, l)| {
        if l.trim().is_empty() || l.starts_with('#') {
            return None;
        }
        if !header_seen {
            header_seen = true;
            return None;
        }
        Some((i + 1, l.split('\t').collect()))
    })
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(marsad_text::match_form).collect()
}

impl EventDicts {
    pub fn builtin() -> &'static EventDicts {
        static E: OnceLock<EventDicts> = OnceLock::new();
        E.get_or_init(|| EventDicts::load().expect("shipped event dictionaries are valid (tested)"))
    }

    fn load() -> Result<EventDicts, String> {
        let mut e = EventDicts {
            patterns: FxHashMap::default(),
            moods: FxHashMap::default(),
            dates: FxHashMap::default(),
            cameo: FxHashMap::default(),
            plover: FxHashMap::default(),
            quantities: FxHashSet::default(),
            none_first: FxHashSet::default(),
            n_patterns: 0,
        };
        for (line, c) in data_rows(CAMEO) {
            let q: u8 = c
                .get(1)
                .and_then(|x| x.parse().ok())
                .ok_or(format!("cameo.tsv:{line}: bad quad class"))?;
            let g: f32 = c
                .get(2)
                .and_then(|x| x.parse().ok())
                .ok_or(format!("cameo.tsv:{line}: bad goldstein"))?;
            e.cameo.insert(c[0].to_string(), (q, g));
        }
        for (_, c) in data_rows(PLOVER) {
            e.plover.insert(
                c[0].to_string(),
                c.get(1).copied().unwrap_or("").trim().to_string(),
            );
        }
        for (line, c) in data_rows(PATTERNS) {
            if c.len() < 4 {
                return Err(format!(
                    "patterns.tsv:{line}: expected code, trigger, kind, target, note"
                ));
            }
            let none = c[0] == "-";
            if !none && !e.cameo.contains_key(c[0]) {
                return Err(format!("patterns.tsv:{line}: unknown CAMEO code {}", c[0]));
            }
            let w = words(c[1]);
            let Some((first, rest)) = w.split_first() else {
                continue;
            };
            // `-` (alone or in the list) admits a direct object as the target
            let items: Vec<&str> = c[3].split(',').map(str::trim).collect();
            let direct = items.contains(&"-");
            let preps: Vec<String> = items
                .iter()
                .filter(|p| **p != "-")
                .map(|p| marsad_text::match_form(p))
                .collect();
            // markers in the note (see data/events/README.md)
            let note = c.get(4).copied().unwrap_or("");
            let verbal = note
                .split_once("[verbal ")
                .and_then(|(_, r)| r.split_once(']'))
                .map(|(code, _)| code.trim().to_string());
            if let Some(v) = verbal
                .as_ref()
                .filter(|v| !e.cameo.contains_key(v.as_str()))
            {
                return Err(format!(
                    "patterns.tsv:{line}: unknown CAMEO code {v} in [verbal]"
                ));
            }
            if none {
                e.none_first.insert(first.clone());
            }
            e.patterns.entry(first.clone()).or_default().push(Pattern {
                code: c[0].to_string(),
                rest: rest.to_vec(),
                noun: c[2] == "noun",
                preps,
                direct,
                target_required: note.contains("[target-required]"),
                indefinite: note.contains("[indefinite]"),
                verbal,
                crowd_required: note.contains("[crowd-required]"),
                synthetic: false,
                al_initial: first.starts_with("ال"),
                none,
                venue: note.contains("[venue]"),
                unless_object: note
                    .split_once("[unless-object:")
                    .and_then(|(_, r)| r.split_once(']'))
                    .map(|(w, _)| words(w))
                    .unwrap_or_default(),
            });
            e.n_patterns += 1;
        }
        for (line, c) in data_rows(MOOD) {
            let mood = match c.get(1).map(|s| s.trim()) {
                Some("future") => Mood::Future,
                Some("negated") => Mood::Negated,
                Some("reported") => Mood::Reported,
                Some("conditional") => Mood::Conditional,
                other => return Err(format!("mood.tsv:{line}: unknown mood {other:?}")),
            };
            let w = words(c[0]);
            if let Some((f, r)) = w.split_first() {
                e.moods
                    .entry(f.clone())
                    .or_default()
                    .push((r.to_vec(), mood));
            }
        }
        for (_, c) in data_rows(QUANTITIES) {
            e.quantities.insert(marsad_text::match_form(c[0].trim()));
        }
        for (line, c) in data_rows(DATES) {
            let v = c
                .get(2)
                .map(|s| s.trim().trim_start_matches('+'))
                .and_then(|s| s.parse::<i32>().ok());
            let Some(v) = v else {
                return Err(format!("dates.tsv:{line}: bad value"));
            };
            let d = match c.get(1).map(|s| s.trim()) {
                Some("relative") => DateWord::Relative(v),
                Some("weekday") => DateWord::Weekday(v as i8),
                Some("month") => DateWord::Month(v as i8),
                Some("hijri") => DateWord::Hijri(v as i8),
                other => return Err(format!("dates.tsv:{line}: unknown kind {other:?}")),
            };
            let w = words(c[0]);
            if let Some((f, r)) = w.split_first() {
                e.dates.entry(f.clone()).or_default().push((r.to_vec(), d));
            }
        }
        Ok(e)
    }

    /// QuadClass and Goldstein of a code (falling back to its root).
    pub fn cameo_of(&self, code: &str) -> (u8, f32) {
        self.cameo
            .get(code)
            .or_else(|| self.cameo.get(&code[..code.len().min(2)]))
            .copied()
            .unwrap_or((0, 0.0))
    }

    /// PLOVER type: the longest key that is a prefix of the code.
    pub fn plover_of(&self, code: &str) -> Option<String> {
        (2..=code.len())
            .rev()
            .find_map(|n| self.plover.get(&code[..n]))
            .filter(|s| !s.is_empty())
            .cloned()
    }
}
