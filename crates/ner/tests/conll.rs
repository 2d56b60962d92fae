//! Reading training data: formats, tag maps and errors that name the file and line
//! (data in `tests/data`).

use marsad_ner::conll::{dev_split, parse, TagMap};
use marsad_ner::{NerLabel, Tag};

fn data(name: &str) -> (String, String) {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("test data file");
    (path, text)
}

#[test]
fn reads_anercorp_format() {
    let (path, text) = data("tiny.conll");
    let s = parse(&text, &path, &TagMap::Anercorp).unwrap();
    assert_eq!(s.len(), 8);
    assert_eq!(s[0].tokens[3], "ميشال");
    assert_eq!(s[0].tags[3], Tag::B(NerLabel::Pers));
    assert_eq!(s[0].tags[4], Tag::I(NerLabel::Pers));
    let spans: usize = s
        .iter()
        .map(|x| marsad_ner::score::spans(&x.tags).len())
        .sum();
    assert_eq!(spans, 22);
}

#[test]
fn malformed_line_names_file_and_line() {
    let (path, text) = data("malformed.conll");
    let e = parse(&text, &path, &TagMap::Anercorp).unwrap_err();
    assert_eq!(e.line, 3);
    assert!(e.file.ends_with("malformed.conll"));
    let msg = e.to_string();
    assert!(msg.contains("malformed.conll:3:"), "{msg}");
}

#[test]
fn unknown_tag_is_reported_not_mapped() {
    let (path, text) = data("unknown_tag.conll");
    let e = parse(&text, &path, &TagMap::Anercorp).unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("PER"), "{}", e.message);
    // with an explicit map it reads
    let m = TagMap::parse("PER=PERS,LOC=LOC").unwrap();
    let s = parse(&text, &path, &m).unwrap();
    assert_eq!(s[0].tags[1], Tag::B(NerLabel::Pers));
    // a map that misses a type of the file is an error too
    let m = TagMap::parse("PER=PERS").unwrap();
    assert_eq!(parse(&text, &path, &m).unwrap_err().line, 4);
}

#[test]
fn wojood_outer_spans_win_and_markers_drop() {
    let (path, text) = data("wojood_nested.txt");
    let s = parse(&text, &path, &TagMap::Wojood).unwrap();
    // OCC (outer, mapped to nothing) gives way to the nested ORG and GPE spans
    assert_eq!(s[0].tokens.len(), 4);
    assert_eq!(
        s[0].tags,
        vec![
            Tag::B(NerLabel::Org),
            Tag::I(NerLabel::Org),
            Tag::O,
            Tag::B(NerLabel::Loc)
        ]
    );
}

#[test]
fn bad_tag_map_is_an_error() {
    assert!(TagMap::parse("PER=PERSON").is_err());
    assert!(TagMap::parse("nonsense").is_err());
    assert_eq!(TagMap::parse("wikifane").unwrap(), TagMap::Wikifane);
}

#[test]
fn dev_split_is_the_last_tenth() {
    let (path, text) = data("tiny.conll");
    let s = parse(&text, &path, &TagMap::Anercorp).unwrap();
    let (tr, dv) = dev_split(s.clone());
    assert_eq!((tr.len(), dv.len()), (7, 1));
    assert_eq!(dv[0], s[7]);
}

/// The shared ANERcorp training file parses whole (skipped when ../shared is missing).
#[test]
fn anercorp_train_parses() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/anercorp/train.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("SKIPPED anercorp_train_parses: {path} is missing");
        return;
    };
    let s = parse(&text, path, &TagMap::Anercorp).unwrap();
    assert_eq!(s.len(), 3973);
    assert_eq!(s.iter().map(|x| x.tokens.len()).sum::<usize>(), 125_102);
}

/// Our stand-off annotations of SaudiNewsNet sentences (`data/ner/news_annotations*.tsv`) line up
/// with the news they name: every entity on token boundaries (skipped when ../shared is
/// missing).
#[test]
fn news_annotations_parse() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let news = format!("{root}/../shared/data/news/saudinewsnet-early.jsonl");
    let Ok(jsonl) = std::fs::read_to_string(&news) else {
        eprintln!("SKIPPED news_annotations_parse: {news} is missing");
        return;
    };
    let mut contents = std::collections::HashMap::new();
    for line in jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        contents.insert(
            v["id"].as_str().unwrap().to_string(),
            v["content"].as_str().unwrap().to_string(),
        );
    }
    // file, sentences, entities by type (PERS LOC ORG MISC)
    for (name, n, want) in [
        ("news_annotations.tsv", 5803, [2868, 4514, 2684, 1229]),
        ("news_annotations_more.tsv", 2899, [1537, 2371, 1318, 596]),
        ("news_annotations_s25.tsv", 17823, [9765, 13462, 8461, 3958]),
    ] {
        let path = format!("{root}/data/ner/{name}");
        let text = std::fs::read_to_string(&path).unwrap();
        let s = marsad_ner::standoff::parse(&text, &path, &contents).unwrap();
        assert_eq!(s.len(), n, "{name}");
        let begins = |l: NerLabel| {
            s.iter()
                .flat_map(|x| &x.tags)
                .filter(|t| **t == Tag::B(l))
                .count()
        };
        let by_type = [NerLabel::Pers, NerLabel::Loc, NerLabel::Org, NerLabel::Misc].map(begins);
        assert_eq!(by_type, want, "{name}");
    }
}
