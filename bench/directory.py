"""Directory benchmark: p50/p95 of searches and of opening an entry among 15 000 authorities.

Run: .venv/bin/python bench/directory.py [--runs 200] [--authorities 15000] [--explain]
     .venv/bin/python bench/directory.py --database-url postgresql+psycopg://postgres@127.0.0.1/imi_x
Without --database-url it builds a throw-away SQLite database in a temp dir. A PostgreSQL database
named with --database-url is RESET (DROP SCHEMA public CASCADE): name only one you can lose.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import percentile, sample_all  # noqa: E402 - bench/timing.py, beside this file

COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
             "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK")
# Per language: kinds of authority (local name, English name), cities, and how a name is built.
LANGUAGES = {
    "de": ([("Ärztekammer", "Medical Chamber"), ("Handwerkskammer", "Chamber of Crafts"),
            ("Zahnärztekammer", "Dental Chamber"), ("Gewerbeamt", "Trade Office"),
            ("Landesamt für Gesundheit", "State Health Office"), ("Architektenkammer", "Chamber of Architects"),
            ("Apothekerkammer", "Chamber of Pharmacists"), ("Industrie- und Handelskammer", "Chamber of Commerce")],
           ["Berlin", "München", "Köln", "Düsseldorf", "Nürnberg", "Lübeck", "Würzburg", "Göttingen", "Graz",
            "Linz", "Salzburg", "Innsbruck", "Mönchengladbach", "Saarbrücken"], "{kind} {city}"),
    "hu": ([("Orvosi Kamara", "Medical Chamber"), ("Kereskedelmi és Iparkamara", "Chamber of Commerce and Industry"),
            ("Kormányhivatal", "Government Office"), ("Mérnöki Kamara", "Chamber of Engineers"),
            ("Ügyvédi Kamara", "Bar Association"), ("Gyógyszerész Kamara", "Chamber of Pharmacists"),
            ("Építész Kamara", "Chamber of Architects"), ("Fogorvosi Hivatal", "Dental Office")],
           ["Budapesti", "Debreceni", "Szegedi", "Pécsi", "Győri", "Miskolci", "Székesfehérvári", "Nyíregyházi",
            "Kecskeméti", "Szombathelyi", "Érdi", "Sopron-Győr-Moson-Sopron megyei"], "{city} {kind}"),
    "fr": ([("Chambre des métiers", "Chamber of Trades"), ("Ordre des médecins", "Medical Council"),
            ("Préfecture", "Prefecture"), ("Chambre de commerce et d'industrie", "Chamber of Commerce"),
            ("Ordre des pharmaciens", "Pharmacists' Council"),
            ("Direction régionale de l'économie", "Regional Economy Office")],
           ["Orléans", "Besançon", "Nîmes", "Créteil", "Liège", "Namur", "Luxembourg", "Évry", "Angoulême",
            "Châlons", "Montréal-la-Cluse"], "{kind} de {city}"),
    "it": ([("Ordine dei Medici", "Medical Council"), ("Camera di Commercio", "Chamber of Commerce"),
            ("Ufficio Territoriale", "Territorial Office"), ("Collegio degli Ingegneri", "Engineers' College")],
           ["Forlì", "Cantù", "Città di Castello", "Milano", "Napoli", "Torino", "Pésaro", "Agrigento"],
           "{kind} di {city}"),
    "es": ([("Colegio de Médicos", "Medical Association"), ("Cámara de Comercio", "Chamber of Commerce"),
            ("Consejería de Sanidad", "Health Department"), ("Colegio de Abogados", "Bar Association")],
           ["Málaga", "Córdoba", "León", "Cádiz", "Ávila", "Jaén", "Lisboa", "Évora", "Coimbra", "Guimarães"],
           "{kind} de {city}"),
    "pl": ([("Izba Lekarska", "Medical Chamber"), ("Izba Rzemieślnicza", "Chamber of Crafts"),
            ("Urząd Wojewódzki", "Voivodeship Office"), ("Izba Gospodarcza", "Economic Chamber")],
           ["Łódź", "Kraków", "Gdańsk", "Wrocław", "Poznań", "Białystok", "Brno", "Plzeň", "Košice", "Žilina",
            "České Budějovice", "Ljubljana", "Zagreb", "Osijek"], "{kind} {city}"),
    "sv": ([("Läkarförbundet", "Medical Association"), ("Handelskammaren", "Chamber of Commerce"),
            ("Länsstyrelsen", "County Administrative Board"), ("Tandläkarförbundet", "Dental Association")],
           ["Malmö", "Göteborg", "Västerås", "Örebro", "Linköping", "Århus", "Odense", "Køge", "Tampere",
            "Jyväskylä", "Tartu", "Pärnu", "Rīga", "Šiauliai"], "{kind} {city}"),
    "ro": ([("Colegiul Medicilor", "College of Physicians"), ("Camera de Comerț", "Chamber of Commerce"),
            ("Oficiul Registrului Comerțului", "Trade Register Office")],
           ["Brașov", "Timișoara", "Iași", "Constanța", "Plovdiv", "Varna", "Limassol", "Valletta"],
           "{kind} {city}"),
    "el": ([("Ιατρικός Σύλλογος", "Medical Association"), ("Επιμελητήριο", "Chamber"),
            ("Περιφέρεια", "Region")],
           ["Αθηνών", "Θεσσαλονίκης", "Πάτρας", "Ηρακλείου", "Λάρισας"], "{kind} {city}"),
    "nl": ([("Kamer van Koophandel", "Chamber of Commerce"), ("Artsenfederatie", "Medical Federation"),
            ("Gemeente", "Municipality"), ("Orde van Advocaten", "Bar Association")],
           ["Utrecht", "Groningen", "Leuven", "Gent", "’s-Hertogenbosch", "Dublin", "Cork", "Galway"],
           "{kind} {city}"),
}
LANGUAGE_OF = {"AT": "de", "DE": "de", "HU": "hu", "FR": "fr", "BE": "fr", "LU": "fr", "IT": "it", "ES": "es",
               "PT": "es", "PL": "pl", "CZ": "pl", "SK": "pl", "SI": "pl", "HR": "pl", "SE": "sv", "DK": "sv",
               "FI": "sv", "EE": "sv", "LV": "sv", "LT": "sv", "RO": "ro", "BG": "ro", "CY": "ro", "MT": "ro",
               "GR": "el", "NL": "nl", "IE": "nl"}
AREAS = {  # code -> (English name, Hungarian name, keywords)
    "professional_qualifications": ("Professional qualifications", "Szakmai képesítések",
                                    ["Arzt", "Approbation", "diploma", "médecin", "orvos", "szakorvos", "Facharzt"]),
    "services": ("Services", "Szolgáltatások", ["Dienstleister", "cégjegyzék", "vállalkozás", "Gewerbe"]),
    "posting_of_workers": ("Posting of workers", "Munkavállalók kiküldetése", ["détachement", "Entsendung"]),
    "patients_rights": ("Patients' rights", "Betegjogok", ["cross-border healthcare", "prescription"]),
    "e_commerce": ("E-commerce", "Elektronikus kereskedelem", ["online", "webshop", "plateforme"]),
    "cultural_goods": ("Cultural goods", "Kulturális javak", ["műtárgy", "Kulturgut", "musée"]),
    "public_procurement": ("Public procurement", "Közbeszerzés", ["tender", "közbeszerzés", "marché public"]),
    "driving_licences": ("Driving licences", "Vezetői engedélyek", ["licence", "Führerschein", "jogosítvány"]),
    "euro_cash": ("Euro cash transport", "Euro készpénzszállítás", ["cash", "transport"]),
    "product_safety": ("Product safety", "Termékbiztonság", ["toys", "játék", "Produktsicherheit"]),
}


def _environment(database_url: str | None) -> tuple[str, str]:
    tmp = tempfile.mkdtemp(prefix="imi-bench-directory-")
    url = database_url or f"sqlite:///{tmp}/bench.db"
    os.environ.update({
        "IMI_ENVIRONMENT": "test", "IMI_BCRYPT_ROUNDS": "4", "IMI_DATA_DIR": tmp, "IMI_DATABASE_URL": url,
        "IMI_PASSWORD_PEPPER": "bench-pepper-" + "x" * 32, "IMI_CODE_PEPPER": "bench-code-" + "y" * 32,
        "IMI_TOTP_KEY": "bench-totp-" + "z" * 32, "IMI_SESSION_KEY": "bench-session-" + "w" * 32,
    })
    return url, tmp


def _name(rng: random.Random, country: str) -> tuple[str, str]:
    kinds, cities, template = LANGUAGES[LANGUAGE_OF[country]]
    (kind, english), city = rng.choice(kinds), rng.choice(cities)
    suffix = f" – {rng.randint(1, 40)}." if rng.random() < 0.5 else ""
    return template.format(kind=kind, city=city) + suffix, f"{english} {city}{suffix}"


def build(url: str, *, authorities: int, pending: int, seed: int) -> dict:
    """Migrates and fills the database with bulk inserts; returns ids the measurements use."""
    import sqlalchemy as sa
    from imi_app.core.db import get_engine, migrate
    from imi_app.authorities.models import Authority, AuthorityArea, AuthorityName, Country, LegislativeArea
    from imi_app.core.time import utcnow
    from imi_app.core.text import fold

    engine = get_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    migrate(url)
    rng = random.Random(seed)
    now = utcnow()
    area_ids = {code: index for index, code in enumerate(AREAS, start=1)}
    rows, names, links = [], [], []
    coordinators = {}
    for index in range(1, authorities + pending + 1):
        country = COUNTRIES[index % len(COUNTRIES)]
        is_coordinator = country not in coordinators
        name, english = _name(rng, country)
        if is_coordinator:
            coordinators[country] = index
            name = english = f"National IMI coordinator {country}"
        status = "active" if index <= authorities else "pending"
        rows.append({"id": index, "country_code": country, "official_name": name, "name_key": fold(name)[:300],
                     "is_coordinator": is_coordinator, "status": status,
                     "parent_coordinator_id": None if is_coordinator else coordinators[country],
                     "contact_email": f"authority{index}@{country.lower()}.example", "address": f"{name} 1",
                     "phone": "+36 1 555 0100", "languages": f"en,{LANGUAGE_OF[country]}",
                     "rejection_reason": "", "created_at": now})
        if not is_coordinator and rng.random() < 0.2:
            names.append({"authority_id": index, "language": "en", "name": english, "name_key": fold(english)})
        for code in rng.sample(list(AREAS), rng.randint(1, 3)) if not is_coordinator else list(AREAS):
            keywords = ", ".join(rng.sample(AREAS[code][2], min(2, len(AREAS[code][2]))))
            links.append({"authority_id": index, "area_id": area_ids[code], "keywords": keywords,
                          "keywords_key": fold(keywords)})
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(sa.insert(Country.__table__), [{"code": c} for c in COUNTRIES])
        conn.execute(sa.insert(LegislativeArea.__table__), [
            {"id": area_ids[code], "code": code, "names": {"en": en, "hu": hu}}
            for code, (en, hu, _k) in AREAS.items()])
        conn.execute(sa.insert(Authority.__table__), rows)
        conn.execute(sa.insert(AuthorityName.__table__), names)
        conn.execute(sa.insert(AuthorityArea.__table__), links)
        if engine.dialect.name == "postgresql":
            for table in ("authority", "legislative_area"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
        conn.exec_driver_sql("ANALYZE")
    print(f"seeded {authorities} active + {pending} pending authorities, {len(names)} further names, "
          f"{len(links)} area rows in {time.perf_counter() - started:.1f} s ({engine.dialect.name})")
    return {"hu_pq": ("HU", area_ids["professional_qualifications"]),
            "entry_ids": [r["id"] for r in rows if r["status"] == "active"]}


def explain(url: str, area: tuple[str, int]) -> None:
    """Prints the plan of the main page query for a name search and a country + area filter."""
    from sqlmodel import select

    from imi_app.core.db import get_engine, session_scope
    from imi_app.authorities.models import Authority
    from imi_app.authorities.directory import _conditions, _order, _patterns, _words

    engine = get_engine(url)
    cases = {"name search": (_patterns(_words("orvosi kamara")), None, None, []),
             "country + area": ([], area[0], area[1], []),
             "keyword": ([], None, None, _patterns(_words("approbation"))),
             "unfiltered page 50": ([], None, None, [])}
    for label, (names, country, area_id, keywords) in cases.items():
        with session_scope(url) as session:
            query = (select(Authority.id, Authority.official_name)
                     .where(*_conditions(names, country, area_id, keywords))
                     .order_by(*_order(session, "name", "en")).offset(980 if "50" in label else 0).limit(20))
        sql = str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN (ANALYZE, COSTS OFF) "
        with engine.connect() as conn:
            plan = conn.exec_driver_sql(prefix + sql).fetchall()
        print(f"\n-- plan: {label}")
        for row in plan:
            print("   ", row[-1])


def measure(runs: int, ids: dict) -> list[tuple[str, list[float]]]:
    from imi_app.core.db import session_scope
    from imi_app.authorities.models import Authority
    from imi_app.authorities.directory import get_authority_entry, search_authorities
    from tests import factories as f

    with session_scope() as session:
        home = session.get(Authority, ids["entry_ids"][5])
    actor = f.user(home, username="bench.reader")
    rng = random.Random(1)
    country, area_id = ids["hu_pq"]

    def search(**filters):
        def run():
            with session_scope() as session:
                search_authorities(session, actor=actor, **filters)
        return run

    def entry():
        with session_scope() as session:
            get_authority_entry(session, actor=actor, authority_id=rng.choice(ids["entry_ids"]))

    cases = [
        ("name search, page 1 ('orvosi kamara')", search(text="orvosi kamara")),
        ("folded accents ('arztekammer munchen')", search(text="arztekammer munchen")),
        ("further-language name ('medical chamber')", search(text="medical chamber")),
        ("country + area filter, page 1", search(country=country, area_id=area_id)),
        ("keyword search ('approbation')", search(keyword="approbation")),
        ("unfiltered list, page 50", search(page=50)),
        ("unfiltered, sorted by country, page 1", search(sort="country")),
        ("open one entry", entry),
    ]
    return sample_all(cases, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a PostgreSQL database to RESET and use (default: temp SQLite)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--authorities", type=int, default=15_000)
    parser.add_argument("--pending", type=int, default=500)
    parser.add_argument("--explain", action="store_true", help="print the query plans too")
    args = parser.parse_args()
    url, tmp = _environment(args.database_url)
    ids = build(url, authorities=args.authorities, pending=args.pending, seed=42)
    if args.explain:
        explain(url, ids["hu_pq"])
    results = measure(args.runs, ids)
    from imi_app.core.db import get_engine

    print(f"\n{'case':<44} {'p50 ms':>8} {'p95 ms':>8} {'runs':>6}")
    for label, samples in results:
        print(f"{label:<44} {percentile(samples, 50):8.2f} {percentile(samples, 95):8.2f} {len(samples):6d}")
    get_engine(url).dispose()
    shutil.rmtree(tmp, ignore_errors=True)  # the throw-away SQLite database and data dir


if __name__ == "__main__":
    main()
