//! The overview's tallies (`GET /api/stats`), one implementation for both backends: events
//! per QuadClass and month, the busiest actors, dyads and event codes, documents per month.

use crate::api::{ActorCount, DyadCount, EntityRef, NameCount, QuadMonth, Stats, TimePoint};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// How many actors and dyads the overview lists.
const TOP_ACTORS: usize = 15;
/// How many event codes and outlets it lists.
const TOP_NAMES: usize = 10;

/// `YYYY-MM` of a `YYYY-MM-DD` date.
pub(crate) fn month(date: Option<&str>) -> Option<String> {
    date.filter(|d| d.len() >= 7).map(|d| d[..7].to_string())
}

/// Index 0–3 of QuadClass 1–4; `None` for anything else.
pub(crate) fn quad_ix(q: u8) -> Option<usize> {
    (1..=4).contains(&q).then(|| q as usize - 1)
}

/// Documents per month, oldest first, from dated documents.
#[derive(Default)]
pub(crate) struct DocMonths(BTreeMap<String, u32>);

impl DocMonths {
    pub fn add(&mut self, date: Option<&str>) {
        if let Some(m) = month(date) {
            *self.0.entry(m).or_default() += 1;
        }
    }

    pub fn finish(self) -> Vec<TimePoint> {
        self.0
            .into_iter()
            .map(|(period, documents)| TimePoint {
                period,
                documents,
                events: 0,
            })
            .collect()
    }
}

/// A dyad's events, its events per QuadClass, its source and its target.
type Dyad = (u32, [u32; 4], EntityRef, EntityRef);

/// Counts of events, added one at a time and written into [`Stats`] at the end.
#[derive(Default)]
pub(crate) struct EventTally {
    quads: [u32; 4],
    months: BTreeMap<String, [u32; 4]>,
    actors: FxHashMap<String, (u32, EntityRef)>,
    dyads: FxHashMap<(String, String), Dyad>,
    codes: FxHashMap<String, u32>,
}

impl EventTally {
    /// One event. A side without an entity id counts for no actor and no dyad; an event whose
    /// two sides are one entity counts for that actor twice and for no dyad.
    pub fn add(
        &mut self,
        quad_class: u8,
        date: Option<&str>,
        code: &str,
        source: Option<&EntityRef>,
        target: Option<&EntityRef>,
    ) {
        let qi = quad_ix(quad_class);
        if let Some(qi) = qi {
            self.quads[qi] += 1;
            if let Some(m) = month(date) {
                self.months.entry(m).or_default()[qi] += 1;
            }
        }
        match self.codes.get_mut(code) {
            Some(n) => *n += 1,
            None => {
                self.codes.insert(code.to_string(), 1);
            }
        }
        let source = source.filter(|r| !r.id.is_empty());
        let target = target.filter(|r| !r.id.is_empty());
        for r in [source, target].into_iter().flatten() {
            match self.actors.get_mut(&r.id) {
                Some(a) => a.0 += 1,
                None => {
                    self.actors.insert(r.id.clone(), (1, r.clone()));
                }
            }
        }
        if let (Some(s), Some(t)) = (source, target) {
            if s.id != t.id {
                let d = self
                    .dyads
                    .entry((s.id.clone(), t.id.clone()))
                    .or_insert_with(|| (0, [0; 4], s.clone(), t.clone()));
                d.0 += 1;
                if let Some(qi) = qi {
                    d.1[qi] += 1;
                }
            }
        }
    }

    /// Writes the QuadClass totals, events by month and the top actors, dyads and codes (most
    /// events first, ties by id) into `st`.
    pub fn finish(self, st: &mut Stats) {
        st.quad_totals = self.quads;
        st.events_by_month = self
            .months
            .into_iter()
            .map(|(period, quads)| QuadMonth { period, quads })
            .collect();
        let mut a: Vec<_> = self.actors.into_values().collect();
        a.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| x.1.id.cmp(&y.1.id)));
        st.top_actors = a
            .into_iter()
            .take(TOP_ACTORS)
            .map(|(events, entity)| ActorCount { entity, events })
            .collect();
        let mut d: Vec<_> = self.dyads.into_values().collect();
        d.sort_by(|x, y| {
            y.0.cmp(&x.0)
                .then_with(|| (&x.2.id, &x.3.id).cmp(&(&y.2.id, &y.3.id)))
        });
        st.top_dyads = d
            .into_iter()
            .take(TOP_ACTORS)
            .map(|(events, quads, source, target)| DyadCount {
                source,
                target,
                events,
                quads,
            })
            .collect();
        st.top_codes = top_names(self.codes);
    }
}

/// The most frequent names, most first, ties in name order.
pub(crate) fn top_names<S: AsRef<str>>(
    counts: impl IntoIterator<Item = (S, u32)>,
) -> Vec<NameCount> {
    let mut v: Vec<(S, u32)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.as_ref().cmp(b.0.as_ref())));
    v.into_iter()
        .take(TOP_NAMES)
        .map(|(name, count)| NameCount {
            name: name.as_ref().to_string(),
            count,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(id: &str) -> EntityRef {
        EntityRef {
            id: id.into(),
            name: id.into(),
            ..Default::default()
        }
    }

    #[test]
    fn tallies_actors_dyads_codes_and_months() {
        let mut t = EventTally::default();
        let (a, b, none) = (r("a"), r("b"), r(""));
        t.add(4, Some("2020-08-19"), "190", Some(&a), Some(&b));
        t.add(4, Some("2020-08-20"), "190", Some(&a), Some(&b));
        t.add(1, Some("2020-09-01"), "040", Some(&b), Some(&a));
        t.add(1, None, "040", Some(&a), Some(&a));
        t.add(9, Some("2020-09-01"), "010", Some(&none), None);
        let mut st = Stats::default();
        t.finish(&mut st);
        assert_eq!(st.quad_totals, [2, 0, 0, 2]);
        let months: Vec<_> = st
            .events_by_month
            .iter()
            .map(|m| (m.period.as_str(), m.quads))
            .collect();
        assert_eq!(
            months,
            [("2020-08", [0, 0, 0, 2]), ("2020-09", [1, 0, 0, 0])]
        );
        let actors: Vec<_> = st
            .top_actors
            .iter()
            .map(|x| (x.entity.id.as_str(), x.events))
            .collect();
        assert_eq!(actors, [("a", 5), ("b", 3)]);
        let dyads: Vec<_> = st
            .top_dyads
            .iter()
            .map(|d| {
                (
                    d.source.id.as_str(),
                    d.target.id.as_str(),
                    d.events,
                    d.quads,
                )
            })
            .collect();
        assert_eq!(
            dyads,
            [("a", "b", 2, [0, 0, 0, 2]), ("b", "a", 1, [1, 0, 0, 0])]
        );
        let codes: Vec<_> = st
            .top_codes
            .iter()
            .map(|c| (c.name.as_str(), c.count))
            .collect();
        assert_eq!(codes, [("040", 2), ("190", 2), ("010", 1)]);
    }

    #[test]
    fn documents_by_month_skip_undated() {
        let mut m = DocMonths::default();
        for d in [
            Some("2020-08-19"),
            None,
            Some("2020"),
            Some("2020-08-01"),
            Some("2019-12-31"),
        ] {
            m.add(d);
        }
        let v: Vec<_> = m
            .finish()
            .into_iter()
            .map(|p| (p.period, p.documents))
            .collect();
        assert_eq!(v, [("2019-12".to_string(), 1), ("2020-08".to_string(), 2)]);
    }
}
