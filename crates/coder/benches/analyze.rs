//! Full analysis throughput (normalise → tokens → entities → events) on real news, one thread.
//! Reads the first 1,000 articles of `../shared/data/news/saudinewsnet-early.jsonl`; says so
//! and benchmarks the demo corpus instead when ../shared is missing.
//! Run: `cargo bench -p marsad-coder --bench analyze` (elements = articles).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use marsad_coder::Pipeline;
use marsad_text::{DocMeta, Document};

fn docs() -> Vec<Document> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/news/saudinewsnet-early.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| {
        eprintln!("NOTE: {path} is missing; benchmarking the bundled demo corpus instead");
        include_str!("../../../data/demo/corpus.jsonl").to_string()
    });
    text.lines()
        .take(1000)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| {
            let body = v
                .get("content")
                .or_else(|| v.get("text"))?
                .as_str()?
                .to_string();
            let date = v
                .get("date_extracted")
                .or_else(|| v.get("date"))
                .and_then(|d| d.as_str())
                .map(|d| d.chars().take(10).collect());
            Some(Document::with_meta(
                body,
                DocMeta {
                    date,
                    ..Default::default()
                },
            ))
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = docs();
    let mut p = Pipeline::new();
    for d in &docs {
        p.analyze(d);
    }
    let mut g = c.benchmark_group("full_analysis");
    g.sample_size(10);
    g.throughput(Throughput::Elements(docs.len() as u64));
    g.bench_function("articles", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| p.analyze(d).events.len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
