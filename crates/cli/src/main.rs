//! The `marsad` command line.

mod analyze_cmd;
mod input;
mod lexicon_cmd;
mod ner_cmd;
mod server_cmd;
mod store_cmd;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use marsad_text::{Analyzer, Document};
use std::io::Write;

#[derive(Parser)]
#[command(
    name = "marsad",
    version,
    about = "marsad (مرصد) — an Arabic news observatory: analyse Arabic news into entities and events",
    after_help = "Examples:\n  marsad tokenize ../shared/seed/000_c30fb58d7c41ca5d.txt\n  echo 'والكاظمي في بغداد' | marsad tokenize - --format json\n  marsad demo"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

// parsed once per run: the size of the largest variant does not matter
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Cmd {
    /// Tokenise Arabic text: one line per token with offsets, match form, clitic segments and stem.
    #[command(after_help = "Columns (tsv): start end surface match segments stem\n\
        Offsets are Unicode code-point offsets into the original text, end exclusive.\n\n\
        Examples:\n  marsad tokenize ../shared/seed/000_c30fb58d7c41ca5d.txt\n  echo 'بالرئيس' | marsad tokenize -")]
    Tokenize {
        /// input file, or `-` for standard input
        #[arg(default_value = "-")]
        input: String,
        #[arg(long, value_enum, default_value_t = Format::Tsv)]
        format: Format,
        /// replace invalid UTF-8 with U+FFFD instead of failing (the count is reported)
        #[arg(long)]
        lossy: bool,
    },
    /// Analyse documents: entities (canonical ids, CAMEO actor codes) and CAMEO events.
    #[command(
        after_help = "A .jsonl input holds one document per line; any other file is one article\n\
        whose first line may be a header `SOURCE – DATELINE`.\n\nExamples:\n  \
        marsad analyze ../shared/seed/000_c30fb58d7c41ca5d.txt --date 2020-08-19 --format text\n  \
        marsad analyze data/demo/corpus.jsonl --format json"
    )]
    Analyze {
        #[arg(default_value = "-")]
        input: String,
        /// publication date YYYY-MM-DD (relative dates resolve against it)
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_enum, default_value_t = AnalyzeFormat::Json)]
        format: AnalyzeFormat,
        #[arg(long)]
        lossy: bool,
    },
    /// Evaluate against gold data.
    #[command(subcommand)]
    Eval(EvalCmd),
    /// Run the demo: analyse the bundled demo corpus into a database and open the dashboard.
    #[command(
        after_help = "Examples:\n  cargo run --release -- demo\n  marsad demo --fresh --addr 127.0.0.1:9000\n  \
        marsad demo --db news.db --corpus ../shared/data/news/saudinewsnet-early.jsonl"
    )]
    Demo(server_cmd::DemoArgs),
    /// Serve a database: the JSON API (/api/, described at /api/openapi.json) and the dashboard.
    #[command(after_help = "Examples:\n  marsad serve --db marsad.db\n  \
        MARSAD_TOKEN=secret marsad serve --db marsad.db --addr 127.0.0.1:8080   # allows POST /api/documents")]
    Serve(server_cmd::ServeArgs),
    /// Load-test the API (events and search) with concurrent clients on 127.0.0.1, bounded in
    /// requests and time; prints p50/p95/p99 latencies and the first-page time.
    #[command(
        after_help = "Examples:\n  marsad bench-api                       # the demo database\n  \
        marsad bench-api --db news.db --clients 20 --requests 2000"
    )]
    BenchApi(server_cmd::BenchApiArgs),
    /// Measure text-analysis throughput (normalise + sentences + tokens + segmentation) over a
    /// file with one article per line, as the anchors in ../shared/anchors do.
    #[command(after_help = "Example (side by side with Lucene):\n  \
        python3 ../shared/anchors/prep_news.py ../shared/data/news/saudinewsnet-early.jsonl /tmp/marsad-anchors/news.txt\n  \
        marsad bench-text /tmp/marsad-anchors/news.txt --passes 3")]
    BenchText {
        file: String,
        #[arg(long, default_value_t = 3)]
        passes: usize,
        /// the full analysis (tokens → entities → events), reported in articles/s
        #[arg(long)]
        full: bool,
    },
    /// Ingest news into the store: .txt articles, JSONL, RSS/Atom feeds, HTML pages; files,
    /// directories, `-` (stdin) or URLs. Analyses in parallel, folds duplicates, writes in batches.
    #[command(after_help = "Examples:\n  \
        marsad ingest ../shared/data/news/saudinewsnet-early.jsonl --db news.db\n  \
        marsad ingest ../shared/seed/ data/demo/corpus.jsonl\n  \
        marsad ingest https://example.org/rss.xml --watch 10m\n  \
        marsad ingest export.jsonl --field text=body --field date=published_on\n\n\
        Exit status 1 when any input failed (each failure is printed with its file:line or URL).")]
    Ingest(store_cmd::IngestArgs),
    /// Search the store in Arabic, whatever the spelling (hamza, alef, ya, ta marbuta,
    /// diacritics, tatweel, clitics), with actor aliases; ranked hits with snippets.
    #[command(after_help = "Examples:\n  marsad search إيران\n  \
        marsad search 'ولي العهد' --from 2015-07-25 --source aawsat --format json")]
    Search(store_cmd::SearchArgs),
    /// List or export de-duplicated events (table, csv, jsonl, or the GDELT 2.0 event table).
    #[command(after_help = "Examples:\n  marsad events --actor IRN --code 04\n  \
        marsad events --format gdelt > events.tsv")]
    Events(store_cmd::EventsArgs),
    /// The entities in the most documents.
    #[command(after_help = "Example:\n  marsad entities --top 30 --type PER")]
    Entities(store_cmd::EntitiesArgs),
    /// Search latency over queries drawn from the stored titles (p50/p95/p99).
    #[command(after_help = "Example:\n  marsad bench-search --db news.db --queries 100")]
    BenchSearch(store_cmd::BenchSearchArgs),
    /// Build or inspect the word lexicon used by the clitic segmenter.
    #[command(subcommand)]
    Lexicon(lexicon_cmd::LexiconCmd),
    /// Named entities: train, evaluate and run the tagger, learn its word clusters.
    #[command(subcommand)]
    Ner(ner_cmd::NerCmd),
}

#[derive(Subcommand)]
enum EvalCmd {
    /// Score event coding on gold sentences (the format of ../shared/data/petrarch-ar/gold/protest.jsonl).
    /// The last line is `found <x> source <y>` (fractions of sentences).
    #[command(
        after_help = "Example:\n  marsad eval events --gold ../shared/data/petrarch-ar/gold/protest.jsonl"
    )]
    Events {
        #[arg(long)]
        gold: String,
        /// list the sentences that miss
        #[arg(long)]
        verbose: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum AnalyzeFormat {
    Json,
    Text,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Tsv,
    Json,
}

fn main() {
    let cli = Cli::parse();
    let r = match cli.cmd {
        Cmd::Tokenize {
            input,
            format,
            lossy,
        } => tokenize(&input, format, lossy),
        Cmd::Analyze {
            input,
            date,
            format,
            lossy,
        } => analyze_cmd::run(&input, date, format == AnalyzeFormat::Json, lossy),
        Cmd::Eval(EvalCmd::Events { gold, verbose }) => analyze_cmd::eval_events(&gold, verbose),
        Cmd::Demo(a) => server_cmd::demo(a),
        Cmd::Serve(a) => server_cmd::serve(a),
        Cmd::BenchApi(a) => server_cmd::bench_api(a),
        Cmd::BenchText { file, passes, full } => {
            if full {
                bench_full(&file, passes)
            } else {
                bench_text(&file, passes)
            }
        }
        Cmd::Lexicon(c) => lexicon_cmd::run(c),
        Cmd::Ingest(a) => store_cmd::ingest(a),
        Cmd::Search(a) => store_cmd::search(a),
        Cmd::Events(a) => store_cmd::events(a),
        Cmd::Entities(a) => store_cmd::entities(a),
        Cmd::BenchSearch(a) => store_cmd::bench_search(a),
        Cmd::Ner(c) => ner_cmd::run(c),
    };
    if let Err(e) = r {
        eprintln!("marsad: error: {e:#}");
        std::process::exit(1);
    }
}

fn tokenize(input: &str, format: Format, lossy: bool) -> Result<()> {
    let text = input::read_text(input, lossy)?;
    let doc = Document::new(text);
    let mut an = Analyzer::new();
    let a = an.analyze(&doc);
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    match format {
        Format::Tsv => {
            writeln!(out, "start\tend\tsurface\tmatch\tsegments\tstem")?;
            for t in &a.tokens {
                let surface = &doc.text()[t.byte_start as usize..t.byte_end as usize];
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    t.start,
                    t.end,
                    surface,
                    a.match_form(t),
                    a.segments_in(doc.text(), t),
                    a.search_stem(t)
                )?;
            }
        }
        Format::Json => {
            let toks: Vec<serde_json::Value> = a
                .tokens
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "start": t.start,
                        "end": t.end,
                        "kind": t.kind.as_str(),
                        "surface": &doc.text()[t.byte_start as usize..t.byte_end as usize],
                        "match": a.match_form(t),
                        "segments": a.segments_in(doc.text(), t),
                        "stem": a.search_stem(t),
                        "stem_start": t.stem_start,
                        "stem_end": t.stem_end,
                    })
                })
                .collect();
            let sents: Vec<serde_json::Value> = a
                .sentences
                .iter()
                .map(|s| serde_json::json!({"start": s.start, "end": s.end}))
                .collect();
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({"tokens": toks, "sentences": sents}),
            )?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn bench_text(file: &str, passes: usize) -> Result<()> {
    let text = input::read_text(file, false)?;
    let docs: Vec<Document> = text.lines().map(Document::new).collect();
    let mb = text.len() as f64 / 1e6;
    let mut an = Analyzer::new();
    // warm-up pass (untimed): loads the lexicon and fills the segmentation cache
    let t0 = std::time::Instant::now();
    let mut tokens = 0usize;
    for d in &docs {
        tokens += an.analyze(d).tokens.len();
    }
    let warm = t0.elapsed().as_secs_f64();
    let mut best = f64::MAX;
    for p in 0..passes {
        let t = std::time::Instant::now();
        let mut n = 0usize;
        let mut sents = 0usize;
        for d in &docs {
            let a = an.analyze(d);
            n += a.tokens.len();
            sents += a.sentences.len();
        }
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        println!(
            "marsad pass {}: {:.3} s, {:.1} MB/s, {:.2} M tokens/s ({n} tokens, {sents} sentences)",
            p + 1,
            s,
            mb / s,
            n as f64 / s / 1e6
        );
    }
    println!(
        "marsad text analysis: {} articles, {:.2} MB, warm-up {:.2} s; best {:.1} MB/s, {:.2} M tokens/s (one thread)",
        docs.len(),
        mb,
        warm,
        mb / best,
        tokens as f64 / best / 1e6
    );
    Ok(())
}

fn bench_full(file: &str, passes: usize) -> Result<()> {
    let text = input::read_text(file, false)?;
    let docs: Vec<Document> = text
        .lines()
        .map(|l| {
            Document::with_meta(
                l,
                marsad_text::DocMeta {
                    date: Some("2015-07-25".into()),
                    ..Default::default()
                },
            )
        })
        .collect();
    let mb = text.len() as f64 / 1e6;
    let mut p = marsad_coder::Pipeline::new();
    let t0 = std::time::Instant::now();
    let (mut ents, mut evs) = (0usize, 0usize);
    for d in &docs {
        let a = p.analyze(d);
        ents += a.entities.len();
        evs += a.events.len();
    }
    let warm = t0.elapsed().as_secs_f64();
    let mut best = f64::MAX;
    for i in 0..passes {
        let t = std::time::Instant::now();
        for d in &docs {
            std::hint::black_box(p.analyze(d));
        }
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        println!(
            "pass {}: {:.2} s, {:.0} articles/s, {:.1} MB/s",
            i + 1,
            s,
            docs.len() as f64 / s,
            mb / s
        );
    }
    println!(
        "marsad full analysis: {} articles ({:.1} MB), {} entities, {} events; warm-up {:.2} s; best {:.0} articles/s (one thread)",
        docs.len(),
        mb,
        ents,
        evs,
        warm,
        docs.len() as f64 / best
    );
    Ok(())
}
