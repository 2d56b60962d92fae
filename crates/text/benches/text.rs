//! Text-analysis throughput on real news: normalise + sentences + tokens + segmentation.
//!
//! Reads `../shared/data/news/saudinewsnet-early.jsonl` (the `content` of the first 2,000
//! articles); says so and falls back to a small bundled sample when ../shared is missing.
//! Run: `cargo bench -p marsad-text --bench text`. Criterion prints MiB/s (bytes) and
//! elements/s (tokens).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use marsad_text::{Analyzer, Document};

fn articles() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/news/saudinewsnet-early.jsonl"
    );
    match std::fs::read_to_string(path) {
        Ok(s) => s
            .lines()
            .take(2000)
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| {
                v.get("content")
                    .and_then(|c| c.as_str())
                    .map(str::to_string)
            })
            .collect(),
        Err(_) => {
            eprintln!("NOTE: {path} is missing; benchmarking a small bundled sample instead (figures not comparable)");
            vec!["يبحث رئيس الوزراء مصطفى الكاظمي مع الرئيس الأمريكي دونالد ترامب في واشنطن ملفات اقتصادية، بالإضافة إلى التدخل الإيراني في العراق.".repeat(50)]
        }
    }
}

fn bench(c: &mut Criterion) {
    let docs: Vec<Document> = articles().into_iter().map(Document::new).collect();
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
