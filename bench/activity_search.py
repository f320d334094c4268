"""Searching a national-size social map, rendering the search page, and importing a big feed.

Generates 355 gemeenten / 3,550 wijken / 14,200 buurten (bench/area_lookup.py), 20,000
organisations with two places each and 100,000 activities made from the demo's offers (the same
kinds of titles and texts as the demo). Rows are inserted in bulk, but hold exactly what
`store_activity` would store: schedule fields from `schedule.derived_schedule_fields` and search
terms from `search_index.terms_of(indexable_text(...))`.

Measured:
- search: `search_activities(SearchCriteria(text, area=<a wijk>, kinds, free_only))`, first
  page (20) as a list, p50/p95; the bare database time of the same compiled SQL; their ratio;
- page: GET /activiteiten/?q=...&area=...&kind=...&free=on through Django's test client;
- import: 10,000 iCalendar events through `services.imports.run_import("ical", ...)`.
"""

import os
import random
import time
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlencode

import area_lookup
from django.db import connection, reset_queries, transaction
from django.test import Client, override_settings
from django.utils import timezone
from timing import summary, time_calls

from omzien.activities import demo
from omzien.activities.models import Activity, Location, SearchTerm, TaxonomyTerm
from omzien.activities.queries import SearchCriteria, search_activities
from omzien.activities.schedule import derived_schedule_fields
from omzien.activities.search_index import indexable_text, terms_of
from omzien.activities.services.catalogue import clean_description
from omzien.activities.services.imports import run_import
from omzien.activities.taxonomy import Taxonomy, codes
from omzien.core.models import Area, Organisation

# OMZIEN_BENCH_SCALE=0.05 gives a quick trial run; the figures to report use the full size.
SCALE = float(os.environ.get("OMZIEN_BENCH_SCALE", "1"))
ORGANISATIONS = round(20_000 * SCALE)
ACTIVITIES = round(100_000 * SCALE)
BATCH = 2_000  # activities generated and inserted at a time (bounded memory)
SEARCHES = 400
PAGES = 40  # each page lists every wijk and buurt in its form, so keep this modest
IMPORT_EVENTS = round(10_000 * SCALE)
PAGE_SIZE = 20
QUERIES = ["wandelen", "koffie", "samen eten", "digitaal", "rouw", "mantelzorg", "zingen",
           "stoelyoga", "taalcafé", "maatje", "repair café", "leesclub", "bewegen", "spelletjes",
           "schilderen", "huisbezoek", "vervoer", "grip en glans", "tablet", "moestuin"]
TARGETS = {"search_db_p95_ms": 30, "page_p95_ms": 80, "ratio_p95": 2, "import_events_per_s": 1000}
PLACE_KINDS = ["Buurthuis", "Wijkcentrum", "Dorpshuis", "Bibliotheek", "Sporthal", "Kerkzaal",
               "Zorgcentrum", "Ontmoetingscentrum"]
PLACE_NAMES = ["De Schakel", "Het Anker", "De Linde", "De Brug", "Het Kompas", "De Kajuit",
               "De Til", "Het Baken", "De Spil", "De Horst", "De Stek", "Het Trefpunt",
               "De Kroon", "De Wending", "De Esch", "Het Hofje", "De Bron", "De Ark"]
STREET_NAMES = [street for streets in demo.STREETS.values() for street in streets] + [
    street for streets in demo.MORE_STREETS.values() for street in streets]
ORGANISATION_NAMES = [spec[0].split(" ")[0] for spec in demo.ORGANISATIONS]
SECTORS = [value for value, _label in Organisation.Sector.choices]


# --- generating the data set ------------------------------------------------------------------


def insert_rows(table, columns, rows):
    """Insert plain tuples: executemany on SQLite, multi-row VALUES on PostgreSQL."""
    if not rows:
        return
    quote = connection.ops.quote_name
    # Table and column names come from the models, never from input.
    head = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES "  # noqa: S608
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(head + one, rows)
            return
        for start in range(0, len(rows), 5000):
            chunk = rows[start:start + 5000]
            cursor.execute(head + ", ".join([one] * len(chunk)),
                           [value for row in chunk for value in row])


def make_organisations(rng, gemeenten):
    organisations = [
        Organisation(
            name=f"{rng.choice(ORGANISATION_NAMES)} {gemeente.name} {number}",
            sector=rng.choice(SECTORS), city=gemeente.name,
            email=f"info@org{number}.example", phone=f"0000-{rng.randint(100000, 999999)}",
            website=f"https://www.org{number}.example/",
        )
        for number in range(1, ORGANISATIONS + 1)
        for gemeente in [rng.choice(gemeenten)]
    ]
    return Organisation.objects.bulk_create(organisations, batch_size=2000)


def make_locations(rng, organisations, buurten_by_wijk, wijken_by_gemeente, gemeente_names):
    """Two places per organisation, in buurten of one wijk of its own gemeente."""
    gemeente_by_name = {name: pk for pk, name in gemeente_names.items()}
    locations = []
    for organisation in organisations:
        wijk = rng.choice(wijken_by_gemeente[gemeente_by_name[organisation.city]])
        for buurt in rng.sample(buurten_by_wijk[wijk], 2):
            locations.append(Location(
                organisation=organisation,
                name=f"{rng.choice(PLACE_KINDS)} {rng.choice(PLACE_NAMES)}",
                street_address=f"{rng.choice(STREET_NAMES)} {rng.randint(1, 200)}",
                postcode=f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMN')}"
                         f"{rng.choice('PRTVWXZ')}",
                city=organisation.city, area_id=buurt.pk,
                latitude=round(rng.uniform(buurt.min_lat, buurt.max_lat), 6),
                longitude=round(rng.uniform(buurt.min_lon, buurt.max_lon), 6),
            ))
    Location.objects.bulk_create(locations, batch_size=2000)
    by_organisation = {}
    for location in locations:
        by_organisation.setdefault(location.organisation_id, []).append(location)
    return by_organisation


class ScheduleFields:
    """derived_schedule_fields, remembered per distinct schedule (there are a few thousand)."""

    def __init__(self):
        self.known = {}
        self.now = timezone.now()

    def __call__(self, activity):
        key = (activity.schedule_kind, activity.starts_at, activity.ends_at,
               activity.recurrence, tuple(activity.excluded_dates))
        if key not in self.known:
            self.known[key] = derived_schedule_fields(activity, self.now)
        return self.known[key]


def new_activity(rng, context, organisation, location, buurt_name, wijk_name, schedules):
    item = rng.choices(demo.OFFERS, weights=[o.count for o in demo.OFFERS])[0]
    schedule, when = demo._schedule(context, item)
    words = {"venue": location.name, "buurt": buurt_name, "wijk": wijk_name,
             "town": organisation.city, "org": organisation.name, "when": when,
             "time": demo._time_text(schedule)}
    activity = Activity(
        organisation=organisation, title=rng.choice(item.titles).format(**words)[:200],
        description=clean_description(item.text.format(**words)),
        cost=Decimal(rng.choice(item.costs)), join_method=rng.choice(item.joins),
        wheelchair_accessible=rng.random() < 0.7, hearing_loop=rng.random() < 0.3,
        languages=list(rng.choice(item.languages)),
        verified_at=context.now - timedelta(days=rng.randint(0, 400)),
        **schedule,
    )
    if activity.cost:
        activity.cost_note = item.cost_note
    if item.referral_notes and rng.random() < 0.4:
        activity.access = Activity.Access.REFERRAL
        activity.referral_notes = item.referral_notes
    roll = rng.random()
    if roll < 0.03:
        activity.status = Activity.Status.ENDED
    elif roll < 0.05:
        activity.review_state = Activity.ReviewState.PENDING
    for field, value in schedules(activity).items():
        setattr(activity, field, value)
    return activity, demo._pick_terms(context, item)


def search_term_rows(activity, term_rows, location):
    """Exactly the terms `catalogue.reindex` stores for this activity."""
    stand_in = SimpleNamespace(
        title=activity.title, description=activity.description,
        organisation=activity.organisation, schedule_note=activity.schedule_note,
        locations=SimpleNamespace(all=lambda: [location]),
    )
    return [(activity.pk, term) for term in sorted(terms_of(indexable_text(stand_in, term_rows)))]


def make_activities(rng, organisations, locations_by_organisation, area_names):
    today = timezone.localdate()
    context = SimpleNamespace(
        rng=rng, reference_date=today, upcoming_from=today, now=timezone.now(),
        terms={(t.taxonomy, t.code): t for t in TaxonomyTerm.objects.all()},
    )
    schedules = ScheduleFields()
    search_rows_total = 0
    for start in range(0, ACTIVITIES, BATCH):
        with transaction.atomic():  # one commit per batch, not one per row
            search_rows_total += insert_batch(
                rng, context, schedules, min(BATCH, ACTIVITIES - start), organisations,
                locations_by_organisation, area_names,
            )
    return search_rows_total


def insert_batch(rng, context, schedules, count, organisations, locations_by_organisation,
                 area_names):
    term_table = Activity.terms.through._meta.db_table
    place_table = Activity.locations.through._meta.db_table
    made = []
    for _i in range(count):
        organisation = rng.choice(organisations)
        location = rng.choice(locations_by_organisation[organisation.pk])
        buurt_name, wijk_name = area_names[location.area_id]
        activity, term_rows = new_activity(
            rng, context, organisation, location, buurt_name, wijk_name, schedules
        )
        made.append((activity, term_rows, location))
    Activity.objects.bulk_create([a for a, _t, _l in made], batch_size=500)
    insert_rows(term_table, ["activity_id", "taxonomyterm_id"],
                [(a.pk, t.pk) for a, terms, _l in made for t in terms])
    insert_rows(place_table, ["activity_id", "location_id"],
                [(a.pk, location.pk) for a, _t, location in made])
    rows = [row for a, terms, location in made for row in search_term_rows(a, terms, location)]
    insert_rows(SearchTerm._meta.db_table, ["activity_id", "term"], rows)
    return len(rows)


def generate(rng):
    area_lookup.generate()
    areas = list(Area.objects.only("pk", "kind", "name", "parent_id", "min_lon", "min_lat",
                                   "max_lon", "max_lat"))
    gemeenten = [a for a in areas if a.kind == Area.Kind.MUNICIPALITY]
    names = {a.pk: a.name for a in areas}
    buurten_by_wijk, wijken_by_gemeente = {}, {}
    for area in areas:
        if area.kind == Area.Kind.NEIGHBOURHOOD:
            buurten_by_wijk.setdefault(area.parent_id, []).append(area)
        elif area.kind == Area.Kind.DISTRICT:
            wijken_by_gemeente.setdefault(area.parent_id, []).append(area.pk)
    area_names = {a.pk: (a.name, names[a.parent_id]) for a in areas
                  if a.kind == Area.Kind.NEIGHBOURHOOD}
    organisations = make_organisations(rng, gemeenten)
    locations = make_locations(rng, organisations, buurten_by_wijk, wijken_by_gemeente,
                               {g.pk: g.name for g in gemeenten})
    search_rows = make_activities(rng, organisations, locations, area_names)
    wijken = [a for a in areas if a.kind == Area.Kind.DISTRICT]
    return wijken, search_rows


# --- measuring --------------------------------------------------------------------------------


def criteria_list(rng, wijken, count):
    kinds = codes(Taxonomy.KIND)
    return [
        SearchCriteria(text=rng.choice(QUERIES), area=rng.choice(wijken),
                       kinds={rng.choice(kinds)}, free_only=True)
        for _i in range(count)
    ]


def first_page(criteria):
    return list(search_activities(criteria, include_referral=True)[:PAGE_SIZE])


def bare_query(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def compiled(criteria):
    return search_activities(criteria, include_referral=True)[:PAGE_SIZE].query.sql_with_params()


def explain(criteria):
    sql, params = compiled(criteria)
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [" ".join(str(part) for part in row) for row in cursor.fetchall()]


def page_urls(criteria_items):
    return [
        ("/activiteiten/?" + urlencode({"q": c.text, "area": c.area.pk,
                                        "kind": next(iter(c.kinds)), "free": "on"}),)
        for c in criteria_items
    ]


def fetch_page(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")


def feed_venues(rng, wijk_boxes, count=300):
    """The places of a big regional agenda: many events share a few hundred places."""
    venues = []
    for _i in range(count):
        box = rng.choice(wijk_boxes)
        venues.append((f"{rng.choice(PLACE_KINDS)} {rng.choice(PLACE_NAMES)}",
                       f"{rng.choice(STREET_NAMES)} {rng.randint(1, 150)}",
                       rng.uniform(box[1], box[3]), rng.uniform(box[0], box[2])))
    return venues


def page_of_one_municipality(rng, client, wijken):
    """The search page of an instance serving one municipality (OMZIEN_MUNICIPALITY_CODES), as
    a real one does: its form lists that municipality's wijken and buurten, not the country's
    17,750 (which takes about a second to render)."""
    gemeente = Area.objects.get(pk=rng.choice(wijken).parent_id)
    own = [w for w in wijken if w.parent_id == gemeente.pk]
    urls = page_urls(criteria_list(rng, own, PAGES))
    with override_settings(OMZIEN_MUNICIPALITY_CODES=[gemeente.code]):
        fetch_page(client, urls[0][0])
        return summary(time_calls(lambda url: fetch_page(client, url), urls))


def ical_feed(rng, wijk_boxes, count):
    venues = feed_venues(rng, wijk_boxes)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Omzien bench//NL",
             "X-WR-CALNAME:Agenda benchmark"]
    start = timezone.localdate() + timedelta(days=3)
    for number in range(count):
        item = rng.choices(demo.OFFERS, weights=[o.count for o in demo.OFFERS])[0]
        venue, street, latitude, longitude = rng.choice(venues)
        day = start + timedelta(days=rng.randint(0, 60))
        hour, minute, minutes = rng.choice(item.times)
        ends = (hour * 60 + minute + minutes) // 60, (minute + minutes) % 60
        words = {"venue": venue, "buurt": "de buurt", "wijk": "de wijk", "town": "Omzienstad",
                 "org": "", "when": "elke week", "time": f"om {hour}.{minute:02d} uur"}
        summary_text = rng.choice(item.titles).format(**words)
        description = item.text.format(**words).replace("<p>", "").replace("</p>", "\\n")
        lines += [
            "BEGIN:VEVENT", f"UID:bench-{number}@agenda.example",
            f"SUMMARY:{summary_text}", f"DESCRIPTION:{description.replace(',', chr(92) + ',')}",
            f"DTSTART;TZID=Europe/Amsterdam:{day:%Y%m%d}T{hour:02d}{minute:02d}00",
            f"DTEND;TZID=Europe/Amsterdam:{day:%Y%m%d}T{ends[0]:02d}{ends[1]:02d}00",
            f"LOCATION:{venue}\\, {street}\\, 9999 AB Omzienstad",
            f"GEO:{latitude:.6f};{longitude:.6f}",
            f"CATEGORIES:{','.join(item.kinds)}",
            f"URL:https://agenda.example/activiteit/{number}",
        ]
        if rng.random() < 0.6:
            lines.append(f"RRULE:FREQ=WEEKLY;BYDAY={demo.RRULE_DAYS[day.weekday()]}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def measure_import(rng, wijken):
    boxes = [(w.min_lon, w.min_lat, w.max_lon, w.max_lat) for w in rng.sample(wijken, 40)]
    data = ical_feed(rng, boxes, IMPORT_EVENTS)
    organisation = Organisation.objects.create(name="Agenda benchmark", sector="welfare")
    start = time.perf_counter()
    run = run_import("ical", data, f"bench-{IMPORT_EVENTS}.ics", organisation=organisation)
    seconds = time.perf_counter() - start
    return {
        "events": IMPORT_EVENTS, "seconds": round(seconds, 2),
        "events_per_s": round(IMPORT_EVENTS / seconds), "created": run.created,
        "rejected": run.rejected, "failure": run.failure or "",
        "target_events_per_s": TARGETS["import_events_per_s"],
    }


def run():
    rng = random.Random(2026)
    start = time.perf_counter()
    wijken, search_rows = generate(rng)
    generated_s = time.perf_counter() - start
    with connection.cursor() as cursor:
        # PostgreSQL: as autovacuum would have done, so index-only scans skip the heap.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    reset_queries()

    searches = criteria_list(rng, wijken, SEARCHES)
    for criteria in searches[:20]:  # warm up caches and the query planner
        first_page(criteria)
    found = sum(len(first_page(c)) for c in searches[:100])
    whole = summary(time_calls(first_page, [(c,) for c in searches]))
    bare = summary(time_calls(bare_query, [compiled(c) for c in searches]))

    page = page_of_one_municipality(rng, Client(HTTP_HOST="localhost"), wijken)

    figures = {
        "database": connection.vendor,
        "activities": Activity.objects.count(),
        "organisations": Organisation.objects.count(),
        "buurten": Area.objects.filter(kind=Area.Kind.NEIGHBOURHOOD).count(),
        "locations": Location.objects.count(),
        "search_terms": search_rows,
        "generate_s": round(generated_s, 1),
        "results_in_first_100_searches": found,
        "search_whole_first_page": whole,
        "search_bare_database": bare,
        "ratio_p95_whole_to_bare": round(whole["p95_ms"] / bare["p95_ms"], 2),
        "search_page": page,
        "targets": TARGETS,
    }
    if bare["p95_ms"] > TARGETS["search_db_p95_ms"] or page["p95_ms"] > TARGETS["page_p95_ms"]:
        figures["explain"] = explain(searches[0])
    figures["import_ical"] = measure_import(rng, wijken)
    return figures
