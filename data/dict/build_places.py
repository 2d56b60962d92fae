#!/usr/bin/env python3
"""Generate the country and capital rows of data/dict/actors.tsv, and check the dictionaries.

Usage (from anywhere; paths are resolved from the repository root):

    python3 data/dict/build_places.py            # rewrite the generated block of actors.tsv
    python3 data/dict/build_places.py --check    # validate actors.tsv, agents.tsv, nationalities.tsv

Input: ../shared/data/gazetteer/countries_ar.tsv (relative to the repository root), which holds
the Arabic country names of Unicode CLDR (via babel) and of ISO 3166 / Debian iso-codes (via
pycountry), with GeoNames country metadata (CC BY 4.0, geonames.org).  Only facts (names and
codes) are taken from it.  Capital names are curated by hand below (the gazetteer's capital
candidates are GeoNames alternate names, which are noisy), as are the extra news spellings of
country names.

Only the block between the BEGIN/END GENERATED markers of actors.tsv is rewritten; the
hand-curated rows outside it are left untouched.  Generated aliases that collide (after Arabic
folding) with another actor's name or alias are dropped and reported, so the output never
introduces a shared alias, except a contextual one written with a final `?` (Amman's `عمان?`:
the coder reads عمان as Amman in documents that name Jordan more than Oman).  The output is
deterministic (rows are sorted by country code).
"""

import csv
import datetime
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
COUNTRIES = SHARED / "data" / "gazetteer" / "countries_ar.tsv"
DICT_DIR = REPO / "data" / "dict"
ACTORS = DICT_DIR / "actors.tsv"
AGENTS = DICT_DIR / "agents.tsv"
NATIONALITIES = DICT_DIR / "nationalities.tsv"

HEADER = ["id", "type", "name_ar", "name_en", "aliases", "codes", "offices"]

# The offices column: ';'-separated OFFICE:PLACE@FROM..TO (see data/dict/README.md).
OFFICES = ("HEAD_OF_STATE", "HEAD_OF_GOVERNMENT", "FOREIGN_MINISTER", "DEFENCE_MINISTER",
           "INTERIOR_MINISTER", "SPEAKER", "CHIEF_OF_STAFF", "SECRETARY_GENERAL")
# IGO places of SECRETARY_GENERAL, with the CAMEO code prefix the holder's codes must carry.
IGO_OFFICE_PLACES = {"UN": "IGOUNO", "NATO": "IGOWSTNAT", "ARL": "IGOMEAARL", "GCC": "IGOPGSGCC",
                     "OIC": "IGOMOSOIC", "OPEC": "IGOBUSOPC"}
# CAMEO role codes that may carry each office (within the office's dates, for the office's country).
OFFICE_ROLES = {"HEAD_OF_STATE": {"GOV"}, "HEAD_OF_GOVERNMENT": {"GOV"}, "FOREIGN_MINISTER": {"GOV"},
                "DEFENCE_MINISTER": {"GOV", "MIL"}, "INTERIOR_MINISTER": {"GOV"}, "SPEAKER": {"LEG"},
                "CHIEF_OF_STAFF": {"MIL", "GOV"}}
BEGIN = "# BEGIN GENERATED: countries and capitals, written by data/dict/build_places.py; do not edit by hand"
END = "# END GENERATED"

# ISO code -> CAMEO country code, where CAMEO departs from ISO 3166 alpha-3.
CODE_OVERRIDE = {"XKX": "KSV"}

# Countries whose canonical Arabic name should differ from the (cleaned) CLDR name.
NAME_OVERRIDE = {
    "PSE": "فلسطين",
    "COD": "جمهورية الكونغو الديمقراطية",
    "COG": "جمهورية الكونغو",
    "TLS": "تيمور الشرقية",
    "HKG": "هونغ كونغ",
    "MAC": "ماكاو",
    "MMR": "ميانمار",
    "CZE": "التشيك",
    "ATA": "القارة القطبية الجنوبية",
    "MLI": "جمهورية مالي",   # bare مالي is the everyday adjective "financial"; see DROP_ALIASES
}

# Extra spellings / forms that occur in Arabic news (hand-curated).
EXTRA_ALIASES = {
    "USA": ["الولايات المتحدة الأمريكية", "الولايات المتحدة الأميركية", "أمريكا", "أميركا"],
    "GBR": ["بريطانيا", "بريطانيا العظمى", "المملكة المتحدة لبريطانيا العظمى وأيرلندا الشمالية"],
    "SAU": ["السعودية", "المملكة العربية السعودية", "المملكة?"],
    "ARE": ["الإمارات", "دولة الإمارات", "دولة الإمارات العربية المتحدة"],
    "RUS": ["روسيا الاتحادية", "الاتحاد الروسي"],
    "IRN": ["الجمهورية الإسلامية الإيرانية", "جمهورية إيران الإسلامية"],
    "IRQ": ["جمهورية العراق"],
    "SYR": ["سورية", "الجمهورية العربية السورية"],
    "PSE": ["دولة فلسطين", "الأراضي الفلسطينية", "الأراضي الفلسطينية المحتلة"],
    "ISR": ["دولة إسرائيل", "الكيان الصهيوني", "الكيان الإسرائيلي", "دولة الاحتلال"],
    "EGY": ["جمهورية مصر العربية"],
    "JOR": ["المملكة الأردنية الهاشمية", "المملكة?"],
    "LBN": ["الجمهورية اللبنانية"],
    "YEM": ["الجمهورية اليمنية"],
    "OMN": ["سلطنة عمان"],
    "QAT": ["دولة قطر"],
    "KWT": ["دولة الكويت"],
    "BHR": ["مملكة البحرين", "المملكة?"],
    "MAR": ["المملكة المغربية", "المملكة?"],
    "DZA": ["الجمهورية الجزائرية", "الجمهورية الجزائرية الديمقراطية الشعبية"],
    "TUN": ["الجمهورية التونسية"],
    "LBY": ["دولة ليبيا"],
    "SDN": ["جمهورية السودان"],
    "SOM": ["جمهورية الصومال الفيدرالية"],
    "MRT": ["الجمهورية الإسلامية الموريتانية"],
    "COM": ["القمر المتحدة", "جمهورية القمر المتحدة"],
    "TUR": ["الجمهورية التركية"],
    "CHN": ["جمهورية الصين الشعبية"],
    "TWN": ["جمهورية الصين"],
    "PRK": ["كوريا الديمقراطية", "جمهورية كوريا الديمقراطية الشعبية"],
    "KOR": ["جمهورية كوريا"],
    "COD": ["الكونغو الديمقراطية", "الكونغو كينشاسا", "الكونغو"],
    "COG": ["الكونغو برازافيل"],
    "CIV": ["كوت ديفوار"],
    "MMR": ["بورما"],
    "HUN": ["المجر", "هنغاريا"],
    "DNK": ["الدنمارك", "الدانمارك"],
    "BLR": ["بيلاروسيا", "روسيا البيضاء"],
    "MKD": ["مقدونيا"],
    "SWZ": ["سوازيلاند"],
    "CPV": ["كاب فيردي"],
    "TLS": ["تيمور ليشتي"],
    "VAT": ["الكرسي الرسولي", "دولة الفاتيكان"],
    "NLD": ["هولاندا", "مملكة هولندا"],
    "DEU": ["جمهورية ألمانيا الاتحادية"],
    "FRA": ["الجمهورية الفرنسية"],
    "IND": ["جمهورية الهند"],
    "PAK": ["جمهورية باكستان الإسلامية"],
    "AFG": ["إمارة أفغانستان الإسلامية"],
    "UKR": ["أوكرايينا"],
    "KAZ": ["قزاقستان"],
    "KGZ": ["قرغيزستان"],
    "ESH": ["الصحراء المغربية"],
    "MNE": ["مونتينيغرو"],
    "BIH": ["البوسنة"],
    "CZE": ["جمهورية التشيك", "تشيكيا"],
    "PHL": ["الفيليبين"],
    "ARG": ["الارجنتين"],
    "AUS": ["استراليا"],
    "NZL": ["نيوزيلاندا"],
    "ETH": ["أثيوبيا"],
    "ERI": ["أريتريا"],
    "ZAF": ["جنوب إفريقيا"],
    "CAF": ["أفريقيا الوسطى", "إفريقيا الوسطى"],
    "GNQ": ["غينيا الإستوائية"],
    "ATA": ["أنتاركتيكا"],
    "MLI": ["دولة مالي"],
    "SRB": ["جمهورية صربيا"],
}

# Generated aliases to leave out because they are ambiguous in news text.
DROP_ALIASES = {
    "COG": ["الكونغو"],          # bare الكونغو is given to COD (see EXTRA_ALIASES)
    "ATA": ["القطب الجنوبي"],
    "MLI": ["مالي"],              # = "financial"; only جمهورية مالي / دولة مالي are kept
    "SRB": ["صربية", "جمهورية صربية"],  # صربية is also the feminine adjective "Serbian"
}

# Capital -> (id, Arabic name, English name, [aliases]).  Hand-curated; the gazetteer's
# capital_ar_candidates were used as a cross-check only.  Capitals whose Arabic name equals
# the country name (Kuwait, Algiers, Tunis, Djibouti ...) get a disambiguated name, and
# capitals whose bare name is a common word or another well-known place are left out
# (see README).
CAPITALS = {
    "AFG": ("kabul", "كابل", "Kabul", ["كابول"]),
    "ALB": ("tirana", "تيرانا", "Tirana", []),
    "DZA": ("algiers", "الجزائر العاصمة", "Algiers", []),
    "AND": ("andorra_la_vella", "أندورا لا فيلا", "Andorra la Vella", []),
    "AGO": ("luanda", "لواندا", "Luanda", []),
    "ARG": ("buenos_aires", "بوينس آيرس", "Buenos Aires", ["بوينوس آيرس", "بوينس أيرس"]),
    "ARM": ("yerevan", "يريفان", "Yerevan", []),
    "AUS": ("canberra", "كانبرا", "Canberra", []),
    "AUT": ("vienna", "فيينا", "Vienna", []),
    "AZE": ("baku", "باكو", "Baku", []),
    "BHS": ("nassau", "ناساو", "Nassau", []),
    "BHR": ("manama", "المنامة", "Manama", []),
    "BGD": ("dhaka", "دكا", "Dhaka", ["داكا"]),
    "BRB": ("bridgetown", "بريدجتاون", "Bridgetown", ["بريدج تاون"]),
    "BLR": ("minsk", "مينسك", "Minsk", []),
    "BEL": ("brussels", "بروكسل", "Brussels", []),
    "BLZ": ("belmopan", "بلموبان", "Belmopan", []),
    "BEN": ("porto_novo", "بورتو نوفو", "Porto-Novo", []),
    "BTN": ("thimphu", "تيمفو", "Thimphu", []),
    "BOL": ("sucre", "سوكري", "Sucre", []),
    "BIH": ("sarajevo", "سراييفو", "Sarajevo", ["ساراييفو"]),
    "BWA": ("gaborone", "غابورون", "Gaborone", ["جابورون"]),
    "BRA": ("brasilia", "برازيليا", "Brasília", []),
    "BRN": ("bandar_seri_begawan", "بندر سري بكاوان", "Bandar Seri Begawan", []),
    "BGR": ("sofia", "صوفيا", "Sofia", []),
    "BFA": ("ouagadougou", "واغادوغو", "Ouagadougou", []),
    "BDI": ("gitega", "غيتيغا", "Gitega", []),
    "KHM": ("phnom_penh", "بنوم بنه", "Phnom Penh", []),
    "CMR": ("yaounde", "ياوندي", "Yaoundé", []),
    "CAN": ("ottawa", "أوتاوا", "Ottawa", []),
    "CPV": ("praia", "برايا", "Praia", []),
    "CAF": ("bangui", "بانغي", "Bangui", []),
    "TCD": ("ndjamena", "نجامينا", "N'Djamena", ["إنجامينا", "أنجمينا"]),
    "CHL": ("santiago", "سانتياغو", "Santiago", []),
    "CHN": ("beijing", "بكين", "Beijing", ["بيجين", "بيجينغ"]),
    "COL": ("bogota", "بوغوتا", "Bogotá", []),
    "COM": ("moroni", "موروني", "Moroni", []),
    "COD": ("kinshasa", "كينشاسا", "Kinshasa", []),
    "COG": ("brazzaville", "برازافيل", "Brazzaville", []),
    "CRI": ("san_jose_cr", "سان خوسيه", "San José", []),
    "CIV": ("yamoussoukro", "ياموسوكرو", "Yamoussoukro", []),
    "HRV": ("zagreb", "زغرب", "Zagreb", ["زاغرب"]),
    "CUB": ("havana", "هافانا", "Havana", []),
    "CYP": ("nicosia", "نيقوسيا", "Nicosia", []),
    "CZE": ("prague", "براغ", "Prague", []),
    "DNK": ("copenhagen", "كوبنهاغن", "Copenhagen", ["كوبنهاجن"]),
    "DJI": ("djibouti_city", "مدينة جيبوتي", "Djibouti City", []),
    "DOM": ("santo_domingo", "سانتو دومينغو", "Santo Domingo", []),
    "ECU": ("quito", "كيتو", "Quito", []),
    "EGY": ("cairo", "القاهرة", "Cairo", []),
    "SLV": ("san_salvador", "سان سلفادور", "San Salvador", ["سان سالفادور"]),
    "GNQ": ("malabo", "مالابو", "Malabo", []),
    "ERI": ("asmara", "أسمرة", "Asmara", ["أسمرا"]),
    "EST": ("tallinn", "تالين", "Tallinn", []),
    "SWZ": ("mbabane", "مبابان", "Mbabane", []),
    "ETH": ("addis_ababa", "أديس أبابا", "Addis Ababa", []),
    "FJI": ("suva", "سوفا", "Suva", []),
    "FIN": ("helsinki", "هلسنكي", "Helsinki", []),
    "FRA": ("paris", "باريس", "Paris", []),
    "GAB": ("libreville", "ليبرفيل", "Libreville", []),
    "GMB": ("banjul", "بانجول", "Banjul", []),
    "GEO": ("tbilisi", "تبليسي", "Tbilisi", []),
    "DEU": ("berlin", "برلين", "Berlin", []),
    "GHA": ("accra", "أكرا", "Accra", []),
    "GRC": ("athens", "أثينا", "Athens", []),
    "GTM": ("guatemala_city", "مدينة غواتيمالا", "Guatemala City", []),
    "GIN": ("conakry", "كوناكري", "Conakry", []),
    "GNB": ("bissau", "بيساو", "Bissau", []),
    "HTI": ("port_au_prince", "بورت أو برنس", "Port-au-Prince", ["بورت أو برانس"]),
    "HND": ("tegucigalpa", "تيغوسيغالبا", "Tegucigalpa", []),
    "HUN": ("budapest", "بودابست", "Budapest", []),
    "ISL": ("reykjavik", "ريكيافيك", "Reykjavík", []),
    "IND": ("new_delhi", "نيودلهي", "New Delhi", ["نيو دلهي"]),
    "IDN": ("jakarta", "جاكرتا", "Jakarta", ["جاكارتا"]),
    "IRN": ("tehran", "طهران", "Tehran", []),
    "IRQ": ("baghdad", "بغداد", "Baghdad", []),
    "IRL": ("dublin", "دبلن", "Dublin", []),
    "ITA": ("rome", "روما", "Rome", []),
    "JAM": ("kingston", "كينغستون", "Kingston", []),
    "JPN": ("tokyo", "طوكيو", "Tokyo", []),
    "JOR": ("amman", "العاصمة الأردنية عمان", "Amman", ["العاصمة عمان", "عمان الأردنية", "عمان?"]),
    "KAZ": ("astana", "أستانا", "Astana", ["نور سلطان"]),
    "KEN": ("nairobi", "نيروبي", "Nairobi", []),
    "PRK": ("pyongyang", "بيونغ يانغ", "Pyongyang", ["بيونغيانغ", "بيونج يانج"]),
    "KOR": ("seoul", "سيول", "Seoul", ["سول"]),
    "KSV": ("pristina", "بريشتينا", "Pristina", []),
    "KWT": ("kuwait_city", "مدينة الكويت", "Kuwait City", []),
    "KGZ": ("bishkek", "بيشكيك", "Bishkek", ["بيشكك"]),
    "LAO": ("vientiane", "فيينتيان", "Vientiane", []),
    "LVA": ("riga", "ريغا", "Riga", []),
    "LBN": ("beirut", "بيروت", "Beirut", []),
    "LSO": ("maseru", "ماسيرو", "Maseru", []),
    "LBR": ("monrovia", "مونروفيا", "Monrovia", []),
    "LBY": ("tripoli_libya", "طرابلس", "Tripoli (Libya)", ["طرابلس الغرب"]),
    "LTU": ("vilnius", "فيلنيوس", "Vilnius", []),
    "MDG": ("antananarivo", "أنتاناناريفو", "Antananarivo", []),
    "MWI": ("lilongwe", "ليلونغوي", "Lilongwe", []),
    "MYS": ("kuala_lumpur", "كوالالمبور", "Kuala Lumpur", ["كوالا لمبور", "كوالا لامبور"]),
    "MDV": ("male", "ماليه", "Malé", []),
    "MLI": ("bamako", "باماكو", "Bamako", []),
    "MLT": ("valletta", "فاليتا", "Valletta", []),
    "MRT": ("nouakchott", "نواكشوط", "Nouakchott", []),
    "MUS": ("port_louis", "بور لويس", "Port Louis", []),
    "MEX": ("mexico_city", "مكسيكو سيتي", "Mexico City", ["مدينة مكسيكو"]),
    "MDA": ("chisinau", "كيشيناو", "Chișinău", []),
    "MNG": ("ulaanbaatar", "أولان باتور", "Ulaanbaatar", ["أولانباتار"]),
    "MNE": ("podgorica", "بودغوريتسا", "Podgorica", []),
    "MAR": ("rabat", "الرباط", "Rabat", []),
    "MOZ": ("maputo", "مابوتو", "Maputo", []),
    "MMR": ("naypyidaw", "نايبيداو", "Naypyidaw", ["نايبيتاو"]),
    "NAM": ("windhoek", "ويندهوك", "Windhoek", []),
    "NPL": ("kathmandu", "كاتماندو", "Kathmandu", []),
    "NLD": ("amsterdam", "أمستردام", "Amsterdam", []),
    "NZL": ("wellington", "ولينغتون", "Wellington", ["ويلينغتون"]),
    "NIC": ("managua", "ماناغوا", "Managua", []),
    "NER": ("niamey", "نيامي", "Niamey", []),
    "NGA": ("abuja", "أبوجا", "Abuja", []),
    "MKD": ("skopje", "سكوبيه", "Skopje", ["سكوبيي"]),
    "NOR": ("oslo", "أوسلو", "Oslo", []),
    "OMN": ("muscat", "مسقط", "Muscat", []),
    "PAK": ("islamabad", "إسلام آباد", "Islamabad", ["إسلام أباد"]),
    "PSE": ("east_jerusalem", "القدس الشرقية", "East Jerusalem", []),
    "PAN": ("panama_city", "مدينة بنما", "Panama City", ["بنما سيتي"]),
    "PNG": ("port_moresby", "بورت مورسبي", "Port Moresby", []),
    "PRY": ("asuncion", "أسونسيون", "Asunción", []),
    "PER": ("lima", "ليما", "Lima", []),
    "PHL": ("manila", "مانيلا", "Manila", []),
    "POL": ("warsaw", "وارسو", "Warsaw", []),
    "PRT": ("lisbon", "لشبونة", "Lisbon", []),
    "QAT": ("doha", "الدوحة", "Doha", []),
    "ROU": ("bucharest", "بوخارست", "Bucharest", []),
    "RUS": ("moscow", "موسكو", "Moscow", []),
    "RWA": ("kigali", "كيغالي", "Kigali", []),
    "SAU": ("riyadh", "الرياض", "Riyadh", []),
    "SEN": ("dakar", "داكار", "Dakar", []),
    "SRB": ("belgrade", "بلغراد", "Belgrade", []),
    "SLE": ("freetown", "فريتاون", "Freetown", []),
    "SVK": ("bratislava", "براتيسلافا", "Bratislava", []),
    "SVN": ("ljubljana", "ليوبليانا", "Ljubljana", []),
    "SOM": ("mogadishu", "مقديشو", "Mogadishu", []),
    "ZAF": ("pretoria", "بريتوريا", "Pretoria", []),
    "SSD": ("juba", "جوبا", "Juba", []),
    "ESP": ("madrid", "مدريد", "Madrid", []),
    "LKA": ("colombo", "كولومبو", "Colombo", []),
    "SDN": ("khartoum", "الخرطوم", "Khartoum", []),
    "SUR": ("paramaribo", "باراماريبو", "Paramaribo", []),
    "SWE": ("stockholm", "ستوكهولم", "Stockholm", []),
    "CHE": ("bern", "برن", "Bern", []),
    "SYR": ("damascus", "دمشق", "Damascus", []),
    "TWN": ("taipei", "تايبيه", "Taipei", []),
    "TJK": ("dushanbe", "دوشنبه", "Dushanbe", []),
    "TZA": ("dodoma", "دودوما", "Dodoma", []),
    "THA": ("bangkok", "بانكوك", "Bangkok", []),
    "TGO": ("lome", "لومي", "Lomé", []),
    "TTO": ("port_of_spain", "بورت أوف سبين", "Port of Spain", []),
    "TUN": ("tunis", "تونس العاصمة", "Tunis", []),
    "TUR": ("ankara", "أنقرة", "Ankara", []),
    "TKM": ("ashgabat", "عشق آباد", "Ashgabat", ["عشق أباد"]),
    "UGA": ("kampala", "كمبالا", "Kampala", ["كامبالا"]),
    "UKR": ("kyiv", "كييف", "Kyiv", []),
    "ARE": ("abu_dhabi", "أبوظبي", "Abu Dhabi", ["أبو ظبي"]),
    "GBR": ("london", "لندن", "London", []),
    "USA": ("washington", "واشنطن", "Washington, D.C.", ["واشنطن العاصمة"]),
    "URY": ("montevideo", "مونتفيديو", "Montevideo", ["مونتيفيديو"]),
    "UZB": ("tashkent", "طشقند", "Tashkent", []),
    "VUT": ("port_vila", "بورت فيلا", "Port Vila", []),
    "VEN": ("caracas", "كاراكاس", "Caracas", []),
    "VNM": ("hanoi", "هانوي", "Hanoi", []),
    "YEM": ("sanaa", "صنعاء", "Sanaa", []),
    "ZMB": ("lusaka", "لوساكا", "Lusaka", []),
    "ZWE": ("harare", "هراري", "Harare", []),
}

HARAKAT = re.compile("[\u064B-\u0652\u0670\u0640]")


def clean(s):
    """Strip diacritics/tatweel, parenthesised parts and stray punctuation from a gazetteer name."""
    s = HARAKAT.sub("", s or "")
    s = re.sub(r"\(.*?\)", " ", s)
    s = s.replace(" - ", " ").replace("-", " ")
    s = re.sub(r" و ", " و", s)
    s = re.sub(r"\s+", " ", s).strip()
    if "،" in s:
        a, b = [p.strip() for p in s.split("،", 1)]
        s = b if fold(a) and fold(a) in fold(b) else a
    return s


def fold(s):
    """Arabic folding used for conflict detection: diacritics, hamza seats, alef/ya/ta marbuta."""
    s = HARAKAT.sub("", s or "")
    s = re.sub("[\u0622\u0623\u0625\u0671]", "\u0627", s)
    s = s.replace("\u0649", "\u064A").replace("\u0629", "\u0647")
    s = s.replace("\u0624", "\u0648").replace("\u0626", "\u064A").replace("\u0621", "")
    s = re.sub(r"[^\w\s]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def read_rows(path):
    """Return (header, rows) of a '#'-commented TSV; rows carry their line number."""
    header, rows = None, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                continue
            rows.append((n, cols))
    return header, rows


def read_countries():
    with open(COUNTRIES, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def build_rows(reserved):
    """reserved: folded strings already used by hand-curated rows (they win)."""
    countries = read_countries()
    out, report = [], []
    used = {}  # folded alias -> id
    candidates = []
    for c in sorted(countries, key=lambda r: r["iso3"]):
        iso3 = c["iso3"].strip()
        names = [clean(c.get("name_ar_cldr")), clean(c.get("name_ar_isocodes")),
                 clean(c.get("official_name_ar_isocodes"))]
        names = [n for n in names if n]
        if not names:
            report.append(f"skip {iso3} ({c['name_en']}): no Arabic name in the gazetteer")
            continue
        code = CODE_OVERRIDE.get(iso3, iso3)
        name = NAME_OVERRIDE.get(iso3, names[0])
        aliases = names + EXTRA_ALIASES.get(iso3, [])
        drop = {fold(a) for a in DROP_ALIASES.get(iso3, [])}
        aliases = [a for a in aliases if fold(a) not in drop]
        candidates.append((code.lower(), "LOC", name, c["name_en"].strip(), aliases, code))
        cap = CAPITALS.get(code)
        if cap:
            cid, cname, cen, caliases = cap
            cands = {fold(x) for x in (c.get("capital_ar_candidates") or "").split("|") if x}
            if cands and fold(cname) not in cands and not any(fold(a) in cands for a in caliases):
                report.append(f"note {code}: capital {cname} not among gazetteer candidates {sorted(cands)}")
            candidates.append((cid, "LOC", cname, cen, caliases, code))
    # first pass: which folded strings are claimed by more than one generated row
    claims = {}
    for row in candidates:
        for s in [row[2]] + row[4]:
            if not s.endswith("?"):
                claims.setdefault(fold(s), set()).add(row[0])
    for row in candidates:
        rid, typ, name, en, aliases, code = row
        if fold(name) in reserved:
            report.append(f"conflict: {rid} name {name} is used by a hand-curated actor; row kept, name clash must be fixed by hand")
        keep, seen = [], {fold(name)}
        for a in aliases:
            if a.endswith("?"):
                keep.append(a)  # contextual: shared with another actor on purpose
                continue
            fa = fold(a)
            if fa in seen:
                continue
            seen.add(fa)
            if fa in reserved:
                report.append(f"drop alias {a} of {rid}: used by a hand-curated actor ({reserved[fa]})")
                continue
            if len(claims.get(fa, ())) > 1:
                report.append(f"drop alias {a} of {rid}: shared with {sorted(claims[fa] - {rid})}")
                continue
            keep.append(a)
        out.append([rid, typ, name, en, "|".join(keep), code, ""])  # no offices for places
    return out, report


def write_generated():
    if ACTORS.exists():
        text = ACTORS.read_text(encoding="utf-8").split("\n")
    else:
        text = ["# marsad actor dictionary (see data/dict/README.md)", "\t".join(HEADER), BEGIN, END, ""]
    if BEGIN not in text or END not in text:
        sys.exit(f"{ACTORS}: missing {BEGIN!r} / {END!r} markers")
    b, e = text.index(BEGIN), text.index(END)
    # aliases/names of the hand-curated rows (outside the block) are reserved
    reserved = {}
    for line in text[:b] + text[e + 1:]:
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if cols[0] == "id" or len(cols) < 5:
            continue
        for s in [cols[2]] + [a for a in cols[4].split("|") if a]:
            reserved[fold(s)] = cols[0]
    rows, report = build_rows(reserved)
    block = [BEGIN, f"# source: ../{COUNTRIES.relative_to(REPO.parent)} (CLDR, ISO 3166 / iso-codes, GeoNames CC BY 4.0); capitals hand-curated in build_places.py"]
    block += ["\t".join(r) for r in rows]
    block.append(END)
    text = text[:b] + block + text[e + 1:]
    ACTORS.write_text("\n".join(text), encoding="utf-8")
    for r in report:
        print(r)
    print(f"wrote {len(rows)} generated rows into {ACTORS.relative_to(REPO)}")


CODE_RE = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_RE = re.compile(r"^[a-z0-9_]+$")
ARABIC_RE = re.compile(r"[\u0600-\u06FF]")


def parse_codes(field):
    """Return [(code, start|None, end|None)] or raise ValueError."""
    out = []
    for part in field.split(";"):
        part = part.strip()
        if not part:
            raise ValueError("empty code")
        code, _, rng = part.partition("@")
        if not CODE_RE.match(code):
            raise ValueError(f"bad code {code!r}")
        start = end = None
        if rng:
            if ".." not in rng:
                raise ValueError(f"bad range {rng!r}")
            s, e = rng.split("..", 1)
            for d in (s, e):
                if d and not DATE_RE.match(d):
                    raise ValueError(f"bad date {d!r}")
            start = datetime.date.fromisoformat(s) if s else None
            end = datetime.date.fromisoformat(e) if e else None
            if start is None and end is None:
                raise ValueError(f"range without ends {rng!r}")
            if start and end and not start < end:
                raise ValueError(f"range not ordered {rng!r}")
        out.append((code, start, end, bool(rng)))
    return out


OFFICE_RE = re.compile(r"^([A-Z_]+):([A-Z]+)@([0-9-]*)\.\.([0-9-]*)$")


def parse_offices(field, countries):
    """Return [(office, place, start|None, end|None)] or raise ValueError."""
    out = []
    for part in field.split(";"):
        m = OFFICE_RE.match(part)
        if not m:
            raise ValueError(f"bad office item {part!r} (want OFFICE:PLACE@FROM..TO)")
        office, place, s, e = m.groups()
        if office not in OFFICES:
            raise ValueError(f"unknown office {office!r}")
        if office == "SECRETARY_GENERAL":
            if place not in IGO_OFFICE_PLACES:
                raise ValueError(f"{part}: SECRETARY_GENERAL needs one of {sorted(IGO_OFFICE_PLACES)}")
        elif place not in countries:
            raise ValueError(f"{part}: {place!r} is not a country code of the generated block")
        for d in (s, e):
            if d and not DATE_RE.match(d):
                raise ValueError(f"{part}: bad date {d!r}")
        start = datetime.date.fromisoformat(s) if s else None
        end = datetime.date.fromisoformat(e) if e else None
        if start is None and end is None:
            raise ValueError(f"{part}: range without ends")
        if start and end and not start < end:
            raise ValueError(f"{part}: range not ordered")
        out.append((office, place, start, end))
    return out


def check_offices(offices, codes):
    """Offices of one actor must not overlap themselves and must lie within the actor's codes:
    the days of an office are covered by codes of its country (IGO prefix for SECRETARY_GENERAL)
    with a role that may hold it (GOV; LEG for SPEAKER; MIL also for defence and chief of staff)."""
    msgs = []
    lo, hi = datetime.date.min, datetime.date.max
    by_key = {}
    for o in offices:
        by_key.setdefault(o[:2], []).append(o)
    for (office, place), items in by_key.items():
        items.sort(key=lambda o: o[2] or lo)
        for a, b in zip(items, items[1:]):
            if (b[2] or lo) < (a[3] or hi):
                msgs.append(f"overlapping {office}:{place} ranges")
    for office, place, start, end in offices:
        if office == "SECRETARY_GENERAL":
            ok = lambda c, p=IGO_OFFICE_PLACES[place]: c.startswith(p)
        else:
            roles = OFFICE_ROLES[office]
            ok = lambda c, p=place, r=roles: c[:3] == p and any(c[i:i + 3] in r for i in range(3, len(c), 3))
        spans = sorted(((s or lo) if rng else lo, (e or hi) if rng else hi)
                       for code, s, e, rng in codes if ok(code))
        pos, stop = start or lo, end or hi
        for s, e in spans:
            if s <= pos < e:
                pos = e
        if pos < stop:
            msgs.append(f"{office}:{place}@{start or ''}..{end or ''} not covered by a matching code "
                        f"(uncovered from {pos})")
    return msgs


def check():
    errors, warnings = [], []
    header, rows = read_rows(ACTORS)
    # country codes of the generated block (a LOC row whose id is its lowercased code)
    countries = {cols[5] for _, cols in rows
                 if len(cols) >= 6 and cols[1] == "LOC" and cols[0] == cols[5].lower()}
    if header != HEADER:
        errors.append(f"actors.tsv header is {header}")
    ids, owner = set(), {}
    for n, cols in rows:
        where = f"actors.tsv:{n}"
        if len(cols) != len(HEADER):
            errors.append(f"{where}: {len(cols)} columns")
            continue
        rid, typ, name, en, aliases, codes, offices = cols
        if not ID_RE.match(rid):
            errors.append(f"{where}: bad id {rid!r}")
        if rid in ids:
            errors.append(f"{where}: duplicate id {rid}")
        ids.add(rid)
        if typ not in ("PER", "ORG", "LOC"):
            errors.append(f"{where}: bad type {typ!r}")
        if not ARABIC_RE.search(name):
            errors.append(f"{where}: name_ar {name!r} is not Arabic")
        if not en.strip():
            errors.append(f"{where}: empty name_en")
        if aliases and any(not a.strip() or a != a.strip() for a in aliases.split("|")):
            errors.append(f"{where}: empty or padded alias in {aliases!r}")
        try:
            parsed = parse_codes(codes)
        except ValueError as ex:
            errors.append(f"{where}: {ex}")
            parsed = []
        if sum(1 for p in parsed if not p[3]) > 1:
            errors.append(f"{where}: more than one default code")
        if offices:
            if typ != "PER":
                errors.append(f"{where}: offices on a {typ} row")
            try:
                for msg in check_offices(parse_offices(offices, countries), parsed):
                    errors.append(f"{where}: {msg}")
            except ValueError as ex:
                errors.append(f"{where}: {ex}")
        ranged = sorted((p for p in parsed if p[3]), key=lambda p: p[1] or datetime.date.min)
        for a, b in zip(ranged, ranged[1:]):
            a_end = a[2] or datetime.date.max
            b_start = b[1] or datetime.date.min
            if b_start < a_end:
                errors.append(f"{where}: overlapping ranges {a[0]}@{a[1]}..{a[2]} and {b[0]}@{b[1]}..{b[2]}")
        # a contextual alias (final `?`) is shared with another actor on purpose
        strings = [name] + [a for a in aliases.split("|") if a and not a.endswith("?")]
        seen = set()
        for s in strings:
            fs = fold(s)
            if fs in seen:
                continue  # spelling variants of one actor may fold together (e.g. قاآني / قاءاني)
            seen.add(fs)
            if fs in owner and owner[fs][0] != rid:
                errors.append(f"{where}: {s!r} of {rid} is also a name/alias of {owner[fs][0]} (line {owner[fs][1]})")
            else:
                owner[fs] = (rid, n)
    for path, cols_expected, codecol in ((AGENTS, ["pattern", "code", "note", "country"], 1),
                                         (NATIONALITIES, ["adjective", "iso3"], 1)):
        header, rows = read_rows(path)
        name = path.name
        if header != cols_expected:
            errors.append(f"{name} header is {header}")
        seen = {}
        for n, cols in rows:
            if len(cols) != len(cols_expected):
                errors.append(f"{name}:{n}: {len(cols)} columns")
                continue
            if not CODE_RE.match(cols[codecol]):
                errors.append(f"{name}:{n}: bad code {cols[codecol]!r}")
            if not ARABIC_RE.search(cols[0]):
                errors.append(f"{name}:{n}: pattern {cols[0]!r} is not Arabic")
            f = fold(cols[0])
            if f in seen:
                if seen[f][1] != cols[codecol]:
                    errors.append(f"{name}:{n}: {cols[0]!r} conflicts with line {seen[f][0]} ({seen[f][1]} vs {cols[codecol]})")
                else:
                    warnings.append(f"{name}:{n}: {cols[0]!r} repeats line {seen[f][0]} after folding")
            else:
                seen[f] = (n, cols[codecol])
        if path == AGENTS:
            for n, cols in rows:
                if len(cols) == 4 and cols[3] and not re.fullmatch(r"[A-Z]{3}", cols[3]):
                    errors.append(f"{name}:{n}: country {cols[3]!r} is not an ISO alpha-3 code")
        if path == NATIONALITIES:
            for n, cols in rows:
                if len(cols) == 2 and len(cols[1]) != 3:
                    errors.append(f"{name}:{n}: iso3 {cols[1]!r} is not three letters")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    print(f"checked actors.tsv, agents.tsv, nationalities.tsv: {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        sys.exit(check())
    if not COUNTRIES.exists():
        sys.exit(f"missing {COUNTRIES}: this script needs the shared gazetteer (see data/dict/README.md)")
    write_generated()
