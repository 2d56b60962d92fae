//! The real news the criterion benches read (text core, NER, coder): the first `n` articles of
//! `../shared/data/news/saudinewsnet-early.jsonl`, each a [`Document`] with its publication
//! date. When ../shared is missing it says so and reads the bundled demo corpus instead
//! (figures not comparable). Each bench includes this file with `#[path]`: benches of
//! different crates share no library, and a crate for one function would be heavier.

use marsad_text::{DocMeta, Document};

pub fn articles(n: usize) -> Vec<Document> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/news/saudinewsnet-early.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| {
        eprintln!("NOTE: {path} is missing; benchmarking the bundled demo corpus instead (figures not comparable)");
        include_str!("../data/demo/corpus.jsonl").to_string()
    });
    text.lines()
        .take(n)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let body = v.get("content").or_else(|| v.get("text"))?.as_str()?;
            let date = v
                .get("date_extracted")
                .or_else(|| v.get("date"))
                .and_then(|d| d.as_str())
                .map(|d| d.chars().take(10).collect());
            Some(Document::with_meta(
                body.to_string(),
                DocMeta {
                    date,
                    ..Default::default()
                },
            ))
        })
        .collect()
}
