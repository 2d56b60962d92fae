//! Sentence splitting over the token stream.
//!
//! A sentence ends after `.` `!` `?` `؟` `؛` `…` (and runs of them, with any closing quotes or
//! brackets that follow), and at every line break. It does not end inside a number (3.5 and ٣٫٥
//! are one token), a URL or e-mail (one token), after an abbreviation (a single Latin capital,
//! a known Latin abbreviation such as `Mr.` or `U.S.`, or the Arabic one-letter abbreviations
//! د. أ. م. ص. ج. ق. when they stand alone), or inside a quotation that is closed later in the same
//! paragraph (a quote left open does not swallow the rest of the paragraph).

use crate::tokenize::{RawToken, TokenKind};

/// A half-open span of code points in the original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

fn is_terminal(s: &str) -> bool {
    s.chars()
        .all(|c| matches!(c, '.' | '!' | '?' | '؟' | '؛' | '…' | '۔'))
}

fn is_closer(s: &str) -> bool {
    s.chars()
        .all(|c| matches!(c, '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '}' | '›'))
}

const LATIN_ABBR: [&str; 16] = [
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "no", "gen", "col", "lt",
    "inc", "co",
];
const ARABIC_ABBR: [&str; 7] = ["د", "أ", "ا", "م", "ص", "ج", "ق"];

/// Quote characters: (char, opens, closes). `"` both opens and closes.
fn quote_role(s: &str) -> Option<(bool, bool, char)> {
    let mut ch = s.chars();
    let c = ch.next()?;
    if ch.next().is_some() {
        return None;
    }
    match c {
        '«' | '“' | '‹' => Some((true, false, c)),
        '»' | '”' | '›' => Some((false, true, c)),
        '"' => Some((true, true, c)),
        _ => None,
    }
}

fn matching(open: char, close: char) -> bool {
    matches!(
        (open, close),
        ('«', '»') | ('“', '”') | ('‹', '›') | ('"', '"') | ('“', '"') | ('"', '”')
    )
}

/// Split into sentences. `text` is the original text, `tokens` its tokens.
pub fn split_sentences(text: &str, tokens: &[RawToken]) -> Vec<Span> {
    let mut out = Vec::new();
    let slice = |t: &RawToken| &text[t.byte_start as usize..t.byte_end as usize];
    // paragraphs: token ranges separated by line breaks
    let mut para_start = 0usize;
    let mut i = 0usize;
    while i <= tokens.len() {
        let at_break = i == tokens.len()
            || (i > para_start
                && text[tokens[i - 1].byte_end as usize..tokens[i].byte_start as usize]
                    .contains('\n'));
        if at_break {
            if i > para_start {
                split_paragraph(&tokens[para_start..i], &slice, &mut out);
            }
            para_start = i;
        }
        i += 1;
    }
    out
}

fn split_paragraph<'a>(
    toks: &[RawToken],
    slice: &dyn Fn(&RawToken) -> &'a str,
    out: &mut Vec<Span>,
) {
    // 1. closed quotation ranges (token indices), by a stack; unmatched quotes are ignored
    let mut inside = vec![false; toks.len()];
    let mut stack: Vec<(usize, char)> = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if t.kind != TokenKind::Punct {
            continue;
        }
        if let Some((opens, closes, c)) = quote_role(slice(t)) {
            if closes {
                if let Some(pos) = stack.iter().rposition(|(_, o)| matching(*o, c)) {
                    let (s, _) = stack[pos];
                    stack.truncate(pos);
                    for x in inside.iter_mut().take(k).skip(s + 1) {
                        *x = true;
                    }
                    continue;
                }
            }
            if opens {
                stack.push((k, c));
            }
        }
    }
    // 2. boundaries
    let mut start = 0usize;
    let mut k = 0usize;
    while k < toks.len() {
        let t = &toks[k];
        let s = slice(t);
        let mut boundary = false;
        if t.kind == TokenKind::Punct && is_terminal(s) && !inside[k] {
            boundary = !(s == "."
                && k > 0
                && is_abbreviation(&toks[k - 1], slice(&toks[k - 1]), toks.get(k + 1)));
        }
        if boundary {
            let mut end = k;
            while end + 1 < toks.len()
                && toks[end + 1].kind == TokenKind::Punct
                && is_closer(slice(&toks[end + 1]))
            {
                end += 1;
            }
            out.push(Span {
                start: toks[start].start,
                end: toks[end].end,
            });
            start = end + 1;
            k = end + 1;
            continue;
        }
        k += 1;
    }
    if start < toks.len() {
        out.push(Span {
            start: toks[start].start,
            end: toks[toks.len() - 1].end,
        });
    }
}

fn is_abbreviation(prev: &RawToken, s: &str, next: Option<&RawToken>) -> bool {
    match prev.kind {
        TokenKind::Latin => {
            let lower = s.to_ascii_lowercase();
            (s.chars().count() == 1 && s.chars().all(|c| c.is_uppercase()))
                || LATIN_ABBR.contains(&lower.as_str())
                || s.contains('.')
        }
        TokenKind::Arabic => {
            // د. محمد — a one-letter abbreviation followed directly by a word
            ARABIC_ABBR.contains(&s)
                && prev.end - prev.start == 1
                && next.is_some_and(|n| n.kind == TokenKind::Arabic)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    fn sents(s: &str) -> Vec<String> {
        let t = tokenize(s);
        let chars: Vec<char> = s.chars().collect();
        split_sentences(s, &t)
            .into_iter()
            .map(|sp| chars[sp.start as usize..sp.end as usize].iter().collect())
            .collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("قال الرئيس. ثم غادر!", &["قال الرئيس.", "ثم غادر!"]),
            ("هل وصل؟ نعم؛ وصل", &["هل وصل؟", "نعم؛", "وصل"]),
            (
                "بلغت النسبة 3.5 بالمئة. انتهى",
                &["بلغت النسبة 3.5 بالمئة.", "انتهى"],
            ),
            ("بلغت ٣٫٥ بالمئة", &["بلغت ٣٫٥ بالمئة"]),
            (
                "قال د. محمد إن الوضع هادئ.",
                &["قال د. محمد إن الوضع هادئ."],
            ),
            (
                "زوروا www.example.com. شكرا",
                &["زوروا www.example.com.", "شكرا"],
            ),
            (
                "قال: «لن نقبل. أبدا». ثم خرج.",
                &["قال: «لن نقبل. أبدا».", "ثم خرج."],
            ),
            ("قال: «لن نقبل. ثم خرج.", &["قال: «لن نقبل.", "ثم خرج."]),
            ("السطر الأول\nالسطر الثاني", &["السطر الأول", "السطر الثاني"]),
            ("The U.S. army left. Then", &["The U.S. army left.", "Then"]),
            ("", &[]),
            ("...", &["..."]),
        ];
        for (i, want) in cases {
            assert_eq!(
                sents(i),
                want.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "input {i:?}"
            );
        }
    }
}
