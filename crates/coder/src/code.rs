//! Entity resolution and event coding over one analysed document.
//!
//! 1. **Mentions.** Dictionary phrases are matched over token keys (longest first). A role phrase
//!    (agent: رئيس الوزراء, الجيش, متظاهرون) takes a country from a nationality adjective right
//!    after it (الرئيس الأمريكي → USA + GOV) or from a country actor right after it (جيش العراق),
//!    and absorbs a person's name that follows it (رئيس الوزراء مصطفى الكاظمي → one mention of
//!    al-Kadhimi). NER spans (when the tagger is given) add names the dictionaries do not know.
//! 2. **Entities.** Mentions of the same dictionary actor share its id; an unknown name gets a
//!    document-local id, and a later bare surname links to the full name met earlier; a role
//!    phrase links to the holder of that office on the document date when the dictionary knows
//!    them; الأخير ("the latter") links to the last person mentioned.
//! 3. **Events.** Triggers from `data/events/patterns.tsv` (verbs and verbal nouns, longest match),
//!    then slots by Arabic word order: the source is the subject after a verb (VSO) or the actor
//!    right before it (SVO), the genitive after a verbal noun; the target is introduced by one of
//!    the pattern's prepositions (مع ب على ضد ل إلى عن …) or is the next actor (direct object).
//!    Mood from markers before the trigger (س سوف لم لن قال وفق …), date from date words in the
//!    sentence against the document date, place from في + a place, else the dateline.

use crate::dict::{match_key, token_key, Dictionaries, OrgKind, PhraseMatch, Target};
use crate::model::*;
use crate::patterns::{DateWord, EventDicts, Pattern};
use jiff::civil::Date;
use jiff::ToSpan;
use marsad_text::{Analysis, Document, Proclitic, Token, TokenKind};
use rustc_hash::FxHashMap;

/// A named-entity span from a tagger (code points, clitics excluded), with its token range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NerSpan {
    pub first_token: usize,
    pub last_token: usize,
    pub kind: EntityType,
}

/// A mention found in the text.
#[derive(Clone, Debug)]
struct M {
    first: usize,
    last: usize,
    /// index into the entity list
    entity: usize,
    /// CAMEO code of this mention (a role phrase may refine the entity's code)
    code: Option<String>,
    /// a place used as a location (في بغداد), not a participant
    place_only: bool,
    /// protesters (agents tagged PROTESTER)
    protester: bool,
    /// may fill an event's source or target slot (all but the tagger's places and MISC names)
    slot: bool,
    /// where the mention starts when not where its first token's stem does: a name whose first
    /// letters look like a proclitic (بان كي مون)
    start: Option<u32>,
}

/// Entity under construction.
struct E {
    id: String,
    kind: EntityType,
    name: String,
    name_en: Option<String>,
    actor: Option<String>,
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    mentions: Vec<Mention>,
}

const ANAPHORA: [&str; 3] = ["الاخير", "الرجل", "الاخيره"];
const PLACE_PREPS: [&str; 3] = ["في", "داخل", "قرب"];

/// Code one document. `ner` may be empty (dictionary matches alone).
pub fn code_document(doc: &Document, a: &Analysis, ner: &[NerSpan]) -> (Vec<Entity>, Vec<Event>) {
    let dict = Dictionaries::builtin();
    let ev = EventDicts::builtin();
    let text = doc.text();
    let date = doc
        .meta
        .date
        .as_deref()
        .and_then(|d| d.get(..10))
        .and_then(|d| d.parse::<Date>().ok());
    let toks = &a.tokens;
    let keys: Vec<String> = toks.iter().map(|t| token_key(a, t)).collect();

    let mut ents: Vec<E> = Vec::new();
    let mut by_id: FxHashMap<String, usize> = FxHashMap::default();
    let mut ments: Vec<M> = Vec::new();
    let mut covered = vec![false; toks.len()];

    let entity_for = |ents: &mut Vec<E>,
                      by_id: &mut FxHashMap<String, usize>,
                      id: String,
                      make: &dyn Fn() -> E|
     -> usize {
        if let Some(&i) = by_id.get(&id) {
            return i;
        }
        let i = ents.len();
        ents.push(make());
        by_id.insert(id, i);
        i
    };

    // 1. dictionary mentions
    let mut countries: Option<FxHashMap<String, usize>> = None;
    let mut sports_doc: Option<bool> = None;
    let mut surnames: FxHashMap<String, u32> = FxHashMap::default();
    // the token after a group word whose owner follows it (قوات النظام), and the group's role
    let mut group_head: Option<(usize, &str)> = None;
    let mut i = 0;
    while i < toks.len() {
        if !toks[i].kind.is_word() {
            i += 1;
            continue;
        }
        let Some(mut m) = dict.match_at(&keys, i) else {
            i += 1;
            continue;
        };
        match m.target {
            Target::Actor(ai) => {
                // a name two actors share (عمان: Oman, or Amman in a report from Jordan) takes
                // the reading whose country the document names more often
                // (المملكة, which no actor holds outright, is the kingdom the document names
                // most, and nobody in a document that names none of them)
                let name = match_key(&keys, &m);
                let ai = match dict.contextual(&name) {
                    Some(alts) => {
                        let counts = countries.get_or_insert_with(|| country_counts(dict, &keys));
                        let n = |i: u32| {
                            dict.actor(i)
                                .country
                                .as_ref()
                                .and_then(|c| counts.get(c))
                                .copied()
                                .unwrap_or(0)
                        };
                        let only = dict.contextual_only(&name);
                        let mut best = if only { None } else { Some(ai) };
                        for &alt in alts {
                            if best.is_none_or(|b| n(alt) > n(b)) && (!only || n(alt) > 0) {
                                best = Some(alt);
                            }
                        }
                        match best {
                            Some(b) => b,
                            None => {
                                i = m.last + 1;
                                continue;
                            }
                        }
                    }
                    None => ai,
                };
                // a place that names a club too (ليون, مانشستر) is the club after نادي/فريق,
                // before a masculine nationality adjective (ليون الفرنسي; the city is
                // الفرنسية), or in a sports report where it is not used as a place
                // (a name only a club holds, marked `?` like الريان, is nothing elsewhere)
                let ai = match dict.club_reading(&name) {
                    Some(club) => {
                        let sports =
                            *sports_doc.get_or_insert_with(|| is_sports_report(dict, &keys));
                        if club_use(dict, toks, &keys, &m, sports, a) {
                            club
                        } else if club == ai {
                            i = m.last + 1;
                            continue;
                        } else {
                            ai
                        }
                    }
                    None => ai,
                };
                // a one-word place name that is the last name of a person named in full
                // earlier (برناردينو ليون … ليون) is that person
                let ai = match surnames.get(keys[m.first].as_str()) {
                    Some(&p) if m.first == m.last && dict.actor(ai).kind == EntityType::LOC => p,
                    _ => ai,
                };
                if dict.actor(ai).kind == EntityType::PER {
                    add_surnames(&mut surnames, &keys, m.first, m.last, ai);
                }
                // a club's nationality adjective is part of its mention (ليون الفرنسي), not a
                // mention of its country
                if dict.org_kind(ai) == Some(OrgKind::Club)
                    && keys
                        .get(m.last + 1)
                        .is_some_and(|k| dict.nationality(k).is_some())
                {
                    m.last += 1;
                }
                // a one-word name the segmenter reads as a word and a pronoun suffix (حواره:
                // حوار+ه "his dialogue", and the town Huwara; جيله: "his generation", and
                // Guelleh) is the name only where the tagger finds one there, unless the word
                // is about as common as its stem (سيدني, حماه)
                if m.first == m.last
                    && toks[m.first].seg.enclitic().is_some()
                    && !ner
                        .iter()
                        .any(|s| s.first_token <= m.first && m.first <= s.last_token)
                    && !name_more_than_pronoun(a, &toks[m.first], &keys[m.first])
                {
                    i = m.last + 1;
                    continue;
                }
                let actor = dict.actor(ai);
                if actor.kind == EntityType::PER && institution(&keys, m.first) {
                    i = cover_institution(&mut covered, ner, m.first, m.last) + 1;
                    continue;
                }
                if actor.kind == EntityType::PER
                    && (other_family_member(dict, ai, ner, &keys, &m)
                        || after_patronym(&keys, m.first))
                {
                    i = m.last + 1;
                    continue;
                }
                let code = actor.code_on(date).map(str::to_string);
                let e = entity_for(&mut ents, &mut by_id, actor.id.clone(), &|| {
                    actor_entity(actor, date)
                });
                let place_only = actor.kind == EntityType::LOC && is_place_use(a, toks, &keys, i);
                ments.push(M {
                    first: m.first,
                    last: m.last,
                    entity: e,
                    code,
                    place_only,
                    protester: false,
                    // a club is an entity, never an event's source or target
                    slot: dict.org_kind(ai) != Some(OrgKind::Club),
                    start: m.name_letters.map(|n| name_start(text, &toks[m.first], n)),
                });
            }
            Target::Agent(gi) => {
                let agent = &dict.agents[gi as usize];
                // جامعة الملك عبدالعزيز, مركز الأمير سلطان: a title in an institution's name
                if TITLES.contains(&keys[m.first].as_str()) && institution(&keys, m.first) {
                    i = cover_institution(&mut covered, ner, m.first, m.last) + 1;
                    continue;
                }
                // a bare group word in the construct before another agent (قوات النظام السوري,
                // قوات المعارضة السورية) is that agent's: the owner is the actor
                if m.first == m.last
                    && GROUP_HEADS.contains(&keys[m.first].as_str())
                    && dict
                        .match_at(&keys, m.last + 1)
                        .is_some_and(|n| matches!(n.target, Target::Agent(_)))
                {
                    group_head = Some((m.last + 1, agent.as_str()));
                    i = m.last + 1;
                    continue;
                }
                // ولي العهد is keyed لي العهد in text (و + لي): the mention starts at its و
                let agent_start = m.name_letters.map(|n| name_start(text, &toks[m.first], n));
                // country: a nationality adjective after the phrase, or a country actor after it
                let mut last = m.last;
                let mut country: Option<String> = None;
                let mut k = m.last + 1;
                while k < toks.len() && k <= m.last + 3 && toks[k].kind == TokenKind::Arabic {
                    if let Some(c) = dict.nationality(&keys[k]) {
                        country.get_or_insert_with(|| c.to_string());
                        last = k;
                        k += 1;
                        continue;
                    }
                    // وزير الاقتصاد الألماني: the genitive of a role in the construct state (no
                    // article: not الوزير القصف الإسرائيلي), then its nationality
                    if keys[k].starts_with("ال")
                        && k == m.last + 1
                        && !keys[m.last].starts_with("ال")
                        && !ev.patterns.contains_key(&keys[k])
                        && k + 1 < toks.len()
                        && toks[k + 1].kind == TokenKind::Arabic
                        && dict.match_at(&keys, k).is_none()
                        && dict.nationality(&keys[k + 1]).is_some()
                    {
                        last = k;
                        k += 1;
                        continue;
                    }
                    // الأمنية والعسكرية: adjectives of the role itself
                    if keys[k].starts_with("ال")
                        && dict.match_at(&keys, k).is_none()
                        && k == last + 1
                        && adjective_like(&keys[k])
                        // التقى, التقت end like a nisba once ى is folded; they are verbs
                        && !ev
                            .patterns
                            .get(&keys[k])
                            .is_some_and(|ps| ps.iter().any(|p| p.al_initial && !p.noun))
                    {
                        last = k;
                        k += 1;
                        continue;
                    }
                    break;
                }
                // a person's name right after the role: رئيس الوزراء مصطفى الكاظمي (not after
                // a noun that names an institution after someone: مستشفى الملك عبدالعزيز)
                let next = dict
                    .match_at(&keys, last + 1)
                    .filter(|_| last + 1 < toks.len() && !institution(&keys, last + 1));
                if let Some(n) = next {
                    if let Target::Actor(ai) = n.target {
                        let actor = dict.actor(ai);
                        // a role followed by a person (رئيس الوزراء مصطفى الكاظمي) or a generic group
                        // word followed by a named group (ميليشيا حزب الله) is that actor
                        if actor.kind == EntityType::PER
                            || (actor.kind == EntityType::ORG
                                && country.is_none()
                                && n.first == m.last + 1)
                        {
                            let code = actor.code_on(date).map(str::to_string);
                            let e = entity_for(&mut ents, &mut by_id, actor.id.clone(), &|| {
                                actor_entity(actor, date)
                            });
                            ments.push(M {
                                first: m.first,
                                last: n.last,
                                entity: e,
                                code,
                                place_only: false,
                                protester: false,
                                slot: true,
                                start: agent_start,
                            });
                            for c in covered.iter_mut().take(n.last + 1).skip(m.first) {
                                *c = true;
                            }
                            if actor.kind == EntityType::PER {
                                add_surnames(&mut surnames, &keys, n.first, n.last, ai);
                            }
                            i = n.last + 1;
                            continue;
                        }
                        if actor.kind != EntityType::PER
                            && country.is_none()
                            && n.last == last + 1
                            // a genitive follows a noun without the article (not زار الوزير
                            // القاهرة: the city is the object)
                            && !keys[m.last].starts_with("ال")
                            && actor.codes.iter().any(|c| c.code.len() == 3)
                        {
                            // جيش العراق: role + country in the genitive
                            country = actor.code_on(date).map(|c| c[..3.min(c.len())].to_string());
                            last = n.last;
                        }
                    }
                }
                // a title that implies its country (خادم الحرمين الشريفين: the Saudi king)
                if country.is_none() {
                    country = dict.agent_country[gi as usize].clone();
                }
                // a role with its country links to the holder of the office on the document date
                // (رئيس الوزراء العراقي → مصطفى الكاظمي in 2020)
                let holder = match (&country, date) {
                    (Some(c), Some(d)) => dict.agent_tags[gi as usize]
                        .iter()
                        .find_map(|t| dict.holder(t, c, d)),
                    _ => None,
                };
                if let Some(hi) = holder {
                    let actor = dict.actor(hi);
                    let code = actor.code_on(date).map(str::to_string);
                    let e = entity_for(&mut ents, &mut by_id, actor.id.clone(), &|| {
                        actor_entity(actor, date)
                    });
                    ments.push(M {
                        first: m.first,
                        last,
                        entity: e,
                        code,
                        place_only: false,
                        protester: false,
                        slot: true,
                        start: agent_start,
                    });
                    for c in covered.iter_mut().take(last + 1).skip(m.first) {
                        *c = true;
                    }
                    i = last + 1;
                    continue;
                }
                // the forces of a government are its armed forces (قوات النظام السوري → SYRMIL),
                // those of the opposition rebels (قوات المعارضة → REB)
                // (one mention from the group word on)
                let headed = group_head.filter(|&(at, _)| at == m.first);
                let role = match headed {
                    Some((_, head)) => match agent.as_str() {
                        "GOV" | "MIL" | "COP" => head,
                        "OPP" => "REB",
                        a => a,
                    },
                    None => agent.as_str(),
                };
                let first = if headed.is_some() {
                    m.first - 1
                } else {
                    m.first
                };
                let agent_start = if headed.is_some() { None } else { agent_start };
                let code = format!("{}{}", country.as_deref().unwrap_or(""), role);
                let id = format!("agent:{code}");
                let surface = doc
                    .slice(
                        agent_start.unwrap_or_else(|| mention_start(a, text, &toks[first])),
                        mention_end(&toks[last]),
                    )
                    .to_string();
                let e = entity_for(&mut ents, &mut by_id, id.clone(), &|| E {
                    id: id.clone(),
                    kind: EntityType::ORG,
                    name: surface.clone(),
                    name_en: None,
                    actor: Some(code.clone()),
                    country: country.clone(),
                    lat: None,
                    lon: None,
                    mentions: Vec::new(),
                });
                let protester = dict.agent_tags[gi as usize]
                    .iter()
                    .any(|t| t == "PROTESTER");
                ments.push(M {
                    first,
                    last,
                    entity: e,
                    code: Some(code.clone()),
                    place_only: false,
                    protester,
                    slot: true,
                    start: agent_start,
                });
                for c in covered.iter_mut().take(last + 1).skip(first) {
                    *c = true;
                }
                i = last + 1;
                continue;
            }
        }
        for c in covered.iter_mut().take(m.last + 1).skip(m.first) {
            *c = true;
        }
        i = m.last + 1;
    }

    // 2. NER spans the dictionaries do not cover: unknown names with local ids; a surname
    //    links to an earlier full name ending with it. Dictionary mentions win: a span that
    //    touches one is dropped, and so is a span of nationality adjectives alone (step 3 makes
    //    those mentions of their country). A person's name right after a role phrase
    //    (الرئيس الإندونيسي سوسيلو بامبانغ يودويونو) is the holder of that role: one mention from
    //    the role to the name, with the role's code, as for a name the dictionaries know (not
    //    after protesters, a bare noun or a role in the genitive: see `definite`, `genitive`). Places
    //    and MISC names the tagger finds are entities but fill no event slot (a place may still
    //    be an event's location).
    let mut local_names: Vec<(Vec<String>, usize)> = Vec::new();
    let quoted = if ner.is_empty() {
        Vec::new()
    } else {
        quoted_tokens(a, text)
    };
    // a one-word name that is (part of) an event trigger is the event word (عدم رضا), not a name
    let in_trigger = |k: usize, covered: &[bool]| -> bool {
        let si = a.sentences.partition_point(|x| x.end <= toks[k].start);
        let hi = a
            .sentences
            .get(si)
            .map_or(toks.len(), |x| toks.partition_point(|t| t.start < x.end))
            .max(k + 1);
        (k.saturating_sub(3)..=k).any(|j| {
            match_trigger(ev, a, toks, &keys, j, hi, covered)
                .is_some_and(|(p, end)| !p.none && end >= k)
        })
    };
    // a title ends with a definite word (الرئيس, وزير الإعلام, الناشط الحقوقي); a bare noun
    // before a name is in construct with it (قوات صالح, حكومة هادي: the name is the genitive)
    let definite = |k: usize| -> bool {
        keys[k].starts_with("ال") || toks[k].seg.proclitics().any(|p| p == Proclitic::Al)
    };
    // a definite role phrase right after a bare noun is that noun's genitive, not a title
    // (الخبير في شؤون الجماعات المسلحة, رئيس مجلس الأمن القومي): the name after it is not
    // its holder. A verb before the role (استقبل الرئيس …) is a trigger or a mood word.
    let genitive = |k: usize, covered: &[bool]| -> bool {
        if k == 0 || !keys[k].starts_with("ال") {
            return false;
        }
        let (p, pt) = (k - 1, &toks[k - 1]);
        pt.kind == TokenKind::Arabic
            && !covered[p]
            && !keys[p].starts_with("ال")
            && pt.seg.proclitics().next().is_none()
            && !ev.moods.contains_key(&keys[p])
            && match_trigger(ev, a, toks, &keys, p, toks.len(), covered).is_none_or(|(t, _)| t.none)
    };
    // a month name that is also a name (نيسان April or Nissan, آب) read as a month: beside a
    // number, another month, a bracket or a word of dates (أبريل نيسان, نيسان (أبريل) 2003,
    // شهر آب الماضي)
    let month = |k: usize| {
        ev.dates.get(&keys[k]).is_some_and(|v| {
            v.iter().any(|(rest, d)| {
                rest.is_empty() && matches!(d, DateWord::Month(_) | DateWord::Hijri(_))
            })
        })
    };
    let in_date = |k: usize| {
        month(k)
            && [k.wrapping_sub(1), k + 1].into_iter().any(|j| {
                j < toks.len()
                    && (toks[j].kind == TokenKind::Number
                        || month(j)
                        || matches!(
                            keys[j].as_str(),
                            "(" | ")"
                                | "-"
                                | "/"
                                | "شهر"
                                | "شهري"
                                | "الماضي"
                                | "المقبل"
                                | "القادم"
                                | "مطلع"
                                | "منتصف"
                                | "اواخر"
                                | "اوائل"
                                | "نهايه"
                                | "نهاية"
                        ))
            })
    };
    // an ordinary word the tagger takes for a name (حسن الجوار, رضا), by its keys or, for a
    // word with a pronoun suffix (رضاه), its stems
    let not_a_name = |first: usize, last: usize| {
        if last - first >= dict.not_names_words() {
            return false;
        }
        let joined =
            |f: &dyn Fn(usize) -> String| (first..=last).map(f).collect::<Vec<_>>().join(" ");
        dict.not_a_name(&joined(&|k| keys[k].clone()))
            || dict.not_a_name(&joined(&|k| a.match_stem(&toks[k]).to_string()))
    };
    for s in ner {
        // a person's name the tagger found with the role before it (السفير فهد المطيري, where
        // the dictionaries found السفير) is the name after the role
        let mut s = *s;
        if s.kind == EntityType::PER && s.last_token < toks.len() {
            let role_at = |k: usize| {
                ments
                    .iter()
                    .any(|m| m.first <= k && k <= m.last && ents[m.entity].id.starts_with("agent:"))
            };
            while s.first_token < s.last_token && covered[s.first_token] && role_at(s.first_token) {
                s.first_token += 1;
            }
        }
        if s.first_token > s.last_token
            || s.last_token >= toks.len()
            || (s.first_token..=s.last_token).any(|k| covered[k])
            || (s.first_token..=s.last_token).all(|k| dict.nationality(&keys[k]).is_some())
            || (s.first_token == s.last_token && in_trigger(s.first_token, &covered))
            || (s.first_token == s.last_token && in_date(s.first_token))
            || not_a_name(s.first_token, s.last_token)
        {
            continue;
        }
        // the role phrase this name follows, if any
        let role = (s.kind == EntityType::PER)
            .then(|| {
                ments.iter().rposition(|m| {
                    m.last + 1 == s.first_token
                        && !m.protester
                        && m.code.is_some()
                        && ents[m.entity].id.starts_with("agent:")
                        && definite(m.last)
                        && !genitive(m.first, &covered)
                })
            })
            .flatten();
        let span_keys: Vec<String> = keys[s.first_token..=s.last_token].to_vec();
        // the surname of a person the dictionaries found in full in this document (آشتون كارتر
        // … زار كارتر; بان كي مون … كي مون) is that person; so is a full name with a father's
        // name (عادل بن زيد الطريفي, خالد محفوظ بحاح) the person the dictionaries know by its
        // first and last names, also after a role; and a name marked to be read only where the
        // tagger finds one (`القاعدة!`) is its actor
        let joined = span_keys.join(" ");
        let surname = (s.kind == EntityType::PER && role.is_none() && span_keys.len() <= 2)
            .then(|| surnames.get(joined.as_str()).copied())
            .flatten()
            .filter(|&ai| by_id.contains_key(&dict.actor(ai).id));
        let known = surname.or_else(|| {
            dict.tagger_name(&joined)
                .filter(|&ai| dict.actor(ai).kind == s.kind)
                .or_else(|| {
                    (s.kind == EntityType::PER)
                        .then(|| dict.person_by_ends(&span_keys))
                        .flatten()
                })
        });
        if let Some(ai) = known {
            let actor = dict.actor(ai);
            let code = actor.code_on(date).map(str::to_string);
            let e = entity_for(&mut ents, &mut by_id, actor.id.clone(), &|| {
                actor_entity(actor, date)
            });
            if actor.kind == EntityType::PER && surname.is_none() {
                add_surnames(&mut surnames, &keys, s.first_token, s.last_token, ai);
            }
            match role {
                Some(r) => {
                    let m = &mut ments[r];
                    m.last = s.last_token;
                    m.entity = e;
                    // an actor with no code on the date keeps the role's
                    if code.is_some() {
                        m.code = code;
                    }
                }
                None => ments.push(M {
                    first: s.first_token,
                    last: s.last_token,
                    entity: e,
                    code,
                    place_only: false,
                    protester: false,
                    slot: !quoted[s.first_token],
                    start: None,
                }),
            }
            for c in covered
                .iter_mut()
                .take(s.last_token + 1)
                .skip(s.first_token)
            {
                *c = true;
            }
            continue;
        }
        // the same name met before, else a longer name ending with it (العتيبي → خالد العتيبي,
        // بن عوف → عوض بن عوف)
        let linked = local_names
            .iter()
            .find(|(k, _)| *k == span_keys)
            .or_else(|| {
                local_names
                    .iter()
                    .find(|(k, _)| k.len() > span_keys.len() && k.ends_with(&span_keys))
            })
            .map(|x| x.1);
        let e = match linked {
            Some(e) => e,
            None => {
                let id = format!("local:{}", ents.len() + 1);
                let name = doc
                    .slice(
                        mention_start(a, text, &toks[s.first_token]),
                        mention_end(&toks[s.last_token]),
                    )
                    .to_string();
                let (actor, country) = match role {
                    Some(r) => (ments[r].code.clone(), ents[ments[r].entity].country.clone()),
                    None => (None, None),
                };
                ents.push(E {
                    id: id.clone(),
                    kind: s.kind,
                    name,
                    name_en: None,
                    actor,
                    country,
                    lat: None,
                    lon: None,
                    mentions: Vec::new(),
                });
                by_id.insert(id, ents.len() - 1);
                local_names.push((span_keys, ents.len() - 1));
                ents.len() - 1
            }
        };
        if let Some(r) = role {
            let m = &mut ments[r];
            m.last = s.last_token;
            m.entity = e;
            if ents[e].actor.is_none() {
                ents[e].actor = m.code.clone();
            }
            for c in covered
                .iter_mut()
                .take(s.last_token + 1)
                .skip(s.first_token)
            {
                *c = true;
            }
            continue;
        }
        let place = s.kind == EntityType::LOC;
        ments.push(M {
            first: s.first_token,
            last: s.last_token,
            entity: e,
            code: None,
            place_only: place && is_place_use(a, toks, &keys, s.first_token),
            protester: false,
            // a name in a quoted slogan («يسقط عزيز») is not an actor of the sentence
            slot: matches!(s.kind, EntityType::PER | EntityType::ORG) && !quoted[s.first_token],
            start: None,
        });
    }

    // 3. a nationality adjective standing alone (غارة أميركية, مواقع أميركية) is a mention of its
    //    country
    let mut in_mention = covered.clone();
    for m in &ments {
        for x in in_mention.iter_mut().take(m.last + 1).skip(m.first) {
            *x = true;
        }
    }
    for k in 0..toks.len() {
        if in_mention[k] || toks[k].kind != TokenKind::Arabic {
            continue;
        }
        let Some(iso) = dict.nationality(&keys[k]) else {
            continue;
        };
        let Some(ci) = dict.country(iso) else {
            continue;
        };
        let actor = dict.actor(ci);
        let e = entity_for(&mut ents, &mut by_id, actor.id.clone(), &|| {
            actor_entity(actor, date)
        });
        ments.push(M {
            first: k,
            last: k,
            entity: e,
            code: Some(iso.to_string()),
            place_only: false,
            protester: false,
            slot: true,
            start: None,
        });
    }

    // 4. الأخير / الرجل: the last person mentioned before
    for (k, key) in keys.iter().enumerate() {
        if covered[k] || !ANAPHORA.contains(&key.as_str()) {
            continue;
        }
        let prev = ments
            .iter()
            .filter(|m| m.last < k && m.last + 400 > k && ents[m.entity].kind == EntityType::PER)
            .max_by_key(|m| m.last)
            .cloned();
        if let Some(p) = prev {
            ments.push(M {
                first: k,
                last: k,
                entity: p.entity,
                code: p.code.clone(),
                place_only: false,
                protester: false,
                slot: p.slot,
                start: None,
            });
        }
    }
    ments.sort_by_key(|m| (m.first, m.last));

    // a role without a country (القضاء, القوات الأمنية) takes the country of its sentence when
    // the sentence names exactly one
    let sent_of = |tok: usize| a.sentences.partition_point(|s| s.end <= toks[tok].start);
    let country_of = |code: &str| -> Option<String> {
        (code.len() >= 3
            && code[..3].chars().all(|c| c.is_ascii_uppercase())
            && dict.country(&code[..3]).is_some())
        .then(|| code[..3].to_string())
    };
    for i in 0..ments.len() {
        let Some(code) = ments[i].code.clone() else {
            continue;
        };
        if !ents[ments[i].entity].id.starts_with("agent:") || country_of(&code).is_some() {
            continue;
        }
        let si = sent_of(ments[i].first);
        // the sentence's mentions, within a window (see WINDOW)
        let (w0, w1) = (
            ments[i].first.saturating_sub(WINDOW),
            ments[i].first + WINDOW,
        );
        let mut countries: Vec<String> = ments_between(&ments, w0, w1)
            .iter()
            .filter(|m| sent_of(m.first) == si && !ents[m.entity].id.starts_with("agent:"))
            .filter_map(|m| m.code.as_deref().and_then(country_of))
            .collect();
        countries.sort();
        countries.dedup();
        if countries.len() != 1 {
            continue;
        }
        let full = format!("{}{}", countries[0], code);
        let id = format!("agent:{full}");
        // this mention's own words: the country-less entity is named after its first mention
        let name = doc
            .slice(
                mention_start(a, text, &toks[ments[i].first]),
                mention_end(&toks[ments[i].last]),
            )
            .to_string();
        let country = countries[0].clone();
        let e = entity_for(&mut ents, &mut by_id, id.clone(), &|| E {
            id: id.clone(),
            kind: EntityType::ORG,
            name: name.clone(),
            name_en: None,
            actor: Some(full.clone()),
            country: Some(country.clone()),
            lat: None,
            lon: None,
            mentions: Vec::new(),
        });
        ments[i].entity = e;
        ments[i].code = Some(full);
    }

    // 5. events
    let dateline_place = doc
        .meta
        .dateline
        .as_deref()
        .and_then(|dl| place_of(dict, dl))
        .map(|ai| {
            let actor = dict.actor(ai);
            entity_for(&mut ents, &mut by_id, actor.id.clone(), &|| {
                actor_entity(actor, date)
            })
        });
    let mut events = Vec::new();
    let mut last_target: Option<usize> = None;
    for s in &a.sentences {
        let lo = toks.partition_point(|t| t.start < s.start);
        let hi = toks.partition_point(|t| t.start < s.end);
        let mut k = lo;
        let mut in_sentence: Vec<(usize, usize, Event)> = Vec::new();
        while k < hi {
            let Some((pat, end)) = match_trigger(ev, a, toks, &keys, k, hi, &covered) else {
                k += 1;
                continue;
            };
            if pat.none {
                k = end + 1;
                continue;
            }
            // the police who arrest suspects "in" a bombing (ألقت الشرطة القبض على المشتبه بهم
            // في التفجير) did not carry it out: an attack takes no source from an arrest
            let violent = matches!(pat.code.get(..2), Some("18" | "19" | "20"));
            let inherited = in_sentence
                .last()
                .filter(|(_, _, e)| !(violent && e.code.starts_with("173")))
                .and_then(|(_, _, e)| e.source.as_ref())
                .and_then(|p| p.entity.as_ref())
                .and_then(|id| by_id.get(id).copied());
            if let Some(e) = build_event(
                doc,
                a,
                toks,
                &keys,
                &ments,
                &ents,
                ev,
                pat,
                k,
                end,
                lo,
                hi,
                date,
                dateline_place,
                &mut last_target,
                inherited,
            ) {
                in_sentence.push((k, end, e));
            }
            k = end + 1;
        }
        // a statement announcing an attack (أعلن … استمرار مهاجمة, توعد بشن هجمات) is a threat
        // to use force (138), not an attack
        let mut x = 0;
        while x + 1 < in_sentence.len() {
            let (k1, e1, ref a1) = in_sentence[x];
            let (k2, e2, ref a2) = in_sentence[x + 1];
            let _ = k1;
            let announce = a1.code.starts_with("01") || a1.code.starts_with("13");
            let attack = ["18", "19", "20"].iter().any(|r| a2.code.starts_with(r));
            if announce && attack && k2 <= e1 + 3 {
                let mut t = a1.clone();
                let (q, g) = ev.cameo_of("138");
                t.code = "138".into();
                t.quad_class = q;
                t.goldstein = g;
                t.plover = ev.plover_of("138");
                t.target = a2.target.clone().or(t.target);
                let end_pos = a2.trigger.end;
                t.trigger = Mention {
                    start: a1.trigger.start,
                    end: end_pos,
                    text: doc.slice(a1.trigger.start, end_pos).to_string(),
                };
                in_sentence[x] = (k1, e2, t);
                in_sentence.remove(x + 1);
            }
            x += 1;
        }
        // protesters acting: their demands and condemnations are a demonstration (141), their
        // violence a riot (145); protesters as the subject of any verb make a demonstration
        let protester_ids: Vec<&str> = ments_between(&ments, lo, hi)
            .iter()
            .filter(|m| m.protester && m.last < hi)
            .map(|m| ents[m.entity].id.as_str())
            .collect();
        for (_, _, e) in in_sentence.iter_mut() {
            let by_protesters = e
                .source
                .as_ref()
                .and_then(|p| p.entity.as_deref())
                .is_some_and(|id| protester_ids.contains(&id));
            if !by_protesters || e.code.starts_with("14") {
                continue;
            }
            let root: u32 = e.code[..2].parse().unwrap_or(0);
            let new = match root {
                1 | 2 | 10..=13 => "141",
                17..=20 => "145",
                _ => continue,
            };
            let (q, g) = ev.cameo_of(new);
            e.code = new.into();
            e.quad_class = q;
            e.goldstein = g;
            e.plover = ev.plover_of(new);
        }
        if !in_sentence.iter().any(|(_, _, e)| e.code.starts_with("14")) {
            // protesters who are the object of another actor's verb (اعتقلت الشرطة خمسة
            // متظاهرين) are not the subject of one
            let object_of_verb = |m: &M| {
                in_sentence.iter().any(|&(_, end, ref e)| {
                    end < m.first
                        && m.first <= end + 2
                        && e.source.is_some()
                        && e.target.as_ref().and_then(|t| t.entity.as_deref())
                            == Some(ents[m.entity].id.as_str())
                })
            };
            if let Some(pm) = ments_between(&ments, lo, hi).iter().find(|m| {
                m.protester
                    && !object_of_verb(m)
                    && m.first > lo
                    && m.first >= lo
                    && m.last < hi
                    && toks[m.first - 1].kind == TokenKind::Arabic
                    && !toks[m.first]
                        .seg
                        .proclitics()
                        .any(|p| matches!(p, Proclitic::Bi | Proclitic::Li))
            }) {
                let verb = pm.first - 1;
                let pat = Pattern {
                    code: "141".into(),
                    direct: true,
                    synthetic: true,
                    ..Default::default()
                };
                if let Some(e) = build_event(
                    doc,
                    a,
                    toks,
                    &keys,
                    &ments,
                    &ents,
                    ev,
                    &pat,
                    verb,
                    verb,
                    lo,
                    hi,
                    date,
                    dateline_place,
                    &mut last_target,
                    None,
                ) {
                    in_sentence.push((verb, verb, e));
                }
            }
        }
        events.extend(in_sentence.into_iter().map(|(_, _, e)| e));
    }

    // 6. entities with their mentions
    for m in &ments {
        let (st, en) = (
            m.start
                .unwrap_or_else(|| mention_start(a, text, &toks[m.first])),
            mention_end(&toks[m.last]),
        );
        ents[m.entity].mentions.push(Mention {
            start: st,
            end: en,
            text: doc.slice(st, en).to_string(),
        });
    }
    let entities = ents
        .into_iter()
        .filter(|e| {
            !e.mentions.is_empty() || Some(&e.id) == dateline_place.map(|_| &e.id).filter(|_| false)
        })
        .map(|e| Entity {
            id: e.id,
            kind: e.kind,
            name: e.name,
            name_en: e.name_en,
            actor: e.actor,
            mentions: e.mentions,
            country: e.country,
            lat: e.lat,
            lon: e.lon,
        })
        .collect();
    (entities, events)
}

/// How often the document names each country (ISO alpha-3): dictionary actors of that country
/// (not the shared names that are being decided) and nationality adjectives.
fn country_counts(dict: &Dictionaries, keys: &[String]) -> FxHashMap<String, usize> {
    let mut counts: FxHashMap<String, usize> = FxHashMap::default();
    let mut i = 0;
    while i < keys.len() {
        if let Some(m) = dict.match_at(keys, i) {
            if let Target::Actor(ai) = m.target {
                if dict.contextual(&match_key(keys, &m)).is_none() {
                    if let Some(c) = &dict.actor(ai).country {
                        *counts.entry(c.clone()).or_default() += 1;
                    }
                }
            }
            i = m.last + 1;
            continue;
        }
        if let Some(c) = dict.nationality(&keys[i]) {
            *counts.entry(c.to_string()).or_default() += 1;
        }
        i += 1;
    }
    counts
}

/// A sports report: at least [`SPORTS_CUES`] different sports cue words (`topics.tsv`:
/// مباراة, الدوري, المدرب …) occur in the document.
fn is_sports_report(dict: &Dictionaries, keys: &[String]) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for k in keys {
        if dict.is_sports_cue(k) && !seen.contains(&k.as_str()) {
            seen.push(k);
            if seen.len() >= SPORTS_CUES {
                return true;
            }
        }
    }
    false
}

/// Different sports cue words that make a document a sports report.
const SPORTS_CUES: usize = 4;

/// Is the place name matched at `m`, which a club also bears, the club here? After نادي or
/// فريق, or before a masculine nationality adjective (هامبورغ الألماني; a city takes the
/// feminine, هامبورغ الألمانية, and is the city), in any document; in a sports report,
/// wherever it is not used as a place (في ليون, مدينة ليون).
fn club_use(
    dict: &Dictionaries,
    toks: &[Token],
    keys: &[String],
    m: &PhraseMatch,
    sports: bool,
    a: &Analysis,
) -> bool {
    let before = m.first.checked_sub(1).map(|j| keys[j].as_str());
    if matches!(before, Some("نادي" | "النادي" | "فريق" | "الفريق")) {
        return true;
    }
    if let Some(next) = keys
        .get(m.last + 1)
        .filter(|k| dict.nationality(k).is_some())
    {
        // ميلان الإيطالي is the club, ميلان الإيطالية the city
        return !next.ends_with('ه') && !next.ends_with('ة');
    }
    sports
        && !is_place_use(a, toks, keys, m.first)
        && !before.is_some_and(|b| PLACE_HEADS.contains(&b))
}

/// Which tokens are inside quotation marks (« » or “ ”) of their sentence.
fn quoted_tokens(a: &Analysis, text: &str) -> Vec<bool> {
    let mut out = vec![false; a.tokens.len()];
    let mut depth = 0usize;
    let mut sentence = 0usize;
    for (k, t) in a.tokens.iter().enumerate() {
        while sentence < a.sentences.len() && a.sentences[sentence].end <= t.start {
            sentence += 1;
            depth = 0;
        }
        if t.kind == TokenKind::Punct {
            let p = text
                .get(t.byte_start as usize..t.byte_end as usize)
                .unwrap_or("");
            if p.contains(['«', '“']) {
                depth += 1;
            } else if p.contains(['»', '”']) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        out[k] = depth > 0;
    }
    out
}

/// How far (in tokens) slot filling, mood and date words look from a trigger.
const WINDOW: usize = 60;

/// The mentions that start in tokens `lo..hi` (`ments` is sorted by first token).
/// Does this source speak rather than fight? A role of government, parties, media, justice,
/// religion, business, labour, education or civil society, or a person with no armed role.
fn speaker(m: &M, e: &E) -> bool {
    const SPEAKING: [&str; 12] = [
        "GOV", "ELI", "LEG", "PTY", "MED", "OPP", "JUD", "REL", "BUS", "LAB", "EDU", "NGO",
    ];
    let code = m.code.as_deref().or(e.actor.as_deref()).unwrap_or("");
    if armed(code) {
        return false;
    }
    SPEAKING.iter().any(|r| code.ends_with(r)) || e.kind == EntityType::PER
}

/// Is this CAMEO actor code an armed actor's (military, rebels, insurgents, armed groups,
/// police, intelligence, radicals, militant groups)?
fn armed(code: &str) -> bool {
    const ARMED: [&str; 8] = ["MIL", "REB", "INS", "UAF", "COP", "SPY", "RAD", "IMG"];
    ARMED.iter().any(|r| code.contains(r))
}

/// Nouns of an attack after which a nationality or an actor is the attacker (غارة أمريكية,
/// بنيران الجيش), as token keys.
const ATTACK_NOUNS: [&str; 16] = [
    "غارة",
    "غاره",
    "غارات",
    "هجوم",
    "الهجوم",
    "قصف",
    "القصف",
    "ضربة",
    "ضربه",
    "نيران",
    "رصاص",
    "انفجار",
    "الانفجار",
    "تفجير",
    "التفجير",
    "اشتباكات",
];

/// Can `verb` (a trigger's first word, match form) be read as a passive spelled like the
/// active, with the patient after it? Only verbs of force (CAMEO roots 17–20) are checked, and
/// not form III (هاجم: its passive هوجم is spelled otherwise), nor plural forms (قتلوا) whose
/// subject is the attached pronoun.
fn passive_spelled_alike(code: &str, verb: &str) -> bool {
    let root_of_force = matches!(code.get(..2), Some("17" | "18" | "19" | "20"));
    let c: Vec<char> = verb.chars().collect();
    let form_three = c.len() == 4 && c[1] == 'ا';
    root_of_force && !form_three && !verb.ends_with("وا") && !verb.ends_with("ون")
}

/// Is a one-word person alias (بوش, الأسد) the surname of a longer name the tagger found
/// (جيب بوش, رفعت الأسد), whose first names are not the actor's own? Then it is another
/// member of the family, and the tagger's name becomes an entity of its own. Names written
/// with the actor's own first name (باراك أوباما) and tagger spans that begin with a word
/// with the article or a dictionary word (a title) keep the dictionary actor.
fn other_family_member(
    dict: &Dictionaries,
    ai: u32,
    ner: &[NerSpan],
    keys: &[String],
    m: &crate::dict::PhraseMatch,
) -> bool {
    if m.first != m.last {
        return false;
    }
    let own = || -> Vec<String> {
        dict.aliases[ai as usize]
            .iter()
            .flat_map(|n| n.split_whitespace().map(marsad_text::match_form))
            .collect()
    };
    // the first name of someone else (هادي العصيمي, the alias هادي of the Yemeni president)
    if let Some(s) = ner
        .iter()
        .find(|s| s.kind == EntityType::PER && s.first_token == m.first && s.last_token > m.last)
    {
        let after = &keys[m.last + 1..=s.last_token];
        return !(m.last + 1..=s.last_token).any(|k| dict.match_at(keys, k).is_some())
            && !after.iter().any(|k| own().contains(k));
    }
    let Some(s) = ner
        .iter()
        .find(|s| s.kind == EntityType::PER && s.first_token < m.first && s.last_token == m.last)
    else {
        return false;
    };
    let before = &keys[s.first_token..m.first];
    if before.iter().any(|k| k.starts_with("ال"))
        || (s.first_token..m.first).any(|k| dict.match_at(keys, k).is_some())
    {
        return false;
    }
    let own = own();
    !before.iter().any(|k| own.contains(k))
}

fn ments_between(ments: &[M], lo: usize, hi: usize) -> &[M] {
    let a = ments.partition_point(|m| m.first < lo);
    let b = ments.partition_point(|m| m.first < hi);
    &ments[a..b.max(a)]
}

/// A new entity for a dictionary actor, with its code on `date`.
fn actor_entity(actor: &crate::dict::Actor, date: Option<Date>) -> E {
    E {
        id: actor.id.clone(),
        kind: actor.kind,
        name: actor.name_ar.clone(),
        name_en: actor.name_en.clone(),
        actor: actor.code_on(date).map(str::to_string),
        country: actor.country.clone(),
        lat: actor.lat,
        lon: actor.lon,
        mentions: Vec::new(),
    }
}

/// Is the place at token `i` used as a location: after في/داخل, or with the preposition ب
/// meaning "in" (بغداد has no ب clitic; بالعاصمة does)?
fn is_place_use(_a: &Analysis, toks: &[Token], keys: &[String], i: usize) -> bool {
    let t = &toks[i];
    if t.seg.proclitics().any(|p| p == Proclitic::Bi) {
        return true;
    }
    let mut j = i;
    // skip a generic head noun: في العاصمة الأمريكية واشنطن, في مدينة البصرة
    for _ in 0..3 {
        if j == 0 {
            return false;
        }
        j -= 1;
        if PLACE_PREPS.contains(&keys[j].as_str()) {
            return true;
        }
        if !PLACE_HEADS.contains(&keys[j].as_str()) && !keys[j].starts_with("ال") {
            return false;
        }
    }
    false
}

/// Nouns whose genitive is the person a thing is named after (مركز الملك سلمان للإغاثة, مدينة
/// سلطان بن عبدالعزيز للخدمات الإنسانية, جامعة الملك عبدالعزيز), match form.
const NAMED_AFTER: [&str; 38] = [
    "مدينة",
    "جامعة",
    "مركز",
    "مستشفي",
    "مءسسة",
    "جاءزة",
    "شارع",
    "طريق",
    "مطار",
    "مجمع",
    "كلية",
    "ميناء",
    "قاعدة",
    "مسجد",
    "جامع",
    "مكتبة",
    "معهد",
    "قاعة",
    "صندوق",
    "برنامج",
    "جمعية",
    "حي",
    "دارة",
    "ملعب",
    "استاد",
    "مدرسة",
    "مسابقة",
    "مهرجان",
    "كاس",
    "جسر",
    "ميدان",
    "كرسي",
    "واحة",
    "منحة",
    "قلادة",
    "وشاح",
    "وسام",
    "موسوعة",
];

/// Group words that take their owner in the construct (قوات النظام, ميليشيات المعارضة), match
/// form without the article.
const GROUP_HEADS: [&str; 10] = [
    "قوات",
    "ميليشيات",
    "ميليشيا",
    "مليشيات",
    "مليشيا",
    "عناصر",
    "مقاتلو",
    "مسلحو",
    "فصاءل",
    "كتاءب",
];

/// Titles that name institutions after their holder (الملك, الأمير …), match form.
const TITLES: [&str; 5] = ["الملك", "الامير", "الامام", "الشيخ", "السلطان"];

/// Is a word the segmenter splits into a stem and a pronoun suffix (`key`: the word without
/// its prepositions) seen in the lexicon at least half as often as its stem alone? Then the
/// whole word is a word in its own right (سيدني 54 against سيد 78; حواره 14 against حوار 139).
fn name_more_than_pronoun(a: &Analysis, t: &Token, key: &str) -> bool {
    let lex = marsad_text::lexicon::Lexicon::builtin();
    2 * lex.count(key) >= lex.count(a.match_stem(t))
}

/// Is the name starting at token `first` the genitive of an institution's name (مركز الملك
/// سلمان, مدينة سلطان بن عبدالعزيز)?
fn institution(keys: &[String], first: usize) -> bool {
    first
        .checked_sub(1)
        .is_some_and(|p| NAMED_AFTER.contains(&keys[p].as_str()))
}

/// Is the name starting at token `first` the father in someone else's chain of names (نايف بن
/// سلطان بن عبدالعزيز: not سلطان بن عبدالعزيز)?
fn after_patronym(keys: &[String], first: usize) -> bool {
    first
        .checked_sub(1)
        .is_some_and(|p| crate::dict::PATRONYMS.contains(&keys[p].as_str()))
}

/// Marks the name in an institution's name as no one's mention (the tagger's name that goes
/// on from it too: جامعة الملك + عبدالعزيز, مطار الملك فهد الدولي); returns its last token.
fn cover_institution(covered: &mut [bool], ner: &[NerSpan], first: usize, last: usize) -> usize {
    let end = ner
        .iter()
        .filter(|s| s.first_token >= first && s.first_token <= last + 1)
        .map(|s| s.last_token)
        .max()
        .map_or(last, |l| l.max(last))
        .min(covered.len() - 1);
    for c in &mut covered[first..=end] {
        *c = true;
    }
    end
}

/// Generic head nouns of a place name (العاصمة الأمريكية واشنطن, مدينة البصرة), as token keys.
const PLACE_HEADS: [&str; 9] = [
    "العاصمه",
    "العاصمة",
    "مدينة",
    "مدينه",
    "محافظة",
    "محافظه",
    "بلدة",
    "ولاية",
    "منطقة",
];

fn adjective_like(k: &str) -> bool {
    // ال…ية / ال…ي: الأمنية, العسكرية — relational (nisba) adjectives of the role itself (and
    // the construct's genitive: محتجو الحي); not إلى (الي), التي, الذي
    let body = k.strip_prefix("ال").unwrap_or(k);
    body.chars().count() >= 2
        && !matches!(k, "التي" | "الذي")
        && (k.ends_with("ية") || k.ends_with("يه") || k.ends_with('ي'))
}

fn place_of(dict: &Dictionaries, text: &str) -> Option<u32> {
    let doc = Document::new(text);
    let a = marsad_text::Analyzer::new().analyze(&doc);
    let keys: Vec<String> = a.tokens.iter().map(|t| token_key(&a, t)).collect();
    (0..keys.len()).find_map(|i| match dict.match_at(&keys, i) {
        Some(m) => match m.target {
            Target::Actor(ai) if dict.actor(ai).kind == EntityType::LOC => Some(ai),
            _ => None,
        },
        None => None,
    })
}

/// Start of a mention: after و ف ب ك ل (the article stays; لل keeps only the stem).
fn mention_start(a: &Analysis, text: &str, t: &Token) -> u32 {
    let _ = a;
    let pre: Vec<Proclitic> = t.seg.proclitics().collect();
    if pre.is_empty() {
        return t.start;
    }
    let has_al = pre.contains(&Proclitic::Al);
    if has_al && pre.contains(&Proclitic::Li) {
        return t.stem_start;
    }
    if !has_al {
        return t.stem_start;
    }
    // skip the letters of the non-article proclitics (marks after them included)
    letter_offset(text, t, pre.len() - 1)
}

/// The code-point offset of the token's letter number `n` (from 0; diacritics and tatweel are
/// no letters); the token's start when it has fewer.
fn letter_offset(text: &str, t: &Token, n: usize) -> u32 {
    let surface = &text[t.byte_start as usize..t.byte_end as usize];
    surface
        .chars()
        .enumerate()
        .filter(|&(_, c)| !marsad_text::normalize::is_ignorable(c))
        .nth(n)
        .map_or(t.start, |(ci, _)| t.start + ci as u32)
}

/// Remember the last word (and the last two words) of a person's full name at `first..=last`,
/// not a father's name (محمد بن زايد is not زايد): a later bare surname is that person.
fn add_surnames(
    surnames: &mut FxHashMap<String, u32>,
    keys: &[String],
    first: usize,
    last: usize,
    ai: u32,
) {
    let patronym = |k: &str| matches!(k, "بن" | "ابن" | "ال" | "ابو");
    // the first person named in full keeps the surname: a report on آشتون كارتر that recalls
    // the presidency of جيمي كارتر goes on about the first Carter
    if last > first && !patronym(&keys[last - 1]) {
        surnames.entry(keys[last].clone()).or_insert(ai);
        // بان كي مون … كي مون
        if last > first + 1 && !patronym(&keys[last - 2]) {
            surnames
                .entry(format!("{} {}", keys[last - 1], keys[last]))
                .or_insert(ai);
        }
    }
}

/// Where a name of `letters` letters ends the first token's letters (وبان of وبان كي مون: the
/// name starts at its ب, after the conjunction).
fn name_start(text: &str, t: &Token, letters: u8) -> u32 {
    let total = text[t.byte_start as usize..t.byte_end as usize]
        .chars()
        .filter(|&c| !marsad_text::normalize::is_ignorable(c))
        .count();
    letter_offset(text, t, total.saturating_sub(letters as usize))
}

/// Where a mention ends: its last token's end. A name takes no pronoun suffix (the dictionary
/// key of a token with one keeps it, see [`crate::dict::token_key`]), so a mention never ends
/// inside its last token (كوباني, سيدني).
fn mention_end(t: &Token) -> u32 {
    t.end
}

/// Where a trigger ends: before a pronoun suffix (استهدافها: the trigger is استهداف).
fn trigger_end(t: &Token) -> u32 {
    if t.seg.enclitic().is_some() {
        t.stem_end
    } else {
        t.end
    }
}

/// Candidate forms of a token for trigger matching, best first.
fn trigger_forms(a: &Analysis, t: &Token) -> Vec<String> {
    let full = a.match_form(t).to_string();
    let stem = a.match_stem(t).to_string();
    let mut v = vec![stem.clone()];
    if full != stem {
        v.push(full.clone());
        // without the conjunction and future/preposition letters but with what follows
        let skip = t.seg.proclitics().filter(|p| *p != Proclitic::Al).count();
        let rest: String = full.chars().skip(skip).collect();
        if rest != stem && rest != full {
            v.push(rest);
        }
    }
    if t.seg.enclitic().is_some() && stem.ends_with('ت') {
        let mut s = stem.clone();
        s.pop();
        s.push('ة');
        v.push(s);
    }
    if stem.ends_with('ا') && stem.chars().count() > 3 {
        let mut s = stem.clone();
        s.pop();
        v.push(s);
    }
    v
}

fn word_matches(a: &Analysis, t: &Token, key: &str, w: &str) -> bool {
    key == w
        || a.match_form(t) == w
        || a.match_stem(t) == w
        || w.strip_prefix("ال").is_some_and(|b| b == a.match_stem(t))
}

/// The longest trigger starting at token `k` (within the sentence end `hi`); on a token
/// inside a name (`covered`), only a phrase that is no event ([`Pattern::none`]).
fn match_trigger<'e>(
    ev: &'e EventDicts,
    a: &Analysis,
    toks: &[Token],
    keys: &[String],
    k: usize,
    hi: usize,
    covered: &[bool],
) -> Option<(&'e Pattern, usize)> {
    let t = &toks[k];
    if t.kind != TokenKind::Arabic || (covered[k] && !ev.none_first.contains(a.match_stem(t))) {
        return None;
    }
    let mut best: Option<(&Pattern, usize)> = None;
    for f in trigger_forms(a, t) {
        let Some(pats) = ev.patterns.get(&f) else {
            continue;
        };
        for p in pats {
            let end = k + p.rest.len();
            // a word inside a name starts no trigger, only a phrase that is no event (حزب
            // المؤتمر: حزب is an agent word, and the phrase keeps مؤتمر from being read)
            if end >= hi || (covered[k] && !p.none) {
                continue;
            }
            if p.rest
                .iter()
                .enumerate()
                .all(|(j, w)| word_matches(a, &toks[k + 1 + j], &keys[k + 1 + j], w))
                && best.is_none_or(|(_, e)| end > e)
            {
                best = Some((p, end));
            }
        }
        if best.is_some() {
            break;
        }
    }
    best
}

#[allow(clippy::too_many_arguments)]
fn build_event(
    doc: &Document,
    a: &Analysis,
    toks: &[Token],
    keys: &[String],
    ments: &[M],
    ents: &[E],
    ev: &EventDicts,
    pat: &Pattern,
    k: usize,
    end: usize,
    lo: usize,
    hi: usize,
    date: Option<Date>,
    dateline_place: Option<usize>,
    last_target: &mut Option<usize>,
    inherited: Option<usize>,
) -> Option<Event> {
    // look no further than WINDOW tokens either side, however long the sentence: work per
    // trigger stays constant (a 50 MB line without a full stop is one sentence)
    let lo = lo.max(k.saturating_sub(WINDOW));
    let hi = hi.min(end + WINDOW + 1);
    let in_sentence: Vec<&M> = ments_between(ments, lo, hi)
        .iter()
        .filter(|m| m.last < hi)
        .collect();
    // a meeting named after its city (مؤتمر الرياض, محادثات جنيف) is held there: the city right
    // after the noun is the place, not a participant
    // (and so is an agreement named after its city, اتفاق الطائف, and a noun marked `[venue]`:
    // معركة كوباني, معارك الرمادي)
    let venue = (pat.noun
        && (matches!(pat.code.get(..3), Some("040" | "046" | "057")) || pat.venue))
        .then(|| {
            in_sentence.iter().copied().find(|m| {
                let e = &ents[m.entity];
                m.first == end + 1
                    && e.kind == EntityType::LOC
                    && e.country
                        .as_deref()
                        .is_some_and(|c| !c.eq_ignore_ascii_case(&e.id))
            })
        })
        .flatten();
    let participants: Vec<&M> = in_sentence
        .iter()
        .copied()
        .filter(|m| !m.place_only && m.slot && venue.is_none_or(|v| v.first != m.first))
        .collect();
    // prepositions introducing a mention: a proclitic on it, a separate token before it, or one
    // before its head noun (على مواقع أميركية)
    let prep_at = |j: usize| -> Option<String> {
        let pk = &keys[j];
        matches!(
            pk.as_str(),
            "مع" | "علي" | "ضد" | "الي" | "عن" | "من" | "في" | "بين" | "لدي"
        )
        .then(|| pk.clone())
    };
    let prep_of = |m: &M| -> Option<String> {
        let t = &toks[m.first];
        for p in t.seg.proclitics() {
            match p {
                Proclitic::Bi => return Some("ب".into()),
                Proclitic::Li => return Some("ل".into()),
                _ => {}
            }
        }
        if m.first > 0 {
            if let Some(p) = prep_at(m.first - 1) {
                return Some(p);
            }
        }
        if m.first > 1
            && (m.first - 1 > end || m.first - 1 < k)
            && toks[m.first - 1].kind == TokenKind::Arabic
            // the ب of بأن is no preposition of the clause's subject (أفادت مصادر بأن المسلحين)
            && !complementizer(&keys[m.first - 1])
            && !ments_between(ments, (m.first - 1).saturating_sub(WINDOW), m.first)
                .iter()
                .any(|x| x.last == m.first - 1)
        {
            let h = &toks[m.first - 1];
            for p in h.seg.proclitics() {
                match p {
                    Proclitic::Bi => return Some("ب".into()),
                    Proclitic::Li => return Some("ل".into()),
                    _ => {}
                }
            }
            return prep_at(m.first - 2);
        }
        None
    };
    // the clause the trigger is in starts after the last comma, colon or أن/إن before it
    let clause_start = (lo..k)
        .rev()
        .find(|&j| {
            keys[j].as_str() == "،" || keys[j] == "," || keys[j] == ":" || complementizer(&keys[j])
        })
        .map_or(lo, |j| j + 1);
    // a clause introduced after the trigger (أكدت المصادر أن الرئيس وصل) has its own subject
    // and object: no actor past أن/إن/بأن is the trigger's
    let clause_end = (end + 1..hi)
        .find(|&j| complementizer(&keys[j]))
        .unwrap_or(hi);
    let after: Vec<&M> = participants
        .iter()
        .copied()
        // including a mention that starts inside a multi-word trigger (سحب القوات الأميركية)
        .filter(|m| m.first > k && m.last > end && m.first <= end + 10 && m.first < clause_end)
        .collect();
    let before: Vec<&M> = participants
        .iter()
        .copied()
        .filter(|m| m.last < k && m.first >= clause_start && m.last + 8 >= k)
        .collect();
    let has_article = toks[k].seg.proclitics().any(|p| p == Proclitic::Al);
    let has_bi = |t: &Token| t.seg.proclitics().any(|p| p == Proclitic::Bi);
    // a number or a quantity word (خمسة, عشرات) at token j
    let quantity_at = |j: usize| {
        toks.get(j).is_some_and(|t| t.kind == TokenKind::Number)
            || keys.get(j).is_some_and(|w| ev.quantities.contains(w))
    };
    // الاتفاق names an agreement already made; only اتفاق (with a verb of its own: وقع اتفاقا,
    // a longer trigger) is a new one
    if pat.indefinite && has_article {
        return None;
    }
    // احتلت السعودية المركز الثاني: "ranked", no occupation (`[unless-object: …]`)
    if !pat.unless_object.is_empty()
        && toks[end + 1..(end + 7).min(hi)]
            .iter()
            .take_while(|t| t.kind != TokenKind::Punct)
            .any(|t| pat.unless_object.iter().any(|w| a.match_stem(t) == w))
    {
        return None;
    }
    // only three-letter verbs and the ت forms (تظاهر) are spelled like their verbal nouns
    // (القتل, التظاهر); with the article another verb form is a participle or a name (الصادق in
    // مسجد الإمام الصادق, not صادق على)
    if !pat.noun
        && !pat.synthetic
        && !pat.al_initial
        && has_article
        && a.match_stem(&toks[k]).chars().count() > 3
        && !a.match_stem(&toks[k]).starts_with('ت')
    {
        return None;
    }
    // a verb pattern used with the article (الخطف, القتل) is a verbal noun; the ال of التقى is
    // no article, though segmentation may read والتقت as و+ال+تقت
    let noun = pat.noun || (!pat.al_initial && has_article);
    let possessive = noun && (k..=end).any(|j| toks[j].seg.enclitic().is_some());
    // the source of the sentence's previous event (أعلن الجيش شن غارات) may be a verbal noun's;
    // for an attack only an armed one: whoever condemns or reports an attack (أدان الاتحاد
    // الأوروبي الهجوم) did not carry it out
    let violent = matches!(pat.code.get(..2), Some("18" | "19" | "20"));
    let unarmed_previous =
        inherited.filter(|&e| violent && !ents[e].actor.as_deref().is_some_and(armed));
    let inherited = inherited.filter(|_| unarmed_previous.is_none());
    let adjacent_before = before.last().copied().filter(|m| {
        m.last + 1 == k && prep_of(m).is_none() && !(noun && unarmed_previous == Some(m.entity))
    });
    // prefer a person named in the chain after the first actor (قائد فيلق القدس … إسماعيل قاآني)
    let prefer_person = |first: &M| -> Option<usize> {
        // a plural role (المسؤولون الإيرانيون) is not one person's title: a person after it
        // is the object
        let plural = ents[first.entity].id.starts_with("agent:")
            && (keys[first.first].ends_with("ون") || keys[first.first].ends_with("ين"));
        if plural {
            return None;
        }
        let stop = after.iter().position(|m| {
            m.first > first.first && prep_of(m).is_some_and(|p| pat.preps.contains(&p))
        });
        after
            .iter()
            .take(stop.unwrap_or(after.len()))
            .find(|m| {
                m.first > first.first
                    && m.first <= first.last + 8
                    && ents[m.entity].kind == EntityType::PER
                    // a person with a code (a name only the tagger found, without a role, is
                    // as likely the object of the clause)
                    && (m.code.is_some() || ents[m.entity].actor.is_some())
                    && prep_of(m).is_none_or(|p| p == "ل")
            })
            .map(|m| m.first)
    };

    // a number right after a past verb of force (قتل 13 جنديا, اعتقل خمسة أشخاص) opens its
    // object, or the subject of the passive that unvocalised text spells the same way: the
    // agent is an actor before the verb (SVO) or unknown, never the phrase after it
    let numbered_object = !noun
        && pat.direct
        && pat.preps.is_empty()
        && passive_spelled_alike(&pat.code, a.match_stem(&toks[k]))
        && quantity_at(end + 1)
        && toks[end + 1].seg.proclitics().next().is_none();
    // a plural verb (هاجموا, يهاجمون) agrees with a subject before it or carries its own
    // pronoun: an actor after it is its object (الحوثيون هاجموا عدن), never its subject
    let plural_verb = !noun && {
        let v = a.match_stem(&toks[k]);
        v.ends_with("وا") || v.ends_with("ون") || v.ends_with('و')
    };
    let mut source: Option<&M> = None;
    // a verbal noun of a transitive verb (استهداف, قصف, اعتقال: no target preposition) takes
    // its object in the genitive: the actor after it is the target, the source comes before
    let object_genitive = noun && pat.preps.is_empty();
    // قال المجلس في بيان, قال الوزير في اجتماع مع: a statement or a meeting "in" which the
    // actor before في speaks
    let said_in = noun
        && matches!(pat.code.get(..2), Some("01" | "02" | "03" | "04" | "05"))
        && k >= 2
        && keys[k - 1] == "في";
    let speaker_before = before
        .last()
        .copied()
        .filter(|m| said_in && m.last + 2 == k && prep_of(m).is_none());
    // قال الجيش إنه قتل …, أعلنت الشرطة أنها اعتقلت …: the pronoun on إن/أن is the speaker, who
    // is the subject of a verb right after it; an actor after the verb is then its object
    let antecedent = clause_start
        .checked_sub(1)
        .filter(|&c| {
            !noun
                && c > lo
                && before.is_empty()
                && pronoun_complementizer(&keys[c])
                // إلا أنه, غير أنه, رغم أنهم: "but he", "although they" refer to whoever
                // the text is about, not to the last actor
                && !matches!(keys[c - 1].as_str(), "الا" | "غير" | "رغم" | "برغم")
                // nothing but a particle between (إنه لن يسمح, أنها قد): not أنه «عندما يحتل
                && (c + 1..k).all(|j| VERB_PARTICLES.contains(&keys[j].as_str()))
        })
        .and_then(|c| {
            let pronoun = keys[c].trim_start_matches(['و', 'ب']);
            participants.iter().copied().rev().find(|m| {
                m.last < c
                    && m.last + 12 >= c
                    && prep_of(m).is_none()
                    && agrees(pronoun, &keys[m.first], ents[m.entity].kind)
            })
        });
    // after أن the subject comes first (أن وزير الخارجية السعودي التقى نظيره): the actor that
    // opens the clause is the subject of a verb right after it (only a particle between)
    // (a phrase split into several mentions, قوات + المعارضة السورية, counts as one: the last,
    // most specific, is the subject)
    let clause_subject = before.last().copied().filter(|m| {
        !noun
            && before.first().is_some_and(|f| f.first == clause_start)
            && before.windows(2).all(|w| w[1].first == w[0].last + 1)
            && clause_start > lo
            && complementizer(&keys[clause_start - 1])
            && (m.last + 1..k).all(|j| VERB_PARTICLES.contains(&keys[j].as_str()))
    });
    // a relative clause without a pronoun on its verb (داعش التي احتلت الموصل) has the actor
    // before الذي/التي as its subject, whatever preposition the main clause put on it; an actor
    // after the verb is its object. With a pronoun (المناطق التي سيطر عليها الجيش, التي تحتلها
    // إسرائيل) the noun is the object and the subject comes after, as in any clause; so it does
    // when the noun before the pronoun is no actor (جماعة التي حظرت السلطات نشاطها).
    let relative = !noun
        && k > lo
        && RELATIVE_PRONOUNS.contains(&keys[k - 1].as_str())
        && toks[k].seg.enclitic().is_none()
        // a preposition with the pronoun (التي أكد فيها, الذي أعلنت فيه) points back instead
        && !(end + 1..(end + 3).min(hi)).any(|j| {
            toks[j].seg.enclitic().is_some()
                && matches!(
                    a.match_stem(&toks[j]),
                    "في" | "علي" | "من" | "الي" | "عن" | "مع" | "ب" | "ل"
                )
        });
    // the noun before the pronoun (a comma may stand between: حسن روحاني، الذي التقى)
    let relative_head = relative
        .then(|| {
            in_sentence
                .iter()
                .copied()
                .filter(|m| m.slot && !m.place_only)
                .find(|m| {
                    m.last + 2 == k
                        || (m.last + 3 == k && matches!(keys[k - 2].as_str(), "،" | ","))
                })
        })
        .flatten();
    if let Some(m) = antecedent.or(clause_subject).or(relative_head) {
        source = Some(m);
    } else if let Some(m) = speaker_before {
        source = Some(m);
    } else if noun && possessive {
        source = before.iter().copied().find(|m| prep_of(m).is_none());
    } else if object_genitive {
        // a nationality adjective right after the noun is its agent (القصف الإسرائيلي)
        let adjective = after.first().copied().filter(|m| {
            m.first == end + 1
                && m.first == m.last
                && Dictionaries::builtin()
                    .nationality(&keys[m.first])
                    .is_some()
        });
        // an armed actor in the genitive of an attack noun is its agent (قصف القوات الحكومية,
        // غارات الطيران الروسي); an unarmed one is the target (قصف المدينة, استهداف المدنيين)
        let armed_genitive = after.first().copied().filter(|m| {
            violent
                && m.first == end + 1
                && m.code
                    .as_deref()
                    .or(ents[m.entity].actor.as_deref())
                    .is_some_and(armed)
        });
        source = adjective
            .or(armed_genitive)
            .or(adjacent_before)
            .or_else(|| {
                before
                    .iter()
                    .copied()
                    .rev()
                    .find(|m| prep_of(m).is_none() && unarmed_previous != Some(m.entity))
            });
    } else if noun && adjacent_before.is_some() {
        source = adjacent_before;
    } else if let Some(m) = after.first().copied().filter(|m| {
        // the place in the genitive of a visit is where it goes (زيارة كينيا, زيارة مدينة
        // عدن): the target, not the visitor
        let visited = noun && pat.code == "042" && ents[m.entity].kind == EntityType::LOC;
        !numbered_object && !plural_verb && !visited
    }) {
        let near = if noun {
            m.first <= end + 2
        } else {
            m.first <= end + 4
        };
        if prep_of(m).is_none() && near {
            source = match prefer_person(m) {
                Some(f) if ents[m.entity].kind != EntityType::PER => {
                    after.iter().copied().find(|x| x.first == f)
                }
                _ => Some(m),
            };
        }
    }
    if source.is_none() && !noun {
        source = before.last().copied().filter(|m| prep_of(m).is_none());
    }
    if source.is_none() && noun {
        source = inherited.and_then(|e| {
            ments_between(ments, lo, k)
                .iter()
                .filter(|m| m.entity == e && m.last < k)
                .max_by_key(|m| m.last)
        });
    }
    // target
    let mut target: Option<&M> = None;
    let mut target_by_prep = false;
    let direct_ok = |p: &Option<String>| p.is_none() || matches!(p.as_deref(), Some("ضد" | "علي"));
    // the preposition that introduces the phrase a mention is in: scan back over its head nouns
    // (على عناصر تابعة لميليشيا …), skipping genitive ل/ب the pattern does not use
    let intro_prep = |m: &M| -> Option<String> {
        let own = toks[m.first].seg.proclitics().find_map(|p| match p {
            Proclitic::Bi => Some("ب".to_string()),
            Proclitic::Li => Some("ل".to_string()),
            _ => None,
        });
        if let Some(p) = own.clone().filter(|p| pat.preps.contains(p)) {
            return Some(p);
        }
        let mut j = m.first;
        while j > end + 1 && j + 5 > m.first {
            j -= 1;
            if toks[j].kind == TokenKind::Punct {
                return None;
            }
            if let Some(p) = prep_at(j) {
                return Some(p);
            }
            let pc = toks[j].seg.proclitics().find_map(|p| match p {
                Proclitic::Bi => Some("ب".to_string()),
                Proclitic::Li => Some("ل".to_string()),
                _ => None,
            });
            if let Some(p) = pc.filter(|p| pat.preps.contains(p)) {
                return Some(p);
            }
        }
        own
    };
    for m in &after {
        if source.is_some_and(|s| m.first <= s.last || m.entity == s.entity) {
            continue;
        }
        let p = intro_prep(m);
        let by_prep = p.as_ref().is_some_and(|p| pat.preps.contains(p));
        if by_prep {
            target = Some(m);
            target_by_prep = true;
            break;
        }
        // a delegation "from" an actor as the object (استقبل وفدا من حركة حماس) meets for it
        let delegation = m.first >= end + 3
            && matches!(keys[m.first - 1].as_str(), "من" | "عن")
            && matches!(
                keys[m.first - 2].as_str(),
                "وفد" | "وفدا" | "وفدًا" | "وفود" | "الوفد"
            );
        if pat.direct && (direct_ok(&p) || delegation) && m.first <= end + 6 && target.is_none() {
            target = Some(m);
            break;
        }
        if !pat.preps.is_empty()
            && !pat.target_required
            && p.is_none()
            && m.first <= end + 3
            && target.is_none()
        {
            target = Some(m);
        }
    }
    // a plural verb of force with no object after it (مدنيين قتلوا بنيران هندية, قتلوا في
    // الهجوم, قتلوا وجرحوا) is the passive قُتلوا: the actors before it are the victims, the agent is the
    // actor of بنيران / برصاص / على يد after it, if any
    // A singular past verb (الملا عمر قتل في غارة أمريكية) is read so only when an attack
    // follows it (في غارة, بنيران, على يد, جراء …) and no object or number comes after that.
    let attack_after = |j: usize| {
        let at = |x: usize| {
            keys.get(x)
                .is_some_and(|w| ATTACK_NOUNS.contains(&w.as_str()))
        };
        match keys.get(j).map(String::as_str) {
            Some(w) if ATTACK_CAUSE.contains(&w) => at(j + 1),
            Some("علي") => keys.get(j + 1).is_some_and(|w| w == "يد"),
            Some(_) => has_bi(&toks[j]) && at(j),
            None => false,
        }
    };
    let singular_passive = violent
        && !noun
        && !plural_verb
        && attack_after(end + 1)
        && !(end + 1..(end + 7).min(hi))
            .any(|j| quantity_at(j) || after.iter().any(|m| m.first == j && prep_of(m).is_none()));
    if violent && (plural_verb || singular_passive) && source.is_some_and(|m| m.last < k) {
        let stem = a.match_stem(&toks[k]);
        let singular = stem.trim_end_matches(['ا', 'و', 'ن']);
        let singular = if plural_verb { singular } else { stem };
        let next = toks.get(end + 1);
        let no_object = next.is_none_or(|t| {
            t.kind == TokenKind::Punct
                || has_bi(t)
                || t.seg.proclitics().any(|p| p == Proclitic::Wa)
                || ATTACK_CAUSE.contains(&keys[end + 1].as_str())
                || matches!(
                    keys[end + 1].as_str(),
                    "علي" | "بعد" | "منذ" | "امس" | "اليوم"
                )
        });
        if no_object && passive_spelled_alike(&pat.code, singular) {
            // the agent: بنيران X, برصاص X, على يد X, or the adjective of the attack (غارة
            // أمريكية)
            let agent = after.iter().copied().find(|m| {
                m.first <= end + 4
                    && (has_bi(&toks[m.first])
                        || (m.first > 0
                            && (keys[m.first - 1] == "يد"
                                || has_bi(&toks[m.first - 1])
                                || ATTACK_NOUNS.contains(&keys[m.first - 1].as_str()))))
            });
            target = source;
            target_by_prep = false;
            source = agent;
        }
    }
    // a pronoun target (عنهم, معه) refers to the last target
    let mut pronoun_target: Option<usize> = None;
    if target.is_none() {
        for t in toks.iter().take((end + 3).min(hi)).skip(end + 1) {
            if t.seg.enclitic().is_some() && pat.preps.iter().any(|p| a.match_stem(t) == p) {
                pronoun_target = *last_target;
                target_by_prep = pronoun_target.is_some();
                break;
            }
        }
    }
    if pat.target_required && !target_by_prep {
        return None;
    }
    // an event needs an actor; a protest is reported for itself (يوم غضب, اعتصام في الساحة)
    if source.is_none()
        && target.is_none()
        && pronoun_target.is_none()
        && !pat.code.starts_with("14")
    {
        return None;
    }
    let participant = |m: &M| Participant {
        entity: Some(ents[m.entity].id.clone()),
        actor: m.code.clone().or_else(|| ents[m.entity].actor.clone()),
        text: Some(
            doc.slice(
                m.start
                    .unwrap_or_else(|| mention_start(a, doc.text(), &toks[m.first])),
                mention_end(&toks[m.last]),
            )
            .to_string(),
        ),
    };
    // protests: the protesters (or other civilians) in the sentence are the source
    let is_protest = pat.code.starts_with("14");
    let civil = |m: &M| {
        m.protester
            || m.code.as_deref().is_some_and(|c| {
                ["CVL", "EDU", "LAB", "REL", "OPP", "PTY", "REF"]
                    .iter()
                    .any(|x| c.ends_with(x))
            })
    };
    if is_protest && !source.is_some_and(|m| m.protester) {
        let near = |m: &&M| (m.first as isize - k as isize).unsigned_abs();
        let best = participants
            .iter()
            .copied()
            .filter(|m| m.protester)
            .min_by_key(near)
            .or_else(|| {
                participants
                    .iter()
                    .copied()
                    .filter(|m| civil(m))
                    .min_by_key(near)
            });
        if let Some(b) = best {
            if target.is_some_and(|t| t.first == b.first) {
                target = None;
            }
            source = Some(b);
        }
    }
    // تجمع, مسيرة: a gathering of people only with a crowd (protesters, civilians right by the
    // trigger, or a number after it: تجمع نحو ألف شخص); otherwise "collects", "career", a name
    if pat.crowd_required {
        // تجمعها "gathers it" is transitive; التجمع with the article is mostly a party's name
        let t = &toks[k];
        if t.seg.enclitic().is_some() || (!pat.noun && has_article) {
            return None;
        }
        let counted = (end + 1..end + 4).any(quantity_at);
        // protesters anywhere in the sentence, other civilians as the subject next to it
        let crowd = source.is_some_and(|m| {
            m.protester
                || (civil(m)
                    && ((m.first > end && m.first <= end + 3) || (m.last < k && m.last + 2 >= k)))
        });
        if !counted && !crowd {
            return None;
        }
    }
    let mut src = source.map(participant);
    let tgt = target.map(participant).or_else(|| {
        pronoun_target.map(|e| Participant {
            entity: Some(ents[e].id.clone()),
            actor: ents[e].actor.clone(),
            text: Some(ents[e].name.clone()),
        })
    });
    // نظيره الأمريكي "his American counterpart": the source's role in the adjective's country
    let tgt = tgt.map(|mut p| {
        let counterpart = target.is_some_and(|t| {
            t.first > 0
                && (keys[t.first - 1].starts_with("نظير") || keys[t.first - 1].starts_with("نظرا"))
        });
        let role = src
            .as_ref()
            .and_then(|s| s.actor.as_deref())
            .filter(|c| c.len() == 6 && c.is_ascii())
            .map(|c| &c[3..]);
        if let (true, Some(role), Some(country)) = (
            counterpart,
            role,
            p.actor.as_deref().filter(|c| c.len() == 3),
        ) {
            p.actor = Some(format!("{country}{role}"));
        }
        p
    });
    if let Some(t) = target {
        *last_target = Some(t.entity);
    }

    // mood: the trigger's own future prefix, then markers before it in the clause
    let mut mood = Mood::Asserted;
    if (k.saturating_sub(3).max(lo)..=k)
        .any(|j| toks[j].seg.proclitics().any(|p| p == Proclitic::Sa))
    {
        mood = Mood::Future;
    }
    let mut found: Vec<(usize, Mood)> = Vec::new();
    for j in lo..k {
        // إنّ before a noun (قال إن الحوثيين هاجموا) is "that", not the conditional إنْ, which
        // is followed by a verb
        if keys[j] == "ان"
            && (keys.get(j + 1).is_some_and(|n| n.starts_with("ال"))
                || quantity_at(j + 1)
                || !ments_between(ments, j + 1, j + 2).is_empty())
        {
            continue;
        }
        if let Some(list) = ev
            .moods
            .get(&keys[j])
            .or_else(|| ev.moods.get(a.match_form(&toks[j])))
        {
            for (rest, md) in list {
                if rest
                    .iter()
                    .enumerate()
                    .all(|(x, w)| j + 1 + x < k && keys[j + 1 + x] == *w)
                {
                    found.push((j, *md));
                }
            }
        }
    }
    for (j, md) in found {
        let near = k - j <= 3;
        match md {
            Mood::Negated | Mood::Conditional if near => mood = md,
            Mood::Future if mood == Mood::Asserted && k - j <= 6 => mood = md,
            Mood::Reported if mood == Mood::Asserted => mood = md,
            _ => {}
        }
    }

    // date
    // a weekday points forward when the sentence speaks of the future (سيعقدها, من المقرر)
    let future = mood == Mood::Future
        || (lo..hi).any(|j| {
            toks[j].seg.proclitics().any(|p| p == Proclitic::Sa)
                || ev
                    .moods
                    .get(&keys[j])
                    .is_some_and(|l| l.iter().any(|(r, m)| r.is_empty() && *m == Mood::Future))
        });
    let ev_date = resolve_date(ev, a, toks, keys, lo, hi, k, date, future);
    let ev_date = match ev_date {
        DateFound::Date(d) => Some(d.to_string()),
        DateFound::Invalid => None,
        DateFound::None => date.map(|d| d.to_string()),
    };

    // location: في + place in the sentence (nearest to the trigger), else the dateline
    let location = venue
        .or_else(|| {
            in_sentence
                .iter()
                .copied()
                .filter(|m| m.place_only)
                .min_by_key(|m| (m.first as isize - k as isize).unsigned_abs())
        })
        .map(|m| ents[m.entity].id.clone())
        .or_else(|| dateline_place.map(|e| ents[e].id.clone()));

    // a protest with no named actor is attributed to unidentified civilians (CVL) of the
    // country it happened in, as the UD-PETRARCH Arabic coders did
    if is_protest && src.is_none() {
        let country = location
            .as_deref()
            .and_then(|id| ents.iter().find(|e| e.id == id))
            .and_then(|e| e.country.clone());
        src = Some(Participant {
            entity: None,
            actor: Some(format!("{}CVL", country.unwrap_or_default())),
            text: None,
        });
    }
    // a verb of attack whose source speaks rather than fights (an official, a party, the media,
    // a person with no armed role) is a verbal attack: هاجم الوزير سياسة الحكومة is criticism
    let code = match (&pat.verbal, source) {
        (Some(v), Some(m)) if speaker(m, &ents[m.entity]) => v.clone(),
        _ => pat.code.clone(),
    };
    let (quad, gold) = ev.cameo_of(&code);
    let trig_start = if pat.al_initial {
        mention_start(a, doc.text(), &toks[k])
    } else {
        toks[k].stem_start
    };
    let trig_end = trigger_end(&toks[end]).max(trig_start);
    let conf = match (src.is_some(), tgt.is_some()) {
        (true, true) => 0.9,
        (true, false) => 0.6,
        _ => 0.5,
    };
    Some(Event {
        plover: ev.plover_of(&code),
        code,
        quad_class: quad,
        goldstein: gold,
        trigger: Mention {
            start: trig_start,
            end: trig_end,
            text: doc.slice(trig_start, trig_end).to_string(),
        },
        source: src,
        target: tgt,
        location,
        date: ev_date,
        mood,
        confidence: Some(conf),
    })
}

enum DateFound {
    Date(Date),
    Invalid,
    None,
}

/// Date words in the sentence, the one nearest the trigger wins.
#[allow(clippy::too_many_arguments)]
fn resolve_date(
    ev: &EventDicts,
    a: &Analysis,
    toks: &[Token],
    keys: &[String],
    lo: usize,
    hi: usize,
    k: usize,
    doc_date: Option<Date>,
    future: bool,
) -> DateFound {
    let mut best: Option<(usize, DateFound)> = None;
    let consider = |pos: usize, f: DateFound, best: &mut Option<(usize, DateFound)>| {
        let dist = (pos as isize - k as isize).unsigned_abs();
        if best.as_ref().is_none_or(|(d, _)| dist < *d) {
            *best = Some((dist, f));
        }
    };
    let mut j = lo;
    while j < hi {
        let key = &keys[j];
        let forms = [key.as_str(), a.match_form(&toks[j]), a.match_stem(&toks[j])];
        let hit = forms
            .iter()
            .find_map(|f| ev.dates.get(*f))
            .and_then(|list| {
                list.iter()
                    .filter(|(rest, _)| {
                        rest.iter()
                            .enumerate()
                            .all(|(x, w)| j + 1 + x < hi && keys[j + 1 + x] == *w)
                    })
                    .max_by_key(|(r, _)| r.len())
            });
        let Some((rest, dw)) = hit else {
            j += 1;
            continue;
        };
        let span = rest.len();
        match *dw {
            DateWord::Relative(off) => {
                // اليوم الأربعاء: the weekday that follows only confirms
                if let Some(d) = doc_date {
                    if let Ok(x) = d.checked_add((off as i64).days()) {
                        consider(j, DateFound::Date(x), &mut best);
                    }
                }
                // skip a weekday right after
                let n = j + span + 1;
                if n < hi
                    && ev
                        .dates
                        .get(&keys[n])
                        .is_some_and(|l| l.iter().any(|(_, w)| matches!(w, DateWord::Weekday(_))))
                {
                    j = n + 1;
                    continue;
                }
            }
            DateWord::Weekday(wd) => {
                if let Some(d) = doc_date {
                    let cur = d.weekday().to_monday_one_offset() as i64;
                    let want = wd as i64;
                    let next_word = keys.get(j + span + 1).map(String::as_str);
                    let prev_word = if j > 0 {
                        keys.get(j - 1).map(String::as_str)
                    } else {
                        None
                    };
                    let forward = future
                        || matches!(next_word, Some("المقبل" | "المقبله" | "القادم" | "القادمه"));
                    let backward = matches!(next_word, Some("الماضي" | "الماضيه"))
                        || matches!(prev_word, Some("امس"));
                    let delta = if forward && !backward {
                        let x = (want - cur).rem_euclid(7);
                        if x == 0 && !matches!(prev_word, Some("اليوم")) {
                            7
                        } else {
                            x
                        }
                    } else {
                        -((cur - want).rem_euclid(7))
                    };
                    if let Ok(x) = d.checked_add(delta.days()) {
                        consider(j, DateFound::Date(x), &mut best);
                    }
                }
            }
            DateWord::Month(mo) => {
                // DAY MONTH [YEAR]: only with a day number before (مارس also means "practised")
                let day = if j > lo {
                    number(a, &toks[j - 1])
                } else {
                    None
                };
                let year = keys
                    .get(j + span + 1)
                    .and_then(|_| number(a, &toks[j + span + 1]))
                    .filter(|y| (1900..2100).contains(y));
                if let Some(dd) = day {
                    let y = year.map(|y| y as i16).or(doc_date.map(|d| d.year()));
                    if let Some(y) = y {
                        match Date::new(y, mo, dd as i8) {
                            Ok(x) => consider(j, DateFound::Date(x), &mut best),
                            Err(_) => consider(j, DateFound::Invalid, &mut best),
                        }
                    }
                }
            }
            DateWord::Hijri(_) => {}
        }
        j += span + 1;
    }
    best.map(|b| b.1).unwrap_or(DateFound::None)
}

/// Words that put an attack noun after a verb of force as its cause (قتل في غارة, جراء القصف,
/// نتيجة قصف), match form.
const ATTACK_CAUSE: [&str; 6] = ["في", "خلال", "اثر", "جراء", "نتيجة", "بسبب"];

/// Relative pronouns (match form): الذي, التي, الذين, اللذين/اللذان, اللتين/اللتان, اللواتي, اللاتي.
const RELATIVE_PRONOUNS: [&str; 9] = [
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "اللذان",
    "اللتين",
    "اللتان",
    "اللواتي",
    "اللاتي",
];

/// Particles that may stand between a complementizer and its verb (إنه لن يسمح, أنها قد).
const VERB_PARTICLES: [&str; 7] = ["قد", "لن", "لم", "لا", "سوف", "ما", "لقد"];

/// May the pronoun of أنه / أنها / أنهم (match form without و/ب) refer to a mention whose first
/// word is `head`? Grammatical gender from the word's ending (الحكومة, السلطات, الشرطة are
/// feminine; الجيش, المجلس, وزير masculine); a place may be either (العراق قال إنه, تركيا قالت
/// إنها), a person either (the name alone does not tell); أنهم wants a plural or a group.
fn agrees(pronoun: &str, head: &str, kind: EntityType) -> bool {
    let h = head.strip_prefix("ال").unwrap_or(head);
    let feminine = h.ends_with('ة') || h.ends_with("ات");
    let plural = h.ends_with("ون") || h.ends_with("ين");
    match pronoun {
        _ if kind == EntityType::LOC => true,
        "انه" => kind == EntityType::PER || !(feminine || plural),
        "انها" => kind == EntityType::PER || feminine,
        _ => kind != EntityType::PER && (plural || kind == EntityType::ORG),
    }
}

/// Does this word (match form) open a reported clause: أن, إن, بأن, وأن, with or without a
/// pronoun (أنه, إنها, بأنهم)?
fn complementizer(w: &str) -> bool {
    let w = w.strip_prefix('و').unwrap_or(w);
    let w = w.strip_prefix('ب').unwrap_or(w);
    w == "ان" || pronoun_complementizer(w)
}

/// أنه, إنها, بأنهم, وأنهما …: a complementizer carrying its clause's subject as a pronoun.
fn pronoun_complementizer(w: &str) -> bool {
    let w = w.strip_prefix('و').unwrap_or(w);
    let w = w.strip_prefix('ب').unwrap_or(w);
    matches!(w, "انه" | "انها" | "انهم" | "انهما")
}

fn number(a: &Analysis, t: &Token) -> Option<i32> {
    if t.kind != TokenKind::Number {
        return None;
    }
    a.match_form(t).parse().ok()
}
