//! Tagging throughput of the shipped model, one thread, on real news.
//!
//! Reads the `content` of the first 1,000 articles of
//! `../shared/data/news/saudinewsnet-early.jsonl` (`bench/news.rs`; the bundled demo corpus, with
//! a note, when ../shared is missing). Run: `cargo bench -p marsad-ner --bench tag`.
//!
//! * `ner/tag` — [`Tagger::tag`] on analysed documents (features, both stages, Viterbi, spans):
//!   the text analysis is done once, outside the timing;
//! * `ner/analyze+tag` — text analysis and tagging together.
//!
//! Criterion prints elements/s = tokens/s. The model's memory is printed first.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use marsad_ner::Tagger;
use marsad_text::Analyzer;

#[path = "../../../bench/news.rs"]
mod news;

fn bench(c: &mut Criterion) {
    let tagger = Tagger::builtin();
    eprintln!(
        "model: {:.1} MB in memory (weights and dictionaries)",
        tagger.memory_bytes() as f64 / 1e6
    );
    let docs = news::articles(1000);
    let mut an = Analyzer::new();
    let analyses: Vec<_> = docs.iter().map(|d| an.analyze(d)).collect();
    let tokens: usize = analyses.iter().map(|a| a.tokens.len()).sum();
    let mut g = c.benchmark_group("ner");
    g.sample_size(10);
    g.throughput(Throughput::Elements(tokens as u64));
    g.bench_function("tag", |b| {
        b.iter(|| {
            docs.iter()
                .zip(&analyses)
                .map(|(d, a)| tagger.tag(d.text(), a).len())
                .sum::<usize>()
        })
    });
    g.bench_function("analyze+tag", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| {
                    let a = an.analyze(d);
                    tagger.tag(d.text(), &a).len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
