//! Store integration tests: migrations, writing with hand-built analyses (entities, events,
//! de-duplication and GDELT-style counts), reads for the dashboard, Arabic search, export.

use marsad_coder::{
    DocAnalysis, Entity, EntityType, Event, Mention, Mood, Participant, SentenceSpan,
};
use marsad_store::*;
use marsad_text::{Analyzer, DocMeta, Document};

fn tmp() -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("t.db");
    (d, p)
}

fn meta(id: &str, source: &str, date: &str) -> DocMeta {
    DocMeta {
        id: Some(id.into()),
        url: Some(format!("https://x.invalid/{id}")),
        title: Some(format!("عنوان {id}")),
        source: Some(source.into()),
        dateline: None,
        date: Some(date.into()),
    }
}

fn new_doc(m: DocMeta, text: &str, analysis: DocAnalysis) -> NewDocument {
    let doc = Document::with_meta(text, m);
    let origin = format!("test:{}", doc.meta.id.clone().unwrap_or_default());
    prepare(&doc, analysis, None, origin, &mut Analyzer::new())
}

/// Code-point span of the first occurrence of `w` in `text`.
fn span(text: &str, w: &str) -> (u32, u32) {
    let b = text.find(w).unwrap_or_else(|| panic!("{w} not in {text}"));
    let s = text[..b].chars().count() as u32;
    (s, s + w.chars().count() as u32)
}

fn entity(
    id: &str,
    kind: EntityType,
    name: &str,
    actor: Option<&str>,
    text: &str,
    words: &[&str],
) -> Entity {
    Entity {
        id: id.into(),
        kind,
        name: name.into(),
        name_en: None,
        actor: actor.map(str::to_string),
        mentions: words
            .iter()
            .map(|w| {
                let (s, e) = span(text, w);
                Mention {
                    start: s,
                    end: e,
                    text: w.to_string(),
                }
            })
            .collect(),
        country: actor.map(|a| a[..3].to_string()),
        lat: None,
        lon: None,
    }
}

fn event(
    code: &str,
    src: &str,
    tgt: &str,
    text: &str,
    trigger: &str,
    date: Option<&str>,
    mood: Mood,
) -> Event {
    let (s, e) = span(text, trigger);
    Event {
        code: code.into(),
        quad_class: 1,
        goldstein: 3.5,
        plover: None,
        trigger: Mention {
            start: s,
            end: e,
            text: trigger.into(),
        },
        source: Some(Participant {
            entity: Some(src.into()),
            actor: None,
            text: None,
        }),
        target: Some(Participant {
            entity: Some(tgt.into()),
            actor: None,
            text: None,
        }),
        location: None,
        date: date.map(str::to_string),
        mood,
        confidence: Some(0.9),
    }
}

const TEXT_A: &str = "أعلنت المملكة العربية السعودية وإيران اليوم الجمعة استئناف العلاقات الدبلوماسية بينهما بعد محادثات استضافتها بكين. وقال البيان المشترك إن البلدين اتفقا على إعادة فتح السفارتين خلال شهرين واحترام سيادة الدول وعدم التدخل في الشؤون الداخلية. وأضاف البيان أن وزيري الخارجية سيجتمعان لتفعيل اتفاقية التعاون الأمني الموقعة بين البلدين.";
// a syndicated copy: one sentence changed
const TEXT_A2: &str = "أعلنت المملكة العربية السعودية وإيران اليوم الجمعة استئناف العلاقات الدبلوماسية بينهما بعد محادثات استضافتها بكين. وقال البيان المشترك إن البلدين اتفقا على إعادة فتح السفارتين خلال شهرين واحترام سيادة الدول وعدم التدخل في الشؤون الداخلية. ورحبت عواصم عربية عدة بالخطوة معتبرة أنها تعزز الاستقرار في المنطقة.";
const TEXT_B: &str = "اجتمع وزير الخارجية السعودي بنظيره الإيراني في بكين لبحث تنفيذ الاتفاق. وأكد الجانبان أن المحادثات بناءة وأن الاجتماع المقبل سيعقد في الرياض بعد أسابيع قليلة من الآن.";
const TEXT_C: &str = "ضرب زلزال قوي جنوب تركيا وشمال سوريا فجر اليوم وأسفر عن سقوط آلاف الضحايا وانهيار مئات المباني في مدن عدة، فيما تواصل فرق الإنقاذ البحث عن ناجين تحت الأنقاض.";

fn analysis_saudi_iran(text: &str, extra_mentions: usize) -> DocAnalysis {
    let mut ev = vec![event(
        "036",
        "local:1",
        "local:2",
        text,
        "استئناف",
        None,
        Mood::Asserted,
    )];
    for _ in 0..extra_mentions {
        ev.push(event(
            "036",
            "local:1",
            "local:2",
            text,
            "استئناف",
            None,
            Mood::Asserted,
        ));
    }
    DocAnalysis {
        sentences: vec![SentenceSpan {
            start: 0,
            end: text
                .find('.')
                .map(|b| text[..b].chars().count() as u32 + 1)
                .unwrap_or(10),
        }],
        entities: vec![
            entity(
                "local:1",
                EntityType::LOC,
                "السعودية",
                Some("SAU"),
                text,
                &["السعودية"],
            ),
            entity(
                "local:2",
                EntityType::LOC,
                "إيران",
                Some("IRN"),
                text,
                &["إيران"],
            ),
        ],
        events: ev,
        ..Default::default()
    }
}

#[test]
fn migrations_and_reopen() {
    let (_d, p) = tmp();
    {
        let s = SqliteStore::open(&p).unwrap();
        assert_eq!(s.stats().unwrap().schema_version, schema::latest());
        let mode: String = s
            .connection()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
    let s = SqliteStore::open(&p).unwrap();
    assert_eq!(s.stats().unwrap().documents, 0);
    let r = SqliteStore::open_read_only(&p).unwrap();
    assert!(r.verify().unwrap().is_empty());
    assert!(SqliteStore::open_read_only(p.with_file_name("missing.db")).is_err());
    // a database from a newer marsad is refused
    s.connection()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    drop(s);
    let e = SqliteStore::open(&p)
        .err()
        .expect("newer schema must be refused");
    assert!(e.to_string().contains("newer"), "{e}");
}

#[test]
fn present_duplicate_near_duplicate_and_stories() {
    let (_d, p) = tmp();
    let mut s = SqliteStore::open(&p).unwrap();
    let a = new_doc(
        meta("a", "S1", "2023-03-10"),
        TEXT_A,
        DocAnalysis::default(),
    );
    let out = s.write_batch(vec![a.clone()]).unwrap();
    let WriteOutcome::New {
        num: na,
        cluster,
        near_dup_of: None,
    } = out[0]
    else {
        panic!("{out:?}")
    };
    assert_eq!(cluster, na);
    // same id again: nothing added
    assert_eq!(
        s.write_batch(vec![a]).unwrap()[0],
        WriteOutcome::Present { num: na }
    );
    // same text, other id: an exact copy
    let copy = new_doc(
        meta("a-copy", "S3", "2023-03-10"),
        &format!("  {TEXT_A}\n"),
        DocAnalysis::default(),
    );
    assert_eq!(
        s.write_batch(vec![copy]).unwrap()[0],
        WriteOutcome::Duplicate { num: na }
    );
    // a syndicated copy with one sentence changed: same story; and an unrelated text, in the
    // same batch as its near duplicate
    let a2 = new_doc(
        meta("a2", "S2", "2023-03-11"),
        TEXT_A2,
        DocAnalysis::default(),
    );
    let c = new_doc(
        meta("c", "S2", "2023-02-06"),
        TEXT_C,
        DocAnalysis::default(),
    );
    let b = new_doc(
        meta("b", "S1", "2023-04-06"),
        TEXT_B,
        DocAnalysis::default(),
    );
    let out = s.write_batch(vec![a2, c, b]).unwrap();
    match &out[0] {
        WriteOutcome::New {
            cluster,
            near_dup_of: Some((of, sim)),
            ..
        } => {
            assert_eq!((*cluster, *of), (na, na));
            assert!(*sim > 0.4, "{sim}");
        }
        o => panic!("a2: {o:?}"),
    }
    for o in &out[1..] {
        assert!(
            matches!(
                o,
                WriteOutcome::New {
                    near_dup_of: None,
                    ..
                }
            ),
            "{o:?}"
        );
    }
    let st = s.stats().unwrap();
    assert_eq!(
        (st.documents, st.copies, st.stories, st.near_duplicates),
        (4, 1, 3, 1)
    );
    let d = s.document(na).unwrap().unwrap();
    assert_eq!(d.copies.len(), 1);
    assert_eq!(d.copies[0].id, "a-copy");
    assert_eq!(d.story.len(), 1);
    assert_eq!(d.story[0].id, "a2");
    assert_eq!(d.text, TEXT_A);
    // lookups by id, URL, copy id and content hash
    assert_eq!(s.document_num("a-copy").unwrap(), Some(na));
    assert_eq!(s.document_num("https://x.invalid/a").unwrap(), Some(na));
    assert_eq!(
        s.lookup(None, None, Some(&dedup::content_hash(TEXT_A)))
            .unwrap(),
        Some(na)
    );
    assert_eq!(s.document_num("nope").unwrap(), None);
    assert!(s.verify().unwrap().is_empty(), "{:?}", s.verify());
    // list with filters and pages, newest first
    let all = s
        .list_documents(&DocFilter::default(), Page::new(2, 0))
        .unwrap();
    assert_eq!(all.total, 4);
    assert_eq!(
        all.items.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["b", "a2"]
    );
    let p2 = s
        .list_documents(&DocFilter::default(), Page::new(2, 2))
        .unwrap();
    assert_eq!(
        p2.items.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["a", "c"]
    );
    let f = DocFilter {
        from: Some("2023-03-01".into()),
        to: Some("2023-03-31".into()),
        ..Default::default()
    };
    assert_eq!(s.list_documents(&f, Page::default()).unwrap().total, 2);
    let f = DocFilter {
        source: Some("S2".into()),
        ..Default::default()
    };
    assert_eq!(s.list_documents(&f, Page::default()).unwrap().total, 2);
    let f = DocFilter {
        cluster: Some(na),
        ..Default::default()
    };
    assert_eq!(s.list_documents(&f, Page::default()).unwrap().total, 2);
    let bad = DocFilter {
        from: Some("yesterday".into()),
        ..Default::default()
    };
    assert!(matches!(
        s.list_documents(&bad, Page::default()),
        Err(StoreError::BadRequest(_))
    ));
    assert_eq!(
        s.sources().unwrap(),
        vec![
            SourceCount {
                source: "S1".into(),
                docs: 2
            },
            SourceCount {
                source: "S2".into(),
                docs: 2
            }
        ]
    );
}

#[test]
fn events_are_one_per_actors_code_date_with_gdelt_counts() {
    let (_d, p) = tmp();
    let mut s = SqliteStore::open(&p).unwrap();
    // doc 1 (S1) and its syndicated copy (S2) report the same event; doc 3 (S1 again, another
    // story) reports it twice; a future-mood report is another event
    let d1 = new_doc(
        meta("d1", "S1", "2023-03-10"),
        TEXT_A,
        analysis_saudi_iran(TEXT_A, 0),
    );
    let d2 = new_doc(
        meta("d2", "S2", "2023-03-10"),
        TEXT_A2,
        analysis_saudi_iran(TEXT_A2, 0),
    );
    let text3 = "قال مسؤول إن السعودية وإيران قررتا استئناف العلاقات وإن استئناف الرحلات سيتبع ذلك في وقت لاحق من الشهر المقبل بعد اجتماع اللجان.";
    let d3 = new_doc(
        meta("d3", "S1", "2023-03-10"),
        text3,
        analysis_saudi_iran(text3, 1),
    );
    let fut = DocAnalysis {
        entities: vec![
            entity(
                "local:1",
                EntityType::LOC,
                "السعودية",
                Some("SAU"),
                TEXT_B,
                &["السعودي"],
            ),
            entity(
                "local:2",
                EntityType::LOC,
                "إيران",
                Some("IRN"),
                TEXT_B,
                &["الإيراني"],
            ),
        ],
        events: vec![event(
            "036",
            "local:1",
            "local:2",
            TEXT_B,
            "اجتمع",
            Some("2023-03-10"),
            Mood::Future,
        )],
        ..Default::default()
    };
    let d4 = new_doc(meta("d4", "S3", "2023-03-11"), TEXT_B, fut);
    let out = s.write_batch(vec![d1, d2, d3, d4]).unwrap();
    assert!(
        out.iter().all(|o| matches!(o, WriteOutcome::New { .. })),
        "{out:?}"
    );

    let evs = s.events(&EventFilter::default(), Page::default()).unwrap();
    assert_eq!(evs.total, 2, "{:#?}", evs.items);
    let e = evs.items.iter().find(|e| e.mood == "asserted").unwrap();
    assert_eq!(e.date.as_deref(), Some("2023-03-10"));
    assert_eq!(
        (e.code.as_str(), e.base_code.as_str(), e.root_code.as_str()),
        ("036", "036", "03")
    );
    assert_eq!(e.num_mentions, 4);
    assert_eq!(e.num_articles, 3);
    assert_eq!(e.num_sources, 2);
    assert_eq!(e.num_stories, 2, "d1 and d2 are one story");
    assert!(e.is_root);
    assert_eq!(e.source.entity.as_deref(), Some("~LOC:السعودية"));
    assert_eq!(e.source.name.as_deref(), Some("السعودية"));
    assert_eq!(e.source.country.as_deref(), Some("SAU"));
    assert_eq!(e.source_url.as_deref(), Some("https://x.invalid/d1"));
    let f = s
        .events(
            &EventFilter {
                moods: vec!["future".into()],
                ..Default::default()
            },
            Page::default(),
        )
        .unwrap();
    assert_eq!(f.total, 1);
    assert_eq!(f.items[0].num_mentions, 1);

    // filters
    let by_code = |c: &str| {
        s.events(
            &EventFilter {
                code: Some(c.into()),
                ..Default::default()
            },
            Page::default(),
        )
        .unwrap()
        .total
    };
    assert_eq!((by_code("03"), by_code("036"), by_code("04")), (2, 2, 0));
    let src = e.source.entity.clone().unwrap();
    let by_actor = |a: &str| {
        s.events(
            &EventFilter {
                actor: Some(a.into()),
                ..Default::default()
            },
            Page::default(),
        )
        .unwrap()
        .total
    };
    assert_eq!(by_actor(&src), 2);
    assert_eq!(by_actor("NOPE"), 0);
    let dated = s
        .events(
            &EventFilter {
                from: Some("2023-03-11".into()),
                ..Default::default()
            },
            Page::default(),
        )
        .unwrap();
    assert_eq!(dated.total, 0);

    // the event with its mentions
    let det = s.event(e.id).unwrap().unwrap();
    assert_eq!(det.mentions.len(), 4);
    assert!(det.mentions.iter().all(|m| m.text == "استئناف"));

    // entities: local ids of the same type and name meet across documents
    let ents = s
        .entities(&EntityFilter::default(), Page::default())
        .unwrap();
    assert_eq!(ents.total, 2, "{:#?}", ents.items);
    assert!(
        ents.items.iter().all(|e| e.num_docs == 4),
        "{:#?}",
        ents.items
    );
    let only_loc = s
        .entities(
            &EntityFilter {
                kind: Some("PER".into()),
                ..Default::default()
            },
            Page::default(),
        )
        .unwrap();
    assert_eq!(only_loc.total, 0);
    let det = s.entity(&src).unwrap().unwrap();
    assert_eq!(
        det.timeline
            .iter()
            .map(|t| (t.date.as_str(), t.docs))
            .collect::<Vec<_>>(),
        [("2023-03-10", 3), ("2023-03-11", 1)]
    );
    assert_eq!(det.partners.len(), 1);
    assert_eq!(det.partners[0].docs, 4);
    assert_eq!(det.partners[0].events, 2);
    assert_eq!(
        det.sources[0],
        SourceCount {
            source: "S1".into(),
            docs: 2
        }
    );

    // a document with its spans
    let n1 = s.document_num("d1").unwrap().unwrap();
    let doc = s.document(n1).unwrap().unwrap();
    assert_eq!(doc.entities.len(), 2);
    for sp in &doc.entities {
        let t: String = doc
            .text
            .chars()
            .skip(sp.start as usize)
            .take((sp.end - sp.start) as usize)
            .collect();
        assert!(t == "السعودية" || t == "إيران", "{t}");
    }
    assert_eq!(doc.events.len(), 1);
    assert_eq!(doc.events[0].code, "036");
    let in_doc = s
        .events(
            &EventFilter {
                doc: Some(n1),
                ..Default::default()
            },
            Page::default(),
        )
        .unwrap();
    assert_eq!(in_doc.total, 1);
    assert!(s.verify().unwrap().is_empty(), "{:?}", s.verify());

    // export
    let row = export::gdelt_row(e);
    assert_eq!(row.len(), 61);
    assert_eq!(export::GDELT_COLUMNS.len(), 61);
    assert_eq!(row[1], "20230310");
    assert_eq!(row[2], "202303");
    assert_eq!(row[3], "2023");
    assert_eq!(row[26], "036");
    assert_eq!(row[28], "03");
    assert_eq!(row[31], "4"); // NumMentions
    assert_eq!(row[32], "2"); // NumSources
    assert_eq!(row[33], "3"); // NumArticles
    assert_eq!(row[60], "https://x.invalid/d1");
    let csv = export::csv_row(e);
    assert!(
        csv.starts_with(&format!("{},2023-03-10,036,", e.id)),
        "{csv}"
    );
}

#[test]
fn search_cases_from_table() {
    let table = include_str!("data/search_cases.tsv");
    let rows: Vec<(String, String, bool)> = table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3, "bad row {l:?}");
            (f[0].to_string(), f[1].to_string(), f[2] == "1")
        })
        .collect();
    let (_d, p) = tmp();
    let mut s = SqliteStore::open(&p).unwrap();
    let mut texts: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    texts.sort();
    texts.dedup();
    let docs = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut m = meta(&format!("t{i}"), "S", "2020-01-01");
            m.title = None;
            new_doc(m, t, DocAnalysis::default())
        })
        .collect();
    s.write_batch(docs).unwrap();
    let mut failures = Vec::new();
    for (q, text, want) in &rows {
        let id = format!("t{}", texts.iter().position(|t| t == text).unwrap());
        let mut sq = SearchQuery::new(q);
        sq.variants.clear(); // the table tests spelling, not the alias dictionary
        sq.limit = 100;
        sq.collapse = false;
        let hits = s.search(&sq).unwrap();
        let hit = hits.items.iter().find(|h| h.id == id);
        if hit.is_some() != *want {
            failures.push(format!("{q:?} in {text:?}: expected {want}"));
            continue;
        }
        if let Some(h) = hit {
            // highlights are original code-point offsets into the text, inside the snippet
            assert!(!h.highlights.is_empty(), "{q} in {text}: no highlight");
            let chars: Vec<char> = text.chars().collect();
            for [a, b] in &h.highlights {
                assert!(*a >= h.snippet_start && *b <= h.snippet_end);
                let word: String = chars[*a as usize..*b as usize].iter().collect();
                assert!(!word.trim().is_empty() && !word.contains(' '), "{word:?}");
            }
            let snip: String = chars[h.snippet_start as usize..h.snippet_end as usize]
                .iter()
                .collect();
            assert_eq!(snip, h.snippet);
        }
    }
    assert!(
        failures.is_empty(),
        "search cases failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn search_ranks_filters_and_folds_stories() {
    let (_d, p) = tmp();
    let mut s = SqliteStore::open(&p).unwrap();
    let mut a = meta("a", "S1", "2023-03-10");
    a.title = Some("السعودية وإيران تستأنفان العلاقات".into());
    let a2 = meta("a2", "S2", "2023-03-11");
    let mut b = meta("b", "S1", "2023-04-06");
    b.title = Some("اجتماع في بكين".into());
    let c = meta("c", "S2", "2023-02-06");
    s.write_batch(vec![
        new_doc(a, TEXT_A, DocAnalysis::default()),
        new_doc(a2, TEXT_A2, DocAnalysis::default()),
        new_doc(b, TEXT_B, DocAnalysis::default()),
        new_doc(c, TEXT_C, DocAnalysis::default()),
    ])
    .unwrap();
    let ids = |q: &SearchQuery| -> Vec<String> {
        s.search(q)
            .unwrap()
            .items
            .into_iter()
            .map(|h| h.id)
            .collect()
    };
    let mut q = SearchQuery::new("بكين");
    q.variants.clear();
    // a and a2 are one story: folded, the copy listed
    let r = s.search(&q).unwrap();
    assert_eq!(r.total, 3);
    assert_eq!(r.items.len(), 2);
    let story = r
        .items
        .iter()
        .find(|h| h.id == "a" || h.id == "a2")
        .unwrap();
    assert_eq!(story.copies.len(), 1);
    q.collapse = false;
    assert_eq!(ids(&q).len(), 3);
    // title words weigh more: "إيران" in a's title ranks it first
    let mut qi = SearchQuery::new("إيران");
    qi.variants.clear();
    qi.collapse = false;
    assert_eq!(ids(&qi)[0], "a");
    let h = &s.search(&qi).unwrap().items[0];
    assert_eq!(h.title_highlights.len(), 1);
    assert!(h.score > 0.0);
    // filters
    q.source = Some("S2".into());
    assert_eq!(ids(&q), ["a2"]);
    q.source = None;
    q.from = Some("2023-03-11".into());
    let mut got = ids(&q);
    got.sort();
    assert_eq!(got, ["a2", "b"]);
    q.to = Some("2023-03-31".into());
    assert_eq!(ids(&q), ["a2"]);
    q.from = Some("bad".into());
    assert!(s.search(&q).is_err());
    // a date range around every document filters nothing …
    q.from = Some("2000-01-01".into());
    q.to = Some("2099-12-31".into());
    q.collapse = false;
    let mut got = ids(&q);
    got.sort();
    assert_eq!(got, ["a", "a2", "b"]);
    q.collapse = true;
    q.from = None;
    q.to = None;
    // paging
    let mut q = SearchQuery::new("بكين");
    q.variants.clear();
    q.collapse = false;
    q.limit = 2;
    let first = ids(&q);
    q.offset = 2;
    let second = ids(&q);
    assert_eq!(first.len() + second.len(), 3);
    assert!(second.iter().all(|x| !first.contains(x)));
    // a word that occurs nowhere, alone or in an alternative
    assert_eq!(s.search(&SearchQuery::new("زرزورستان")).unwrap().total, 0);
    // nothing to search for
    assert_eq!(s.search(&SearchQuery::new("،،")).unwrap().total, 0);
    // FTS syntax in the query is text, not syntax
    for q in ["\"", "NEAR(", "a OR", "*", "-x", "col:x", "^"] {
        s.search(&SearchQuery::new(q)).unwrap();
    }
}

#[test]
fn alias_variants_are_ored() {
    let (_d, p) = tmp();
    let mut s = SqliteStore::open(&p).unwrap();
    let t1 = "التقى الرئيس الأمريكي دونالد ترامب رئيس الوزراء في البيت الأبيض لبحث ملفات المنطقة والاقتصاد والطاقة.";
    let t2 = "قال ترمب إن المحادثات كانت مثمرة وإن الجانبين سيواصلان العمل على الملفات العالقة خلال الأسابيع المقبلة.";
    s.write_batch(vec![
        new_doc(meta("t1", "S", "2020-08-20"), t1, DocAnalysis::default()),
        new_doc(meta("t2", "S", "2020-08-20"), t2, DocAnalysis::default()),
    ])
    .unwrap();
    let mut q = SearchQuery::new("ترمب");
    q.variants = vec!["ترامب".into(), "دونالد ترامب".into()];
    let r = s.search(&q).unwrap();
    assert_eq!(r.total, 2);
    let h1 = r.items.iter().find(|h| h.id == "t1").unwrap();
    let hl: Vec<String> = h1
        .highlights
        .iter()
        .map(|[a, b]| {
            t1.chars()
                .skip(*a as usize)
                .take((b - a) as usize)
                .collect()
        })
        .collect();
    assert_eq!(hl, ["دونالد", "ترامب"]);
}

#[test]
fn a_version_1_database_is_migrated() {
    let (_d, p) = tmp();
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(schema::MIGRATIONS[0]).unwrap();
        c.execute_batch(
            "INSERT INTO documents (id, ext_id, text, content_hash, cluster, published, source)
               VALUES (1, 'old', 'قال فلان إن فلانا وصل', x'00', 1, '2020-01-01', 'S');
             INSERT INTO entities (id, type, name, num_mentions, num_docs) VALUES ('~PER:فلان', 'PER', 'فلان', 2, 1);
             INSERT INTO mentions VALUES (1, 4, 8, '~PER:فلان'), (1, 12, 16, '~PER:فلان');
             INSERT INTO doc_entities VALUES ('~PER:فلان', 1, 2, '2020-01-01');
             INSERT INTO doc_fts (rowid, title, body) VALUES (1, '', 'قال فلان ان فلانا وصل');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    // read-only opening migrates first
    let s = SqliteStore::open_read_only(&p).unwrap();
    assert_eq!(s.stats().unwrap().schema_version, schema::latest());
    assert!(s.verify().unwrap().is_empty(), "{:?}", s.verify());
    let st = s.stats().unwrap();
    assert_eq!(
        (st.documents, st.entities, st.mentions, st.sources),
        (1, 1, 2, 1)
    );
    let d = s.document(1).unwrap().unwrap();
    let spans: Vec<(u32, u32)> = d.entities.iter().map(|e| (e.start, e.end)).collect();
    assert_eq!(spans, [(4, 8), (12, 16)]);
}

#[test]
fn search_date_bounds_around_everything_still_need_a_date() {
    let (_d, p) = tmp();
    let mut s = SqliteStore::open(&p).unwrap();
    let mut u = meta("undated", "S3", "2023-01-01");
    u.date = None;
    let undated = "وصل وفد تجاري إلى بكين صباح أمس لبحث صفقات جديدة في قطاع الطاقة.";
    s.write_batch(vec![
        new_doc(
            meta("b", "S1", "2023-04-06"),
            TEXT_B,
            DocAnalysis::default(),
        ),
        new_doc(u, undated, DocAnalysis::default()),
    ])
    .unwrap();
    let ids = |q: &SearchQuery| -> Vec<String> {
        let mut v: Vec<String> = s
            .search(q)
            .unwrap()
            .items
            .into_iter()
            .map(|h| h.id)
            .collect();
        v.sort();
        v
    };
    let mut q = SearchQuery::new("بكين");
    q.variants.clear();
    q.collapse = false;
    assert_eq!(ids(&q), ["b", "undated"]);
    q.from = Some("2000-01-01".into());
    q.to = Some("2099-12-31".into());
    assert_eq!(ids(&q), ["b"]);
    q.from = None;
    assert_eq!(ids(&q), ["b"]);
}
