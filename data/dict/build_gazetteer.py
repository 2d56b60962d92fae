#!/usr/bin/env python3
"""Write data/dict/places.tsv: countries (capital coordinates) and cities with Arabic names.

Facts only (names, codes, coordinates, populations) from ../shared/data/gazetteer
(GeoNames, CC BY 4.0; CLDR/ISO country names). Run from the repository root:

    python3 data/dict/build_gazetteer.py

Deterministic. Filters, so that place names do not swallow ordinary words:
- Arabic names of more than three words, or with Latin letters or digits, are dropped;
- a name that is also an ordinary word in our lexicon (crates/text/data/lexicon.tsv: seen 20 times
  or more, or 100 times without its article) is kept only for cities of 300,000 people or more,
  unless it is in KNOWN_PLACES (جنيف, الرمادي, جازان …: frequent in the lexicon because the news
  names them often; reviewed one by one, leaving out those that are also ordinary words);
- a one-word name that is also a person's name (ANERGazet persons: قيصر, فيصل) is kept only for
  cities of 500,000 people or more;
- a name shared by several cities is given to the most populous one;
- a generic place noun (GENERIC: المدينة "the city", مدينة) is no city's name, whatever its
  population: Medina keeps المدينة المنورة;
- nor is an ordinary word that GeoNames gives a large city (ORDINARY: آب "August" for Ibb,
  العين "the eye" for Al Ain, سن "age" for Sanandaj, طراز "model" for Taraz, الأبيض "white" for
  El Obeid, سنه "his age" for Sanandaj), found by reading the news where they matched; such a city is named by the longer
  forms in EXTRA (محافظة إب, مدينة العين).
"""
import csv, os, re, sys, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
G = os.path.join(ROOT, "..", "shared", "data", "gazetteer")
if not os.path.isdir(G):
    sys.exit(f"{G} is missing: put shared/ beside the repository")

def match_form(s):
    s = re.sub("[\u064B-\u065F\u0670\u0640]", "", s)
    return s.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ؤ": "ء", "ئ": "ء"}))

lex = {}
names = set()
for line in open(os.path.join(ROOT, "crates/text/data/lexicon.tsv"), encoding="utf-8"):
    if line.startswith("#"):
        continue
    p = line.rstrip("\n").split("\t")
    lex[p[0]] = int(p[1])
    if len(p) > 2 and p[2] == "name":
        names.add(p[0])

# names of places the news names often, which is why the lexicon counts them as frequent words:
# kept whatever their population. Reviewed one by one from the cities the lexicon rule dropped
# (left out: ordinary words such as البندقية "the rifle", الخضراء "the green", صور "pictures",
# جديدة "new", القصر "the palace", الوجه "the face", العيون "the eyes", الخمس "five", الخبر "the
# news" for Khobar, العقبة "the obstacle" for Aqaba)
KNOWN_PLACES = {match_form(n) for n in (
    "جنيف", "لوزان", "بازل", "أكسفورد", "شنغهاي", "كوباني", "بورتو", "فولفسبورغ", "غوانتانامو",
    "الرمادي", "الفلوجة", "تكريت", "خانقين", "الكوفة",
    "الخليل", "رفح", "جنين", "أريحا", "الناصرة", "بعلبك", "عجلون",
    "جازان", "الظهران", "الجبيل", "أبها", "سكاكا", "عرعر", "الرس", "الزلفي",
    "طبرق", "درنة", "سرت", "سبها", "ذمار", "صعدة", "سوسة",
)}

persons = set()
for line in open(os.path.join(ROOT, "..", "shared", "data", "anergazet", "pers.txt"), encoding="utf-8"):
    w = line.strip()
    if w and " " not in w:
        persons.add(match_form(w))

# generic place nouns, never a city's name (bare المدينة is "the city" far more often than Medina)
GENERIC = {"المدينة", "مدينة", "مدينه", "العاصمة", "القرية", "الميناء", "البلدة"}

# ordinary words that GeoNames gives a city, each seen matching in the news as the word
ORDINARY = {"إب", "آب", "العين", "سن", "سِنَّ", "سِنِّه", "طراز", "الأبيض", "الأبي", "البلا", "ألسان", "لأول",
            "وان", "تاما"}
# and the ordinary words and people's names GeoNames gives a town outside the Arab world, read one
# by one from the foreign cities whose name the lexicon counts 5 times or more: "from us" (Minna),
# "safe" (Salem), "convicted"/"square" (Medan), "siege" (Hisar), "historically" (Tarija), "state"
# (Dhule), "blame" (Lomé), "hidden" (Hefei), "irrigation" (Rye), "pay attention" (Entebbe), "sixty"
# (Satun), Marx, Walker, Kennedy, Bolton … (US and British towns named after people)
ORDINARY |= {"منا", "مينا", "سالم", "مدان", "ميدان", "حصار", "حوزة", "تاريخا", "دوله", "عصب", "لوم",
             "سوا", "ده", "سليما", "آبا", "هوي", "ألفين", "لونه", "ترمز", "ري", "واتس", "خفي", "جويا",
             "كريستال", "فار", "انتبه", "غولدن", "ويل", "سول", "فري", "بالا", "بور", "كيب", "بيتش",
             "اموس", "بار", "جرير", "وسن", "توي", "كلين", "نان", "ليك", "رن", "رين", "كوينز", "المار",
             "كور", "مو", "سبي", "ستون", "دونا", "ليز", "هيو", "دارا", "توما", "ميكي", "سيرجي", "كندي",
             "غرين", "ماركس", "ووكر", "آلن", "هوبكنز", "تايلور", "أرنولد", "نيلسون", "أندرسون",
             "لورانس", "فريدريك", "يوجين", "هاميلتون", "موراي", "مارشال", "نيوتن", "لنكولن",
             "ريتشاردسون", "داروين", "ديكسون", "تشاندلر", "باركر", "براندون", "بالدوين", "هارفى",
             "بيرتون", "برودي", "جونستون", "نورتون", "ميدلتون", "سترلينغ", "وارن", "جاكسون", "أدريان",
             "نانسي", "فلاديمير", "كارولينا", "إلجين", "ألتون", "سيمور", "باترسون", "هندرسون",
             "ماديسون", "ميلتون", "غاردنر", "هانيبال", "هيلينا", "مورينو", "سانتوس", "إدموند", "بريان",
             "بنتون", "هاموند", "هاربر", "فولى", "كيلى", "سانجر", "تشارلوت", "بولتون", "فيرا", "ريفاس",
             "جيلان", "إديا", "لوي", "فالون", "فالن", "آدوا", "أواني", "درة", "تانه", "تاني"}
# longer names for cities that lose their bare name above (geonameid -> names)
EXTRA = {"74477": ["محافظة إب", "مدينة إب"], "292913": ["مدينة العين"],
         # the news spells Shanghai شنغهاي (GeoNames: شانغهاي)
         "1796236": ["شنغهاي"],
         # Kobani, Ayn al-Arab (GeoNames: عرب بينار, عين العرب); the news writes its Kurdish name
         "172256": ["كوباني"]}

def ok_name(n):
    n = n.strip()
    if not n or len(n.split()) > 3 or re.search(r"[A-Za-z0-9]", n):
        return False
    if match_form(n) in {match_form(g) for g in GENERIC | ORDINARY}:
        return False
    return all(("\u0600" <= c <= "\u06FF") or c in " -'" for c in n)

def common_word(n):
    m = match_form(n)
    if " " in m or m in KNOWN_PLACES:
        return False
    bare = m[2:] if m.startswith("ال") else m
    return lex.get(m, 0) >= 20 or lex.get(bare, 0) >= 100

iso3 = {}
rows = []
with open(os.path.join(G, "countries_ar.tsv"), encoding="utf-8") as f:
    for r in csv.DictReader(f, delimiter="\t"):
        iso3[r["iso2"]] = r["iso3"]
        if r["capital_lat"]:
            rows.append((r["iso3"].lower(), "country", r["name_ar_cldr"], "", r["name_en"], r["iso3"], r["capital_lat"], r["capital_lon"], r["population"] or "0"))

seen = {}
cities = []
with open(os.path.join(G, "cities_ar.tsv"), encoding="utf-8") as f:
    for r in csv.DictReader(f, delimiter="\t"):
        cands = [c.strip() for c in r["names_ar_candidates"].split("|") if ok_name(c)]
        cands += EXTRA.get(r["geonameid"], [])
        pop = int(r["population"] or 0)
        cands = [c for c in cands if pop >= 300_000 or not common_word(c)]
        cands = [c for c in cands if pop >= 500_000 or match_form(c) not in persons]
        if not cands or r["country_iso2"] not in iso3:
            continue
        cities.append((pop, r, cands))
cities.sort(key=lambda x: (-x[0], x[1]["geonameid"]))
for pop, r, cands in cities:
    keep = []
    for c in cands:
        m = match_form(c)
        if m in seen:
            continue
        seen[m] = r["geonameid"]
        keep.append(c)
    if not keep:
        continue
    rows.append(("gn" + r["geonameid"], "city", keep[0], "|".join(keep[1:]), r["name_en"], iso3[r["country_iso2"]], r["latitude"], r["longitude"], str(pop)))

with open(os.path.join(ROOT, "data/dict/places.tsv"), "w", encoding="utf-8") as g:
    g.write("# marsad places: countries (coordinates of the capital) and cities with their Arabic names.\n")
    g.write("# Written by data/dict/build_gazetteer.py from GeoNames (CC BY 4.0) and CLDR/ISO 3166 facts; do not edit by hand.\n")
    g.write("id\tkind\tname_ar\taliases\tname_en\tcountry\tlat\tlon\tpopulation\n")
    for row in rows:
        g.write("\t".join(row) + "\n")
print(f"{len(rows)} places ({sum(1 for r in rows if r[1]=='city')} cities)")
