//! Arabic normalisation with a map back to the original text.
//!
//! Two normal forms (see `ARCHITECTURE.md`):
//!
//! * **match form** — used by NER, dictionaries and aliases:
//!   - أ إ آ ٱ ٲ ٳ → ا ; ى and Persian ی → ي ; ک ڪ → ك ; ہ ە ۀ → ه
//!   - ؤ and ئ → ء (the *hamza convention* of marsad: a hamza on a seat is folded to the bare
//!     hamza, so that مسؤول and مسئول, رئيس and رءيس meet; ي and و stay distinct letters)
//!   - tashkeel (U+064B–U+065F, U+0670, U+06D6–U+06ED), tatweel U+0640, zero-width and bidi
//!     controls (U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF, U+061C, U+00AD) are removed
//!   - Arabic-Indic (٠–٩) and Persian (۰–۹) digits → ASCII; ٫ → `.` and ٬ → `,`
//!   - presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF), lam-alef ligatures included, are
//!     decomposed by NFKC and then folded as above
//!   - ASCII letters are lower-cased
//! * **search form** — match form, plus ة → ه, plus light stemming ([`crate::stem`]).
//!
//! Every function here is total: any string in, a string out, never a panic. Both forms are
//! idempotent (`f(f(x)) == f(x)`), which the property tests check.

use unicode_normalization::UnicodeNormalization;

/// What to do with one input character.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Action {
    Keep,
    Drop,
    Map(char),
    /// presentation form: decompose with NFKC, then fold each output char
    Decompose,
}

#[inline]
fn action(c: char) -> Action {
    let u = c as u32;
    if u < 0x80 {
        return if c.is_ascii_uppercase() {
            Action::Map(c.to_ascii_lowercase())
        } else {
            Action::Keep
        };
    }
    match u {
        0x00AD => Action::Drop,
        0x0600..=0x06FF => ARABIC_TABLE[(u - 0x0600) as usize],
        0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF => Action::Drop,
        0xFB50..=0xFDFF | 0xFE70..=0xFEFE => Action::Decompose,
        _ => Action::Keep,
    }
}

const fn build_table() -> [Action; 256] {
    let mut t = [Action::Keep; 256];
    let mut i = 0x4B;
    while i <= 0x5F {
        t[i] = Action::Drop;
        i += 1;
    }
    t[0x70] = Action::Drop; // superscript alef
    let mut i = 0xD6;
    while i <= 0xED {
        t[i] = Action::Drop; // Quranic annotation marks
        i += 1;
    }
    t[0xDD] = Action::Keep; // end of ayah is a sign, not a mark
    t[0xDE] = Action::Keep;
    t[0xE9] = Action::Keep;
    t[0x40] = Action::Drop; // tatweel
    t[0x1C] = Action::Drop; // Arabic letter mark
    t[0x23] = Action::Map('ا'); // أ
    t[0x25] = Action::Map('ا'); // إ
    t[0x22] = Action::Map('ا'); // آ
    t[0x71] = Action::Map('ا'); // ٱ
    t[0x72] = Action::Map('ا'); // ٲ
    t[0x73] = Action::Map('ا'); // ٳ
    t[0x75] = Action::Map('ا'); // ٵ
    t[0x24] = Action::Map('ء'); // ؤ
    t[0x26] = Action::Map('ء'); // ئ
    t[0x49] = Action::Map('ي'); // ى
    t[0xCC] = Action::Map('ي'); // Persian yeh
    t[0xD0] = Action::Map('ي'); // yeh with two dots below
    t[0xA9] = Action::Map('ك'); // keheh
    t[0xAA] = Action::Map('ك'); // swash kaf
    t[0xC1] = Action::Map('ه'); // heh goal
    t[0xD5] = Action::Map('ه'); // ae
    t[0xC0] = Action::Map('ه'); // heh with yeh above
    t[0xBE] = Action::Map('ه'); // heh doachashmee
    t[0x6B] = Action::Map('.'); // Arabic decimal separator
    t[0x6C] = Action::Map(','); // Arabic thousands separator
    let digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    let mut d = 0;
    while d < 10 {
        t[0x60 + d] = Action::Map(digits[d]);
        t[0xF0 + d] = Action::Map(digits[d]);
        d += 1;
    }
    t
}

static ARABIC_TABLE: [Action; 256] = build_table();

/// Fold one already-decomposed character (never a presentation form) into the match form.
#[inline]
fn fold_simple(c: char, out: &mut impl FnMut(char)) {
    match action(c) {
        Action::Keep => out(c),
        Action::Drop => {}
        Action::Map(m) => out(m),
        Action::Decompose => {
            // NFKC may yield another presentation form only in pathological cases; keep it then.
            for d in c.nfkc() {
                match action(d) {
                    Action::Keep | Action::Decompose => out(d),
                    Action::Drop => {}
                    Action::Map(m) => out(m),
                }
            }
        }
    }
}

/// Fold one character of the original text, calling `out` for each match-form character.
#[inline]
pub fn fold_char(c: char, mut out: impl FnMut(char)) {
    fold_simple(c, &mut out)
}

/// Is this character removed by the match form (a mark, tatweel, or an invisible control)?
#[inline]
pub fn is_ignorable(c: char) -> bool {
    action(c) == Action::Drop
}

/// Match form of `text` (no offset map). Fast path for tokens and dictionaries.
pub fn match_form(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    match_form_into(text, &mut s);
    s
}

/// Append the match form of `text` to `out`.
#[inline]
pub fn match_form_into(text: &str, out: &mut String) {
    for c in text.chars() {
        fold_simple(c, &mut |m| out.push(m));
    }
}

/// Search form of a whole text (match form, ة → ه), **without** stemming; stemming is per token,
/// see [`crate::stem::search_stem`].
pub fn search_fold(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        fold_simple(c, &mut |m| s.push(if m == 'ة' { 'ه' } else { m }));
    }
    s
}

/// A normalised text with, for every normalised character, the code-point offset of the
/// original character it came from (charabia's `char_map`, in code points).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Normalized {
    /// the normalised text
    pub text: String,
    /// `map[i]` = code-point offset in the original of normalised char `i`;
    /// `map[len]` = the original length in code points (so half-open spans map cleanly).
    pub map: Vec<u32>,
}

impl Normalized {
    /// Map a half-open span of normalised code points back to a span of original code points.
    /// The end is exclusive and lands after the last original character that contributed.
    pub fn to_original(&self, start: usize, end: usize) -> (usize, usize) {
        let n = self.map.len().saturating_sub(1);
        let s = start.min(n);
        let e = end.min(n);
        if e <= s {
            let o = self.map[s] as usize;
            return (o, o);
        }
        let os = self.map[s] as usize;
        // end: one past the original char of the last normalised char, extended over the
        // removed characters (marks, tatweel) that follow it
        let last = self.map[e - 1] as usize + 1;
        (os, last.max(self.map[e] as usize))
    }
}

/// Match form with a map back to original code-point offsets.
pub fn normalize_match(text: &str) -> Normalized {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() / 2 + 1);
    let mut n = 0u32;
    for (i, c) in text.chars().enumerate() {
        fold_simple(c, &mut |m| {
            out.push(m);
            map.push(i as u32);
        });
        n = i as u32 + 1;
    }
    map.push(n);
    Normalized { text: out, map }
}

/// Search form (match form + ة → ه, no stemming) with a map back to the original.
pub fn normalize_search(text: &str) -> Normalized {
    let mut n = normalize_match(text);
    if n.text.contains('ة') {
        n.text = n.text.replace('ة', "ه");
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_table() {
        let cases = [
            ("أحمد", "احمد"),
            ("إيران", "ايران"),
            ("آمال", "امال"),
            ("ٱلله", "الله"),
            ("مستشفى", "مستشفي"),
            ("مسؤول", "مسءول"),
            ("مسئول", "مسءول"),
            ("رئيس", "رءيس"),
            ("مُحَمَّدٌ", "محمد"),
            ("العـــراق", "العراق"),
            ("٢٠٢٠", "2020"),
            ("۱۴۰۰", "1400"),
            ("٣٫٥", "3.5"),
            ("ﻻ", "لا"),
            ("ﷲ", "الله"),
            ("کتاب", "كتاب"),
            ("ی", "ي"),
            ("a\u{200f}b\u{200c}c", "abc"),
            ("Trump", "trump"),
            ("مدرسة", "مدرسة"),
        ];
        for (i, o) in cases {
            assert_eq!(match_form(i), o, "input {i}");
        }
        assert_eq!(search_fold("مدرسة"), "مدرسه");
    }

    #[test]
    fn map_back() {
        let t = "قالَ ﻻ";
        let n = normalize_match(t);
        assert_eq!(n.text, "قال لا");
        // the two letters of the ligature both point at the ligature
        assert_eq!(n.map, vec![0, 1, 2, 4, 5, 5, 6]);
        assert_eq!(n.to_original(4, 6), (5, 6));
        // the fatha removed after قال belongs to the span
        assert_eq!(n.to_original(0, 3), (0, 4));
    }
}
