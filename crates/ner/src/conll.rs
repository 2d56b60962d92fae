//! Reading NER training and test data in CoNLL-like `token TAG` formats, with tag mapping.
//!
//! Three layouts are understood (the *tag map* names the layout and how its tags become
//! marsad's four types):
//!
//! * `anercorp` (default): `token TAG`, tags `O`, `B-`/`I-` + `PERS LOC ORG MISC`
//!   (ANERcorp, CAMeL Lab split). Any other tag is an error naming the file and line.
//! * `wikifane`: `token FINE COARSE` (WikiFANE gold as in `../shared/data/wikifane`); the coarse
//!   column is mapped `PER→PERS, ORG→ORG, GPE→LOC, LOC→LOC, FAC→LOC, PRO→MISC, VEH→O, WEA→O`.
//!   WikiFANE writes clitics as tokens of their own (`و تعتبر`, `عاصمة ها`); they are joined back
//!   to their words (`وتعتبر`, `عاصمتها`, `ل ال` → `لل`) so that the text looks like running news.
//! * `wikifane-fine`: the same file, the fine column mapped to ANERcorp's conventions: people
//!   (Politician, Artist, … but not Group) → PERS; places (Nation, Population-Center, Water-Body,
//!   Path, …) → LOC; organisations → ORG; facilities, products and vehicles → MISC (ANERcorp tags
//!   البيت الأبيض, stadiums and car models MISC); groups and weapons → O.
//! * `wojood`: `token TAG [TAG …]`, one IOB2 column per nesting level (Wojood sample); each level's
//!   spans are mapped `PERS→PERS, ORG→ORG, GPE→LOC, LOC→LOC, FAC→LOC, EVENT→MISC, PRODUCT→MISC`, the
//!   other 14 Wojood types to nothing; outer spans win over nested ones; `$#$` marker tokens are
//!   dropped.
//! * a custom map `TYPE=TARGET,…` (TARGET one of `PERS LOC ORG MISC O`): tags in the last column;
//!   a type missing from the map is an error (unknown tags are reported, never guessed).
//!
//! An `I-` tag that does not continue a span of its type starts a new span (conlleval's rule);
//! sentences are stored with clean IOB2 tags, which keeps conlleval's spans unchanged.

use crate::{NerLabel, Tag};

/// A sentence of a CoNLL file: tokens and their (IOB2) tags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub tags: Vec<Tag>,
}

/// A bad line in a data file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ConllError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// How the tags of a file are read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagMap {
    /// `token TAG` with marsad's own tag set (ANERcorp)
    Anercorp,
    /// `token FINE COARSE` (WikiFANE), coarse column mapped
    Wikifane,
    /// `token FINE COARSE` (WikiFANE), fine column mapped
    WikifaneFine,
    /// `token TAG…` with nested levels (Wojood)
    Wojood,
    /// tags in the last column, types mapped by the list (`None` = not an entity)
    Custom(Vec<(String, Option<NerLabel>)>),
}

impl TagMap {
    /// Parse a tag-map name (`anercorp`, `wikifane`, `wojood`) or a custom map `TYPE=TARGET,…`.
    pub fn parse(s: &str) -> Result<TagMap, String> {
        match s {
            "anercorp" | "conll" => return Ok(TagMap::Anercorp),
            "wikifane" => return Ok(TagMap::Wikifane),
            "wikifane-fine" => return Ok(TagMap::WikifaneFine),
            "wojood" => return Ok(TagMap::Wojood),
            _ => {}
        }
        let mut v = Vec::new();
        for pair in s.split(',').filter(|p| !p.trim().is_empty()) {
            let (a, b) = pair.split_once('=').ok_or_else(|| {
                format!("tag map `{s}`: expected a preset (anercorp, wikifane, wojood) or TYPE=TARGET pairs, got `{pair}`")
            })?;
            let target = match b.trim() {
                "O" => None,
                t => Some(NerLabel::parse(t).ok_or_else(|| {
                    format!("tag map `{s}`: target `{t}` is not one of PERS LOC ORG MISC O")
                })?),
            };
            v.push((a.trim().to_string(), target));
        }
        if v.is_empty() {
            return Err(format!("tag map `{s}` is empty"));
        }
        Ok(TagMap::Custom(v))
    }

    fn map_type(&self, ty: &str) -> Result<Option<NerLabel>, String> {
        let table: &[(&str, Option<NerLabel>)] = match self {
            TagMap::Anercorp => {
                return NerLabel::parse(ty).map(Some).ok_or_else(|| {
                    format!(
                        "unknown tag type `{ty}` (known: PERS LOC ORG MISC; for another tag set give a tag map, e.g. FILE@wikifane or FILE@'PER=PERS,GPE=LOC,…')"
                    )
                })
            }
            TagMap::Wikifane => &[
                ("PER", Some(NerLabel::Pers)),
                ("ORG", Some(NerLabel::Org)),
                ("GPE", Some(NerLabel::Loc)),
                ("LOC", Some(NerLabel::Loc)),
                ("FAC", Some(NerLabel::Loc)),
                ("PRO", Some(NerLabel::Misc)),
                ("VEH", None),
                ("WEA", None),
            ],
            TagMap::WikifaneFine => &[
                ("Politician", Some(NerLabel::Pers)),
                ("Other_PER", Some(NerLabel::Pers)),
                ("Artist", Some(NerLabel::Pers)),
                ("Scientist", Some(NerLabel::Pers)),
                ("Religious_PER", Some(NerLabel::Pers)),
                ("Police", Some(NerLabel::Pers)),
                ("Athlete", Some(NerLabel::Pers)),
                ("Businessperson", Some(NerLabel::Pers)),
                ("Engineer", Some(NerLabel::Pers)),
                ("Lawyer", Some(NerLabel::Pers)),
                ("Group", None),
                ("Population-Center", Some(NerLabel::Loc)),
                ("Nation", Some(NerLabel::Loc)),
                ("State-or-Province", Some(NerLabel::Loc)),
                ("Water-Body", Some(NerLabel::Loc)),
                ("Continent", Some(NerLabel::Loc)),
                ("Land-Region-Natural", Some(NerLabel::Loc)),
                ("County-or-District", Some(NerLabel::Loc)),
                ("GPE-Cluster", Some(NerLabel::Loc)),
                ("Celestial", Some(NerLabel::Loc)),
                ("Path", Some(NerLabel::Loc)),
                ("Commercial", Some(NerLabel::Org)),
                ("Non-Governmental", Some(NerLabel::Org)),
                ("Government", Some(NerLabel::Org)),
                ("Sports", Some(NerLabel::Org)),
                ("Media", Some(NerLabel::Org)),
                ("Educational", Some(NerLabel::Org)),
                ("Religious_ORG", Some(NerLabel::Org)),
                ("Entertainment", Some(NerLabel::Org)),
                ("Medical-Science", Some(NerLabel::Org)),
                ("Building-Grounds", Some(NerLabel::Misc)),
                ("Airport", Some(NerLabel::Misc)),
                ("Subarea-Facility", Some(NerLabel::Misc)),
                ("Plant", Some(NerLabel::Misc)),
                ("Software", Some(NerLabel::Misc)),
                ("Book", Some(NerLabel::Misc)),
                ("Hardware", Some(NerLabel::Misc)),
                ("Movie", Some(NerLabel::Misc)),
                ("Sound", Some(NerLabel::Misc)),
                ("Food", Some(NerLabel::Misc)),
                ("Drug", Some(NerLabel::Misc)),
                ("Air", Some(NerLabel::Misc)),
                ("Land", Some(NerLabel::Misc)),
                ("Water", Some(NerLabel::Misc)),
                ("Blunt", None),
                ("Chemical", None),
                ("Exploding", None),
                ("Nuclear", None),
                ("Projectile", None),
                ("Sharp", None),
                ("Shooting", None),
            ],
            TagMap::Wojood => &[
                ("PERS", Some(NerLabel::Pers)),
                ("ORG", Some(NerLabel::Org)),
                ("GPE", Some(NerLabel::Loc)),
                ("LOC", Some(NerLabel::Loc)),
                ("FAC", Some(NerLabel::Loc)),
                ("EVENT", Some(NerLabel::Misc)),
                ("PRODUCT", Some(NerLabel::Misc)),
                ("NORP", None),
                ("OCC", None),
                ("DATE", None),
                ("TIME", None),
                ("CARDINAL", None),
                ("ORDINAL", None),
                ("PERCENT", None),
                ("LANGUAGE", None),
                ("QUANTITY", None),
                ("WEBSITE", None),
                ("UNIT", None),
                ("LAW", None),
                ("MONEY", None),
                ("CURR", None),
            ],
            TagMap::Custom(v) => {
                return v
                    .iter()
                    .find(|(k, _)| k == ty)
                    .map(|(_, t)| *t)
                    .ok_or_else(|| format!("tag type `{ty}` is not in the tag map"))
            }
        };
        table
            .iter()
            .find(|(k, _)| *k == ty)
            .map(|(_, t)| *t)
            .ok_or_else(|| format!("unknown tag type `{ty}` for this tag map"))
    }
}

/// One raw tag: prefix and type.
fn split_tag(tag: &str) -> Result<Option<(bool, &str)>, String> {
    if tag == "O" {
        return Ok(None);
    }
    match tag.split_once('-') {
        Some(("B", ty)) if !ty.is_empty() => Ok(Some((true, ty))),
        Some(("I", ty)) if !ty.is_empty() => Ok(Some((false, ty))),
        _ => Err(format!(
            "malformed tag `{tag}` (expected O, B-TYPE or I-TYPE)"
        )),
    }
}

/// Spans (start, end exclusive, mapped label) of one column of raw tags, by conlleval's rule:
/// `raw[i]` is (is a B- tag, raw type or `None` for O, mapped label).
fn column_spans(
    raw: &[(bool, Option<&str>, Option<NerLabel>)],
) -> Vec<(usize, usize, Option<NerLabel>)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, Option<NerLabel>)> = None;
    let mut prev: Option<&str> = None;
    for (i, &(b, ty, lab)) in raw.iter().enumerate() {
        let cont = ty.is_some() && !b && prev == ty;
        if !cont {
            if let Some((s, l)) = cur.take() {
                out.push((s, i, l));
            }
            if ty.is_some() {
                cur = Some((i, lab));
            }
        }
        prev = ty;
    }
    if let Some((s, l)) = cur {
        out.push((s, raw.len(), l));
    }
    out
}

/// Parse a CoNLL file's text. `file` names it in errors.
pub fn parse(text: &str, file: &str, map: &TagMap) -> Result<Vec<Sentence>, ConllError> {
    let mut sents = Vec::new();
    let mut toks: Vec<String> = Vec::new();
    // per token: the raw tag columns as (line, column strings)
    let mut cols: Vec<(usize, Vec<String>)> = Vec::new();
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let flush = |toks: &mut Vec<String>,
                 cols: &mut Vec<(usize, Vec<String>)>,
                 sents: &mut Vec<Sentence>|
     -> Result<(), ConllError> {
        if toks.is_empty() {
            return Ok(());
        }
        let tags = sentence_tags(cols, file, map)?;
        let mut s = Sentence {
            tokens: std::mem::take(toks),
            tags,
        };
        if matches!(map, TagMap::Wikifane | TagMap::WikifaneFine) {
            s = join_clitics(s);
        }
        sents.push(s);
        cols.clear();
        Ok(())
    };
    for (i, line) in text.lines().enumerate() {
        let lineno = i + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut toks, &mut cols, &mut sents)?;
            continue;
        }
        let f: Vec<&str> = line.split_whitespace().collect();
        let err = |m: String| ConllError {
            file: file.to_string(),
            line: lineno,
            message: m,
        };
        let tag_cols: Vec<String> = match map {
            TagMap::Anercorp | TagMap::Custom(_) => {
                if f.len() != 2 && !(matches!(map, TagMap::Custom(_)) && f.len() > 2) {
                    return Err(err(format!(
                        "expected `token TAG` (2 fields), found {} field(s): `{line}`",
                        f.len()
                    )));
                }
                vec![f[f.len() - 1].to_string()]
            }
            TagMap::Wikifane | TagMap::WikifaneFine => {
                if f.len() != 3 {
                    return Err(err(format!(
                        "expected `token FINE_TAG COARSE_TAG` (3 fields), found {}: `{line}`",
                        f.len()
                    )));
                }
                let col = if *map == TagMap::Wikifane { 2 } else { 1 };
                vec![f[col].to_string()]
            }
            TagMap::Wojood => {
                if f.len() < 2 {
                    return Err(err(format!(
                        "expected `token TAG [TAG…]`, found 1 field: `{line}`"
                    )));
                }
                if f[0] == "$#$" {
                    continue;
                }
                f[1..].iter().map(|s| s.to_string()).collect()
            }
        };
        for t in &tag_cols {
            let st = split_tag(t).map_err(&err)?;
            if let Some((_, ty)) = st {
                map.map_type(ty).map_err(&err)?;
            }
        }
        toks.push(f[0].to_string());
        cols.push((lineno, tag_cols));
    }
    flush(&mut toks, &mut cols, &mut sents)?;
    Ok(sents)
}

fn sentence_tags(
    cols: &[(usize, Vec<String>)],
    file: &str,
    map: &TagMap,
) -> Result<Vec<Tag>, ConllError> {
    let n = cols.len();
    let levels = cols.iter().map(|c| c.1.len()).max().unwrap_or(1);
    let mut tags = vec![Tag::O; n];
    let mut taken = vec![false; n];
    for lv in 0..levels {
        let mut raw = Vec::with_capacity(n);
        for (line, c) in cols {
            let err = |m: String| ConllError {
                file: file.to_string(),
                line: *line,
                message: m,
            };
            match c.get(lv) {
                None => raw.push((false, None, None)),
                Some(t) => match split_tag(t).map_err(&err)? {
                    None => raw.push((false, None, None)),
                    Some((b, ty)) => raw.push((b, Some(ty), map.map_type(ty).map_err(&err)?)),
                },
            }
        }
        for (s, e, lab) in column_spans(&raw) {
            let Some(lab) = lab else { continue };
            if taken[s..e].iter().any(|&x| x) {
                continue;
            }
            for (k, slot) in tags[s..e].iter_mut().enumerate() {
                *slot = if k == 0 { Tag::B(lab) } else { Tag::I(lab) };
            }
            taken[s..e].iter_mut().for_each(|x| *x = true);
        }
    }
    Ok(tags)
}

const PROCLITICS: [&str; 7] = ["و", "ف", "ب", "ل", "ك", "س", "ال"];
const ENCLITICS: [&str; 10] = ["ه", "ها", "هم", "هما", "هن", "كم", "كن", "نا", "ني", "ي"];

fn is_arabic_word(s: &str) -> bool {
    s.chars().all(|c| ('\u{0621}'..='\u{064A}').contains(&c)) && !s.is_empty()
}

/// Join clitics written as tokens of their own back to their words (WikiFANE's segmentation):
/// proclitics to the next word (`ل` + `ال…` → `لل…`), pronouns to the previous one (`ة` → `ت`).
/// A joined token keeps the tag of its word.
pub fn join_clitics(s: Sentence) -> Sentence {
    let mut out = Sentence::default();
    let mut pending = String::new();
    let n = s.tokens.len();
    for (i, (tok, tag)) in s.tokens.into_iter().zip(s.tags).enumerate() {
        let next_is_word = i + 1 < n;
        if PROCLITICS.contains(&tok.as_str()) && next_is_word && tag == Tag::O {
            if pending.ends_with('ل') && tok == "ال" {
                pending.push('ل');
            } else {
                pending.push_str(&tok);
            }
            continue;
        }
        if !pending.is_empty() {
            if !is_arabic_word(&tok) {
                out.tokens.push(std::mem::take(&mut pending));
                out.tags.push(Tag::O);
            } else {
                let mut w = std::mem::take(&mut pending);
                if w.ends_with('ل') && tok.starts_with("ال") && tok.chars().count() > 2 {
                    w.push_str(&tok['ا'.len_utf8()..]);
                } else {
                    w.push_str(&tok);
                }
                out.tokens.push(w);
                out.tags.push(tag);
                continue;
            }
        }
        if ENCLITICS.contains(&tok.as_str()) && tag == Tag::O {
            if let Some(prev) = out.tokens.last_mut() {
                if is_arabic_word(prev) && !PROCLITICS.contains(&prev.as_str()) {
                    if prev.ends_with('ة') {
                        prev.pop();
                        prev.push('ت');
                    }
                    prev.push_str(&tok);
                    continue;
                }
            }
        }
        out.tokens.push(tok);
        out.tags.push(tag);
    }
    if !pending.is_empty() {
        out.tokens.push(pending);
        out.tags.push(Tag::O);
    }
    out
}

/// Split off the last tenth of the sentences as a development set: `(train, dev)`, the cut at
/// `n * 9 / 10` (the same cut as the CRFsuite anchor's `--dev`).
pub fn dev_split(mut sents: Vec<Sentence>) -> (Vec<Sentence>, Vec<Sentence>) {
    let cut = sents.len() * 9 / 10;
    let dev = sents.split_off(cut);
    (sents, dev)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn anercorp_and_iob1() {
        let s = parse(
            "a B-LOC\nb I-LOC\nc O\nd I-PERS\n\ne O\n",
            "f",
            &TagMap::Anercorp,
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(
            s[0].tags,
            vec![
                Tag::B(NerLabel::Loc),
                Tag::I(NerLabel::Loc),
                Tag::O,
                Tag::B(NerLabel::Pers)
            ]
        );
    }
    #[test]
    fn errors_name_line() {
        let e = parse("a O\nb\n", "x.txt", &TagMap::Anercorp).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("x.txt", 2));
        let e = parse("a O\nb B-PER\n", "x.txt", &TagMap::Anercorp).unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("PER"), "{}", e.message);
    }
    #[test]
    fn wojood_nested() {
        let t = "x B-OCC B-ORG\ny I-OCC I-ORG\nz I-OCC B-GPE\n$#$ O\n";
        let s = parse(t, "w", &TagMap::Wojood).unwrap();
        assert_eq!(s[0].tokens.len(), 3);
        assert_eq!(
            s[0].tags,
            vec![
                Tag::B(NerLabel::Org),
                Tag::I(NerLabel::Org),
                Tag::B(NerLabel::Loc)
            ]
        );
    }
    #[test]
    fn wikifane_clitics() {
        let t = "و O O\nتعتبر O O\nعاصمة O O\nها O O\nل O O\nال O O\nمدينة O O\nو O O\nجوبا B-Population-Center B-GPE\n";
        let s = parse(t, "w", &TagMap::Wikifane).unwrap();
        assert_eq!(s[0].tokens, vec!["وتعتبر", "عاصمتها", "للمدينة", "وجوبا"]);
        assert_eq!(s[0].tags[3], Tag::B(NerLabel::Loc));
        let s = parse(t, "w", &TagMap::WikifaneFine).unwrap();
        assert_eq!(s[0].tags[3], Tag::B(NerLabel::Loc));
    }
    #[test]
    fn custom_map() {
        let m = TagMap::parse("PER=PERS,GPE=LOC,X=O").unwrap();
        let s = parse("a B-PER\nb B-X\n", "c", &m).unwrap();
        assert_eq!(s[0].tags, vec![Tag::B(NerLabel::Pers), Tag::O]);
        assert!(parse("a B-ORG\n", "c", &m).is_err());
    }
}
