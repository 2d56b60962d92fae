//! Scoring against gold event sentences in the format of
//! `../shared/data/petrarch-ar/gold/protest.jsonl` (one sentence per line, a `category` such as
//! PROTEST, and `event_coding` with `sourcecode` like `"TUN None"` or `"None CVL"`).
//!
//! * **found**: the share of sentences where marsad codes at least one event of the gold
//!   category (PROTEST = CAMEO root 14; ASSAULT = roots 18–20; others by PLOVER type).
//! * **source**: the share of sentences where such an event's source matches the gold source:
//!   the gold country when it names one (`TUN None` needs a TUN… actor); when the gold country is
//!   `None`, the gold agent when it names one (`None CVL` needs a …CVL actor with no other
//!   country than none); `None None` needs only the event.

use crate::{Event, Pipeline};
use marsad_text::{DocMeta, Document};

/// Outcome for one gold sentence.
#[derive(Clone, Debug)]
pub struct GoldCase {
    pub id: String,
    pub text: String,
    pub found: bool,
    pub source_ok: bool,
    pub gold_source: String,
    pub ours: Vec<String>,
}

/// Totals.
#[derive(Clone, Debug, Default)]
pub struct GoldScore {
    pub sentences: usize,
    pub found: usize,
    pub source: usize,
    pub gold_events: usize,
    pub our_events: usize,
    pub cases: Vec<GoldCase>,
}

fn category_matches(category: &str, e: &Event) -> bool {
    let root = &e.code[..2.min(e.code.len())];
    match category {
        "PROTEST" => root == "14",
        "ASSAULT" => matches!(root, "18" | "19" | "20"),
        other => e.plover.as_deref() == Some(other),
    }
}

fn split_code(code: Option<&str>) -> (Option<String>, String) {
    let c = code.unwrap_or("");
    let is_country = c.len() >= 3
        && c[..3].chars().all(|x| x.is_ascii_uppercase())
        && !AGENTS.contains(&&c[..3]);
    if is_country {
        (Some(c[..3].to_string()), c[3..].to_string())
    } else {
        (None, c.to_string())
    }
}

/// Three-letter codes that are agents, not countries.
const AGENTS: [&str; 24] = [
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM", "CVL",
    "REF", "IGO", "NGO", "LEG", "ELI", "REL", "HLH", "UAF", "LAB", "AGR", "IMG",
];

/// Score a gold file's text (JSON Lines). Lines that do not parse are an error naming the line.
pub fn score(gold: &str, pipeline: &mut Pipeline) -> Result<GoldScore, String> {
    let mut s = GoldScore::default();
    for (i, line) in gold.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        let text = v
            .get("text")
            .and_then(|x| x.as_str())
            .ok_or(format!("line {}: no `text`", i + 1))?;
        let category = v
            .get("category")
            .and_then(|x| x.as_str())
            .unwrap_or("PROTEST");
        let date = v
            .get("date")
            .and_then(|x| x.as_str())
            .filter(|d| d.len() == 8)
            .map(|d| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]));
        let codings = v
            .get("event_coding")
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default();
        s.gold_events += codings.len();
        let gold_src = codings
            .first()
            .and_then(|c| c.get("sourcecode"))
            .and_then(|x| x.as_str())
            .unwrap_or("None None")
            .to_string();
        let mut parts = gold_src.split_whitespace();
        let gc = parts.next().filter(|x| *x != "None").map(str::to_string);
        let ga = parts.next().filter(|x| *x != "None").map(str::to_string);

        let doc = Document::with_meta(
            text,
            DocMeta {
                date,
                ..Default::default()
            },
        );
        let a = pipeline.analyze(&doc);
        s.our_events += a.events.len();
        let hits: Vec<&Event> = a
            .events
            .iter()
            .filter(|e| category_matches(category, e))
            .collect();
        let found = !hits.is_empty();
        let source_ok = hits.iter().any(|e| {
            let (oc, oa) = split_code(e.source.as_ref().and_then(|p| p.actor.as_deref()));
            match (&gc, &ga) {
                (Some(c), _) => oc.as_deref() == Some(c.as_str()),
                (None, Some(ag)) => oa.contains(ag.as_str()),
                (None, None) => true,
            }
        });
        s.sentences += 1;
        s.found += usize::from(found);
        s.source += usize::from(source_ok);
        s.cases.push(GoldCase {
            id: v
                .get("id")
                .and_then(|x| x.as_str())
                .unwrap_or("")
                .to_string(),
            text: text.to_string(),
            found,
            source_ok,
            gold_source: gold_src,
            ours: a
                .events
                .iter()
                .map(|e| {
                    format!(
                        "{} {}→{}",
                        e.code,
                        e.source
                            .as_ref()
                            .and_then(|p| p.actor.clone())
                            .unwrap_or_default(),
                        e.target
                            .as_ref()
                            .and_then(|p| p.actor.clone())
                            .unwrap_or_default()
                    )
                })
                .collect(),
        });
    }
    Ok(s)
}
