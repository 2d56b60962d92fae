//! Export of events: CSV (our columns), JSON lines, and the GDELT 2.0 event table.
//!
//! **GDELT 2.0 event table**: the 61 columns of [`GDELT_COLUMNS`], in GDELT's order,
//! tab-separated, no header, one event per line — the layout of GDELT's `*.export.CSV` files,
//! so tools written for GDELT read marsad's events. Differences, on purpose:
//!
//! * `*CountryCode` of the **geography** columns are ISO 3166-1 alpha-3 (IRQ, SAU), where
//!   GDELT used FIPS 10-4 (IZ, SA): FIPS 10-4 was withdrawn in 2008, our dictionaries are keyed
//!   by ISO (CLDR, GeoNames), and CAMEO actor codes already begin with ISO alpha-3 codes, so
//!   one code system runs through the row. `*Geo_FeatureID` is the marsad entity id of the
//!   place (GDELT: a GNS/GNIS feature id); ADM1/ADM2 codes are empty.
//! * `Actor*Name` and `*Geo_FullName` are the English name when the dictionary has one, else
//!   the Arabic one.
//! * `AvgTone` is empty (marsad does not score tone).
//! * `NumMentions`, `NumSources`, `NumArticles` count after de-duplication (one event for all
//!   articles reporting the same actors, code, date and mood); the number of independent stories
//!   (syndicated copies folded) is in our own formats only (`num_stories`).
//! * Only asserted and reported events are GDELT rows (GDELT has no mood); future, negated and
//!   conditional events are in the other formats.

use crate::model::{EventActor, EventRecord};
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// GDELT 2.0 event table columns, in order.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// Is this event a GDELT row (asserted or reported)?
pub fn is_gdelt_mood(mood: &str) -> bool {
    matches!(mood, "asserted" | "reported")
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Type,
    Group,
    Religion,
}

fn codes() -> &'static FxHashMap<&'static str, Kind> {
    static C: OnceLock<FxHashMap<&'static str, Kind>> = OnceLock::new();
    C.get_or_init(|| {
        include_str!("../data/cameo_actor_codes.tsv")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("code\t"))
            .filter_map(|l| {
                let mut f = l.split('\t');
                let code = f.next()?;
                let kind = match f.next()? {
                    "type" => Kind::Type,
                    "group" => Kind::Group,
                    "religion" => Kind::Religion,
                    _ => return None,
                };
                Some((code, kind))
            })
            .collect()
    })
}

/// A CAMEO actor code split into GDELT's actor columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActorParts {
    pub country: String,
    pub known_group: String,
    pub ethnic: String,
    pub religion: [String; 2],
    pub types: [String; 3],
}

/// Split a CAMEO actor code (`IRQGOVMIL`, `IGOUNO`, `SAUMOSSUN`) into its parts.
pub fn actor_parts(code: &str) -> ActorParts {
    let mut p = ActorParts::default();
    let chunks: Vec<&str> = (0..code.len() / 3)
        .filter_map(|i| code.get(i * 3..i * 3 + 3))
        .collect();
    let c = codes();
    let (mut ntype, mut nrel) = (0, 0);
    let mut expect_group = false;
    for (i, ch) in chunks.iter().enumerate() {
        match c.get(ch) {
            Some(Kind::Type) if ntype < 3 => {
                p.types[ntype] = ch.to_string();
                ntype += 1;
            }
            Some(Kind::Religion) if nrel < 2 => {
                p.religion[nrel] = ch.to_string();
                nrel += 1;
            }
            Some(Kind::Type) | Some(Kind::Religion) => {}
            Some(Kind::Group) => {
                if ntype < 3 {
                    p.types[ntype] = ch.to_string();
                    ntype += 1;
                }
                expect_group = true;
            }
            None if i == 0 => p.country = ch.to_string(),
            None if expect_group && p.known_group.is_empty() => p.known_group = ch.to_string(),
            None if p.known_group.is_empty() => p.known_group = ch.to_string(),
            None => {}
        }
    }
    p
}

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\t' || c == '\n' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.4}")).unwrap_or_default()
}

fn actor_cols(a: &EventActor, out: &mut Vec<String>) {
    let code = a.actor.clone().unwrap_or_default();
    let p = actor_parts(&code);
    let name = a
        .name_en
        .as_deref()
        .map(|n| n.to_uppercase())
        .or_else(|| a.name.clone())
        .unwrap_or_default();
    let country = if p.country.is_empty() {
        a.country.clone().unwrap_or_default()
    } else {
        p.country.clone()
    };
    out.push(clean(&code));
    out.push(clean(&name));
    out.push(country);
    out.push(p.known_group);
    out.push(p.ethnic);
    out.extend(p.religion);
    out.extend(p.types);
}

/// GDELT geography block: type, full name, country, ADM1, ADM2, lat, long, feature id.
fn geo_cols(
    entity: Option<&str>,
    name: Option<&str>,
    country: Option<&str>,
    lat: Option<f64>,
    lon: Option<f64>,
    out: &mut Vec<String>,
) {
    let Some(entity) = entity else {
        out.extend(std::iter::repeat_n(String::new(), 8));
        return;
    };
    if lat.is_none() && country.is_none() {
        out.extend(std::iter::repeat_n(String::new(), 8));
        return;
    }
    // 1 = country, 4 = world city (GDELT's 2/3/5 are US state/city and world state)
    let ty = if lat.is_some() { "4" } else { "1" };
    out.push(ty.into());
    out.push(clean(name.unwrap_or("")));
    out.push(country.unwrap_or("").into());
    out.push(String::new());
    out.push(String::new());
    out.push(num(lat));
    out.push(num(lon));
    out.push(clean(entity));
}

/// One GDELT 2.0 row (61 fields).
pub fn gdelt_row(e: &EventRecord) -> Vec<String> {
    let mut out = Vec::with_capacity(61);
    let date = e.date.clone().unwrap_or_default();
    let (y, m, d) = if crate::is_ymd(&date) {
        (&date[0..4], &date[5..7], &date[8..10])
    } else {
        ("", "", "")
    };
    out.push(e.id.to_string());
    out.push(format!("{y}{m}{d}"));
    out.push(format!("{y}{m}"));
    out.push(y.to_string());
    // GDELT: YYYY + (MONTH * 30 + DAY) / 365
    out.push(
        match (y.parse::<f64>(), m.parse::<f64>(), d.parse::<f64>()) {
            (Ok(y), Ok(m), Ok(d)) => format!("{:.4}", y + (m * 30.0 + d) / 365.0),
            _ => String::new(),
        },
    );
    actor_cols(&e.source, &mut out);
    actor_cols(&e.target, &mut out);
    out.push((e.is_root as u8).to_string());
    out.push(e.code.clone());
    out.push(e.base_code.clone());
    out.push(e.root_code.clone());
    out.push(e.quad_class.to_string());
    out.push(format!("{:.1}", e.goldstein));
    out.push(e.num_mentions.to_string());
    out.push(e.num_sources.to_string());
    out.push(e.num_articles.to_string());
    out.push(String::new()); // AvgTone
    for a in [&e.source, &e.target] {
        let is_place = a.lat.is_some();
        let name = a.name_en.as_deref().or(a.name.as_deref());
        geo_cols(
            if is_place { a.entity.as_deref() } else { None },
            name,
            a.country.as_deref(),
            a.lat,
            a.lon,
            &mut out,
        );
    }
    match &e.location {
        Some(p) => geo_cols(
            Some(&p.entity),
            p.name_en.as_deref().or(p.name.as_deref()),
            p.country.as_deref(),
            p.lat,
            p.lon,
            &mut out,
        ),
        None => geo_cols(None, None, None, None, None, &mut out),
    }
    out.push(
        e.date_added
            .chars()
            .filter(|c| c.is_ascii_digit())
            .take(14)
            .collect(),
    );
    out.push(clean(e.source_url.as_deref().unwrap_or("")));
    debug_assert_eq!(out.len(), 61);
    out
}

/// Columns of the `csv` format.
pub const CSV_COLUMNS: [&str; 21] = [
    "id",
    "date",
    "code",
    "quad_class",
    "goldstein",
    "plover",
    "mood",
    "source_entity",
    "source_actor",
    "source_name",
    "target_entity",
    "target_actor",
    "target_name",
    "location",
    "location_name",
    "is_root",
    "num_mentions",
    "num_articles",
    "num_sources",
    "num_stories",
    "source_url",
];

/// One CSV row (the fields of [`CSV_COLUMNS`], quoted as RFC 4180 wants).
pub fn csv_row(e: &EventRecord) -> String {
    let o = |s: &Option<String>| s.clone().unwrap_or_default();
    let fields = [
        e.id.to_string(),
        o(&e.date),
        e.code.clone(),
        e.quad_class.to_string(),
        format!("{:.1}", e.goldstein),
        o(&e.plover),
        e.mood.clone(),
        o(&e.source.entity),
        o(&e.source.actor),
        o(&e.source.name),
        o(&e.target.entity),
        o(&e.target.actor),
        o(&e.target.name),
        e.location
            .as_ref()
            .map(|p| p.entity.clone())
            .unwrap_or_default(),
        e.location
            .as_ref()
            .and_then(|p| p.name.clone())
            .unwrap_or_default(),
        (e.is_root as u8).to_string(),
        e.num_mentions.to_string(),
        e.num_articles.to_string(),
        e.num_sources.to_string(),
        e.num_stories.to_string(),
        o(&e.source_url),
    ];
    fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",")
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_actor_codes() {
        let p = actor_parts("IRQGOVMIL");
        assert_eq!(p.country, "IRQ");
        assert_eq!(p.types, ["GOV".to_string(), "MIL".into(), String::new()]);
        let p = actor_parts("IGOUNO");
        assert_eq!(p.country, "");
        assert_eq!(p.types[0], "IGO");
        assert_eq!(p.known_group, "UNO");
        let p = actor_parts("SAUMOSSUN");
        assert_eq!(p.religion, ["MOS".to_string(), "SUN".into()]);
        assert_eq!(actor_parts(""), ActorParts::default());
    }

    #[test]
    fn csv_quotes() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("a\"b"), "\"a\"\"b\"");
        assert_eq!(csv_field("ab"), "ab");
    }
}
