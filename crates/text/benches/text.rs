//! Text-analysis throughput on real news: normalise + sentences + tokens + segmentation.
//!
//! Reads `../shared/data/news/saudinewsnet-early.jsonl` (the `content` of the first 2,000
//! articles; `bench/news.rs`); the bundled demo corpus, with a note, when ../shared is missing.
//! Run: `cargo bench -p marsad-text --bench text`. Criterion prints MiB/s (bytes) and
//! elements/s (tokens).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use marsad_text::Analyzer;

#[path = "../../../bench/news.rs"]
mod news;

fn bench(c: &mut Criterion) {
    let docs = news::articles(2000);
    let bytes: usize = docs.iter().map(|d| d.text().len()).sum();
    let mut an = Analyzer::new();
    let tokens: usize = docs.iter().map(|d| an.analyze(d).tokens.len()).sum();

    let mut g = c.benchmark_group("analyze");
    g.sample_size(20);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("bytes", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| an.analyze(d).tokens.len())
                .sum::<usize>()
        })
    });
    g.throughput(Throughput::Elements(tokens as u64));
    g.bench_function("tokens", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| an.analyze(d).tokens.len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
