//! Ingest integration tests: the demo corpus (near duplicates, re-ingest), real news from
//! ../shared (skipped with a message when absent), bad inputs, feeds and pages over a local HTTP
//! server (500, timeout, 50 MB pages, schemes), --watch, stdin, and SIGKILL midway.

mod support;

use marsad_coder::{DocAnalysis, Entity, EntityType, Event, Mention, Mood, Participant};
use marsad_ingest::{AnalyzerFactory, DocAnalyzer, Ingester, Options, Summary};
use marsad_store::{SqliteStore, Store};
use marsad_text::Document;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{page, rss, Reply, Server};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(p)
}

/// A file of ../shared, or None (and a message) when this checkout has none.
fn shared(p: &str) -> Option<PathBuf> {
    let path = repo("../shared").join(p);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "SKIPPED: {} is missing (../shared is not beside the repository)",
            path.display()
        );
        None
    }
}

fn tmpdb() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("t.db");
    (d, p)
}

fn run(store: &mut SqliteStore, opts: Options, inputs: &[&str]) -> Summary {
    let inputs: Vec<String> = inputs.iter().map(|s| s.to_string()).collect();
    Ingester::new(store, opts).run(&inputs)
}

fn run_with(
    store: &mut SqliteStore,
    opts: Options,
    f: AnalyzerFactory,
    inputs: &[String],
) -> Summary {
    Ingester::with_analyzer(store, opts, f).run(inputs)
}

fn ids(s: &SqliteStore, sql: &str) -> Vec<String> {
    let c = s.connection();
    let mut st = c.prepare(sql).unwrap();
    st.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn demo_corpus_near_duplicates_and_reingest() {
    let (_d, db) = tmpdb();
    let mut s = SqliteStore::open(&db).unwrap();
    let corpus = repo("data/demo/corpus.jsonl");
    let corpus = corpus.to_str().unwrap();
    let sum = run(&mut s, Options::default(), &[corpus]);
    assert_eq!(
        (sum.read, sum.new, sum.failed),
        (258, 258, 0),
        "{sum} {:?}",
        sum.errors
    );
    // exactly the three syndicated pairs of data/demo/README.md
    let mut pairs = ids(
        &s,
        "SELECT d.ext_id || '>' || o.ext_id FROM documents d JOIN documents o ON o.id = d.near_dup_of",
    );
    pairs.sort();
    assert_eq!(
        pairs,
        [
            "demo-021>demo-020",
            "demo-142>demo-141",
            "demo-234>demo-233"
        ]
    );
    let st = s.stats().unwrap();
    assert_eq!(
        (st.documents, st.stories, st.near_duplicates),
        (258, 255, 3)
    );
    assert_eq!(st.first_date.as_deref(), Some("2019-02-05"));
    assert!(s.verify().unwrap().is_empty(), "{:?}", s.verify());
    // the same input again adds nothing
    let again = run(&mut s, Options::default(), &[corpus]);
    assert_eq!(
        (again.new, again.present, again.failed),
        (0, 258, 0),
        "{again}"
    );
    assert_eq!(s.stats().unwrap(), st);

    // Arabic search over it: spelling variants and clitics
    let mut q = marsad_store::SearchQuery::new("إيران");
    q.limit = 100;
    q.collapse = false;
    let hits = s.search(&q).unwrap();
    for needle in ["لإيران", "ايران", "وإيران"] {
        assert!(
            hits.items.iter().any(|h| {
                let n = s.document_num(&h.id).unwrap().unwrap();
                s.document(n).unwrap().unwrap().text.contains(needle)
            }),
            "إيران does not find {needle}"
        );
    }
    // alias expansion, once the actor dictionary knows Trump
    let variants = marsad_coder::expand_query("ترمب");
    if variants.iter().any(|v| v.contains("ترامب")) {
        let mut q = marsad_store::SearchQuery::new("ترمب");
        q.limit = 200;
        q.collapse = false;
        let hits = s.search(&q).unwrap();
        let only_tramp = hits.items.iter().any(|h| {
            let n = s.document_num(&h.id).unwrap().unwrap();
            let t = s.document(n).unwrap().unwrap().text;
            t.contains("ترامب") && !t.contains("ترمب")
        });
        assert!(only_tramp, "ترمب should find articles that write ترامب");
    } else {
        eprintln!("SKIPPED alias check: expand_query(ترمب) has no ترامب yet");
    }
}

#[test]
fn seed_article_and_directories() {
    let Some(seed) = shared("seed") else { return };
    let (_d, db) = tmpdb();
    let mut s = SqliteStore::open(&db).unwrap();
    let sum = run(&mut s, Options::default(), &[seed.to_str().unwrap()]);
    assert_eq!((sum.new, sum.failed), (1, 0), "{sum} {:?}", sum.errors);
    let d = s
        .list_documents(&Default::default(), marsad_store::Page::default())
        .unwrap();
    let doc = &d.items[0];
    assert_eq!(doc.source.as_deref(), Some("مرصد مينا"));
    assert_eq!(doc.dateline.as_deref(), Some("الولايات المتحدة"));
    assert!(doc.id.ends_with("000_c30fb58d7c41ca5d.txt"), "{}", doc.id);
    let hits = s
        .search(&marsad_store::SearchQuery::new("الكاظمي"))
        .unwrap();
    assert_eq!(hits.items.len(), 1);
}

#[test]
fn saudinewsnet_sample_reads_date_extracted_and_content() {
    let Some(news) = shared("data/news/saudinewsnet-early.jsonl") else {
        return;
    };
    let text = std::fs::read_to_string(news).unwrap();
    let sample: String = text.lines().take(150).map(|l| format!("{l}\n")).collect();
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("sample.jsonl");
    std::fs::write(&f, sample).unwrap();
    let (_d, db) = tmpdb();
    let mut s = SqliteStore::open(&db).unwrap();
    let sum = run(&mut s, Options::default(), &[f.to_str().unwrap()]);
    assert_eq!(
        (sum.new + sum.duplicates, sum.failed),
        (150, 0),
        "{sum} {:?}",
        sum.errors
    );
    let st = s.stats().unwrap();
    assert!(
        st.first_date.as_deref().unwrap().starts_with("2015-07-2"),
        "{st:?}"
    );
    assert!(st.sources >= 3);
    let no_date: i64 = s
        .connection()
        .query_row(
            "SELECT count(*) FROM documents WHERE published IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(no_date, 0);
}

#[test]
fn bad_inputs_are_reported_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::create_dir_all(p("sub/deeper")).unwrap();
    std::fs::write(p("good.txt"), "وكالة الاختبار – بغداد\nقال مسؤول عراقي إن الحكومة ستعقد اجتماعا طارئا لبحث الأوضاع الأمنية في المحافظات الشمالية.\n").unwrap();
    std::fs::write(p("sub/deeper/deep.txt"), "صدى الأرز – بيروت\nأعلنت وزارة الصحة اللبنانية ارتفاع عدد الإصابات وطالبت المواطنين بالالتزام بالإجراءات الوقائية.\n").unwrap();
    let mut bad = "وكالة – بغداد\nنص ".as_bytes().to_vec();
    bad.extend_from_slice(&[0xff, 0xfe, b'x']);
    std::fs::write(p("bad_utf8.txt"), bad).unwrap();
    std::fs::write(
        p("news.jsonl"),
        concat!(
            "{\"id\": \"j1\", \"source\": \"src\", \"date\": \"2020-01-02\", \"title\": \"عنوان\", \"content\": \"اجتمع وزير الخارجية بنظيره في العاصمة لبحث العلاقات الثنائية والتعاون الاقتصادي.\"}\n",
            "{\"id\": \"j2\", \"content\": \"نص مقطوع\n",
            "{\"id\": \"j3\", \"title\": \"بلا نص\"}\n",
            "\n",
            "{\"id\": \"j4\", \"source\": \"src\", \"date_extracted\": \"2020-01-03 10:00:00\", \"text\": \"وقع البلدان اتفاقية للتعاون في مجالات الطاقة والنقل والتجارة خلال زيارة رسمية.\"}\n",
            "[1, 2]\n",
            "{\"id\": \"j5\", \"content\": \"نص بلا نهاية سطر في آخر الملف",
        ),
    )
    .unwrap();
    std::fs::write(p("empty.html"), "<html><head><title>قائمة</title></head><body><nav><a href='/'>الرئيسية</a></nav></body></html>").unwrap();
    std::fs::write(
        p("big.html"),
        support::page("كبير", "2020-01-01", &[&"كلام ".repeat(30_000)]),
    )
    .unwrap();
    std::fs::write(p("notes.md"), "not an input").unwrap();
    std::fs::write(p(".hidden.txt"), "مخفي – مخفي\nلا يقرأ").unwrap();
    std::fs::write(p("blank.txt"), "  \n ").unwrap();

    let (_d, db) = tmpdb();
    let mut s = SqliteStore::open(&db).unwrap();
    let mut opts = Options::default();
    opts.fetch.max_bytes = 64 * 1024;
    let dir_s = dir.path().to_str().unwrap().to_string();
    let missing = p("missing.jsonl").to_str().unwrap().to_string();
    let sum = run(&mut s, opts.clone(), &[&dir_s, &missing]);
    let errs = sum.errors.join("\n");
    assert_eq!(sum.new, 4, "{sum}\n{errs}");
    let expect = [
        "bad_utf8.txt: invalid UTF-8 at byte offset",
        "news.jsonl:2: invalid JSON",
        "news.jsonl:3: no text",
        "news.jsonl:6: not a JSON object",
        "news.jsonl:7: invalid JSON",
        "empty.html: no article text",
        "big.html: larger than the limit",
        "blank.txt: empty file",
        "missing.jsonl: cannot read",
    ];
    for e in expect {
        assert!(errs.contains(e), "no error {e:?} in:\n{errs}");
    }
    assert_eq!(sum.failed as usize, expect.len(), "{errs}");
    assert!(!errs.contains("notes.md") && !errs.contains("hidden"));
    let mut got = ids(&s, "SELECT ext_id FROM documents ORDER BY ext_id");
    got.retain(|x| x.starts_with('j'));
    assert_eq!(got, ["j1", "j4"]);
    // a second run: the failures again, nothing new
    let again = run(&mut s, opts, &[&dir_s]);
    assert_eq!((again.new, again.present), (0, 4), "{again}");
    assert!(s.verify().unwrap().is_empty());
}

#[test]
fn feeds_pages_and_http_faults() {
    let para = [
        "أعلنت وزارة الخارجية اليوم الثلاثاء أن الوزير سيزور العاصمة الأردنية عمان الأسبوع المقبل لبحث التعاون الثنائي.",
        "وقال المتحدث باسم الوزارة إن الزيارة تأتي في إطار التنسيق المستمر بين البلدين بشأن القضايا الإقليمية.",
    ];
    let round = Arc::new(AtomicUsize::new(0));
    let r2 = round.clone();
    let srv = Arc::new(std::sync::OnceLock::<String>::new());
    let srv2 = srv.clone();
    let server = Server::start(move |path| {
        let base = srv2.get().cloned().unwrap_or_default();
        let item = |p: &str, d: &str| (format!("خبر {p}"), format!("{base}/{p}"), d.to_string());
        match path {
            "/feed.xml" => {
                let mut items = vec![
                    item("a.html", "Tue, 10 Mar 2020 09:00:00 +0300"),
                    item("b.html", "Tue, 10 Mar 2020 09:00:00 +0300"),
                    item("c.html", "Tue, 10 Mar 2020 09:00:00 +0300"),
                    item("d.html", "Tue, 10 Mar 2020 09:00:00 +0300"),
                    item("e.html", "Tue, 10 Mar 2020 09:00:00 +0300"),
                    item("f.html", "Tue, 10 Mar 2020 09:00:00 +0300"),
                ];
                items.push((
                    "رابط محلي".to_string(),
                    "file:///etc/passwd".to_string(),
                    "Tue, 10 Mar 2020 09:00:00 +0300".to_string(),
                ));
                if r2.load(Ordering::SeqCst) > 0 {
                    items.push(item("g.html", "Wed, 11 Mar 2020 09:00:00 +0300"));
                }
                Reply::Ok("application/rss+xml", rss(&items).into_bytes())
            }
            "/broken-feed.xml" => {
                Reply::Ok("application/rss+xml", b"<rss><channel><item>".to_vec())
            }
            "/a.html" => Reply::Ok(
                "text/html; charset=utf-8",
                page("زيارة إلى عمان", "2020-03-10T09:00:00+03:00", &para).into_bytes(),
            ),
            "/g.html" => Reply::Ok(
                "text/html",
                page("خبر جديد", "2020-03-11", &[para[1], para[0]]).into_bytes(),
            ),
            "/b.html" => Reply::Status(500),
            "/c.html" => Reply::Slow(Duration::from_secs(4), page("بطيء", "2020-03-10", &para)),
            "/d.html" => Reply::Big(50 * 1024 * 1024, true),
            "/e.html" => Reply::Big(50 * 1024 * 1024, false),
            "/f.html" => Reply::Ok(
                "text/html",
                b"<html><body><nav>menu</nav></body></html>".to_vec(),
            ),
            "/page.html" => {
                let html = page("صفحة مباشرة", "2021-05-01", &[
                    "قال رئيس الوزراء في مؤتمر صحفي إن الحكومة ستطلق برنامجا جديدا لدعم الشركات الصغيرة والمتوسطة.",
                    "وأضاف أن البرنامج سيوفر قروضا ميسرة وتدريبا لأصحاب المشاريع في مختلف المحافظات.",
                ]);
                let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(&html);
                Reply::Ok("text/html; charset=windows-1256", bytes.into_owned())
            }
            _ => Reply::Status(404),
        }
    });
    srv.set(server.base.clone()).unwrap();
    let (_d, db) = tmpdb();
    let mut s = SqliteStore::open(&db).unwrap();
    let mut opts = Options::default();
    opts.fetch.timeout = Duration::from_secs(1);
    opts.fetch.max_bytes = 1024 * 1024;
    let feed = server.url("/feed.xml");
    let inputs: Vec<String> = vec![
        feed.clone(),
        server.url("/page.html"),
        server.url("/missing.html"),
        server.url("/broken-feed.xml"),
        "file:///etc/passwd".into(),
        "ftp://example.invalid/x".into(),
    ];
    let t = Instant::now();
    let sum = Ingester::new(&mut s, opts.clone()).run(&inputs);
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "timeouts not enforced"
    );
    let errs = sum.errors.join("\n");
    assert_eq!(sum.new, 2, "{sum}\n{errs}");
    for (url, what) in [
        ("/b.html", "500"),
        ("/c.html", "timed out"),
        ("/d.html", "over the limit"),
        ("/e.html", "over the limit"),
        ("/f.html", "no article text"),
        ("/missing.html", "404"),
        ("/broken-feed.xml", "not a readable RSS/Atom feed"),
        ("file:///etc/passwd", "only http:// and https://"), // an input and a feed item
        ("ftp://example.invalid/x", "only http:// and https://"),
    ] {
        assert!(
            sum.errors
                .iter()
                .any(|e| e.contains(url) && e.contains(what)),
            "no error for {url} ({what}) in:\n{errs}"
        );
    }
    assert_eq!(sum.failed, 10, "{errs}");
    assert_eq!(
        sum.errors
            .iter()
            .filter(|e| e.contains("file:///etc/passwd"))
            .count(),
        2,
        "{errs}"
    );
    let n = s
        .document_num(&server.url("/a.html"))
        .unwrap()
        .expect("a.html stored");
    let d = s.document(n).unwrap().unwrap();
    assert_eq!(d.doc.published.as_deref(), Some("2020-03-10"));
    assert_eq!(d.doc.title.as_deref(), Some("خبر a.html"));
    assert_eq!(d.doc.source.as_deref(), Some("صدى الاختبار"));
    assert!(
        d.text.contains("عمان") && !d.text.contains("رياضة"),
        "{}",
        d.text
    );
    let n = s
        .document_num(&server.url("/page.html"))
        .unwrap()
        .expect("page stored");
    let d = s.document(n).unwrap().unwrap();
    assert!(
        d.text.contains("الشركات الصغيرة"),
        "windows-1256 page: {}",
        d.text
    );
    assert_eq!(d.doc.published.as_deref(), Some("2021-05-01"));

    // --watch: a new item appears; only it is fetched and stored
    round.store(1, Ordering::SeqCst);
    let mut rounds = Vec::new();
    let total =
        Ingester::new(&mut s, opts).watch(&[feed], Duration::from_millis(10), Some(2), |r, sum| {
            rounds.push((r, sum.new, sum.present))
        });
    assert_eq!(rounds, [(1, 1, 1), (2, 0, 2)], "{total}");
    assert_eq!(
        total.failed, 12,
        "the failing items are retried each round: {total}"
    );
    assert!(s.document_num(&server.url("/g.html")).unwrap().is_some());
    assert!(s.verify().unwrap().is_empty());
}

#[test]
fn atom_feed_without_fetching() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("feed.atom");
    std::fs::write(
        &f,
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>مرصد الخليج</title><id>urn:x</id><updated>2023-03-10T10:00:00Z</updated>
<entry><title>استئناف العلاقات</title><id>urn:1</id><link href="https://gulf.invalid/1.html"/><updated>2023-03-10T10:00:00Z</updated>
<content type="html">&lt;p&gt;أعلنت المملكة العربية السعودية وإيران استئناف العلاقات الدبلوماسية بعد محادثات في بكين استمرت أياما.&lt;/p&gt;</content></entry>
</feed>"#,
    )
    .unwrap();
    let (_d, db) = tmpdb();
    let mut s = SqliteStore::open(&db).unwrap();
    let opts = Options {
        fetch_items: false,
        ..Options::default()
    };
    let sum = run(&mut s, opts, &[f.to_str().unwrap()]);
    assert_eq!((sum.new, sum.failed), (1, 0), "{sum} {:?}", sum.errors);
    let n = s
        .document_num("https://gulf.invalid/1.html")
        .unwrap()
        .unwrap();
    let d = s.document(n).unwrap().unwrap();
    assert_eq!(d.doc.source.as_deref(), Some("مرصد الخليج"));
    assert_eq!(d.doc.published.as_deref(), Some("2023-03-10"));
    assert!(d.text.contains("بكين"));
}

// ---- a child process: stdin, and SIGKILL midway ----------------------------------------------

/// A fast stand-in for the analysis pipeline: the entity فلان and one event per document.
struct Fake;

impl DocAnalyzer for Fake {
    fn analyze(&mut self, doc: &Document) -> DocAnalysis {
        let text = doc.text();
        let Some(b) = text.find("فلان") else {
            return DocAnalysis::default();
        };
        let s = text[..b].chars().count() as u32;
        let m = Mention {
            start: s,
            end: s + 4,
            text: "فلان".into(),
        };
        let p = Participant {
            entity: Some("local:1".into()),
            actor: None,
            text: None,
        };
        DocAnalysis {
            entities: vec![Entity {
                id: "local:1".into(),
                kind: EntityType::PER,
                name: "فلان".into(),
                name_en: None,
                actor: None,
                mentions: vec![m.clone()],
                country: None,
                lat: None,
                lon: None,
            }],
            events: vec![Event {
                code: "010".into(),
                quad_class: 1,
                goldstein: 0.0,
                plover: None,
                trigger: m,
                source: Some(p.clone()),
                target: Some(p),
                location: None,
                date: None,
                mood: Mood::Asserted,
                confidence: None,
            }],
            ..Default::default()
        }
    }
}

fn fake() -> AnalyzerFactory {
    Arc::new(|| Box::new(Fake) as Box<dyn DocAnalyzer>)
}

/// `n` distinct synthetic articles (no two near duplicates), 5 sources, one date.
fn synthetic(n: usize) -> String {
    const WORDS: [&str; 24] = [
        "الحكومة",
        "الوزير",
        "بغداد",
        "الرياض",
        "الاقتصاد",
        "اجتماع",
        "مؤتمر",
        "الأمن",
        "الطاقة",
        "النفط",
        "المجلس",
        "القرار",
        "المحادثات",
        "الاتفاق",
        "الشركات",
        "المشروع",
        "الميناء",
        "المطار",
        "الجامعة",
        "المستشفى",
        "الانتخابات",
        "البرلمان",
        "السفير",
        "الوفد",
    ];
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let mut out = String::new();
    for i in 0..n {
        let mut words = vec!["قال".to_string(), "فلان".to_string(), format!("{i}")];
        for _ in 0..60 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            words.push(WORDS[(x % WORDS.len() as u64) as usize].to_string());
        }
        out.push_str(
            &serde_json::json!({
                "id": format!("s{i}"), "source": format!("src{}", i % 5), "date": "2024-01-01",
                "content": words.join(" "),
            })
            .to_string(),
        );
        out.push('\n');
    }
    out
}

/// Runs only as a child of the tests below (it is ignored otherwise).
#[test]
#[ignore]
fn child_ingest() {
    let Ok(db) = std::env::var("MARSAD_TEST_CHILD_DB") else {
        return;
    };
    let input = std::env::var("MARSAD_TEST_CHILD_INPUT").unwrap();
    let mut s = SqliteStore::open(&db).unwrap();
    let opts = Options {
        batch: 20,
        ..Options::default()
    };
    let sum = run_with(&mut s, opts, fake(), &[input]);
    println!("child: {sum}");
}

fn child(db: &Path, input: &str) -> std::process::Command {
    let mut c = std::process::Command::new(std::env::current_exe().unwrap());
    c.args([
        "--exact",
        "child_ingest",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("MARSAD_TEST_CHILD_DB", db)
    .env("MARSAD_TEST_CHILD_INPUT", input);
    c
}

fn count_docs(db: &Path) -> u64 {
    SqliteStore::open_read_only(db)
        .and_then(|s| s.stats())
        .map(|s| s.documents)
        .unwrap_or(0)
}

#[test]
fn sigkill_midway_then_rerun_completes() {
    const N: usize = 3000;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many.jsonl");
    std::fs::write(&input, synthetic(N)).unwrap();
    let db = dir.path().join("k.db");
    let input_s = input.to_str().unwrap().to_string();
    let mut ch = child(&db, &input_s)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while count_docs(&db) < 100 {
        if t.elapsed() > Duration::from_secs(120) {
            let _ = ch.kill();
            panic!("the child ingest never committed 100 documents");
        }
        if ch.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    ch.kill().unwrap(); // SIGKILL
    ch.wait().unwrap();
    let mut s = SqliteStore::open(&db).unwrap();
    assert!(
        s.verify().unwrap().is_empty(),
        "after kill: {:?}",
        s.verify()
    );
    let before = s.stats().unwrap().documents;
    assert!(
        before >= 100 && (before as usize) < N,
        "killed at {before} of {N}: not midway"
    );
    assert_eq!(before % 20, 0, "whole batches only");
    let sum = run_with(&mut s, Options::default(), fake(), &[input_s]);
    assert_eq!(sum.new + sum.present, N as u64, "{sum} {:?}", sum.errors);
    assert_eq!(sum.present, before);
    let st = s.stats().unwrap();
    assert_eq!((st.documents, st.near_duplicates), (N as u64, 0));
    assert!(
        s.verify().unwrap().is_empty(),
        "after rerun: {:?}",
        s.verify()
    );
    // the counters add up across the crash
    let e = s
        .events(&Default::default(), marsad_store::Page::default())
        .unwrap();
    assert_eq!(e.total, 1);
    let e = &e.items[0];
    assert_eq!(
        (e.num_mentions, e.num_articles, e.num_sources, e.num_stories),
        (N as u32, N as u32, 5, N as u32)
    );
    let ent = s.entity("~PER:فلان").unwrap().unwrap();
    assert_eq!(ent.entity.num_docs, N as u32);
}

#[test]
fn stdin_is_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("in.db");
    let mut ch = child(&db, "-")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut w = ch.stdin.take().unwrap();
        w.write_all(synthetic(7).as_bytes()).unwrap();
    }
    assert!(ch.wait().unwrap().success());
    assert_eq!(count_docs(&db), 7);
}
