#!/usr/bin/env python3
"""The event counts the README's real-news table quotes, from a marsad database.

    marsad ingest ../shared/data/news/saudinewsnet-early.jsonl --db news.db
    python3 bench/event_counts.py news.db

Each line is one row of the table ("after"); the "before" figures are this script run on a
database ingested by the commit before the rule (see `git log -- data/events crates/coder`).
Counts are event mentions (one per article and trigger), not de-duplicated events, except the
entity lines (documents naming an entity, its mentions) and the last line (events).
"""
import argparse
import os
import re
import sqlite3
import sys

ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
ap.add_argument("db", help="a database written by marsad ingest")
a = ap.parse_args()
if not os.path.exists(a.db):
    sys.exit(f"{a.db}: no such database (make one with marsad ingest … --db {a.db})")
db = sqlite3.connect(f"file:{a.db}?mode=ro", uri=True)


def one(where, cols="count(*)"):
    q = f"select {cols} from event_mentions m join events e on e.id = m.event_id where {where}"
    return db.execute(q).fetchone()


def words(*ws):
    return "m.text in (" + ",".join(f"'{w}'" for w in ws) + ")"


with_src = "count(*), sum(e.source_actor is not null), sum(e.target_actor is not null)"
meet = words("التقى", "التقت", "التقوا", "التقيا", "يلتقي", "تلتقي", "يلتقون", "يلتقيان")
rows = [
    ("التقى verbs: mentions, with a source, with a target", one(f"e.code = '040' and {meet}", with_src)),
    ("kill/arrest verbs: mentions, with a source, with a target",
     one(words("قتل", "قتلت", "اعتقل", "خطف", "أعدم"), with_src)),
    ("هاجم family coded 111 / all", (one("m.text like '%هاجم%' and e.code = '111'")[0],
                                     one("m.text like '%هاجم%'")[0])),
    ("057 mentions", one("e.code = '057'")),
    ("violent (18–20) mentions, with a source",
     one("substr(e.code, 1, 2) in ('18', '19', '20')", "count(*), sum(e.source_actor is not null)")),
    ("protest (14) mentions", one("substr(e.code, 1, 2) = '14'")),
    ("تجمع/مسيرة family as protests",
     one("substr(e.code, 1, 2) = '14' and " + words("تجمع", "تجمعت", "تجمعوا", "يتجمع", "تتجمع",
                                                     "يتجمعون", "تجمعات", "تجمهر", "تجمهروا",
                                                     "مسيرة", "مسيرات"))),
    ("conditional mentions", one("m.mood = 'conditional'")),
    ("plural-verb mentions, with a source",
     one("(m.text like '%وا' or m.text like '%ون')", "count(*), sum(e.source_actor is not null)")),
    ("بيان mentions, with a source, with a target", one("m.text = 'بيان'", with_src)),
    ("«مؤتمر» mentions, of them meetings (040)", one("m.text like '%مؤتمر%'", "count(*), sum(e.code = '040')")),
]


def entity(eid):
    q = "select count(*), sum(n) from doc_entities where entity_id = ?"
    return db.execute(q, (eid,)).fetchone()


def cut_mentions():
    """Entity mentions whose span ends right before an Arabic letter of the same word."""
    letter = re.compile("[\u0621-\u064A]")
    n = 0
    q = "select d.text, e.spans from doc_entities e join documents d on d.id = e.doc_id"
    for text, spans in db.execute(q):
        for sp in filter(None, spans.split(",")):
            end = int(sp.split("-")[1])
            n += end < len(text) and bool(letter.match(text[end]))
    return n


rows += [
    ("Amman (amman): documents, mentions", entity("amman")),
    ("Oman (omn): documents, mentions", entity("omn")),
    ("Medina (gn109223): documents, mentions", entity("gn109223")),
    ("Ibb, Al Ain, Sanandaj, Taraz, El Obeid: documents each",
     tuple(entity(g)[0] for g in ("gn74477", "gn292913", "gn117574", "gn1516905", "gn379003"))),
    ("documents with a tagger entity «نيسان»",
     db.execute("select count(*) from doc_entities where entity_id like '~%:نيسان'").fetchone()),
    ("clubs, outlets, companies (organisations.tsv): entities, mentions",
     db.execute("select count(*), sum(num_mentions) from entities where id like 'club:%' "
                "or id like 'media:%' or id like 'company:%'").fetchone()),
    ("Manchester, Liverpool, Lyon, Milan, Rome (the cities): mentions each",
     tuple(entity(g)[1] for g in ("gn2643123", "gn2644210", "gn2996944", "gn3173435", "rome"))),
    ("events with one of those cities as actor or place",
     db.execute("select count(*) from events where " + " or ".join(
         f"{c} in ('gn2643123','gn2644210','gn2996944','gn3173435','rome')"
         for c in ("source_entity", "target_entity", "location"))).fetchone()),
    ("Germany (deu): documents, mentions", entity("deu")),
    ("Saudi Arabia, Jordan, Bahrain, Morocco: documents each",
     tuple(entity(c)[0] for c in ("sau", "jor", "bhr", "mar"))),
    ("Saudi Arabia (sau): mentions", (entity("sau")[1],)),
    ("King Salman: documents, mentions; events with him",
     entity("king_salman") + db.execute("select count(*) from events where source_entity = "
                                        "'king_salman' or target_entity = 'king_salman'").fetchone()),
    ("Ban Ki-moon, Ash Carter, Hillary Clinton, Abu Bakr al-Baghdadi: documents, mentions each",
     sum((entity(p) for p in ("ban_ki_moon", "ash_carter", "hillary_clinton",
                              "abu_bakr_al_baghdadi")), ())),
    ("Saudi-led coalition: documents, mentions", entity("saudi_led_coalition")),
    ("Ramadi, Jizan, Geneva, Shanghai, Lausanne, Hebron: documents each",
     tuple(entity(g)[0] for g in ("gn98717", "gn105299", "gn2660646", "gn1796236", "gn2659994",
                                  "gn285066"))),
    ("documents with a tagger entity حسن الجوار, رضا (not_names.tsv)",
     tuple(db.execute("select count(*) from doc_entities where entity_id = ?", (f"~PER:{n}",))
           .fetchone()[0] for n in ("حسن الجوار", "رضا"))),
    ("Sisi, Hadi, Ali Abdullah Saleh: documents, mentions each",
     sum((entity(p) for p in ("abdel_fattah_el_sisi", "abdrabbuh_mansur_hadi",
                              "ali_abdullah_saleh")), ())),
    ("Saudi ministers al-Dakhil, al-Toraifi, al-Qasabi, al-Rabeeah: documents each",
     tuple(entity(p)[0] for p in ("azzam_al_dakhil", "adel_al_toraifi", "majid_al_qasabi",
                                  "abdullah_al_rabeeah"))),
    ("KSrelief: documents, mentions; King Fahd, King Abdullah: mentions each",
     entity("ksrelief") + (entity("king_fahd")[1], entity("king_abdullah_saudi")[1])),
    ("person and organisation entities of the tagger with no actor code: entities, mentions",
     db.execute("select count(*), sum(num_mentions) from entities where (id like '~PER:%' or "
                "id like '~ORG:%') and actor is null").fetchone()),
    ("al-Qaeda, the Nusra Front: documents, mentions each",
     entity("al_qaeda") + entity("nusra_front")),
    ("FIFA, Blatter, Platini, ECB, SAMA, NASA: documents each",
     tuple(entity(p)[0] for p in ("fifa", "sepp_blatter", "michel_platini", "ecb", "sama",
                                  "nasa"))),
    ("Kobani (gn172256): documents, mentions", entity("gn172256")),
    ("mentions of towns outside the Arab world, Iran, Turkey and Israel",
     db.execute("select sum(num_mentions) from entities where id like 'gn%' and country not in "
                "('SAU','YEM','SYR','IRQ','EGY','LBN','JOR','PSE','ISR','IRN','TUR','LBY','TUN',"
                "'DZA','MAR','ARE','QAT','KWT','BHR','OMN','SDN')").fetchone()),
    ("entity mentions that end inside a word", (cut_mentions(),)),
    ("Huwara, Zuwara, Hawalli, Naqadeh, Oujda, Sydney, Hama, Eni: mentions each",
     tuple(entity(g)[1] for g in ("gn7870319", "gn2208425", "gn285629", "gn122698", "gn2540483",
                                  "gn2147714", "gn170017", "company:eni"))),
    ("occupation (192) mentions of the احتل verbs",
     db.execute("select count(*) from event_mentions m join events e on e.id = m.event_id where "
                "e.code like '192%' and (m.text like '%احتل%' or m.text like '%يحتل%' or "
                "m.text like '%تحتل%')").fetchone()),
    ("events placed in Medina; all events",
     (db.execute("select count(*) from events where location = 'gn109223'").fetchone()[0],
      db.execute("select count(*) from events").fetchone()[0])),
]
for name, v in rows:
    print(f"{name}\t" + "\t".join(str(x or 0) for x in v))
