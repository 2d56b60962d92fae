//! `marsad analyze --format json` follows `../shared/contract/analysis.schema.json`; bad input
//! gives no events rather than wrong ones, and never a panic.

use marsad_coder::Pipeline;
use marsad_text::{DocMeta, Document};
use proptest::prelude::*;

const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/contract/analysis.schema.json"
);

fn analyze(text: &str, date: Option<&str>) -> marsad_coder::DocAnalysis {
    let doc = Document::with_meta(
        text,
        DocMeta {
            date: date.map(str::to_string),
            ..Default::default()
        },
    );
    Pipeline::new().analyze(&doc)
}

/// The entities of a text dated 2015-07-21.
fn entities(text: &str) -> Vec<marsad_coder::Entity> {
    analyze(text, Some("2015-07-21")).entities
}

/// Ids of the entities of a text dated 2015-07-21.
fn ids(text: &str) -> Vec<String> {
    entities(text).into_iter().map(|e| e.id).collect()
}

/// Names of the entities of a text dated 2015-07-21.
fn names(text: &str) -> Vec<String> {
    entities(text).into_iter().map(|e| e.name).collect()
}

#[test]
fn output_validates_against_the_contract() {
    let Ok(schema) = std::fs::read_to_string(SCHEMA) else {
        eprintln!("SKIPPED: {SCHEMA} is missing");
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    let v = jsonschema::validator_for(&schema).expect("schema compiles");
    let demo = include_str!("../../../data/demo/corpus.jsonl");
    let mut p = Pipeline::new();
    let mut n_events = 0;
    for line in demo.lines().take(60) {
        let j: serde_json::Value = serde_json::from_str(line).unwrap();
        let meta = DocMeta {
            id: j["id"].as_str().map(str::to_string),
            title: j["title"].as_str().map(str::to_string),
            source: j["source"].as_str().map(str::to_string),
            dateline: j["dateline"].as_str().map(str::to_string),
            date: j["date"].as_str().map(str::to_string),
            url: None,
        };
        let a = p.analyze(&Document::with_meta(j["text"].as_str().unwrap(), meta));
        n_events += a.events.len();
        let out = serde_json::to_value(&a).unwrap();
        let errors: Vec<String> = v.iter_errors(&out).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:?}", j["id"]);
    }
    assert!(
        n_events > 60,
        "the demo corpus should code events, got {n_events}"
    );
}

#[test]
fn bad_input_gives_no_wrong_events() {
    // no actors
    assert!(analyze(
        "كان الجو جميلا اليوم في الصباح وذهب الناس إلى أعمالهم.",
        Some("2020-01-01")
    )
    .events
    .is_empty());
    // other languages
    assert!(analyze(
        "The weather was fine and nothing happened. Le temps était beau.",
        None
    )
    .events
    .is_empty());
    // an impossible date is not turned into another date
    let a = analyze(
        "اجتمع الكاظمي مع ترامب في 31 شباط في بغداد.",
        Some("2020-08-19"),
    );
    assert!(a.events.iter().all(|e| e.date.is_none()), "{:?}", a.events);
    // no header line, nested quotes
    let a = analyze("قال «إن «الرئيس» لن يأتي» ثم سكت.", None);
    assert!(a.document.source.is_none());
}

#[test]
fn a_role_at_the_very_end() {
    // a role word as the last token (the name after it would be past the end)
    for t in ["قال الرئيس", "الجيش", "وصل رئيس الوزراء", "المتظاهرون"]
    {
        analyze(t, Some("2020-01-01"));
    }
}

/// Protesters in every written form are a protest's source, coded CVL with the sentence's
/// country, and each country's protesters keep their own words as the entity's name.
#[test]
fn protester_forms_are_sources() {
    let table = [
        (
            "تظاهر متظاهرو الحراك في بيروت ضد الحكومة اللبنانية.",
            "متظاهرو",
            "LBNCVL",
        ),
        (
            "وتظاهر المعتصمون أمام مقر الحكومة العراقية في بغداد.",
            "المعتصمون",
            "IRQCVL",
        ),
        ("تظاهر المحتجون في بغداد.", "المحتجون", "IRQCVL"),
        ("تظاهر محتجو الحي في بيروت.", "محتجو الحي", "LBNCVL"),
    ];
    for (text, words, code) in table {
        let a = analyze(text, Some("2020-01-01"));
        let ev = a.events.iter().find(|e| e.code == "141");
        let src = ev.and_then(|e| e.source.as_ref());
        assert_eq!(src.and_then(|p| p.actor.as_deref()), Some(code), "{text}");
        assert_eq!(src.and_then(|p| p.text.as_deref()), Some(words), "{text}");
    }
    // both sentences in one document: two entities, each named by its own mention
    let a = analyze(
        "تظاهر متظاهرو الحراك في بيروت ضد الحكومة اللبنانية.\nوتظاهر المعتصمون أمام مقر الحكومة العراقية في بغداد.",
        Some("2020-01-01"),
    );
    let name = |id: &str| {
        a.entities
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
    };
    assert_eq!(name("agent:LBNCVL").as_deref(), Some("متظاهرو"));
    assert_eq!(name("agent:IRQCVL").as_deref(), Some("المعتصمون"));
}

/// A one-word alias (ترامب) inside a longer name the tagger found, with a first name that is
/// not the actor's, is another member of the family; the actor's own first name keeps him.
#[test]
fn surname_of_another_family_member() {
    let v = ids("وأعلنت إيفانكا ترامب دعمها للحملة.");
    assert!(!v.iter().any(|id| id == "donald_trump"), "{v:?}");
    let v = ids("وقال باراك أوباما إن الاتفاق جيد.");
    assert!(v.iter().any(|id| id == "barack_obama"), "{v:?}");
    let v = ids("وقال ترامب إن الاتفاق سيئ.");
    assert!(v.iter().any(|id| id == "donald_trump"), "{v:?}");
}

/// عمان is Oman, or Amman in a document that names Jordan more than Oman (the contextual
/// alias `عمان?` of the Amman row).
#[test]
fn amman_or_oman_by_the_document_country() {
    let mentions_of = |t: &str, id: &str| -> Vec<String> {
        entities(t)
            .into_iter()
            .filter(|e| e.id == id)
            .flat_map(|e| e.mentions.into_iter().map(|m| m.text))
            .collect()
    };
    let jordan = "وقال السفير العراقي في عمان إن الحدود مع الأردن ستفتح أمام الصادرات الأردنية.";
    assert_eq!(mentions_of(jordan, "amman"), vec!["عمان"]);
    assert!(mentions_of(jordan, "omn").is_empty());
    let oman = "وصل وزير الخارجية العماني إلى مسقط بعد زيارة إلى عمان.";
    assert_eq!(mentions_of(oman, "omn"), vec!["عمان"]);
    assert!(mentions_of(oman, "amman").is_empty());
    // no country named: Oman, the name's first reading
    assert_eq!(
        mentions_of("وزار الوزير عمان أمس.", "amman"),
        Vec::<String>::new()
    );
    // a role's adjectives stop before إلى, التي, الذي (الي ends like العماني)
    assert_eq!(
        mentions_of(oman, "yusuf_bin_alawi"),
        vec!["وزير الخارجية العماني"]
    );
}

/// Bare المدينة is "the city", not Medina (a generic place noun is no city's name); المدينة
/// المنورة is Medina. Ordinary words that GeoNames gives a city are no names either.
#[test]
fn the_city_is_not_medina() {
    let v = ids("وواصلت قوات النظام السوري قصف المدينة لليوم الثالث.");
    assert!(!v.iter().any(|id| id == "gn109223"), "{v:?}");
    let v = ids("ووصل الأمير إلى المدينة المنورة أمس.");
    assert!(v.iter().any(|id| id == "gn109223"), "{v:?}");
    // ordinary words are no city's name either: آب (August) is not Ibb, العين (the eye) not Al Ain
    let v = ids("وتبدأ المرحلة في أغسطس (آب) المقبل لحماية العين من الشمس.");
    assert!(
        !v.iter().any(|id| id == "gn74477" || id == "gn292913"),
        "{v:?}"
    );
    let v = ids("وقتل خمسة مسلحين في محافظة إب.");
    assert!(v.iter().any(|id| id == "gn74477"), "{v:?}");
}

/// A month name the tagger takes for a name (نيسان: April, or Nissan) is a month beside a date.
#[test]
fn a_month_beside_a_date_is_no_name() {
    for t in [
        "وقال في نيسان (أبريل) 2003 إن الحل سياسي.",
        "وتوفي في نيسان/ابريل 2013 في مستشفى.",
    ] {
        let v = names(t);
        assert!(!v.iter().any(|n| n == "نيسان"), "{t}: {v:?}");
    }
    // the car maker is an organisation of data/dict/organisations.tsv
    let v = ids("وأعلنت شركة نيسان للسيارات عن زيادة مبيعاتها.");
    assert!(v.iter().any(|n| n == "company:nissan"), "{v:?}");
}

/// الاتفاق (with the article) names an agreement already made: no new 057 event.
#[test]
fn the_agreement_already_made_is_no_event() {
    for t in [
        "وانتقد نتنياهو الاتفاق النووي مع إيران.",
        "وقال روحاني إن الاتفاقية مع الولايات المتحدة لا تزال قائمة.",
    ] {
        let a = analyze(t, Some("2015-07-21"));
        assert!(
            !a.events.iter().any(|e| e.code == "057"),
            "{t}: {:?}",
            a.events
        );
    }
}

/// Whoever condemns an attack did not carry it out.
#[test]
fn the_condemner_is_not_the_attacker() {
    let a = analyze(
        "وأدان الاتحاد الأوروبي الهجوم على المسجد.",
        Some("2015-07-21"),
    );
    let wrong = a.events.iter().any(|e| {
        e.code.starts_with("19")
            && e.source.as_ref().and_then(|p| p.actor.as_deref()) == Some("IGOEUREEC")
    });
    assert!(!wrong, "{:?}", a.events);
}

/// With the article, a verb form that is not also its verbal noun (صادق → مصادقة) is a name or
/// a participle: مسجد الإمام الصادق is no ratification (057).
#[test]
fn a_name_spelled_like_a_verb() {
    let a = analyze(
        "ووجهت النيابة الاتهام في حادثة استهداف مسجد الإمام الصادق في الكويت.",
        Some("2015-07-21"),
    );
    assert!(!a.events.iter().any(|e| e.code == "057"), "{:?}", a.events);
}

/// تجمع and مسيرة are a protest only with a crowd: not "combines", not a career, not a party.
#[test]
fn no_crowd_no_protest() {
    for t in [
        "وأشاد الوزير بمسيرة اللاعب الكروية الطويلة.",
        "وقال إن المسرحية تجمع بين الكوميديا والدراما.",
        "وأكد الأمين العام لحزب التجمع أن الحزب سيشارك في الانتخابات.",
        "وقال إن الجامعة تجمعها علاقة قوية بالوزارة.",
    ] {
        let a = analyze(t, Some("2015-07-21"));
        assert!(
            !a.events.iter().any(|e| e.code.starts_with("14")),
            "{t}: {:?}",
            a.events
        );
    }
}

/// إنّ before a noun after قال is "that": the event is reported, not conditional; إنْ before a
/// verb is "if".
#[test]
fn inna_is_not_if() {
    let mood = |t: &str| {
        let a = analyze(t, Some("2015-07-21"));
        a.events
            .iter()
            .find(|e| e.code.starts_with("19"))
            .map(|e| e.mood)
    };
    assert_eq!(
        mood("وقال المتحدث إن الحوثيين هاجموا عدن."),
        Some(marsad_coder::Mood::Reported)
    );
    assert_eq!(
        mood("وإن هاجم الجيش العراقي الفلوجة فسترد المقاومة."),
        Some(marsad_coder::Mood::Conditional)
    );
}

#[test]
fn two_hundred_actors_in_one_sentence() {
    let names = "الكاظمي وترامب وبوتين وأردوغان ".repeat(50);
    let a = analyze(&format!("اجتمع {names} في بغداد."), Some("2020-08-19"));
    assert!(a.entities.len() >= 4);
    assert!(a.events.len() <= 5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn never_panics(s in "[\u{0621}-\u{064A} .،؟«»0-9\n]{0,200}|((الرئيس|رئيس الوزراء|الجيش|المتظاهرون|الكاظمي|ترامب|اجتمع|مع|في|بغداد|الأمريكي|قصف|اليوم|الخميس|\\.|،) ){0,30}") {
        let a = analyze(&s, Some("2021-03-04"));
        let n = s.chars().count() as u32;
        for e in &a.entities { for m in &e.mentions { prop_assert!(m.start <= m.end && m.end <= n); } }
        for e in &a.events { prop_assert!(e.trigger.end <= n); }
    }
}

#[test]
fn query_expansion_covers_spellings() {
    let v = marsad_coder::expand_query("ترمب");
    assert!(v.iter().any(|s| s == "ترامب"), "{v:?}");
    assert_eq!(v[0], "ترمب");
    assert_eq!(marsad_coder::expand_query("كلمة"), vec!["كلمة".to_string()]);
}

#[test]
fn dated_codes_follow_office() {
    let d = marsad_coder::dict::Dictionaries::builtin();
    let k = d.actor_by_id("mustafa_al_kadhimi").unwrap();
    let date = |s: &str| s.parse().ok();
    assert_eq!(k.code_on(date("2019-01-01")), Some("IRQSPY"));
    assert_eq!(k.code_on(date("2020-05-07")), Some("IRQGOV"));
    assert_eq!(k.code_on(date("2023-01-01")), Some("IRQELI"));
    let t = d.actor_by_id("donald_trump").unwrap();
    assert_eq!(t.code_on(date("2022-06-01")), Some("USAELI"));
    assert_eq!(t.code_on(date("2025-06-01")), Some("USAGOV"));
}

#[test]
fn one_huge_sentence_stays_linear() {
    // 140,000 tokens without a full stop: one sentence full of actors and triggers (the old
    // code was quadratic here; a 50 MB line now analyses in about 30 s in release builds)
    let text = "اجتمع الكاظمي مع ترامب في بغداد و".repeat(20_000);
    let t = std::time::Instant::now();
    let a = analyze(&text, Some("2020-08-19"));
    assert!(a.events.len() >= 10_000);
    assert!(t.elapsed().as_secs() < 120, "took {:?}", t.elapsed());
}

/// Clubs, outlets and companies (data/dict/organisations.tsv): a city that names a club is the
/// club in a sports report, after نادي/فريق or before a masculine nationality adjective, and the
/// city where it is used as a place or takes the feminine; a club fills no event slot; a
/// company named like a GeoNames town is the company.
#[test]
fn clubs_companies_and_the_cities_they_share_names_with() {
    let sports =
        "وتغلب ليون على هامبورغ في مباراة الدوري أمس، وسجل المهاجم هدفين قبل نهاية الشوط الأول.";
    let v = ids(sports);
    assert!(v.iter().any(|id| id == "club:olympique_lyonnais"), "{v:?}");
    assert!(v.iter().any(|id| id == "club:hamburger_sv"), "{v:?}");
    assert!(
        !v.iter().any(|id| id == "gn2996944"),
        "Lyon the city: {v:?}"
    );
    // outside sports: the city, unless a masculine adjective or نادي says club
    let v = ids("وقالت الشرطة إنها اعتقلت ثلاثة أشخاص في ليون.");
    assert!(v.iter().any(|id| id == "gn2996944"), "{v:?}");
    assert!(!v.iter().any(|id| id.starts_with("club:")), "{v:?}");
    let v = ids("وأعلن ليون الفرنسي التعاقد مع مدافع جديد.");
    assert!(v.iter().any(|id| id == "club:olympique_lyonnais"), "{v:?}");
    let v = ids("ووصلت البعثة إلى ميلان الإيطالية ظهر أمس.");
    assert!(!v.iter().any(|id| id == "club:ac_milan"), "{v:?}");
    // a name only the club holds in sports reports (الهلال?) is nothing elsewhere
    let v = ids("وتحرى الفلكيون ولادة الهلال مساء أمس في مكة المكرمة.");
    assert!(!v.iter().any(|id| id.starts_with("club:")), "{v:?}");
    let v = ids("وفاز الهلال على ضيفه في مباراة الدوري وسجل المهاجم هدفين في الشوط الثاني.");
    assert!(v.iter().any(|id| id == "club:al_hilal_sfc"), "{v:?}");
    // a club is no event actor
    let r = analyze(
        "وهاجم ليون الفرنسي مرمى هامبورغ الألماني في الشوط الأول.",
        Some("2015-07-21"),
    );
    assert!(
        r.events
            .iter()
            .all(|e| e.source.is_none() && e.target.is_none()),
        "{:?}",
        r.events
    );
    // companies and outlets: one entity for every spelling, with a BUS/MED code
    let r = analyze(
        "وقالت غوغل إن جوجل ستفتح مكتبا، ونقلت صحيفة الحياة الخبر.",
        Some("2015-07-21"),
    );
    let g: Vec<_> = r
        .entities
        .iter()
        .filter(|e| e.id == "company:google")
        .collect();
    assert_eq!(g.len(), 1, "{:?}", r.entities);
    assert_eq!(g[0].actor.as_deref(), Some("USABUS"));
    assert!(r
        .entities
        .iter()
        .any(|e| e.id == "media:al_hayat" && e.actor.as_deref() == Some("SAUMED")));
    // a car maker is not the Japanese town it gave its name to
    let v = ids("وأعلنت تويوتا زيادة مبيعاتها.");
    assert!(v.iter().any(|id| id == "company:toyota"), "{v:?}");
    assert!(!v.iter().any(|id| id == "gn1849814"), "{v:?}");
}

/// A one-word place name that is the last name of a person named in full earlier in the
/// document is that person (برناردينو ليون … ليون), never a father's name (محمد بن زايد).
#[test]
fn a_surname_after_the_full_name_is_the_person() {
    let r = analyze(
        "وقال برناردينو ليون إن الحوار سيستأنف. وأضاف ليون أن الأطراف وافقت على المسودة.",
        Some("2015-07-21"),
    );
    let v: Vec<_> = r.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(v, ["bernardino_leon"], "{v:?}");
    let v = ids("واجتمعت الحكومة في ليون أمس.");
    assert!(v.iter().any(|id| id == "gn2996944"), "{v:?}");
}

/// Nationality adjectives whose folded form begins like the article (ألماني → الماني) are
/// read in every inflection: الرئيس الألماني is Germany's.
#[test]
fn german_is_a_nationality() {
    let r = analyze(
        "وقال وزير الخارجية الألماني إن بلاده تدعم الحل.",
        Some("2015-07-21"),
    );
    assert!(
        r.entities
            .iter()
            .any(|e| e.actor.as_deref().is_some_and(|a| a.starts_with("DEU"))),
        "{:?}",
        r.entities
    );
    let v = ids("وزار ألماني المدينة.");
    assert!(v.iter().any(|id| id == "deu"), "{v:?}");
}

/// A title that names its country by itself (خادم الحرمين الشريفين: the Saudi king) is the holder
/// of that office on the document date.
#[test]
fn the_custodian_of_the_two_holy_mosques_is_the_saudi_king() {
    let v = ids("استقبل خادم الحرمين الشريفين وفدا أمريكيا في جدة.");
    assert!(v.iter().any(|id| id == "king_salman"), "{v:?}");
    let r = analyze(
        "استقبل خادم الحرمين الشريفين وفدا أمريكيا في جدة.",
        Some("2010-03-01"),
    );
    assert!(
        r.entities.iter().any(|e| e.id == "king_abdullah_saudi"),
        "{:?}",
        r.entities
    );
}

/// Bare المملكة "the Kingdom" is the kingdom the document names most (Saudi Arabia, Jordan,
/// Morocco, Bahrain), and nobody where none is named; المملكة المتحدة stays the UK.
#[test]
fn the_kingdom_is_the_one_the_document_names() {
    let v = ids("وأكدت وزارة الخارجية السعودية أن المملكة تدعم الحكومة اليمنية.");
    assert!(v.iter().any(|id| id == "sau"), "{v:?}");
    let r = analyze(
        "وقال وزير الخارجية الأردني إن المملكة ترفض التدخل.",
        Some("2015-07-21"),
    );
    let m: Vec<_> = r
        .entities
        .iter()
        .filter(|e| e.mentions.iter().any(|m| m.text == "المملكة"))
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(m, ["jor"], "{:?}", r.entities);
    assert!(ids("وقال إن المملكة ستبقى قوية.").is_empty());
    let v = ids("وأعلنت المملكة المتحدة فرض عقوبات على روسيا.");
    assert!(
        v.iter().any(|id| id == "gbr") && !v.iter().any(|id| id == "sau"),
        "{v:?}"
    );
}

/// A name whose first letters look like a proclitic (بان of بان كي مون, keyed ان in text) is
/// found, with its mention starting at the ب (after a conjunction و); a later bare surname, one
/// word or two, is the same person, also after a role (وزير الدفاع الأمريكي آشتون كارتر … كارتر).
#[test]
fn names_that_begin_like_a_proclitic_and_their_surnames() {
    let text = "وقال الأمين العام للأمم المتحدة بان كي مون إن الحل سياسي. وأكد كي مون أهمية الحوار. والتقى وبان كي مون.";
    let r = analyze(text, Some("2015-07-21"));
    let ban = r
        .entities
        .iter()
        .find(|e| e.id == "ban_ki_moon")
        .unwrap_or_else(|| panic!("{:?}", r.entities));
    let spans: Vec<(u32, u32, &str)> = ban
        .mentions
        .iter()
        .map(|m| (m.start, m.end, m.text.as_str()))
        .collect();
    assert_eq!(
        spans,
        [
            (32, 42, "بان كي مون"),
            (63, 69, "كي مون"),
            (92, 102, "بان كي مون")
        ]
    );
    for m in &ban.mentions {
        let s: String = text
            .chars()
            .skip(m.start as usize)
            .take((m.end - m.start) as usize)
            .collect();
        assert_eq!(s, m.text);
    }
    let r = analyze(
        "وصل وزير الدفاع الأمريكي آشتون كارتر إلى المنطقة. وزار كارتر إسرائيل والأردن.",
        Some("2015-07-21"),
    );
    let carter = r.entities.iter().find(|e| e.id == "ash_carter").unwrap();
    assert_eq!(carter.mentions.len(), 2, "{:?}", r.entities);
    let ev = r.events.iter().find(|e| e.code == "042").expect("visit");
    let src = ev.source.as_ref().and_then(|p| p.actor.as_deref());
    assert_eq!(src, Some("USAGOV"));
}

/// Ordinary words the tagger takes for names (`data/dict/not_names.tsv`) make no entity; a
/// longer name that contains one (محمد رضا) still does.
#[test]
fn ordinary_words_are_no_names() {
    let v = names("والالتزام بمبادئ حسن الجوار وعدم التدخل. وأبدى الرهيدي رضاه عن البرامج. مشروع قياس رضا المستفيدين. وقال محمد رضا إن الحل قريب.");
    assert!(v.iter().all(|n| n != "حسن الجوار" && n != "رضا"), "{v:?}");
    assert!(v.iter().any(|n| n == "محمد رضا"), "{v:?}");
}

/// One person, several spellings: `عبد` joined or apart (عبدالفتاح السيسي), the full name with a
/// father's name (عادل بن زيد الطريفي, also after a role); and names that are not that person: a
/// person or title in an institution's name (مركز الملك فهد الثقافي, جامعة الملك عبدالعزيز), a
/// father in someone else's chain of names (نايف بن سلطان بن عبدالعزيز), the first name of
/// someone else (هادي العصيمي, where هادي alone is the Yemeni president).
#[test]
fn spellings_of_one_person_and_names_that_are_not_theirs() {
    let mentions = |text: &str, id: &str| -> usize {
        entities(text)
            .iter()
            .find(|e| e.id == id)
            .map_or(0, |e| e.mentions.len())
    };
    let cases: &[(&str, &str, usize)] = &[
        (
            "وقال الرئيس عبدالفتاح السيسي إن مصر تدعم الحل.",
            "abdel_fattah_el_sisi",
            1,
        ),
        (
            "وقال عبد الفتاح السيسي إن مصر تدعم الحل.",
            "abdel_fattah_el_sisi",
            1,
        ),
        (
            "وأكد الدكتور عادل بن زيد الطريفي أهمية الحدث.",
            "adel_al_toraifi",
            1,
        ),
        (
            "وأكد وزير الثقافة والإعلام عادل بن زيد الطريفي أهمية الحدث.",
            "adel_al_toraifi",
            1,
        ),
        (
            "وحضر الأمير نايف بن سلطان بن عبدالعزيز الحفل.",
            "sultan_bin_abdulaziz",
            0,
        ),
        (
            "وحضر الأمير سلطان بن عبدالعزيز الحفل.",
            "sultan_bin_abdulaziz",
            1,
        ),
        (
            "افتتح المعرض في مركز الملك فهد الثقافي بأبها.",
            "king_fahd",
            0,
        ),
        ("وزار الملك فهد بن عبدالعزيز أبها.", "king_fahd", 1),
        (
            "وصل الرئيس هادي إلى عدن في اليمن. وقال هادي العصيمي إن السوق هادئ.",
            "abdrabbuh_mansur_hadi",
            1,
        ),
    ];
    for (text, id, n) in cases {
        assert_eq!(mentions(text, id), *n, "{text}: {:?}", entities(text));
    }
    let v = entities("تخرج الطلاب من جامعة الملك عبدالعزيز بجدة.");
    assert!(
        v.iter()
            .all(|e| e.actor.as_deref().is_none_or(|a| !a.ends_with("GOV"))),
        "{v:?}"
    );
}
