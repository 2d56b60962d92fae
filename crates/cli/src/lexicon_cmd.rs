//! `marsad lexicon build`: learn the segmenter's word lexicon from raw texts.

use anyhow::{Context, Result};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use marsad_text::lexicon::{count_words, lexicon_tsv};
use rustc_hash::FxHashMap;
use std::io::BufRead;

#[derive(Subcommand)]
pub enum LexiconCmd {
    /// Count the words of raw texts into `word<TAB>count` lines (the shipped
    /// `crates/text/data/lexicon.tsv` is made by the example below).
    #[command(
        after_help = "Example (from the repository root, ../shared beside it; the first line lists the words of\n\
        our people, club and company names):\n  \
        python3 data/dict/name_words.py > /tmp/names.txt\n  \
        marsad lexicon build --jsonl ../shared/data/news/saudinewsnet-early.jsonl \\\n    \
        --conll ../shared/data/anercorp/train.txt --conll ../shared/data/wikifane/wikifane_all.conll \\\n    \
        --lines ../shared/data/anergazet/loc.txt --lines ../shared/data/anergazet/pers.txt \\\n    \
        --lines ../shared/data/anergazet/org.txt --names ../shared/data/anergazet/loc.txt \\\n    \
        --names ../shared/data/anergazet/pers.txt --names ../shared/data/gazetteer/cities_ar.tsv \\\n    \
        --names ../shared/data/gazetteer/countries_ar.tsv --names /tmp/names.txt \\\n    \
        --min-count 3 --out crates/text/data/lexicon.tsv"
    )]
    Build {
        /// JSON Lines files; the `title` and `content` (or `text`) fields are read
        #[arg(long)]
        jsonl: Vec<String>,
        /// CoNLL files: the first column of each line is a token
        #[arg(long)]
        conll: Vec<String>,
        /// plain text files read line by line (gazetteers, articles)
        #[arg(long)]
        lines: Vec<String>,
        /// gazetteer files (TSV or one name a line): the words of their Arabic names are marked
        /// as names, which protects them from false clitic splits (وهران, بابل)
        #[arg(long)]
        names: Vec<String>,
        /// keep words seen at least this often
        #[arg(long, default_value_t = 3)]
        min_count: u32,
        #[arg(long)]
        out: String,
    },
    /// Score the segmenter on a gold table (`word<TAB>segments`), with two baselines.
    #[command(
        after_help = "Example:\n  marsad lexicon eval --gold crates/text/tests/data/segmentation.tsv"
    )]
    Eval {
        #[arg(long, default_value = "crates/text/tests/data/segmentation.tsv")]
        gold: String,
        /// all rows, or the odd rows (used for tuning) / even rows (held out)
        #[arg(long, default_value = "all", value_parser = ["all", "odd", "even"])]
        rows: String,
        /// print each error
        #[arg(long)]
        errors: bool,
    },
    /// Print the segmentation of words given on the command line.
    #[command(after_help = "Example:\n  marsad lexicon segment والكاظمي بغداد لإيران")]
    Segment { words: Vec<String> },
}

pub fn run(c: LexiconCmd) -> Result<()> {
    match c {
        LexiconCmd::Build {
            jsonl,
            conll,
            lines,
            names,
            min_count,
            out,
        } => build(&jsonl, &conll, &lines, &names, min_count, &out),
        LexiconCmd::Eval { gold, rows, errors } => {
            use marsad_text::segeval::{score, Rows};
            let text =
                std::fs::read_to_string(&gold).with_context(|| format!("cannot read {gold}"))?;
            let rows = match rows.as_str() {
                "odd" => Rows::Odd,
                "even" => Rows::Even,
                _ => Rows::All,
            };
            let s = score(&text, &mut marsad_text::Analyzer::new(), rows);
            if errors {
                for (w, g, o) in &s.errors {
                    println!("ERR\t{w}\tgold {g}\tours {o}");
                }
            }
            println!("{}", s.report());
            Ok(())
        }
        LexiconCmd::Segment { words } => {
            let mut an = marsad_text::Analyzer::new();
            for w in words {
                println!("{w}\t{}", an.segment_word(&w));
            }
            Ok(())
        }
    }
}

fn open(path: &str) -> Result<std::io::BufReader<std::fs::File>> {
    let f = std::fs::File::open(path)
        .with_context(|| format!("cannot open {path} (is ../shared beside the repository?)"))?;
    Ok(std::io::BufReader::new(f))
}

fn build(
    jsonl: &[String],
    conll: &[String],
    lines: &[String],
    name_files: &[String],
    min_count: u32,
    out: &str,
) -> Result<()> {
    let mut counts: FxHashMap<String, u32> = FxHashMap::default();
    let pb = ProgressBar::new_spinner();
    pb.set_style(ProgressStyle::with_template("{spinner} {msg} {pos} lines").unwrap());
    for p in jsonl {
        pb.set_message(format!("counting {p}"));
        for (i, line) in open(p)?.lines().enumerate() {
            let line = line.with_context(|| format!("{p}:{}", i + 1))?;
            let v: serde_json::Value =
                serde_json::from_str(&line).with_context(|| format!("{p}:{}: bad JSON", i + 1))?;
            for f in ["title", "content", "text"] {
                if let Some(s) = v.get(f).and_then(|x| x.as_str()) {
                    count_words(s, &mut counts);
                }
            }
            pb.inc(1);
        }
    }
    for p in conll {
        pb.set_message(format!("counting {p}"));
        let mut sent = String::new();
        for (i, line) in open(p)?.lines().enumerate() {
            let line = line.with_context(|| format!("{p}:{}", i + 1))?;
            match line.split_whitespace().next() {
                Some(tok) => {
                    sent.push_str(tok);
                    sent.push(' ');
                }
                None => {
                    count_words(&sent, &mut counts);
                    sent.clear();
                }
            }
            pb.inc(1);
        }
        count_words(&sent, &mut counts);
    }
    for p in lines {
        pb.set_message(format!("counting {p}"));
        for line in open(p)?.lines() {
            count_words(&line?, &mut counts);
            pb.inc(1);
        }
    }
    let mut names = rustc_hash::FxHashSet::default();
    for p in name_files {
        for line in open(p)?.lines() {
            marsad_text::lexicon::add_name_words(&line?, &mut names);
        }
    }
    pb.finish_and_clear();
    let header = "marsad segmentation lexicon: match-form word<TAB>count, learned by `marsad lexicon build`\n\
        (see README) from the news, ANERcorp-train, WikiFANE and ANERGazet texts in ../shared;\n\
        `name` marks words of place and person names (ANERGazet, GeoNames, CLDR; and the files\n\
        given to --names, such as our people, club and company names from data/dict/name_words.py).\n\
        Facts only (words and how often they occur); sources and licences in ../shared/data/*/SOURCE.txt.";
    let tsv = lexicon_tsv(&counts, &names, min_count, header);
    std::fs::write(out, &tsv).with_context(|| format!("cannot write {out}"))?;
    let kept = tsv.lines().filter(|l| !l.starts_with('#')).count();
    eprintln!(
        "{} distinct words counted, {kept} kept (count ≥ {min_count}), {} bytes written to {out}",
        counts.len(),
        tsv.len()
    );
    Ok(())
}
