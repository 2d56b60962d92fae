//! Training sentences from *stand-off* annotations of news articles.
//!
//! An annotation file names sentences of articles by code-point offsets and gives their
//! entities the same way, so the repository holds our labels but not the articles' text (the
//! texts are read by path, e.g. `../shared/data/news/saudinewsnet-early.jsonl`). Format, one
//! annotated sentence a line, tab-separated; `#` starts a comment line:
//!
//! ```text
//! # article  start  end  entities        (the fields are separated by tabs)
//! snn-06635  0      97   34:40:LOC 52:57:ORG
//! snn-06635  98     160
//! ```
//!
//! * `article`: the `id` of a JSON Lines record; its `content` is the text;
//! * `start`, `end`: the sentence, code points of `content`, end exclusive;
//! * `entities` (may be empty): `start:end:TYPE` items separated by spaces, in the same
//!   coordinates, inside the sentence, not overlapping; TYPE is `PERS`, `LOC`, `ORG` or `MISC`.
//!
//! The sentence is cut into tokens the way ANERcorp is ([`news_tokens`]: whitespace, then each
//! punctuation mark a token of its own, a decimal point kept inside its number), and each token
//! takes the tag of the entity that covers it. An entity must begin and end on token
//! boundaries; one that does not, an unknown article, or offsets outside the text are errors
//! naming the file and line.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use crate::conll::{ConllError, Sentence};
use crate::{NerLabel, Tag};

/// Characters that are tokens of their own in ANERcorp-style tokenisation.
const PUNCT: &str = "،؛؟,.:;!?\"«»()[]{}“”„‘’'/\\|…–—-";

/// ANERcorp-style tokens of `text` as code-point ranges `(start, end)`: split on whitespace,
/// then every punctuation mark is a token of its own, except a `.` right after a digit inside a
/// word (`1.7%`, `0.79`); a token ending in `.` (`2015.`) gives the `.` back.
pub fn news_tokens(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut cur: Option<usize> = None; // start of the token being built
    let close = |out: &mut Vec<(usize, usize)>, s: usize, e: usize| {
        if e - s > 1 && chars[e - 1] == '.' {
            out.push((s, e - 1));
            out.push((e - 1, e));
        } else {
            out.push((s, e));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            if let Some(s) = cur.take() {
                close(&mut out, s, i);
            }
        } else if PUNCT.contains(c) {
            if c == '.' && cur.is_some() && chars[i - 1].is_ascii_digit() {
                continue; // inside a number: stays in the token
            }
            if let Some(s) = cur.take() {
                close(&mut out, s, i);
            }
            out.push((i, i + 1));
        } else if cur.is_none() {
            cur = Some(i);
        }
    }
    if let Some(s) = cur {
        close(&mut out, s, chars.len());
    }
    out
}

/// Parse an annotation file's text against the articles' contents (`id` → `content`, owned or
/// borrowed strings); `file` names it in errors. Returns one [`Sentence`] per annotated
/// sentence, in file order.
pub fn parse<K, V, H>(
    text: &str,
    file: &str,
    contents: &HashMap<K, V, H>,
) -> Result<Vec<Sentence>, ConllError>
where
    K: Borrow<str> + Hash + Eq,
    V: AsRef<str>,
    H: BuildHasher,
{
    let mut out = Vec::new();
    // each article's text as chars, converted once
    let mut chars: HashMap<&str, Vec<char>> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let err = |message: String| ConllError {
            file: file.to_string(),
            line: i + 1,
            message,
        };
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 3 || f.len() > 4 {
            return Err(err(format!(
                "expected `article<TAB>start<TAB>end[<TAB>entities]`, found {} field(s)",
                f.len()
            )));
        }
        let num = |s: &str, what: &str| {
            s.trim()
                .parse::<usize>()
                .map_err(|_| err(format!("{what} `{s}` is not a number")))
        };
        let (s0, e0) = (num(f[1], "start")?, num(f[2], "end")?);
        let Some(content) = contents.get(f[0]) else {
            return Err(err(format!(
                "article `{}` is not in the news given (pass the JSON Lines file that holds it with --unlabeled)",
                f[0]
            )));
        };
        let cs = chars
            .entry(f[0])
            .or_insert_with(|| content.as_ref().chars().collect());
        if s0 >= e0 || e0 > cs.len() {
            return Err(err(format!(
                "sentence {s0}..{e0} is empty or outside the article ({} characters)",
                cs.len()
            )));
        }
        let sentence: String = cs[s0..e0].iter().collect();
        let toks: Vec<(usize, usize)> = news_tokens(&sentence)
            .into_iter()
            .map(|(a, b)| (a + s0, b + s0))
            .collect();
        let mut tags = vec![Tag::O; toks.len()];
        for item in f.get(3).map_or("", |s| s.trim()).split_whitespace() {
            let p: Vec<&str> = item.split(':').collect();
            let bad = || err(format!("entity `{item}`: expected start:end:TYPE"));
            if p.len() != 3 {
                return Err(bad());
            }
            let (a, b) = (num(p[0], "entity start")?, num(p[1], "entity end")?);
            let label = NerLabel::parse(p[2]).ok_or_else(|| {
                err(format!(
                    "entity `{item}`: unknown type `{}` (PERS, LOC, ORG or MISC)",
                    p[2]
                ))
            })?;
            let first = toks.iter().position(|t| t.0 == a);
            let last = toks.iter().position(|t| t.1 == b);
            let (Some(first), Some(last)) = (first, last) else {
                return Err(err(format!(
                    "entity `{item}` does not begin and end on token boundaries of sentence {s0}..{e0}"
                )));
            };
            if last < first || tags[first..=last].iter().any(|t| *t != Tag::O) {
                return Err(err(format!("entity `{item}` is empty or overlaps another")));
            }
            tags[first] = Tag::B(label);
            for t in &mut tags[first + 1..=last] {
                *t = Tag::I(label);
            }
        }
        let tokens = toks
            .iter()
            .map(|&(a, b)| cs[a..b].iter().collect())
            .collect();
        out.push(Sentence { tokens, tags });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        let c: Vec<char> = s.chars().collect();
        news_tokens(s)
            .into_iter()
            .map(|(a, b)| c[a..b].iter().collect())
            .collect()
    }

    #[test]
    fn tokens_as_anercorp() {
        let table: &[(&str, &[&str])] = &[
            (
                "كرم “طيران ناس” قائد",
                &["كرم", "“", "طيران", "ناس", "”", "قائد"],
            ),
            ("بنسبة 1.7% ليصل", &["بنسبة", "1.7%", "ليصل"]),
            ("في عام 2015.", &["في", "عام", "2015", "."]),
            ("الرياض - الوئام :", &["الرياض", "-", "الوئام", ":"]),
            ("(واس)،وقال", &["(", "واس", ")", "،", "وقال"]),
            ("", &[]),
        ];
        for (text, want) in table {
            assert_eq!(toks(text), *want, "{text}");
        }
    }

    fn contents() -> HashMap<String, String> {
        HashMap::from([(
            "a1".to_string(),
            "التقى الأمير محمد بن سلمان في جدة. وقال لـ«الشرق الأوسط» إن".to_string(),
        )])
    }

    #[test]
    fn sentences_and_tags() {
        let s = parse(
            "# comment\na1\t0\t34\t13:26:PERS 30:33:LOC\na1\t35\t59\t43:55:ORG\n",
            "f.tsv",
            &contents(),
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        let shown: Vec<String> = s[0]
            .tokens
            .iter()
            .zip(&s[0].tags)
            .map(|(w, t)| format!("{w}/{}", t.as_string()))
            .collect();
        assert_eq!(
            shown.join(" "),
            "التقى/O الأمير/O محمد/B-PERS بن/I-PERS سلمان/I-PERS في/O جدة/B-LOC ./O"
        );
        assert_eq!(s[1].tokens[..4], ["وقال", "لـ", "«", "الشرق"]);
        assert_eq!(
            s[1].tags[3..6],
            [Tag::B(NerLabel::Org), Tag::I(NerLabel::Org), Tag::O]
        );
    }

    #[test]
    fn errors_name_the_line() {
        let c = contents();
        let cases = [
            ("a1\t0\n", "f.tsv:1: expected"),
            ("\na2\t0\t5\n", "f.tsv:2: article `a2` is not in the news"),
            ("a1\t0\t500\n", "outside the article"),
            ("a1\t0\t34\t14:26:PERS\n", "token boundaries"),
            ("a1\t0\t34\t13:26:PER\n", "unknown type `PER`"),
            ("a1\t0\t34\t13:26:PERS 18:26:LOC\n", "overlaps"),
            ("a1\tx\t34\n", "start `x` is not a number"),
        ];
        for (text, want) in cases {
            let e = parse(text, "f.tsv", &c).unwrap_err().to_string();
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }
}
