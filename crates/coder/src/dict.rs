//! Actor, agent, nationality and place dictionaries (data files under `data/dict`, embedded at
//! build time), and the token-sequence matcher over them.
//!
//! Every dictionary phrase is analysed by the same text core as the news, and each token is
//! reduced to its *key*: the match-form stem, with the article kept when present (`والكاظمي`,
//! `للكاظمي` and `الكاظمي` all give `الكاظمي`; `لإيران` gives `ايران`). Matching compares keys,
//! so hamza, alef, ya, diacritics, tatweel and attached prepositions never hide a name.

use crate::model::EntityType;
use jiff::civil::Date;
use marsad_text::{Analysis, Analyzer, Document, Proclitic, Token, TokenKind};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::sync::OnceLock;

static ACTORS: &str = include_str!("../../../data/dict/actors.tsv");
static AGENTS: &str = include_str!("../../../data/dict/agents.tsv");
static NATIONALITIES: &str = include_str!("../../../data/dict/nationalities.tsv");
static PLACES: &str = include_str!("../../../data/dict/places.tsv");
static ORGANISATIONS: &str = include_str!("../../../data/dict/organisations.tsv");
static TOPICS: &str = include_str!("../../../data/dict/topics.tsv");
static NOT_NAMES: &str = include_str!("../../../data/dict/not_names.tsv");

/// What an organisation of `organisations.tsv` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrgKind {
    /// a sports club: an entity, never an event's source or target
    Club,
    /// a news outlet (`{country}MED`)
    Media,
    /// a company (`{country}BUS`)
    Company,
}

/// A CAMEO code, valid from `from` (inclusive) to `to` (exclusive); open ends allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatedCode {
    pub code: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// A canonical actor (person, organisation or place).
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    pub kind: EntityType,
    pub name_ar: String,
    pub name_en: Option<String>,
    pub codes: Vec<DatedCode>,
    pub country: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: u64,
}

impl Actor {
    /// The CAMEO code on `date`: a dated code whose range holds the date wins over an undated
    /// default; without a date, the default (or the latest dated code).
    pub fn code_on(&self, date: Option<Date>) -> Option<&str> {
        if let Some(d) = date {
            if let Some(c) = self.codes.iter().find(|c| {
                (c.from.is_some() || c.to.is_some())
                    && c.from.is_none_or(|f| f <= d)
                    && c.to.is_none_or(|t| d < t)
            }) {
                return Some(&c.code);
            }
        }
        self.codes
            .iter()
            .find(|c| c.from.is_none() && c.to.is_none())
            .or_else(|| {
                if date.is_none() {
                    self.codes.last()
                } else {
                    None
                }
            })
            .map(|c| c.code.as_str())
    }
}

/// A term of office: from (inclusive), to (exclusive), the actor.
type Term = (Option<Date>, Option<Date>, u32);

/// What a dictionary phrase stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Actor(u32),
    /// an agent code (GOV, MIL …) to combine with a country
    Agent(u32),
}

#[derive(Clone, Debug)]
struct Phrase {
    /// keys of the tokens after the first
    rest: Vec<Box<str>>,
    target: Target,
    /// for a name entered by its proclitic-stripped keys (بان كي مون as ان كي مون): the
    /// letters of its first word as written (3 for بان)
    name_letters: Option<u8>,
}

/// The name a match covers as its keys joined by spaces (the form of the contextual and club
/// tables), borrowed for a one-word match.
pub fn match_key<'a>(keys: &'a [String], m: &PhraseMatch) -> std::borrow::Cow<'a, str> {
    if m.first == m.last {
        std::borrow::Cow::Borrowed(keys[m.first].as_str())
    } else {
        std::borrow::Cow::Owned(keys[m.first..=m.last].join(" "))
    }
}

/// A match of a dictionary phrase over tokens `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PhraseMatch {
    pub first: usize,
    pub last: usize,
    pub target: Target,
    /// the name's first word has this many letters, proclitic-like ones included (بان of بان كي
    /// مون, matched by its stripped key ان): the mention starts that many letters before the
    /// end of the first token's letters. None: the mention starts where the stem does.
    pub name_letters: Option<u8>,
}

/// The words of a chain of fathers' names (بن, ابن, بنت), match form.
pub const PATRONYMS: [&str; 3] = ["بن", "ابن", "بنت"];

/// A person (actor index) and the keys of one of their names.
type NamedPerson = (u32, Vec<String>);

/// All dictionaries.
pub struct Dictionaries {
    pub actors: Vec<Actor>,
    pub agents: Vec<String>,
    /// tags of each agent, from `(TAG)` in its note: PROTESTER, HEAD_OF_STATE, …
    pub agent_tags: Vec<Vec<String>>,
    /// the country a title implies when none is near it (`country` column: خادم الحرمين
    /// الشريفين → SAU)
    pub agent_country: Vec<Option<String>>,
    phrases: FxHashMap<Box<str>, Vec<Phrase>>,
    nationalities: FxHashMap<Box<str>, String>,
    /// lower-case actor id → index
    by_id: FxHashMap<String, u32>,
    /// ISO alpha-3 → the country's actor
    countries: FxHashMap<String, u32>,
    /// (office, place) → holders with their terms (from the `offices` column)
    offices: FxHashMap<(String, String), Vec<Term>>,
    /// key of each alias (space-joined token keys) → actor, for query expansion
    alias_keys: FxHashMap<String, Vec<u32>>,
    pub aliases: Vec<Vec<String>>,
    /// contextual aliases (`عمان?` in the Amman row): the space-joined keys of a name another
    /// actor holds → this actor, the reading in documents about this actor's country
    contextual: FxHashMap<String, Vec<u32>>,
    /// contextual names no actor holds outright (المملكة "the Kingdom": Saudi Arabia, Jordan,
    /// Morocco or Bahrain, by the document)
    contextual_only: FxHashSet<String>,
    /// actor index → its kind, for the rows of `organisations.tsv`
    org_kinds: FxHashMap<u32, OrgKind>,
    /// a club's name that is also a place's (ليون, مانشستر) or marked `?` (الريان): space-joined
    /// keys → the club, the reading in sports reports (see [`Dictionaries::club_reading`])
    club_names: FxHashMap<String, u32>,
    /// match-form stems of the sports cue words (`topics.tsv`)
    sports_cues: FxHashSet<Box<str>>,
    /// ordinary words the tagger takes for names (`not_names.tsv`), as keys joined by spaces
    not_names: FxHashSet<Box<str>>,
    /// words in the longest of them
    not_names_words: usize,
    /// a person's names of two or more words, by their first and last word's keys: the full
    /// form with a father's name (عادل بن زيد الطريفي) finds عادل الطريفي
    person_ends: FxHashMap<(Box<str>, Box<str>), Vec<NamedPerson>>,
    /// names read only where the NER tagger finds a name (`القاعدة!` on al-Qaeda: "the base"
    /// elsewhere), space-joined keys → actor
    tagger_names: FxHashMap<Box<str>, u32>,
}

/// The texts of the data files (`data/dict`), as [`Dictionaries::load`] reads them.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    pub actors: &'a str,
    pub agents: &'a str,
    pub nationalities: &'a str,
    pub places: &'a str,
    pub organisations: &'a str,
    pub topics: &'a str,
    pub not_names: &'a str,
}

/// A data-file problem (file, line, message).
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DictError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

/// The keys of a dictionary phrase's words: dictionary names carry no clitics, so a key is the
/// whole match form (a city called بالتي must not become التي); empty if a word has none.
fn phrase_keys(an: &mut Analyzer, phrase: &str) -> Vec<String> {
    phrase_keys_both(an, phrase, false).0
}

/// A phrase's words in match form (as written) and, when `stripped` is asked for, keyed as
/// `token_key` keys the words of a text (one-letter proclitics stripped), from one analysis;
/// empty when a word has no letters.
fn phrase_keys_both(an: &mut Analyzer, phrase: &str, stripped: bool) -> (Vec<String>, Vec<String>) {
    let doc = Document::new(phrase);
    let a = an.analyze(&doc);
    let words = || a.tokens.iter().filter(|t| t.kind != TokenKind::Punct);
    let keys: Vec<String> = words().map(|t| a.match_form(t).to_string()).collect();
    if keys.iter().any(|k| k.is_empty()) {
        return (Vec::new(), Vec::new());
    }
    let stripped = if stripped && keys.len() > 1 {
        words().map(|t| token_key(&a, t)).collect()
    } else {
        Vec::new()
    };
    (keys, stripped)
}

/// The key of a token for dictionary matching: match-form stem, article kept.
pub fn token_key(a: &Analysis, t: &Token) -> String {
    if t.kind != TokenKind::Arabic {
        return a.match_form(t).to_string();
    }
    let stem = a.match_stem(t);
    if t.seg.enclitic().is_some() {
        // names take no pronoun suffix: keep the suffix in the key so that nothing matches by
        // accident, but drop the prepositions and conjunctions
        let skip = t.seg.proclitics().filter(|p| *p != Proclitic::Al).count();
        return a.match_form(t).chars().skip(skip).collect();
    }
    if t.seg.proclitics().any(|p| p == Proclitic::Al) {
        let mut s = String::with_capacity(stem.len() + 4);
        s.push_str("ال");
        s.push_str(stem);
        s
    } else {
        stem.to_string()
    }
}

/// A name's other spelling of its `عبد` compounds: `عبد` and the next word written as one
/// (`عبد الفتاح` → `عبدالفتاح`), or one word `عبد` + `ال…` split (`عبدالعزيز` → `عبد العزيز`);
/// `None` when the name has none.
fn abd_spelling(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut changed = false;
    let mut k = 0;
    while k < words.len() {
        let w = words[k];
        if w == "عبد" && k + 1 < words.len() {
            out.push(format!("عبد{}", words[k + 1]));
            changed = true;
            k += 2;
            continue;
        }
        match w.strip_prefix("عبد") {
            Some(rest) if rest.starts_with("ال") && rest.chars().count() >= 4 => {
                out.push("عبد".to_string());
                out.push(rest.to_string());
                changed = true;
            }
            _ => out.push(w.to_string()),
        }
        k += 1;
    }
    changed.then(|| out.join(" "))
}

/// Upper-case tags in parentheses in a note: `protesters (PROTESTER)` → ["PROTESTER"].
fn tags(note: &str) -> Vec<String> {
    note.split('(')
        .skip(1)
        .filter_map(|x| x.split_once(')'))
        .map(|(t, _)| t.trim())
        .filter(|t| !t.is_empty() && t.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

fn parse_date(s: &str) -> Option<Date> {
    s.trim().parse::<Date>().ok()
}

fn parse_codes(s: &str) -> Result<Vec<DatedCode>, String> {
    let mut v = Vec::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (code, range) = match part.split_once('@') {
            Some((c, r)) => (c, Some(r)),
            None => (part, None),
        };
        if !code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            || code.is_empty()
        {
            return Err(format!("bad CAMEO code {code:?}"));
        }
        let (from, to) = match range {
            None => (None, None),
            Some(r) => {
                let (a, b) = r
                    .split_once("..")
                    .ok_or_else(|| format!("bad date range {r:?} (want FROM..TO)"))?;
                let from = if a.is_empty() {
                    None
                } else {
                    Some(parse_date(a).ok_or_else(|| format!("bad date {a:?}"))?)
                };
                let to = if b.is_empty() {
                    None
                } else {
                    Some(parse_date(b).ok_or_else(|| format!("bad date {b:?}"))?)
                };
                (from, to)
            }
        };
        v.push(DatedCode {
            code: code.to_string(),
            from,
            to,
        });
    }
    Ok(v)
}

/// Rows of a TSV data file: (line number, columns); comments, blank lines and the header skipped.
fn rows<'a>(
    text: &'a str,
    header_first: &'a str,
) -> impl Iterator<Item = (usize, Vec<&'a str>)> + 'a {
    text.lines().enumerate().filter_map(move |(i, l)| {
        if l.trim().is_empty() || l.starts_with('#') || l.starts_with(header_first) {
            None
        } else {
            Some((i + 1, l.split('\t').collect()))
        }
    })
}

impl Dictionaries {
    /// The dictionaries shipped in the binary.
    pub fn builtin() -> &'static Dictionaries {
        static D: OnceLock<Dictionaries> = OnceLock::new();
        D.get_or_init(|| {
            Dictionaries::load(&Sources {
                actors: ACTORS,
                agents: AGENTS,
                nationalities: NATIONALITIES,
                places: PLACES,
                organisations: ORGANISATIONS,
                topics: TOPICS,
                not_names: NOT_NAMES,
            })
            .expect("shipped dictionaries are valid (tested)")
        })
    }

    /// Parse the data files.
    pub fn load(src: &Sources) -> Result<Dictionaries, DictError> {
        let Sources {
            actors,
            agents,
            nationalities,
            places,
            organisations,
            topics,
            not_names,
        } = *src;
        let mut an = Analyzer::new();
        let mut d = Dictionaries {
            actors: Vec::new(),
            agents: Vec::new(),
            agent_tags: Vec::new(),
            agent_country: Vec::new(),
            phrases: FxHashMap::default(),
            nationalities: FxHashMap::default(),
            by_id: FxHashMap::default(),
            countries: FxHashMap::default(),
            offices: FxHashMap::default(),
            tagger_names: FxHashMap::default(),
            person_ends: FxHashMap::default(),
            alias_keys: FxHashMap::default(),
            aliases: Vec::new(),
            contextual: FxHashMap::default(),
            contextual_only: FxHashSet::default(),
            org_kinds: FxHashMap::default(),
            club_names: FxHashMap::default(),
            sports_cues: FxHashSet::default(),
            not_names: FxHashSet::default(),
            not_names_words: 0,
        };
        let mut contextual: Vec<(String, u32)> = Vec::new();
        let mut tagger_only: Vec<(String, u32)> = Vec::new();
        let mut name_index: FxHashMap<String, u32> = FxHashMap::default();
        for (line, c) in rows(actors, "id\t") {
            let err = |m: String| DictError {
                file: "actors.tsv",
                line,
                message: m,
            };
            if c.len() < 6 {
                return Err(err(format!("expected 6 columns, got {}", c.len())));
            }
            let kind =
                EntityType::parse(c[1]).ok_or_else(|| err(format!("unknown type {:?}", c[1])))?;
            let codes = parse_codes(c[5]).map_err(err)?;
            let country = codes
                .iter()
                .map(|c| &c.code)
                .find(|c| c.len() >= 3 && c[..3].chars().all(|x| x.is_ascii_uppercase()))
                .map(|c| c[..3].to_string());
            let idx = d.actors.len() as u32;
            if kind == EntityType::LOC
                && codes.len() == 1
                && c[0].len() == 3
                && c[0].eq_ignore_ascii_case(&codes[0].code)
            {
                d.countries.insert(codes[0].code.clone(), idx);
            }
            if d.by_id.insert(c[0].to_string(), idx).is_some() {
                return Err(err(format!("duplicate id {}", c[0])));
            }
            for item in c
                .get(6)
                .copied()
                .unwrap_or("")
                .split(';')
                .map(str::trim)
                .filter(|x| !x.is_empty())
            {
                let bad = || err(format!("bad office {item:?} (want OFFICE:PLACE@FROM..TO)"));
                let (op, range) = item.split_once('@').unwrap_or((item, ".."));
                let (office, place) = op.split_once(':').ok_or_else(bad)?;
                let (a, b) = range.split_once("..").ok_or_else(bad)?;
                let from = if a.is_empty() {
                    None
                } else {
                    Some(parse_date(a).ok_or_else(bad)?)
                };
                let to = if b.is_empty() {
                    None
                } else {
                    Some(parse_date(b).ok_or_else(bad)?)
                };
                d.offices
                    .entry((office.to_string(), place.to_string()))
                    .or_default()
                    .push((from, to, idx));
            }
            let mut names: Vec<String> = vec![c[2].to_string()];
            for alias in c[4].split('|').map(str::trim).filter(|s| !s.is_empty()) {
                if let Some(n) = alias.strip_suffix('?') {
                    contextual.push((n.trim().to_string(), idx));
                } else if let Some(n) = alias.strip_suffix('!') {
                    tagger_only.push((n.trim().to_string(), idx));
                } else {
                    names.push(alias.to_string());
                }
            }
            d.actors.push(Actor {
                id: c[0].to_string(),
                kind,
                name_ar: c[2].to_string(),
                name_en: Some(c[3].to_string()).filter(|s| !s.is_empty()),
                codes,
                country: if kind == EntityType::LOC
                    || kind == EntityType::ORG
                    || kind == EntityType::PER
                {
                    country
                } else {
                    None
                },
                lat: None,
                lon: None,
                population: 0,
            });
            for n in &names {
                name_index.entry(marsad_text::match_form(n)).or_insert(idx);
            }
            d.aliases.push(names);
        }
        // places.tsv is split once: the organisations need its names, the places loop its rows
        let place_rows: Vec<(usize, Vec<&str>)> = rows(places, "id\t").collect();
        let clubs = d.load_organisations(organisations, &place_rows, &mut name_index)?;
        // places: coordinates for known countries and capitals, new LOC actors for other cities
        for (line, c) in place_rows {
            let err = |m: String| DictError {
                file: "places.tsv",
                line,
                message: m,
            };
            if c.len() < 9 {
                return Err(err(format!("expected 9 columns, got {}", c.len())));
            }
            let lat: f64 = c[6].parse().map_err(|_| err("bad latitude".into()))?;
            let lon: f64 = c[7].parse().map_err(|_| err("bad longitude".into()))?;
            let pop: u64 = c[8].parse().unwrap_or(0);
            let existing = if c[1] == "country" {
                d.by_id.get(c[0]).copied()
            } else {
                name_index.get(&marsad_text::match_form(c[2])).copied()
            };
            match existing {
                Some(i) => {
                    let a = &mut d.actors[i as usize];
                    if a.kind == EntityType::LOC && a.lat.is_none() {
                        a.lat = Some(lat);
                        a.lon = Some(lon);
                        a.population = pop;
                    }
                }
                None if c[1] == "city" => {
                    let idx = d.actors.len() as u32;
                    d.by_id.insert(c[0].to_string(), idx);
                    d.actors.push(Actor {
                        id: c[0].to_string(),
                        kind: EntityType::LOC,
                        name_ar: c[2].to_string(),
                        name_en: Some(c[4].to_string()),
                        codes: vec![DatedCode {
                            code: c[5].to_string(),
                            from: None,
                            to: None,
                        }],
                        country: Some(c[5].to_string()),
                        lat: Some(lat),
                        lon: Some(lon),
                        population: pop,
                    });
                    let mut names = vec![c[2].to_string()];
                    names.extend(
                        c[3].split('|')
                            .filter(|s| !s.is_empty())
                            .map(str::to_string),
                    );
                    d.aliases.push(names);
                }
                None => {}
            }
        }
        for (line, c) in rows(agents, "pattern\t") {
            if c.len() < 2 || c[1].trim().is_empty() {
                return Err(DictError {
                    file: "agents.tsv",
                    line,
                    message: "expected pattern<TAB>code".into(),
                });
            }
            let idx = d.agents.len() as u32;
            d.agents
                .push(c[1].trim().trim_start_matches('~').to_string());
            d.agent_tags.push(tags(c.get(2).copied().unwrap_or("")));
            let cc = c.get(3).map_or("", |x| x.trim());
            if !cc.is_empty() && (cc.len() != 3 || !cc.chars().all(|x| x.is_ascii_uppercase())) {
                return Err(DictError {
                    file: "agents.tsv",
                    line,
                    message: format!("bad country {cc:?} (ISO alpha-3 or empty)"),
                });
            }
            d.agent_country
                .push(Some(cc.to_string()).filter(|x| !x.is_empty()));
            d.add_phrase(&mut an, c[0], Target::Agent(idx));
        }
        for (line, c) in rows(nationalities, "adjective\t") {
            if c.len() < 2 {
                return Err(DictError {
                    file: "nationalities.tsv",
                    line,
                    message: "expected adjective<TAB>iso3".into(),
                });
            }
            // listed without the article; ألماني folds to الماني, which keeps its ال
            let k = marsad_text::match_form(c[0].trim());
            d.nationalities.insert(k.into(), c[1].trim().to_string());
        }
        // actor names and aliases; places go in too (a city's name is a phrase like any other).
        // A phrase claimed by two actors keeps the first (hand-curated actors come first).
        for i in 0..d.actors.len() {
            // عبد الفتاح السيسي is also written عبدالفتاح السيسي, and عبدالله as عبد الله
            let variants: Vec<String> = d.aliases[i]
                .iter()
                .filter_map(|n| abd_spelling(n))
                .filter(|v| !d.aliases[i].contains(v))
                .collect();
            d.aliases[i].extend(variants);
            let names = d.aliases[i].clone();
            for n in names {
                let keys = d.add_phrase(&mut an, &n, Target::Actor(i as u32));
                if let (EntityType::PER, [first, .., last]) = (d.actors[i].kind, keys.as_slice()) {
                    d.person_ends
                        .entry((first.as_str().into(), last.as_str().into()))
                        .or_default()
                        .push((i as u32, keys.clone()));
                }
            }
        }
        for (name, i) in contextual {
            let keys = phrase_keys(&mut an, &name);
            if keys.is_empty() {
                continue;
            }
            let k = keys.join(" ");
            // a name no actor holds outright is matched as its first contextual holder's
            if d.match_at(&keys, 0)
                .is_none_or(|m| m.last + 1 != keys.len())
            {
                d.add_phrase(&mut an, &name, Target::Actor(i));
                d.contextual_only.insert(k.clone());
            }
            d.contextual.entry(k).or_default().push(i);
        }
        for (name, i) in tagger_only {
            let keys = phrase_keys(&mut an, &name);
            if !keys.is_empty() {
                d.tagger_names.insert(keys.join(" ").into(), i);
            }
        }
        for (name, i) in clubs {
            let keys = phrase_keys(&mut an, &name);
            if !keys.is_empty() {
                d.club_names.entry(keys.join(" ")).or_insert(i);
            }
        }
        for (line, c) in rows(topics, "word\t") {
            if c.len() < 2 {
                return Err(DictError {
                    file: "topics.tsv",
                    line,
                    message: "expected word<TAB>topic".into(),
                });
            }
            if c[1].trim() == "sports" {
                for k in phrase_keys(&mut an, c[0].trim()) {
                    d.sports_cues.insert(k.into());
                }
            }
        }
        for (line, c) in rows(not_names, "phrase\t") {
            let keys = phrase_keys(&mut an, c[0].trim());
            if c.len() < 2 || keys.is_empty() {
                return Err(DictError {
                    file: "not_names.tsv",
                    line,
                    message: "expected phrase<TAB>reading".into(),
                });
            }
            d.not_names_words = d.not_names_words.max(keys.len());
            d.not_names.insert(keys.join(" ").into());
        }
        Ok(d)
    }

    /// Read `organisations.tsv` (clubs, outlets, companies) as ORG actors, after the
    /// hand-curated actors and before the places: a name a hand-curated actor holds stays that
    /// actor's; a company or outlet named like a GeoNames town (مرسيدس, تويوتا) is the company;
    /// a club's name that is also a place's is returned apart (name, club), to be read as the
    /// club only in sports reports.
    fn load_organisations(
        &mut self,
        text: &str,
        places: &[(usize, Vec<&str>)],
        name_index: &mut FxHashMap<String, u32>,
    ) -> Result<Vec<(String, u32)>, DictError> {
        let mut place_names: FxHashSet<String> = FxHashSet::default();
        for (_, c) in places {
            for n in c.get(2).into_iter().chain(c.get(3)) {
                for n in n.split('|').filter(|s| !s.is_empty()) {
                    place_names.insert(marsad_text::match_form(n));
                }
            }
        }
        let mut clubs = Vec::new();
        for (line, c) in rows(text, "kind\t") {
            let err = |m: String| DictError {
                file: "organisations.tsv",
                line,
                message: m,
            };
            if c.len() != 5 {
                return Err(err(format!("expected 5 columns, got {}", c.len())));
            }
            let kind = match c[0] {
                "club" => OrgKind::Club,
                "media" => OrgKind::Media,
                "company" => OrgKind::Company,
                k => return Err(err(format!("unknown kind {k:?} (club, media or company)"))),
            };
            let cc = c[3].trim();
            if cc.len() != 3 || !cc.chars().all(|x| x.is_ascii_uppercase()) {
                return Err(err(format!("bad country {cc:?} (ISO alpha-3)")));
            }
            let slug: String = c[4]
                .chars()
                .map(|x| {
                    if x.is_ascii_alphanumeric() {
                        x.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            let id = format!("{}:{}", c[0], slug.trim_matches('_'));
            let idx = self.actors.len() as u32;
            if self.by_id.insert(id.clone(), idx).is_some() {
                return Err(err(format!("duplicate id {id} (name_en {:?})", c[4])));
            }
            let mut names = Vec::new();
            for n in std::iter::once(c[1]).chain(c[2].split('|')) {
                let n = n.trim();
                // `الريان?`: a club's name that is also a common word or another name, read
                // as the club only in sports reports
                let (n, sports_only) = match n.strip_suffix('?') {
                    Some(_) if kind != OrgKind::Club => {
                        return Err(err(format!("{n:?}: only a club's name may end in `?`")))
                    }
                    Some(b) => (b.trim(), true),
                    None => (n, false),
                };
                if n.is_empty() {
                    continue;
                }
                let mf = marsad_text::match_form(n);
                let actor = match name_index.get(&mf) {
                    Some(&i) if i == idx => continue, // a variant the match form folds
                    Some(&i) => Some(self.actors[i as usize].kind),
                    None => None,
                };
                if kind == OrgKind::Club
                    && (actor == Some(EntityType::LOC) || place_names.contains(&mf))
                {
                    clubs.push((n.to_string(), idx));
                } else if actor.is_none() {
                    name_index.entry(mf).or_insert(idx);
                    names.push(n.to_string());
                    if sports_only {
                        clubs.push((n.to_string(), idx));
                    }
                }
            }
            let code = match kind {
                OrgKind::Club => None,
                OrgKind::Media => Some("MED"),
                OrgKind::Company => Some("BUS"),
            };
            self.actors.push(Actor {
                id,
                kind: EntityType::ORG,
                name_ar: c[1].trim().to_string(),
                name_en: Some(c[4].trim().to_string()).filter(|s| !s.is_empty()),
                codes: code
                    .map(|r| DatedCode {
                        code: format!("{cc}{r}"),
                        from: None,
                        to: None,
                    })
                    .into_iter()
                    .collect(),
                country: Some(cc.to_string()),
                lat: None,
                lon: None,
                population: 0,
            });
            self.aliases.push(names);
            self.org_kinds.insert(idx, kind);
        }
        Ok(clubs)
    }

    /// The kind of an actor read from `organisations.tsv` (None for every other actor).
    pub fn org_kind(&self, i: u32) -> Option<OrgKind> {
        self.org_kinds.get(&i).copied()
    }

    /// The club a matched place name (its keys joined, see [`match_key`]) also names
    /// (ليون: Lyon or Olympique Lyonnais), or the club itself for a name it holds only in
    /// sports reports (`الريان?`); the coder reads it as the club in sports reports.
    pub fn club_reading(&self, name: &str) -> Option<u32> {
        self.club_names.get(name).copied()
    }

    /// Is this token key (a match-form stem) a sports cue word (`topics.tsv`)?
    pub fn is_sports_cue(&self, key: &str) -> bool {
        self.sports_cues.contains(key)
    }

    /// Is this phrase (keys joined by spaces) an ordinary word the tagger takes for a name?
    pub fn not_a_name(&self, key: &str) -> bool {
        self.not_names.contains(key)
    }

    /// The actor a name the NER tagger found is, by an alias marked `!` (`القاعدة!`), given the
    /// name's token keys joined by spaces.
    pub fn tagger_name(&self, key: &str) -> Option<u32> {
        self.tagger_names.get(key).copied()
    }

    /// The one person a name of three or more words (keys) is, by a name of theirs with the
    /// same first and last word whose words all appear in it in order: `عادل بن زيد الطريفي`,
    /// `خالد محفوظ بحاح` (a father's name in the middle). None when no one or several fit.
    pub fn person_by_ends(&self, keys: &[String]) -> Option<u32> {
        let [first, .., last] = keys else {
            return None;
        };
        if keys.len() < 3 {
            return None;
        }
        let cands = self
            .person_ends
            .get(&(first.as_str().into(), last.as_str().into()))?;
        let mut found: Option<u32> = None;
        // in a chain of fathers' names every link counts: نايف بن سلطان بن عبدالعزيز is not
        // نايف بن عبدالعزيز
        let father = |k: &[String]| PATRONYMS.contains(&k[k.len() - 2].as_str());
        if father(keys) {
            return None;
        }
        for (ai, name) in cands {
            if father(name) {
                continue;
            }
            let mut rest = keys.iter();
            if name.iter().all(|w| rest.any(|k| k == w)) {
                if found.is_some_and(|f| f != *ai) {
                    return None;
                }
                found = Some(*ai);
            }
        }
        found
    }

    /// The most words a phrase of `not_names.tsv` has (a longer span needs no look-up).
    pub fn not_names_words(&self) -> usize {
        self.not_names_words
    }

    /// The other readings of a matched name (its keys joined by spaces, see [`match_key`]) when
    /// actors list it as a contextual alias (`عمان?`), with that actor's country: the coder
    /// takes it in documents that name that country more than the first reading's.
    pub fn contextual(&self, name: &str) -> Option<&[u32]> {
        self.contextual.get(name).map(Vec::as_slice)
    }

    /// Is the matched name (its keys joined by spaces, as [`match_key`]) one that only
    /// contextual aliases hold (المملكة)? Then it names nobody in a document that names none of
    /// their countries.
    pub fn contextual_only(&self, name: &str) -> bool {
        self.contextual_only.contains(name)
    }

    /// Enter a phrase for `target`; returns its keys (empty when a word has no letters).
    fn add_phrase(&mut self, an: &mut Analyzer, phrase: &str, target: Target) -> Vec<String> {
        let (keys, stripped) = phrase_keys_both(an, phrase, true);
        if keys.is_empty() {
            return keys;
        }
        // a name of several words is also entered as the text's tokens are keyed, their one-letter
        // proclitics stripped: in text بان كي مون is keyed ان كي مون (ب + أن)
        if keys.len() > 1 && stripped.len() == keys.len() && stripped != keys {
            let letters = u8::try_from(keys[0].chars().count()).ok();
            self.add_keys(
                &stripped,
                target,
                letters.filter(|_| stripped[0] != keys[0]),
            );
        }
        self.add_keys(&keys, target, None);
        keys
    }

    fn add_keys(&mut self, keys: &[String], target: Target, name_letters: Option<u8>) {
        if let Target::Actor(i) = target {
            self.alias_keys.entry(keys.join(" ")).or_default().push(i);
        }
        let rest: Vec<Box<str>> = keys[1..].iter().map(|k| k.as_str().into()).collect();
        // a generic role word matches with and without the article (متظاهرون, المتظاهرون)
        let mut firsts = vec![keys[0].clone()];
        if matches!(target, Target::Agent(_)) {
            match keys[0].strip_prefix("ال") {
                Some(b) if b.chars().count() >= 2 => firsts.push(b.to_string()),
                Some(_) => {}
                None => firsts.push(format!("ال{}", keys[0])),
            }
        }
        let mut variants: Vec<(String, Vec<Box<str>>)> =
            firsts.into_iter().map(|f| (f, rest.clone())).collect();
        // a noun and its adjectives agree in definiteness: منظمة حقوقية ↔ المنظمة الحقوقية
        // (a construct, منظمات حقوق الإنسان, has mixed articles and stays as written)
        if matches!(target, Target::Agent(_)) && keys.len() > 1 {
            let definite = keys.iter().filter(|k| k.starts_with("ال")).count();
            let flipped: Option<Vec<String>> = if definite == keys.len() {
                keys.iter()
                    .map(|k| {
                        let b = &k["ال".len()..];
                        (b.chars().count() >= 2).then(|| b.to_string())
                    })
                    .collect()
            } else if definite == 0 {
                Some(keys.iter().map(|k| format!("ال{k}")).collect())
            } else {
                None
            };
            if let Some(f) = flipped {
                let rest = f[1..].iter().map(|k| k.as_str().into()).collect();
                variants.push((f[0].clone(), rest));
            }
        }
        for (f, rest) in variants {
            let v = self.phrases.entry(f.as_str().into()).or_default();
            if !v.iter().any(|p| p.rest == rest) {
                v.push(Phrase {
                    rest,
                    target,
                    name_letters,
                });
            }
        }
    }

    pub fn actor(&self, i: u32) -> &Actor {
        &self.actors[i as usize]
    }

    /// Who held `office` (HEAD_OF_STATE, HEAD_OF_GOVERNMENT, FOREIGN_MINISTER …) of `place`
    /// on `date` (term ends are exclusive). None when nobody or several did.
    pub fn holder(&self, office: &str, place: &str, date: Date) -> Option<u32> {
        let terms = self.offices.get(&(office.to_string(), place.to_string()))?;
        let mut it = terms
            .iter()
            .filter(|(f, t, _)| f.is_none_or(|f| f <= date) && t.is_none_or(|t| date < t));
        let first = it.next()?;
        if it.next().is_some() {
            return None;
        }
        Some(first.2)
    }

    /// The country actor of an ISO alpha-3 code.
    pub fn country(&self, iso3: &str) -> Option<u32> {
        self.countries.get(iso3).copied()
    }

    pub fn actor_by_id(&self, id: &str) -> Option<&Actor> {
        self.by_id.get(id).map(|&i| &self.actors[i as usize])
    }

    /// Longest dictionary phrase starting at token `i` (keys precomputed in `keys`).
    pub fn match_at(&self, keys: &[String], i: usize) -> Option<PhraseMatch> {
        let cands = self.phrases.get(keys.get(i)?.as_str())?;
        let mut best: Option<PhraseMatch> = None;
        for p in cands {
            let n = p.rest.len();
            if i + n >= keys.len() + usize::from(n == 0) && n > 0 {
                continue;
            }
            if p.rest
                .iter()
                .enumerate()
                .all(|(k, r)| keys.get(i + 1 + k).is_some_and(|x| x.as_str() == &**r))
            {
                let m = PhraseMatch {
                    first: i,
                    last: i + n,
                    target: p.target,
                    name_letters: p.name_letters,
                };
                let better = match best {
                    None => true,
                    // longer wins; at equal length an actor beats an agent
                    Some(b) => {
                        m.last > b.last
                            || (m.last == b.last
                                && matches!(m.target, Target::Actor(_))
                                && matches!(b.target, Target::Agent(_)))
                    }
                };
                if better {
                    best = Some(m);
                }
            }
        }
        best
    }

    /// Country (ISO alpha-3) of a nationality adjective key in any inflection:
    /// أمريكي أميركية الأمريكيين الإيراني عراقيات …
    pub fn nationality(&self, key: &str) -> Option<&str> {
        // with the article stripped first (الالماني, العراقي), then as written (ألماني → الماني
        // begins with what looks like an article)
        let bare = key.strip_prefix("ال");
        for k in bare.into_iter().chain([key]) {
            if let Some(c) = self.nationalities.get(k) {
                return Some(c);
            }
            for suf in marsad_text::stem::NISBA_SUFFIXES {
                if let Some(base) = k.strip_suffix(suf) {
                    if let Some(c) = self.nationalities.get(base) {
                        return Some(c);
                    }
                }
            }
        }
        None
    }

    /// All spellings of every actor whose name or alias is `query` (match form, article
    /// insensitive).
    pub fn expand(&self, query: &str) -> Vec<String> {
        thread_local! {
            // one analyser per thread: every search expands its query, and a fresh analyser
            // allocates its word cache each time
            static AN: RefCell<Analyzer> = RefCell::new(Analyzer::new());
        }
        let key = AN.with(|an| phrase_keys(&mut an.borrow_mut(), query));
        let mut out = vec![query.to_string()];
        if let Some(ids) = self.alias_keys.get(&key.join(" ")) {
            for &i in ids {
                for n in &self.aliases[i as usize] {
                    if !out.contains(n) {
                        out.push(n.clone());
                    }
                }
            }
        }
        out
    }
}
