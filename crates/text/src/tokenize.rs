//! Tokeniser: words (Arabic, Latin), numbers (ASCII, Arabic-Indic, Persian), punctuation, URLs,
//! e-mails, hashtags and @mentions, each with code-point and byte offsets into the original text.
//!
//! One pass over the characters, no allocation per token, no backtracking beyond a URL or
//! e-mail candidate. Marks (tashkeel, tatweel) and zero-width characters inside a word belong to
//! the word; a stray mark at the start of a word is attached to that word.

use serde::Serialize;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// a word in Arabic script
    Arabic,
    /// a word in another script (Latin, Cyrillic …), digits allowed after the first letter
    Latin,
    /// a number, with internal separators: 3.5, ٣٫٥, 1,000, 12:30, 2020/08/19
    Number,
    /// punctuation or a symbol (a run of the same character is one token: `...`, `؟؟`)
    Punct,
    Url,
    Email,
    Hashtag,
    Mention,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::Arabic => "arabic",
            TokenKind::Latin => "latin",
            TokenKind::Number => "number",
            TokenKind::Punct => "punct",
            TokenKind::Url => "url",
            TokenKind::Email => "email",
            TokenKind::Hashtag => "hashtag",
            TokenKind::Mention => "mention",
        }
    }
    /// Words that carry meaning (Arabic or Latin words, hashtags).
    pub fn is_word(self) -> bool {
        matches!(
            self,
            TokenKind::Arabic | TokenKind::Latin | TokenKind::Hashtag
        )
    }
}

/// A raw token: offsets only. [`crate::Token`] adds normal forms and segmentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawToken {
    pub kind: TokenKind,
    /// code-point offsets into the original text, end exclusive
    pub start: u32,
    pub end: u32,
    /// byte offsets into the original text, end exclusive
    pub byte_start: u32,
    pub byte_end: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Class {
    Arabic,
    Mark,
    Digit,
    Letter,
    Space,
    Ignorable,
    Punct,
}

const fn arabic_block_class(i: usize) -> Class {
    let u = 0x0600 + i as u32;
    match u {
        0x0660..=0x0669 | 0x06F0..=0x06F9 => Class::Digit,
        0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E8 | 0x06EA..=0x06ED | 0x0640 => {
            Class::Mark
        }
        0x0621..=0x063F | 0x0641..=0x064A | 0x066E..=0x066F | 0x0671..=0x06D3 | 0x06D5 => {
            Class::Arabic
        }
        0x06EE..=0x06EF | 0x06FA..=0x06FC | 0x06FF => Class::Arabic,
        0x061C => Class::Ignorable,
        _ => Class::Punct, // ، ؛ ؟ ٪ ٫ ٬ ۔ etc.
    }
}

const fn build_block() -> [Class; 256] {
    let mut t = [Class::Punct; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = arabic_block_class(i);
        i += 1;
    }
    t
}

static ARABIC_BLOCK: [Class; 256] = build_block();

#[inline(always)]
pub(crate) fn class(c: char) -> Class {
    let u = c as u32;
    if (0x0600..=0x06FF).contains(&u) {
        return ARABIC_BLOCK[(u - 0x0600) as usize];
    }
    if u < 0x80 {
        return if c.is_ascii_alphabetic() {
            Class::Letter
        } else if c.is_ascii_digit() {
            Class::Digit
        } else if c.is_ascii_whitespace() {
            Class::Space
        } else if c == '_' {
            Class::Letter
        } else {
            Class::Punct
        };
    }
    match u {
        0x0660..=0x0669 | 0x06F0..=0x06F9 => Class::Digit,
        0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E8 | 0x06EA..=0x06ED | 0x0640 => {
            Class::Mark
        }
        0x0621..=0x063F | 0x0641..=0x064A | 0x066E..=0x066F | 0x0671..=0x06D3 | 0x06D5 => {
            Class::Arabic
        }
        0x06EE..=0x06EF | 0x06FA..=0x06FC | 0x06FF => Class::Arabic,
        0x0750..=0x077F | 0x08A0..=0x08C9 => Class::Arabic,
        0x08CA..=0x08FF => Class::Mark,
        0xFB50..=0xFDFB => Class::Arabic,
        0xFE70..=0xFEFC => Class::Arabic,
        0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF | 0x061C | 0x00AD => {
            Class::Ignorable
        }
        0x0600..=0x06FF => Class::Punct, // ، ؛ ؟ ٪ ٫ ٬ ۔ etc.
        _ => {
            if c.is_whitespace() {
                Class::Space
            } else if c.is_alphabetic() {
                Class::Letter
            } else if c.is_numeric() {
                Class::Digit
            } else if is_combining(c) {
                Class::Mark
            } else {
                Class::Punct
            }
        }
    }
}

#[inline]
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Tokenise `text`, calling `f` for every token in order.
pub fn tokenize_with(text: &str, mut f: impl FnMut(RawToken)) {
    let bytes = text.as_bytes();
    let mut it = Scanner::new(text);
    while let Some((b0, c0, cls0)) = it.peek() {
        let start_char = it.char_pos;
        match cls0 {
            Class::Space | Class::Ignorable => {
                it.bump();
            }
            Class::Arabic | Class::Mark => {
                // an Arabic word: letters, marks and invisible joiners; a leading mark belongs here
                let mut has_letter = cls0 == Class::Arabic;
                it.bump();
                while let Some((_, _, cl)) = it.peek() {
                    match cl {
                        Class::Arabic => has_letter = true,
                        Class::Mark => {}
                        Class::Ignorable => {
                            // only inside a word: followed by a letter or mark
                            if !matches!(it.peek2_class(), Some(Class::Arabic | Class::Mark)) {
                                break;
                            }
                        }
                        _ => break,
                    }
                    it.bump();
                }
                if !has_letter {
                    // a run of stray marks (or tatweel) only: attach it to a following Latin
                    // word is wrong, so emit it as punctuation
                    f(it.token(TokenKind::Punct, start_char, b0));
                } else {
                    f(it.token(TokenKind::Arabic, start_char, b0));
                }
            }
            Class::Digit => {
                it.bump();
                scan_number(&mut it);
                // a number immediately followed by Latin letters (10km, 3D, 5G): keep together
                f(it.token(TokenKind::Number, start_char, b0));
            }
            Class::Letter => {
                // URL / e-mail candidates first
                if let Some(end) = url_end(&text[b0..]) {
                    it.advance_to(b0 + end);
                    f(it.token(TokenKind::Url, start_char, b0));
                    continue;
                }
                if let Some(end) = email_end(&text[b0..]) {
                    it.advance_to(b0 + end);
                    f(it.token(TokenKind::Email, start_char, b0));
                    continue;
                }
                it.bump();
                while let Some((_, c, cl)) = it.peek() {
                    match cl {
                        Class::Letter | Class::Digit | Class::Mark => {}
                        Class::Punct if (c == '\'' || c == '’' || c == '.') => {
                            // O'Brien, U.S. — an apostrophe or dot between letters
                            if !matches!(it.peek2_class(), Some(Class::Letter)) {
                                break;
                            }
                            if c == '.' && !single_letters_before(&bytes[b0..it.byte_pos]) {
                                break;
                            }
                        }
                        _ => break,
                    }
                    it.bump();
                }
                f(it.token(TokenKind::Latin, start_char, b0));
            }
            Class::Punct => {
                if (c0 == '#' || c0 == '@')
                    && matches!(
                        it.peek2_class(),
                        Some(Class::Arabic | Class::Letter | Class::Digit)
                    )
                {
                    if c0 == '@' {
                        // an e-mail cannot start with @; a mention
                    }
                    it.bump();
                    while let Some((_, c, cl)) = it.peek() {
                        let ok = matches!(
                            cl,
                            Class::Arabic | Class::Letter | Class::Digit | Class::Mark
                        ) || (c == '_');
                        if !ok {
                            break;
                        }
                        it.bump();
                    }
                    let kind = if c0 == '#' {
                        TokenKind::Hashtag
                    } else {
                        TokenKind::Mention
                    };
                    f(it.token(kind, start_char, b0));
                    continue;
                }
                it.bump();
                // a run of the same punctuation character is one token
                while let Some((_, c, _)) = it.peek() {
                    if c != c0 {
                        break;
                    }
                    it.bump();
                }
                f(it.token(TokenKind::Punct, start_char, b0));
            }
        }
    }
}

/// Tokenise into a vector.
pub fn tokenize(text: &str) -> Vec<RawToken> {
    let mut v = Vec::with_capacity(text.len() / 6 + 1);
    tokenize_with(text, |t| v.push(t));
    v
}

fn single_letters_before(b: &[u8]) -> bool {
    // "U.S" style: every dot-separated part so far is a single letter
    b.split(|&x| x == b'.').all(|p| p.len() <= 1)
}

fn scan_number(it: &mut Scanner) {
    loop {
        match it.peek() {
            Some((_, _, Class::Digit)) => it.bump(),
            Some((_, '.' | ',' | '٫' | '٬' | ':' | '/', Class::Punct)) => {
                if matches!(it.peek2_class(), Some(Class::Digit)) {
                    it.bump();
                } else {
                    return;
                }
            }
            Some((_, c, Class::Letter)) if c.is_ascii_alphabetic() => {
                // 10km, 3D, 5G, 2020s — letters glued to a number
                it.bump();
                while let Some((_, c, Class::Letter)) = it.peek() {
                    if !c.is_ascii_alphabetic() {
                        break;
                    }
                    it.bump();
                }
                return;
            }
            _ => return,
        }
    }
}

fn url_end(s: &str) -> Option<usize> {
    let lower_starts =
        |p: &str| s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if !(lower_starts("http://") || lower_starts("https://") || lower_starts("www.")) {
        return None;
    }
    let mut end = 0;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() || matches!(c, '"' | '<' | '>' | '«' | '»' | '“' | '”' | '،' | '؛')
        {
            break;
        }
        end = i + c.len_utf8();
    }
    // trailing punctuation is not part of the URL
    let t = s[..end].trim_end_matches(['.', ',', ')', ']', '!', '?', ':', ';', '\'', '؟']);
    if t.len() <= 8 {
        return None;
    }
    Some(t.len())
}

fn email_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len()
        && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'.' | b'_' | b'%' | b'+' | b'-'))
    {
        i += 1;
    }
    if i == 0 || i >= b.len() || b[i] != b'@' {
        return None;
    }
    i += 1;
    let dstart = i;
    let mut last_dot = None;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || matches!(b[i], b'.' | b'-')) {
        if b[i] == b'.' {
            last_dot = Some(i);
        }
        i += 1;
    }
    // strip a trailing dot
    while i > dstart && b[i - 1] == b'.' {
        i -= 1;
    }
    match last_dot {
        Some(d) if d > dstart && d + 1 < i => Some(i),
        _ => None,
    }
}

struct Scanner<'a> {
    text: &'a str,
    byte_pos: usize,
    char_pos: u32,
    /// the character at `byte_pos` and its class (decoded once)
    cur: Option<(char, Class)>,
}

#[inline]
fn decode_at(text: &str, pos: usize) -> Option<(char, Class)> {
    let b = *text.as_bytes().get(pos)?;
    if b < 0x80 {
        let c = b as char;
        return Some((c, class(c)));
    }
    if b & 0xE0 == 0xC0 {
        // two-byte sequence (all of Arabic): decode by hand; `text` is valid UTF-8
        let b2 = text.as_bytes()[pos + 1];
        let c = char::from_u32(((b as u32 & 0x1F) << 6) | (b2 as u32 & 0x3F))?;
        return Some((c, class(c)));
    }
    let c = text[pos..].chars().next()?;
    Some((c, class(c)))
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Scanner {
            text,
            byte_pos: 0,
            char_pos: 0,
            cur: decode_at(text, 0),
        }
    }
    #[inline]
    fn peek(&self) -> Option<(usize, char, Class)> {
        self.cur.map(|(c, k)| (self.byte_pos, c, k))
    }
    #[inline]
    fn peek2_class(&self) -> Option<Class> {
        let (c, _) = self.cur?;
        decode_at(self.text, self.byte_pos + c.len_utf8()).map(|x| x.1)
    }
    #[inline]
    fn bump(&mut self) {
        if let Some((c, _)) = self.cur {
            self.byte_pos += c.len_utf8();
            self.char_pos += 1;
            self.cur = decode_at(self.text, self.byte_pos);
        }
    }
    fn advance_to(&mut self, byte: usize) {
        while self.byte_pos < byte && self.cur.is_some() {
            self.bump();
        }
    }
    #[inline]
    fn token(&self, kind: TokenKind, start: u32, byte_start: usize) -> RawToken {
        RawToken {
            kind,
            start,
            end: self.char_pos,
            byte_start: byte_start as u32,
            byte_end: self.byte_pos as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(TokenKind, String)> {
        tokenize(s)
            .into_iter()
            .map(|t| {
                (
                    t.kind,
                    s[t.byte_start as usize..t.byte_end as usize].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn table() {
        use TokenKind::*;
        let cases: &[(&str, &[(TokenKind, &str)])] = &[
            (
                "قال الرئيس.",
                &[(Arabic, "قال"), (Arabic, "الرئيس"), (Punct, ".")],
            ),
            (
                "بلغ ٣٫٥ مليون",
                &[(Arabic, "بلغ"), (Number, "٣٫٥"), (Arabic, "مليون")],
            ),
            (
                "نسبة 3.5% و1,000",
                &[
                    (Arabic, "نسبة"),
                    (Number, "3.5"),
                    (Punct, "%"),
                    (Arabic, "و"),
                    (Number, "1,000"),
                ],
            ),
            (
                "زوروا https://example.com/a?b=1.",
                &[
                    (Arabic, "زوروا"),
                    (Url, "https://example.com/a?b=1"),
                    (Punct, "."),
                ],
            ),
            (
                "راسلونا info@marsad.org، شكرا",
                &[
                    (Arabic, "راسلونا"),
                    (Email, "info@marsad.org"),
                    (Punct, "،"),
                    (Arabic, "شكرا"),
                ],
            ),
            (
                "#العراق_ينتفض الآن",
                &[(Hashtag, "#العراق_ينتفض"), (Arabic, "الآن")],
            ),
            (
                "هل؟؟ نعم...",
                &[
                    (Arabic, "هل"),
                    (Punct, "؟؟"),
                    (Arabic, "نعم"),
                    (Punct, "..."),
                ],
            ),
            ("مُحَمَّد", &[(Arabic, "مُحَمَّد")]),
            ("َمحمد", &[(Arabic, "َمحمد")]),
            (
                "U.S. forces",
                &[(Latin, "U.S"), (Punct, "."), (Latin, "forces")],
            ),
            (
                "F-16 وطائرات",
                &[
                    (Latin, "F"),
                    (Punct, "-"),
                    (Number, "16"),
                    (Arabic, "وطائرات"),
                ],
            ),
            ("\u{200f}الرياض\u{200f}", &[(Arabic, "الرياض")]),
            ("كوفيد19", &[(Arabic, "كوفيد"), (Number, "19")]),
        ];
        for (input, want) in cases {
            let got = toks(input);
            let want: Vec<(TokenKind, String)> =
                want.iter().map(|(k, s)| (*k, s.to_string())).collect();
            assert_eq!(got, want, "input {input:?}");
        }
    }

    #[test]
    fn offsets_are_code_points() {
        let s = "في بغداد";
        let t = tokenize(s);
        assert_eq!((t[1].start, t[1].end), (3, 8));
    }
}
