//! Names the dictionaries do not know come from the NER tagger (`marsad_ner`): `Pipeline`
//! runs it and each name it finds becomes an entity (a document-local id, the role's code when
//! a role phrase comes right before the name); dictionary actors keep winning where both exist.
//! The names below are made up (in no dictionary).

use marsad_coder::code::code_document;
use marsad_coder::{DocAnalysis, Entity, EntityType, NerSpan, Pipeline};
use marsad_text::{Analyzer, DocMeta, Document};

fn doc(text: &str) -> Document {
    Document::with_meta(
        text,
        DocMeta {
            date: Some("2021-03-01".into()),
            ..Default::default()
        },
    )
}

fn find<'a>(a: &'a DocAnalysis, name: &str) -> Option<&'a Entity> {
    a.entities.iter().find(|e| e.name == name)
}

/// sentence, the name the tagger must find, its type, its actor code (from a role before it)
const TABLE: &[(&str, &str, EntityType, Option<&str>)] = &[
    (
        "قال المتحدث باسم الشركة خالد العتيبي إن العمل سيستأنف الأسبوع المقبل.",
        "خالد العتيبي",
        EntityType::PER,
        None,
    ),
    (
        "وأكد الناشط الحقوقي سامر الدباغ أن السلطات أفرجت عن المعتقلين.",
        "سامر الدباغ",
        EntityType::PER,
        // ناشط حقوقي is a rights activist (HRI) in agents.tsv, with or without the article
        Some("HRI"),
    ),
    (
        "وانتقد رئيس بلدية المدينة نبيل الحوراني قرار الحكومة.",
        "نبيل الحوراني",
        EntityType::PER,
        None,
    ),
    (
        "التقى وزير الخارجية الأردني بالسفير فهد المطيري في عمان.",
        "فهد المطيري",
        EntityType::PER,
        Some("GOV"),
    ),
];

#[test]
fn unknown_names_become_entities() {
    let mut p = Pipeline::new();
    let mut dict_only = Pipeline::dictionary_only();
    for &(text, name, kind, actor) in TABLE {
        let d = doc(text);
        let a = p.analyze(&d);
        let e = find(&a, name).unwrap_or_else(|| {
            let names: Vec<&str> = a.entities.iter().map(|e| e.name.as_str()).collect();
            panic!("{text}: no entity {name} in {names:?}")
        });
        assert_eq!(e.kind, kind, "{text}");
        assert!(e.id.starts_with("local:"), "{text}: {}", e.id);
        assert_eq!(e.actor.as_deref(), actor, "{text}");
        assert!(!e.mentions.is_empty());
        // every mention slices back to its text and ends with the name
        for m in &e.mentions {
            assert_eq!(d.slice(m.start, m.end), m.text, "{text}");
            assert!(m.text.ends_with(name), "{text}: {}", m.text);
        }
        // the dictionaries alone do not know the name
        assert!(find(&dict_only.analyze(&d), name).is_none(), "{text}");
    }
}

#[test]
fn a_name_after_a_role_is_the_actor_of_the_event() {
    let text = "وأكد الناشط الحقوقي سامر الدباغ أن السلطات أفرجت عن المعتقلين.";
    let a = Pipeline::new().analyze(&doc(text));
    let e = find(&a, "سامر الدباغ").expect("entity");
    assert_eq!(e.mentions[0].text, "الناشط الحقوقي سامر الدباغ");
    let ev = a
        .events
        .iter()
        .find(|ev| ev.trigger.text == "أكد")
        .expect("event");
    let src = ev.source.as_ref().expect("source");
    assert_eq!(src.entity.as_deref(), Some(e.id.as_str()));
    assert_eq!(src.actor.as_deref(), Some("HRI"));
}

#[test]
fn a_surname_links_to_the_full_name() {
    let text = "وقال خالد العتيبي إن الاتفاق سيوقع غدا، وأضاف العتيبي أن الشركة مستعدة.";
    let a = Pipeline::new().analyze(&doc(text));
    let e = find(&a, "خالد العتيبي").expect("entity");
    let ms: Vec<&str> = e.mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(ms, ["خالد العتيبي", "العتيبي"]);
    assert_eq!(
        a.entities
            .iter()
            .filter(|e| e.id.starts_with("local:"))
            .count(),
        1
    );
}

#[test]
fn dictionary_actors_win() {
    // the tagger may well find these names too: they stay dictionary actors with their codes
    let text = "قال رئيس الوزراء العراقي مصطفى الكاظمي إن حكومته ستلاحق الفصائل، فيما التقى دونالد ترامب بوزير الخارجية الإيراني في بغداد.";
    let a = Pipeline::new().analyze(&doc(text));
    for (id, code) in [
        ("mustafa_al_kadhimi", "IRQGOV"),
        ("donald_trump", "USAELI"), // out of office in March 2021
        ("baghdad", "IRQ"),
    ] {
        let e = a
            .entities
            .iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(e.actor.as_deref(), Some(code), "{id}");
    }
    for e in a.entities.iter().filter(|e| e.id.starts_with("local:")) {
        for n in ["الكاظمي", "ترامب", "بغداد"] {
            assert!(
                !e.name.contains(n),
                "{} duplicates a dictionary actor",
                e.name
            );
        }
    }
}

// ---- the coder's handling of NER spans, without the model (hand-made spans)

/// The token starting where `word` first occurs in `text`.
fn tok(a: &marsad_text::Analysis, text: &str, word: &str) -> usize {
    let b = text.find(word).expect("word in text");
    let s = text[..b].chars().count() as u32;
    a.tokens
        .iter()
        .position(|t| t.start == s)
        .expect("token at word")
}

fn code_with(
    text: &str,
    spans: &[(&str, &str, EntityType)],
) -> (Vec<Entity>, Vec<marsad_coder::Event>) {
    let d = doc(text);
    let a = Analyzer::new().analyze(&d);
    let ner: Vec<NerSpan> = spans
        .iter()
        .map(|&(first, last, kind)| NerSpan {
            first_token: tok(&a, text, first),
            last_token: tok(&a, text, last),
            kind,
        })
        .collect();
    code_document(&d, &a, &ner)
}

#[test]
fn spans_over_dictionary_mentions_are_dropped() {
    let text = "قال مصطفى الكاظمي إن العراق يرحب بالحوار.";
    let (ents, _) = code_with(
        text,
        &[
            ("مصطفى", "الكاظمي", EntityType::PER),
            ("العراق", "العراق", EntityType::LOC),
        ],
    );
    assert!(ents.iter().all(|e| !e.id.starts_with("local:")), "{ents:?}");
    assert!(ents.iter().any(|e| e.id == "mustafa_al_kadhimi"));
}

#[test]
fn places_and_misc_names_fill_no_slot_and_quoted_names_neither() {
    // a made-up town (LOC) and a slogan's name are entities but not the source of انتقد
    let text = "وانتقد سكان بلدة الزيتونة «يسقط حمدان» قرار الحكومة.";
    let (ents, events) = code_with(
        text,
        &[
            ("الزيتونة", "الزيتونة", EntityType::LOC),
            ("حمدان", "حمدان", EntityType::PER),
        ],
    );
    let local: Vec<&str> = ents
        .iter()
        .filter(|e| e.id.starts_with("local:"))
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(local, ["الزيتونة", "حمدان"]);
    for ev in &events {
        for p in [&ev.source, &ev.target].into_iter().flatten() {
            let id = p.entity.as_deref().unwrap_or("");
            assert!(!id.starts_with("local:"), "{ev:?}");
        }
    }
}

#[test]
fn a_one_word_name_inside_a_trigger_is_the_event_word() {
    // عدم رضا is an event trigger (110): رضا is not a person here
    let text = "وأبدى الكاظمي عدم رضا عن تصرفات الفصائل.";
    let (ents, _) = code_with(text, &[("رضا", "رضا", EntityType::PER)]);
    assert!(ents.iter().all(|e| !e.id.starts_with("local:")), "{ents:?}");
}

#[test]
fn a_role_in_the_genitive_is_no_title() {
    // الخبير في شؤون الجماعات المسلحة …: the name is not a member of the armed groups
    let text = "وقال الخبير في شؤون الجماعات المسلحة سامر الدباغ إن الهجوم متوقع.";
    let (ents, _) = code_with(text, &[("سامر", "الدباغ", EntityType::PER)]);
    let e = ents
        .iter()
        .find(|e| e.name == "سامر الدباغ")
        .expect("entity");
    assert_eq!(e.actor, None);
    assert_eq!(e.mentions[0].text, "سامر الدباغ");
}

#[test]
fn a_bare_noun_before_a_name_is_no_title() {
    // قوات صالح: Saleh's forces, not a soldier called Saleh
    let text = "وقصفت المقاتلات مواقع للحوثيين وقوات صالح في مأرب.";
    let (ents, _) = code_with(text, &[("صالح", "صالح", EntityType::PER)]);
    let e = ents.iter().find(|e| e.name == "صالح").expect("entity");
    assert_eq!(e.actor, None);
    assert_eq!(e.mentions[0].text, "صالح");
}

#[test]
fn a_two_word_surname_links_to_the_full_name() {
    let text = "وأعلن عوض بن عوف تعطيل الدستور. وقال بن عوف إن المجلس سيحكم عامين.";
    let (ents, _) = code_with(
        text,
        &[
            ("عوض", "عوف تعطيل", EntityType::PER),
            ("بن عوف إن", "عوف إن", EntityType::PER),
        ],
    );
    let local: Vec<&Entity> = ents.iter().filter(|e| e.id.starts_with("local:")).collect();
    assert_eq!(local.len(), 1, "{local:?}");
    let ms: Vec<&str> = local[0].mentions.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(ms, ["عوض بن عوف", "بن عوف"]);
}

/// An alias marked `!` in `actors.tsv` (`القاعدة!`) names its actor only where the tagger finds
/// a name of the actor's type there: al-Qaeda in «القاعدة», not the air base of `القاعدة الجوية`.
#[test]
fn tagger_only_aliases() {
    let text = "وقال إن كبار قادة «القاعدة» هبطوا في القاعدة الجوية.";
    let (ents, _) = code_with(text, &[("القاعدة", "القاعدة", EntityType::ORG)]);
    let qaeda = ents.iter().find(|e| e.id == "al_qaeda").expect("al-Qaeda");
    assert_eq!(qaeda.mentions.len(), 1, "{ents:?}");
    let (ents, _) = code_with(text, &[]);
    assert!(ents.iter().all(|e| e.id != "al_qaeda"), "{ents:?}");
    // a tagger name of another type is not the organisation
    let (ents, _) = code_with(text, &[("القاعدة", "القاعدة", EntityType::LOC)]);
    assert!(ents.iter().all(|e| e.id != "al_qaeda"), "{ents:?}");
}

#[test]
fn a_name_found_with_its_role_is_the_name_after_the_role() {
    let text = "التقى وزير الخارجية الأردني بالسفير فهد المطيري في عمان.";
    for first in ["بالسفير", "فهد"] {
        let (ents, _) = code_with(text, &[(first, "المطيري", EntityType::PER)]);
        let e = ents
            .iter()
            .find(|e| e.id.starts_with("local:"))
            .unwrap_or_else(|| panic!("{first}: no local entity in {ents:?}"));
        assert_eq!(e.name, "فهد المطيري", "{first}");
        assert_eq!(e.actor.as_deref(), Some("GOV"), "{first}");
    }
    // a dictionary person at the start of a longer tagger name is not trimmed off as a role
    let (ents, _) = code_with(
        "قال مصطفى الكاظمي إن العراق يرحب بالحوار.",
        &[("مصطفى", "الكاظمي", EntityType::PER)],
    );
    assert!(ents.iter().all(|e| !e.id.starts_with("local:")), "{ents:?}");
}

#[test]
fn a_mention_keeps_the_letters_that_look_like_a_pronoun() {
    // names take no pronoun suffix: عبده and ماركوني end in letters the segmenter reads as one
    // (عبد+ه, ماركو+ني), and the mention is the whole word all the same (كوباني and سيدني,
    // whole to the segmenter now, too)
    let text =
        "وقال محمد عبده إن القوات سيطرت على كوباني قبل سفره إلى سيدني للقاء المدرب روبرتو ماركوني.";
    let d = doc(text);
    let a = Analyzer::new().analyze(&d);
    for w in ["عبده", "ماركوني"] {
        let t = &a.tokens[tok(&a, text, w)];
        assert!(
            t.seg.enclitic().is_some(),
            "{w} is no longer split: pick another word"
        );
    }
    let (ents, _) = code_with(
        text,
        &[
            ("محمد", "عبده", EntityType::PER),
            ("كوباني", "كوباني", EntityType::LOC),
            ("روبرتو", "ماركوني", EntityType::PER),
        ],
    );
    let texts = |id_or_name: &str| -> Vec<String> {
        ents.iter()
            .filter(|e| e.id == id_or_name || e.name == id_or_name)
            .flat_map(|e| e.mentions.iter().map(|m| m.text.clone()))
            .collect()
    };
    assert_eq!(texts("محمد عبده"), ["محمد عبده"], "{ents:?}");
    // the first mention of the entity one of whose mentions starts with `prefix`
    let mention = |prefix: &str| {
        ents.iter()
            .find(|e| e.mentions.iter().any(|m| m.text.starts_with(prefix)))
            .map(|e| e.mentions[0].text.as_str())
    };
    assert_eq!(mention("كوبا"), Some("كوباني"), "{ents:?}");
    assert_eq!(mention("سيد"), Some("سيدني"), "{ents:?}");
    assert!(
        ents.iter()
            .any(|e| e.mentions.iter().any(|m| m.text == "روبرتو ماركوني")),
        "{ents:?}"
    );
}

#[test]
fn a_word_with_a_pronoun_is_a_place_only_where_the_tagger_finds_one() {
    // حواره is "his interview" and the town Huwara, وجده "found it" and Oujda: without a name
    // from the tagger there they are words; سيدني, as common as its stem سيد, stays Sydney
    let text = "وقال في حواره مع الصحيفة إن ما وجده في سيدني كان مفاجئا.";
    let (ents, _) = code_with(text, &[]);
    let ids: Vec<&str> = ents.iter().map(|e| e.id.as_str()).collect();
    assert!(!ids.contains(&"gn7870319"), "Huwara: {ids:?}");
    assert!(!ids.contains(&"gn2540483"), "Oujda: {ids:?}");
    assert!(ids.contains(&"gn2147714"), "Sydney: {ids:?}");
    // the tagger's name there makes it the place
    let text = "وصل الوفد إلى حواره جنوب نابلس.";
    let (ents, _) = code_with(text, &[("حواره", "حواره", EntityType::LOC)]);
    assert!(ents.iter().any(|e| e.id == "gn7870319"), "{ents:?}");
}
