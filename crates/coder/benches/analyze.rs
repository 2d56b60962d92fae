//! Full analysis throughput (normalise → tokens → entities → events) on real news, one thread.
//! Reads the first 1,000 articles of `../shared/data/news/saudinewsnet-early.jsonl`; says so
//! and benchmarks the demo corpus instead when ../shared is missing.
//! Run: `cargo bench -p marsad-coder --bench analyze` (elements = articles).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use marsad_coder::Pipeline;

#[path = "../../../bench/news.rs"]
mod news;

fn bench(c: &mut Criterion) {
    let docs = news::articles(1000);
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
