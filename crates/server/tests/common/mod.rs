//! Shared by the API and end-to-end tests: fixtures, servers started on 127.0.0.1:0, a client.
#![allow(dead_code)]

use marsad_coder::{
    DocAnalysis, Entity, EntityType, Event, Mention, Mood, Participant, SentenceSpan,
};
use marsad_server::client::{encode, Conn, Response};
use marsad_server::{AppState, MemoryBackend, NewDocument, RunningServer, StoreBackend};
use std::path::PathBuf;
use std::sync::Arc;

pub const TOKEN: &str = "s3cret-token";

/// Code-point span of the `nth` occurrence of `needle` in `text`.
pub fn span_of(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let (b, _) = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in the fixture text"));
    let start = text[..b].chars().count() as u32;
    (start, start + needle.chars().count() as u32)
}

fn mention(text: &str, needle: &str, nth: usize) -> Mention {
    let (start, end) = span_of(text, needle, nth);
    Mention {
        start,
        end,
        text: needle.to_string(),
    }
}

fn entity(
    id: &str,
    kind: EntityType,
    name: &str,
    actor: Option<&str>,
    mentions: Vec<Mention>,
) -> Entity {
    Entity {
        id: id.into(),
        kind,
        name: name.into(),
        name_en: None,
        actor: actor.map(str::to_string),
        mentions,
        country: None,
        lat: None,
        lon: None,
    }
}

fn place(id: &str, name: &str, lat: f64, lon: f64, m: Mention) -> Entity {
    Entity {
        lat: Some(lat),
        lon: Some(lon),
        country: Some("IRQ".into()),
        ..entity(id, EntityType::LOC, name, Some("IRQ"), vec![m])
    }
}

#[allow(clippy::too_many_arguments)]
fn event(
    code: &str,
    quad: u8,
    trigger: Mention,
    source: &str,
    s_actor: &str,
    target: &str,
    t_actor: &str,
    loc: Option<&str>,
    date: &str,
) -> Event {
    Event {
        code: code.into(),
        quad_class: quad,
        goldstein: if quad <= 2 { 3.0 } else { -5.0 },
        plover: None,
        trigger,
        source: Some(Participant {
            entity: Some(source.into()),
            actor: Some(s_actor.into()),
            text: None,
        }),
        target: Some(Participant {
            entity: Some(target.into()),
            actor: Some(t_actor.into()),
            text: None,
        }),
        location: loc.map(str::to_string),
        date: Some(date.into()),
        mood: Mood::Asserted,
        confidence: Some(0.9),
    }
}

pub const DOC_A: &str = "استقبل الرئيس الأمريكي دونالد ترامب في واشنطن رئيس الوزراء مصطفى الكاظمي.\nوبحث ترامب مع الكاظمي الوضع في بغداد.";
pub const DOC_B: &str = "ندد الكاظمي بالهجوم على السفارة في بغداد، وقال إن «<script>alert(1)</script>» و<img src=x onerror=alert(1)> ليست سوى نصوص.";
pub const DOC_C: &str = "التقى ترمب بالكاظمي مرة أخرى لبحث الانسحاب من العراق.";

/// Three documents with hand-made entities and events (independent of the coder's progress).
pub fn fixture() -> MemoryBackend {
    let nd = |id: &str, date: &str, title: &str, text: &str, source: &str| NewDocument {
        id: Some(id.into()),
        url: Some(format!("https://demo.marsad.invalid/{id}")),
        source: Some(source.into()),
        dateline: Some("بغداد".into()),
        date: Some(date.into()),
        title: Some(title.into()),
        text: text.into(),
    };
    let a = DocAnalysis {
        sentences: vec![SentenceSpan { start: 0, end: 10 }],
        entities: vec![
            entity(
                "trump",
                EntityType::PER,
                "دونالد ترامب",
                Some("USAGOV"),
                vec![
                    mention(DOC_A, "دونالد ترامب", 0),
                    mention(DOC_A, "ترامب", 1),
                ],
            ),
            entity(
                "kadhimi",
                EntityType::PER,
                "مصطفى الكاظمي",
                Some("IRQGOV"),
                vec![
                    mention(DOC_A, "مصطفى الكاظمي", 0),
                    mention(DOC_A, "الكاظمي", 1),
                ],
            ),
            place("baghdad", "بغداد", 33.34, 44.4, mention(DOC_A, "بغداد", 0)),
        ],
        events: vec![
            event(
                "042",
                1,
                mention(DOC_A, "استقبل", 0),
                "trump",
                "USAGOV",
                "kadhimi",
                "IRQGOV",
                None,
                "2020-08-20",
            ),
            event(
                "040",
                1,
                mention(DOC_A, "بحث", 0),
                "trump",
                "USAGOV",
                "kadhimi",
                "IRQGOV",
                Some("baghdad"),
                "2020-08-20",
            ),
        ],
        ..Default::default()
    };
    let b = DocAnalysis {
        entities: vec![
            entity(
                "kadhimi",
                EntityType::PER,
                "مصطفى الكاظمي",
                Some("IRQGOV"),
                vec![mention(DOC_B, "الكاظمي", 0)],
            ),
            place("baghdad", "بغداد", 33.34, 44.4, mention(DOC_B, "بغداد", 0)),
        ],
        events: vec![Event {
            target: None,
            ..event(
                "111",
                3,
                mention(DOC_B, "ندد", 0),
                "kadhimi",
                "IRQGOV",
                "",
                "",
                Some("baghdad"),
                "2020-12-21",
            )
        }],
        ..Default::default()
    };
    let c = DocAnalysis::default();
    let m = MemoryBackend::new();
    m.add_analysed(vec![
        (
            nd(
                "doc-a",
                "2020-08-20",
                "ترامب يستقبل الكاظمي",
                DOC_A,
                "مرصد الخليج",
            ),
            a,
        ),
        (
            nd(
                "doc-b",
                "2020-12-21",
                "الكاظمي يندد بهجوم",
                DOC_B,
                "الرافدين اليوم",
            ),
            b,
        ),
        (
            nd("doc-c", "2021-01-05", "لقاء جديد", DOC_C, "مرصد الخليج"),
            c,
        ),
    ])
    .expect("fixture");
    m
}

pub fn start(backend: Arc<dyn marsad_server::Backend>, token: Option<&str>) -> RunningServer {
    marsad_server::spawn_server(
        AppState::new(backend, token.map(Into::into), 4),
        "127.0.0.1:0",
        2,
    )
    .expect("server starts on 127.0.0.1:0")
}

pub fn start_fixture(token: Option<&str>) -> RunningServer {
    start(Arc::new(fixture()), token)
}

/// A fresh temporary directory under the system's temp dir.
pub fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "marsad-test-{tag}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// A temporary directory removed when dropped (also when a test panics).
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The bundled demo corpus in a fresh SQLite database, served.
pub fn start_demo_store(tag: &str, token: Option<&str>) -> (RunningServer, TempDir) {
    let dir = TempDir(temp_dir(tag));
    let db = dir.0.join("demo.db");
    let docs = marsad_server::memory::parse_jsonl(marsad_server::DEMO_CORPUS).expect("corpus");
    let rep = marsad_server::store::load_into_store(&db, docs, "demo", 2, |_, _| {})
        .expect("demo corpus loads into the store");
    assert_eq!(rep.failed, Vec::<String>::new());
    let b = StoreBackend::open(&db, 2, token.is_some()).expect("open store");
    (start(Arc::new(b), token), dir)
}

pub fn get(s: &RunningServer, path: &str) -> Response {
    Conn::new(s.addr)
        .get(path)
        .unwrap_or_else(|e| panic!("GET {path}: {e}"))
}

pub fn get_json(s: &RunningServer, path: &str) -> serde_json::Value {
    let r = get(s, path);
    assert_eq!(r.status, 200, "GET {path}: {}", r.text());
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "GET {path}: content-type {:?}",
        r.header("content-type")
    );
    r.json()
}

/// The response is a JSON error with this status.
pub fn assert_error(r: &Response, status: u16, what: &str) {
    assert_eq!(r.status, status, "{what}: {}", r.text());
    let v = r.json();
    assert_eq!(v["error"]["status"], status, "{what}: {}", r.text());
    assert!(v["error"]["message"].is_string(), "{what}: {}", r.text());
}

pub fn q(s: &str) -> String {
    encode(s)
}

/// Text of the code-point span `[a, b)` of `s`.
pub fn cp_slice(s: &str, a: u64, b: u64) -> String {
    s.chars().skip(a as usize).take((b - a) as usize).collect()
}
