//! # marsad-ingest — reading the news into the store
//!
//! Inputs (files, directories, stdin, http(s) URLs of pages and feeds) are read lazily into
//! chunks of [`Options::batch`] items. Each chunk is checked against the store (documents
//! already stored under the same id or URL are skipped before any work), analysed in parallel
//! on all cores (`rayon`; one analysis pipeline per worker, reused), and written in **one
//! transaction** while the next chunk is being analysed. A crash or a kill leaves whole batches
//! only; running the same ingest again completes it, adding nothing twice.
//!
//! Errors are per input (file, `FILE:LINE`, URL): reported, counted, and the run goes on.
//!
//! ```no_run
//! use marsad_ingest::{Ingester, Options};
//! use marsad_store::SqliteStore;
//! let mut store = SqliteStore::open("marsad.db")?;
//! let mut ing = Ingester::new(&mut store, Options::default());
//! let summary = ing.run(&["news.jsonl".to_string()]);
//! println!("{summary}");
//! # Ok::<(), marsad_store::StoreError>(())
//! ```

pub mod dates;
pub mod fetch;
pub mod html;
pub mod read;

pub use fetch::{FetchOptions, Fetcher};
pub use read::{FetchItem, FieldMap, Item, RawDoc, ReadOptions, Reader};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use marsad_coder::{DocAnalysis, Pipeline};
use marsad_store::{NewDocument, Store, WriteOutcome};
use marsad_text::{Analyzer, Document};
use rayon::prelude::*;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// by extension, else by content
    #[default]
    Auto,
    Txt,
    Jsonl,
    /// RSS 0.x/1.0/2.0 or Atom
    Rss,
    Html,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "auto" => Format::Auto,
            "txt" => Format::Txt,
            "jsonl" | "json" => Format::Jsonl,
            "rss" | "atom" | "feed" => Format::Rss,
            "html" => Format::Html,
            _ => {
                return Err(format!(
                    "unknown format {s:?} (auto, txt, jsonl, rss, html)"
                ))
            }
        })
    }
}

/// Something that analyses a document (entities, events). Keep one per thread.
pub trait DocAnalyzer: Send {
    fn analyze(&mut self, doc: &Document) -> DocAnalysis;
}

impl DocAnalyzer for Pipeline {
    fn analyze(&mut self, doc: &Document) -> DocAnalysis {
        Pipeline::analyze(self, doc)
    }
}

/// Makes a [`DocAnalyzer`] for each worker.
pub type AnalyzerFactory = Arc<dyn Fn() -> Box<dyn DocAnalyzer> + Send + Sync>;

/// The default analysis: `marsad_coder::Pipeline`.
pub fn default_analyzer() -> AnalyzerFactory {
    Arc::new(|| Box::new(Pipeline::new()) as Box<dyn DocAnalyzer>)
}

/// Ingest options.
#[derive(Clone)]
pub struct Options {
    pub format: Format,
    pub fields: FieldMap,
    /// documents per transaction
    pub batch: usize,
    pub fetch: FetchOptions,
    /// fetch the page of each feed item (else use the item's own content or summary)
    pub fetch_items: bool,
    /// draw a progress bar on stderr (only drawn when stderr is a terminal)
    pub progress: bool,
    /// print each error on stderr as it happens
    pub print_errors: bool,
    /// how many error messages the summary keeps (all are counted)
    pub keep_errors: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: Format::Auto,
            fields: FieldMap::default(),
            batch: 256,
            fetch: FetchOptions::default(),
            fetch_items: true,
            progress: false,
            print_errors: false,
            keep_errors: 1000,
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Summary {
    /// items read (documents, feed items, unreadable inputs)
    pub read: u64,
    /// new documents stored
    pub new: u64,
    /// of the new ones, near duplicates that joined an earlier story
    pub near_duplicates: u64,
    /// already in the store (same id or URL): skipped
    pub present: u64,
    /// the same text as a stored document under another id: recorded as a copy
    pub duplicates: u64,
    /// inputs or documents that failed (see `errors`)
    pub failed: u64,
    pub errors: Vec<String>,
    pub seconds: f64,
}

impl Summary {
    /// Documents handled per second (read ÷ time).
    pub fn docs_per_sec(&self) -> f64 {
        if self.seconds > 0.0 {
            self.read as f64 / self.seconds
        } else {
            0.0
        }
    }
    fn add(&mut self, o: &Summary) {
        self.read += o.read;
        self.new += o.new;
        self.near_duplicates += o.near_duplicates;
        self.present += o.present;
        self.duplicates += o.duplicates;
        self.failed += o.failed;
        self.errors.extend(o.errors.iter().cloned());
        self.seconds += o.seconds;
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} read: {} new ({} near duplicates joined a story), {} already stored, {} duplicates, {} failed — {:.1} s, {:.0} docs/s",
            self.read,
            self.new,
            self.near_duplicates,
            self.present,
            self.duplicates,
            self.failed,
            self.seconds,
            self.docs_per_sec()
        )
    }
}

/// Work for the analysis stage.
enum Work {
    Doc(RawDoc),
    Fetch(FetchItem),
}

struct Slot {
    pipe: Box<dyn DocAnalyzer>,
    text: Analyzer,
}

/// Reads inputs, analyses and writes them to a store.
pub struct Ingester<'s> {
    store: &'s mut dyn Store,
    opts: Options,
    factory: AnalyzerFactory,
    pool: Mutex<Vec<Slot>>,
    fetcher: Fetcher,
}

impl<'s> Ingester<'s> {
    pub fn new(store: &'s mut dyn Store, opts: Options) -> Self {
        Self::with_analyzer(store, opts, default_analyzer())
    }

    /// With another analysis (tests, other pipelines).
    pub fn with_analyzer(
        store: &'s mut dyn Store,
        opts: Options,
        factory: AnalyzerFactory,
    ) -> Self {
        let fetcher = Fetcher::new(opts.fetch.clone());
        Ingester {
            store,
            opts,
            factory,
            pool: Mutex::new(Vec::new()),
            fetcher,
        }
    }

    /// Ingest `inputs` (paths, directories, `-`, URLs) once.
    pub fn run(&mut self, inputs: &[String]) -> Summary {
        let t0 = Instant::now();
        let mut sum = Summary::default();
        let pb = self.progress_bar();
        let ropts = ReadOptions {
            format: self.opts.format,
            fields: self.opts.fields.clone(),
            max_bytes: self.opts.fetch.max_bytes,
        };
        let batch = self.opts.batch.max(1);
        let Ingester {
            store,
            opts,
            factory,
            pool,
            fetcher,
        } = self;
        let store: &mut dyn Store = &mut **store;
        let mut reader = Reader::new(inputs, ropts, fetcher);
        let mut in_flight: Vec<Result<NewDocument, String>> = Vec::new();
        loop {
            // 1. read a chunk and drop what is already stored
            let mut work = Vec::with_capacity(batch);
            let mut exhausted = true;
            for item in reader.by_ref() {
                sum.read += 1;
                match item {
                    Item::Error(e) => fail(&mut sum, opts, &pb, e),
                    Item::Doc(d) => {
                        let m = &d.doc.meta;
                        let hash = (m.id.is_none() && m.url.is_none())
                            .then(|| marsad_store::dedup::content_hash(d.doc.text()));
                        match store.lookup(m.id.as_deref(), m.url.as_deref(), hash.as_ref()) {
                            Ok(Some(_)) => sum.present += 1,
                            Ok(None) => work.push(Work::Doc(d)),
                            Err(e) => fail(&mut sum, opts, &pb, format!("{}: {e}", d.origin)),
                        }
                    }
                    Item::Fetch(f) => match store.lookup(Some(&f.url), Some(&f.url), None) {
                        Ok(Some(_)) => sum.present += 1,
                        Ok(None) => work.push(Work::Fetch(f)),
                        Err(e) => fail(&mut sum, opts, &pb, format!("{}: {e}", f.url)),
                    },
                }
                pb.set_position(sum.read);
                if work.len() >= batch {
                    exhausted = false;
                    break;
                }
            }
            // 2. write the previous chunk while this one is analysed
            let prev = std::mem::take(&mut in_flight);
            let (written, analysed) = rayon::join(
                || write(store, prev),
                || analyse(work, pool, factory, fetcher, opts.fetch_items),
            );
            account(&mut sum, opts, &pb, written);
            in_flight = analysed;
            if exhausted {
                let last = std::mem::take(&mut in_flight);
                let written = write(store, last);
                account(&mut sum, opts, &pb, written);
                break;
            }
        }
        sum.seconds = t0.elapsed().as_secs_f64();
        pb.finish_and_clear();
        sum
    }

    /// Poll `inputs` every `interval`, ingesting only what is new, for `rounds` rounds (forever
    /// if `None`). `on_round` sees each round's summary; the total is returned.
    pub fn watch(
        &mut self,
        inputs: &[String],
        interval: Duration,
        rounds: Option<u64>,
        mut on_round: impl FnMut(u64, &Summary),
    ) -> Summary {
        let mut total = Summary::default();
        let mut round = 0u64;
        loop {
            round += 1;
            let s = self.run(inputs);
            on_round(round, &s);
            total.add(&s);
            if rounds.is_some_and(|r| round >= r) {
                return total;
            }
            std::thread::sleep(interval);
        }
    }

    fn progress_bar(&self) -> ProgressBar {
        if !self.opts.progress {
            return ProgressBar::hidden();
        }
        let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        pb.set_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {pos} docs {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        pb.enable_steady_tick(Duration::from_millis(200));
        pb
    }
}

fn fail(sum: &mut Summary, opts: &Options, pb: &ProgressBar, msg: String) {
    sum.failed += 1;
    if opts.print_errors {
        pb.suspend(|| eprintln!("marsad: ingest error: {msg}"));
    }
    if sum.errors.len() < opts.keep_errors {
        sum.errors.push(msg);
    }
    set_msg(sum, pb);
}

fn set_msg(sum: &Summary, pb: &ProgressBar) {
    if pb.is_hidden() {
        return;
    }
    let secs = pb.elapsed().as_secs_f64().max(1e-3);
    pb.set_message(format!(
        "({:.0} docs/s) · new {} · stored before {} · duplicates {} · errors {}",
        sum.read as f64 / secs,
        sum.new,
        sum.present,
        sum.duplicates,
        sum.failed
    ));
}

fn account(
    sum: &mut Summary,
    opts: &Options,
    pb: &ProgressBar,
    written: Vec<Result<WriteOutcome, String>>,
) {
    for w in written {
        match w {
            Ok(WriteOutcome::New { near_dup_of, .. }) => {
                sum.new += 1;
                if near_dup_of.is_some() {
                    sum.near_duplicates += 1;
                }
            }
            Ok(WriteOutcome::Present { .. }) => sum.present += 1,
            Ok(WriteOutcome::Duplicate { .. }) => sum.duplicates += 1,
            Ok(WriteOutcome::Failed { message }) | Err(message) => fail(sum, opts, pb, message),
        }
    }
    set_msg(sum, pb);
}

/// Write one batch in one transaction; analysis failures pass through as errors.
fn write(
    store: &mut dyn Store,
    batch: Vec<Result<NewDocument, String>>,
) -> Vec<Result<WriteOutcome, String>> {
    if batch.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Option<Result<WriteOutcome, String>>> = Vec::with_capacity(batch.len());
    let mut docs = Vec::new();
    let mut origins = Vec::new();
    for b in batch {
        match b {
            Ok(d) => {
                origins.push(d.origin.clone());
                docs.push(d);
                out.push(None);
            }
            Err(e) => out.push(Some(Err(e))),
        }
    }
    let results = match store.write_batch(docs) {
        Ok(r) => r.into_iter().map(Ok).collect::<Vec<_>>(),
        Err(e) => origins
            .iter()
            .map(|o| Err(format!("{o}: not written: {e}")))
            .collect(),
    };
    let mut it = results.into_iter();
    out.into_iter()
        .map(|o| o.unwrap_or_else(|| it.next().unwrap_or_else(|| Err("lost result".into()))))
        .collect()
}

/// Analyse a chunk in parallel (fetching feed items' pages first).
fn analyse(
    work: Vec<Work>,
    pool: &Mutex<Vec<Slot>>,
    factory: &AnalyzerFactory,
    fetcher: &Fetcher,
    fetch_items: bool,
) -> Vec<Result<NewDocument, String>> {
    work.into_par_iter()
        .with_max_len(4)
        .map(|w| {
            let raw = match w {
                Work::Doc(d) => d,
                Work::Fetch(f) => fetch_item(&f, fetcher, fetch_items)?,
            };
            let mut slot = pool
                .lock()
                .map(|mut p| p.pop())
                .unwrap_or(None)
                .unwrap_or_else(|| Slot {
                    pipe: factory(),
                    text: Analyzer::new(),
                });
            let origin = raw.origin.clone();
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let analysis = slot.pipe.analyze(&raw.doc);
                marsad_store::prepare(
                    &raw.doc,
                    analysis,
                    raw.published_at.clone(),
                    raw.origin.clone(),
                    &mut slot.text,
                )
            }));
            match r {
                Ok(d) => {
                    if let Ok(mut p) = pool.lock() {
                        p.push(slot);
                    }
                    Ok(d)
                }
                // a panicking analyser is dropped, not reused
                Err(_) => Err(format!("{origin}: analysis failed (internal error)")),
            }
        })
        .collect()
}

fn fetch_item(f: &FetchItem, fetcher: &Fetcher, fetch_items: bool) -> Result<RawDoc, String> {
    if !fetch_items {
        let body = f
            .summary
            .as_deref()
            .ok_or_else(|| format!("{}: item has no content (fetching is off)", f.url))?;
        let page = html::extract(
            &format!("<html><body><article>{body}</article></body></html>"),
            Some(&f.url),
        )
        .map_err(|e| format!("{}: {e}", f.url))?;
        return Ok(read::page_doc(page, &f.url, Some(&f.url), Some(f)));
    }
    let got = fetcher.get(&f.url)?;
    let page = html::extract(&got.text(), Some(&f.url)).map_err(|e| format!("{}: {e}", f.url))?;
    Ok(read::page_doc(page, &f.url, Some(&f.url), Some(f)))
}

/// Peak resident memory of this process, bytes (Linux; `None` elsewhere).
pub fn peak_rss_bytes() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
