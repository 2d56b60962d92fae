//! `marsad analyze`: the full analysis of documents, as JSON (the contract in
//! `../shared/contract/analysis.schema.json`) or a readable summary.

use anyhow::{Context, Result};
use marsad_coder::{DocAnalysis, Pipeline};
use marsad_text::Document;
use std::io::Write;

/// Documents from a path: `.jsonl` gives one per line (fields id url source dateline date
/// title content|text), anything else is one article with an optional header line.
pub fn read_documents(path: &str, lossy: bool) -> Result<Vec<Document>> {
    let text = crate::input::read_text(path, lossy)?;
    if path.ends_with(".jsonl") {
        let mut docs = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)
                .with_context(|| format!("{path}:{}: invalid JSON", i + 1))?;
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
            let body = s("content")
                .or_else(|| s("text"))
                .with_context(|| format!("{path}:{}: no `content` or `text` field", i + 1))?;
            let meta = marsad_text::DocMeta {
                id: s("id"),
                url: s("url"),
                title: s("title"),
                source: s("source"),
                dateline: s("dateline"),
                date: s("date")
                    .or_else(|| s("date_extracted"))
                    .map(|d| d.chars().take(10).collect()),
            };
            docs.push(Document::with_meta(body, meta));
        }
        Ok(docs)
    } else {
        Ok(vec![Document::from_article(text)])
    }
}

pub fn run(input: &str, date: Option<String>, json: bool, lossy: bool) -> Result<()> {
    let mut docs = read_documents(input, lossy)?;
    if let Some(d) = &date {
        d.parse::<jiff::civil::Date>()
            .with_context(|| format!("--date {d}: expected YYYY-MM-DD"))?;
        for doc in &mut docs {
            doc.meta.date = Some(d.clone());
        }
    }
    let mut p = Pipeline::new();
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for doc in &docs {
        let a = p.analyze(doc);
        if json {
            serde_json::to_writer(&mut out, &a)?;
            writeln!(out)?;
        } else {
            write_text(&mut out, &a)?;
        }
    }
    Ok(())
}

pub fn write_text(out: &mut impl Write, a: &DocAnalysis) -> Result<()> {
    let d = &a.document;
    writeln!(
        out,
        "document {}  source: {}  dateline: {}  date: {}",
        d.id.as_deref().unwrap_or("-"),
        d.source.as_deref().unwrap_or("-"),
        d.dateline.as_deref().unwrap_or("-"),
        d.date.as_deref().unwrap_or("-")
    )?;
    writeln!(out, "\nentities ({}):", a.entities.len())?;
    for e in &a.entities {
        let spellings: std::collections::BTreeSet<&str> =
            e.mentions.iter().map(|m| m.text.as_str()).collect();
        writeln!(
            out,
            "  {:<4} {:<28} {:<10} {} ×{}  [{}]",
            e.kind.as_str(),
            e.id,
            e.actor.as_deref().unwrap_or("-"),
            e.name,
            e.mentions.len(),
            spellings.into_iter().collect::<Vec<_>>().join(" | ")
        )?;
    }
    writeln!(out, "\nevents ({}):", a.events.len())?;
    let p = |x: &Option<marsad_coder::Participant>| {
        x.as_ref().map_or("-".to_string(), |p| {
            format!(
                "{} ({})",
                p.text.as_deref().unwrap_or("?"),
                p.actor.as_deref().unwrap_or("?")
            )
        })
    };
    for ev in &a.events {
        writeln!(
            out,
            "  {} → {} {} → {}   «{}» q{} g{:+.1} {} {} @{}",
            p(&ev.source),
            ev.code,
            ev.plover.as_deref().unwrap_or("-"),
            p(&ev.target),
            ev.trigger.text,
            ev.quad_class,
            ev.goldstein,
            ev.mood.as_str(),
            ev.date.as_deref().unwrap_or("-"),
            ev.location.as_deref().unwrap_or("-"),
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// `marsad eval events --gold FILE`.
pub fn eval_events(gold: &str, verbose: bool) -> Result<()> {
    let text = std::fs::read_to_string(gold)
        .with_context(|| format!("cannot read {gold} (is ../shared beside the repository?)"))?;
    let mut p = Pipeline::new();
    let s = marsad_coder::eval::score(&text, &mut p).map_err(|e| anyhow::anyhow!("{gold}: {e}"))?;
    if verbose {
        for c in &s.cases {
            if !c.found || !c.source_ok {
                println!(
                    "{}\t{}\t{}\tgold {}\tours {:?}\t{}",
                    if c.found { "SRC" } else { "MISS" },
                    c.id,
                    if c.source_ok { "src-ok" } else { "src-bad" },
                    c.gold_source,
                    c.ours,
                    c.text
                );
            }
        }
    }
    let n = s.sentences.max(1) as f64;
    println!(
        "sentences {}  gold events {}  marsad events {}",
        s.sentences, s.gold_events, s.our_events
    );
    println!(
        "found {}/{}  source {}/{}",
        s.found, s.sentences, s.source, s.sentences
    );
    println!(
        "found {:.2} source {:.2}",
        s.found as f64 / n,
        s.source as f64 / n
    );
    Ok(())
}
