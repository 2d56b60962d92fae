//! conlleval-style scoring: exact span match, micro precision/recall/F1 and per type.
//!
//! A span starts at a `B-` tag, or at an `I-` tag that follows `O` or a tag of another type
//! (conlleval's rule; seqeval's strict mode would drop such spans instead).

use crate::{NerLabel, Tag};

/// Entity spans of a tag sequence: (first, last + 1, label).
pub fn spans(tags: &[Tag]) -> Vec<(usize, usize, NerLabel)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, NerLabel)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let cont = matches!((t, cur), (Tag::I(l), Some((_, c))) if l == c);
        if !cont {
            if let Some((s, l)) = cur.take() {
                out.push((s, i, l));
            }
            match t {
                Tag::B(l) | Tag::I(l) => cur = Some((i, l)),
                Tag::O => {}
            }
        }
    }
    if let Some((s, l)) = cur {
        out.push((s, tags.len(), l));
    }
    out
}

/// Counts of gold, predicted and correct spans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub gold: usize,
    pub pred: usize,
    pub correct: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        if self.pred == 0 {
            0.0
        } else {
            self.correct as f64 / self.pred as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.correct as f64 / self.gold as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Scores over a set of sentences.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub micro: Counts,
    /// per type, in the order of [`NerLabel::ALL`]
    pub per_type: [Counts; 4],
    pub tokens: usize,
    pub tokens_correct: usize,
}

impl Score {
    /// Add one sentence (gold and predicted tags of the same tokens).
    pub fn add(&mut self, gold: &[Tag], pred: &[Tag]) {
        debug_assert_eq!(gold.len(), pred.len());
        let g = spans(gold);
        let p = spans(pred);
        self.tokens += gold.len();
        self.tokens_correct += gold.iter().zip(pred).filter(|(a, b)| a == b).count();
        for &(_, _, l) in &g {
            self.micro.gold += 1;
            self.per_type[l as usize].gold += 1;
        }
        for s in &p {
            self.micro.pred += 1;
            self.per_type[s.2 as usize].pred += 1;
            if g.contains(s) {
                self.micro.correct += 1;
                self.per_type[s.2 as usize].correct += 1;
            }
        }
    }
    /// Add the counts of another score.
    pub fn merge(&mut self, o: &Score) {
        let add = |a: &mut Counts, b: &Counts| {
            a.gold += b.gold;
            a.pred += b.pred;
            a.correct += b.correct;
        };
        add(&mut self.micro, &o.micro);
        for i in 0..4 {
            add(&mut self.per_type[i], &o.per_type[i]);
        }
        self.tokens += o.tokens;
        self.tokens_correct += o.tokens_correct;
    }
    /// Micro F1 in percent.
    pub fn f1(&self) -> f64 {
        100.0 * self.micro.f1()
    }
    /// A conlleval-like table; the last line is `F1 <value>` with two decimals.
    pub fn report(&self) -> String {
        let mut s = String::new();
        let acc = if self.tokens == 0 {
            0.0
        } else {
            100.0 * self.tokens_correct as f64 / self.tokens as f64
        };
        s.push_str(&format!(
            "tokens {}, token accuracy {:.2}%\n{:<6} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}\n",
            self.tokens, acc, "type", "P", "R", "F1", "gold", "pred", "corr"
        ));
        let row = |name: &str, c: &Counts| {
            format!(
                "{:<6} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6} {:>6}\n",
                name,
                100.0 * c.precision(),
                100.0 * c.recall(),
                100.0 * c.f1(),
                c.gold,
                c.pred,
                c.correct
            )
        };
        s.push_str(&row("micro", &self.micro));
        for l in NerLabel::ALL {
            s.push_str(&row(l.as_str(), &self.per_type[l as usize]));
        }
        s.push_str(&format!("F1 {:.2}", self.f1()));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NerLabel::*;
    #[test]
    fn conlleval_rule() {
        let t = [
            Tag::I(Loc),
            Tag::I(Loc),
            Tag::I(Pers),
            Tag::O,
            Tag::B(Org),
            Tag::B(Org),
        ];
        assert_eq!(
            spans(&t),
            vec![(0, 2, Loc), (2, 3, Pers), (4, 5, Org), (5, 6, Org)]
        );
        let mut s = Score::default();
        s.add(
            &t,
            &[
                Tag::B(Loc),
                Tag::I(Loc),
                Tag::O,
                Tag::O,
                Tag::B(Org),
                Tag::O,
            ],
        );
        assert_eq!(
            s.micro,
            Counts {
                gold: 4,
                pred: 2,
                correct: 2
            }
        );
        assert!(s.report().ends_with("F1 66.67"));
    }
}
