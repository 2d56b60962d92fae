//! Event slots by table (`tests/data/slots.tsv`): for each sentence, the event with the given
//! code and its source and target actor codes, or (code `!CODE`) that no event has that code.

use marsad_coder::Pipeline;
use marsad_text::{DocMeta, Document};

#[test]
fn slot_table() {
    let table = include_str!("data/slots.tsv");
    let mut pipeline = Pipeline::new();
    let mut failures = Vec::new();
    let mut rows = 0;
    for line in table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let c: Vec<&str> = line.split('\t').collect();
        assert_eq!(c.len(), 5, "slots.tsv: five columns expected: {line}");
        rows += 1;
        let doc = Document::with_meta(
            c[0],
            DocMeta {
                date: Some(c[1].to_string()),
                ..Default::default()
            },
        );
        let a = pipeline.analyze(&doc);
        if let Some(code) = c[2].strip_prefix('!') {
            if a.events.iter().any(|e| e.code == code) {
                failures.push(format!("{}\n  want no {code} event, got one", c[0]));
            }
            continue;
        }
        let want = |s: &str| (s != "-").then(|| s.to_string());
        let got = a.events.iter().find(|e| e.code == c[2]).map(|e| {
            (
                e.source.as_ref().and_then(|p| p.actor.clone()),
                e.target.as_ref().and_then(|p| p.actor.clone()),
            )
        });
        if got != Some((want(c[3]), want(c[4]))) {
            failures.push(format!(
                "{}\n  want {} {} → {}, got {got:?}",
                c[0], c[2], c[3], c[4]
            ));
        }
    }
    assert!(rows >= 24, "slots.tsv has {rows} rows");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
